"""Officers (党员民警) and their appointments as deputy secretaries (社区党支部副书记) under the seat system."""

from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from communities.models import Community
from yushu_gov.access import scoped
from yushu_gov.masking import mask_id_number, mask_mobile
from yushu_gov.validators import validate_id_number, validate_mobile


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

    def with_current_appointment(self):
        """Annotates the community the officer currently serves (or is being appointed to)."""
        current = Appointment.objects.filter(officer=OuterRef("pk"), status__in=Appointment.CURRENT).order_by("-id")
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
    photo = models.ImageField(_("照片"), upload_to="officers/photos/", blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = OfficerQuerySet.as_manager()

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

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def masked_mobile(self) -> str:
        return mask_mobile(self.mobile)

    @property
    def is_party_member(self) -> bool:
        return self.party_status in (self.PartyStatus.FULL, self.PartyStatus.PROBATIONARY)


class AppointmentQuerySet(models.QuerySet):
    def visible_to(self, user):
        return scoped(
            self,
            user,
            street=lambda street_id: Q(community__street_id=street_id),
            station=lambda station_id: Q(officer__station_id=station_id),
        )

    def serving(self):
        return self.filter(status=Appointment.Status.SERVING)


class Appointment(models.Model):
    """A seat: one officer appointed deputy secretary of one community's party branch (席位制)."""

    class Status(models.TextChoices):
        NOMINATED = "nominated", _("人选推荐")
        REVIEWED = "reviewed", _("资格审查")
        REPORTED = "reported", _("上报请示")
        DECIDED = "decided", _("研究任职")
        FILED = "filed", _("发文备案")
        SERVING = "serving", _("在任")
        ENDED = "ended", _("离任")
        RETURNED = "returned", _("已退回")
        WITHDRAWN = "withdrawn", _("已撤回")

    class EndReason(models.TextChoices):
        TRANSFER = "transfer", _("工作调动")
        ROTATION = "rotation", _("轮岗交流")
        TERM_END = "term_end", _("任期届满")
        REMOVAL = "removal", _("免职")

    # On the way to serving (the seat is taken in the workflow) or serving.
    CURRENT = ("nominated", "reviewed", "reported", "decided", "filed", "serving")
    SEEN_BY_STREET = (*CURRENT, "ended")

    officer = models.ForeignKey(Officer, verbose_name=_("民警"), on_delete=models.PROTECT, related_name="appointments")
    community = models.ForeignKey(
        Community, verbose_name=_("社区"), on_delete=models.PROTECT, related_name="appointments"
    )
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.NOMINATED)
    started_on = models.DateField(_("任职日期"), null=True, blank=True)
    ended_on = models.DateField(_("离任日期"), null=True, blank=True)
    end_reason = models.CharField(_("离任原因"), max_length=20, choices=EndReason.choices, blank=True)
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
            models.CheckConstraint(
                condition=~Q(status="serving") | Q(started_on__isnull=False),
                name="serving_appointment_has_start_date",
            ),
            models.CheckConstraint(
                condition=~Q(status="ended") | Q(ended_on__isnull=False, started_on__isnull=False),
                name="ended_appointment_has_dates",
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


# ---------------------------------------------------------------------------------------------------------
# Work ledger (工作台账, DOMAIN.md §4.4): what the officers do in their communities, and its outcomes.
# ---------------------------------------------------------------------------------------------------------


class WorkRecordQuerySet(models.QuerySet):
    def visible_to(self, user):
        """City administrators and the bureau read all records; street staff those in their street's
        communities; station leaders those of their station's officers."""
        return scoped(
            self,
            user,
            street=lambda street_id: Q(community__street_id=street_id),
            station=lambda station_id: Q(officer__station_id=station_id),
        )

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
