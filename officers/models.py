"""Officers (党员民警) and their appointments as deputy secretaries (社区党支部副书记) under the seat system."""

import datetime
import os
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from communities.messages import COMMUNITY_LABEL, POSITION_LABEL, SORT_ORDER, UPDATED_AT
from communities.models import Community, Street
from officers.messages import (
    ANNUAL_YEAR,
    APPOINTMENT,
    APPOINTMENT_DOCUMENT_NUMBER,
    APPOINTMENT_MEETING_DATE,
    CREATED_AT,
    CRITERIA_LABEL,
    DATE_LABEL,
    DECISION_STEP,
    DEPARTURE_DATE,
    DEPARTURE_REASON,
    DEPARTURE_STEP,
    DOCUMENT_DATE,
    FILING_STEP,
    HANDLED_BY,
    ID_NUMBER,
    LETTER_ISSUED_DATE,
    LETTER_NUMBER,
    MEETS_LABEL,
    MOBILE_NUMBER,
    NOMINATION_DATE,
    NOMINATION_REASON,
    NOMINATION_STEP,
    OATH_DATE,
    OFFICER_LABEL,
    PERSONAL_DATA_ERASED_AT,
    PHOTO_LABEL,
    POLICE_NUMBER,
    REPORT_STEP,
    REPORTED_ON,
    RETURN_STEP,
    REVIEW_NOTE,
    STEP_LABEL,
    VETTING_STEP,
    WITHDRAW_STEP,
)
from yushu_gov.access.rights import CommunityOfficerQuerySet, scoped
from yushu_gov.input.constraints import ConstraintFields
from yushu_gov.input.labels import NOTE_LABEL, OWN_POLICE_STATION, PARTY_OFFICERS, PERSON_NAME, STATUS_LABEL
from yushu_gov.input.pinyin import pinyin_key
from yushu_gov.input.validators import (
    TIBETAN_HELP,
    validate_id_number,
    validate_mobile,
    validate_photo_size,
    validate_tibetan,
)
from yushu_gov.security import limits
from yushu_gov.security.crypto import lookup_hashes
from yushu_gov.security.fields import EncryptedCharField, HashCompanions
from yushu_gov.security.masking import mask_id_number, mask_mobile


def photo_path(instance, filename: str) -> str:
    """A random public name: the uploaded file's name (which may be anything, even an ID number) is dropped."""
    extension = os.path.splitext(filename)[1].lower()[:5] or ".jpg"
    return f"officers/photos/{uuid.uuid4().hex}{extension}"


def appointed_in(streets) -> Q:
    """Officers with an appointment in one of these streets that the street sees (in progress, serving, ended)."""
    return Q(
        Exists(
            Appointment.objects.filter(
                officer=OuterRef("pk"), community__street_id__in=streets, status__in=Appointment.SEEN_BY_STREET
            )
        )
    )


