from django.urls import path

from . import supervision_views, views

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
    path("<int:pk>/remind/", supervision_views.request_remind, name="remind"),
    path("<int:pk>/take-over/", supervision_views.request_take_over, name="take_over"),
    path("<int:pk>/street-transfer/", supervision_views.request_street_transfer, name="street_transfer"),
]
