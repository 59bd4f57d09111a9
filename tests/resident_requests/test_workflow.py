"""The case flow, every step audited: 受理 (in time or not), 办理 with a work record, 转办 to another community or
to the street, 办结 with a reply; who holds a request at each step; the resident's phone shown in full to the
handling officer and the street only; the deadlines per category; overdue requests in the to-do lists; and
the officer's scope, which ends with his appointment."""

from datetime import timedelta
from io import BytesIO

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from communities.models import Community
from officers import services as officer_services
from officers.ledger.models import WorkRecord
from officers.resident_requests import services
from officers.resident_requests.forms import NoteForm
from officers.resident_requests.home import todo_provider
from officers.resident_requests.models import CategoryDeadline, RequestStep, ResidentRequest
from tests.conftest import download_export
from tests.factories import AppointmentFactory, OfficerFactory, UserFactory, WorkRecordFactory
from yushu_gov.access.roles import Role
from yushu_gov.models import AuditEntry

from .helpers import submit

pytestmark = pytest.mark.django_db


def fresh(item) -> ResidentRequest:
    return ResidentRequest.objects.get(pk=item.pk)


def actions(item) -> list[str]:
    return list(AuditEntry.objects.for_object(item).order_by("id").values_list("action", flat=True))


def test_the_officer_accepts_handles_and_resolves(resident_request, officer, jiegu_officer):
    record = WorkRecordFactory(officer=jiegu_officer, community=resident_request.community, kind="difficulty")
    services.request_accept(resident_request=resident_request, by=officer, note="马上去看")
    item = fresh(resident_request)
    assert (item.status, item.accepted_by, item.holder) == ("handling", officer, Role.OFFICER)
    assert item.responded_at <= item.respond_by
    services.request_note(resident_request=item, by=officer, note="已联系电工", work_record=record)
    services.request_resolve(resident_request=item, by=officer, reply="路灯已修复，联系人 13800001111")
    item = fresh(resident_request)
    assert (item.status, item.resolved_by) == ("resolved", officer)
    assert item.reply == "路灯已修复，联系人 138****1111"  # free text masked before it is saved
    kinds = list(item.steps.values_list("kind", flat=True))
    assert kinds == ["submitted", "accepted", "note", "resolved"]
    assert item.steps.get(kind="note").work_record == record
    assert actions(item) == [
        "resident_requests.request.submitted",
        "resident_requests.request.accepted",
        "resident_requests.request.noted",
        "resident_requests.request.resolved",
    ]
    accepted = AuditEntry.objects.get(action="resident_requests.request.accepted")
    assert accepted.actor == officer and accepted.changes["in_time"] == [None, True]


def test_accepting_late_is_recorded_as_late(resident_request, officer):
    with time_machine.travel(timezone.now() + timedelta(hours=25), tick=False):
        services.request_accept(resident_request=resident_request, by=officer)
    assert AuditEntry.objects.get(action="resident_requests.request.accepted").changes["in_time"] == [None, False]


def test_a_step_that_does_not_start_from_the_state_is_refused(resident_request, officer):
    for call in (
        lambda: services.request_resolve(resident_request=resident_request, by=officer, reply="好"),
        lambda: services.request_note(resident_request=resident_request, by=officer, note="记录"),
    ):
        with pytest.raises(ValidationError, match="不能办理此步骤"):
            call()
    services.request_accept(resident_request=resident_request, by=officer)
    with pytest.raises(ValidationError, match="不能办理此步骤"):
        services.request_accept(resident_request=resident_request, by=officer)
    assert fresh(resident_request).steps.filter(kind="accepted").count() == 1


def test_the_reply_is_required_by_the_constraint(resident_request, officer):
    services.request_accept(resident_request=resident_request, by=officer)
    with pytest.raises(ValidationError) as caught:
        services.request_resolve(resident_request=resident_request, by=officer, reply="   ")
    assert caught.value.message_dict == {"reply": ["办结须填写给群众的答复。"]}
    assert fresh(resident_request).status == "handling"


