"""Every write of the open interfaces: issuing and revoking partner keys (the security administrator), using a
key (rate-limited and audited, every use), a request brought in by a partner (the same flow as the web form:
officers/resident_requests/services.request_submit), the webhook a partner registers, and pushing the stages of
its requests to it (signed, in order, retried with back-off on the database task queue)."""

import hashlib
import hmac
import json
import secrets
import time
import urllib.error
import urllib.request
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from officers.resident_requests.models import RequestStep
from officers.resident_requests.services import request_submit
from yushu_gov.audit.log import audit_log
from yushu_gov.input.constraints import integrity_error

from .models import KEY_PREFIX_LENGTH, KeyHit, PartnerKey, PartnerRequest
from .selectors import partner_stages, stage_items

KEY_START = "ys311_"
RATE_WINDOW = timedelta(minutes=1)
# Seconds before each retry of a failed push; the last one repeats until the partner answers again.
WEBHOOK_BACKOFF = (10, 30, 60, 120, 300, 600, 1800, 3600)
WEBHOOK_TIMEOUT = 5  # seconds per delivery
WEBHOOK_BATCH = 100  # stages pushed per run of the task


class KeyRefused(Exception):
    """A key missing, unknown, revoked, without the scope, or over its rate: the API answers 403."""

    def __init__(self, message: str, *, retry_after: int | None = None):
        super().__init__(message)
        self.message = message
        self.retry_after = retry_after


def key_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


# ---------------------------------------------------------------- the security administrator's keys


@transaction.atomic
def partner_key_issue(
    *, name: str, by, may_post: bool = True, may_work_orders: bool = False, rate_per_minute: int = 60, raw=None
) -> tuple[PartnerKey, str]:
    """A new key for a partner platform: (the key's row, the key itself). Only the key's SHA-256 hash is kept;
    the key is shown once. `raw`: a key given in advance (the demo data's, printed by `make run`)."""
    raw = raw or KEY_START + secrets.token_urlsafe(32)
    key = PartnerKey(
        name=name.strip(),
        key_hash=key_hash(raw),
        prefix=raw[:KEY_PREFIX_LENGTH],
        may_post=may_post,
        may_work_orders=may_work_orders,
        rate_per_minute=rate_per_minute,
        created_by=by,
    )
    key.full_clean()
    key.save()
    audit_log(
        actor=by,
        action="open311.partnerkey.issued",
        obj=key,
        changes={"name": [None, key.name], "may_post": [None, may_post], "may_work_orders": [None, may_work_orders],
                 "rate_per_minute": [None, rate_per_minute]},
    )  # fmt: skip
    return key, raw


@transaction.atomic
def partner_key_revoke(*, key: PartnerKey, by) -> PartnerKey:
    current = PartnerKey.objects.select_for_update().get(pk=key.pk)
    if current.revoked_at is not None:
        raise ValidationError(_("该接口密钥已吊销。"))
    current.revoked_at = timezone.now()
    current.save(update_fields=["revoked_at"])
    audit_log(actor=by, action="open311.partnerkey.revoked", obj=current, changes={"revoked_at": [None, "✓"]})
    return current


# ---------------------------------------------------------------- using a key


