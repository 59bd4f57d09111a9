from pathlib import PurePath
from zipfile import BadZipFile, ZipFile

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from assessments.messages import (
    DELETE_UPLOADED_FILE,
    DUTY_REPORT,
    DUTY_REPORT_DATE,
    DUTY_REPORT_FILE,
    FINALIZE_STEP,
    OVERALL_EVALUATION,
    Q1_ASSESSMENT,
    Q2_ASSESSMENT,
    Q3_ASSESSMENT,
    Q4_ASSESSMENT,
    REVIEW_GRADE,
)
from yushu_gov.input.forms import ClerkDateField
from yushu_gov.input.idempotency import IdempotentFormMixin
from yushu_gov.security import limits

from .messages import REPORT_CONTENT_MISSING
from .models import SCHEME_FIELDS, AnnualAssessment, AssessmentScheme, DutyReport, Grade, QuarterGrade

MAX_REPORT_FILE_SIZE = 10 * 1024 * 1024  # 10 MB
PDF_MAGIC = b"%PDF-"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .doc (Word 97–2003)
ZIP_MAGIC = b"PK\x03\x04"  # .docx


def validate_report_file(upload) -> None:
    """PDF or Word only: the extension AND the file's first bytes must agree; at most 10 MB."""
    suffix = PurePath(upload.name).suffix.lower()
    if suffix not in (".pdf", ".doc", ".docx"):
        raise ValidationError(_("只能上传 PDF 或 Word 文件（.pdf、.doc、.docx）。"), code="extension")
    if upload.size > MAX_REPORT_FILE_SIZE:
        raise ValidationError(_("文件不能超过 10 MB。"), code="size")
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    ok = (
        (suffix == ".pdf" and head.startswith(PDF_MAGIC))
        or (suffix == ".doc" and head.startswith(OLE_MAGIC))
        or (suffix == ".docx" and head.startswith(ZIP_MAGIC) and _is_docx(upload))
    )
    if not ok:
        raise ValidationError(_("文件内容与扩展名不符，不是有效的 PDF 或 Word 文件。"), code="content")


def _is_docx(upload) -> bool:
    try:
        with ZipFile(upload) as archive:
            return "word/document.xml" in archive.namelist()
    except BadZipFile:
        return False
    finally:
        upload.seek(0)


SCORE_RANGE = _("分数须在 0 到 100 之间。")
REPORT_FILE_HELP = _("可选；PDF 或 Word 文件，不超过 10 MB。")