class OfficerQuerySet(models.QuerySet):
    def visible_to(self, user):
        """City administrators and the bureau see all officers; street staff see those appointed in
        their street (in progress, serving or ended); station leaders see their station's officers; a police
        deputy secretary himself."""
        return scoped(
            self,
            user,
            street=appointed_in,
            station=lambda station_id: Q(station_id=station_id),
            # an area's administrators and bureau: its stations' officers, and those appointed in its streets
            area=lambda path: Q(station__area__path__startswith=path) | appointed_in(Street.objects.under_path(path)),
            officer=lambda officer_id: Q(pk=officer_id),
        )

    def with_id_number(self, value: str):
        """The officer with this ID number: an exact look-up through its keyed hash (the column itself is
        encrypted), under the current and any older key."""
        return self.filter(id_number_hash__in=lookup_hashes(value, context="officers.officer.id_number"))

    def with_mobile(self, value: str):
        return self.filter(mobile_hash__in=lookup_hashes(value, context="officers.officer.mobile"))

    def nominable(self, user=None):
        """Party members with no appointment in progress (an officer serving elsewhere may be nominated
        for a rotation; the seat rules are checked again when they start serving)."""
        officers = self.exclude(party_status=Officer.PartyStatus.NONE).exclude(
            Exists(Appointment.objects.filter(officer=OuterRef("pk"), status__in=Appointment.IN_PROGRESS))
        )
        if user is not None and user.street_id:
            # A street nominates with its police stations' branches: the officers of the stations serving it.
            officers = officers.filter(station__streets__id=user.street_id)
        return officers

    def with_current_appointment(self, user):
        """Annotates the community the officer currently serves (or is being appointed to), if that seat lies
        in the user's scope: a clerk never learns where an officer who left their street serves now."""
        current = (
            Appointment.objects.visible_to(user)
            .filter(officer=OuterRef("pk"), status__in=Appointment.CURRENT)
            .order_by("-id")
        )
        return self.annotate(
            current_community_name=models.Subquery(current.values("community__name")[:1]),
            current_street_name=models.Subquery(current.values("community__street__name")[:1]),
            current_status=models.Subquery(current.values("status")[:1]),
        )


