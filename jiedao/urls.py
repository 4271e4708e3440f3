from django.contrib import admin
from django.urls import include, path

from jiedao.api import api
from jiedao.core import health
from jiedao.core import views as core_views
from jiedao.geo import views as geo_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", health.healthz, name="healthz"),
    path("favicon.ico", core_views.favicon),
    path("login/", core_views.LoginView.as_view(), name="login"),
    path("logout/", core_views.logout_view, name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("audit/", core_views.audit_log, name="audit-log"),
    path("map/", geo_views.map_page, name="map"),
    path("api/", api.urls),
    path("", include("jiedao.planning.urls")),
    path("", include("jiedao.registry.urls")),
    path("", include("jiedao.cases.urls")),
    path("", include("jiedao.visits.urls")),
    path("", include("jiedao.sensing.urls")),
    path("", include("jiedao.facilities.urls")),
    path("", include("jiedao.consult.urls")),
    path("", include("jiedao.elevators.urls")),
    path("", include("jiedao.inspections.urls")),
    path("", include("jiedao.inspections.campaigns.urls")),
    path("", include("jiedao.inspections.safety.urls")),
    path("open311/v2/", include("jiedao.cases.open311.urls")),
    path("admin/", admin.site.urls),
]

handler403 = "jiedao.core.views.permission_denied"
handler404 = "jiedao.core.views.page_not_found"
