from django.urls import path

from . import views

app_name = "officers"
urlpatterns = [
    path("", views.officer_list, name="list"),
    path("new/", views.officer_create, name="create"),
    path("lookup/", views.officer_lookup, name="lookup"),
    path("<int:pk>/", views.officer_detail, name="detail"),
    path("<int:pk>/edit/", views.officer_edit, name="edit"),
    path("<int:pk>/consent/", views.officer_consent, name="consent"),
    path("appointments/", views.appointment_list, name="appointment_list"),
    path("appointments/new/", views.appointment_nominate, name="appointment_nominate"),
    path("appointments/<int:pk>/", views.appointment_detail, name="appointment_detail"),
    path("appointments/<int:pk>/letter/", views.appointment_letter, name="appointment_letter"),
    path("appointments/<int:pk>/letter.pdf", views.appointment_letter_pdf, name="appointment_letter_pdf"),
    *[
        path(f"appointments/<int:pk>/{step}/", views.appointment_step, {"step": step}, name=f"appointment_{step}")
        for step in views.STEPS
    ],
    path("coverage/", views.coverage, name="coverage"),
    path("roster/<int:pk>/", views.branch_roster, name="roster"),
]
