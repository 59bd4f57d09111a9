"""The year-end dual reporting and dual assessment (双述职、双考核, DOMAIN.md §4.5).

One `AssessmentScheme` per year (weights, thresholds, the 优秀 cap, the commendation rule); one
`AnnualAssessment` per officer and year, holding the street's performance score, the bureau's business score
and quarterly grades, and the combined result; two `DutyReport`s per assessment (one to each body).
Every write goes through assessments/services.py; a filed result is locked in the service and, through
triggers (migration 0002), in the database.
"""

import uuid
from decimal import Decimal
from pathlib import PurePath

from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from assessments.messages import (
    ANNUAL_ASSESSMENT,
    COMMENDATION_CANDIDATE,
    DUTY_REPORT,
    DUTY_REPORT_DATE,
    DUTY_REPORT_FILE,
    DUTY_SCORE,
    OVERALL_GRADE,
    OVERALL_SCORE,
    Q1_ASSESSMENT,
    Q2_ASSESSMENT,
    Q3_ASSESSMENT,
    Q4_ASSESSMENT,
    REVIEW_GRADE,
    WORK_SCORE,
)
from communities.messages import AREA_LABEL, UPDATED_AT
from officers.messages import ANNUAL_YEAR, CONCURRENT_COMMUNITY, CREATED_AT, OFFICER_LABEL
from yushu_gov.access.rights import CommunityOfficerQuerySet
from yushu_gov.input.constraints import ConstraintFields
from yushu_gov.input.labels import STATUS_LABEL
from yushu_gov.security import limits

SCORE_DIGITS = {"max_digits": 5, "decimal_places": 2}


class Grade(models.TextChoices):
    """The four grades of an evaluation (评议) and of the combined result, best first."""

    EXCELLENT = "excellent", _("优秀")
    COMPETENT = "competent", _("称职")
    BASIC = "basic", _("基本称职")
    INCOMPETENT = "incompetent", _("不称职")


GRADE_RANK = {Grade.EXCELLENT: 4, Grade.COMPETENT: 3, Grade.BASIC: 2, Grade.INCOMPETENT: 1}


class QuarterGrade(models.TextChoices):
    """公务员平时考核 (quarterly)."""

    GOOD = "good", _("好")
    FAIRLY_GOOD = "fairly_good", _("较好")
    AVERAGE = "average", _("一般")
    POOR = "poor", _("较差")


WEIGHT_RANGE = _("权重须在 0 到 100%% 之间。")

# What a clerk sets in a year's scheme: the scheme form's fields and what its change audits.
SCHEME_FIELDS = [
    "performance_weight",
    "business_weight",
    "excellent_threshold",
    "competent_threshold",
    "basic_threshold",
    "excellent_cap_percent",
    "rates_weight",
    "commendation_min_grade",
    "commendation_min_evaluation",
    "commendation_excludes_poor_quarter",
]


