from django.urls import path

from . import directory_views as views

app_name = "directory"
urlpatterns = [
    path("", views.directory, name="index"),
    path("<slug:code>/", views.community_page, name="community"),
    path("<slug:code>/card/", views.contact_card, name="card"),
]
