"""Residents' requests (群众诉求): a resident reports a problem from the community's public page, without an
account; the community's police deputy secretary accepts it (受理), handles it (办理), moves it to another
community or to the street when it is not his (转办), and resolves it with a reply (办结); the resident
follows it and rates it (评价) with the tracking code. A 不满意 reopens it once, at the street, as
supervision (督办). Every step keeps a `RequestStep` row and an audit entry (services.py).

The deadlines of a category (respond, resolve) are the city administrator's (`CategoryDeadline`) and are
copied onto each request when it reaches a community, so that changing them never moves a past deadline.
"""

import uuid
from datetime import timedelta

from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from communities.messages import AREA_LABEL, COMMUNITY_LABEL, SORT_ORDER, UPDATED_AT
from communities.models import AreaMonth, Community, month_key_constraints
from communities.settings_tree import chain_ids, pick
from officers.messages import (
    ANNUAL_YEAR,
    HANDLED_BY,
    IN_PROGRESS_LABEL,
    OTHER_LABEL,
    PERSONAL_DATA_ERASED_AT,
    PHOTO_LABEL,
    RESOLVED_LABEL,
    SERIAL_NUMBER,
    STEP_LABEL,
)
from officers.models import Appointment, Officer
from officers.resident_requests.messages import (
    ACCEPT_ACTION,
    CATEGORY_LABEL,
    PENDING_LABEL,
    RATING_LABEL,
    REPLY_LABEL,
    REQUEST_CATEGORY,
    REQUEST_CONTENT,
    RESOLUTION_DUE,
    RESOLVE_ACTION,
    RESOLVED_AT,
    RESPONDED_AT,
    RESPONSE_DUE,
    RESPONSIBLE_OFFICER,
    STREET_HANDLING,
    SUPERVISED_LABEL,
    TRANSFER_TO_COMMUNITY,
)
from yushu_gov.access.rights import scoped
from yushu_gov.access.roles import Role
from yushu_gov.input.constraints import ConstraintFields
from yushu_gov.input.labels import (
    EXPIRES_AT,
    KIND_LABEL,
    NAME_OF_THING,
    NOTE_LABEL,
    PERSON_NAME,
    RESIDENT_REQUESTS,
    STATUS_LABEL,
    SUBMITTED_AT,
    TIME_LABEL,
)
from yushu_gov.input.validators import validate_mobile
from yushu_gov.security.crypto import lookup_hashes
from yushu_gov.security.fields import EncryptedCharField, HashCompanions
from yushu_gov.security.masking import mask_mobile

from .tracking import CROCKFORD, SECRET_LENGTH, format_secret

LANDMARK = _("地标或小区")
SUPPORT = _("我也遇到了")


class Category(models.TextChoices):
    SECURITY = "security", _("治安")
    DISPUTE = "dispute", _("矛盾纠纷")
    HARDSHIP = "hardship", _("生活困难")
    FACILITY = "facility", _("设施")
    OTHER = "other", OTHER_LABEL


DEFAULT_RESPOND_HOURS = 24
DEFAULT_RESOLVE_DAYS = 7


