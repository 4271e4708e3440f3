"""Open311 GeoReport v2, included at /open311/v2/ (see views and docs/open311.md)."""

from django.urls import re_path

from jiedao.cases.open311 import views

app_name = "open311"

# The suffix names the format; an unsupported one gets the spec's 404 error (views.endpoint).
FMT = r"\.(?P<fmt>[A-Za-z0-9]{1,10})$"

urlpatterns = [
    re_path(r"^$", views.index, name="index"),
    re_path(r"^discovery" + FMT, views.discovery, name="discovery"),
    re_path(r"^services" + FMT, views.service_list, name="services"),
    re_path(r"^services/(?P<code>[^/.]{1,20})" + FMT, views.service_definition, name="service"),
    re_path(r"^requests" + FMT, views.requests, name="requests"),
    re_path(r"^requests/(?P<number>[^/.]{1,40})" + FMT, views.request_detail, name="request"),
    re_path(r"^tokens/(?P<value>[^/.]{1,60})" + FMT, views.token, name="token"),
]