class Officer(HashCompanions, ConstraintFields, models.Model):
    class Gender(models.TextChoices):
        MALE = "male", _("男")
        FEMALE = "female", _("女")

    class Ethnicity(models.TextChoices):
        TIBETAN = "tibetan", _("藏族")
        HAN = "han", _("汉族")
        HUI = "hui", _("回族")
        TU = "tu", _("土族")
        SALAR = "salar", _("撒拉族")
        MONGOL = "mongol", _("蒙古族")
        OTHER = "other", _("其他民族")

    class PartyStatus(models.TextChoices):
        FULL = "full", _("中共正式党员")
        PROBATIONARY = "probationary", _("中共预备党员")
        NONE = "none", _("非中共党员")

    class Rank(models.TextChoices):
        CONSTABLE_2 = "constable_2", _("二级警员")
        CONSTABLE_1 = "constable_1", _("一级警员")
        SERGEANT_3 = "sergeant_3", _("三级警司")
        SERGEANT_2 = "sergeant_2", _("二级警司")
        SERGEANT_1 = "sergeant_1", _("一级警司")
        INSPECTOR_3 = "inspector_3", _("三级警督")
        INSPECTOR_2 = "inspector_2", _("二级警督")
        INSPECTOR_1 = "inspector_1", _("一级警督")
        SUPERINTENDENT_3 = "superintendent_3", _("三级警监")

    name = models.CharField(PERSON_NAME, max_length=30)
    name_bo = models.CharField(
        _("藏文姓名"), max_length=60, blank=True, default="", db_default="", validators=[validate_tibetan],
        help_text=TIBETAN_HELP,
    )  # fmt: skip
    # db_default: rows written by code older than these columns (a rolling deployment) still insert.
    # "zhaxiduojie zxdj": the name's pinyin and initials for search and sorting, kept with the name (save()).
    name_pinyin = models.CharField(
        _("姓名拼音"), max_length=200, blank=True, default="", db_default="", editable=False, db_index=True
    )
    gender = models.CharField(_("性别"), max_length=10, choices=Gender.choices)
    ethnicity = models.CharField(_("民族"), max_length=20, choices=Ethnicity.choices)
    police_number = models.CharField(POLICE_NUMBER, max_length=20, unique=True)
    # The ID and mobile numbers are encrypted at rest (SM4-GCM); their keyed hashes (HMAC-SM3) carry the
    # uniqueness and the exact look-up (`with_id_number`). The hashes come first: assigning a number sets its
    # hash (yushu_gov/security/fields.py).
    id_number_hash = models.CharField(_("身份证号码（密钥哈希）"), max_length=64, blank=True, editable=False)
    mobile_hash = models.CharField(_("手机号码（密钥哈希）"), max_length=64, blank=True, editable=False, db_index=True)
    id_number = EncryptedCharField(
        ID_NUMBER, max_length=18, hash_field="id_number_hash", validators=[validate_id_number]
    )
    mobile = EncryptedCharField(MOBILE_NUMBER, max_length=11, hash_field="mobile_hash", validators=[validate_mobile])
    work_phone = models.CharField(
        _("工作电话"), max_length=30, blank=True, help_text=_("对外公开的办公电话，不得填写个人手机号码。")
    )
    station = models.ForeignKey(
        "communities.PoliceStation",
        verbose_name=OWN_POLICE_STATION,
        on_delete=models.PROTECT,
        related_name="officers",
    )
    rank = models.CharField(_("警衔"), max_length=30, choices=Rank.choices, blank=True)
    post = models.CharField(POSITION_LABEL, max_length=50, blank=True)
    party_status = models.CharField(_("政治面貌"), max_length=20, choices=PartyStatus.choices, default=PartyStatus.FULL)
    party_member_since = models.DateField(_("入党时间"), null=True, blank=True)
    bilingual = models.BooleanField(_("藏汉双语"), default=False)
    photo = models.ImageField(
        PHOTO_LABEL, upload_to=photo_path, blank=True, validators=[validate_photo_size],
        help_text=_("JPG 或 PNG，不超过5MB；将显示在居民查询页面上。"),
    )  # fmt: skip
    # PIPL: the public directory shows an officer only once his consent to publication is recorded.
    directory_consent_at = models.DateTimeField(_("同意公开的登记时间"), null=True, blank=True, editable=False)
    directory_consent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("同意公开的登记人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    # PIPL retention (`manage.py apply_retention`): when the ID and mobile numbers and the photo were erased.
    personal_data_erased_at = models.DateTimeField(PERSONAL_DATA_ERASED_AT, null=True, blank=True, editable=False)
    created_at = models.DateTimeField(CREATED_AT, auto_now_add=True)
    updated_at = models.DateTimeField(UPDATED_AT, auto_now=True)

    objects = OfficerQuerySet.as_manager()

    CONSTRAINT_FIELDS = {
        "officer_party_member_has_since_date": "party_member_since",
        "officer_id_number_unique": "id_number",
    }

    # The fields of the register entry a clerk fills in (the form, the services and the audit log).
    REGISTER_FIELDS = [
        "name", "name_bo", "gender", "ethnicity", "police_number", "id_number", "mobile", "work_phone", "station",
        "rank", "post", "party_status", "party_member_since", "bilingual", "photo",
    ]  # fmt: skip

    class Meta:
        verbose_name = verbose_name_plural = PARTY_OFFICERS
        ordering = ["name", "police_number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(party_status="none") | Q(party_member_since__isnull=False),
                name="officer_party_member_has_since_date",
                violation_error_message=_("党员须填写入党时间。"),
            ),
            models.UniqueConstraint(
                fields=["id_number_hash"],
                condition=~Q(id_number_hash=""),  # erased numbers (PIPL retention) leave an empty hash
                name="officer_id_number_unique",
                violation_error_message=_("该身份证号码已登记，不能重复登记同一名民警。"),
            ),
        ]
        indexes = [models.Index(fields=["name", "police_number"], name="officer_name_number")]  # the list's order

    def __str__(self):
        return f"{self.name}（{self.police_number}）"

    def save(self, *args, **kwargs):
        # A column derived from the name, written with it (not a side effect: nothing else is touched).
        self.name_pinyin = pinyin_key(self.name)
        if kwargs.get("update_fields") is not None and "name" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "name_pinyin"}
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        digits = "".join(ch for ch in self.work_phone if ch.isdigit())
        if self.mobile and digits.endswith(self.mobile):
            # The work phone is published in the public directory; the personal mobile never is.
            raise ValidationError({"work_phone": _("工作电话将在居民查询页面公开，不能填写本人手机号码。")})

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def masked_mobile(self) -> str:
        return mask_mobile(self.mobile)

    @property
    def is_party_member(self) -> bool:
        return self.party_status in (self.PartyStatus.FULL, self.PartyStatus.PROBATIONARY)