class CategoryDeadline(ConstraintFields, models.Model):
    """The deadlines of one category, set by an administrator for his level of the organisation tree (issue
    20): a level's row applies to its area and below unless a lower level sets its own; the row with no area is
    the deployment's default; a category without any row has the defaults (respond 24 h, resolve 7 days)."""

    category = models.CharField(REQUEST_CATEGORY, max_length=20, choices=Category.choices)
    area = models.ForeignKey(
        "communities.Area",
        verbose_name=AREA_LABEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="request_deadlines",
        help_text=_("设置该时限的层级；空表示系统默认。"),
    )
    respond_hours = models.PositiveSmallIntegerField(
        _("响应时限（小时）"), default=DEFAULT_RESPOND_HOURS, help_text=_("诉求到达社区后，须在此时限内受理或转办。")
    )
    resolve_days = models.PositiveSmallIntegerField(
        _("办结时限（天）"), default=DEFAULT_RESOLVE_DAYS, help_text=_("诉求到达社区后，须在此时限内办结答复。")
    )
    updated_at = models.DateTimeField(UPDATED_AT, auto_now=True)

    CONSTRAINT_FIELDS = {
        "deadline_respond_hours_1_to_168": "respond_hours",
        "deadline_resolve_days_1_to_90": "resolve_days",
        "deadline_resolve_not_before_respond": "resolve_days",
    }

    class Meta:
        verbose_name = verbose_name_plural = _("诉求办理时限")
        ordering = ["category"]
        constraints = [
            models.UniqueConstraint(
                fields=["category"],
                condition=Q(area__isnull=True),
                name="one_default_deadline_per_category",
                violation_error_message=_("该类别已有系统默认的办理时限。"),
            ),
            models.UniqueConstraint(
                fields=["category", "area"],
                name="one_deadline_per_category_and_area",
                violation_error_message=_("该层级已设置该类别的办理时限。"),
            ),
            models.CheckConstraint(
                condition=Q(respond_hours__gte=1, respond_hours__lte=168),
                name="deadline_respond_hours_1_to_168",
                violation_error_message=_("响应时限须在1至168小时之间。"),
            ),
            models.CheckConstraint(
                condition=Q(resolve_days__gte=1, resolve_days__lte=90),
                name="deadline_resolve_days_1_to_90",
                violation_error_message=_("办结时限须在1至90天之间。"),
            ),
            models.CheckConstraint(
                condition=Q(respond_hours__lte=F("resolve_days") * 24),
                name="deadline_resolve_not_before_respond",
                violation_error_message=_("办结时限不能短于响应时限。"),
            ),
        ]

    def __str__(self):
        return _("%(category)s：%(hours)s小时 / %(days)s天") % {
            "category": self.get_category_display(),
            "hours": self.respond_hours,
            "days": self.resolve_days,
        }

    @classmethod
    def applying(cls, area) -> dict[str, "CategoryDeadline | None"]:
        """{category: the row that applies in `area` (None: the deployment), or None} for every category: the
        nearest level's at or above the area, else the default row (communities/settings_tree.py). One query."""
        rows = list(cls.objects.filter(Q(area__isnull=True) | Q(area_id__in=chain_ids(area))).select_related("area"))
        path = area.path if area is not None else None
        return {value: pick([r for r in rows if r.category == value], path) for value in Category.values}

    @classmethod
    def table(cls, area=None) -> dict[str, tuple[int, int]]:
        """{category: (respond hours, resolve days)} for every category in `area`, the defaults where no row
        applies (1 query)."""
        return {
            value: (row.respond_hours, row.resolve_days) if row else (DEFAULT_RESPOND_HOURS, DEFAULT_RESOLVE_DAYS)
            for value, row in cls.applying(area).items()
        }


def photo_upload_to(instance, filename: str) -> str:
    """Under MEDIA_ROOT/private/ with a random name: served only through the application, to users in scope
    (the resident's name for the file, and the file's own metadata, are dropped: see photos.py)."""
    return f"private/requests/{instance.year}/{uuid.uuid4().hex}.jpg"


def voice_upload_to(instance, filename: str) -> str:
    """Like the photos: private, a random name, the kind the content was found to be (voice.py)."""
    suffix = filename.rsplit(".", 1)[-1] if filename.rsplit(".", 1)[-1] in ("webm", "ogg", "mp4") else "bin"
    return f"private/requests/{instance.year}/{uuid.uuid4().hex}.{suffix}"


# The tracking code: YS-2026-000123-7KQF-M2XD, a serial per year and a secret of 40 bits (tracking.py).
SECRET_ALPHABET = CROCKFORD


