"""Every write of a resident's request (群众诉求). Each step is atomic, locks the request, checks its state
and who holds it (the community's officer, or the street), saves the changed fields, keeps a RequestStep row
and writes the audit entry in the same transaction: two officers pressing the same button at once advance
the request once, and the second gets a message.

The resident's steps (submitting, rating) have no actor; the resident's name and phone never reach the audit
log in full (yushu_gov.security.masking.PERSONAL_FIELDS), and free text is masked before it is saved.
"""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max, Q
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from communities.models import Area
from officers.messages import PHOTO_LABEL
from officers.models import Appointment
from yushu_gov.access.rights import can_view
from yushu_gov.access.roles import role_of
from yushu_gov.audit.log import audit_log, snapshot
from yushu_gov.input.constraints import integrity_error
from yushu_gov.security.masking import mask_text

from . import notices, rollup
from .models import CategoryDeadline, RequestStep, RequestSupport, ResidentRequest, ThrottleHit
from .stages import stage_recorded
from .tracking import new_secret, parse_code

S = ResidentRequest.Status
K = RequestStep.Kind

PHOTO_COUNT_MESSAGE = gettext_lazy("最多上传3张照片。")
# The text of a request left by voice only (the description is required by the model): staff listen to it.
VOICE_LABEL = ResidentRequest._meta.get_field("voice").verbose_name
VOICE_ONLY = gettext_lazy("（语音诉求，请收听语音留言）")

# The rate limits of the public pages, kept in the database (ThrottleHit): (attempts, window) per scope.
LIMITS = {
    "submit_address": ((5, timedelta(hours=1)), (20, timedelta(days=1))),
    "submit_phone": ((3, timedelta(days=1)),),
    "lookup_address": ((30, timedelta(hours=1)),),
    # the phone-code recovery (recovery.py): codes sent per phone and per address, codes tried per address
    "code_phone": ((1, timedelta(minutes=1)), (5, timedelta(days=1))),
    "code_address": ((10, timedelta(hours=1)),),
    "code_verify_address": ((30, timedelta(hours=1)),),
}
LONGEST_WINDOW = max(window for limits in LIMITS.values() for _n, window in limits)
# A tracking code locks after this many wrong secrets for its request, for CODE_LOCK (the right code included).
CODE_FAILURES = 5
CODE_LOCK = timedelta(hours=1)

SUBMITTED_FIELDS = ["community", "officer", "category", "description", "location", "photo", "resident_name",
                    "resident_phone", "contact_consent", "status", "respond_by", "resolve_by",
                    "photo_2", "photo_3", "landmark", "public_consent", "voice_seconds"]  # fmt: skip


# ---------------------------------------------------------------- rate limits


def _throttle_key(scope: str, value: str) -> str:
    """A keyed hash of the address or the phone number: the limit is counted without storing either."""
    return salted_hmac(f"resident_requests.throttle.{scope}", value).hexdigest()


def throttle_check(scope: str, value: str | None, *, now=None) -> None:
    """Refuses the attempt when `value` (an address, a phone number) has reached a limit of `scope`."""
    if not value:
        return
    now = now or timezone.now()
    windows = LIMITS[scope]
    since = now - max(window for _n, window in windows)
    times = list(
        ThrottleHit.objects.filter(scope=scope, key=_throttle_key(scope, value), at__gte=since).values_list(
            "at", flat=True
        )
    )
    for limit, window in windows:
        if sum(1 for at in times if at >= now - window) >= limit:
            message = (
                _("该手机号码今天提交的诉求已达上限，请明天再试，或直接拨打社区民警的工作电话。")
                if scope == "submit_phone"
                else _("提交或查询过于频繁，请稍后再试。如有紧急情况，请拨打110。")
            )
            raise ValidationError(message, code="throttled")


def throttle_hit(scope: str, value: str | None, *, now=None) -> None:
    """Counts one attempt of `scope` by `value`."""
    if value:
        ThrottleHit.objects.create(scope=scope, key=_throttle_key(scope, value), at=now or timezone.now())


def throttle_purge(*, now=None) -> int:
    """Deletes the counted attempts older than the longest window: they no longer count for anything."""
    now = now or timezone.now()
    deleted, _per_model = ThrottleHit.objects.filter(at__lt=now - LONGEST_WINDOW).delete()
    return deleted