def partner_key_use(*, raw: str | None, scope: str, endpoint: str, ip: str | None = None) -> PartnerKey:
    """The key that `raw` names, if it is active, holds `scope` ("post" or "work_orders") and is within its
    rate; every use, refused or not, is audited. Raises KeyRefused with the message the API answers."""
    raw = (raw or "").strip()[:200]
    key = PartnerKey.objects.filter(key_hash=key_hash(raw)).first() if raw else None
    if key is None or key.revoked_at is not None:
        audit_log(actor=None, action="open311.partnerkey.refused", obj=key,
                  changes={"endpoint": endpoint, "prefix": raw[:KEY_PREFIX_LENGTH]}, ip=ip)  # fmt: skip
        raise KeyRefused(_("缺少有效的接口密钥（api_key），或该密钥已吊销。"))
    if not (key.may_post if scope == "post" else key.may_work_orders):
        audit_log(actor=None, action="open311.partnerkey.refused", obj=key,
                  changes={"endpoint": endpoint, "status": "scope"}, ip=ip)  # fmt: skip
        raise KeyRefused(_("该接口密钥无权调用此接口。"))
    now = timezone.now()
    with transaction.atomic():
        PartnerKey.objects.select_for_update().filter(pk=key.pk).first()  # one use counted at a time per key
        KeyHit.objects.filter(key=key, at__lt=now - RATE_WINDOW).delete()
        over = KeyHit.objects.filter(key=key).count() >= key.rate_per_minute
        if over:
            audit_log(actor=None, action="open311.partnerkey.refused", obj=key,
                      changes={"endpoint": endpoint, "status": "rate"}, ip=ip)  # fmt: skip
        else:
            KeyHit.objects.create(key=key, at=now)
            audit_log(actor=None, action="open311.partnerkey.used", obj=key, changes={"endpoint": endpoint}, ip=ip)
    if over:
        raise KeyRefused(_("接口调用过于频繁，请一分钟后再试。"), retry_after=60)
    return key


# ---------------------------------------------------------------- a request through a key


@transaction.atomic
def partner_request_submit(*, key: PartnerKey, community, data: dict, external_id: str = "") -> tuple:
    """A request brought in by a partner: the resident's request goes through request_submit, the web form's
    own service (the community's officer, the deadlines, the tracking code for the rating), then the partner's
    token and ticket are kept beside it. A ticket already brought in returns its request again (the hotline
    may send a work order twice). Returns (PartnerRequest, created)."""
    external_id = (external_id or "").strip()
    if external_id:
        found = PartnerRequest.objects.select_related("request").filter(partner=key, external_id=external_id).first()
        if found is not None:
            return found, False
    # The partner's platform submits for many callers from one address: only the phone's limit applies.
    resident_request = request_submit(community=community, data=data, photo=None, address=None)
    partner_request = PartnerRequest(request=resident_request, partner=key, external_id=external_id)
    try:
        with transaction.atomic():
            partner_request.save()
    except IntegrityError as exc:
        raise integrity_error(exc, partner_request) from exc
    audit_log(
        actor=None,
        action="open311.partnerrequest.created",
        obj=resident_request,
        changes={"name": [None, key.name], "external_id": [None, external_id]},
    )
    return partner_request, True


@transaction.atomic
def webhook_register(*, key: PartnerKey, url: str) -> str:
    """The partner's webhook for the stages of its requests, with a new signing secret (returned once, kept
    encrypted: the pushes are signed with it). An empty url stops the pushes."""
    current = PartnerKey.objects.select_for_update().get(pk=key.pk)
    current.webhook_url = url
    current.webhook_secret = secrets.token_hex(32) if url else ""
    current.webhook_failures, current.webhook_error = 0, ""
    current.full_clean(exclude=["key_hash"])
    current.save(update_fields=["webhook_url", "webhook_secret", "webhook_failures", "webhook_error"])
    audit_log(actor=None, action="open311.partnerkey.webhook", obj=current, changes={"webhook_url": [None, url]})
    if url:
        transaction.on_commit(lambda: _enqueue(current.pk))
    return current.webhook_secret


# ---------------------------------------------------------------- pushing the stages


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """The push's signature: HMAC-SHA256 over "<timestamp>.<body>" with the partner's secret, in hex."""
    return hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


def _enqueue(partner_id: int, *, delay: float = 0) -> None:
    push = stage_push_task
    if delay:
        if not push.get_backend().supports_defer:
            return  # (tests run tasks at once) the next stage, or the next run, pushes again
        push = push.using(run_after=timezone.now() + timedelta(seconds=delay))
    push.enqueue(partner_id)


