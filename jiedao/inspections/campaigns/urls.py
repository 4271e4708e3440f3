from django.urls import path

from jiedao.inspections.campaigns import views

app_name = "campaigns"

urlpatterns = [
    path("inspections/campaigns/", views.campaign_list, name="list"),
    path("inspections/campaigns/<int:campaign_id>/", views.campaign_detail, name="detail"),
    path("m/inspections/campaigns/<int:campaign_id>/record/", views.record_page, name="record"),
    path("inspections/campaigns/households/<int:household_id>/", views.household_ledger, name="household"),
    path("inspections/campaigns/enrolments/<int:enrolment_id>/days/<str:day>/correct/", views.correct_day,
         name="correct-day"),
    path("inspections/bulky/", views.slots, name="bulky"),
    path("inspections/bulky/slots/<int:slot_id>/", views.slot_detail, name="bulky-slot"),
    path("inspections/bulky/bookings/<int:booking_id>/<str:action>/", views.close_booking, name="bulky-close"),
    path("portal/bulky/", views.portal, name="portal-bulky"),
    path("portal/bulky/slots/<int:slot_id>/", views.portal_book, name="portal-bulky-book"),
    path("portal/bulky/bookings/<int:booking_id>/cancel/", views.portal_cancel, name="portal-bulky-cancel"),
]
