from django.urls import path

from . import views

app_name = "work"
urlpatterns = [
    path("", views.work_list, name="list"),
    path("export/", views.work_export, name="export"),
    path("new/", views.work_create, name="create"),
    path("officer-lookup/", views.officer_lookup, name="officer_lookup"),
    path("<int:pk>/", views.work_detail, name="detail"),
    path("<int:pk>/edit/", views.work_edit, name="edit"),
]