# ---------------------------------------------------------------- submitting


def area_of(community) -> Area:
    """The city or county a community lies in (its street's area), whose deadlines its requests get."""
    return Area.objects.get(streets__communities=community)


def deadlines_from(category: str, start, community) -> tuple:
    """(respond by, resolve by) for a request of `category` that reaches `community` at `start`, by the
    deadlines that apply in the community's area (issue 20)."""
    hours, days = CategoryDeadline.table(area_of(community))[category]
    return start + timedelta(hours=hours), start + timedelta(days=days)


def _serving_officer(community):
    seat = Appointment.objects.serving().filter(community=community).select_related("officer").first()
    return seat.officer if seat else None


@transaction.atomic
def request_submit(
    *, community, data: dict, photo=None, photos=(), voice=None, address: str | None = None, now=None, key: str = ""
) -> ResidentRequest:
    """A resident's request from the community's public page. `data`: a valid SubmitForm's cleaned_data;
    `photo`: the re-encoded photo (photos.clean_photo) or None, or `photos`: up to three of them;
    `voice`: (file, seconds, content type) from voice.clean_voice, or None — a request may be voice only;
    `address`: the client's address, counted for the rate limit and never stored; `key`: the form's
    idempotency key — the same form sent again returns the request it made, nothing is saved twice. The
    request goes to the community's serving officer, or to the street when the seat is vacant."""
    if key and (earlier := ResidentRequest.objects.filter(submission_key=key).first()) is not None:
        return earlier
    now = now or timezone.now()
    phone = (data.get("resident_phone") or "").strip()
    throttle_check("submit_address", address, now=now)
    throttle_check("submit_phone", phone, now=now)
    officer = _serving_officer(community)
    respond_by, resolve_by = deadlines_from(data["category"], now, community)
    resident_request = ResidentRequest(
        year=timezone.localtime(now).year,
        secret=new_secret(),
        community=community,
        officer=officer,
        category=data["category"],
        description=mask_text((data.get("description") or "").strip()) or (str(VOICE_ONLY) if voice else ""),
        location=mask_text((data.get("location") or "").strip()),
        resident_name=(data.get("resident_name") or "").strip(),
        resident_phone=phone,
        contact_consent=bool(data.get("contact_consent")),
        public_consent=bool(data.get("public_consent")),
        status=S.SUBMITTED if officer is not None else S.AT_STREET,
        submitted_at=now,
        respond_by=respond_by,
        resolve_by=resolve_by,
        latitude=data.get("latitude"),
        longitude=data.get("longitude"),
        landmark=data.get("landmark"),
        submission_key=key,
    )
    if resident_request.landmark is not None and resident_request.landmark.community_id != community.pk:
        raise ValidationError({"landmark": _("请选择本社区的地标或小区。")})
    photos = [photo] if photo is not None else list(photos)
    if len(photos) > len(ResidentRequest.PHOTO_FIELDS):
        raise ValidationError({"photo": PHOTO_COUNT_MESSAGE})
    # Every rule but the number's, before the photo is written: a refused request leaves no file behind.
    resident_request.full_clean(exclude=["serial"], validate_unique=False)
    for name, content in zip(ResidentRequest.PHOTO_FIELDS, photos, strict=False):
        getattr(resident_request, name).save("photo.jpg", content, save=False)
    if voice is not None:
        content, resident_request.voice_seconds, resident_request.voice_type = voice
        resident_request.voice.save(content.name, content, save=False)
    for attempt in range(5):
        last = ResidentRequest.objects.filter(year=resident_request.year).aggregate(last=Max("serial"))["last"]
        resident_request.serial = (last or 0) + 1
        try:
            with transaction.atomic(), rollup.kept(resident_request):
                resident_request.save()
        except IntegrityError as exc:  # another resident took the number at the same moment
            if key and (earlier := ResidentRequest.objects.filter(submission_key=key).first()) is not None:
                return earlier  # the same form, sent twice at the same moment
            if attempt == 4:
                raise integrity_error(exc, resident_request) from exc
            resident_request.pk = None
            continue
        break
    step = RequestStep.objects.create(
        request=resident_request,
        kind=K.SUBMITTED if officer is not None else K.TO_STREET,
        at=now,
        note="" if officer is not None else _("社区暂无在任的党员民警副书记，由街道办理。"),
        to_community=community,
    )
    throttle_hit("submit_address", address, now=now)
    throttle_hit("submit_phone", phone, now=now)
    audit_log(
        actor=None,
        action="resident_requests.request.submitted",
        obj=resident_request,
        changes={name: [None, value] for name, value in snapshot(resident_request, SUBMITTED_FIELDS).items()},
    )
    stage_recorded(resident_request.pk)
    notices.tell_submitted(resident_request, step)
    return resident_request