class QualificationStandard(models.Model):
    """One of the standards an officer must meet to be appointed (the "6 项标准"); editable data."""

    text = models.CharField(_("标准内容"), max_length=200)
    sort_order = models.PositiveSmallIntegerField(SORT_ORDER, default=0)
    active = models.BooleanField(_("启用"), default=True, help_text=_("停用的标准不再出现在新的资格审查中。"))

    class Meta:
        verbose_name = verbose_name_plural = CRITERIA_LABEL
        ordering = ["sort_order", "id"]

    def __str__(self):
        return self.text


class AppointmentQuerySet(CommunityOfficerQuerySet):
    def serving(self):
        return self.filter(status=Appointment.Status.SERVING)

    def in_progress(self):
        return self.filter(status__in=Appointment.IN_PROGRESS)

    def held_between(self, first: datetime.date, last: datetime.date):
        """The terms (serving or ended) that overlap the days [first, last]: started on or before `last`,
        and not ended before `first`. A serving term runs until today."""
        return self.filter(
            status__in=(Appointment.Status.SERVING, Appointment.Status.ENDED),
            started_on__isnull=False,
            started_on__lte=min(last, timezone.localdate()),
        ).filter(Q(ended_on__isnull=True) | Q(ended_on__gte=first))

    def covering(self, day: datetime.date):
        """The terms that cover the day: which appointment held the seat on that date."""
        return self.held_between(day, day)


