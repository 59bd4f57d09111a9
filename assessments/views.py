"""The year-end assessment pages: the year's review list (with filters, the 优秀-cap warning, the
commendation candidates and the .xlsx export), each officer's assessment with its evidence, the input
forms of the street and of the bureau, combining, filing, reopening, and the printable sheet (PDF)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.template.defaultfilters import yesno
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from communities.settings_tree import level_label, source_label
from officers.resident_requests.selectors import request_rates
from yushu_gov.access.rights import can, get_object_for, require
from yushu_gov.audit.log import audit_export
from yushu_gov.documents.export_jobs import bounded_params
from yushu_gov.documents.pdf import pdf_response, render_pdf
from yushu_gov.input import idempotency
from yushu_gov.input.forms import apply_errors
from yushu_gov.input.idempotency import submit_once
from yushu_gov.input.months import MAX_YEAR, MIN_YEAR
from yushu_gov.lists.pagination import paginate
from yushu_gov.lists.sorting import sort_by
from yushu_gov.models import AuditEntry
from yushu_gov.web.export_views import start_export

from . import exports, selectors, services
from .filters import AssessmentFilter
from .forms import (
    BatchForm,
    BusinessForm,
    OwnReportForm,
    PerformanceForm,
    ReopenForm,
    ReportForm,
    SchemeForm,
    VersionForm,
)
from .models import SCHEME_FIELDS, AnnualAssessment, AssessmentScheme, DutyReport
from .waiting import year_states

# Which right enters which body's report and evaluation.
REPORT_RIGHTS = {DutyReport.Body.BUREAU: "assessment.bureau_enter", DutyReport.Body.STREET: "assessment.street_enter"}


def get_assessment_for(request, pk: int, *, action: str | None = None) -> AnnualAssessment:
    """The assessment in the user's scope: 404 outside it, 403 in it without `action`."""
    queryset = AnnualAssessment.objects.select_related("officer__station", "community__street__area", "filed_by")
    return get_object_for(request, queryset, view="assessment.view", action=action, pk=pk)


def _valid_year(year: int) -> int:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise Http404
    return year


def _scheme(year: int, area) -> AssessmentScheme:
    """The scheme that applies in `area` (a user's level, or an assessment's area; read only)."""
    return selectors.applicable_scheme(year, area)


def _assessment_scheme(assessment: AnnualAssessment) -> AssessmentScheme:
    return _scheme(assessment.year, assessment.community.street.area)


@login_required
def index(request):
    require(request.user, "assessment.view")
    opened = set(AnnualAssessment.objects.visible_to(request.user).values_list("year", flat=True).distinct())
    schemes = set(AssessmentScheme.objects.values_list("year", flat=True).distinct())
    this_year = timezone.localdate().year
    # Any year in which officers served may be opened (the city's scheme for it, or the defaults); a year
    # whose scheme is set is listed even before that.
    to_open = {y for y in schemes if y <= this_year} | set(selectors.years_with_terms(this_year))
    return render(
        request,
        "assessments/index.html",
        {
            "years": [(year, year in opened) for year in sorted(opened | schemes, reverse=True)],
            "can_open": can(request.user, "assessment.review"),
            "suggested_years": sorted(to_open - opened, reverse=True),
        },
    )


# The sortable columns of the year page (yushu_gov/lists/sorting.py).
ASSESSMENT_COLUMNS = {
    "officer": ("officer__name_pinyin",),
    "community": ("community__street__sort_order", "community__sort_order"),
    "station": ("officer__station__sort_order",),
    "status": ("status",),
    "performance": ("performance_score",),
    "business": ("business_score",),
    "score": ("weighted_score",),
}


