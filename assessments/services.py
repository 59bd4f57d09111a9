"""Every write of the year-end assessment. Each function is atomic, locks the row it changes, refuses to
touch a filed result, checks the version number the user's form was built from (in the UPDATE itself), and
writes the audit log in the same transaction.

The states follow from what has been entered (DOMAIN.md §4.5):
open → reported (both reports held) → evaluated (both evaluations, both scores, four quarterly grades)
→ combined (`assessment_combine`) → filed (`assessment_file`). Changing an input of a combined result
clears the result and takes it back to the state its inputs justify.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.messages import PREVIOUS_ATTACHMENT
from yushu_gov.audit.log import audit_log, changes_of, snapshot
from yushu_gov.security.masking import mask_text

from .messages import REPORT_CONTENT_MISSING
from .models import GRADE_RANK, SCHEME_FIELDS, AnnualAssessment, AssessmentScheme, DutyReport, QuarterGrade
from .selectors import (
    applicable_scheme,
    area_of_community,
    officers_served_in,
    rates_score,
    scheme_locked,
    scheme_locked_message,
)

RESULT_CLEARED = {"weighted_score": None, "grade": "", "commendation_eligible": False, "combined_at": None}


class ConflictError(ValidationError):
    """Someone else saved the assessment after the user opened the form."""

    def __init__(self):
        super().__init__(
            _(
                "保存失败：您打开页面后，他人已修改了这份考核记录。您的修改没有保存，对方的内容也未被覆盖。请刷新页面查看最新内容后重新填写。"
            ),
            code="conflict",
        )


def _locked_message() -> str:
    return _("该考核结果已审定归档，不能再修改。如确需更正，请联系市级管理员（市委组织部）填写理由后重新开启。")


# ---------------------------------------------------------------- the scheme


def scheme_for_year(year: int) -> AssessmentScheme:
    """The year's default scheme (the deployment's, no area), created with the defaults on first use."""
    scheme, _created = AssessmentScheme.objects.get_or_create(year=year, area=None)
    return scheme


def scheme_for_area(year: int, area) -> AssessmentScheme:
    """The scheme that applies in `area` (issue 20): its own level's or the nearest level above's, else the
    year's default (made on first use). One query when a level has set one."""
    scheme = applicable_scheme(year, area)
    return scheme if scheme.pk is not None else scheme_for_year(year)


def scheme_for_assessment(assessment: AnnualAssessment) -> AssessmentScheme:
    """The scheme an assessment is graded by: that of its community's street's area."""
    return scheme_for_area(assessment.year, area_of_community(assessment.community_id))


def _under_level(queryset, *, year: int, area):
    """`queryset` (of assessments) cut to the results graded by the scheme of `area`'s level: under the area
    (everywhere for the default), less those under a lower level that has a scheme of its own for the year."""
    if area is not None:
        queryset = queryset.filter(community__street__area__path__startswith=area.path)
    lower = AssessmentScheme.objects.filter(year=year, area__isnull=False)
    if area is not None:
        lower = lower.filter(area__path__startswith=area.path).exclude(area=area)
    for path in lower.values_list("area__path", flat=True):
        queryset = queryset.exclude(community__street__area__path__startswith=path)
    return queryset


def _recombine(*, year: int, area) -> int:
    """Results combined under a level's old scheme are stale: back to "evaluated", to be combined again."""
    combined = AnnualAssessment.objects.filter(year=year, status=AnnualAssessment.Status.COMBINED)
    stale = _under_level(combined, year=year, area=area)
    return stale.update(
        status=AnnualAssessment.Status.EVALUATED, **RESULT_CLEARED, version=F("version") + 1, updated_at=timezone.now()
    )


