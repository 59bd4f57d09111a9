"""The work ledger (工作台账, DOMAIN.md §4.4): what the officers do in their communities, and its outcomes."""

from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from communities.messages import COMMUNITY_LABEL, ENTERED_BY, UPDATED_AT, YEAR_LABEL
from communities.models import AreaMonth, Community, month_key_constraints
from officers.ledger.messages import (
    CASE_HANDLING,
    CASE_NUMBER,
    CONDOLENCE_AMOUNT,
    CONDOLENCE_VISITS,
    DISPUTE_LEVEL,
    DISPUTE_MEDIATION,
    HAZARD_CHECKS,
    HOME_VISITS,
    HOUSEHOLDS_INVOLVED,
    LOSS_RECOVERED,
    MEDIATION_RESULT,
    PATROLS,
    PEOPLE_INVOLVED,
    POLICY_PUBLICITY,
    POVERTY_MONITORING,
    PRACTICAL_HELP,
    WORK_KIND,
    WORK_SUMMARY,
)
from officers.messages import DATE_LABEL, IN_PROGRESS_LABEL, OFFICER_LABEL, RESOLVED_LABEL
from officers.models import Officer
from yushu_gov.access.rights import CommunityOfficerQuerySet
from yushu_gov.input.constraints import ConstraintFields
from yushu_gov.input.labels import MONTH_LABEL, STATUS_LABEL, WORK_LEDGER
from yushu_gov.security import limits


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
        DIFFICULTY = "difficulty", PRACTICAL_HELP
        DISPUTE = "dispute", DISPUTE_MEDIATION
        CASE = "case", CASE_HANDLING
        PATROL = "patrol", PATROLS
        HAZARD = "hazard", HAZARD_CHECKS
        VISIT = "visit", HOME_VISITS
        PUBLICITY = "publicity", POLICY_PUBLICITY
        POVERTY_WATCH = "poverty_watch", POVERTY_MONITORING
        AID = "aid", CONDOLENCE_VISITS

    class Severity(models.TextChoices):
        BLUE = "blue", _("蓝色（一般）")
        YELLOW = "yellow", _("黄色（较大）")
        RED = "red", _("红色（重大）")

    class Outcome(models.TextChoices):
        RESOLVED = "resolved", _("调解成功")
        UNRESOLVED = "unresolved", _("调解未成功")
        REFERRED = "referred", _("移交有关部门")

    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", IN_PROGRESS_LABEL
        DONE = "done", RESOLVED_LABEL

    kind = models.CharField(WORK_KIND, max_length=20, choices=Kind.choices)
    occurred_on = models.DateField(DATE_LABEL)
    community = models.ForeignKey(
        Community, verbose_name=COMMUNITY_LABEL, on_delete=models.PROTECT, related_name="work_records"
    )
    officer = models.ForeignKey(
        Officer, verbose_name=OFFICER_LABEL, on_delete=models.PROTECT, related_name="work_records"
    )
    summary = models.TextField(
        WORK_SUMMARY, max_length=limits.WORK_SUMMARY, validators=[MaxLengthValidator(limits.WORK_SUMMARY)]
    )
    people_reached = models.PositiveIntegerField(PEOPLE_INVOLVED, null=True, blank=True)
    households_reached = models.PositiveIntegerField(HOUSEHOLDS_INVOLVED, null=True, blank=True)
    value_recovered = models.DecimalField(LOSS_RECOVERED, max_digits=12, decimal_places=2, null=True, blank=True)
    severity = models.CharField(DISPUTE_LEVEL, max_length=10, choices=Severity.choices, blank=True)
    outcome = models.CharField(MEDIATION_RESULT, max_length=20, choices=Outcome.choices, blank=True)
    case_number = models.CharField(CASE_NUMBER, max_length=40, blank=True)
    aid_amount = models.DecimalField(CONDOLENCE_AMOUNT, max_digits=12, decimal_places=2, null=True, blank=True)
    status = models.CharField(STATUS_LABEL, max_length=20, choices=Status.choices, default=Status.DONE)
    created_by = models.ForeignKey(
        "yushu_gov.User",
        verbose_name=ENTERED_BY,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("录入时间"), auto_now_add=True)
    updated_at = models.DateTimeField(UPDATED_AT, auto_now=True)

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
        verbose_name_plural = WORK_LEDGER
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

    @property
    def short_summary(self) -> str:
        """The record's content, cut to a line: how a field that links a record names it."""
        text = " ".join(self.summary.split())
        return text if len(text) <= 40 else f"{text[:39]}…"

    @classmethod
    def emptied_for(cls, kind: str) -> dict:
        """The other types' fields, emptied: a record whose type changed keeps no stray values behind."""
        return {name: None if name == "aid_amount" else "" for name, owner in cls.KIND_FIELDS.items() if owner != kind}


