"""The second factor: TOTP (RFC 6238: six digits every 30 seconds, any authenticator app) enrolled with a QR
code, and ten one-time recovery codes for a lost phone.

Who needs it: the system, security and audit administrators and the bureau reviewers when
settings.REQUIRE_2FA is on (always with DEBUG off), and anyone who has enrolled one. At each login
`login_pending` marks the new session "verify" (a code is due) or "enrol" (an authenticator must be set up
first); until a code is accepted the middleware lets the session reach nothing but these pages.
The security administrator resets a lost authenticator (`reset`), and every step is in the audit log.
"""

import base64
import secrets
import time
from datetime import timedelta
from urllib.parse import quote, urlencode

import segno
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp.oath import TOTP
from django_otp.util import random_hex

from yushu_gov.access.roles import Role, role_of
from yushu_gov.accounts import sessions
from yushu_gov.accounts.models import EnrolmentLink, RecoveryCode, TOTPDevice
from yushu_gov.audit.log import audit_log
from yushu_gov.notices.outbox import notify_role

PENDING_KEY = "yushu_2fa_pending"
LINK_KEY = "yushu_2fa_link"  # the enrolment link this session opened
LINK_LIFETIME_HOURS = 72
ROLES = frozenset({Role.CITY_ADMIN, Role.SECURITY_ADMIN, Role.AUDITOR, Role.BUREAU_REVIEWER})
RECOVERY_CODE_COUNT = 10
_RECOVERY_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I

# The title of the notices that tell the security administrators about an account (its lock, a reset).
SECURITY_NOTICE_TITLE = gettext_lazy("账户安全")


def required_by_role(user) -> bool:
    return settings.REQUIRE_2FA and role_of(user) in ROLES


def device_of(user, *, confirmed: bool = True) -> TOTPDevice | None:
    devices = TOTPDevice.objects.filter(user=user)
    if confirmed:
        devices = devices.filter(confirmed=True)
    return devices.first()


def login_pending(request, user) -> None:
    """At a login: what the new session still owes before it may be used."""
    if device_of(user) is not None:
        request.session[PENDING_KEY] = "verify"
    elif required_by_role(user):
        request.session[PENDING_KEY] = "enrol"
    else:
        request.session.pop(PENDING_KEY, None)


def _totp(device: TOTPDevice) -> TOTP:
    totp = TOTP(bytes.fromhex(device.key), step=30, t0=0, digits=6, drift=0)
    totp.time = time.time()
    return totp


def provisioning_uri(device: TOTPDevice) -> str:
    """The otpauth:// URI an authenticator app reads from the QR code."""
    secret = base64.b32encode(bytes.fromhex(device.key)).decode().rstrip("=")
    issuer = settings.TWO_FACTOR_ISSUER
    label = quote(f"{issuer}:{device.user.get_username()}")
    query = urlencode({"secret": secret, "issuer": issuer, "algorithm": "SHA1", "digits": 6, "period": 30})
    return f"otpauth://totp/{label}?{query}"


def secret_text(device: TOTPDevice) -> str:
    """The secret in groups of four, for typing into an app by hand."""
    secret = base64.b32encode(bytes.fromhex(device.key)).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_svg(device: TOTPDevice) -> str:
    return segno.make(provisioning_uri(device), error="m").svg_inline(scale=4, dark="#000", light="#fff")


def _link_hash(token: str) -> str:
    return salted_hmac("yushu_gov.accounts.enrolment_link", token).hexdigest()


@transaction.atomic
def enrolment_link_issue(*, user, by, request=None) -> str:
    """A new one-time enrolment link's token for `user` (shown once to the security administrator, who hands
    it to the holder); earlier unused links of the user no longer work."""
    now = timezone.now()
    EnrolmentLink.objects.filter(user=user, used_at__isnull=True).update(expires_at=now)
    token = secrets.token_urlsafe(24)
    EnrolmentLink.objects.create(
        user=user,
        token_hash=_link_hash(token),
        issued_by=by,
        expires_at=now + timedelta(hours=LINK_LIFETIME_HOURS),
    )
    audit_log(actor=by, action="auth.2fa.enrolment_link_issued", obj=user, request=request)
    return token


def _open_link(request):
    """The unused, unexpired enrolment link of the session's user that this session opened, or None."""
    pk = request.session.get(LINK_KEY)
    if not pk:
        return None
    return EnrolmentLink.objects.filter(
        pk=pk, user=request.user, used_at__isnull=True, expires_at__gt=timezone.now()
    ).first()


def enrolment_link_open(*, request, token: str) -> bool:
    """Opens the enrolment link `token` for the session (signed in as the link's account): True when it is
    the user's, unused and within its lifetime."""
    link = EnrolmentLink.objects.filter(
        token_hash=_link_hash(token or ""), user=request.user, used_at__isnull=True, expires_at__gt=timezone.now()
    ).first()
    if link is None:
        audit_log(actor=request.user, action="auth.2fa.enrolment_link_refused", obj=request.user, request=request)
        return False
    request.session[LINK_KEY] = link.pk
    return True


def enrolment_allowed(request) -> bool:
    """Whether this session may see and confirm a new authenticator: it opened the user's enrolment link."""
    return _open_link(request) is not None


@transaction.atomic
def enrolment_start(*, user) -> TOTPDevice:
    """The user's authenticator being set up: a new secret, or the one shown before (until confirmed)."""
    device = TOTPDevice.objects.select_for_update().filter(user=user).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, key=random_hex(20), confirmed=False)
    return device