@transaction.atomic
def scheme_update(*, year: int, data: dict, by, area=None) -> AssessmentScheme:
    """Sets the year's scheme of `area`'s level (None: the deployment's default). A level without a scheme of
    its own starts from the one it inherits, so the fields it leaves out keep their inherited values."""
    if area is None:
        scheme_for_year(year)
    scheme = AssessmentScheme.objects.select_for_update().filter(year=year, area=area).first()
    if scheme_locked(year, area):
        raise ValidationError(scheme_locked_message(year))
    created = scheme is None
    if created:
        inherited = applicable_scheme(year, area)
        scheme = AssessmentScheme(year=year, area=area, **{name: getattr(inherited, name) for name in SCHEME_FIELDS})
    before = snapshot(scheme, SCHEME_FIELDS)
    for name in SCHEME_FIELDS:
        if name in data:
            setattr(scheme, name, data[name])
    scheme.full_clean()
    changes = changes_of(before, snapshot(scheme, SCHEME_FIELDS))
    if not changes and not created:
        return scheme
    try:
        with transaction.atomic():
            scheme.save() if created else scheme.save(update_fields=[*changes, "updated_at"])
    except IntegrityError as exc:  # a colleague set this level's scheme at the same moment
        raise ValidationError(_("该层级已有该年度的考核方案，请刷新页面后重试。")) from exc
    stale = _recombine(year=year, area=area)
    audit_log(
        actor=by,
        action="assessments.scheme.changed",
        obj=scheme,
        changes={**changes, **({"area": [None, str(area)]} if created else {}), "results_to_recombine": [None, stale]},
    )
    return scheme


@transaction.atomic
def scheme_reset(*, year: int, area, by) -> None:
    """恢复继承: `area`'s level gives up its scheme for the year and inherits the one above again. Refused once a
    result of the year under the level is filed (the same rule as a change)."""
    scheme = AssessmentScheme.objects.select_for_update().filter(year=year, area=area).first()
    if area is None or scheme is None:
        raise ValidationError(_("本级没有单独设置该年度的考核方案。"))
    if scheme_locked(year, area):
        raise ValidationError(scheme_locked_message(year))
    stale = _recombine(year=year, area=area)
    audit_log(
        actor=by,
        action="assessments.scheme.reset",
        obj=scheme,
        changes={
            **{name: [value, None] for name, value in snapshot(scheme, SCHEME_FIELDS).items()},
            "results_to_recombine": [None, stale],
        },
    )
    scheme.delete()


# ---------------------------------------------------------------- scoring