def stage_recorded(request_id: int) -> None:
    """The residents' requests' listener (after the step's transaction commits): a request a partner with a
    webhook brought in puts that partner's push on the queue."""
    partner_id = (
        PartnerRequest.objects.filter(request_id=request_id, partner__revoked_at__isnull=True)
        .exclude(partner__webhook_url="")
        .values_list("partner_id", flat=True)
        .first()
    )
    if partner_id is not None:
        _enqueue(partner_id)


def stage_pushes_resume() -> int:
    """As a worker starts: a push for every partner with stages not yet delivered (a worker stopped in the
    middle of a push, or before its retry, leaves them). Returns how many pushes were queued."""
    pending = PartnerKey.objects.filter(revoked_at__isnull=True).exclude(webhook_url="")
    queued = 0
    for partner_id, after in pending.values_list("pk", "webhook_after"):
        if RequestStep.objects.filter(request__partner_request__partner_id=partner_id, pk__gt=after).exists():
            _enqueue(partner_id)
            queued += 1
    return queued


def _post(url: str, secret: str, stage: dict) -> None:
    body = json.dumps(stage, ensure_ascii=False, separators=(",", ":")).encode()
    timestamp = str(int(time.time()))
    request = urllib.request.Request(
        url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json; charset=utf-8",
            "X-Yushu-Stage-Id": str(stage["stage_id"]),
            "X-Yushu-Timestamp": timestamp,
            "X-Yushu-Signature": "sha256=" + sign(secret, timestamp, body),
        },
    )
    with urllib.request.urlopen(request, timeout=WEBHOOK_TIMEOUT) as response:  # noqa: S310 (the partner's URL)
        if not 200 <= response.status < 300:
            raise urllib.error.HTTPError(url, response.status, "not 2xx", response.headers, None)


def _push_next(partner_id: int) -> str | None:
    """Pushes the partner's oldest pending stage, in one short transaction that holds the partner's row (two
    workers never push the same partner at once, and each reads where the other stopped): "sent", "none"
    (nothing pending, or the partner busy elsewhere), or the error of a failed delivery."""
    with transaction.atomic():
        partner = PartnerKey.objects.select_for_update(skip_locked=True).filter(pk=partner_id).first()
        if partner is None or partner.revoked_at is not None or not partner.webhook_url:
            return "none"
        pending = stage_items(partner_stages(partner).filter(pk__gt=partner.webhook_after)[:1])
        step = pending[0] if pending else None
        if step is None:
            return "none"
        try:
            _post(partner.webhook_url, partner.webhook_secret, step)
        except (OSError, ValueError) as exc:  # refused, timed out, not 2xx, a bad address
            error = f"{type(exc).__name__}: {exc}"[:200]
            failures = partner.webhook_failures + 1
            PartnerKey.objects.filter(pk=partner.pk).update(webhook_failures=failures, webhook_error=error)
            backoff = settings.OPEN311_WEBHOOK_BACKOFF or WEBHOOK_BACKOFF
            delay = backoff[min(failures, len(backoff)) - 1]
            transaction.on_commit(lambda: _enqueue(partner_id, delay=delay))
            return error
        PartnerKey.objects.filter(pk=partner.pk).update(
            webhook_after=step["stage_id"], webhook_failures=0, webhook_error=""
        )
        return "sent"


def stage_push(*, partner_id: int) -> int:
    """Pushes the partner's pending stages, oldest first, one at a time: a stage counts as delivered (the
    partner's `webhook_after` moves to its id) only once the partner answered 2xx; a failure stops the run, so
    that the order holds, and puts a retry on the queue after the next back-off (WEBHOOK_BACKOFF). A worker
    stopped between sending a stage and recording it sends that one stage again: the partner keeps each
    stage id once (the contract in the README). Returns how many stages were delivered."""
    delivered = 0
    for _n in range(WEBHOOK_BATCH):
        outcome = _push_next(partner_id)
        if outcome != "sent":
            return delivered
        delivered += 1
    _enqueue(partner_id)  # more pending: the next run goes on
    return delivered


@task()
def stage_push_task(partner_id: int) -> int:
    """The push as a task on the database queue (`manage.py db_worker`)."""
    return stage_push(partner_id=partner_id)