class AssessmentScheme(ConstraintFields, models.Model):
    """The year's configuration (no public rule fixes it; the defaults are DOMAIN.md §4.5's)."""

    year = models.PositiveSmallIntegerField(ANNUAL_YEAR)
    # The level that set it (issue 20): it applies to that area and below unless a lower level sets its own
    # (communities/settings_tree.py); none: the deployment's default, which every year has.
    area = models.ForeignKey(
        "communities.Area",
        verbose_name=AREA_LABEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assessment_schemes",
        help_text=_("设置该方案的层级；空表示系统默认。"),
    )
    performance_weight = models.PositiveSmallIntegerField(_("履职评分权重（%）"), default=50)
    business_weight = models.PositiveSmallIntegerField(_("业务考核权重（%）"), default=50)
    excellent_threshold = models.DecimalField(_("优秀分数线"), **SCORE_DIGITS, default=Decimal("90"))
    competent_threshold = models.DecimalField(_("称职分数线"), **SCORE_DIGITS, default=Decimal("75"))
    basic_threshold = models.DecimalField(_("基本称职分数线"), **SCORE_DIGITS, default=Decimal("60"))
    excellent_cap_percent = models.PositiveSmallIntegerField(_("优秀比例上限（%）"), default=20)
    rates_weight = models.PositiveSmallIntegerField(
        _("三率在履职评分中的权重（%）"),
        default=0,
        help_text=_(
            "群众诉求响应率、办结率、满意率（三率）的平均值在履职评分中所占比例；0 表示履职评分即街道录入的分数。"
            "当年没有诉求的民警不计三率。"
        ),
    )
    commendation_min_grade = models.CharField(
        _("评先评优最低等次"), max_length=20, choices=Grade.choices, default=Grade.EXCELLENT
    )
    commendation_min_evaluation = models.CharField(
        _("两次述职评议最低等次"),
        max_length=20,
        choices=Grade.choices,
        default=Grade.COMPETENT,
        help_text=_("评先评优候选人的两次述职评议均不得低于此等次。"),
    )
    commendation_excludes_poor_quarter = models.BooleanField(_("平时考核有“较差”者不列入评先评优"), default=True)
    created_at = models.DateTimeField(CREATED_AT, auto_now_add=True)
    updated_at = models.DateTimeField(UPDATED_AT, auto_now=True)

    CONSTRAINT_FIELDS = {
        "scheme_weights_within_100": "performance_weight",
        "scheme_weights_sum_to_100": "business_weight",
        "scheme_thresholds_ordered": "excellent_threshold",
        "scheme_cap_within_100": "excellent_cap_percent",
        "scheme_rates_weight_within_100": "rates_weight",
    }

    class Meta:
        verbose_name = verbose_name_plural = _("考核方案")
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["year"],
                condition=Q(area__isnull=True),
                name="one_default_scheme_per_year",
                violation_error_message=_("该年度已有系统默认的考核方案。"),
            ),
            models.UniqueConstraint(
                fields=["year", "area"],
                name="one_scheme_per_year_and_area",
                violation_error_message=_("该层级已有该年度的考核方案。"),
            ),
            models.CheckConstraint(
                condition=Q(performance_weight__lte=100) & Q(business_weight__lte=100),
                name="scheme_weights_within_100",
                violation_error_message=WEIGHT_RANGE,
            ),
            models.CheckConstraint(
                condition=Q(performance_weight=100 - models.F("business_weight")),
                name="scheme_weights_sum_to_100",
                violation_error_message=_("两项权重之和须为 100%%。"),
            ),
            models.CheckConstraint(
                condition=Q(excellent_threshold__lte=100)
                & Q(excellent_threshold__gt=models.F("competent_threshold"))
                & Q(competent_threshold__gt=models.F("basic_threshold"))
                & Q(basic_threshold__gte=0),
                name="scheme_thresholds_ordered",
                violation_error_message=_("分数线须满足：100 ≥ 优秀 > 称职 > 基本称职 ≥ 0。"),
            ),
            models.CheckConstraint(
                condition=Q(excellent_cap_percent__lte=100),
                name="scheme_cap_within_100",
                violation_error_message=_("比例须在 0 到 100 之间。"),
            ),
            models.CheckConstraint(
                condition=Q(rates_weight__lte=100),
                name="scheme_rates_weight_within_100",
                violation_error_message=WEIGHT_RANGE,
            ),
        ]

    def __str__(self):
        if self.area_id is None:
            return _("%(year)s年度考核方案") % {"year": self.year}
        return _("%(area)s %(year)s年度考核方案") % {"area": self.area.name, "year": self.year}

    def grade_for(self, score: Decimal) -> str:
        if score >= self.excellent_threshold:
            return Grade.EXCELLENT
        if score >= self.competent_threshold:
            return Grade.COMPETENT
        if score >= self.basic_threshold:
            return Grade.BASIC
        return Grade.INCOMPETENT


class AssessmentQuerySet(CommunityOfficerQuerySet):
    """City administrators and the bureau see every assessment; street staff those of their street's
    communities; station leaders those of their station's officers."""

    def of_year(self, year: int):
        return self.filter(year=year)

    def for_review(self):
        """What the review page and the export show, in a constant number of queries."""
        return self.select_related("officer__station", "community__street").prefetch_related("reports")


