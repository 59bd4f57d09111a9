"""The appointment pages, letters, coverage, roster and the admin site's workflow actions."""

from datetime import date
from io import BytesIO

import pytest
from django.urls import reverse
from pypdf import PdfReader

from communities.models import BranchMember, Community
from officers.models import Appointment, QualificationStandard
from yushu_gov.models import AuditEntry

from ..factories import AppointmentFactory, CommunityFactory, OfficerFactory
from .test_workflow import advance


def test_clerk_nominates_through_the_page(client_for, reference):
    officer = OfficerFactory(name="旦增尼玛", station=reference["jiegu_station"])
    client = client_for("jiegu_clerk")
    community = Community.objects.get(code="minzhulu")
    form = client.get(reverse("officers:appointment_nominate")).context["form"]
    assert set(form.fields["community"].queryset.values_list("street__code", flat=True)) == {"jiegu"}
    response = client.post(
        reverse("officers:appointment_nominate"),
        {"community": community.pk, "officer": officer.pk, "on_date": "2023年3月1日", "reference": "党工委会议"},
    )
    appointment = Appointment.objects.get(officer=officer)
    assert response.url == reverse("officers:appointment_detail", args=[appointment.pk])
    assert appointment.status == "nominated" and appointment.nominated_on == date(2023, 3, 1)


def test_clerk_cannot_nominate_for_another_streets_community(client_for, reference):
    officer = OfficerFactory()
    response = client_for("jiegu_clerk").post(
        reverse("officers:appointment_nominate"),
        {"community": Community.objects.get(code="shenglilu").pk, "officer": officer.pk, "on_date": "2023-03-01"},
    )
    assert response.status_code == 200
    assert "community" in response.context["form"].errors
    assert not Appointment.objects.exists()