class WorkCounts(models.Model):
    """The work records counted and summed, by type: how many, how many of them done (已办结), the disputes by
    level, and the people, households, value and aid. Shared by the monthly counts per community (WorkMonth) and
    their roll-up per area of the organisation tree (AreaWorkMonth). The count columns are named after
    WorkRecord.Kind's values."""

    # Work records by type: how many, and how many of them done (已办结).
    difficulty = models.IntegerField(PRACTICAL_HELP, default=0)
    difficulty_done = models.IntegerField(_("为民办实事/解决实际困难（已办结）"), default=0)
    dispute = models.IntegerField(DISPUTE_MEDIATION, default=0)
    dispute_done = models.IntegerField(_("矛盾纠纷调解（已办结）"), default=0)
    case = models.IntegerField(CASE_HANDLING, default=0)
    case_done = models.IntegerField(_("治安案件查处（已办结）"), default=0)
    patrol = models.IntegerField(PATROLS, default=0)
    patrol_done = models.IntegerField(_("治安巡逻（已办结）"), default=0)
    hazard = models.IntegerField(HAZARD_CHECKS, default=0)
    hazard_done = models.IntegerField(_("隐患排查（已办结）"), default=0)
    visit = models.IntegerField(HOME_VISITS, default=0)
    visit_done = models.IntegerField(_("入户走访（敲门行动）（已办结）"), default=0)
    publicity = models.IntegerField(POLICY_PUBLICITY, default=0)
    publicity_done = models.IntegerField(_("政策宣传（已办结）"), default=0)
    poverty_watch = models.IntegerField(POVERTY_MONITORING, default=0)
    poverty_watch_done = models.IntegerField(_("防返贫监测排查（已办结）"), default=0)
    aid = models.IntegerField(CONDOLENCE_VISITS, default=0)
    aid_done = models.IntegerField(_("帮扶慰问（已办结）"), default=0)
    dispute_blue = models.IntegerField(_("蓝色纠纷"), default=0)
    dispute_yellow = models.IntegerField(_("黄色纠纷"), default=0)
    dispute_red = models.IntegerField(_("红色纠纷"), default=0)
    dispute_resolved = models.IntegerField(_("调解成功（已办结）"), default=0)
    people_reached = models.BigIntegerField(PEOPLE_INVOLVED, default=0)
    households_reached = models.BigIntegerField(HOUSEHOLDS_INVOLVED, default=0)
    value_recovered = models.DecimalField(LOSS_RECOVERED, max_digits=16, decimal_places=2, default=0)
    aid_amount = models.DecimalField(CONDOLENCE_AMOUNT, max_digits=16, decimal_places=2, default=0)
    aid_households = models.BigIntegerField(_("帮扶户数"), default=0)

    class Meta:
        abstract = True


class WorkMonth(WorkCounts):
    """The work records of one community, one officer and one calendar month, counted and summed: what the
    dashboard and the briefing read, so that their cost follows communities × months, not records. Kept by the
    ledger services in their transaction (officers/ledger/counts.py); `manage.py rebuild_summaries` recounts it."""

    community = models.ForeignKey(Community, verbose_name=COMMUNITY_LABEL, on_delete=models.PROTECT, related_name="+")
    officer = models.ForeignKey(Officer, verbose_name=OFFICER_LABEL, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(YEAR_LABEL)
    month = models.PositiveSmallIntegerField(MONTH_LABEL)
    objects = CommunityOfficerQuerySet.as_manager()

    KEY_FIELDS = ("community_id", "officer_id", "year", "month")

    class Meta:
        verbose_name = _("工作台账月度统计")
        verbose_name_plural = verbose_name
        constraints = month_key_constraints(
            ["community", "officer", "year", "month"],
            unique="one_work_month_per_community_officer",
            check="work_month_1_to_12",
            message=_("该社区该民警该月的工作统计已存在。"),
        )
        indexes = [models.Index(fields=["year", "community"], name="work_month_year_community_idx")]

    def __str__(self):
        return f"{self.community_id} · {self.officer_id} · {self.year}-{self.month:02d}"

    @classmethod
    def count_fields(cls) -> tuple[str, ...]:
        """The columns that hold counts and sums (everything but the id and the key)."""
        return tuple(f.attname for f in cls._meta.concrete_fields if f.attname not in ("id", *cls.KEY_FIELDS))


class AreaWorkMonth(AreaMonth, WorkCounts):
    """The same counts rolled up per area of the organisation tree and calendar month: every area above a
    community (its city or county, its prefecture, the province) holds the sum of the communities below it. What
    a node's dashboard reads for its children, so that its cost follows children × months, whatever the number
    of communities and records below. Kept with WorkMonth, in the same transaction (officers/ledger/counts.py);
    recounted from WorkMonth by `manage.py rebuild_summaries`, and whenever the tree changes shape."""

    class Meta:
        verbose_name = _("工作台账区域月度汇总")
        verbose_name_plural = verbose_name
        constraints = month_key_constraints(
            ["area", "year", "month"],
            unique="one_work_month_per_area",
            check="area_work_month_1_to_12",
            message=_("该区域该月的工作汇总已存在。"),
        )

    def __str__(self):
        return f"{self.area_id} · {self.year}-{self.month:02d}"

    @classmethod
    def count_fields(cls) -> tuple[str, ...]:
        return WorkMonth.count_fields()
