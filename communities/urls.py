from django.urls import path

from . import views

app_name = "communities"
urlpatterns = [
    path("", views.community_list, name="list"),
]