# ---------------------------------------------------------------- the officer's and the street's steps


def _lock(resident_request: ResidentRequest) -> ResidentRequest:
    return ResidentRequest.objects.select_for_update().get(pk=resident_request.pk)


def _check(current: ResidentRequest, step: str, by) -> None:
    if not can_view(by, current):
        raise ValidationError(_("该诉求不在您的办理范围内。"), code="scope")
    if current.status not in ResidentRequest.STEP_STARTS[step]:
        raise ValidationError(
            _("该诉求当前状态为“%(status)s”，不能办理此步骤（可能已由他人办理，请刷新页面）。")
            % {"status": current.get_status_display()},
            code="state",
        )
    if role_of(by) != current.holder:
        raise ValidationError(_("该诉求当前由%(holder)s办理。") % {"holder": current.holder.label}, code="holder")


def _responded(current: ResidentRequest, now) -> list[str]:
    """The first action on a request is its response (响应): accepting, transferring, a note or the reply."""
    if current.responded_at is None:
        current.responded_at = now
        return ["responded_at"]
    return []


def _save(current: ResidentRequest, fields: list[str]) -> None:
    current.full_clean(validate_unique=False)
    try:
        with transaction.atomic(), rollup.kept(current):  # the rates' roll-ups, in the same transaction
            current.save(update_fields=[*fields, "updated_at"])
    except IntegrityError as exc:
        raise integrity_error(exc, current) from exc


def _check_work_record(work_record, current: ResidentRequest, by) -> None:
    if work_record is not None and (work_record.community_id != current.community_id or not can_view(by, work_record)):
        raise ValidationError({"work_record": _("只能关联本社区的工作台账记录。")})


@transaction.atomic
def request_accept(*, resident_request: ResidentRequest, by, note: str = "") -> ResidentRequest:
    """受理: the officer takes the request on. In time when before its response deadline."""
    current = _lock(resident_request)
    _check(current, "accept", by)
    now = timezone.now()
    fields = _responded(current, now)
    current.status, current.accepted_at, current.accepted_by = S.HANDLING, now, by
    _save(current, [*fields, "status", "accepted_at", "accepted_by"])
    step = RequestStep.objects.create(request=current, kind=K.ACCEPTED, at=now, actor=by, note=mask_text(note.strip()))
    audit_log(
        actor=by,
        action="resident_requests.request.accepted",
        obj=current,
        changes={
            "status": [S.SUBMITTED.value, S.HANDLING.value],
            "in_time": current.responded_at <= current.respond_by,
        },
    )
    stage_recorded(current.pk)
    notices.tell_accepted(current, step)
    return current


@transaction.atomic
def request_note(*, resident_request: ResidentRequest, by, note: str, work_record=None) -> ResidentRequest:
    """办理: what was done, possibly with the work record that holds it."""
    current = _lock(resident_request)
    _check(current, "note", by)
    note = mask_text((note or "").strip())
    if not note:
        raise ValidationError({"note": _("请填写办理情况。")})
    _check_work_record(work_record, current, by)
    now = timezone.now()
    fields = _responded(current, now)
    if fields:
        _save(current, fields)
    RequestStep.objects.create(request=current, kind=K.NOTE, at=now, actor=by, note=note, work_record=work_record)
    audit_log(
        actor=by,
        action="resident_requests.request.noted",
        obj=current,
        changes={"note": [None, note], "work_record": [None, str(work_record) if work_record else None]},
    )
    stage_recorded(current.pk)
    return current


