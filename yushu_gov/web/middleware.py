import logging
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.cache import add_never_cache_headers, patch_vary_headers
from django.utils.translation import gettext as _

from yushu_gov.accounts import sessions, two_factor
from yushu_gov.accounts.passwords import password_expired
from yushu_gov.audit.log import audit_log
from yushu_gov.documents.pdf import PdfFailed, PdfFontsMissing, PdfTooSlow
from yushu_gov.security import limits

logger = logging.getLogger(__name__)


class ContentSecurityPolicyMiddleware:
    """Sends the Content-Security-Policy of settings.CONTENT_SECURITY_POLICY: only 'self', so every
    script and stylesheet must be served from static/ (no inline code, no CDN)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = settings.CONTENT_SECURITY_POLICY

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.policy)
        return response


class ChineseFirstLocaleMiddleware:
    """Chinese unless the user chose another language with the switch (the language cookie).

    Django's LocaleMiddleware would follow the browser's Accept-Language header, and many of the
    bureau's machines run English-language browsers; the users read Chinese. The residents' pages
    (settings.PUBLIC_PATH_PREFIXES) do follow it on a first visit, before any choice: a resident whose
    phone is set to Tibetan gets Tibetan.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _ in settings.LANGUAGES}

    def _from_browser(self, request) -> str:
        for code, _quality in translation.trans_real.parse_accept_lang_header(
            request.headers.get("Accept-Language", "")[:200]
        ):
            if code == "*":
                break
            try:
                language = translation.get_supported_language_variant(code)
            except LookupError:
                continue
            if language in self.supported:
                return language
        return settings.LANGUAGE_CODE

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        public = request.path.startswith(settings.PUBLIC_PATH_PREFIXES)
        if chosen in self.supported:
            language = chosen
        else:
            language = self._from_browser(request) if public else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ("Cookie", "Accept-Language") if public else ("Cookie",))
        return response


# --- Availability -------------------------------------------------------------------------------------


def health_response() -> HttpResponse:
    """200 "ok" when the database answers, 503 otherwise: for the load balancer."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        response = HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    else:
        response = HttpResponse("ok\n", content_type="text/plain")
    add_never_cache_headers(response)
    return response


class HealthCheckMiddleware:
    """Answers /healthz before anything else: no host check (load balancers probe by address), no HTTPS
    redirect, no session, no log entry."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info in ("/healthz", "/healthz/"):
            return health_response()
        return self.get_response(request)


class RequestLimitsMiddleware:
    """Bounds every request before anything reads it: a query string longer than limits.MAX_QUERY_STRING
    answers 414, a body larger than limits.MAX_REQUEST_BYTES 413 (the reverse proxy should refuse them first:
    client_max_body_size 12m)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if len(request.META.get("QUERY_STRING", "")) > limits.MAX_QUERY_STRING:
            return refused(414, _("地址过长"), _("请求地址过长，已拒绝。请减少筛选条件后重试。"))
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > limits.MAX_REQUEST_BYTES:
            mb = limits.MAX_REQUEST_BYTES // (1024 * 1024)
            return refused(413, _("提交内容过大"), _("提交的内容超过 %(mb)s MB，已拒绝。") % {"mb": mb})
        return self.get_response(request)


def refused(status: int, title: str, message: str) -> HttpResponse:
    context = {"status": status, "title": title, "message": message}
    return HttpResponse(render_to_string("refused.html", context), status=status)


def database_unavailable_response(request=None) -> HttpResponse:
    """The branded 503 page, rendered without the database (no context processors, no session, no user)."""
    response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = "60"
    add_never_cache_headers(response)
    return response


class ErrorPagesMiddleware:
    """A view that cannot reach the database answers the branded 503 page instead of a 500 (with DEBUG on as
    well; errors outside the views reach `views.server_error`, which does the same); a PDF that does not
    render within its time budget answers a page that says so."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if is_database_unavailable(exception):
            logger.error("database unavailable: %s", type(exception).__name__)
            return database_unavailable_response(request)
        if isinstance(exception, PdfFontsMissing):
            # Printed without its fonts the document would be boxes: a page that names the packages instead.
            return render(request, "pdf_unavailable.html", {"error": exception}, status=503)
        if isinstance(exception, PdfTooSlow | PdfFailed):
            logger.warning("PDF not rendered (%s): %s", type(exception).__name__, request.path)
            seconds = settings.PDF_TIME_BUDGET_SECONDS
            message = (
                _("文档内容过多，未能在 %(s)s 秒内生成 PDF，已停止生成。请精简内容后重试，或联系系统管理员。")
                % {"s": f"{seconds:g}"}
                if isinstance(exception, PdfTooSlow)
                else _("PDF 生成失败，请稍后重试；如问题持续，请联系系统管理员。")
            )
            return render(request, "document_failed.html", {"message": message}, status=503)
        return None


def is_database_unavailable(exception) -> bool:
    return isinstance(exception, OperationalError | InterfaceError)


# --- Sessions, the second factor and passwords ----------------------------------------------------------


class SessionPolicyMiddleware:
    """Ends a session 12 hours after its login whatever the activity (settings.SESSION_ABSOLUTE_SECONDS;
    the 30-minute idle timeout is the session cookie's), and a session that is no longer the account's one
    active session (a newer login replaced it, settings.SINGLE_SESSION_PER_ACCOUNT)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated:
            reason = sessions.ended(request)
            if reason:
                username = user.get_username()
                logout(request)
                audit_log(actor=None, action="auth.session_ended", changes={"username": [None, username],
                          "reason": [None, str(reason)]}, request=request)  # fmt: skip
                messages.warning(request, reason)
                return redirect_to_login(request.get_full_path())
        return self.get_response(request)


class AccountGateMiddleware:
    """After the password, a session goes nowhere but the second factor's pages until a code has been
    accepted (when the user needs one), then nowhere but the change-password page while the password must
    be changed (set by the security administrator, or expired). Costs no query: the session and the user
    row carry both states."""

    OPEN_PATHS = ("/logout/", "/login/", "/i18n/", "/admin/logout/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and not request.path_info.startswith(self.OPEN_PATHS):
            target = self.gate(request, user)
            if target and request.path_info != target and not self.enrol_link(request):
                return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)

    @staticmethod
    def enrol_link(request) -> bool:
        """A session that must enrol may open its enrolment link (it leads to the setup page)."""
        prefix = reverse("account:two_factor_enrol_link", args=["x"])[:-2]
        return request.session.get(two_factor.PENDING_KEY) == "enrol" and request.path_info.startswith(prefix)

    @staticmethod
    def gate(request, user) -> str | None:
        pending = request.session.get(two_factor.PENDING_KEY)
        if pending:
            return reverse("account:two_factor_setup" if pending == "enrol" else "account:two_factor_verify")
        if user.must_change_password or password_expired(user):
            return reverse("account:password_change")
        return None


class RefusalAuditMiddleware:
    """Every refused action of a signed-in user (403, from the rights table or the admin site) leaves an audit
    entry: who, what method on which path (without its query string, which may hold personal data)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if response.status_code == 403 and user is not None and user.is_authenticated:
            audit_log(
                actor=user,
                action="access.refused",
                changes={"method": [None, request.method], "path": [None, request.path_info[:200]]},
                request=request,
            )
        return response


class NoStoreMiddleware:
    """Pages and downloads behind a login are never kept by a browser or a proxy (Cache-Control: no-store)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
        return response
