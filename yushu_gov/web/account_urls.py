from django.urls import path

from yushu_gov.web import account_views as views

app_name = "account"
urlpatterns = [
    path("password/", views.password_change, name="password_change"),
    path("2fa/", views.two_factor_status, name="two_factor"),
    path("2fa/setup/", views.two_factor_setup, name="two_factor_setup"),
    path("2fa/enrol/<str:token>/", views.two_factor_enrol_link, name="two_factor_enrol_link"),
    path("2fa/verify/", views.two_factor_verify, name="two_factor_verify"),
    path("2fa/recovery-codes/", views.recovery_codes, name="recovery_codes"),
]
