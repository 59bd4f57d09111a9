"""Open311 GeoReport v2 (/open311/v2/…) and the 12345 hotline's work orders (/open311/v2/hotline/…): each
path ends in .json or .xml, the format of the answer, as the standard does."""

from django.urls import re_path

from . import views

FMT = r"\.(?P<fmt>json|xml)$"

app_name = "open311"
urlpatterns = [
    re_path(r"^discovery" + FMT, views.discovery, name="discovery"),
    re_path(r"^services" + FMT, views.service_list, name="services"),
    re_path(r"^services/(?P<code>[a-z_]{1,20})" + FMT, views.service_definition, name="service_definition"),
    re_path(r"^requests" + FMT, views.requests, name="requests"),
    re_path(r"^requests/(?P<number>[A-Za-z0-9-]{1,40})" + FMT, views.request_detail, name="request"),
    re_path(r"^tokens/(?P<token>[0-9a-f-]{36})" + FMT, views.token, name="token"),
    re_path(r"^hotline/work_orders" + FMT, views.work_order_create, name="work_orders"),
    re_path(r"^hotline/changes" + FMT, views.work_order_changes, name="changes"),
    re_path(r"^hotline/webhook" + FMT, views.webhook, name="webhook"),
]
