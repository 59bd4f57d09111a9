from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Date fields accept 2016-09-05, 2016/9/5 and 2016年9月5日 (yushu_gov/formats).
DATE_PLACEHOLDER = _("如 2016-09-05 或 2016年9月5日")


def apply_errors(form, exc: ValidationError) -> None:
    """Puts a service's ValidationError on the form: messages for the form's fields go beside those
    fields, everything else at the top."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


class TokenForm(forms.Form):
    """A six-digit code from the authenticator app, or (on the verify page) a recovery code."""

    token = forms.CharField(
        label=_("验证码"),
        max_length=20,
        strip=True,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )
