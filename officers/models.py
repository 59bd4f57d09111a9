"""Officers (党员民警) and their appointments as deputy secretaries (社区党支部副书记) under the seat system."""

import os
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from communities.models import Community
from yushu_gov.access import CommunityOfficerQuerySet, scoped
from yushu_gov.masking import mask_id_number, mask_mobile
from yushu_gov.validators import validate_id_number, validate_mobile, validate_photo_size


def photo_path(instance, filename: str) -> str:
    """A random public name: the uploaded file's name (which may be anything, even an ID number) is dropped."""
    extension = os.path.splitext(filename)[1].lower()[:5] or ".jpg"
    return f"officers/photos/{uuid.uuid4().hex}{extension}"


class OfficerQuerySet(models.QuerySet):
    def visible_to(self, user):
        """City administrators and the bureau see all officers; street staff see those appointed in
        their street (in progress, serving or ended); station leaders see their station's officers."""
        return scoped(
            self,
            user,
            street=lambda street_id: Q(
                Exists(
                    Appointment.objects.filter(
                        officer=OuterRef("pk"),
                        community__street_id=street_id,
                        status__in=Appointment.SEEN_BY_STREET,
                    )
                )
            ),
            station=lambda station_id: Q(station_id=station_id),
        )

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


class Officer(models.Model):
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

    name = models.CharField(_("姓名"), max_length=30)
    gender = models.CharField(_("性别"), max_length=10, choices=Gender.choices)
    ethnicity = models.CharField(_("民族"), max_length=20, choices=Ethnicity.choices)
    police_number = models.CharField(_("警号"), max_length=20, unique=True)
    id_number = models.CharField(_("身份证号码"), max_length=18, unique=True, validators=[validate_id_number])
    mobile = models.CharField(_("手机号码"), max_length=11, validators=[validate_mobile])
    work_phone = models.CharField(
        _("工作电话"), max_length=30, blank=True, help_text=_("对外公开的办公电话，不得填写个人手机号码。")
    )
    station = models.ForeignKey(
        "communities.PoliceStation",
        verbose_name=_("所属派出所"),
        on_delete=models.PROTECT,
        related_name="officers",
    )
    rank = models.CharField(_("警衔"), max_length=30, choices=Rank.choices, blank=True)
    post = models.CharField(_("职务"), max_length=50, blank=True)
    party_status = models.CharField(_("政治面貌"), max_length=20, choices=PartyStatus.choices, default=PartyStatus.FULL)
    party_member_since = models.DateField(_("入党时间"), null=True, blank=True)
    bilingual = models.BooleanField(_("藏汉双语"), default=False)
    photo = models.ImageField(
        _("照片"), upload_to=photo_path, blank=True, validators=[validate_photo_size],
        help_text=_("JPG 或 PNG，不超过5MB；将显示在居民查询页面上。"),
    )  # fmt: skip
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = OfficerQuerySet.as_manager()

    # The fields of the register entry a clerk fills in (the form, the services and the audit log).
    REGISTER_FIELDS = [
        "name", "gender", "ethnicity", "police_number", "id_number", "mobile", "work_phone", "station",
        "rank", "post", "party_status", "party_member_since", "bilingual", "photo",
    ]  # fmt: skip

    class Meta:
        verbose_name = _("党员民警")
        verbose_name_plural = _("党员民警")
        ordering = ["name", "police_number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(party_status="none") | Q(party_member_since__isnull=False),
                name="officer_party_member_has_since_date",
                violation_error_message=_("党员须填写入党时间。"),
            ),
        ]

    def __str__(self):
        return f"{self.name}（{self.police_number}）"

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
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)
    active = models.BooleanField(_("启用"), default=True, help_text=_("停用的标准不再出现在新的资格审查中。"))

    class Meta:
        verbose_name = _("资格标准")
        verbose_name_plural = _("资格标准")
        ordering = ["sort_order", "id"]

    def __str__(self):
        return self.text


class AppointmentQuerySet(CommunityOfficerQuerySet):
    def serving(self):
        return self.filter(status=Appointment.Status.SERVING)

    def in_progress(self):
        return self.filter(status__in=Appointment.IN_PROGRESS)