class ResidentRequestQuerySet(models.QuerySet):
    def visible_to(self, user):
        """City administrators and the bureau see every request; street staff those of their street's
        communities; station leaders those handled by their station's officers; a police deputy secretary
        those of the community he serves now (ending the appointment ends it)."""
        return scoped(
            self,
            user,
            street=lambda streets: Q(community__street_id__in=streets),
            station=lambda station_id: Q(officer__station_id=station_id),
            officer=lambda officer_id: Q(
                Exists(
                    Appointment.objects.serving().filter(officer_id=officer_id, community_id=OuterRef("community_id"))
                )
            ),
            distinct=False,  # foreign keys and EXISTS: no request comes twice
        )

    def open(self):
        return self.filter(status__in=ResidentRequest.OPEN)

    def resolved(self):
        """Resolved with a reply to the resident (rated or not)."""
        return self.filter(status__in=ResidentRequest.DONE)

    def overdue(self, now=None):
        """Open requests past a deadline: not responded to in time, or not resolved in time."""
        now = now or timezone.now()
        late = (Q(responded_at__isnull=True) & Q(respond_by__lt=now)) | Q(resolve_by__lt=now)
        return self.open().filter(late)

    def for_list(self):
        return self.select_related("community__street", "officer")

    def with_phone(self, phone: str):
        """The requests that left this phone number, found by its keyed hash (the number itself is encrypted)."""
        return self.filter(resident_phone_hash__in=lookup_hashes(phone, context=PHONE_CONTEXT))

    def public_resolved(self, *, now=None, days: int = 90):
        """The resolved requests of the last `days` days whose resident ticked "可以公开": what a community's
        page lists (the category, the text, the answer and the dates only), latest first."""
        now = now or timezone.now()
        return self.filter(
            status__in=ResidentRequest.DONE, public_consent=True, resolved_at__gte=now - timedelta(days=days)
        ).order_by("-resolved_at", "-id")

    def holding_personal_data(self):
        """Requests that still hold the resident's name, phone or photo."""
        return self.filter(
            ~Q(resident_name_hash="")
            | ~Q(resident_phone_hash="")
            | ~Q(photo="")
            | ~Q(photo_2="")
            | ~Q(photo_3="")
            | ~Q(voice="")
        )


PHONE_CONTEXT = "resident_requests.residentrequest.resident_phone"