class AnnualAssessment(ConstraintFields, models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("待述职")
        REPORTED = "reported", _("已述职")
        EVALUATED = "evaluated", _("已评议评分")
        COMBINED = "combined", _("已综合评定")
        FILED = "filed", _("已审定归档")

    officer = models.ForeignKey(
        "officers.Officer", verbose_name=OFFICER_LABEL, on_delete=models.PROTECT, related_name="assessments"
    )
    year = models.PositiveSmallIntegerField(ANNUAL_YEAR)
    community = models.ForeignKey(
        "communities.Community",
        verbose_name=CONCURRENT_COMMUNITY,
        on_delete=models.PROTECT,
        related_name="assessments",
        help_text=_("该年度兼任的社区（年内最后一个任职）。"),
    )
    status = models.CharField(STATUS_LABEL, max_length=20, choices=Status.choices, default=Status.OPEN)
    performance_score = models.DecimalField(DUTY_SCORE, **SCORE_DIGITS, null=True, blank=True)
    business_score = models.DecimalField(WORK_SCORE, **SCORE_DIGITS, null=True, blank=True)
    quarter1 = models.CharField(Q1_ASSESSMENT, max_length=20, choices=QuarterGrade.choices, blank=True)
    quarter2 = models.CharField(Q2_ASSESSMENT, max_length=20, choices=QuarterGrade.choices, blank=True)
    quarter3 = models.CharField(Q3_ASSESSMENT, max_length=20, choices=QuarterGrade.choices, blank=True)
    quarter4 = models.CharField(Q4_ASSESSMENT, max_length=20, choices=QuarterGrade.choices, blank=True)
    weighted_score = models.DecimalField(OVERALL_SCORE, **SCORE_DIGITS, null=True, blank=True)
    grade = models.CharField(OVERALL_GRADE, max_length=20, choices=Grade.choices, blank=True)
    commendation_eligible = models.BooleanField(COMMENDATION_CANDIDATE, default=False)
    combined_at = models.DateTimeField(_("综合评定时间"), null=True, blank=True)
    filed_at = models.DateTimeField(_("审定归档时间"), null=True, blank=True)
    filed_by = models.ForeignKey(
        "yushu_gov.User",
        verbose_name=_("审定人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    version = models.PositiveIntegerField(_("版本号"), default=1)
    created_at = models.DateTimeField(CREATED_AT, auto_now_add=True)
    updated_at = models.DateTimeField(UPDATED_AT, auto_now=True)

    objects = AssessmentQuerySet.as_manager()

    CONSTRAINT_FIELDS = {
        "assessment_performance_score_0_100": "performance_score",
        "assessment_business_score_0_100": "business_score",
    }

    QUARTERS = ("quarter1", "quarter2", "quarter3", "quarter4")
    # The statuses each step starts from: the one table the services and the pages read. (The states before
    # "combined" follow from what has been entered: services.derive_status.)
    STEP_STARTS = {
        "combine": ("evaluated", "combined"),
        "file": ("combined",),
        "reopen": ("filed",),
    }

    class Meta:
        verbose_name = verbose_name_plural = ANNUAL_ASSESSMENT
        ordering = ["-year", "community__street__sort_order", "community__sort_order", "officer__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["officer", "year"],
                name="one_assessment_per_officer_and_year",
                violation_error_message=_("该民警本年度已有考核记录。"),
            ),
            models.CheckConstraint(
                condition=Q(performance_score__isnull=True) | Q(performance_score__gte=0, performance_score__lte=100),
                name="assessment_performance_score_0_100",
                violation_error_message=_("履职评分须在 0 到 100 之间。"),
            ),
            models.CheckConstraint(
                condition=Q(business_score__isnull=True) | Q(business_score__gte=0, business_score__lte=100),
                name="assessment_business_score_0_100",
                violation_error_message=_("业务考核得分须在 0 到 100 之间。"),
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["combined", "filed"]) | (Q(weighted_score__isnull=False) & ~Q(grade="")),
                name="assessment_combined_has_result",
                violation_error_message=_("综合评定后须有综合得分和综合等次。"),
            ),
            models.CheckConstraint(
                condition=~Q(status="filed") | Q(filed_at__isnull=False),
                name="assessment_filed_has_date",
                violation_error_message=_("审定归档须记录归档时间。"),
            ),
        ]

    def __str__(self):
        return _("%(name)s %(year)s年度考核") % {"name": self.officer.name, "year": self.year}

    @property
    def is_filed(self) -> bool:
        return self.status == self.Status.FILED

    @property
    def open_steps(self) -> list[str]:
        """The steps (STEP_STARTS) that may start from the current status."""
        return [step for step, statuses in self.STEP_STARTS.items() if self.status in statuses]

    def quarter_grades(self) -> list[str]:
        return [getattr(self, name) for name in self.QUARTERS]

    def quarter_displays(self) -> list[str]:
        return [getattr(self, f"get_{name}_display")() for name in self.QUARTERS]

    def report_for(self, body: str):
        """The duty report to `body` (uses the prefetched reports when there are any)."""
        for report in self.reports.all():
            if report.body == body:
                return report
        return None

    @property
    def bureau_report(self):
        return self.report_for(DutyReport.Body.BUREAU)

    @property
    def street_report(self):
        return self.report_for(DutyReport.Body.STREET)


def report_upload_to(instance, filename: str) -> str:
    """Under MEDIA_ROOT/private/ with a random name: never served as a public URL, only through the
    download view that checks the user's scope."""
    suffix = PurePath(filename).suffix.lower()
    return f"private/assessments/{instance.assessment.year}/{uuid.uuid4().hex}{suffix}"


class DutyReport(models.Model):
    """述职: the officer's report to one of the two bodies, and that body's evaluation (评议)."""

    class Body(models.TextChoices):
        BUREAU = "bureau", _("市公安局党委")
        STREET = "street", _("街道党工委")

    assessment = models.ForeignKey(
        AnnualAssessment, verbose_name=ANNUAL_ASSESSMENT, on_delete=models.CASCADE, related_name="reports"
    )
    body = models.CharField(_("述职对象"), max_length=10, choices=Body.choices)
    held_on = models.DateField(DUTY_REPORT_DATE, null=True, blank=True)
    text = models.TextField(DUTY_REPORT, blank=True, validators=[MaxLengthValidator(limits.REPORT_TEXT)])
    # Stored and served under generated names: the uploaded file's own name (which may hold anything, an ID
    # number included) is never kept.
    file = models.FileField(DUTY_REPORT_FILE, upload_to=report_upload_to, blank=True, max_length=200)
    evaluation = models.CharField(REVIEW_GRADE, max_length=20, choices=Grade.choices, blank=True)
    submitted_at = models.DateTimeField(
        _("本人提交时间"),
        null=True,
        blank=True,
        help_text=_("民警副书记本人撰写或上传并提交述职报告的时间；提交后本人不能再修改。"),
    )
    updated_at = models.DateTimeField(UPDATED_AT, auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = _("述职")
        ordering = ["assessment", "body"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "body"],
                name="one_report_per_body",
                violation_error_message=_("每份年度考核对每个述职对象只有一份述职。"),
            ),
        ]

    def __str__(self):
        return f"{self.assessment} · {self.get_body_display()}"

    @property
    def download_name(self) -> str:
        """The name the attachment is served under, made from the record: 2023年度述职报告-街道党工委-扎西多杰.pdf."""
        suffix = PurePath(self.file.name).suffix if self.file else ""
        return f"{self.assessment.year}年度述职报告-{self.get_body_display()}-{self.assessment.officer.name}{suffix}"

    @property
    def is_held(self) -> bool:
        return self.held_on is not None and bool(self.text.strip() or self.file)

    @property
    def open_to_officer(self) -> bool:
        """The officer writes his report until he submits it or the body holds the 述职 (a filed result is
        locked whatever this says)."""
        return self.submitted_at is None and self.held_on is None
