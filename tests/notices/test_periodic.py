"""The reminders and digests of `manage.py send_periodic_notices`: each told once however often it runs."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command

from tests.resident_requests.helpers import submit
from yushu_gov.models import Notice

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_a_deadline_within_24_hours_reminds_its_holder_once(officer):
    item = submit()  # respond within 24 h (the default): due from the start
    with time_machine.travel(item.respond_by - timedelta(hours=3)):
        call_command("send_periodic_notices")
        call_command("send_periodic_notices")
    reminders = Notice.objects.filter(kind="request.due", user=officer)
    assert reminders.count() == 1 and item.number in reminders.get().body


def test_the_officer_is_told_his_talk_is_due_from_the_twentieth(officer):
    with time_machine.travel(datetime(2026, 12, 10, 9, tzinfo=SHANGHAI)):
        call_command("send_periodic_notices")
    assert not Notice.objects.filter(kind="talk.due").exists()
    with time_machine.travel(datetime(2026, 12, 21, 9, tzinfo=SHANGHAI)):
        call_command("send_periodic_notices")
        call_command("send_periodic_notices")
    assert Notice.objects.filter(kind="talk.due", user=officer).count() == 1


def test_the_street_clerk_gets_a_weekly_digest_of_her_to_do_list(jiegu_clerk, officer):
    submit()  # a request waiting for the officer; the serving officer's talk of this month is due
    with time_machine.travel(datetime(2026, 12, 7, 9, tzinfo=SHANGHAI)):  # a Monday
        call_command("send_periodic_notices")
        call_command("send_periodic_notices")
    digest = Notice.objects.get(kind="digest.weekly", user=jiegu_clerk)
    assert digest.event == "digest.2026-W50" and "本周待办" in digest.body
