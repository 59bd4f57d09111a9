"""The residents' pages (no login): 反映诉求 from a community's page, the tracking code, the status and the rating."""

from django.urls import path

from . import public_views as views

app_name = "requests_public"
urlpatterns = [
    path("submitted/", views.request_submitted, name="submitted"),
    path("track/", views.request_track, name="track"),
    path("track/rate/", views.request_rate, name="rate"),
    path("support/", views.request_support, name="support"),
    path("<slug:code>/", views.request_new, name="new"),
]
