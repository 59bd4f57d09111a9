"""The work ledger (工作台账, DOMAIN.md §4.4): what the officers do in their communities, and its outcomes."""

from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from communities.models import Community
from officers.models import Officer
from yushu_gov.security import limits
from yushu_gov.access.rights import CommunityOfficerQuerySet
from yushu_gov.input.constraints import ConstraintFields


class WorkRecordQuerySet(CommunityOfficerQuerySet):
    """City administrators and the bureau read all records; street staff those in their street's
    communities; station leaders those of their station's officers."""

    def in_year(self, year: int):
        return self.filter(occurred_on__year=year)


class WorkRecord(ConstraintFields, models.Model):
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
    summary = models.TextField(
        _("工作内容"), max_length=limits.WORK_SUMMARY, validators=[MaxLengthValidator(limits.WORK_SUMMARY)]
    )
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

    # The fields that belong to one type only: for every other type they stay empty (the constraints below).
    KIND_FIELDS = {
        "severity": Kind.DISPUTE,
        "outcome": Kind.DISPUTE,
        "case_number": Kind.CASE,
        "aid_amount": Kind.AID,
    }

    CONSTRAINT_FIELDS = {
        "work_record_dispute_has_severity": "severity",
        "work_record_outcome_only_for_disputes": "outcome",
        "work_record_done_dispute_has_outcome": "outcome",
        "work_record_case_has_number": "case_number",
        "work_record_aid_has_amount": "aid_amount",
        "work_record_value_recovered_not_negative": "value_recovered",
    }

    # The fields a clerk fills in (the form, the services and the audit log).
    ENTRY_FIELDS = [
        "kind", "occurred_on", "community", "officer", "summary", "people_reached", "households_reached",
        "value_recovered", "severity", "outcome", "case_number", "aid_amount", "status",
    ]  # fmt: skip

    class Meta:
        verbose_name = _("工作台账记录")
        verbose_name_plural = _("工作台账")
        ordering = ["-occurred_on", "-id"]
        indexes = [
            models.Index(fields=["occurred_on", "kind"], name="work_record_date_kind_idx"),
            # The list's pages (yushu_gov/lists/pagination.py), newest first, read in index order: the whole ledger,
            # one community (a street's clerk, the community filter) and one officer.
            models.Index(fields=["occurred_on", "id"], name="work_record_date_id"),
            models.Index(fields=["community", "occurred_on", "id"], name="work_record_community_date"),
            models.Index(fields=["officer", "occurred_on", "id"], name="work_record_officer_date"),
        ]
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

    @classmethod
    def emptied_for(cls, kind: str) -> dict:
        """The other types' fields, emptied: a record whose type changed keeps no stray values behind."""
        return {name: None if name == "aid_amount" else "" for name, owner in cls.KIND_FIELDS.items() if owner != kind}
