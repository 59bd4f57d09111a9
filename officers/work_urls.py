from django.urls import path

from . import work_views

app_name = "work"
urlpatterns = [
    path("", work_views.work_list, name="list"),
    path("export/", work_views.work_export, name="export"),
    path("new/", work_views.work_create, name="create"),
    path("<int:pk>/", work_views.work_detail, name="detail"),
    path("<int:pk>/edit/", work_views.work_edit, name="edit"),
]
