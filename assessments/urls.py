from django.urls import path

from . import views

app_name = "assessments"
urlpatterns = [
    path("", views.index, name="index"),
    path("mine/", views.my_reports, name="mine"),
    path("year/<int:year>/", views.year_review, name="year"),
    path("year/<int:year>/export.xlsx", views.year_export, name="export"),
    path("year/<int:year>/open/", views.year_open, name="open_year"),
    path("year/<int:year>/batch/", views.year_batch, name="batch"),
    path("year/<int:year>/scheme/", views.scheme_edit, name="scheme"),
    path("<int:pk>/", views.assessment_detail, name="detail"),
    path("<int:pk>/performance/", views.performance_edit, name="performance"),
    path("<int:pk>/business/", views.business_edit, name="business"),
    path("<int:pk>/report/<str:body>/", views.report_edit, name="report"),
    path("<int:pk>/report/<str:body>/file/", views.report_file, name="report_file"),
    path("<int:pk>/report/<str:body>/write/", views.report_write, name="report_write"),
    path("<int:pk>/combine/", views.assessment_combine, name="combine"),
    path("<int:pk>/file/", views.assessment_file, name="file"),
    path("<int:pk>/reopen/", views.assessment_reopen, name="reopen"),
    path("<int:pk>/sheet.pdf", views.assessment_sheet, name="sheet"),
]