def test_the_street_waits_until_the_request_is_transferred_to_it(resident_request, officer, jiegu_clerk):
    with pytest.raises(ValidationError, match="当前由民警副书记办理"):
        services.request_transfer(resident_request=resident_request, by=jiegu_clerk, note="x", to_street=True)
    services.request_transfer(resident_request=resident_request, by=officer, note="需要街道协调", to_street=True)
    item = fresh(resident_request)
    assert (item.status, item.holder, item.responded_at is not None) == ("at_street", Role.STREET_STAFF, True)
    with pytest.raises(ValidationError, match="当前由街道党工委工作人员办理"):
        services.request_note(resident_request=item, by=officer, note="我来")
    services.request_note(resident_request=item, by=jiegu_clerk, note="约谈物业")
    services.request_resolve(resident_request=item, by=jiegu_clerk, reply="街道协调，已解决。")
    assert fresh(item).status == "resolved"
    assert actions(item)[-3:] == [
        "resident_requests.request.transferred",
        "resident_requests.request.noted",
        "resident_requests.request.resolved",
    ]


def test_moving_a_request_to_another_community_hands_it_to_that_officer(resident_request, officer, reference):
    other_officer = OfficerFactory(station=reference["jiegu_station"])
    hongwei = Community.objects.get(code="hongweilu")
    AppointmentFactory(officer=other_officer, community=hongwei)
    other_user = UserFactory(username="t_other_officer", role=Role.OFFICER, officer=other_officer)
    with time_machine.travel(timezone.now() + timedelta(hours=20), tick=False):
        services.request_transfer(
            resident_request=resident_request, by=officer, note="地点属于红卫路社区", to_community=hongwei
        )
        moved_at = timezone.now()
    item = fresh(resident_request)
    assert (item.community, item.officer, item.status) == (hongwei, other_officer, "submitted")
    assert item.responded_at is None and item.respond_by == moved_at + timedelta(hours=24)  # its own deadlines
    step = item.steps.get(kind=RequestStep.Kind.TRANSFERRED)
    assert (step.from_community.code, step.to_community) == ("minzhulu", hongwei)
    assert not ResidentRequest.objects.visible_to(officer).exists()  # no longer his community's
    assert ResidentRequest.objects.visible_to(other_user).get() == item
    services.request_accept(resident_request=item, by=other_user)
    with pytest.raises(ValidationError, match="另一个社区"):
        services.request_transfer(resident_request=item, by=other_user, note="x", to_community=hongwei)


def test_two_officers_pages_see_the_same_steps(resident_request, officer, client_for):
    """The step pages: GET shows the form, POST performs it once; the second POST answers 409."""
    client = client_for("officer")
    url = reverse("requests:accept", args=[resident_request.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"note": "收到"}).status_code == 302
    again = client.post(url, {"note": "收到"})
    assert again.status_code == 409 and "您不能办理此步骤" in again.content.decode()
    resolve = reverse("requests:resolve", args=[resident_request.pk])
    assert client.post(resolve, {"reply": ""}).status_code == 200  # the form's error
    assert client.post(resolve, {"reply": "已修复"}).status_code == 302
    detail = client.get(reverse("requests:detail", args=[resident_request.pk])).content.decode()
    assert "已修复" in detail and "办结答复" in detail


def test_the_transfer_page_offers_every_community_but_this_one(resident_request, officer, client_for):
    page = client_for("officer").get(reverse("requests:transfer", args=[resident_request.pk])).content.decode()
    assert "红卫路社区" in page and "西杭社区" in page and "结古街道（需要街道协调办理）" in page
    response = client_for("officer").post(
        reverse("requests:transfer", args=[resident_request.pk]), {"to": "community", "note": "不是本社区"}
    )
    assert "请选择转入的社区" in response.content.decode()


def test_the_work_records_offered_are_the_communitys_in_the_users_scope(resident_request, officer, jiegu_officer):
    mine = WorkRecordFactory(officer=jiegu_officer, community=resident_request.community, summary="本社区的记录")
    WorkRecordFactory(officer=jiegu_officer, community=Community.objects.get(code="hongweilu"), summary="别处")
    other = WorkRecord.objects.get(summary="别处")
    services.request_accept(resident_request=resident_request, by=officer)
    current = fresh(resident_request)
    # The search-as-you-type field asks for the request's community's records, named by their content.
    form = NoteForm(resident_request=current, user=officer)
    assert f'data-lookup="/work/lookup/?community={current.community_id}"' in str(form["work_record"])
    client = Client()
    client.force_login(officer)
    found = client.get(reverse("work:lookup"), {"community": current.community_id, "q": "记录"}).json()["results"]
    assert [(row["id"], row["label"]) for row in found] == [(mine.pk, "本社区的记录")]
    # Picked, or typed without JavaScript: the community's record; another community's is refused.
    for data in ({"work_record": mine.pk}, {"work_record_q": "本社区"}):
        form = NoteForm({"note": "已办", **data}, resident_request=current, user=officer)
        assert form.is_valid() and form.cleaned_data["work_record"] == mine
    refused = NoteForm({"note": "已办", "work_record": other.pk}, resident_request=current, user=officer)
    assert not refused.is_valid() and "work_record" in refused.errors