def _check(device: TOTPDevice, token: str) -> bool:
    """Whether the six digits match the device (each time step once, one step of drift either way)."""
    token = "".join(str(token or "").split())
    if not (token.isdigit() and len(token) == 6):
        return False
    totp = _totp(device)
    if totp.verify(int(token), tolerance=1, min_t=device.last_t + 1):
        device.last_t = totp.t()
        return True
    return False


def _refusal(device: TOTPDevice) -> ValidationError | None:
    """The refusal while the device backs off after failures (1, 2, 4, … seconds), or None."""
    allowed, data = device.verify_is_allowed()
    if allowed:
        return None
    wait = max(1, int((data["locked_until"] - timezone.now()).total_seconds()) + 1)
    return ValidationError({"token": _("验证码错误次数过多，请 %(n)s 秒后再试。") % {"n": wait}}, code="throttled")


def _failed(device: TOTPDevice) -> None:
    device.throttle_increment(commit=False)
    device.save(update_fields=["throttling_failure_count", "throttling_failure_timestamp"])


def enrolment_confirm(*, request, token: str) -> list[str]:
    """Confirms the authenticator with its first code; returns the new recovery codes (shown once)."""
    user = request.user
    with transaction.atomic():
        link = _open_link(request)
        if link is None:
            raise ValidationError(_("请使用安全管理员发放的绑定链接启用双因素认证。"), code="no_link")
        device = TOTPDevice.objects.select_for_update().get(user=user)
        refusal = _refusal(device)
        if refusal is None and not _check(device, token):
            _failed(device)
            refusal = ValidationError({"token": _("验证码不正确，请核对手机时间后输入应用中当前显示的6位数字。")})
        if refusal is None:
            device.confirmed = True
            device.confirmed_at = timezone.now()
            device.throttle_reset(commit=False)
            device.save()
            link.used_at = timezone.now()
            link.save(update_fields=["used_at"])
            codes = _new_recovery_codes(user)
            audit_log(actor=user, action="auth.2fa.enrolled", obj=user, request=request)
    if refusal is not None:
        raise refusal  # after the commit: the failure counts
    request.session.pop(PENDING_KEY, None)
    request.session.pop(LINK_KEY, None)
    sessions.session_verified(request, user)
    return codes


def verify(*, request, token: str) -> str:
    """Accepts a six-digit code or a recovery code for the session; returns "totp" or "recovery".
    Raises ValidationError otherwise (with back-off after repeated failures, which are audited)."""
    user = request.user
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(user=user, confirmed=True)
        refusal = _refusal(device)
        method = None
        if refusal is None:
            if _check(device, token):
                method = "totp"
            elif _use_recovery_code(user, token):
                method = "recovery"
            else:
                _failed(device)
                audit_log(actor=user, action="auth.2fa.failed", obj=user, request=request)
                refusal = ValidationError({"token": _("验证码不正确。")})
        if method is not None:
            device.throttle_reset(commit=False)
            device.save(update_fields=["last_t", "throttling_failure_count", "throttling_failure_timestamp"])
            audit_log(actor=user, action=f"auth.2fa.verified_{method}", obj=user, request=request)
    if refusal is not None:
        raise refusal  # after the commit: the failure and its back-off count
    request.session.pop(PENDING_KEY, None)
    sessions.session_verified(request, user)
    return method


def _code_hash(code: str) -> str:
    normalized = "".join(ch for ch in str(code).upper() if ch.isalnum())
    return salted_hmac("yushu.two_factor.recovery_code", normalized, algorithm="sha256").hexdigest()


def _new_recovery_codes(user) -> list[str]:
    RecoveryCode.objects.filter(user=user).delete()
    codes = []
    for _n in range(RECOVERY_CODE_COUNT):
        raw = "".join(secrets.choice(_RECOVERY_ALPHABET) for _i in range(10))
        codes.append(f"{raw[:5]}-{raw[5:]}")
    RecoveryCode.objects.bulk_create([RecoveryCode(user=user, code_hash=_code_hash(c)) for c in codes])
    return codes


def _use_recovery_code(user, code: str) -> bool:
    wanted = _code_hash(code)
    for candidate in RecoveryCode.objects.select_for_update().filter(user=user, used_at__isnull=True):
        if constant_time_compare(candidate.code_hash, wanted):
            candidate.used_at = timezone.now()
            candidate.save(update_fields=["used_at"])
            return True
    return False


def recovery_codes_left(user) -> int:
    return RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()


@transaction.atomic
def recovery_codes_regenerate(*, request) -> list[str]:
    """New recovery codes for the user (the old ones stop working)."""
    user = request.user
    TOTPDevice.objects.select_for_update().get(user=user, confirmed=True)
    codes = _new_recovery_codes(user)
    audit_log(actor=user, action="auth.2fa.recovery_codes_regenerated", obj=user, request=request)
    return codes


@transaction.atomic
def reset(*, user, by, request=None) -> bool:
    """The security administrator removes a user's authenticator and recovery codes (a lost phone): the user
    enrols again at the next login. Returns whether there was anything to remove."""
    deleted, _rows = TOTPDevice.objects.filter(user=user).delete()
    RecoveryCode.objects.filter(user=user).delete()
    if deleted:
        entry = audit_log(actor=by, action="auth.2fa.reset", obj=user, request=request)
        notify_role(
            role=Role.SECURITY_ADMIN, event=f"auth.2fa.reset.{entry.pk}", kind="account.2fa_reset",
            title=SECURITY_NOTICE_TITLE, urgent=True,
            body=_("账户 %(user)s 的双因素认证已被 %(by)s 重置。") % {"user": user, "by": by},
        )  # fmt: skip
    return bool(deleted)
