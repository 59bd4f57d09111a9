from functools import partial

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from yushu_gov.access.rights import can
from yushu_gov.access.roles import role_of
from yushu_gov.home.todo import todo_count
from yushu_gov.input.idempotency import SESSION_KEY as SAVED_FORMS_KEY
from yushu_gov.input.labels import (
    AUDIT_LOG,
    DUAL_ASSESSMENT,
    INCIDENT_COUNT,
    MONTHLY_TALKS,
    PARTY_OFFICERS,
    RESIDENT_REQUESTS,
    WORK_LEDGER,
)
from yushu_gov.notices.inbox import unread_count

# The navigation, in the order of the programme's life cycle: (label, url name, the right that shows it).
# Each user sees the entries their role holds the right for.
NAVIGATION = [
    (_("首页"), "home", None),
    (_("社区与派出所"), "communities:list", "community.view"),
    (PARTY_OFFICERS, "officers:list", "officer.view"),
    (_("任职程序"), "officers:appointment_list", "appointment.view"),
    (_("覆盖情况"), "officers:coverage", "coverage.view"),
    (MONTHLY_TALKS, "talks:grid", "talk.view"),
    (WORK_LEDGER, "work:list", "work.view"),
    (RESIDENT_REQUESTS, "requests:list", "request.view"),
    (INCIDENT_COUNT, "communities:police_calls", "police_calls.view"),
    (_("统计分析"), "reports:dashboard", "report.view"),
    (_("年度简报"), "reports:briefing", "report.view"),
    (DUAL_ASSESSMENT, "assessments:index", "assessment.view"),
    (_("我的述职"), "assessments:mine", "assessment.submit_report"),
    (AUDIT_LOG, "audit_log", "audit.view"),
    (_("通知发送情况"), "notices:delivery", "notice.delivery"),
]


def navigation(request):
    user = getattr(request, "user", None)
    # The forms saved lately (their idempotency keys): the browser drops the drafts it kept of them (a
    # resident's request form too, without an account).
    saved = request.session.get(SAVED_FORMS_KEY, []) if hasattr(request, "session") else []
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "user_role": None, "saved_form_keys": " ".join(saved)}
    items = [
        {
            "label": label,
            "url": reverse(name),
            "active": request.resolver_match and request.resolver_match.view_name == name,
        }
        for label, name, right in NAVIGATION
        if right is None or can(user, right)
    ]
    # The to-do count is computed only if the page shows it (a template calls the partial), from the session.
    return {
        "nav_items": items,
        "user_role": role_of(user),
        "todo_count": partial(todo_count, request),
        "notice_count": partial(unread_count, request),
        "saved_form_keys": " ".join(saved),
    }
