from django.urls import path

from yushu_gov.web import notice_views as views

app_name = "notices"
urlpatterns = [
    path("", views.notice_list, name="list"),
    path("read/", views.notice_read, name="read"),
    path("channels/", views.channels, name="channels"),
    path("delivery/", views.delivery, name="delivery"),
]