@login_required
def year_review(request, year: int):
    """Every officer of the year in the user's scope, with state, scores and grades."""
    require(request.user, "assessment.view")
    year = _valid_year(year)
    scheme = _scheme(year, request.user.area)
    assessments = AnnualAssessment.objects.visible_to(request.user).of_year(year)
    filterset = AssessmentFilter(request.GET, queryset=assessments.for_review(), user=request.user)
    rows, sorting = sort_by(request, filterset.qs, ASSESSMENT_COLUMNS)
    page = paginate(request, rows)
    context = {
        "year": year,
        "scheme": scheme,
        "filter": filterset,
        "page": page,
        "sorting": sorting,
        # The summary a phone shows instead of every card until a filter (or "show all") is chosen.
        "states": year_states(assessments),
        "status_choices": AnnualAssessment.Status.choices,
        "filtered": any(request.GET.get(key) for key in (*AssessmentFilter.base_filters, "all")),
        "can_batch": can(request.user, "assessment.approve"),
        "batch_statuses": AnnualAssessment.STEP_STARTS["combine"],
    }
    if can(request.user, "assessment.review"):
        summary = selectors.year_summary(assessments, year)
        context.update(
            review=True,
            summary=summary,
            excellent_share=summary.excellent_share,
            over_cap=summary.over_cap,
            candidates=assessments.filter(commendation_eligible=True, grade__gt="")
            .select_related("officer", "community")
            .order_by("-weighted_score", "officer__name"),
            can_scheme=can(request.user, "assessment.scheme"),
        )
    return render(request, "assessments/year.html", context)


@login_required
def year_batch(request, year: int):
    """Combines or files the results picked on the year page: the first POST shows them back for
    confirmation, the second (confirm=1) does it, each result audited by its own service. GET: the page
    explains where to pick them."""
    require(request.user, "assessment.approve")
    year = _valid_year(year)
    form = BatchForm(request.POST or None)
    picked = []
    if request.method == "POST" and form.is_valid():
        picks = form.cleaned_data["pick"]
        step = form.cleaned_data["step"]
        if form.cleaned_data["confirm"]:
            result = services.assessments_batch(year=year, step=step, picks=picks, by=request.user)
            label = dict(BatchForm.STEPS)[step]
            if result.done:
                messages.success(request, _("已%(step)s %(n)s 份考核结果。") % {"step": label, "n": len(result.done)})
            for name, why in result.refused:
                messages.error(request, _("%(name)s：未办理。%(why)s") % {"name": name, "why": why})
            return redirect("assessments:year", year=year)
        versions = dict(picks)
        picked = [
            (a, versions[a.pk])
            for a in AnnualAssessment.objects.visible_to(request.user)
            .of_year(year)
            .filter(pk__in=versions)
            .select_related("officer", "community")
        ]
    context = {"form": form, "year": year, "picked": picked, "scheme": _scheme(year, request.user.area)}
    if picked and form.cleaned_data["step"] == "file":
        context["summary"] = _cap_summary(request, year)
    return render(request, "assessments/confirm_batch.html", context)


@login_required
def year_export(request, year: int):
    """The year's filtered review list as .xlsx, written in the background (assessments/exports.py)."""
    require(request.user, "assessment.view")
    year = _valid_year(year)
    params = {**bounded_params(request.GET), "year": [str(year)]}
    back = f"{reverse('assessments:year', args=[year])}?{request.GET.urlencode()}"
    return start_export(request, exports.EXPORT.name, params=params, back=back)


