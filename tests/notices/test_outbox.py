"""The outbox as residents, officers and administrators meet it: who is told what at each step of a request,
nothing for a rolled-back step, quiet hours, the daily cap, the bell, the delivery page."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import transaction
from django.urls import reverse

from officers.resident_requests import services
from tests.resident_requests.helpers import submit
from yushu_gov.models import AuditEntry, DevMessage, Notice
from yushu_gov.notices.delivery import notice_deliver
from yushu_gov.notices.outbox import notice_write, phone_recipient

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


@time_machine.travel(datetime(2026, 12, 7, 10, 0, tzinfo=SHANGHAI))  # by day: the non-urgent notices go at once
def test_a_request_with_a_phone_tells_the_resident_and_the_officer(officer):
    item = submit(resident_phone="13912345678", contact_consent=True)
    sms = Notice.objects.get(channel="sms")
    assert sms.status == "sent" and sms.urgent and sms.recipient == phone_recipient("13912345678")
    assert "13912345678" not in sms.recipient
    message = DevMessage.objects.get()
    assert message.to == "139****5678" and item.tracking_code in message.text
    bell = Notice.objects.get(channel="inapp")
    assert bell.user == officer and item.number in bell.body and bell.link == reverse("requests:detail", args=[item.pk])
    sent = AuditEntry.objects.get(action="notices.notice.sent")
    assert sent.changes["to"] == [None, "139****5678"] and "13912345678" not in str(sent.changes)

    services.request_accept(resident_request=item, by=officer)
    accepted = Notice.objects.filter(channel="sms").latest("pk")
    item.refresh_from_db()
    assert accepted.kind == "request.accepted" and accepted.status == "sent"
    local = item.resolve_by.astimezone(SHANGHAI)
    assert f"{local.year}年{local.month}月{local.day}日" in accepted.body  # the deadline as a date

    services.request_resolve(resident_request=item, by=officer, reply="已修好")
    assert Notice.objects.filter(channel="sms").latest("pk").kind == "request.resolved"
    services.request_rate(resident_request=item, rating="unsatisfied")
    assert Notice.objects.filter(channel="inapp", kind="request.unsatisfied", user=officer).exists()


def test_no_phone_sends_no_sms(officer):
    submit()  # (a phone without consent is refused by the request's own constraint)
    assert not Notice.objects.filter(channel="sms").exists()
    assert Notice.objects.filter(channel="inapp", user=officer).count() == 1


def test_a_rolled_back_step_leaves_no_notice(officer):
    with pytest.raises(RuntimeError), transaction.atomic():
        submit(resident_phone="13912345678", contact_consent=True)
        assert Notice.objects.count() == 2  # written in the step's transaction…
        raise RuntimeError("the step fails after its notices were written")
    assert Notice.objects.count() == 0 and DevMessage.objects.count() == 0  # …and gone with it


def test_the_same_event_tells_each_recipient_once(officer):
    first = notice_write(event="e", recipient="user:1", channel="inapp", kind="k", title="t", body="b", user=officer)
    again = notice_write(event="e", recipient="user:1", channel="inapp", kind="k", title="t", body="b", user=officer)
    assert first.pk == again.pk and Notice.objects.count() == 1


def _pending_sms(event: str, *, urgent: bool = False) -> Notice:
    with transaction.atomic():
        return notice_write(
            event=event, recipient="request:9", channel="sms", kind="k", title="t", body="b", address="13912345678",
            urgent=urgent,
        )  # fmt: skip


def test_non_urgent_sms_waits_out_the_quiet_hours():
    with time_machine.travel(datetime(2026, 12, 6, 23, 30, tzinfo=SHANGHAI), tick=False):
        quiet = _pending_sms("quiet")
        urgent = _pending_sms("urgent", urgent=True)
    quiet.refresh_from_db()
    urgent.refresh_from_db()
    assert urgent.status == "sent"
    assert quiet.status == "pending" and quiet.attempts == 0
    assert quiet.next_try == datetime(2026, 12, 7, 7, 0, tzinfo=SHANGHAI)
    with time_machine.travel(datetime(2026, 12, 7, 7, 1, tzinfo=SHANGHAI), tick=False):
        assert notice_deliver(notice_id=quiet.pk) == "sent"


def test_each_recipient_has_a_daily_cap(settings):
    settings.NOTICE_DAILY_CAP = 2
    with time_machine.travel(datetime(2026, 12, 6, 10, 0, tzinfo=SHANGHAI), tick=False):
        notices = [_pending_sms(f"cap.{n}") for n in range(3)]
        urgent = _pending_sms("cap.urgent", urgent=True)
    for notice in notices:
        notice.refresh_from_db()
    assert [n.status for n in notices] == ["sent", "sent", "skipped"]
    assert "上限" in notices[2].failure
    urgent.refresh_from_db()
    assert urgent.status == "sent"


def test_the_bell_shows_the_officers_new_request(client, officer):
    submit()
    client.force_login(officer)
    page = client.get(reverse("home"))
    assert b'class="bell"' in page.content and b'<span class="badge badge-count">1</span>' in page.content
    listing = client.get(reverse("notices:list"))
    assert listing.status_code == 200 and "新的群众诉求" in listing.content.decode()
    client.post(reverse("notices:read"))
    assert Notice.objects.get().read_at is not None


def test_the_delivery_page_shows_failures_with_masked_phones(client, city_admin, settings):
    settings.NOTICE_SMS_CHANNEL = "aliyun"  # without keys: fails for good, with the reason
    failed = _pending_sms("fails", urgent=True)
    failed.refresh_from_db()
    assert failed.status == "failed" and "ALIYUN_SMS_ACCESS_KEY_ID" in failed.failure
    client.force_login(city_admin)
    page = client.get(reverse("notices:delivery")).content.decode()
    assert "139****5678" in page and "13912345678" not in page and "ALIYUN_SMS_ACCESS_KEY_ID" in page


def test_the_development_channel_shows_what_would_have_been_sent(client, security_admin):
    item = submit(resident_phone="13912345678", contact_consent=True)
    client.force_login(security_admin)
    page = client.get(reverse("notices:delivery"), {"show": "dev"}).content.decode()
    assert item.tracking_code in page and "139****5678" in page and "13912345678" not in page


def test_a_staff_member_chooses_e_mail_on_the_account_page(client, officer):
    officer.email = "officer@example.org"
    officer.save()
    client.force_login(officer)
    assert client.post(reverse("notices:channels"), {"email": "on"}).status_code == 302
    submit()
    assert set(Notice.objects.values_list("channel", flat=True)) == {"inapp", "email"}


def test_the_security_administrators_hear_of_a_locked_account_and_a_second_factor_reset(
    client, jiegu_clerk, security_admin, city_admin
):
    for _ in range(5):
        client.post(reverse("login"), {"username": jiegu_clerk.username, "password": "wrong"})
    locked = Notice.objects.get(kind="account.locked")
    assert locked.user == security_admin and jiegu_clerk.username in locked.body

    from yushu_gov.accounts import two_factor
    from yushu_gov.models import TOTPDevice

    TOTPDevice.objects.create(user=city_admin, key="3132333435363738393031323334353637383930", confirmed=True)
    assert two_factor.reset(user=city_admin, by=security_admin)
    reset = Notice.objects.get(kind="account.2fa_reset")
    assert reset.user == security_admin and city_admin.username in reset.body
