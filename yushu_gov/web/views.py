import posixpath
import sys
from datetime import timedelta

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.views.defaults import server_error as default_server_error
from django.views.static import serve

from yushu_gov.access.rights import require
from yushu_gov.access.roles import ROLE_BY_GROUP, role_of
from yushu_gov.accounts.models import TOTPDevice, User
from yushu_gov.accounts.two_factor import ROLES as TWO_FACTOR_ROLES
from yushu_gov.audit.filters import AuditEntryFilter
from yushu_gov.audit.models import AuditEntry
from yushu_gov.home.panels import panels_for
from yushu_gov.home.todo import remember_count, todo_items
from yushu_gov.lists.keyset import keyset_paginate
from yushu_gov.lists.sorting import sort_by
from yushu_gov.web.export_views import start_export
from yushu_gov.web.middleware import database_unavailable_response, is_database_unavailable


def favicon(request):
    """The icon at the address browsers ask for by themselves (static files carry their own cache-busting name)."""
    return HttpResponsePermanentRedirect(static("favicon.ico"))


@login_required
def home(request):
    """Each role's home page: the panels the apps registered for that role (yushu_gov/home/panels.py)."""
    role = role_of(request.user)
    todo = todo_items(request) if role else []
    remember_count(request, todo)  # the navigation's count on this page is this list's
    panels = panels_for(request, role) if role else []
    return render(request, "home.html", {"role": role, "todo": todo, "panels": panels})


def accounts_context(request) -> dict:
    """The security administrator's panel: accounts by role, locked accounts, passwords due to change and
    administrators without a second factor (5 queries)."""
    active = User.objects.filter(is_active=True)
    by_group = dict(active.values_list("groups__name").annotate(n=Count("pk")).values_list("groups__name", "n"))
    roles = [(role.label, by_group.get(name, 0)) for name, role in ROLE_BY_GROUP.items()]
    cutoff = timezone.now() - timedelta(days=settings.PASSWORD_MAX_AGE_DAYS or 36500)
    enrolled = TOTPDevice.objects.filter(confirmed=True).values("user")
    two_factor_groups = [name for name, role in ROLE_BY_GROUP.items() if role in TWO_FACTOR_ROLES]
    return {
        "roles": roles,
        "locked": AccessAttempt.objects.filter(failures_since_start__gte=settings.AXES_FAILURE_LIMIT).count(),
        "password_due": active.filter(password_changed_at__lt=cutoff).count()
        + active.filter(must_change_password=True).count(),
        "without_2fa": active.filter(groups__name__in=two_factor_groups).exclude(pk__in=enrolled).distinct().count(),
    }


def recent_audit_context(request) -> dict:
    return {"entries": AuditEntry.objects.select_related("actor")[:10]}


# The sortable columns of the audit log (yushu_gov/lists/sorting.py).
AUDIT_COLUMNS = {"at": ("at",), "actor": ("actor_name",), "action": ("action",)}


def _audit_filter(request) -> AuditEntryFilter:
    entries = AuditEntry.objects.select_related("actor", "content_type")
    return AuditEntryFilter(request.GET, queryset=entries)


@login_required
def audit_log_list(request):
    require(request.user, "audit.view")
    filterset = _audit_filter(request)
    entries, sorting = sort_by(request, filterset.qs, AUDIT_COLUMNS)
    page = keyset_paginate(request, entries, per_page=50)
    return render(request, "audit/list.html", {"filter": filterset, "page": page, "sorting": sorting})


@login_required
def audit_log_export(request):
    """The filtered log as .xlsx, written in the background (yushu_gov/web/audit_export.py); the export itself goes
    into the log when it is written: who, which filter, how many rows."""
    require(request.user, "audit.view")
    return start_export(request, "audit", back=f"{reverse('audit_log')}?{request.GET.urlencode()}")


def public_media(request, path: str):
    """Development only (DEBUG): the public uploads (officers' photos). The private folder (duty reports) is
    never served from here, however the path is written."""
    normalized = posixpath.normpath("/" + path.replace("\\", "/")).lstrip("/")
    if not normalized or normalized.split("/", 1)[0].lower() == "private":
        raise Http404
    return serve(request, normalized, document_root=settings.MEDIA_ROOT)


def server_error(request):
    """The 500 page, or the branded 503 page when the error is an unreachable database."""
    if is_database_unavailable(sys.exc_info()[1]):
        return database_unavailable_response(request)
    return default_server_error(request)
