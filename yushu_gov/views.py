from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponsePermanentRedirect
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from .access import require
from .audit import action_label, audit_export, change_rows
from .filters import AuditEntryFilter
from .home import panels_for
from .models import AuditEntry
from .pagination import paginate
from .roles import role_of
from .sorting import sort_by
from .todo import remember_count, todo_items
from .xlsx import build_workbook, xlsx_response

# An export larger than this is refused with a request to narrow the filter: it would hold a worker too long.
AUDIT_EXPORT_MAX_ROWS = 10_000


def favicon(request):
    """The icon at the address browsers ask for by themselves (static files carry their own cache-busting name)."""
    return HttpResponsePermanentRedirect(static("favicon.ico"))


@login_required
def home(request):
    """Each role's home page: the panels the apps registered for that role (yushu_gov/home.py)."""
    role = role_of(request.user)
    todo = todo_items(request) if role else []
    remember_count(request, todo)  # the navigation's count on this page is this list's
    panels = panels_for(request, role) if role else []
    return render(request, "home.html", {"role": role, "todo": todo, "panels": panels})


def recent_audit_context(request) -> dict:
    return {"entries": AuditEntry.objects.select_related("actor")[:10]}


# The sortable columns of the audit log (yushu_gov/sorting.py).
AUDIT_COLUMNS = {"at": ("at",), "actor": ("actor_name",), "action": ("action",)}


def _audit_filter(request) -> AuditEntryFilter:
    entries = AuditEntry.objects.select_related("actor", "content_type")
    return AuditEntryFilter(request.GET, queryset=entries)


@login_required
def audit_log_list(request):
    require(request.user, "audit.view")
    filterset = _audit_filter(request)
    entries, sorting = sort_by(request, filterset.qs, AUDIT_COLUMNS)
    page = paginate(request, entries, per_page=50)
    return render(request, "audit/list.html", {"filter": filterset, "page": page, "sorting": sorting})


@login_required
def audit_log_export(request):
    """The filtered log as .xlsx (the export itself goes into the log: who, which filter, how many rows)."""
    require(request.user, "audit.view")
    entries = _audit_filter(request).qs
    total = entries.count()
    if total > AUDIT_EXPORT_MAX_ROWS:
        messages.error(
            request,
            _("符合条件的记录有 %(n)s 条，超过单次导出上限 %(max)s 条，请缩小日期范围或增加筛选条件后再导出。")
            % {"n": total, "max": AUDIT_EXPORT_MAX_ROWS},
        )
        return redirect(f"{reverse('audit_log')}?{request.GET.urlencode()}")
    rows = (
        [
            entry.at,
            entry.actor_name,
            action_label(entry.action),
            entry.content_type.name if entry.content_type_id else "",
            entry.object_repr,
            "；".join(f"{r.label}：{r.old + ' → ' if r.has_old else ''}{r.new}" for r in change_rows(entry)),
            entry.ip_address or "",
        ]
        for entry in entries.iterator(chunk_size=1000)
    )
    headers = [_("时间"), _("账号"), _("操作"), _("对象类型"), _("对象"), _("变更内容"), _("IP 地址")]
    content = build_workbook(_("审计日志"), headers, rows, column_widths=[18, 14, 24, 14, 30, 60, 16])
    filters = {name: value for name, value in request.GET.items() if name != "page"}
    audit_export(actor=request.user, what="audit", filters=filters, rows=total, request=request)
    return xlsx_response(content, _("审计日志_%(date)s.xlsx") % {"date": f"{timezone.localdate():%Y%m%d}"})
