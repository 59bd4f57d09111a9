from django.urls import path

from . import views

app_name = "communities"
urlpatterns = [
    path("", views.community_list, name="list"),
    path("lookup/", views.community_lookup, name="lookup"),
]

# Police calls received (警情接报数)
urlpatterns += [
    path("police-calls/", views.police_calls, name="police_calls"),
    path("police-calls/set/", views.police_call_set, name="police_call_set"),
    path("police-calls/template/", views.police_call_template, name="police_call_template"),
    path("police-calls/import/", views.police_call_import, name="police_call_import"),
]