@transaction.atomic
def request_transfer(
    *, resident_request: ResidentRequest, by, note: str, to_community=None, to_street: bool = False
) -> ResidentRequest:
    """转办: to another community (whose officer then has the full deadlines from now), or to the street."""
    current = _lock(resident_request)
    _check(current, "transfer", by)
    note = mask_text((note or "").strip())
    if not note:
        raise ValidationError({"note": _("请填写转办理由。")})
    now = timezone.now()
    old = {"status": current.status, "community": str(current.community)}
    if to_street:
        if current.status == S.AT_STREET:
            raise ValidationError(_("该诉求已在街道办理。"))
        fields = [*_responded(current, now), "status"]
        current.status = S.AT_STREET
        _save(current, fields)
        step = RequestStep(request=current, kind=K.TO_STREET, from_community=current.community)
    else:
        if to_community is None or to_community.pk == current.community_id:
            raise ValidationError({"community": _("请选择另一个社区。")})
        officer = _serving_officer(to_community)
        from_community = current.community
        current.community, current.officer = to_community, officer
        current.status = S.SUBMITTED if officer is not None else S.AT_STREET
        current.respond_by, current.resolve_by = deadlines_from(current.category, now, to_community)
        current.responded_at = current.accepted_at = current.accepted_by = None
        fields = ["community", "officer", "status", "respond_by", "resolve_by", "responded_at", "accepted_at"]
        _save(current, [*fields, "accepted_by"])
        step = RequestStep(
            request=current, kind=K.TRANSFERRED, from_community=from_community, to_community=to_community
        )
    step.at, step.actor, step.note = now, by, note
    step.save()
    audit_log(
        actor=by,
        action="resident_requests.request.transferred",
        obj=current,
        changes={
            "status": [old["status"], current.status],
            "community": [old["community"], str(current.community)],
            "note": [None, note],
        },
    )
    stage_recorded(current.pk)
    notices.tell_transferred(current, step)
    return current


@transaction.atomic
def request_resolve(*, resident_request: ResidentRequest, by, reply: str, work_record=None) -> ResidentRequest:
    """办结: the reply to the resident, which the status page shows."""
    current = _lock(resident_request)
    _check(current, "resolve", by)
    _check_work_record(work_record, current, by)
    now = timezone.now()
    old_status = current.status
    fields = _responded(current, now)
    current.status, current.resolved_at, current.resolved_by = S.RESOLVED, now, by
    current.reply = mask_text((reply or "").strip())
    _save(current, [*fields, "status", "resolved_at", "resolved_by", "reply"])
    step = RequestStep.objects.create(
        request=current, kind=K.RESOLVED, at=now, actor=by, note=current.reply, work_record=work_record
    )
    audit_log(
        actor=by,
        action="resident_requests.request.resolved",
        obj=current,
        changes={"status": [old_status, S.RESOLVED.value], "reply": [None, current.reply]},
    )
    stage_recorded(current.pk)
    notices.tell_resolved(current, step)
    return current


# ---------------------------------------------------------------- the resident's rating


@transaction.atomic
def request_rate(*, resident_request: ResidentRequest, rating: str, comment: str = "") -> ResidentRequest:
    """评价, by the resident with the tracking code. 不满意 reopens the request once, at the street, as
    supervision (督办) with a new resolve deadline; any other rating, or a second 不满意, closes it."""
    current = _lock(resident_request)
    if current.status not in ResidentRequest.STEP_STARTS["rate"]:
        raise ValidationError(_("该诉求当前不能评价（尚未办结，或已经评价）。"), code="state")
    if rating not in ResidentRequest.Rating.values:
        raise ValidationError({"rating": _("请选择评价。")})
    now = timezone.now()
    current.rating, current.rating_comment, current.rated_at = rating, mask_text((comment or "").strip()), now
    fields = ["rating", "rating_comment", "rated_at", "status"]
    reopen = rating == ResidentRequest.Rating.UNSATISFIED and not current.reopened
    if reopen:
        current.status, current.reopened = S.SUPERVISED, True
        days = CategoryDeadline.table(area_of(current.community_id))[current.category][1]
        current.resolve_by = now + timedelta(days=days)
        current.resolved_at = current.resolved_by = None
        current.reply = ""
        fields += ["reopened", "resolve_by", "resolved_at", "resolved_by", "reply"]
    else:
        current.status, current.closed_at = S.CLOSED, now
        fields.append("closed_at")
    _save(current, fields)
    rated = RequestStep.objects.create(request=current, kind=K.RATED, at=now, note=current.get_rating_display())
    if reopen:
        RequestStep.objects.create(request=current, kind=K.REOPENED, at=now)
    audit_log(
        actor=None,
        action="resident_requests.request.reopened" if reopen else "resident_requests.request.rated",
        obj=current,
        changes={"rating": [None, rating], "status": [S.RESOLVED.value, current.status]},
    )
    stage_recorded(current.pk)
    if rating == ResidentRequest.Rating.UNSATISFIED:
        notices.tell_rated_unsatisfied(current, rated)
    return current


