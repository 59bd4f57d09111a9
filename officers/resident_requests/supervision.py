"""The street's hand on an overdue request that its community's officer still holds (待受理 or 办理中): 督办
(remind the officer, who sees it on his home page and in his inbox), take it over (接办: the street holds it
from now on), or transfer it to another community. Each write is atomic, locks the request, checks that it is
still overdue and still the officer's, keeps a RequestStep row and writes the audit entry in the transaction.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from yushu_gov.access.rights import can, can_view
from yushu_gov.audit.log import audit_log
from yushu_gov.security.masking import mask_text

from . import notices, rollup, services
from .models import RequestStep, ResidentRequest

S = ResidentRequest.Status
K = RequestStep.Kind

# The statuses in which the officer holds the request: the ones the street may step into once overdue.
OFFICER_HELD = (S.SUBMITTED, S.HANDLING)
ACTIONS = ("remind", "take_over", "street_transfer")


def supervision_actions(user, resident_request: ResidentRequest, now=None) -> list[str]:
    """The street's actions on the request now: all three once it is overdue in the officer's hands, else none."""
    if not can(user, "request.supervise") or resident_request.status not in OFFICER_HELD:
        return []
    return list(ACTIONS) if resident_request.is_overdue(now) else []


def reminded_q():
    """Open requests the officer holds on which the street has sent a 督办 reminder (his to-do item)."""
    return Exists(RequestStep.objects.filter(request=OuterRef("pk"), kind=K.REMINDED))


def _locked_for_street(resident_request: ResidentRequest, by) -> ResidentRequest:
    current = ResidentRequest.objects.select_for_update().get(pk=resident_request.pk)
    if not can_view(by, current) or not can(by, "request.supervise"):
        raise ValidationError(_("只有本街道的工作人员可以督办、接办或转办该诉求。"), code="scope")
    if current.status not in OFFICER_HELD:
        raise ValidationError(
            _("该诉求已不由社区民警办理（当前状态为“%(status)s”），请刷新页面。")
            % {"status": current.get_status_display()},
            code="state",
        )
    if not current.is_overdue():
        raise ValidationError(_("该诉求尚未逾期，仍由社区民警副书记办理。"), code="not_overdue")
    return current


@transaction.atomic
def request_remind(*, request: ResidentRequest, by, note: str = "") -> ResidentRequest:
    """督办: the street reminds the officer of an overdue request; he sees it on his home page and in his inbox
    until it is resolved. The request stays his."""
    current = _locked_for_street(request, by)
    note = mask_text((note or "").strip())
    step = RequestStep.objects.create(request=current, kind=K.REMINDED, at=timezone.now(), actor=by, note=note)
    audit_log(
        actor=by,
        action="resident_requests.request.reminded",
        obj=current,
        changes={"officer": [None, str(current.officer) if current.officer else None], "note": [None, note]},
    )
    notices.tell_reminded(current, step)  # the officer is told, in this transaction
    return current


@transaction.atomic
def request_take_over(*, request: ResidentRequest, by, note: str) -> ResidentRequest:
    """接办: the street takes an overdue request over from the officer and handles it from now on."""
    current = _locked_for_street(request, by)
    note = mask_text((note or "").strip())
    if not note:
        raise ValidationError({"note": _("请填写接办理由。")})
    now = timezone.now()
    old_status = current.status
    fields = ["status"]
    if current.responded_at is None:
        current.responded_at = now
        fields.append("responded_at")
    current.status = S.AT_STREET
    current.full_clean(validate_unique=False)
    with rollup.kept(current):  # the rates' roll-ups, in the same transaction
        current.save(update_fields=[*fields, "updated_at"])
    RequestStep.objects.create(
        request=current, kind=K.TAKEN_OVER, at=now, actor=by, note=note, from_community=current.community
    )
    audit_log(
        actor=by,
        action="resident_requests.request.taken_over",
        obj=current,
        changes={"status": [old_status, current.status], "note": [None, note]},
    )
    return current


@transaction.atomic
def request_street_transfer(*, request: ResidentRequest, by, note: str, to_community) -> ResidentRequest:
    """转办 by the street: it takes the overdue request over, then transfers it to another community (whose
    officer has the full deadlines from now). Two steps in the history, one transaction."""
    taken = request_take_over(request=request, by=by, note=note)
    return services.request_transfer(resident_request=taken, by=by, note=note, to_community=to_community)
