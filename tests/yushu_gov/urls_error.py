from django.urls import path

from officers import views

urlpatterns = [path("boom/", lambda request: views.officer_list(request))]
