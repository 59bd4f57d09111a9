"""The selection procedure (DOMAIN.md §4.1): every allowed and refused transition with its message, the
step rows and the audit entries, and the seat rules."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from communities.models import Community
from officers import services
from officers.models import Appointment, AppointmentStep, Officer, QualificationCheck, QualificationStandard
from yushu_gov.models import AuditEntry

from ..factories import AppointmentFactory, OfficerFactory

S = Appointment.Status


def all_met():
    return {s.pk: (True, "符合") for s in QualificationStandard.objects.filter(active=True)}


def advance(appointment, to, *, clerk, admin):
    """Moves a nominated appointment forward to `to` through the services, with plausible dates."""
    steps = [
        ("reviewed", lambda: services.appointment_review(
            appointment=appointment, by=clerk, on_date=date(2023, 3, 5), results=all_met())),
        ("reported", lambda: services.appointment_report(
            appointment=appointment, by=admin, on_date=date(2023, 3, 10), reference="请示")),
        ("decided", lambda: services.appointment_decide(
            appointment=appointment, by=admin, on_date=date(2023, 3, 20), meeting="市委组织部部务会")),
        ("filed", lambda: services.appointment_file(
            appointment=appointment, by=admin, on_date=date(2023, 3, 25), document_no="玉市组〔2023〕7号")),
        ("serving", lambda: services.appointment_serve(
            appointment=appointment, by=clerk, meeting_on=date(2023, 4, 1), announced_on=date(2023, 4, 1),
            letter_issued_on=date(2023, 4, 1), oath_on=date(2023, 4, 2))),
    ]  # fmt: skip
    for status, step in steps:
        if Appointment.SEQUENCE.index(status) <= Appointment.SEQUENCE.index(appointment.status):
            continue  # already done
        step()
        appointment.refresh_from_db()
        if status == to:
            return appointment
    return appointment


@pytest.fixture
def nominated(nominated_appointment):
    return nominated_appointment


def test_the_whole_procedure_records_each_step_and_audits_it(nominated, jiegu_clerk, city_admin):
    appointment = advance(nominated, "serving", clerk=jiegu_clerk, admin=city_admin)
    assert appointment.status == S.SERVING
    assert appointment.started_on == date(2023, 4, 1)
    assert appointment.document_no == "玉市组〔2023〕7号"
    assert appointment.letter_number == "玉树任〔2023〕001号"
    steps = list(appointment.steps.order_by("id").values_list("status", "actor__username", "on_date"))
    assert steps == [
        ("nominated", "t_jiegu", date(2023, 3, 1)),
        ("reviewed", "t_jiegu", date(2023, 3, 5)),
        ("reported", "t_admin", date(2023, 3, 10)),
        ("decided", "t_admin", date(2023, 3, 20)),
        ("filed", "t_admin", date(2023, 3, 25)),
        ("serving", "t_jiegu", date(2023, 4, 1)),
    ]
    actions = list(AuditEntry.objects.for_object(appointment).order_by("id").values_list("action", flat=True))
    assert actions == [f"officers.appointment.{s}" for s in Appointment.SEQUENCE[:6]]
    filed = AuditEntry.objects.get(action="officers.appointment.filed")
    assert filed.changes["status"] == ["decided", "filed"]
    assert filed.changes["document_no"] == ["", "玉市组〔2023〕7号"]
    assert QualificationCheck.objects.filter(appointment=appointment, met=True).count() == 6


@pytest.mark.parametrize(
    "call",
    [
        lambda a, u: services.appointment_report(appointment=a, by=u, on_date=date(2023, 3, 2), reference="x"),
        lambda a, u: services.appointment_decide(appointment=a, by=u, on_date=date(2023, 3, 2), meeting="x"),
        lambda a, u: services.appointment_file(
            appointment=a, by=u, on_date=date(2023, 3, 2), document_no="玉市组〔2023〕1号"
        ),
        lambda a, u: services.appointment_serve(
            appointment=a,
            by=u,
            meeting_on=date(2023, 3, 2),
            announced_on=date(2023, 3, 2),
            letter_issued_on=date(2023, 3, 2),
            oath_on=date(2023, 3, 2),
        ),  # fmt: skip
        lambda a, u: services.appointment_end(appointment=a, by=u, on_date=date(2023, 3, 2), reason="transfer"),
    ],
    ids=["report", "decide", "file", "serve", "end"],
)
def test_a_step_cannot_be_skipped(call, nominated, city_admin):
    with pytest.raises(ValidationError) as exc:
        call(nominated, city_admin)
    assert "当前状态为“人选推荐”" in exc.value.messages[0]
    nominated.refresh_from_db()
    assert nominated.status == S.NOMINATED
    assert nominated.steps.count() == 1


def test_review_cannot_pass_with_an_unmet_standard(nominated, jiegu_clerk):
    results = all_met()
    unmet = QualificationStandard.objects.get(sort_order=4)
    results[unmet.pk] = (False, "2021年度考核基本称职")
    with pytest.raises(ValidationError) as exc:
        services.appointment_review(appointment=nominated, by=jiegu_clerk, on_date=date(2023, 3, 5), results=results)
    assert "资格审查不能通过" in exc.value.messages[0] and unmet.text in exc.value.messages[0]
    nominated.refresh_from_db()
    assert nominated.status == S.NOMINATED
    assert not QualificationCheck.objects.exists()


def test_review_must_check_every_standard(nominated, jiegu_clerk):
    results = all_met()
    results.pop(next(iter(results)))
    with pytest.raises(ValidationError, match="逐项审查"):
        services.appointment_review(appointment=nominated, by=jiegu_clerk, on_date=date(2023, 3, 5), results=results)


def test_only_party_members_can_be_nominated(reference, jiegu_clerk):
    officer = OfficerFactory(party_status=Officer.PartyStatus.NONE, party_member_since=None)
    with pytest.raises(ValidationError) as exc:
        services.appointment_nominate(
            officer=officer, community=Community.objects.get(code="minzhulu"), by=jiegu_clerk, on_date=date(2023, 1, 1)
        )
    assert exc.value.message_dict["officer"] == ["只能推荐中共党员民警担任社区党支部副书记。"]


def test_one_open_nomination_per_community_is_a_clear_error(nominated, jiegu_clerk):
    with pytest.raises(ValidationError, match="该社区已有一项正在办理的任职程序"):
        services.appointment_nominate(
            officer=OfficerFactory(), community=nominated.community, by=jiegu_clerk, on_date=date(2023, 3, 1)
        )


def test_dates_cannot_be_in_the_future_or_before_the_previous_step(nominated, jiegu_clerk):
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(ValidationError, match="不能晚于今天"):
        services.appointment_review(appointment=nominated, by=jiegu_clerk, on_date=tomorrow, results=all_met())
    with pytest.raises(ValidationError, match="不能早于上一步骤的日期"):
        services.appointment_review(appointment=nominated, by=jiegu_clerk, on_date=date(2023, 2, 1), results=all_met())


@pytest.mark.parametrize(
    "typed, stored",
    [
        ("玉市组〔2022〕12号", "玉市组〔2022〕12号"),
        ("玉市组[2022]12号", "玉市组〔2022〕12号"),
        ("玉市组（2022）12号", "玉市组〔2022〕12号"),
        (" 玉市组 〔2022〕 12号 ", "玉市组〔2022〕12号"),
    ],
)
def test_document_numbers_in_the_official_form(typed, stored, nominated, jiegu_clerk, city_admin):
    appointment = advance(nominated, "decided", clerk=jiegu_clerk, admin=city_admin)
    services.appointment_file(appointment=appointment, by=city_admin, on_date=date(2023, 3, 25), document_no=typed)
    appointment.refresh_from_db()
    assert appointment.document_no == stored


@pytest.mark.parametrize(
    "typed", ["2022年12号", "玉市组〔22〕12号", "玉市组〔2022〕12", "〔2022〕12号", "玉市组〔2022〕号"]
)
def test_bad_document_numbers_are_refused(typed, nominated, jiegu_clerk, city_admin):
    appointment = advance(nominated, "decided", clerk=jiegu_clerk, admin=city_admin)
    with pytest.raises(ValidationError) as exc:
        services.appointment_file(appointment=appointment, by=city_admin, on_date=date(2023, 3, 25), document_no=typed)
    assert "玉市组〔2022〕12号" in exc.value.message_dict["reference"][0]
    appointment.refresh_from_db()
    assert appointment.status == S.DECIDED


def test_letter_numbers_run_per_year(reference, jiegu_clerk, city_admin, nominated):
    first = advance(nominated, "filed", clerk=jiegu_clerk, admin=city_admin)
    second = services.appointment_nominate(
        officer=OfficerFactory(), community=Community.objects.get(code="xinjianlu"), by=jiegu_clerk,
        on_date=date(2023, 3, 1),
    )  # fmt: skip
    second = advance(second, "filed", clerk=jiegu_clerk, admin=city_admin)
    assert (first.letter_number, second.letter_number) == ("玉树任〔2023〕001号", "玉树任〔2023〕002号")


def test_serving_is_refused_while_the_community_has_a_serving_deputy(nominated, jiegu_clerk, city_admin):
    AppointmentFactory(community=nominated.community)  # someone already serves in 红卫路社区
    appointment = advance(nominated, "filed", clerk=jiegu_clerk, admin=city_admin)
    with pytest.raises(ValidationError, match="该社区已有在任的党员民警副书记"):
        advance(appointment, "serving", clerk=jiegu_clerk, admin=city_admin)
    appointment.refresh_from_db()
    assert appointment.status == S.FILED
    assert not AuditEntry.objects.filter(action="officers.appointment.serving").exists()


def test_an_officer_serves_one_community_at_a_time(nominated, jiegu_clerk, city_admin):
    AppointmentFactory(officer=nominated.officer, community=Community.objects.get(code="xinjianlu"))
    appointment = advance(nominated, "filed", clerk=jiegu_clerk, admin=city_admin)
    with pytest.raises(ValidationError, match="该民警已在另一社区任职"):
        advance(appointment, "serving", clerk=jiegu_clerk, admin=city_admin)


def test_ending_records_date_and_reason(nominated, jiegu_clerk, city_admin):
    appointment = advance(nominated, "serving", clerk=jiegu_clerk, admin=city_admin)
    with pytest.raises(ValidationError, match="离任日期不能早于"):
        services.appointment_end(appointment=appointment, by=city_admin, on_date=date(2023, 3, 1), reason="transfer")
    services.appointment_end(
        appointment=appointment, by=city_admin, on_date=date(2024, 6, 30), reason="rotation", note="轮岗到西杭"
    )
    appointment.refresh_from_db()
    assert (appointment.status, appointment.ended_on, appointment.end_reason) == (
        S.ENDED,
        date(2024, 6, 30),
        "rotation",
    )
    assert AuditEntry.objects.filter(action="officers.appointment.ended", object_id=str(appointment.pk)).exists()
    # The seat is free again: the community can have a new serving deputy secretary.
    assert not Appointment.objects.serving().filter(community=appointment.community).exists()


@pytest.mark.parametrize("stage", ["nominated", "reviewed", "reported", "decided", "filed"])
@pytest.mark.parametrize("close", ["return", "withdraw"])
def test_return_or_withdraw_at_any_step_before_serving(stage, close, nominated, jiegu_clerk, city_admin):
    appointment = advance(nominated, stage, clerk=jiegu_clerk, admin=city_admin) if stage != "nominated" else nominated
    service = services.appointment_return if close == "return" else services.appointment_withdraw
    with pytest.raises(ValidationError, match="请填写原因"):
        service(appointment=appointment, by=city_admin, reason="  ")
    service(appointment=appointment, by=city_admin, reason="人选调整")
    appointment.refresh_from_db()
    assert appointment.status == (S.RETURNED if close == "return" else S.WITHDRAWN)
    assert appointment.closing_note == "人选调整"
    assert AuditEntry.objects.filter(action=f"officers.appointment.{appointment.status}").count() == 1
    # The community is free for a new nomination.
    services.appointment_nominate(
        officer=OfficerFactory(), community=appointment.community, by=jiegu_clerk, on_date=date(2023, 5, 1)
    )


def test_no_return_after_serving(nominated, jiegu_clerk, city_admin):
    appointment = advance(nominated, "serving", clerk=jiegu_clerk, admin=city_admin)
    with pytest.raises(ValidationError, match="不能退回"):
        services.appointment_return(appointment=appointment, by=city_admin, reason="x")


def test_pressing_the_same_button_twice_advances_once(nominated, jiegu_clerk):
    stale = Appointment.objects.get(pk=nominated.pk)  # the page the second clerk still has open
    services.appointment_review(appointment=nominated, by=jiegu_clerk, on_date=date(2023, 3, 5), results=all_met())
    with pytest.raises(ValidationError, match="可能已有他人办理"):
        services.appointment_review(appointment=stale, by=jiegu_clerk, on_date=date(2023, 3, 5), results=all_met())
    assert AppointmentStep.objects.filter(appointment=nominated, status="reviewed").count() == 1


def test_the_street_withdraws_only_before_reporting_to_the_city(nominated, jiegu_clerk, city_admin):
    appointment = advance(nominated, "reported", clerk=jiegu_clerk, admin=city_admin)
    with pytest.raises(ValidationError, match="街道不能再撤回"):
        services.appointment_withdraw(appointment=appointment, by=jiegu_clerk, reason="人选调整")
    services.appointment_withdraw(appointment=appointment, by=city_admin, reason="人选调整")
    appointment.refresh_from_db()
    assert appointment.status == S.WITHDRAWN