# ---------------------------------------------------------------- personal data


@pytest.mark.parametrize(
    ("role", "full"),
    [("officer", True), ("jiegu_clerk", True), ("city_admin", False), ("bureau", False), ("station_leader", False)],
)
def test_the_phone_is_shown_to_the_handling_officer_and_the_street_only(resident_request, client_for, role, full):
    page = client_for(role).get(reverse("requests:detail", args=[resident_request.pk])).content.decode()
    assert ("13912345678" in page) is full
    assert ("测试居民" in page) is full
    if not full:
        assert "139****5678" in page and "测*" in page


@pytest.mark.parametrize("role", ["city_admin", "jiegu_clerk", "station_leader", "officer"])
def test_the_export_holds_no_personal_data(resident_request, client_for, role):
    submit("shenglilu")  # another street's: only the city's export holds it
    response = download_export(client_for(role), reverse("requests:export"))
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("编号", "提交时间", "类别")
    assert len(rows) == 1 + (2 if role == "city_admin" else 1)
    cells = " ".join(str(value) for row in rows for value in row if value is not None)
    assert resident_request.number in cells and "路灯" in cells
    assert "13912345678" not in cells and "139****5678" not in cells and "测试居民" not in cells
    assert resident_request.tracking_code not in cells
    assert AuditEntry.objects.filter(action="export.requests.export").exists()


def test_the_photo_is_served_only_in_scope(resident_request, client_for):
    url = reverse("requests:photo", args=[resident_request.pk])
    response = client_for("officer").get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    b"".join(response.streaming_content)
    assert client_for("xihang_clerk").get(url).status_code == 404
    assert client_for("anonymous").get(url).status_code == 302


# ---------------------------------------------------------------- the officer's scope


def test_ending_the_appointment_ends_the_officers_access(resident_request, officer, jiegu_officer, city_admin):
    client_url = reverse("requests:detail", args=[resident_request.pk])
    client = Client()
    client.force_login(officer)
    assert client.get(client_url).status_code == 200
    seat = jiegu_officer.appointments.get()
    officer_services.appointment_end(
        appointment=seat, by=city_admin, on_date=timezone.localdate(), reason="rotation", note="轮岗"
    )
    assert not ResidentRequest.objects.visible_to(officer).exists()
    assert client.get(client_url).status_code == 404
    with pytest.raises(ValidationError, match="不在您的办理范围内"):
        services.request_accept(resident_request=resident_request, by=officer)
    # his own records stay his: the talks and the ledger show them
    assert client.get(reverse("work:list")).status_code == 200


def test_the_officer_sees_only_his_community(resident_request, officer, xihang_officer):
    submit("shenglilu")
    assert list(ResidentRequest.objects.visible_to(officer)) == [resident_request]
    assert ResidentRequest.objects.count() == 2


# ---------------------------------------------------------------- deadlines and overdue requests


def test_the_city_sets_the_deadlines_per_category(resident_request, client_for, city_admin):
    client = client_for("city_admin")
    url = reverse("requests:deadlines")
    data = {
        f"{c}-{f}": v
        for c in ("security", "dispute", "hardship", "other")
        for f, v in (("respond_hours", 24), ("resolve_days", 7))
    }
    refused = client.post(url, {**data, "facility-respond_hours": 0, "facility-resolve_days": 7})
    assert "响应时限须在1至168小时之间" in refused.content.decode()
    refused = client.post(url, {**data, "facility-respond_hours": 72, "facility-resolve_days": 2})
    assert "办结时限不能短于响应时限" in refused.content.decode()
    assert not CategoryDeadline.objects.exists()
    assert client.post(url, {**data, "facility-respond_hours": 12, "facility-resolve_days": 3}).status_code == 302
    # Set at the city's level (the administrator's area): the city and below, not the deployment's default.
    assert CategoryDeadline.table(city_admin.area)["facility"] == (12, 3)
    assert CategoryDeadline.table()["facility"] == (24, 7)
    entry = AuditEntry.objects.get(action="resident_requests.deadline.changed")
    assert entry.actor == city_admin
    assert entry.changes == {"respond_hours": [24, 12], "resolve_days": [7, 3], "area": [None, "玉树市"]}
    new = submit(category="facility")
    assert new.respond_by - new.submitted_at == timedelta(hours=12)
    assert fresh(resident_request).respond_by - resident_request.submitted_at == timedelta(hours=24)  # kept
    assert client_for("jiegu_clerk").post(url, data).status_code == 403


