from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView

from .web import export_views, views

# Each app's pages, included by module path: the project imports no app (tests/test_layers.py).
urlpatterns = [
    path("", views.home, name="home"),
    # Browsers ask for /favicon.ico on every page that names no icon (the admin site's, downloads).
    path("favicon.ico", views.favicon, name="favicon"),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("account/", include("yushu_gov.web.account_urls")),
    path("notices/", include("yushu_gov.web.notice_urls")),
    path("audit/", views.audit_log_list, name="audit_log"),
    path("audit/export.xlsx", views.audit_log_export, name="audit_log_export"),
    # Exports run in the background: each list's export view starts a job and sends the user to its page.
    path("exports/", export_views.my_exports, name="my_exports"),
    path("exports/<uuid:pk>/", export_views.export_job, name="export_job"),
    path("exports/<uuid:pk>/download/", export_views.export_job_download, name="export_job_download"),
    path("communities/", include("communities.urls")),
    path("officers/", include("officers.urls")),
    path("directory/", include("officers.directory_urls")),
    path("talks/", include("officers.talks.urls")),
    path("work/", include("officers.ledger.urls")),
    path("requests/", include("officers.resident_requests.urls")),
    path("resident/", include("officers.resident_requests.public_urls")),
    path("open311/v2/", include("officers.open311.urls")),
    path("assessments/", include("assessments.urls")),
    path("reports/", include("assessments.reports.urls")),
    path("open-data/", include("assessments.reports.open_urls")),
    # The admin site's own password change would bypass the history and the audit entry: every user changes
    # their password on the application's page.
    path("admin/password_change/", RedirectView.as_view(pattern_name="account:password_change")),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    # Uploaded photos in development; in production the web server serves MEDIA_ROOT. Never MEDIA_ROOT/private/
    # (duty reports): those are served only through the views that check the user's scope.
    urlpatterns += [path(f"{settings.MEDIA_URL.strip('/')}/<path:path>", views.public_media)]

# A server error caused by an unreachable database answers the branded 503 page.
handler500 = "yushu_gov.web.views.server_error"
