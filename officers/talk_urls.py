from django.urls import path

from . import talk_views

app_name = "talks"
urlpatterns = [
    path("", talk_views.talk_grid, name="grid"),
    path("records/", talk_views.talk_list, name="list"),
    path("new/", talk_views.talk_create, name="create"),
    path("ledger.xlsx", talk_views.talk_ledger, name="ledger"),
    path("<int:pk>/", talk_views.talk_detail, name="detail"),
    path("<int:pk>/edit/", talk_views.talk_edit, name="edit"),
    path("<int:pk>/delete/", talk_views.talk_delete, name="delete"),
    path("<int:pk>/sheet.pdf", talk_views.talk_sheet, name="sheet"),
]