def test_review_page_shows_each_standard_and_keeps_input_on_error(client_for, nominated_appointment):
    client = client_for("jiegu_clerk")
    url = reverse("officers:appointment_review", args=[nominated_appointment.pk])
    html = client.get(url).content.decode()
    for standard in QualificationStandard.objects.all():
        assert standard.text in html
    data = {"on_date": "2023-03-05", "reference": "查阅档案"}
    standards = list(QualificationStandard.objects.all())
    for standard in standards:
        data[f"met_{standard.pk}"] = "yes"
        data[f"note_{standard.pk}"] = f"说明{standard.pk}"
    data[f"met_{standards[0].pk}"] = "no"
    response = client.post(url, data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "资格审查不能通过" in html and standards[0].text in html
    assert f'value="说明{standards[1].pk}"' in html  # nothing typed is lost
    data[f"met_{standards[0].pk}"] = "yes"
    assert client.post(url, data).status_code == 302
    nominated_appointment.refresh_from_db()
    assert nominated_appointment.status == "reviewed"


def test_city_admin_files_through_the_pages_and_bad_document_number_is_a_field_error(
    client_for, nominated_appointment, jiegu_clerk, city_admin
):
    appointment = advance(nominated_appointment, "decided", clerk=jiegu_clerk, admin=city_admin)
    client = client_for("city_admin")
    url = reverse("officers:appointment_file", args=[appointment.pk])
    response = client.post(url, {"on_date": "2023-03-25", "reference": "玉市组2023第7号"})
    assert response.status_code == 200
    assert "玉市组〔2022〕12号" in str(response.context["form"].errors["reference"])
    assert 'value="玉市组2023第7号"' in response.content.decode()
    assert client.post(url, {"on_date": "2023-03-25", "reference": "玉市组[2023]7号"}).status_code == 302
    appointment.refresh_from_db()
    assert appointment.document_no == "玉市组〔2023〕7号"


def test_a_step_out_of_order_is_refused_on_the_page(client_for, nominated_appointment):
    url = reverse("officers:appointment_file", args=[nominated_appointment.pk])
    response = client_for("city_admin").post(url, {"on_date": "2023-03-25", "reference": "玉市组〔2023〕7号"})
    assert response.status_code == 409
    assert "不能办理此步骤" in response.content.decode()
    nominated_appointment.refresh_from_db()
    assert nominated_appointment.status == "nominated"


def test_detail_offers_only_the_users_next_steps(client_for, nominated_appointment):
    clerk_actions = [name for name, _ in client_for("jiegu_clerk").get(
        reverse("officers:appointment_detail", args=[nominated_appointment.pk])).context["actions"]]  # fmt: skip
    admin_actions = [name for name, _ in client_for("city_admin").get(
        reverse("officers:appointment_detail", args=[nominated_appointment.pk])).context["actions"]]  # fmt: skip
    assert clerk_actions == ["review", "withdraw"]
    assert admin_actions == ["return", "withdraw"]
    bureau = client_for("bureau").get(reverse("officers:appointment_detail", args=[nominated_appointment.pk]))
    assert bureau.context["actions"] == []


def test_letter_pdf_text_holds_the_names_and_seat_terms(client_for, jiegu_officer):
    appointment = jiegu_officer.appointments.get()
    response = client_for("jiegu_clerk").get(reverse("officers:appointment_letter_pdf", args=[appointment.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(BytesIO(response.content)).pages)
    flat = text.replace(" ", "").replace("\n", "")
    assert jiegu_officer.name in flat
    assert "民主路社区" in flat
    assert appointment.letter_number in flat
    assert "玉市组〔2022〕12号" in flat
    assert "不占所在社区党支部班子职数" in flat and "不领取社区工资报酬" in flat
    assert jiegu_officer.id_number not in flat


def test_no_letter_before_filing(client_for, nominated_appointment):
    response = client_for("jiegu_clerk").get(reverse("officers:appointment_letter", args=[nominated_appointment.pk]))
    assert response.status_code == 404


def test_roster_shows_the_seat_outside_the_posts_and_the_election_roster(client_for, jiegu_officer):
    community = Community.objects.get(code="minzhulu")
    BranchMember.objects.create(community=community, name="书记甲", post="secretary")
    BranchMember.objects.create(community=community, name="委员乙", post="member")
    response = client_for("jiegu_clerk").get(reverse("officers:roster", args=[community.pk]))
    html = response.content.decode()
    assert response.context["posts_used"] == 2  # the seat holder does not take a post
    assert "核定职数 5 名，已配备 2 名，空缺 3 名" in html
    assert "席位制" in html and jiegu_officer.name in html
    election = html.split("换届选举名单")[1]
    assert "书记甲" in election and "委员乙" in election
    assert f"{jiegu_officer.name}（党员民警副书记，席位制）不参加本支部换届选举" in election
    assert election.count(jiegu_officer.name) == 1  # named only in the note that excludes them


def test_coverage_counts_and_highlights_gaps(client_for, jiegu_officer, xihang_officer):
    response = client_for("city_admin").get(reverse("officers:coverage"))
    assert (response.context["covered"], response.context["total"], response.context["gaps"]) == (2, 18, 16)
    # One street at a time: the first (结古街道, 4 gaps of 5) unless ?street= names another.
    assert response.context["street"].name == "结古街道"
    assert response.content.decode().count('class="gap"') == 4
    summary = {s.name: (s.covered, s.total) for s in response.context["streets"]}
    assert (
        summary["结古街道"] == (1, 5) and summary["西杭街道"] == (1, 3) and sum(t for _c, t in summary.values()) == 18
    )
    xihang = next(s for s in response.context["streets"] if s.name == "西杭街道")
    other = client_for("city_admin").get(reverse("officers:coverage"), {"street": xihang.pk})
    assert other.context["street"] == xihang and other.content.decode().count('class="gap"') == 2
    street = client_for("jiegu_clerk").get(reverse("officers:coverage"), {"street": xihang.pk})
    assert (street.context["covered"], street.context["total"]) == (1, 5)
    assert street.context["street"].name == "结古街道"  # another street's id is ignored outside the scope
    assert [s.name for s in street.context["streets"]] == ["结古街道"]


@pytest.mark.parametrize("extra", [0, 482])
def test_coverage_query_count_is_constant_from_18_to_500_communities(
    extra, client_for, reference, django_assert_num_queries
):
    street = reference["jiegu"]
    for community in CommunityFactory.create_batch(extra, street=street):
        AppointmentFactory(community=community)
    client = client_for("city_admin")
    client.get(reverse("officers:coverage"))
    # session, user, groups, the counts per street (one aggregate), the streets, the shown street's
    # communities, their serving seats with officer and station, and the session renewal (savepoint,
    # update, release): 10 at any size.
    with django_assert_num_queries(10):
        response = client.get(reverse("officers:coverage"))
    assert response.context["total"] == 18 + extra
    assert response.context["covered"] == extra


def test_admin_action_files_through_the_service(client_for, nominated_appointment, jiegu_clerk, city_admin):
    appointment = advance(nominated_appointment, "decided", clerk=jiegu_clerk, admin=city_admin)
    client = client_for("city_admin")
    url = reverse("admin:officers_appointment_changelist")
    page = client.post(url, {"action": "step_file", "_selected_action": [appointment.pk]})
    assert page.status_code == 200 and "任职文号" in page.content.decode()
    bad = client.post(
        url, {"action": "step_file", "_selected_action": [appointment.pk], "apply": "1",
              "on_date": "2023-03-25", "reference": "12号"},
    )  # fmt: skip
    assert bad.status_code == 200 and "玉市组〔2022〕12号" in bad.content.decode()
    done = client.post(
        url, {"action": "step_file", "_selected_action": [appointment.pk], "apply": "1",
              "on_date": "2023-03-25", "reference": "玉市组〔2023〕9号"},
    )  # fmt: skip
    assert done.status_code == 302
    appointment.refresh_from_db()
    assert appointment.status == "filed" and appointment.document_no == "玉市组〔2023〕9号"
    assert AuditEntry.objects.filter(action="officers.appointment.filed", actor=city_admin).count() == 1
    assert appointment.steps.filter(status="filed", actor=city_admin).exists()


def test_admin_action_cannot_skip_a_step(client_for, nominated_appointment):
    client = client_for("city_admin")
    url = reverse("admin:officers_appointment_changelist")
    response = client.post(
        url, {"action": "step_file", "_selected_action": [nominated_appointment.pk], "apply": "1",
              "on_date": "2023-03-25", "reference": "玉市组〔2023〕9号"}, follow=True,
    )  # fmt: skip
    assert "不能发文备案" in response.content.decode()
    nominated_appointment.refresh_from_db()
    assert nominated_appointment.status == "nominated"


def test_admin_change_page_is_read_only_with_steps_and_history(client_for, jiegu_officer):
    appointment = jiegu_officer.appointments.get()
    response = client_for("city_admin").get(reverse("admin:officers_appointment_change", args=[appointment.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="_save"' not in html
    assert "变更记录" in html


def test_a_withdrawn_appointment_has_no_letter(client_for, nominated_appointment, jiegu_clerk, city_admin):
    appointment = advance(nominated_appointment, "filed", clerk=jiegu_clerk, admin=city_admin)
    client = client_for("jiegu_clerk")
    assert client.get(reverse("officers:appointment_letter_pdf", args=[appointment.pk])).status_code == 200
    from officers import services

    services.appointment_withdraw(appointment=appointment, by=city_admin, reason="人选调整")
    assert client.get(reverse("officers:appointment_letter_pdf", args=[appointment.pk])).status_code == 404
    assert client.get(reverse("officers:appointment_letter", args=[appointment.pk])).status_code == 404


def test_a_clerk_does_not_see_where_a_former_officer_serves_now(client_for, jiegu_officer, reference):
    from officers.models import Appointment

    Appointment.objects.filter(officer=jiegu_officer).update(
        status="ended", ended_on=date(2023, 6, 30), end_reason="rotation"
    )
    AppointmentFactory(
        officer=jiegu_officer, community=Community.objects.get(code="shenglilu"), started_on=date(2023, 7, 1)
    )
    officers = client_for("jiegu_clerk").get(reverse("officers:list")).context["page"]
    row = next(o for o in officers if o.pk == jiegu_officer.pk)
    assert row.current_community_name is None  # 胜利路社区 (西杭街道) is outside 结古's scope
    admin_row = next(
        o for o in client_for("city_admin").get(reverse("officers:list")).context["page"] if o.pk == jiegu_officer.pk
    )
    assert admin_row.current_community_name == "胜利路社区"


def test_the_nomination_list_holds_the_officers_of_the_streets_stations(client_for, reference):
    ours = OfficerFactory(station=reference["jiegu_station"])
    theirs = OfficerFactory(station=reference["xihang_station"])
    choices = (
        client_for("jiegu_clerk")
        .get(reverse("officers:appointment_nominate"))
        .context["form"]
        .fields["officer"]
        .queryset
    )
    assert ours in choices and theirs not in choices
