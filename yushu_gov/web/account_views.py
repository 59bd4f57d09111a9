"""Every user's own account pages: the password change (forced after a reset or an expiry) and the second
factor (enrolment with a QR code, the code after the password, recovery codes). The rules are in
yushu_gov/accounts/services.py and yushu_gov/accounts/two_factor.py; the middleware sends a session here while it
owes them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters

from yushu_gov.accounts import services as accounts
from yushu_gov.accounts import two_factor
from yushu_gov.accounts.forms import TokenForm
from yushu_gov.accounts.passwords import password_expired
from yushu_gov.input.forms import apply_errors


def _next(request, default: str = "home") -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return default


@sensitive_post_parameters("old_password", "new_password1", "new_password2")
@login_required
def password_change(request):
    """Every user changes their own password here; a reset or expired password leads here first."""
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        accounts.password_set(
            user=request.user, password=form.cleaned_data["new_password1"], by=request.user, request=request
        )
        messages.success(request, _("密码已修改。"))
        return redirect(_next(request))
    reason = None
    if request.user.must_change_password:
        reason = _("您的密码由安全管理员设置或重置，请先修改为只有您本人知道的密码。")
    elif password_expired(request.user):
        reason = _("您的密码已超过有效期，请修改后继续使用。")
    return render(request, "account/password_change.html", {"form": form, "reason": reason, "next": _next(request, "")})


@login_required
def two_factor_status(request):
    device = two_factor.device_of(request.user)
    return render(
        request,
        "account/two_factor.html",
        {
            "device": device,
            "required": two_factor.required_by_role(request.user),
            "codes_left": two_factor.recovery_codes_left(request.user) if device else 0,
        },
    )


@login_required
def two_factor_setup(request):
    """Enrolment: the QR code and the secret, and the first code to confirm them; then the recovery codes."""
    if two_factor.device_of(request.user) is not None:  # enrolled meanwhile (in another session)
        if request.session.get(two_factor.PENDING_KEY):
            request.session[two_factor.PENDING_KEY] = "verify"
            return redirect("account:two_factor_verify")
        return redirect("account:two_factor")
    if not two_factor.enrolment_allowed(request):
        # The first authenticator goes to the holder of the security administrator's link, not to whoever
        # has the password first.
        return render(request, "account/two_factor_link_needed.html", status=403)
    device = two_factor.enrolment_start(user=request.user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = two_factor.enrolment_confirm(request=request, token=form.cleaned_data["token"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("双因素认证已启用。"))
            return render(request, "account/recovery_codes.html", {"codes": codes, "next": _next(request)})
    return render(
        request,
        "account/two_factor_setup.html",
        {
            "form": form,
            "qr_svg": mark_safe(two_factor.qr_svg(device)),  # segno's SVG of the otpauth:// URI, no user input
            "secret": two_factor.secret_text(device),
            "next": _next(request, ""),
        },
    )


@login_required
def two_factor_enrol_link(request, token: str):
    """The security administrator's one-time enrolment link, opened by its holder (signed in)."""
    if two_factor.enrolment_link_open(request=request, token=token):
        return redirect("account:two_factor_setup")
    messages.error(request, _("绑定链接无效、已使用或已过期，请联系安全管理员重新发放。"))
    return redirect("account:two_factor_setup")


@sensitive_post_parameters("token")
@login_required
def two_factor_verify(request):
    """The code after the password (or a recovery code)."""
    if two_factor.device_of(request.user) is None:  # none, or reset by the security administrator meanwhile
        if request.session.get(two_factor.PENDING_KEY):
            request.session[two_factor.PENDING_KEY] = "enrol"
        return redirect("account:two_factor_setup")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            method = two_factor.verify(request=request, token=form.cleaned_data["token"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            if method == "recovery":
                left = two_factor.recovery_codes_left(request.user)
                messages.warning(request, _("已使用一个恢复码，还剩 %(n)s 个。") % {"n": left})
            return redirect(_next(request))
    return render(request, "account/two_factor_verify.html", {"form": form, "next": _next(request, "")})


@login_required
def recovery_codes(request):
    """GET: the confirmation; POST: new recovery codes (the old ones stop working), shown once."""
    if two_factor.device_of(request.user) is None:
        return redirect("account:two_factor_setup")
    if request.method == "POST":
        codes = two_factor.recovery_codes_regenerate(request=request)
        return render(request, "account/recovery_codes.html", {"codes": codes, "next": ""})
    return render(
        request, "account/recovery_codes_confirm.html", {"codes_left": two_factor.recovery_codes_left(request.user)}
    )