def _quantize(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def compute_result(
    *,
    scheme: AssessmentScheme,
    performance_score: Decimal,
    business_score: Decimal,
    evaluations: list[str],
    quarters: list[str],
    rates_score: Decimal | None = None,
) -> dict:
    """The combined result: weighted score (two decimals, half up), grade by the year's thresholds, and
    commendation eligibility by the year's rule. `rates_score`: the mean of the officer's 三率 (percent), which
    the scheme's `rates_weight` blends into the street's performance score (none when he had no request)."""
    performance = Decimal(performance_score)
    if scheme.rates_weight and rates_score is not None:
        performance = (performance * (100 - scheme.rates_weight) + rates_score * scheme.rates_weight) / Decimal(100)
    weighted = _quantize(
        (performance * scheme.performance_weight + Decimal(business_score) * scheme.business_weight) / Decimal(100)
    )
    grade = scheme.grade_for(weighted)
    eligible = (
        GRADE_RANK[grade] >= GRADE_RANK[scheme.commendation_min_grade]
        and all(GRADE_RANK[e] >= GRADE_RANK[scheme.commendation_min_evaluation] for e in evaluations)
        and not (scheme.commendation_excludes_poor_quarter and QuarterGrade.POOR in quarters)
    )
    return {"weighted_score": weighted, "grade": grade, "commendation_eligible": eligible}


def derive_status(assessment: AnnualAssessment, reports: list[DutyReport]) -> str:
    """The state the inputs justify (never `combined` or `filed`: those are actions)."""
    by_body = {r.body: r for r in reports}
    held = all(by_body.get(body) is not None and by_body[body].is_held for body in DutyReport.Body.values)
    if not held:
        return AnnualAssessment.Status.OPEN
    evaluated = (
        all(by_body[body].evaluation for body in DutyReport.Body.values)
        and assessment.performance_score is not None
        and assessment.business_score is not None
        and all(assessment.quarter_grades())
    )
    return AnnualAssessment.Status.EVALUATED if evaluated else AnnualAssessment.Status.REPORTED


# ---------------------------------------------------------------- opening a year


@transaction.atomic
def assessment_year_open(*, year: int, by) -> int:
    """Creates the missing assessments (and their two reports) of everyone who served in the year.
    Returns the number created; running it again adds only officers who are still missing."""
    if year > timezone.localdate().year:
        raise ValidationError(_("%(year)s 年尚未到来，不能开始该年度的考核。") % {"year": year})
    scheme_for_year(year)
    last_community = {}
    for appointment in officers_served_in(year):
        last_community[appointment.officer_id] = appointment.community_id  # the year's last seat wins
    existing = set(AnnualAssessment.objects.filter(year=year).values_list("officer_id", flat=True))
    created = 0
    for officer_id, community_id in last_community.items():
        if officer_id in existing:
            continue
        try:
            with transaction.atomic():
                assessment = AnnualAssessment.objects.create(
                    officer_id=officer_id, year=year, community_id=community_id
                )
                DutyReport.objects.bulk_create(
                    [DutyReport(assessment=assessment, body=body) for body in DutyReport.Body]
                )
        except IntegrityError:
            continue  # opened at the same moment by a colleague: that assessment exists now
        created += 1
    if created:
        audit_log(
            actor=by, action="assessments.year.opened", obj=scheme_for_year(year), changes={"created": [None, created]}
        )
    return created


# ---------------------------------------------------------------- entering the inputs


def _lock(assessment: AnnualAssessment, version: int) -> AnnualAssessment:
    current = AnnualAssessment.objects.select_for_update().get(pk=assessment.pk)
    if current.is_filed:
        raise ValidationError(_locked_message(), code="filed")
    if current.version != version:
        raise ConflictError()
    return current


def _save_checked(current: AnnualAssessment, version: int, fields: dict) -> AnnualAssessment:
    """The optimistic-concurrency write: the UPDATE matches only the version the form was built from."""
    rows = AnnualAssessment.objects.filter(pk=current.pk, version=version).update(
        **fields, version=F("version") + 1, updated_at=timezone.now()
    )
    if rows == 0:
        raise ConflictError()
    for name, value in fields.items():
        setattr(current, name, value)
    current.version = version + 1
    return current


def _after_input(current: AnnualAssessment, version: int, fields: dict) -> AnnualAssessment:
    """Saves the changed inputs; the state follows from them and any earlier result is cleared."""
    for name, value in fields.items():
        setattr(current, name, value)
    status = derive_status(current, list(current.reports.all()))
    extra = {"status": status}
    if current.status == AnnualAssessment.Status.COMBINED:
        extra.update(RESULT_CLEARED)
    return _save_checked(current, version, {**fields, **extra})


@transaction.atomic
def assessment_set_performance(*, assessment: AnnualAssessment, score: Decimal, version: int, by):
    """The street's performance score (履职评分)."""
    current = _lock(assessment, version)
    before = snapshot(current, ["performance_score", "status"])
    current = _after_input(current, version, {"performance_score": score})
    audit_log(
        actor=by,
        action="assessments.performance.entered",
        obj=current,
        changes=changes_of(before, snapshot(current, ["performance_score", "status"])),
    )
    return current


@transaction.atomic
def assessment_set_business(*, assessment: AnnualAssessment, score: Decimal, quarters: list[str], version: int, by):
    """The bureau's business score (业务考核) and the four quarterly grades (平时考核)."""
    names = ["business_score", *AnnualAssessment.QUARTERS, "status"]
    current = _lock(assessment, version)
    before = snapshot(current, names)
    fields = {"business_score": score, **dict(zip(AnnualAssessment.QUARTERS, quarters, strict=True))}
    current = _after_input(current, version, fields)
    audit_log(
        actor=by,
        action="assessments.business.entered",
        obj=current,
        changes=changes_of(before, snapshot(current, names)),
    )
    return current


REPORT_FIELDS = ["held_on", "text", "file", "evaluation"]


@transaction.atomic
def report_update(*, assessment: AnnualAssessment, body: str, data: dict, version: int, by) -> DutyReport:
    """One body's duty report and its evaluation. `data`: held_on, text, evaluation and optionally
    `file` (an uploaded file; False clears the stored one; None keeps it)."""
    current = _lock(assessment, version)
    status_before = current.status
    report = DutyReport.objects.select_for_update().get(assessment=current, body=body)
    before = snapshot(report, REPORT_FIELDS)
    old_file = report.file.name if report.file else ""
    report.held_on = data.get("held_on")
    report.text = mask_text(data.get("text", ""))  # residents' ID and mobile numbers never stored
    report.evaluation = data.get("evaluation", "")
    upload = data.get("file")
    if upload is False:
        report.file = None
    elif upload:
        report.file.save(upload.name, upload, save=False)  # under a random name (report_upload_to)
    report.save(update_fields=["held_on", "text", "evaluation", "file", "updated_at"])
    current = _after_input(current, version, {})
    changes = changes_of(before, snapshot(report, REPORT_FIELDS))
    if "file" in changes:
        changes["file"] = [old_file and str(PREVIOUS_ATTACHMENT), report.download_name if report.file else ""]
    audit_log(
        actor=by,
        action=f"assessments.report.{body}.entered",
        obj=current,
        changes={**changes, **({"status": [status_before, current.status]} if status_before != current.status else {})},
    )
    return report


OWN_REPORT_FIELDS = ["text", "file", "submitted_at"]


@transaction.atomic
def report_write(*, assessment: AnnualAssessment, body: str, data: dict, submit: bool, version: int, by) -> DutyReport:
    """The officer's own duty report to one body, written or uploaded by himself: saved as a draft, or
    submitted to the body (the street's party working committee, the bureau's party committee), after which
    it is the body's to hold and evaluate. `data`: text and optionally `file` (an upload; False clears it)."""
    current = _lock(assessment, version)
    if by.officer_id is None or current.officer_id != by.officer_id:
        raise ValidationError(_("只能撰写本人的述职报告。"), code="scope")
    report = DutyReport.objects.select_for_update().get(assessment=current, body=body)
    if not report.open_to_officer:
        raise ValidationError(_("该述职报告已提交或述职已举行，不能再修改。"), code="submitted")
    before = snapshot(report, OWN_REPORT_FIELDS)
    old_file = report.file.name if report.file else ""
    report.text = mask_text(data.get("text", ""))  # residents' ID and mobile numbers never stored
    upload = data.get("file")
    if upload is False:
        report.file = None
    elif upload:
        report.file.save(upload.name, upload, save=False)  # under a random name (report_upload_to)
    if submit:
        if not (report.text.strip() or report.file):
            raise ValidationError({"text": REPORT_CONTENT_MISSING})
        report.submitted_at = timezone.now()
    report.save(update_fields=["text", "file", "submitted_at", "updated_at"])
    current = _after_input(current, version, {})
    changes = changes_of(before, snapshot(report, OWN_REPORT_FIELDS))
    if "file" in changes:
        changes["file"] = [old_file and str(PREVIOUS_ATTACHMENT), report.download_name if report.file else ""]
    audit_log(
        actor=by,
        action=f"assessments.report.{body}.{'submitted' if submit else 'drafted'}",
        obj=current,
        changes=changes,
    )
    return report


# ---------------------------------------------------------------- combining, filing, reopening


@transaction.atomic
def assessment_combine(*, assessment: AnnualAssessment, version: int, by) -> AnnualAssessment:
    """Computes the combined result from the inputs and the year's scheme and stores it."""
    current = _lock(assessment, version)
    before = snapshot(current, ["weighted_score", "grade", "commendation_eligible", "status"])
    if "combine" not in current.open_steps:
        raise ValidationError(
            _("还不能综合评定：两次述职须已举行并评议，履职评分、业务考核得分和四个季度的平时考核须全部录入。")
        )
    reports = list(current.reports.all())
    scheme = scheme_for_assessment(current)
    result = compute_result(
        scheme=scheme,
        performance_score=current.performance_score,
        business_score=current.business_score,
        evaluations=[r.evaluation for r in reports],
        quarters=current.quarter_grades(),
        rates_score=rates_score(officer=current.officer, year=current.year) if scheme.rates_weight else None,
    )
    current = _save_checked(
        current, version, {**result, "status": AnnualAssessment.Status.COMBINED, "combined_at": timezone.now()}
    )
    audit_log(
        actor=by,
        action="assessments.assessment.combined",
        obj=current,
        changes=changes_of(before, snapshot(current, [*result, "status"])),
    )
    return current


@transaction.atomic
def assessment_file(*, assessment: AnnualAssessment, version: int, by) -> AnnualAssessment:
    """The bureau approves the combined result and files it; from then on it is read-only."""
    current = _lock(assessment, version)
    if "file" not in current.open_steps:
        raise ValidationError(_("只有已综合评定的考核结果才能审定归档。"))
    current = _save_checked(
        current, version, {"status": AnnualAssessment.Status.FILED, "filed_at": timezone.now(), "filed_by_id": by.pk}
    )
    audit_log(
        actor=by,
        action="assessments.assessment.filed",
        obj=current,
        changes={"status": [AnnualAssessment.Status.COMBINED.value, AnnualAssessment.Status.FILED.value]},
    )
    return current


@transaction.atomic
def assessment_reopen(*, assessment: AnnualAssessment, reason: str, version: int, by) -> AnnualAssessment:
    """The city administrator reopens a filed result (back to `combined`), with a reason for the log."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("请填写重新开启的理由。"))
    current = AnnualAssessment.objects.select_for_update().get(pk=assessment.pk)
    if "reopen" not in current.open_steps:
        raise ValidationError(_("该考核结果尚未审定归档，无需重新开启。"))
    if current.version != version:
        raise ConflictError()
    current = _save_checked(
        current, version, {"status": AnnualAssessment.Status.COMBINED, "filed_at": None, "filed_by_id": None}
    )
    audit_log(
        actor=by,
        action="assessments.assessment.reopened",
        obj=current,
        changes={
            "status": [AnnualAssessment.Status.FILED.value, AnnualAssessment.Status.COMBINED.value],
            "reason": [None, reason],
        },
    )
    return current


@dataclass
class BatchResult:
    done: list[AnnualAssessment] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)  # (the officer's name or the id, why)


def assessments_batch(*, year: int, step: str, picks: list[tuple[int, int]], by) -> BatchResult:
    """Combines or files the picked results of a year (each given with the version the user saw), one by one
    through assessment_combine / assessment_file: each in its own transaction, with its own lock, state
    check, version check and audit entry, so that a result someone changed meanwhile is refused alone and the
    others go through."""
    action = {"combine": assessment_combine, "file": assessment_file}[step]
    found = {
        a.pk: a
        for a in AnnualAssessment.objects.visible_to(by)
        .filter(year=year, pk__in=[pk for pk, _version in picks])
        .select_related("officer")
    }
    result = BatchResult()
    for pk, version in picks:
        assessment = found.get(pk)
        if assessment is None:
            result.refused.append((str(pk), _("不在本年度或不在您的范围内。")))
            continue
        try:
            result.done.append(action(assessment=assessment, version=version, by=by))
        except ValidationError as exc:
            result.refused.append((assessment.officer.name, " ".join(exc.messages)))
        except IntegrityError as exc:
            if not is_lock_violation(exc):
                raise
            result.refused.append((assessment.officer.name, _locked_message()))
    return result


def is_lock_violation(exc: IntegrityError) -> bool:
    return "locked" in str(exc)
