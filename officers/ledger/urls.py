from django.urls import path

from . import views

app_name = "work"
urlpatterns = [
    path("", views.work_list, name="list"),
    path("export/", views.work_export, name="export"),
    path("new/", views.work_create, name="create"),
    path("officers-for/", views.officers_for_json, name="officers_for"),
    path("lookup/", views.work_lookup, name="lookup"),
    path("<int:pk>/", views.work_detail, name="detail"),
    path("<int:pk>/edit/", views.work_edit, name="edit"),
]
