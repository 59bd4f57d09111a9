from django.urls import path

from . import views

app_name = "requests"
urlpatterns = [
    path("", views.request_list, name="list"),
    path("export/", views.request_export, name="export"),
    path("deadlines/", views.deadlines, name="deadlines"),
    path("<int:pk>/", views.request_detail, name="detail"),
    path("<int:pk>/photo/", views.request_photo, name="photo"),
    path("<int:pk>/voice/", views.request_voice, name="voice"),
    path("<int:pk>/accept/", views.request_accept, name="accept"),
    path("<int:pk>/note/", views.request_note, name="note"),
    path("<int:pk>/transfer/", views.request_transfer, name="transfer"),
    path("<int:pk>/resolve/", views.request_resolve, name="resolve"),
]
