"""One idempotency key per form: a form sent twice (a retry after a dropped connection, a double tap) saves
once — on the server, whichever order or moment the two sendings arrive in."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from officers.ledger.models import WorkRecord
from officers.talks.models import MonthlyTalk
from yushu_gov.input.idempotency import FIELD, new_key
from yushu_gov.models import AuditEntry, FormSubmission

from ..officers.test_concurrency import run_together

SH = ZoneInfo("Asia/Shanghai")


def talk_data(officer, key):
    return {
        "officer": officer.pk,
        "held_on": "2026-06-10",
        "held_time": "10:00",
        "place": "社区警务室",
        "talker_name": "才旦卓玛",
        "talker_role": "secretary",
        "topics": ["topic_safety"],
        "content": "了解情况。",
        FIELD: key,
    }


@pytest.fixture
def june_2026():
    with time_machine.travel(datetime(2026, 6, 15, 9, tzinfo=SH), tick=False):
        yield


def test_every_form_shown_carries_a_new_key(client_for, jiegu_officer):
    client = client_for("jiegu_clerk")
    first = client.get(reverse("talks:create")).context["form"].initial[FIELD]
    second = client.get(reverse("talks:create")).context["form"].initial[FIELD]
    assert len(first) == 32 and first != second


def test_a_talk_sent_twice_is_saved_once(june_2026, client_for, jiegu_officer):
    client = client_for("jiegu_clerk")
    data = talk_data(jiegu_officer, new_key())
    first = client.post(reverse("talks:create"), data)
    second = client.post(reverse("talks:create"), data, follow=True)  # the retry: the answer was lost
    assert first.status_code == 302 and second.status_code == 200
    assert MonthlyTalk.objects.count() == 1
    assert AuditEntry.objects.filter(action="officers.talk.recorded").count() == 1
    assert "这份谈话记录刚才已经保存，没有重复保存。" in second.content.decode()
    # A new form (a new key) is a new talk.
    client.post(reverse("talks:create"), talk_data(jiegu_officer, new_key()))
    assert MonthlyTalk.objects.count() == 2


def test_a_refused_form_can_be_corrected_and_sent_with_the_same_key(june_2026, client_for, jiegu_officer):
    client = client_for("jiegu_clerk")
    data = talk_data(jiegu_officer, new_key())
    response = client.post(reverse("talks:create"), {**data, "held_on": "2026-07-01"})  # in the future
    assert response.status_code == 200 and not FormSubmission.objects.exists()
    assert client.post(reverse("talks:create"), data).status_code == 302
    assert MonthlyTalk.objects.count() == 1


def test_keys_belong_to_their_user(june_2026, client_for, jiegu_officer, jiegu_clerk, city_admin):
    key = new_key()
    client_for("jiegu_clerk").post(reverse("talks:create"), talk_data(jiegu_officer, key))
    assert FormSubmission.objects.get(key=key).user == jiegu_clerk


def test_a_work_record_sent_twice_is_saved_once(client_for, jiegu_officer):
    client = client_for("jiegu_clerk")
    data = {
        "kind": "patrol",
        "occurred_on": "2023年5月10日",
        "community": jiegu_officer.appointments.get().community_id,
        "officer": jiegu_officer.pk,
        "summary": "夜间巡逻",
        "status": "done",
        FIELD: new_key(),
    }
    first = client.post(reverse("work:create"), data)
    second = client.post(reverse("work:create"), data)
    assert first.status_code == second.status_code == 302 and first.url == second.url
    assert WorkRecord.objects.count() == 1


def test_a_key_that_is_not_ours_is_ignored(june_2026, client_for, jiegu_officer):
    client = client_for("jiegu_clerk")
    data = talk_data(jiegu_officer, "' OR 1=1 --")
    client.post(reverse("talks:create"), data)
    client.post(reverse("talks:create"), data)
    assert MonthlyTalk.objects.count() == 2 and not FormSubmission.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_sendings_at_the_same_moment_save_once(reference, jiegu_officer, jiegu_clerk):
    data = talk_data(jiegu_officer, new_key())

    def send():  # the talk's day (10 June 2026) is past: no clock to travel in two threads at once
        client = Client()
        client.force_login(jiegu_clerk)
        return client.post(reverse("talks:create"), data).status_code

    assert run_together(send, send) == [302, 302]
    assert MonthlyTalk.objects.count() == 1
    assert FormSubmission.objects.count() == 1
