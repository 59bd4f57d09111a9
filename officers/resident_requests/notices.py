"""Who is told what about a resident's request (issue: one notification outbox). Each function is called by
the service of its step, inside the step's transaction (yushu_gov/notices/outbox.py): a step rolled back
tells nobody. The event is the step's row, so a step tells each recipient once.

The resident gets an SMS only when a phone was given with consent; the officer (his account bound to his
officer record) and the street's staff get in-app notices and the channels they chose."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.translation import gettext as _

from yushu_gov.access.roles import Role
from yushu_gov.input.labels import RESIDENT_REQUESTS
from yushu_gov.notices.outbox import notify_phone, notify_role, notify_user
from yushu_gov.notices.times import local_date

from .models import RequestStep, ResidentRequest

S = ResidentRequest.Status
TITLE = str(RESIDENT_REQUESTS)


def _resident(resident_request: ResidentRequest, step: RequestStep, *, kind: str, body: str, params: dict,
              urgent: bool = False) -> None:  # fmt: skip
    if not (resident_request.resident_phone and resident_request.contact_consent):
        return
    notify_phone(
        phone=resident_request.resident_phone,
        event=f"resident_requests.step.{step.pk}", kind=kind, title=TITLE, body=body, params=params,
        link=reverse("requests_public:track"), urgent=urgent,
    )  # fmt: skip


def _staff(resident_request: ResidentRequest, step: RequestStep, *, kind: str, body: str) -> None:
    _tell_holder(resident_request, event=f"resident_requests.step.{step.pk}", kind=kind, body=body)


def _tell_holder(resident_request: ResidentRequest, *, event: str, kind: str, body: str) -> None:
    """The holder of the request: its community's officer, or the street's staff."""
    link = reverse("requests:detail", args=[resident_request.pk])
    if resident_request.status in (S.AT_STREET, S.SUPERVISED) or resident_request.officer_id is None:
        notify_role(role=Role.STREET_STAFF, street_id=resident_request.community.street_id, event=event, kind=kind,
                    title=TITLE, body=body, link=link)  # fmt: skip
        return
    notify_user(user=_officer_user(resident_request), event=event, kind=kind, title=TITLE, body=body, link=link)


def _officer_user(resident_request: ResidentRequest):
    """The account of the officer who holds the request (None when he has none)."""
    return get_user_model().objects.filter(officer_id=resident_request.officer_id, is_active=True).first()


def tell_submitted(resident_request: ResidentRequest, step: RequestStep) -> None:
    number, code = resident_request.number, resident_request.tracking_code
    _resident(
        resident_request, step, kind="request.submitted", urgent=True, params={"code": code},
        body=_("您反映的诉求已收到，查询码 %(code)s，请妥善保存，凭此码查询进度。") % {"code": code},
    )  # fmt: skip
    _staff(resident_request, step, kind="request.new",
           body=_("新的群众诉求 %(number)s（%(category)s），请于 %(respond_by)s 前响应。") % {
               "number": number, "category": resident_request.get_category_display(),
               "respond_by": local_date(resident_request.respond_by)})  # fmt: skip


def tell_accepted(resident_request: ResidentRequest, step: RequestStep) -> None:
    params = {
        "number": resident_request.number,
        "respond_by": local_date(resident_request.respond_by),
        "resolve_by": local_date(resident_request.resolve_by),
    }
    _resident(
        resident_request, step, kind="request.accepted", params=params,
        body=_("您的诉求 %(number)s 已受理，响应期限 %(respond_by)s，办结期限 %(resolve_by)s。") % params,
    )  # fmt: skip


def tell_transferred(resident_request: ResidentRequest, step: RequestStep) -> None:
    params = {"number": resident_request.number, "to": str(resident_request.community),
              "resolve_by": local_date(resident_request.resolve_by)}  # fmt: skip
    if resident_request.status == S.AT_STREET and step.kind == RequestStep.Kind.TO_STREET:
        params["to"] = str(resident_request.community.street)
    _resident(
        resident_request, step, kind="request.transferred", params=params,
        body=_("您的诉求 %(number)s 已转至%(to)s办理，办结期限 %(resolve_by)s。") % params,
    )  # fmt: skip
    _staff(resident_request, step, kind="request.new",
           body=_("转来的群众诉求 %(number)s，请于 %(resolve_by)s 前办结。") % params)  # fmt: skip


def tell_resolved(resident_request: ResidentRequest, step: RequestStep) -> None:
    params = {"number": resident_request.number}
    if resident_request.reopened:  # the outcome of the street's supervision (督办)
        body = _("您的诉求 %(number)s 经街道督办已办结，请凭查询码查看答复。") % params
        kind = "request.supervised"
    else:
        body = _("您的诉求 %(number)s 已办结，请凭查询码查看答复并评价。") % params
        kind = "request.resolved"
    _resident(resident_request, step, kind=kind, body=body, params=params)


def tell_rated_unsatisfied(resident_request: ResidentRequest, step: RequestStep) -> None:
    """不满意: the officer who answered, and the street that supervises a reopened request."""
    body = _("群众对诉求 %(number)s 的答复评价为“不满意”。") % {"number": resident_request.number}
    event = f"resident_requests.step.{step.pk}"
    link = reverse("requests:detail", args=[resident_request.pk])
    if resident_request.officer_id:
        notify_user(
            user=_officer_user(resident_request),
            event=event,
            kind="request.unsatisfied",
            title=TITLE,
            body=body,
            link=link,
        )
    if resident_request.status == S.SUPERVISED:
        notify_role(role=Role.STREET_STAFF, street_id=resident_request.community.street_id, event=event,
                    kind="request.unsatisfied", title=TITLE, body=body, link=link)  # fmt: skip


def tell_reminded(resident_request: ResidentRequest, step: RequestStep) -> None:
    """督办 by the street: the officer who holds the overdue request is told, with the street's words."""
    body = _("街道党工委督办诉求 %(number)s，请于 %(resolve_by)s 前办结。") % {
        "number": resident_request.number,
        "resolve_by": local_date(resident_request.resolve_by),
    }
    if step.note:
        body = f"{body}{step.note}"
    _staff(resident_request, step, kind="request.reminded", body=body)


def deadline_reminders(now) -> int:
    """Periodic (yushu_gov/notices/periodic.py): each open request whose response or resolution deadline falls
    within the next 24 hours tells its holder once per deadline (the event names the deadline)."""
    soon = now + timedelta(hours=24)
    told = 0
    due = ResidentRequest.objects.open().select_related("community")
    respond = due.filter(responded_at__isnull=True, respond_by__gt=now, respond_by__lte=soon)
    resolve = due.filter(resolve_by__gt=now, resolve_by__lte=soon)
    for which, rows, field in (("respond", respond, "respond_by"), ("resolve", resolve, "resolve_by")):
        for resident_request in rows.order_by("pk"):
            deadline = getattr(resident_request, field)
            body = _("诉求 %(number)s 的%(which)s期限为 %(deadline)s，不足24小时。") % {
                "number": resident_request.number,
                "which": _("响应") if which == "respond" else _("办结"),
                "deadline": local_date(deadline),
            }
            event = f"resident_requests.due.{resident_request.pk}.{which}.{deadline:%Y%m%d%H%M}"
            _tell_holder(resident_request, event=event, kind="request.due", body=body)
            told += 1
    return told
