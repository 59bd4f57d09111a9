"""The tracking page's phone-code recovery (recovery.py): the phone, the code, the phone's requests for 30
minutes, each opened on the status page as if its code had been typed."""

import time

from django import forms
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from officers.messages import MOBILE_NUMBER
from yushu_gov.input.forms import apply_errors
from yushu_gov.lists.params import int_param
from yushu_gov.security.clients import client_ip
from yushu_gov.security.masking import mask_mobile

from . import recovery
from .models import ResidentRequest
from .public_views import TRACKED_KEY

PHONE_KEY = "resident_requests.recovery_phone"  # the phone a code was asked for, until it is verified
GRANT_KEY = "resident_requests.recovered"  # {"pks": [...], "until": unix time}


class PhoneForm(forms.Form):
    phone = forms.CharField(label=MOBILE_NUMBER, max_length=30,
                            widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
                            help_text=gettext_lazy("提交诉求时填写的手机号码。"))  # fmt: skip

    def clean_phone(self):
        return recovery.normalize_phone(self.cleaned_data["phone"])


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("短信验证码"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )

    def clean_code(self):
        code = recovery.normalize_digits(self.cleaned_data["code"])
        if len(code) != 6:
            raise ValidationError(_("请输入短信中的6位数字验证码。"), code="code")
        return code


def _grant(request) -> list[int]:
    grant = request.session.get(GRANT_KEY)
    if isinstance(grant, dict) and grant.get("until", 0) > time.time():
        return [int(pk) for pk in grant.get("pks", [])]
    return []


def phone_lookup(request):
    """The phone: a code is sent when requests were given with it (the page says the same either way)."""
    form = PhoneForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        phone = form.cleaned_data["phone"]
        try:
            recovery.phone_code_send(phone=phone, address=client_ip(request))
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            request.session[PHONE_KEY] = phone
            return redirect("requests_public:phone_code")
    return render(request, "resident_requests/public/phone.html", {"form": form})


def phone_code(request):
    """The code: it opens the phone's requests for GRANT_MINUTES."""
    phone = request.session.get(PHONE_KEY)
    if not phone:
        return redirect("requests_public:phone")
    form = CodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            pks = recovery.phone_code_verify(phone=phone, code=form.cleaned_data["code"], address=client_ip(request))
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            if pks is None:
                form.add_error("code", _("验证码不正确或已失效，请核对，或重新获取验证码。"))
            else:
                request.session.pop(PHONE_KEY, None)
                request.session[GRANT_KEY] = {"pks": pks, "until": time.time() + recovery.GRANT_MINUTES * 60}
                return redirect("requests_public:mine")
    context = {"form": form, "masked_phone": mask_mobile(phone), "minutes": recovery.CODE_MINUTES}
    return render(request, "resident_requests/public/phone_code.html", context)


def phone_requests(request):
    """The phone's requests while the grant lasts; POST opens one on the status page."""
    pks = _grant(request)
    if not pks:
        return redirect("requests_public:phone")
    if request.method == "POST":
        pk = int_param(request.POST, "request", low=1, default=0)
        if pk in pks:
            request.session[TRACKED_KEY] = pk
            return redirect("requests_public:track")
    rows = ResidentRequest.objects.filter(pk__in=pks).select_related("community").order_by("-submitted_at")
    return render(request, "resident_requests/public/mine.html", {"rows": rows, "minutes": recovery.GRANT_MINUTES})