class Appointment(ConstraintFields, models.Model):
    """A seat: one officer appointed deputy secretary of one community's party branch (席位制).

    The selection procedure moves it through the statuses in order (officers/services.py); each step
    leaves an AppointmentStep row and an audit entry.
    """

    class Status(models.TextChoices):
        NOMINATED = "nominated", NOMINATION_STEP
        REVIEWED = "reviewed", _("资格审查通过")
        REPORTED = "reported", _("已上报请示")
        DECIDED = "decided", _("已研究任职")
        FILED = "filed", _("已发文备案")
        SERVING = "serving", _("在任")
        ENDED = "ended", _("离任")
        RETURNED = "returned", _("已退回")
        WITHDRAWN = "withdrawn", _("已撤回")

    class EndReason(models.TextChoices):
        TRANSFER = "transfer", _("工作调动")
        ROTATION = "rotation", _("轮岗交流")
        TERM_END = "term_end", _("任期届满")
        REMOVAL = "removal", _("免职")

    # The procedure's order (DOMAIN.md §4.1); a step cannot be skipped.
    SEQUENCE = ("nominated", "reviewed", "reported", "decided", "filed", "serving", "ended")
    IN_PROGRESS = ("nominated", "reviewed", "reported", "decided", "filed")
    # On the way to serving (the seat is taken in the workflow) or serving.
    CURRENT = (*IN_PROGRESS, "serving")
    SEEN_BY_STREET = (*CURRENT, "ended")
    # The statuses each step starts from: the one table the services, the application's pages and the admin
    # site's actions all read (officers/steps.py).
    # Each step's name as the pages, the admin site and the refusals say it.
    STEP_TITLES = {
        "review": VETTING_STEP,
        "report": REPORT_STEP,
        "decide": DECISION_STEP,
        "file": FILING_STEP,
        "serve": _("登记到任（任命大会、通报、任命书、宣誓）"),
        "end": DEPARTURE_STEP,
        "return": RETURN_STEP,
        "withdraw": WITHDRAW_STEP,
    }
    STEP_STARTS = {
        "review": ("nominated",),
        "report": ("reviewed",),
        "decide": ("reported",),
        "file": ("decided",),
        "serve": ("filed",),
        "end": ("serving",),
        "return": IN_PROGRESS,
        "withdraw": IN_PROGRESS,
    }

    officer = models.ForeignKey(
        Officer, verbose_name=OFFICER_LABEL, on_delete=models.PROTECT, related_name="appointments"
    )
    community = models.ForeignKey(
        Community, verbose_name=COMMUNITY_LABEL, on_delete=models.PROTECT, related_name="appointments"
    )
    status = models.CharField(STATUS_LABEL, max_length=20, choices=Status.choices, default=Status.NOMINATED)
    nominated_on = models.DateField(NOMINATION_DATE, null=True, blank=True)
    nomination_note = models.TextField(NOMINATION_REASON, blank=True, validators=[MaxLengthValidator(limits.NOTE)])
    reported_on = models.DateField(REPORTED_ON, null=True, blank=True)
    decided_on = models.DateField(_("研究任职日期"), null=True, blank=True)
    decision_meeting = models.CharField(_("研究任职会议"), max_length=100, blank=True)
    document_no = models.CharField(APPOINTMENT_DOCUMENT_NUMBER, max_length=50, blank=True)
    filed_on = models.DateField(DOCUMENT_DATE, null=True, blank=True)
    letter_year = models.PositiveSmallIntegerField(_("任命书年度"), null=True, blank=True)
    letter_serial = models.PositiveSmallIntegerField(_("任命书序号"), null=True, blank=True)
    meeting_on = models.DateField(APPOINTMENT_MEETING_DATE, null=True, blank=True)
    announced_on = models.DateField(_("向居民通报日期"), null=True, blank=True)
    letter_issued_on = models.DateField(LETTER_ISSUED_DATE, null=True, blank=True)
    oath_on = models.DateField(OATH_DATE, null=True, blank=True)
    started_on = models.DateField(_("任职日期"), null=True, blank=True)
    ended_on = models.DateField(DEPARTURE_DATE, null=True, blank=True)
    end_reason = models.CharField(DEPARTURE_REASON, max_length=20, choices=EndReason.choices, blank=True)
    closing_note = models.TextField(_("退回、撤回或离任说明"), blank=True, validators=[MaxLengthValidator(limits.NOTE)])
    created_at = models.DateTimeField(CREATED_AT, auto_now_add=True)
    updated_at = models.DateTimeField(UPDATED_AT, auto_now=True)

    objects = AppointmentQuerySet.as_manager()

    # The seat rules' messages go beside the field a nomination form chooses.
    CONSTRAINT_FIELDS = {
        "one_serving_seat_per_community": "community",
        "one_open_nomination_per_community": "community",
        "one_serving_community_per_officer": "officer",
        "one_open_nomination_per_officer": "officer",
    }

    class Meta:
        verbose_name = verbose_name_plural = _("任职（席位）")
        ordering = ["community__street__sort_order", "community__sort_order", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["community"],
                condition=Q(status="serving"),
                name="one_serving_seat_per_community",
                violation_error_message=_("该社区已有在任的党员民警副书记，一个社区只能有一名。"),
            ),
            models.UniqueConstraint(
                fields=["officer"],
                condition=Q(status="serving"),
                name="one_serving_community_per_officer",
                violation_error_message=_("该民警已在另一社区任职，一名民警同一时间只能兼任一个社区。"),
            ),
            models.UniqueConstraint(
                fields=["community"],
                condition=Q(status__in=["nominated", "reviewed", "reported", "decided", "filed"]),
                name="one_open_nomination_per_community",
                violation_error_message=_("该社区已有一项正在办理的任职程序，请先办结或撤回。"),
            ),
            models.UniqueConstraint(
                fields=["officer"],
                condition=Q(status__in=["nominated", "reviewed", "reported", "decided", "filed"]),
                name="one_open_nomination_per_officer",
                violation_error_message=_("该民警已有一项正在办理的任职程序。"),
            ),
            models.UniqueConstraint(
                fields=["letter_year", "letter_serial"],
                name="unique_appointment_letter_number",
                violation_error_message=_("任命书编号已被使用，请重新提交。"),
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["serving", "ended"])
                | Q(started_on__isnull=False, document_no__gt="", letter_serial__isnull=False),
                name="serving_appointment_was_filed",
                violation_error_message=_("在任或离任的任职须已发文备案（有任职文号、任命书编号和任职日期）。"),
            ),
            models.CheckConstraint(
                condition=~Q(status="ended") | Q(ended_on__isnull=False, end_reason__gt=""),
                name="ended_appointment_has_date_and_reason",
                violation_error_message=_("离任须填写离任日期和离任原因。"),
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True)
                | Q(started_on__isnull=True)
                | Q(ended_on__gte=models.F("started_on")),
                name="appointment_ends_after_start",
                violation_error_message=_("离任日期不能早于任职日期。"),
            ),
        ]
        indexes = [models.Index(fields=["updated_at", "id"], name="appointment_updated_id")]  # the list's order

    def __str__(self):
        return f"{self.officer.name} · {self.community.name}"

    @property
    def letter_number(self) -> str:
        """任命书编号, e.g. 玉树任〔2022〕003号."""
        if not self.letter_serial:
            return ""
        return f"玉树任〔{self.letter_year}〕{self.letter_serial:03d}号"

    @property
    def is_open(self) -> bool:
        return self.status in self.IN_PROGRESS