def request_find(code: str, *, address: str | None = None, now=None) -> ResidentRequest | None:
    """The request a tracking code names, or None. Every lookup counts toward the address's limit, and
    CODE_FAILURES wrong secrets for one request lock its code for CODE_LOCK whatever the address, so that the
    secret cannot be guessed by trying (ValidationError once a limit is reached or while the code is locked)."""
    throttle_check("lookup_address", address)
    throttle_hit("lookup_address", address)
    parsed = parse_code(code)
    if parsed is None:
        return None
    year, serial, secret = parsed
    now = now or timezone.now()
    with transaction.atomic():
        found = ResidentRequest.objects.select_for_update().filter(year=year, serial=serial).first()
        if found is None:
            return None
        if found.code_locked_until is not None and found.code_locked_until > now:
            raise ValidationError(_("该查询码输入错误次数过多，已暂时锁定，请1小时后再试。"), code="locked")
        if constant_time_compare(found.secret, secret):
            if found.code_failures:
                found.code_failures = 0
                found.save(update_fields=["code_failures"])
            return ResidentRequest.objects.select_related("community__street").get(pk=found.pk)
        found.code_failures += 1
        if found.code_failures >= CODE_FAILURES:
            found.code_failures, found.code_locked_until = 0, now + CODE_LOCK
            audit_log(
                actor=None,
                action="resident_requests.request.code_locked",
                obj=found,
                changes={"code_locked_until": [None, found.code_locked_until]},
            )
        found.save(update_fields=["code_failures", "code_locked_until"])
    return None


# ---------------------------------------------------------------- the city administrator's deadlines


@transaction.atomic
def deadlines_update(*, values: dict, by, area=None) -> int:
    """Each category's deadlines at `area`'s level (None: the deployment's default), {category: (respond hours,
    resolve days)}, for the requests that reach a community there from now on (a request keeps the deadlines it
    was given). A category whose values are those the level inherits gets no row of its own (it keeps
    inheriting); a changed one does. Returns how many categories changed."""
    inherited = CategoryDeadline.table(area)
    changed = 0
    for category, (respond_hours, resolve_days) in values.items():
        row = CategoryDeadline.objects.select_for_update().filter(category=category, area=area).first()
        if row is None and (respond_hours, resolve_days) == inherited[category]:
            continue  # nothing set at this level: it keeps inheriting
        row = row or CategoryDeadline(category=category, area=area)
        # A new row changes the values the level inherited until now.
        before = (
            snapshot(row, ["respond_hours", "resolve_days"])
            if row.pk
            else dict(zip(["respond_hours", "resolve_days"], inherited[category], strict=True))
        )
        row.respond_hours, row.resolve_days = respond_hours, resolve_days
        row.full_clean()
        after = snapshot(row, ["respond_hours", "resolve_days"])
        changes = {name: [before[name], value] for name, value in after.items() if before[name] != value}
        if changes:
            if row.pk is None and area is not None:
                changes["area"] = [None, str(area)]
            row.save()
            audit_log(actor=by, action="resident_requests.deadline.changed", obj=row, changes=changes)
            changed += 1
    return changed


@transaction.atomic
def deadline_reset(*, category: str, area, by) -> None:
    """恢复继承: `area`'s level gives up its deadlines of the category and inherits those above again (requests
    that have arrived keep theirs)."""
    row = CategoryDeadline.objects.select_for_update().filter(category=category, area=area).first()
    if area is None or row is None:
        raise ValidationError(_("本级没有单独设置该类别的办理时限。"))
    audit_log(
        actor=by,
        action="resident_requests.deadline.reset",
        obj=row,
        changes={name: [value, None] for name, value in snapshot(row, ["respond_hours", "resolve_days"]).items()},
    )
    row.delete()


