"""Times and dates as clerks type them (yushu_gov/input/forms.py): the shared fields every form uses, and the talk
form that rejected "14：30" and "11月5日"."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django import forms

from communities.models import Community
from officers.talks.forms import TalkForm
from yushu_gov.input.forms import ClerkDateField, ClerkTimeField

SH = ZoneInfo("Asia/Shanghai")


@pytest.mark.parametrize(
    "typed",
    [
        "14:30",
        "14：30",
        "１４：３０",
        "1430",
        "14点30",
        "14点30分",
        "14时30分",
        "14.30",
        "下午2点30",
        "14点半",
        " 14:30 ",
    ],
)
def test_times_as_clerks_type_them(typed):
    assert ClerkTimeField().clean(typed) == time(14, 30)


@pytest.mark.parametrize("typed", ["9点", "930", "上午9点30"])
def test_morning_times(typed):
    assert ClerkTimeField().clean(typed).hour == 9


@pytest.mark.parametrize("typed", ["25:00", "14:75", "2430", "下午", "abc", "1" * 40])
def test_impossible_times_are_refused_with_a_message(typed):
    with pytest.raises(forms.ValidationError):
        ClerkTimeField().clean(typed)


@pytest.mark.parametrize(
    "typed",
    ["2026年11月5号", "2026年11月5日", "2026-11-05", "2026/11/5", "2026.11.5", "20261105", "２０２６年１１月５日"],
)
def test_dates_as_clerks_type_them(typed):
    assert ClerkDateField().clean(typed) == date(2026, 11, 5)


@pytest.mark.parametrize("typed", ["11月5日", "11月5号", "11-5", "11/5"])
def test_a_date_without_the_year_is_in_the_current_year(typed):
    with time_machine.travel(date(2027, 1, 3), tick=False):
        assert ClerkDateField().clean(typed) == date(2027, 11, 5)


@pytest.mark.parametrize("typed", ["2026年2月30日", "13月5日", "5日", "明天", "2026" * 10])
def test_impossible_dates_are_refused_with_a_message(typed):
    with pytest.raises(forms.ValidationError) as caught:
        ClerkDateField().clean(typed)
    assert caught.value.messages


def test_the_time_field_is_a_time_input_phones_offer_a_picker_for():
    html = str(ClerkTimeField().widget.render("held_time", time(14, 30)))
    assert 'type="time"' in html and 'value="14:30"' in html and 'inputmode="numeric"' not in html


@pytest.mark.django_db
def test_the_talk_form_accepts_what_the_clerk_typed(jiegu_officer, jiegu_clerk):
    data = {
        "officer": jiegu_officer.pk,
        "held_on": "11月5日",
        "held_time": "14：30",
        "place": "社区警务室",
        "talker_name": "才旦卓玛",
        "talker_role": "secretary",
        "topics": ["topic_safety"],
        "content": "了解情况。",
    }
    street = Community.objects.get(code="minzhulu").street_id
    with time_machine.travel(datetime(2026, 11, 20, 9, tzinfo=SH), tick=False):
        form = TalkForm(data, street_id=street)
        assert form.is_valid(), form.errors
    assert form.cleaned_data["held_at"] == datetime(2026, 11, 5, 14, 30, tzinfo=SH)
    with time_machine.travel(datetime(2026, 11, 20, 9, tzinfo=SH), tick=False):
        form = TalkForm({**data, "held_on": "2026年11月5号", "held_time": "1430"}, street_id=street)
        assert form.is_valid(), form.errors


@pytest.mark.parametrize(
    ("form_path", "field"),
    [
        ("officers.forms.OfficerForm", "party_member_since"),
        ("officers.forms.ReportForm", "on_date"),
        ("officers.forms.ServeForm", "meeting_on"),
        ("officers.ledger.forms.WorkRecordForm", "occurred_on"),
        ("assessments.forms.ReportForm", "held_on"),
        ("officers.talks.forms.TalkForm", "held_on"),
        ("officers.talks.forms.TalkForm", "held_time"),
    ],
)
def test_every_date_and_time_field_is_the_shared_one(form_path, field):
    from importlib import import_module

    module, name = form_path.rsplit(".", 1)
    form_class = getattr(import_module(module), name)
    assert isinstance(form_class.base_fields[field], ClerkDateField | ClerkTimeField)