def _todo(user):
    request = RequestFactory().get("/")
    request.user = user
    return {item.label: item for item in todo_provider(request)}


def test_overdue_requests_are_in_the_officer_and_street_to_do_lists(
    resident_request, officer, jiegu_clerk, xihang_clerk, city_admin, bureau
):
    assert "逾期未办结的群众诉求" not in _todo(city_admin)
    assert _todo(officer)["待受理的群众诉求"].count == 1
    with time_machine.travel(timezone.now() + timedelta(hours=25), tick=False):
        for user in (officer, jiegu_clerk):
            item = _todo(user)["逾期未办结的群众诉求"]
            assert (item.count, item.overdue) == (1, True)
            assert item.url == reverse("requests:list") + "?state=overdue"
        # The city administrator takes no step on a request: nothing of them is his to do.
        assert _todo(xihang_clerk) == {} and _todo(bureau) == {} and _todo(city_admin) == {}
        listed = client_list(jiegu_clerk, "?state=overdue")
        assert resident_request.number in listed
    services.request_transfer(resident_request=resident_request, by=officer, note="街道协调", to_street=True)
    assert _todo(jiegu_clerk)["待街道办理或督办的群众诉求"].count == 1


def client_list(user, query=""):
    client = Client()
    client.force_login(user)
    return client.get(reverse("requests:list") + query).content.decode()


def test_a_resolved_request_is_not_overdue(resident_request, officer):
    services.request_accept(resident_request=resident_request, by=officer)
    services.request_resolve(resident_request=resident_request, by=officer, reply="好了")
    with time_machine.travel(timezone.now() + timedelta(days=30), tick=False):
        assert not ResidentRequest.objects.overdue().exists()
        assert not fresh(resident_request).is_overdue()


@pytest.mark.parametrize(
    ("role", "queries"),
    [
        # session, user, groups (role); the page's count and rows (with their community, street and officer);
        # the session's save (savepoint, update, release) — and the street's filter offers its streets (one
        # more; the community is a search-as-you-type field with no options to read)
        ("officer", 8),
        ("jiegu_clerk", 9),
    ],
)
def test_the_list_query_count_is_the_same_for_1_and_40_requests(
    role, queries, officer, jiegu_clerk, client_for, django_assert_num_queries
):
    client = client_for(role)
    submit()
    client.get(reverse("requests:list"))  # a first page counts the header's to-do items (kept in the session)
    with django_assert_num_queries(queries):
        first = client.get(reverse("requests:list"))
    for _ in range(39):
        submit()
    with django_assert_num_queries(queries):
        second = client.get(reverse("requests:list"), {"state": "open"})
    assert first.status_code == second.status_code == 200
    assert second.content.decode().count('class="card request-row') == 25  # one page


def test_an_officer_without_a_seat_sees_no_requests(reference):
    loose = UserFactory(username="t_loose", role=Role.OFFICER, officer=OfficerFactory())
    submit()
    assert not ResidentRequest.objects.visible_to(loose).exists()
    unbound = UserFactory(username="t_unbound", role=Role.OFFICER)
    assert not ResidentRequest.objects.visible_to(unbound).exists()


def test_the_admin_site_shows_requests_read_only_without_the_residents_contact(resident_request, client_for):
    client = client_for("city_admin")
    listing = client.get(reverse("admin:resident_requests_residentrequest_changelist"))
    assert listing.status_code == 200 and resident_request.number in listing.content.decode()
    page = client.get(reverse("admin:resident_requests_residentrequest_change", args=[resident_request.pk]))
    html = page.content.decode()
    assert page.status_code == 200 and "139****5678" in html
    assert "13912345678" not in html and "测试居民" not in html and resident_request.tracking_code not in html
    assert client.get(reverse("admin:resident_requests_residentrequest_add")).status_code == 403
