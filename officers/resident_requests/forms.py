"""Input parsing for residents' requests. What a request must hold is stated once, in the model's
constraints (a phone number needs the resident's consent, a resolved request its reply); the public form
adds what bounds abuse without an outside service: a honeypot field, a minimum fill time, size limits, and
the photo re-encoded without its metadata (photos.py)."""

import time

from django import forms
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from communities.models import Community
from officers.resident_requests.messages import TRANSFER_TO_COMMUNITY
from yushu_gov.input.idempotency import IdempotentFormMixin
from yushu_gov.lists.lookups import LookupField, show_picked

from .models import CategoryDeadline, Landmark, RequestStep, ResidentRequest
from .photos import clean_photo
from .services import PHOTO_COUNT_MESSAGE
from .tracking import normalize_code
from .voice import clean_voice

_FILL_SALT = "resident_requests.form_started"
WORK_RECORD_LABEL = _("关联工作台账（可选）")
MAX_FORM_AGE = 2 * 60 * 60  # a form left open longer is filled in again


def form_started_token() -> str:
    """When the form was shown, signed: the minimum fill time is measured from it."""
    return signing.dumps(time.time(), salt=_FILL_SALT)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented pattern): a list of uploads, possibly empty."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


MAX_PHOTOS = len(ResidentRequest.PHOTO_FIELDS)


class SubmitForm(IdempotentFormMixin, forms.ModelForm):
    """反映诉求: the resident's form, phone-sized. Every field has a size limit; photos are optional (up to
    three, counting those already held from a form that came back: `held_photos`)."""

    # Named "photo" as before (one input, several files): a page or a client posting one photo still works.
    photo = MultipleFileField(
        label=_("照片（可选，最多3张）"),
        required=False,
        help_text=_("JPG 或 PNG，每张不超过5MB。照片中的位置等信息会被自动删除。"),
        widget=MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    # Recorded in the browser (static/js/request_form.js puts the recording here) or chosen as a file.
    voice = forms.FileField(
        label=_("语音留言（可选，最长60秒）"),
        required=False,
        help_text=_("不方便写字，可以直接说。点“开始录音”，说完点“停止”。"),
        widget=forms.ClearableFileInput(attrs={"accept": "audio/webm,audio/ogg,audio/mp4,audio/*"}),
    )
    # The honeypot: hidden from people by the stylesheet, filled in by form-filling robots.
    website = forms.CharField(label=_("网址（请勿填写）"), required=False, max_length=200)
    started = forms.CharField(widget=forms.HiddenInput, max_length=200)

    # The problem first, then what the resident may leave to be called back (after the PIPL notice).
    field_order = ["category", "description", "voice", "landmark", "location", "photo", "public_consent",
                   "resident_name", "resident_phone", "contact_consent"]  # fmt: skip

    class Meta:
        model = ResidentRequest
        fields = ["category", "description", "landmark", "location", "latitude", "longitude", "public_consent",
                  "resident_name", "resident_phone", "contact_consent"]  # fmt: skip
        widgets = {
            "latitude": forms.HiddenInput,
            "longitude": forms.HiddenInput,
            "category": forms.RadioSelect,
            "description": forms.Textarea(attrs={"rows": 5, "maxlength": 1000}),
            "location": forms.TextInput(attrs={"placeholder": _("如：格萨尔广场东侧3号楼")}),
            "resident_name": forms.TextInput(attrs={"autocomplete": "name"}),
            "resident_phone": forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "tel", "maxlength": 11}),
        }
        labels = {
            "description": _("反映的问题"),
            "location": _("地点（社区内，可选）"),
            "resident_name": _("您的称呼（可选）"),
            "resident_phone": _("回访电话（可选）"),
            "contact_consent": _("我已阅读上述个人信息告知，同意社区民警副书记用此电话回访"),
            "public_consent": _("可以公开：办结后在社区页面匿名展示我反映的问题和答复"),
        }
        help_texts = {
            "description": _("请写明什么问题、发生在哪里、需要什么帮助（不超过1000字）。"),
            "resident_phone": _("11位手机号码。不留电话也可以反映，凭查询码查看办理进度。"),
            "public_consent": _("只展示类别、问题、答复和日期，不展示姓名、电话、照片、语音和地点。不勾选则不公开。"),
        }

    def __init__(self, *args, community=None, held_photos: int = 0, held_voice: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.held_photos = held_photos
        self.held_voice = held_voice
        self.fields["description"].required = False  # a request may be voice only (clean())
        landmarks = Landmark.objects.filter(community=community) if community is not None else Landmark.objects.none()
        self.fields["landmark"].queryset = landmarks
        self.fields["landmark"].label = _("地标或小区（可选）")
        self.fields["landmark"].empty_label = _("不选择")
        if community is not None and not landmarks.exists():
            del self.fields["landmark"]  # the street keeps no list for this community yet
        self.fields["category"].choices = ResidentRequest._meta.get_field("category").choices
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})
        if not self.is_bound:
            self.initial["started"] = form_started_token()

    def clean_photo(self):
        uploads = self.cleaned_data.get("photo") or []
        if len(uploads) + self.held_photos > MAX_PHOTOS:
            raise ValidationError(PHOTO_COUNT_MESSAGE, code="photo_count")
        return [clean_photo(upload) for upload in uploads]  # photos.py: each re-encoded without metadata

    def clean_voice(self):
        upload = self.cleaned_data.get("voice")
        return clean_voice(upload) if upload else None  # voice.py: (file, seconds, type), checked by content

    def clean(self):
        cleaned = super().clean()
        if not (cleaned.get("description") or "").strip() and not cleaned.get("voice") and not self.held_voice:
            if "voice" not in self.errors:
                self.add_error("description", _("请写下您反映的问题，或录一段语音。"))
        if cleaned.get("website"):
            raise ValidationError(_("提交未成功，请重新填写。"), code="honeypot")
        try:
            started = signing.loads(self.data.get("started", ""), salt=_FILL_SALT, max_age=MAX_FORM_AGE)
        except signing.BadSignature:
            raise ValidationError(_("页面已过期，请重新填写后提交。"), code="expired") from None
        if time.time() - float(started) < settings.RESIDENT_REQUEST_MIN_FILL_SECONDS:
            raise ValidationError(_("提交太快了，请核对内容后再次提交。"), code="too_fast")
        return cleaned