class Appointment(models.Model):
    """A seat: one officer appointed deputy secretary of one community's party branch (席位制).

    The selection procedure moves it through the statuses in order (officers/services.py); each step
    leaves an AppointmentStep row and an audit entry.
    """

    class Status(models.TextChoices):
        NOMINATED = "nominated", _("人选推荐")
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

    officer = models.ForeignKey(Officer, verbose_name=_("民警"), on_delete=models.PROTECT, related_name="appointments")
    community = models.ForeignKey(
        Community, verbose_name=_("社区"), on_delete=models.PROTECT, related_name="appointments"
    )
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.NOMINATED)
    nominated_on = models.DateField(_("推荐日期"), null=True, blank=True)
    nomination_note = models.TextField(_("推荐理由"), blank=True)
    reported_on = models.DateField(_("上报日期"), null=True, blank=True)
    decided_on = models.DateField(_("研究任职日期"), null=True, blank=True)
    decision_meeting = models.CharField(_("研究任职会议"), max_length=100, blank=True)
    document_no = models.CharField(_("任职文号"), max_length=50, blank=True)
    filed_on = models.DateField(_("发文日期"), null=True, blank=True)
    letter_year = models.PositiveSmallIntegerField(_("任命书年度"), null=True, blank=True)
    letter_serial = models.PositiveSmallIntegerField(_("任命书序号"), null=True, blank=True)
    meeting_on = models.DateField(_("任命大会日期"), null=True, blank=True)
    announced_on = models.DateField(_("向居民通报日期"), null=True, blank=True)
    letter_issued_on = models.DateField(_("颁发任命书日期"), null=True, blank=True)
    oath_on = models.DateField(_("宣誓日期"), null=True, blank=True)
    started_on = models.DateField(_("任职日期"), null=True, blank=True)
    ended_on = models.DateField(_("离任日期"), null=True, blank=True)
    end_reason = models.CharField(_("离任原因"), max_length=20, choices=EndReason.choices, blank=True)
    closing_note = models.TextField(_("退回、撤回或离任说明"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = AppointmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("任职（席位）")
        verbose_name_plural = _("任职（席位）")
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
            models.UniqueConstraint(fields=["letter_year", "letter_serial"], name="unique_appointment_letter_number"),
            models.CheckConstraint(
                condition=~Q(status__in=["serving", "ended"])
                | Q(started_on__isnull=False, document_no__gt="", letter_serial__isnull=False),
                name="serving_appointment_was_filed",
            ),
            models.CheckConstraint(
                condition=~Q(status="ended") | Q(ended_on__isnull=False, end_reason__gt=""),
                name="ended_appointment_has_date_and_reason",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True)
                | Q(started_on__isnull=True)
                | Q(ended_on__gte=models.F("started_on")),
                name="appointment_ends_after_start",
            ),
        ]

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

    @property
    def next_status(self) -> str | None:
        if self.status not in self.SEQUENCE or self.status == self.Status.ENDED:
            return None
        return self.SEQUENCE[self.SEQUENCE.index(self.status) + 1]


