"""The residents' pages (no login): 反映诉求 from a community's page, the tracking code, the status and the rating."""

from django.urls import path

from . import public_views as views
from . import recovery_views

app_name = "requests_public"
urlpatterns = [
    path("submitted/", views.request_submitted, name="submitted"),
    path("track/", views.request_track, name="track"),
    path("track/rate/", views.request_rate, name="rate"),
    # without the code: the phone given with the requests, an SMS code, the phone's requests for 30 minutes
    path("track/phone/", recovery_views.phone_lookup, name="phone"),
    path("track/phone/code/", recovery_views.phone_code, name="phone_code"),
    path("track/mine/", recovery_views.phone_requests, name="mine"),
    path("support/", views.request_support, name="support"),
    path("<slug:code>/", views.request_new, name="new"),
]
