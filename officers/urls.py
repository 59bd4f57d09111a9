from django.urls import path

from . import views

app_name = "officers"
urlpatterns = [
    path("", views.officer_list, name="list"),
    path("new/", views.officer_create, name="create"),
    path("<int:pk>/", views.officer_detail, name="detail"),
    path("<int:pk>/edit/", views.officer_edit, name="edit"),
]
