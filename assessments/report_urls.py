from django.urls import path

from . import report_views

app_name = "reports"
urlpatterns = [
    path("", report_views.dashboard, name="dashboard"),
    path("briefing/", report_views.briefing, name="briefing"),
    path("briefing/pdf/", report_views.briefing_pdf, name="briefing_pdf"),
]
