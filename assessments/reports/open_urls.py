"""The open figures (公开数据), no login: the page, CSV and JSON."""

from django.urls import path

from . import open_views as views

app_name = "open_figures"
urlpatterns = [
    path("", views.figures_page, name="page"),
    path("figures.csv", views.figures_csv, name="csv"),
    path("figures.json", views.figures_json, name="json"),
]
