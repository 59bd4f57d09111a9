from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from .access import require
from .filters import AuditEntryFilter
from .home import panels_for
from .models import AuditEntry
from .pagination import paginate
from .roles import role_of


@login_required
def home(request):
    """Each role's home page: the panels the apps registered for that role (yushu_gov/home.py)."""
    role = role_of(request.user)
    panels = panels_for(request, role) if role else []
    return render(request, "home.html", {"role": role, "panels": panels})


def recent_audit_context(request) -> dict:
    return {"entries": AuditEntry.objects.select_related("actor")[:10]}


@login_required
def audit_log_list(request):
    require(request.user, "audit.view")
    entries = AuditEntry.objects.select_related("actor", "content_type")
    filterset = AuditEntryFilter(request.GET, queryset=entries)
    page = paginate(request, filterset.qs, per_page=50)
    return render(request, "audit/list.html", {"filter": filterset, "page": page})
