from django.urls import path

from . import views

app_name = "talks"
urlpatterns = [
    path("", views.talk_grid, name="grid"),
    path("records/", views.talk_list, name="list"),
    path("new/", views.talk_create, name="create"),
    path("ledger.xlsx", views.talk_ledger, name="ledger"),
    path("frequency/", views.talk_frequency, name="frequency"),
    path("<int:pk>/", views.talk_detail, name="detail"),
    path("<int:pk>/edit/", views.talk_edit, name="edit"),
    path("<int:pk>/delete/", views.talk_delete, name="delete"),
    path("<int:pk>/sheet.pdf", views.talk_sheet, name="sheet"),
]