class VersionForm(forms.Form):
    """The version the page was built from; the service refuses the save if it has changed since."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class ScoreField(forms.DecimalField):
    def __init__(self, **kwargs):
        super().__init__(
            max_digits=5,
            decimal_places=2,
            min_value=0,
            max_value=100,
            error_messages={
                "min_value": SCORE_RANGE,
                "max_value": SCORE_RANGE,
                "max_decimal_places": _("分数最多保留两位小数。"),
                "invalid": _("请输入数字，如 86.5。"),
                "required": _("请填写分数。"),
            },
            widget=forms.NumberInput(attrs={"step": "0.01", "min": "0", "max": "100", "inputmode": "decimal"}),
            **kwargs,
        )


class PerformanceForm(VersionForm):
    performance_score = ScoreField(label=_("履职评分（0–100）"))


class BusinessForm(VersionForm):
    business_score = ScoreField(label=_("业务考核得分（0–100）"))
    quarter1 = forms.ChoiceField(label=Q1_ASSESSMENT, choices=QuarterGrade.choices)
    quarter2 = forms.ChoiceField(label=Q2_ASSESSMENT, choices=QuarterGrade.choices)
    quarter3 = forms.ChoiceField(label=Q3_ASSESSMENT, choices=QuarterGrade.choices)
    quarter4 = forms.ChoiceField(label=Q4_ASSESSMENT, choices=QuarterGrade.choices)

    def quarters(self) -> list[str]:
        return [self.cleaned_data[name] for name in AnnualAssessment.QUARTERS]


class ReportForm(VersionForm):
    held_on = ClerkDateField(label=DUTY_REPORT_DATE, required=False)
    text = forms.CharField(
        label=DUTY_REPORT, max_length=limits.REPORT_TEXT, required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    file = forms.FileField(
        label=DUTY_REPORT_FILE,
        required=False,
        validators=[validate_report_file],
        help_text=REPORT_FILE_HELP,
    )
    remove_file = forms.BooleanField(label=DELETE_UPLOADED_FILE, required=False)
    evaluation = forms.ChoiceField(label=REVIEW_GRADE, choices=[("", _("尚未评议")), *Grade.choices], required=False)

    def __init__(self, *args, report: DutyReport, year: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.report = report
        self.year = year
        if not report.file:
            del self.fields["remove_file"]

    def clean_held_on(self):
        held_on = self.cleaned_data.get("held_on")
        if held_on and not (self.year <= held_on.year <= self.year + 1):
            raise ValidationError(_("述职日期应在 %(year)s 年或次年年初。") % {"year": self.year}, code="year")
        return held_on

    def clean(self):
        cleaned = super().clean()
        has_content = (
            (cleaned.get("text") or "").strip()
            or cleaned.get("file")
            or (self.report.file and not cleaned.get("remove_file"))
        )
        if cleaned.get("evaluation") and not (cleaned.get("held_on") and has_content):
            self.add_error("evaluation", _("述职举行后（填写述职日期和报告内容或附件）才能评议。"))
        if cleaned.get("held_on") and not has_content:
            self.add_error("text", REPORT_CONTENT_MISSING)
        return cleaned

    def service_data(self) -> dict:
        cleaned = self.cleaned_data
        upload = cleaned.get("file")
        if not upload and cleaned.get("remove_file"):
            upload = False
        return {
            "held_on": cleaned.get("held_on"),
            "text": cleaned.get("text", ""),
            "evaluation": cleaned.get("evaluation", ""),
            "file": upload,
        }


class OwnReportForm(IdempotentFormMixin, VersionForm):
    """The officer's own report: the text, or an uploaded file, or both; saved as a draft or submitted."""

    text = forms.CharField(
        label=DUTY_REPORT,
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("可直接撰写，也可上传报告附件。请勿填写群众的身份证号码和手机号码；如填写，保存时自动打码。"),
    )
    file = forms.FileField(
        label=DUTY_REPORT_FILE,
        required=False,
        validators=[validate_report_file],
        help_text=REPORT_FILE_HELP,
    )
    remove_file = forms.BooleanField(label=DELETE_UPLOADED_FILE, required=False)

    def __init__(self, *args, report: DutyReport, **kwargs):
        super().__init__(*args, **kwargs)
        self.report = report
        if not report.file:
            del self.fields["remove_file"]

    def service_data(self) -> dict:
        upload = self.cleaned_data.get("file")
        if not upload and self.cleaned_data.get("remove_file"):
            upload = False
        return {"text": self.cleaned_data.get("text", ""), "file": upload}


class ReopenForm(VersionForm):
    reason = forms.CharField(
        label=_("重新开启的理由"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}), strip=True
    )


class SchemeForm(forms.ModelForm):
    """The year's scheme. What a scheme must satisfy (weights summing to 100, thresholds in order, the cap
    within 100) is stated once, in the model's constraints."""

    class Meta:
        model = AssessmentScheme
        fields = SCHEME_FIELDS


BATCH_MAX = 200  # results combined or filed in one action


class BatchForm(forms.Form):
    """The year page's selection: which results (each with the version the page showed) to combine or to
    file. `confirm` is set by the confirmation page; without it the selection is only shown back."""

    STEPS = [("combine", OVERALL_EVALUATION), ("file", FINALIZE_STEP)]

    step = forms.ChoiceField(choices=STEPS)
    pick = forms.MultipleChoiceField(
        choices=[], error_messages={"required": _("请至少勾选一份考核结果。")}, widget=forms.MultipleHiddenInput
    )
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # "pk:version" pairs; validated in clean_pick, so any list of them is a valid choice here.
        self.fields["pick"].valid_value = lambda value: True

    def clean_pick(self) -> list[tuple[int, int]]:
        picks = []
        for value in self.cleaned_data["pick"]:
            pk, _sep, version = str(value).partition(":")
            if not (pk.isdigit() and version.isdigit()) or len(value) > 30:
                raise ValidationError(_("勾选的内容无效，请刷新页面后重新勾选。"))
            picks.append((int(pk), int(version)))
        if len(picks) > BATCH_MAX:
            raise ValidationError(_("一次最多办理 %(n)s 份，请分批勾选。") % {"n": BATCH_MAX})
        return list(dict.fromkeys(picks))