@login_required
def year_open(request, year: int):
    """Creates the year's assessments for every officer who served in it (GET: confirmation)."""
    require(request.user, "assessment.review")
    year = _valid_year(year)
    if request.method == "POST":
        try:
            created = services.assessment_year_open(year=year, by=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("assessments:index")
        messages.success(request, _("已为 %(n)s 名民警建立 %(year)s 年度考核。") % {"n": created, "year": year})
        return redirect("assessments:year", year=year)
    candidates = selectors.officers_served_in(year).values("officer_id").distinct().count()
    return render(request, "assessments/open_year.html", {"year": year, "candidates": candidates})


def _scheme_values(scheme: AssessmentScheme) -> list[tuple[str, str]]:
    """(label, value as shown) of each value a level sets in a scheme."""
    values = []
    for name in SCHEME_FIELDS:
        field = AssessmentScheme._meta.get_field(name)
        value = getattr(scheme, name)
        if field.choices:
            value = dict(field.flatchoices).get(value, value)
        elif isinstance(value, bool):
            value = yesno(value)
        values.append((field.verbose_name, value))
    return values


@login_required
def scheme_edit(request, year: int):
    """The year's scheme of the administrator's own level (his area; bound to none: the deployment's default),
    each value with where it comes from. A lower level's scheme is its own administrator's; "恢复继承" gives up
    the level's scheme (a POST with `reset`)."""
    require(request.user, "assessment.scheme")
    year = _valid_year(year)
    area = request.user.area
    scheme = _scheme(year, area)
    own = scheme.pk is not None and scheme.area_id == (area.pk if area is not None else None)
    locked = selectors.scheme_locked(year, area)
    if request.method == "POST" and "reset" in request.POST:
        try:
            services.scheme_reset(year=year, area=area, by=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("本级已恢复继承上级的 %(year)s 年度考核方案。") % {"year": year})
        return redirect("assessments:scheme", year=year)
    # A level without its own scheme starts from the one it inherits; saving makes its own.
    inherited = {name: getattr(scheme, name) for name in SCHEME_FIELDS}
    instance = scheme if own else AssessmentScheme(year=year, area=area, **inherited)
    form = SchemeForm(request.POST or None, instance=instance)
    if request.method == "POST" and not locked and form.is_valid():
        try:
            services.scheme_update(year=year, area=area, data=form.cleaned_data, by=request.user)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已保存 %(year)s 年度考核方案。") % {"year": year})
            return redirect("assessments:year", year=year)
    context_source = source_label(scheme, area)
    context = {
        "form": form,
        "year": year,
        "locked": locked,
        "level": level_label(area),
        "source": context_source,
        "can_reset": own and area is not None and not locked,
        "values": [(label, value, context_source) for label, value in _scheme_values(scheme)],
    }
    if locked:
        context["locked_message"] = selectors.scheme_locked_message(year)
    return render(request, "assessments/scheme.html", context)


@login_required
def assessment_detail(request, pk: int):
    assessment = get_assessment_for(request, pk)
    user = request.user
    return render(
        request,
        "assessments/detail.html",
        {
            "assessment": assessment,
            "reports": list(assessment.reports.all()),
            "scheme": _assessment_scheme(assessment),
            "evidence": selectors.evidence_for(officer=assessment.officer, year=assessment.year, user=user),
            "history": AuditEntry.objects.for_object(assessment),
            "can_street": can(user, "assessment.street_enter"),
            "can_bureau": can(user, "assessment.bureau_enter"),
            "can_approve": can(user, "assessment.approve"),
            "can_reopen": can(user, "assessment.reopen"),
        },
    )


def _refuse_if_filed(request, assessment) -> bool:
    if assessment.is_filed:
        messages.error(request, services._locked_message())
        return True
    return False


def _save(request, form, call) -> bool:
    """Calls the service; a refusal (filed, conflict, rule) or a database lock becomes a form error."""
    try:
        call()
    except ValidationError as exc:
        apply_errors(form, exc)
        return False
    except IntegrityError as exc:
        form.add_error(None, services._locked_message() if services.is_lock_violation(exc) else str(exc))
        return False
    return True


@login_required
def performance_edit(request, pk: int):
    assessment = get_assessment_for(request, pk, action="assessment.street_enter")
    if _refuse_if_filed(request, assessment):
        return redirect("assessments:detail", pk=pk)
    form = PerformanceForm(
        request.POST or None,
        initial={"version": assessment.version, "performance_score": assessment.performance_score},
    )
    if request.method == "POST" and form.is_valid():
        if _save(
            request,
            form,
            lambda: services.assessment_set_performance(
                assessment=assessment,
                score=form.cleaned_data["performance_score"],
                version=form.cleaned_data["version"],
                by=request.user,
            ),
        ):
            messages.success(request, _("已保存履职评分。"))
            return redirect("assessments:detail", pk=pk)
    return render(
        request, "assessments/form.html", {"form": form, "assessment": assessment, "title": _("履职评分（街道）")}
    )


@login_required
def business_edit(request, pk: int):
    assessment = get_assessment_for(request, pk, action="assessment.bureau_enter")
    if _refuse_if_filed(request, assessment):
        return redirect("assessments:detail", pk=pk)
    initial = {"version": assessment.version, "business_score": assessment.business_score}
    initial.update({name: getattr(assessment, name) for name in AnnualAssessment.QUARTERS})
    form = BusinessForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        if _save(
            request,
            form,
            lambda: services.assessment_set_business(
                assessment=assessment,
                score=form.cleaned_data["business_score"],
                quarters=form.quarters(),
                version=form.cleaned_data["version"],
                by=request.user,
            ),
        ):
            messages.success(request, _("已保存业务考核得分和平时考核。"))
            return redirect("assessments:detail", pk=pk)
    return render(
        request,
        "assessments/form.html",
        {"form": form, "assessment": assessment, "title": _("业务考核与公务员平时考核（市公安局）")},
    )


def _body(body: str) -> str:
    if body not in DutyReport.Body.values:
        raise Http404
    return body


@login_required
def report_edit(request, pk: int, body: str):
    body = _body(body)
    assessment = get_assessment_for(request, pk, action=REPORT_RIGHTS[body])
    if _refuse_if_filed(request, assessment):
        return redirect("assessments:detail", pk=pk)
    report = assessment.reports.get(body=body)
    form = ReportForm(
        request.POST or None,
        request.FILES or None,
        report=report,
        year=assessment.year,
        initial={
            "version": assessment.version,
            "held_on": report.held_on,
            "text": report.text,
            "evaluation": report.evaluation,
        },
    )
    if request.method == "POST" and form.is_valid():
        if _save(
            request,
            form,
            lambda: services.report_update(
                assessment=assessment,
                body=body,
                data=form.service_data(),
                version=form.cleaned_data["version"],
                by=request.user,
            ),
        ):
            messages.success(request, _("已保存向%(body)s的述职及评议。") % {"body": report.get_body_display()})
            return redirect("assessments:detail", pk=pk)
    title = _("述职与评议：%(body)s") % {"body": report.get_body_display()}
    return render(
        request,
        "assessments/form.html",
        {"form": form, "assessment": assessment, "report": report, "title": title, "multipart": True},
    )


@login_required
def report_file(request, pk: int, body: str):
    """The uploaded report file, only for users who may see the assessment, and the officer for his own
    (never a public URL)."""
    body = _body(body)
    if can(request.user, "assessment.submit_report"):
        assessment = get_own_assessment(request, pk)
    else:
        assessment = get_assessment_for(request, pk)
    report = assessment.reports.filter(body=body).first()
    if report is None or not report.file:
        raise Http404
    try:
        handle = report.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    audit_export(actor=request.user, what="assessments.report_file", obj=assessment, filters={"body": body},
                 request=request)  # fmt: skip
    return FileResponse(handle, as_attachment=True, filename=report.download_name)


# ---------------------------------------------------------------- the officer's own duty reports


def get_own_assessment(request, pk: int) -> AnnualAssessment:
    """The officer's own assessment (his scope: AnnualAssessment.objects.visible_to): 404 for another's."""
    queryset = AnnualAssessment.objects.select_related("community__street").prefetch_related("reports")
    return get_object_for(request, queryset, view="assessment.submit_report", pk=pk)


@login_required
def my_reports(request):
    """我的述职: the officer's assessments, newest year first, each with his two duty reports."""
    require(request.user, "assessment.submit_report")
    assessments = (
        AnnualAssessment.objects.visible_to(request.user)
        .select_related("community__street")
        .prefetch_related("reports")
        .order_by("-year")
    )
    return render(
        request, "assessments/mine.html", {"assessments": assessments, "this_year": timezone.localdate().year}
    )


@login_required
def report_write(request, pk: int, body: str):
    """The officer writes or uploads his report to one body, saves it as a draft or submits it."""
    body = _body(body)
    assessment = get_own_assessment(request, pk)
    report = assessment.report_for(body)
    if report is None:
        raise Http404
    allowed = report.open_to_officer and not assessment.is_filed
    form = OwnReportForm(
        request.POST or None,
        request.FILES or None,
        report=report,
        initial={"version": assessment.version, "text": report.text},
    )
    if request.method == "POST" and allowed and form.is_valid():
        submit = "submit" in request.POST
        confirmed = request.POST.get("confirmed") == "1"

        def write(final: bool):
            def save() -> str:
                services.report_write(
                    assessment=assessment,
                    body=body,
                    data=form.service_data(),
                    submit=final,
                    version=form.cleaned_data["version"],
                    by=request.user,
                )
                return reverse("assessments:mine")

            # Sent once (a retry, or the browser's draft sent again once the network is back, saves nothing
            # twice); the confirmation page sends no key, so the final submit is its own write.
            return submit_once(request, form.cleaned_data[idempotency.FIELD], save)

        if submit and not confirmed:
            # Submitting cannot be undone: what was typed is kept as a draft, then the officer confirms.
            if _save(request, form, lambda: write(False)):
                assessment.refresh_from_db()
                report.refresh_from_db()
                return render(
                    request,
                    "assessments/confirm_report_submit.html",
                    {"assessment": assessment, "report": report, "version": assessment.version},
                )
        elif _save(request, form, lambda: write(submit)):
            done = _("已提交向%(body)s的述职报告。") if submit else _("已保存向%(body)s的述职报告草稿。")
            messages.success(request, done % {"body": report.get_body_display()})
            return redirect("assessments:mine")
    return render(
        request,
        "assessments/report_write.html",
        {"form": form, "assessment": assessment, "report": report, "allowed": allowed},
        status=200 if allowed or request.method == "GET" else 409,
    )


def _cap_summary(request, year: int):
    """The 优秀 share of the year's results in the user's scope against the cap, repeated where one files."""
    return selectors.year_summary(AnnualAssessment.objects.visible_to(request.user).of_year(year), year)


def _action(
    request, pk: int, *, right: str, template: str, call, done: str, allow_filed: bool = False, cap: bool = False
):
    """A confirmation page on GET; the service on POST. `cap`: the page repeats the 优秀-cap warning."""
    assessment = get_assessment_for(request, pk, action=right)
    if not allow_filed and _refuse_if_filed(request, assessment):
        return redirect("assessments:detail", pk=pk)
    form_class = ReopenForm if allow_filed else VersionForm
    form = form_class(request.POST or None, initial={"version": assessment.version})
    if request.method == "POST" and form.is_valid():
        if _save(request, form, lambda: call(assessment, form.cleaned_data)):
            messages.success(request, done)
            return redirect("assessments:detail", pk=pk)
    context = {"form": form, "assessment": assessment, "scheme": _assessment_scheme(assessment)}
    if cap:
        context["summary"] = _cap_summary(request, assessment.year)
    return render(request, template, context)


@login_required
def assessment_combine(request, pk: int):
    return _action(
        request,
        pk,
        right="assessment.approve",
        template="assessments/confirm_combine.html",
        call=lambda a, data: services.assessment_combine(assessment=a, version=data["version"], by=request.user),
        done=_("已完成综合评定。"),
    )


@login_required
def assessment_file(request, pk: int):
    return _action(
        request,
        pk,
        right="assessment.approve",
        template="assessments/confirm_file.html",
        call=lambda a, data: services.assessment_file(assessment=a, version=data["version"], by=request.user),
        done=_("已审定归档，考核结果已锁定。"),
        cap=True,
    )


@login_required
def assessment_reopen(request, pk: int):
    return _action(
        request,
        pk,
        right="assessment.reopen",
        template="assessments/confirm_reopen.html",
        call=lambda a, data: services.assessment_reopen(
            assessment=a, reason=data["reason"], version=data["version"], by=request.user
        ),
        done=_("已重新开启该考核结果，理由已记入审计日志。"),
        allow_filed=True,
    )


@login_required
def assessment_sheet(request, pk: int):
    """The printable assessment sheet (考核登记表), same typography as the appointment letter."""
    assessment = get_assessment_for(request, pk)
    content = render_pdf(
        "assessments/sheet_pdf.html",
        {
            "assessment": assessment,
            "bureau": assessment.bureau_report,
            "street": assessment.street_report,
            "scheme": _assessment_scheme(assessment),
            "rates": request_rates(
                user=request.user, year=assessment.year, officer_id=assessment.officer_id, breakdown=False
            ).total,
            "printed_on": timezone.localdate(),
        },
        request=request,
    )
    audit_export(actor=request.user, what="assessments.sheet", obj=assessment, request=request)
    return pdf_response(content, f"{assessment.year}年度考核登记表-{assessment.officer.name}.pdf")
