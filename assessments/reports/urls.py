from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("briefing/", views.briefing, name="briefing"),
    path("briefing/pdf/", views.briefing_pdf, name="briefing_pdf"),
]