class TrackForm(forms.Form):
    code = forms.CharField(
        label=_("查询码"),
        max_length=40,
        widget=forms.TextInput(attrs={"placeholder": "YS-2026-000123-7KQF-M2XD", "autocomplete": "off"}),
        help_text=_("提交诉求时获得的查询码。"),
    )

    def clean_code(self):
        return normalize_code(self.cleaned_data["code"])


class RateForm(forms.Form):
    rating = forms.ChoiceField(
        label=_("您对办理结果的评价"), choices=ResidentRequest.Rating.choices, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("意见建议（可选）"), required=False, max_length=300, widget=forms.Textarea(attrs={"rows": 3})
    )


# ---------------------------------------------------------------- the officer's and the street's steps


def _work_records(user, resident_request):
    """The work records of the request's community the user sees, latest first: the ledger's model is
    reached through the step's relation (this app imports nothing of the ledger)."""
    model = RequestStep._meta.get_field("work_record").related_model
    return (
        model._default_manager.visible_to(user)
        .filter(community_id=resident_request.community_id)
        .order_by("-occurred_on", "-id")
    )


def work_record_field(label):
    """The search-as-you-type field (yushu_gov/lists/lookups.py) that links a work record of the request's
    community, named by its content."""
    return LookupField(url_name="work:lookup", label=label, placeholder=_("输入台账内容中的字词，从提示中选择"))


class _StepForm(forms.Form):
    def __init__(self, *args, resident_request, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.resident_request = resident_request
        self.user = user
        if "work_record" in self.fields:
            self.fields["work_record"].widget.query = f"community={resident_request.community_id}"
            if self.is_bound:  # a picked record named again in the text box
                show_picked(self, "work_record", _work_records(user, resident_request), label="summary")

    def clean_work_record(self):
        """The record picked, or, without JavaScript, the one record of the community whose content contains
        what was typed."""
        value = self.cleaned_data.get("work_record")
        if not value:
            return None
        records = _work_records(self.user, self.resident_request)
        found = list(records.filter(pk=value.pk) if value.pk else records.filter(summary__icontains=value.text)[:2])
        if len(found) != 1:
            raise ValidationError(_("请输入台账内容中的字词，并从提示中选择一条本社区的工作台账。"))
        return found[0]

    def service_kwargs(self) -> dict:
        return dict(self.cleaned_data)


class AcceptForm(_StepForm):
    note = forms.CharField(
        label=_("受理说明（可选）"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


class NoteForm(_StepForm):
    note = forms.CharField(label=_("办理情况"), max_length=1000, widget=forms.Textarea(attrs={"rows": 4}))
    work_record = work_record_field(WORK_RECORD_LABEL)


class TransferForm(_StepForm):
    TO_COMMUNITY, TO_STREET = "community", "street"

    to = forms.ChoiceField(label=_("转办给"), widget=forms.RadioSelect)
    community = forms.ModelChoiceField(label=TRANSFER_TO_COMMUNITY, queryset=Community.objects.none(), required=False)
    note = forms.CharField(label=_("转办理由"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        current = self.resident_request
        self.fields["community"].queryset = (
            Community.objects.exclude(pk=current.community_id)
            .select_related("street")
            .order_by("street__sort_order", "sort_order", "name")
        )  # the city's communities are public (the directory lists them)
        choices = [(self.TO_COMMUNITY, _("其他社区（不属于本社区的诉求）"))]
        if current.status != ResidentRequest.Status.AT_STREET:
            choices.append(
                (self.TO_STREET, _("%(street)s（需要街道协调办理）") % {"street": current.community.street.name})
            )
        self.fields["to"].choices = choices

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("to") == self.TO_COMMUNITY and not cleaned.get("community"):
            self.add_error("community", _("请选择转入的社区。"))
        return cleaned

    def service_kwargs(self) -> dict:
        to_street = self.cleaned_data["to"] == self.TO_STREET
        return {
            "note": self.cleaned_data["note"],
            "to_street": to_street,
            "to_community": None if to_street else self.cleaned_data["community"],
        }


class ResolveForm(_StepForm):
    reply = forms.CharField(
        label=_("给群众的答复"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("群众凭查询码可以看到这段答复，请勿填写他人的姓名、电话等个人信息。"),
    )
    work_record = work_record_field(WORK_RECORD_LABEL)


class CategoryDeadlineForm(forms.ModelForm):
    """One category's deadlines; the bounds are the model's constraints."""

    class Meta:
        model = CategoryDeadline
        fields = ["respond_hours", "resolve_days"]