class ResidentRequest(HashCompanions, ConstraintFields, models.Model):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", PENDING_LABEL
        HANDLING = "handling", IN_PROGRESS_LABEL
        AT_STREET = "at_street", STREET_HANDLING
        SUPERVISED = "supervised", _("街道督办")
        RESOLVED = "resolved", RESOLVED_LABEL
        CLOSED = "closed", _("已评价")

    class Rating(models.TextChoices):
        SATISFIED = "satisfied", _("满意")
        BASIC = "basic", _("基本满意")
        UNSATISFIED = "unsatisfied", _("不满意")

    OPEN = ("submitted", "handling", "at_street", "supervised")
    DONE = ("resolved", "closed")
    SATISFIED_RATINGS = ("satisfied", "basic")
    # Who holds an open request: the community's officer, or the street (transferred to it, or supervising).
    HOLDER = {
        "submitted": Role.OFFICER,
        "handling": Role.OFFICER,
        "at_street": Role.STREET_STAFF,
        "supervised": Role.STREET_STAFF,
    }
    # The statuses each step starts from: the one table the services and the pages read.
    STEP_STARTS = {
        "accept": ("submitted",),
        "note": ("handling", "at_street", "supervised"),
        "transfer": ("submitted", "handling", "at_street"),
        "resolve": ("handling", "at_street", "supervised"),
        "rate": ("resolved",),
    }

    year = models.PositiveSmallIntegerField(ANNUAL_YEAR)
    serial = models.PositiveIntegerField(SERIAL_NUMBER)
    secret = models.CharField(_("查询密码"), max_length=SECRET_LENGTH, editable=False)
    code_failures = models.PositiveSmallIntegerField(_("查询码连续错误次数"), default=0, editable=False)
    code_locked_until = models.DateTimeField(_("查询码锁定至"), null=True, blank=True, editable=False)
    community = models.ForeignKey(
        Community, verbose_name=COMMUNITY_LABEL, on_delete=models.PROTECT, related_name="resident_requests"
    )
    officer = models.ForeignKey(
        Officer,
        verbose_name=RESPONSIBLE_OFFICER,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="resident_requests",
        help_text=_("诉求到达社区时在任的党员民警副书记；社区暂无副书记时由街道办理。"),
    )
    category = models.CharField(REQUEST_CATEGORY, max_length=20, choices=Category.choices)
    description = models.TextField(REQUEST_CONTENT, max_length=1000)
    location = models.CharField(_("地点（社区内）"), max_length=100, blank=True)
    photo = models.ImageField(PHOTO_LABEL, upload_to=photo_upload_to, blank=True, max_length=200)
    # Up to three photos: the first in `photo`, the others here (PHOTO_FIELDS), each re-encoded by photos.py.
    photo_2 = models.ImageField(_("照片2"), upload_to=photo_upload_to, blank=True, max_length=200)
    photo_3 = models.ImageField(_("照片3"), upload_to=photo_upload_to, blank=True, max_length=200)
    # A voice message (voice.py: checked by content, at most 60 s), for residents who do not write Chinese.
    voice = models.FileField(_("语音"), upload_to=voice_upload_to, blank=True, max_length=200)
    voice_seconds = models.PositiveSmallIntegerField(_("语音时长（秒）"), null=True, blank=True)
    voice_type = models.CharField(_("语音格式"), max_length=20, blank=True)
    # The place: the phone's position when the resident chose "use my location" (WGS-84, as the phone gives
    # it), or a landmark of the community's list, or the free text of `location`.
    latitude = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("经度"), max_digits=9, decimal_places=6, null=True, blank=True)
    # "可以公开": the resident agrees that the request (category, text, the answer and the dates; never a name,
    # phone, photo, voice or place) is listed on the community's page once resolved. Named for the Open311 API.
    public_consent = models.BooleanField(_("可以公开"), default=False)
    supporter_count = models.PositiveIntegerField(SUPPORT, default=0, help_text=_("其他居民表示遇到同样问题的人数。"))
    # The form's idempotency key (yushu_gov/input/idempotency.py): a form sent again (a retry after a dropped
    # connection, a draft sent once the network is back) finds its request instead of making a second one.
    submission_key = models.CharField(_("诉求表单标识"), max_length=32, blank=True, default="", editable=False)
    landmark = models.ForeignKey(
        "Landmark", verbose_name=LANDMARK, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The resident's name and phone are encrypted at rest (SM4-GCM) like the officers' numbers; their keyed
    # hashes (HMAC-SM3) find a request by phone (`with_phone`) and tell an empty value from a kept one.
    resident_name_hash = models.CharField(_("姓名（密钥哈希）"), max_length=64, blank=True, editable=False)
    resident_phone_hash = models.CharField(
        _("联系电话（密钥哈希）"), max_length=64, blank=True, editable=False, db_index=True
    )
    resident_name = EncryptedCharField(PERSON_NAME, max_length=30, blank=True, hash_field="resident_name_hash")
    resident_phone = EncryptedCharField(
        _("联系电话"), max_length=11, blank=True, validators=[validate_mobile], hash_field="resident_phone_hash"
    )
    contact_consent = models.BooleanField(_("同意按告知使用联系方式"), default=False)
    status = models.CharField(STATUS_LABEL, max_length=20, choices=Status.choices, default=Status.SUBMITTED)
    submitted_at = models.DateTimeField(SUBMITTED_AT, db_index=True)
    respond_by = models.DateTimeField(RESPONSE_DUE)
    resolve_by = models.DateTimeField(RESOLUTION_DUE)
    responded_at = models.DateTimeField(RESPONDED_AT, null=True, blank=True)
    accepted_at = models.DateTimeField(_("受理时间"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        "yushu_gov.User", verbose_name=_("受理人"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    resolved_at = models.DateTimeField(RESOLVED_AT, null=True, blank=True)
    resolved_by = models.ForeignKey(
        "yushu_gov.User", verbose_name=_("办结人"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reply = models.TextField(REPLY_LABEL, max_length=1000, blank=True)
    rating = models.CharField(RATING_LABEL, max_length=20, choices=Rating.choices, blank=True)
    rating_comment = models.CharField(_("评价意见"), max_length=300, blank=True)
    rated_at = models.DateTimeField(_("评价时间"), null=True, blank=True)
    reopened = models.BooleanField(SUPERVISED_LABEL, default=False, help_text=_("不满意的诉求只重新开启一次。"))
    closed_at = models.DateTimeField(_("结案时间"), null=True, blank=True)
    personal_data_erased_at = models.DateTimeField(PERSONAL_DATA_ERASED_AT, null=True, blank=True)
    updated_at = models.DateTimeField(UPDATED_AT, auto_now=True)

    objects = ResidentRequestQuerySet.as_manager()

    PHOTO_FIELDS = ("photo", "photo_2", "photo_3")  # erased with the name and phone (services.py)

    CONSTRAINT_FIELDS = {
        "resident_request_position_complete": "latitude",
        "resident_request_phone_needs_consent": "contact_consent",
        "resident_request_resolved_has_reply": "reply",
        "resident_request_closed_has_rating": "rating",
    }

    class Meta:
        verbose_name = verbose_name_plural = RESIDENT_REQUESTS
        ordering = ["-submitted_at", "-id"]
        indexes = [
            models.Index(fields=["community", "submitted_at"], name="request_community_submitted"),
            models.Index(fields=["status", "resolve_by"], name="request_status_resolve_by"),
            models.Index(fields=["submitted_at", "id"], name="request_submitted_id"),  # the list, newest first
            # The open requests of a period (the rates' counts that depend on the hour: rollup.py).
            models.Index(
                fields=["submitted_at"], condition=~Q(status__in=("resolved", "closed")), name="request_open_submitted"
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["submission_key"],
                condition=~Q(submission_key=""),
                name="resident_request_one_per_form_key",
                violation_error_message=_("该诉求已经提交过。"),
            ),
            models.UniqueConstraint(
                fields=["year", "serial"],
                name="resident_request_unique_number",
                violation_error_message=_("诉求编号已被使用，请重新提交。"),
            ),
            models.CheckConstraint(
                condition=(Q(latitude__isnull=True) & Q(longitude__isnull=True))
                | Q(
                    latitude__isnull=False,
                    longitude__isnull=False,
                    latitude__gte=-90,
                    latitude__lte=90,
                    longitude__gte=-180,
                    longitude__lte=180,
                ),
                name="resident_request_position_complete",
                violation_error_message=_("位置须同时有纬度和经度，且在有效范围内。"),
            ),
            models.CheckConstraint(
                condition=Q(resident_phone_hash="") | Q(contact_consent=True),
                name="resident_request_phone_needs_consent",
                violation_error_message=_("留下联系电话，须先阅读并同意个人信息告知。"),
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["resolved", "closed"]) | (Q(resolved_at__isnull=False) & ~Q(reply="")),
                name="resident_request_resolved_has_reply",
                violation_error_message=_("办结须填写给群众的答复。"),
            ),
            models.CheckConstraint(
                condition=~Q(status="closed") | (~Q(rating="") & Q(closed_at__isnull=False)),
                name="resident_request_closed_has_rating",
                violation_error_message=_("已评价的诉求须有评价结果。"),
            ),
            models.CheckConstraint(
                condition=~Q(status="supervised") | Q(reopened=True),
                name="resident_request_supervised_was_reopened",
                violation_error_message=_("只有群众评价为不满意的诉求才转街道督办。"),
            ),
            models.CheckConstraint(
                condition=Q(respond_by__gt=F("submitted_at")) & Q(resolve_by__gte=F("respond_by")),
                name="resident_request_deadlines_in_order",
                violation_error_message=_("响应期限须晚于提交时间，办结期限不能早于响应期限。"),
            ),
        ]

    def __str__(self):
        return f"{self.number} · {self.community.name}"

    @property
    def number(self) -> str:
        """The request's number without its secret: what staff pages and the audit log show."""
        return f"YS-{self.year}-{self.serial:06d}"

    @property
    def tracking_code(self) -> str:
        """The number and the secret: given to the resident only, when the request is submitted."""
        return f"{self.number}-{format_secret(self.secret)}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN

    def is_overdue(self, now=None) -> bool:
        now = now or timezone.now()
        return self.is_open and ((self.responded_at is None and self.respond_by < now) or self.resolve_by < now)

    @property
    def holder(self) -> Role | None:
        return self.HOLDER.get(self.status)

    @property
    def photos(self) -> list[tuple[int, object]]:
        """(number, file) of each photo the request holds, numbered from 1 as the staff page links them."""
        return [(n, getattr(self, name)) for n, name in enumerate(self.PHOTO_FIELDS, 1) if getattr(self, name)]

    @property
    def map_links(self) -> dict | None:
        """Links that open the resident's position in a map: geo: (the phone's map app) and OpenStreetMap,
        both WGS-84 as the phone gave it. None without a position."""
        if self.latitude is None or self.longitude is None:
            return None
        lat, lon = f"{self.latitude:.6f}", f"{self.longitude:.6f}"
        return {
            "text": f"{lat}, {lon}",
            "geo": f"geo:{lat},{lon}",
            "osm": f"https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=18/{lat}/{lon}",
        }

    @property
    def masked_phone(self) -> str:
        return mask_mobile(self.resident_phone)

    @property
    def masked_name(self) -> str:
        return (self.resident_name[:1] + "*" * (len(self.resident_name) - 1)) if self.resident_name else ""


class RequestStep(models.Model):
    """One step of a request's handling, as it happened: what, when, who (no one: the resident), the note
    (masked), and where it was moved. The public status page shows the steps and the replies, never a name or
    a number (public_views.py)."""

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", _("群众提交")
        ACCEPTED = "accepted", ACCEPT_ACTION
        NOTE = "note", _("办理")
        TRANSFERRED = "transferred", _("转办其他社区")
        TO_STREET = "to_street", _("转街道办理")
        RESOLVED = "resolved", RESOLVE_ACTION
        RATED = "rated", _("群众评价")
        REOPENED = "reopened", _("不满意，转街道督办")
        REMINDED = "reminded", _("街道督办提醒")
        TAKEN_OVER = "taken_over", _("街道接办")

    request = models.ForeignKey(
        ResidentRequest, verbose_name=RESIDENT_REQUESTS, on_delete=models.CASCADE, related_name="steps"
    )
    kind = models.CharField(STEP_LABEL, max_length=20, choices=Kind.choices)
    at = models.DateTimeField(TIME_LABEL, default=timezone.now)
    actor = models.ForeignKey(
        "yushu_gov.User",
        verbose_name=HANDLED_BY,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("空：群众本人。"),
    )
    note = models.TextField(NOTE_LABEL, max_length=1000, blank=True)
    from_community = models.ForeignKey(
        Community, verbose_name=_("转出社区"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    to_community = models.ForeignKey(
        Community, verbose_name=TRANSFER_TO_COMMUNITY, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    work_record = models.ForeignKey(
        "ledger.WorkRecord",
        verbose_name=_("关联工作台账"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="resident_request_steps",
    )

    # The steps whose note the resident reads on the status page (the replies and the resident's own words).
    PUBLIC_NOTES = ("resolved", "rated")

    class Meta:
        verbose_name = verbose_name_plural = _("诉求办理步骤")
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.request} · {self.get_kind_display()}"


class ThrottleHit(models.Model):
    """One counted attempt on a public page (a submission, a code lookup), by a keyed hash of the address or
    the phone number: the database keeps the rate limits, no outside service does, and neither the address
    nor the number is stored. Hits older than a day are deleted by `erase_request_personal_data`."""

    scope = models.CharField(CATEGORY_LABEL, max_length=20)
    key = models.CharField(_("来源摘要"), max_length=64)
    at = models.DateTimeField(TIME_LABEL, default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = _("提交频率记录")
        indexes = [models.Index(fields=["scope", "key", "at"], name="throttle_scope_key_at")]

    def __str__(self):
        return f"{self.scope} {self.at:%Y-%m-%d %H:%M}"


class PhoneCode(models.Model):
    """A six-digit code sent by SMS to the phone given with requests, that opens that phone's requests on the
    tracking page (officers/resident_requests/recovery.py). Neither the phone nor the code is stored: keyed
    hashes of them."""

    MAX_ATTEMPTS = 5

    phone_key = models.CharField(_("号码摘要"), max_length=64, db_index=True)
    code_hash = models.CharField(_("验证码摘要"), max_length=64)
    created_at = models.DateTimeField(_("验证码发送时间"), default=timezone.now)
    expires_at = models.DateTimeField(EXPIRES_AT)
    attempts = models.PositiveSmallIntegerField(_("输错次数"), default=0)
    used_at = models.DateTimeField(_("验证时间"), null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = _("手机验证码")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(attempts__lte=5),
                name="phone_code_attempts_bounded",
                violation_error_message=_("验证码输错次数过多，请重新获取。"),
            ),
        ]

    def __str__(self):
        return f"{self.phone_key[:8]} {self.created_at:%Y-%m-%d %H:%M}"


class Landmark(models.Model):
    """A landmark or residential compound (小区) of a community, kept by its street: residents pick one on the
    request form instead of describing the place."""

    community = models.ForeignKey(
        Community, verbose_name=COMMUNITY_LABEL, on_delete=models.CASCADE, related_name="landmarks"
    )
    name = models.CharField(NAME_OF_THING, max_length=50)
    sort_order = models.PositiveSmallIntegerField(SORT_ORDER, default=0)

    class Meta:
        verbose_name = verbose_name_plural = LANDMARK
        ordering = ["community", "sort_order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "name"],
                name="landmark_unique_name_per_community",
                violation_error_message=_("本社区已有同名的地标或小区。"),
            )
        ]

    def __str__(self):
        return self.name


def held_upload_to(instance, filename: str) -> str:
    suffix = ".jpg" if instance.kind == HeldUpload.Kind.PHOTO else "." + filename.rsplit(".", 1)[-1][:4]
    return f"private/held/{uuid.uuid4().hex}{suffix}"


class HeldUpload(models.Model):
    """A file a resident has already sent with a form that came back with an error, kept (already cleaned:
    a photo re-encoded by photos.py) under the form's upload token so that it need not be chosen again.
    Taken by the request when it is submitted; deleted after UPLOAD_HOLD_HOURS by
    `erase_request_personal_data` otherwise (uploads.py)."""

    class Kind(models.TextChoices):
        PHOTO = "photo", PHOTO_LABEL
        VOICE = "voice", ResidentRequest._meta.get_field("voice").verbose_name

    token = models.CharField(_("上传令牌"), max_length=64, db_index=True)
    kind = models.CharField(KIND_LABEL, max_length=10, choices=Kind.choices)
    file = models.FileField(_("暂存文件"), upload_to=held_upload_to, max_length=200)
    content_type = models.CharField(_("文件类型"), max_length=40, blank=True)
    created_at = models.DateTimeField(_("上传时间"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = verbose_name_plural = _("暂存的上传文件")
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.created_at:%Y-%m-%d %H:%M}"


class RequestSupport(models.Model):
    """ "我也遇到了": a resident who met the same problem supports an open request instead of filing a new one;
    one per browser session and request (a keyed hash of the session, nothing else is stored)."""

    request = models.ForeignKey(
        ResidentRequest, verbose_name=RESIDENT_REQUESTS, on_delete=models.CASCADE, related_name="supports"
    )
    key = models.CharField(ThrottleHit._meta.get_field("key").verbose_name, max_length=64)
    at = models.DateTimeField(ThrottleHit._meta.get_field("at").verbose_name, default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = SUPPORT
        constraints = [
            models.UniqueConstraint(
                fields=["request", "key"],
                name="request_support_once_per_session",
                violation_error_message=_("您已经表示过遇到同样的问题。"),
            )
        ]

    def __str__(self):
        return f"{self.request} · {self.at:%Y-%m-%d %H:%M}"


RESOLVED_COUNT = _("已办结数")


class AreaRequestMonth(AreaMonth):
    """The residents' requests submitted in a calendar month (Asia/Shanghai) under an area of the organisation
    tree, counted for the rates that do not depend on the hour: received, responded to, responded to in time,
    resolved, rated, rated 满意 or 基本满意. Every area above a request's community holds it; a node's dashboard
    reads its own and its children's rows. Kept by the request services in their transaction (rollup.py);
    recounted by `manage.py rebuild_summaries` and whenever the tree changes shape."""

    received = models.IntegerField(_("受理诉求数"), default=0)
    responded = models.IntegerField(_("已响应数"), default=0)
    responded_in_time = models.IntegerField(_("按时响应数"), default=0)
    resolved = models.IntegerField(RESOLVED_COUNT, default=0)
    rated = models.IntegerField(_("已评价数"), default=0)
    satisfied = models.IntegerField(_("满意和基本满意数"), default=0)

    COUNT_FIELDS = ("received", "responded", "responded_in_time", "resolved", "rated", "satisfied")

    class Meta:
        verbose_name = _("诉求区域月度汇总")
        verbose_name_plural = verbose_name
        constraints = month_key_constraints(
            ["area", "year", "month"],
            unique="one_request_month_per_area",
            check="area_request_month_1_to_12",
            message=_("该区域该月的诉求汇总已存在。"),
        )

    def __str__(self):
        return f"{self.area_id} · {self.year}-{self.month:02d}"


class AreaResolveTime(AreaMonth):
    """How long the resolved requests submitted in a month under an area took, as a histogram: the number
    resolved in each tenth of a day (from submission to the reply, rounded down). A node's median time to
    resolve is read from it, to within half a tenth of a day (rollup.py)."""

    tenths = models.PositiveIntegerField(_("办结用时（0.1天）"))
    resolved = models.IntegerField(RESOLVED_COUNT, default=0)

    KEY_FIELDS = ("area_id", "year", "month", "tenths")
    COUNT_FIELDS = ("resolved",)

    class Meta:
        verbose_name = _("诉求办结用时区域分布")
        verbose_name_plural = verbose_name
        constraints = month_key_constraints(
            ["area", "year", "month", "tenths"],
            unique="one_resolve_time_per_area_month",
            check="area_resolve_time_1_to_12",
            message=_("该区域该月该用时的统计已存在。"),
        )

    def __str__(self):
        return f"{self.area_id} · {self.year}-{self.month:02d} · {self.tenths}"