# ---------------------------------------------------------------- "我也遇到了"


@transaction.atomic
def request_support(*, resident_request: ResidentRequest, session_key: str) -> ResidentRequest:
    """ "我也遇到了": a resident who met the same problem adds himself to an open request instead of filing a
    new one; once per browser session (a keyed hash of it is kept, nothing else). The staff see the count."""
    current = ResidentRequest.objects.select_for_update().get(pk=resident_request.pk)
    if not current.is_open:
        raise ValidationError(_("该诉求已经办结，请提交新的诉求。"), code="state")
    key = salted_hmac("resident_requests.support", session_key).hexdigest()
    try:
        with transaction.atomic():
            RequestSupport.objects.create(request=current, key=key)
    except IntegrityError as exc:
        raise integrity_error(exc, RequestSupport(request=current, key=key)) from exc
    current.supporter_count = F("supporter_count") + 1
    current.save(update_fields=["supporter_count"])
    current.refresh_from_db(fields=["supporter_count"])
    audit_log(
        actor=None,
        action="resident_requests.request.supported",
        obj=current,
        changes={"supporter_count": [current.supporter_count - 1, current.supporter_count]},
    )
    return current


# ---------------------------------------------------------------- erasing the resident's personal data


def erasable(*, now=None, days: int | None = None):
    """Requests that still hold the resident's name, phone or photo and were closed (rated) or resolved
    (never rated) more than `days` ago (settings.RESIDENT_REQUEST_RETENTION_DAYS, 180 by default)."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.RESIDENT_REQUEST_RETENTION_DAYS if days is None else days)
    ended = Q(status=S.CLOSED, closed_at__lt=cutoff) | Q(status=S.RESOLVED, resolved_at__lt=cutoff)
    return ResidentRequest.objects.holding_personal_data().filter(ended, personal_data_erased_at__isnull=True)


def personal_data_erase(*, now=None, days: int | None = None) -> int:
    """Erases the name, phone and photo of every erasable request, each in its own transaction with an audit
    entry; the photo file is deleted once the transaction commits. Returns how many were erased."""
    now = now or timezone.now()
    erased = 0
    for pk in list(erasable(now=now, days=days).values_list("pk", flat=True)):
        with transaction.atomic():
            current = ResidentRequest.objects.select_for_update().get(pk=pk)
            if not erasable(now=now, days=days).filter(pk=pk).exists():
                continue  # rated or reopened meanwhile
            before = snapshot(current, ["resident_name", "resident_phone"])
            files = [getattr(current, name).name for name in ResidentRequest.PHOTO_FIELDS if getattr(current, name)]
            photo_name = files[0] if files else ""
            voice_name = current.voice.name if current.voice else ""
            had_position = current.latitude is not None
            current.resident_name = current.resident_phone = ""
            for name in ResidentRequest.PHOTO_FIELDS:
                setattr(current, name, "")
            current.latitude = current.longitude = None
            current.voice = ""
            current.personal_data_erased_at = now
            erased_fields = ["resident_name", "resident_phone", *ResidentRequest.PHOTO_FIELDS, "latitude", "longitude"]
            current.save(update_fields=[*erased_fields, "voice", "personal_data_erased_at"])
            storage = current.photo.storage
            for file_name in [*files, voice_name] if voice_name else files:
                transaction.on_commit(lambda name=file_name, storage=storage: storage.delete(name))
            audit_log(
                actor=None,
                action="resident_requests.request.personal_data_erased",
                obj=current,
                changes={
                    **{name: [value, ""] for name, value in before.items() if value},
                    **({"photo": [str(PHOTO_LABEL), ""]} if photo_name else {}),
                    **({"photos": [len(files), 0]} if len(files) > 1 else {}),
                    **({"position": [_("位置"), ""]} if had_position else {}),
                    **(
                        {"voice": [str(ResidentRequest._meta.get_field("voice").verbose_name), ""]}
                        if voice_name
                        else {}
                    ),
                    "retention_days": settings.RESIDENT_REQUEST_RETENTION_DAYS if days is None else days,
                },
            )
            erased += 1
    return erased