class LetterCounter(models.Model):
    """The last appointment-letter number (任命书编号) given in a year. Filing locks the year's row FOR UPDATE
    and takes the next number, so that two filings at the same moment get consecutive numbers."""

    year = models.PositiveSmallIntegerField(ANNUAL_YEAR, primary_key=True)
    last_serial = models.PositiveSmallIntegerField(_("已用到的序号"), default=0)

    class Meta:
        verbose_name = verbose_name_plural = LETTER_NUMBER
        ordering = ["-year"]

    def __str__(self):
        return f"{self.year}：{self.last_serial}"


class AppointmentStep(models.Model):
    """One step of the selection procedure, as it happened: who recorded it, when, the date of the
    meeting or document behind it, and that meeting or document."""

    appointment = models.ForeignKey(
        Appointment, verbose_name=APPOINTMENT, on_delete=models.CASCADE, related_name="steps"
    )
    status = models.CharField(STEP_LABEL, max_length=20, choices=Appointment.Status.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=HANDLED_BY, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    on_date = models.DateField(DATE_LABEL)
    reference = models.CharField(_("会议或文件"), max_length=200, blank=True)
    note = models.TextField(NOTE_LABEL, blank=True, validators=[MaxLengthValidator(limits.NOTE)])

    class Meta:
        verbose_name = verbose_name_plural = _("任职程序步骤")
        ordering = ["appointment", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["appointment", "status"],
                name="one_step_of_each_kind_per_appointment",
                violation_error_message=_("该任职已办理过这一步骤。"),
            )
        ]

    def __str__(self):
        return f"{self.appointment} · {self.get_status_display()}"


class QualificationCheck(models.Model):
    """The qualification review of one appointment against one standard (资格审查)."""

    appointment = models.ForeignKey(
        Appointment, verbose_name=APPOINTMENT, on_delete=models.CASCADE, related_name="checks"
    )
    standard = models.ForeignKey(
        QualificationStandard, verbose_name=CRITERIA_LABEL, on_delete=models.PROTECT, related_name="checks"
    )
    met = models.BooleanField(MEETS_LABEL)
    note = models.CharField(REVIEW_NOTE, max_length=300, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("审查人"), on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("审查时间"), auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = _("资格审查记录")
        ordering = ["appointment", "standard__sort_order"]
        constraints = [
            models.UniqueConstraint(
                fields=["appointment", "standard"],
                name="one_check_per_standard_per_appointment",
                violation_error_message=_("该任职已按这项标准审查过。"),
            )
        ]

    def __str__(self):
        return f"{self.standard} · {'符合' if self.met else '不符合'}"
