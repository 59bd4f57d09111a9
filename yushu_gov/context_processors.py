from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .access import can
from .roles import role_of

# The navigation: (label, url name, the right that shows it). Later capabilities add their entries.
NAVIGATION = [
    (_("首页"), "home", None),
    (_("社区与派出所"), "communities:list", "community.view"),
    (_("党员民警"), "officers:list", "officer.view"),
    (_("任职程序"), "officers:appointment_list", "appointment.view"),
    (_("覆盖情况"), "officers:coverage", "coverage.view"),
    (_("审计日志"), "audit_log", "audit.view"),
    # year-end dual reporting and dual assessment (issue 6)
    (_("双述职双考核"), "assessments:index", "assessment.view"),
]
# Monthly talks (issue 4): the compliance grid.
NAVIGATION.insert(-1, (_("谈心谈话"), "talks:grid", "talk.view"))


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "user_role": None}
    items = [
        {
            "label": label,
            "url": reverse(name),
            "active": request.resolver_match and request.resolver_match.view_name == name,
        }
        for label, name, right in NAVIGATION
        if right is None or can(user, right)
    ]
    return {"nav_items": items, "user_role": role_of(user)}