class AppointmentStep(models.Model):
    """One step of the selection procedure, as it happened: who recorded it, when, the date of the
    meeting or document behind it, and that meeting or document."""

    appointment = models.ForeignKey(Appointment, verbose_name=_("任职"), on_delete=models.CASCADE, related_name="steps")
    status = models.CharField(_("步骤"), max_length=20, choices=Appointment.Status.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("经办人"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    on_date = models.DateField(_("日期"))
    reference = models.CharField(_("会议或文件"), max_length=200, blank=True)
    note = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("任职程序步骤")
        verbose_name_plural = _("任职程序步骤")
        ordering = ["appointment", "id"]
        constraints = [
            models.UniqueConstraint(fields=["appointment", "status"], name="one_step_of_each_kind_per_appointment")
        ]

    def __str__(self):
        return f"{self.appointment} · {self.get_status_display()}"


class QualificationCheck(models.Model):
    """The qualification review of one appointment against one standard (资格审查)."""

    appointment = models.ForeignKey(
        Appointment, verbose_name=_("任职"), on_delete=models.CASCADE, related_name="checks"
    )
    standard = models.ForeignKey(
        QualificationStandard, verbose_name=_("资格标准"), on_delete=models.PROTECT, related_name="checks"
    )
    met = models.BooleanField(_("符合"))
    note = models.CharField(_("审查说明"), max_length=300, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("审查人"), on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("审查时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("资格审查记录")
        verbose_name_plural = _("资格审查记录")
        ordering = ["appointment", "standard__sort_order"]
        constraints = [
            models.UniqueConstraint(fields=["appointment", "standard"], name="one_check_per_standard_per_appointment")
        ]

    def __str__(self):
        return f"{self.standard} · {'符合' if self.met else '不符合'}"


# ---------------------------------------------------------------------------------------------------------
# Monthly talks (谈心谈话, DOMAIN.md §4.3): the street party working committee talks with every serving
# officer at least once each calendar month (months counted in Asia/Shanghai time).
# ---------------------------------------------------------------------------------------------------------


class MonthlyTalkQuerySet(CommunityOfficerQuerySet):
    """City administrators and the bureau see every talk; street staff the talks held in their street;
    station leaders the talks with their station's officers."""

    def alive(self):
        """Talks that have not been deleted (deleting is a soft delete kept in the audit log)."""
        return self.filter(deleted_at__isnull=True)


class MonthlyTalk(models.Model):
    """One talk of the street committee with a serving officer (谈心谈话记录)."""

    class TalkerRole(models.TextChoices):
        SECRETARY = "secretary", _("街道党工委书记")
        DEPUTY_SECRETARY = "deputy_secretary", _("街道党工委副书记")
        MEMBER = "member", _("街道党工委委员")

    # Topic fields and their labels, in the order of DOMAIN.md §4.3 (one or more per talk).
    TOPICS = {
        "topic_party_building": _("社区基层党建"),
        "topic_safety": _("平安建设"),
        "topic_stability": _("社会维稳"),
        "topic_public_order": _("治安防控"),
        "topic_other": _("其他"),
    }

    officer = models.ForeignKey(Officer, verbose_name=_("谈话对象"), on_delete=models.PROTECT, related_name="talks")
    community = models.ForeignKey(
        Community,
        verbose_name=_("兼任社区"),
        on_delete=models.PROTECT,
        related_name="talks",
        help_text=_("谈话当日民警兼任副书记的社区；其所属街道即组织谈话的街道。"),
    )
    held_at = models.DateTimeField(_("谈话时间"), db_index=True)
    place = models.CharField(_("谈话地点"), max_length=100)
    talker_name = models.CharField(_("谈话人"), max_length=30)
    talker_role = models.CharField(_("谈话人职务"), max_length=20, choices=TalkerRole.choices)
    topic_party_building = models.BooleanField(_("社区基层党建"), default=False)
    topic_safety = models.BooleanField(_("平安建设"), default=False)
    topic_stability = models.BooleanField(_("社会维稳"), default=False)
    topic_public_order = models.BooleanField(_("治安防控"), default=False)
    topic_other = models.BooleanField(_("其他"), default=False)
    other_topic = models.CharField(_("其他议题"), max_length=100, blank=True)
    content = models.TextField(_("谈话主要内容"))
    officer_views = models.TextField(_("民警思想状况及意见建议"), blank=True)
    follow_up = models.TextField(_("跟进措施"), blank=True)
    recorded_by = models.ForeignKey(
        "yushu_gov.User", verbose_name=_("记录人"), on_delete=models.PROTECT, related_name="+"
    )
    deleted_at = models.DateTimeField(_("删除时间"), null=True, blank=True)
    deleted_by = models.ForeignKey(
        "yushu_gov.User", verbose_name=_("删除人"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    delete_reason = models.CharField(_("删除原因"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = MonthlyTalkQuerySet.as_manager()

    class Meta:
        verbose_name = _("谈心谈话记录")
        verbose_name_plural = _("谈心谈话记录")
        ordering = ["-held_at", "-id"]
        indexes = [models.Index(fields=["officer", "held_at"], name="talk_officer_held_at")]
        constraints = [
            models.CheckConstraint(
                condition=Q(topic_party_building=True)
                | Q(topic_safety=True)
                | Q(topic_stability=True)
                | Q(topic_public_order=True)
                | Q(topic_other=True),
                name="talk_has_a_topic",
                violation_error_message=_("请至少选择一项谈话议题。"),
            ),
            models.CheckConstraint(
                condition=Q(topic_other=False) | ~Q(other_topic=""),
                name="talk_other_topic_named",
                violation_error_message=_("选择“其他”议题时请填写议题内容。"),
            ),
            models.CheckConstraint(
                condition=Q(deleted_at__isnull=True) | (Q(deleted_by__isnull=False) & ~Q(delete_reason="")),
                name="deleted_talk_has_actor_and_reason",
            ),
        ]

    def __str__(self):
        return f"{self.officer.name} · {timezone.localtime(self.held_at):%Y-%m-%d}"

    @property
    def held_on(self):
        """The talk's date in Asia/Shanghai."""
        return timezone.localtime(self.held_at).date()

    @property
    def topic_labels(self) -> list[str]:
        labels = [str(label) for field, label in self.TOPICS.items() if getattr(self, field)]
        if self.topic_other and self.other_topic:
            labels[-1] = f"{labels[-1]}（{self.other_topic}）"
        return labels


# ---------------------------------------------------------------------------------------------------------
# Work ledger (工作台账, DOMAIN.md §4.4): what the officers do in their communities, and its outcomes.
# ---------------------------------------------------------------------------------------------------------


class WorkRecordQuerySet(CommunityOfficerQuerySet):
    """City administrators and the bureau read all records; street staff those in their street's
    communities; station leaders those of their station's officers."""

    def in_year(self, year: int):
        return self.filter(occurred_on__year=year)


class WorkRecord(models.Model):
    """One entry of the work ledger. The fields a type needs are required by named constraints: a dispute's
    severity, a case's number, an aid visit's amount. Residents' ID and phone numbers are never stored:
    the service masks any that are typed into the text."""

    class Kind(models.TextChoices):
        DIFFICULTY = "difficulty", _("为民办实事/解决实际困难")
        DISPUTE = "dispute", _("矛盾纠纷调解")
        CASE = "case", _("治安案件查处")
        PATROL = "patrol", _("治安巡逻")
        HAZARD = "hazard", _("隐患排查")
        VISIT = "visit", _("入户走访（敲门行动）")
        PUBLICITY = "publicity", _("政策宣传")
        POVERTY_WATCH = "poverty_watch", _("防返贫监测排查")
        AID = "aid", _("帮扶慰问")

    class Severity(models.TextChoices):
        BLUE = "blue", _("蓝色（一般）")
        YELLOW = "yellow", _("黄色（较大）")
        RED = "red", _("红色（重大）")

    class Outcome(models.TextChoices):
        RESOLVED = "resolved", _("调解成功")
        UNRESOLVED = "unresolved", _("调解未成功")
        REFERRED = "referred", _("移交有关部门")

    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", _("办理中")
        DONE = "done", _("已办结")

    kind = models.CharField(_("工作类型"), max_length=20, choices=Kind.choices)
    occurred_on = models.DateField(_("日期"))
    community = models.ForeignKey(
        Community, verbose_name=_("社区"), on_delete=models.PROTECT, related_name="work_records"
    )
    officer = models.ForeignKey(Officer, verbose_name=_("民警"), on_delete=models.PROTECT, related_name="work_records")
    summary = models.TextField(_("工作内容"), max_length=2000)
    people_reached = models.PositiveIntegerField(_("涉及人数"), null=True, blank=True)
    households_reached = models.PositiveIntegerField(_("涉及户数"), null=True, blank=True)
    value_recovered = models.DecimalField(_("挽回损失（元）"), max_digits=12, decimal_places=2, null=True, blank=True)
    severity = models.CharField(_("纠纷等级"), max_length=10, choices=Severity.choices, blank=True)
    outcome = models.CharField(_("调解结果"), max_length=20, choices=Outcome.choices, blank=True)
    case_number = models.CharField(_("案件编号"), max_length=40, blank=True)
    aid_amount = models.DecimalField(_("慰问金额（元）"), max_digits=12, decimal_places=2, null=True, blank=True)
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.DONE)
    created_by = models.ForeignKey(
        "yushu_gov.User",
        verbose_name=_("录入人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("录入时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = WorkRecordQuerySet.as_manager()

    # The fields a clerk fills in (the form, the services and the audit log).
    ENTRY_FIELDS = [
        "kind", "occurred_on", "community", "officer", "summary", "people_reached", "households_reached",
        "value_recovered", "severity", "outcome", "case_number", "aid_amount", "status",
    ]  # fmt: skip

    class Meta:
        verbose_name = _("工作台账记录")
        verbose_name_plural = _("工作台账")
        ordering = ["-occurred_on", "-id"]
        indexes = [models.Index(fields=["occurred_on", "kind"], name="work_record_date_kind_idx")]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="dispute") & Q(severity__in=["blue", "yellow", "red"]))
                | (~Q(kind="dispute") & Q(severity="")),
                name="work_record_dispute_has_severity",
                violation_error_message=_("矛盾纠纷调解须选择纠纷等级（蓝、黄、红），其他类型不填。"),
            ),
            models.CheckConstraint(
                condition=Q(outcome="") | Q(kind="dispute"),
                name="work_record_outcome_only_for_disputes",
                violation_error_message=_("只有矛盾纠纷调解填写调解结果。"),
            ),
            models.CheckConstraint(
                condition=~Q(kind="dispute", status="done") | ~Q(outcome=""),
                name="work_record_done_dispute_has_outcome",
                violation_error_message=_("已办结的矛盾纠纷须填写调解结果。"),
            ),
            models.CheckConstraint(
                condition=(Q(kind="case") & ~Q(case_number="")) | (~Q(kind="case") & Q(case_number="")),
                name="work_record_case_has_number",
                violation_error_message=_("治安案件查处须填写案件编号，其他类型不填。"),
            ),
            models.CheckConstraint(
                condition=(Q(kind="aid") & Q(aid_amount__isnull=False) & Q(aid_amount__gte=0))
                | (~Q(kind="aid") & Q(aid_amount__isnull=True)),
                name="work_record_aid_has_amount",
                violation_error_message=_("帮扶慰问须填写慰问金额（不小于0元），其他类型不填。"),
            ),
            models.CheckConstraint(
                condition=Q(value_recovered__isnull=True) | Q(value_recovered__gte=0),
                name="work_record_value_recovered_not_negative",
                violation_error_message=_("挽回损失不能为负数。"),
            ),
        ]

    def __str__(self):
        return f"{self.occurred_on:%Y-%m-%d} {self.get_kind_display()} · {self.community.name}"
