"""The province-scale data set (`load_scale_data`), built at a tiny scale: its counts, its rows
valid against every model rule, its records on the seats that covered their days, and the city
administrator's pages answering on it."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from assessments.demo.scale import _Builder, targets
from assessments.models import AnnualAssessment, DutyReport
from communities.models import Area, BranchMember, Community, PoliceCallCount, PoliceStation, Street
from communities.reference import load_reference_data
from officers.ledger.models import WorkRecord
from officers.models import Appointment, AppointmentStep, Officer
from officers.resident_requests.models import RequestStep, ResidentRequest
from officers.talks.models import MonthlyTalk
from yushu_gov.models import User

SCALE = 0.005
PAGES = [
    "/",
    "/officers/coverage/",
    "/directory/",
    "/talks/",
    "/talks/records/",
    "/work/",
    "/communities/police-calls/",
    "/reports/",
    "/reports/briefing/",
    "/officers/",
    "/officers/appointments/",
    "/requests/",
]


@pytest.fixture
def scale_data(db, settings):
    settings.DEBUG = True  # (the test runner turns it off; the command is refused with DEBUG off)
    out = io.StringIO()
    call_command("load_scale_data", "--scale", str(SCALE), stdout=out)
    return out.getvalue()


def sample(model, count=25):
    """Rows spread over the table (first, last and evenly between)."""
    ids = list(model.objects.order_by("pk").values_list("pk", flat=True))
    step = max(1, len(ids) // count)
    return list(model.objects.filter(pk__in=[*ids[::step], ids[-1]]))


def test_the_data_set(scale_data):
    """One load (a few seconds) for every check of the data."""
    check_counts_follow_the_scale(scale_data)
    check_the_tree_holds()
    check_officers_belong_to_a_station_of_their_communitys_city_or_county()
    check_every_sampled_row_passes_the_model_rules()
    check_the_encrypted_numbers_decrypt_and_are_found_by_their_hash()
    check_records_fall_in_the_terms_of_their_officers()
    check_a_second_load_is_refused()


def check_counts_follow_the_scale(scale_data):
    wanted = targets(SCALE)
    communities = Community.objects.count()
    assert communities == 23  # the reference data's (Yushu's 18, one placeholder per county), more than 0.005 × 500
    assert Officer.objects.count() == max(wanted["officers"], 2 * communities)
    assert Appointment.objects.serving().count() == communities
    assert Appointment.objects.serving().values("officer").distinct().count() == communities
    assert MonthlyTalk.objects.count() == wanted["talks"] == 600
    assert WorkRecord.objects.count() == wanted["work_records"] == 2_500
    # Whole months of call figures per community, as many as the target holds: 120 / 23 → 5 months.
    assert PoliceCallCount.objects.count() == 23 * 5
    assert AnnualAssessment.objects.count() == wanted["assessments"] == 10
    assert DutyReport.objects.count() == 2 * 10
    assert ResidentRequest.objects.count() == RequestStep.objects.count() == wanted["resident_requests"] == 100
    assert BranchMember.objects.filter(post="secretary").count() == communities
    assert "work_records" in scale_data and "2,500" in scale_data
    # The demo accounts, with their published password; the officer account bound to a serving officer.
    admin = User.objects.get(username="admin")
    assert admin.check_password("Yushu@2023")
    # The province's administrator, bound to the root: he sees every community.
    province = User.objects.get(username="province")
    assert province.area.code == "demo-province" and province.check_password("Yushu@2023")
    assert Community.objects.visible_to(province).count() == communities
    # At this scale the tree is the reference data's under the province: no new area, street or station.
    assert Area.objects.count() == 1 + 1 + 6
    assert not Street.objects.filter(code__startswith="scale-").exists()
    assert "areas" in scale_data
    assert Appointment.objects.serving().filter(officer=User.objects.get(username="officer").officer).exists()


def check_the_tree_holds():
    """Every area's path is its parent's and its own id, its depth one below its parent's; the one root is the
    province, 玉树州 under it; every street or town hangs on a city or county."""
    [root] = Area.objects.filter(parent=None)
    assert root.kind == Area.Kind.PROVINCE and root.code == "demo-province" and root.path == f"{root.pk}."
    assert root.depth == 0 and "（演示）" in root.name
    for area in Area.objects.exclude(parent=None).select_related("parent"):
        assert area.path == f"{area.parent.path}{area.pk}." and area.depth == area.parent.depth + 1, area
    assert Area.objects.get(code="yushuzhou").parent == root
    assert Area.objects.under(root).count() == Area.objects.count()
    assert not Street.objects.exclude(area__kind__in=[Area.Kind.CITY, Area.Kind.COUNTY]).exists()
    assert Street.objects.under(root).count() == Street.objects.count()
    for kind in (Area.Kind.CITY, Area.Kind.COUNTY):
        for area in Area.objects.filter(kind=kind):
            assert area.parent.kind == Area.Kind.PREFECTURE and area.stations.exists() and area.bureau, area


def check_officers_belong_to_a_station_of_their_communitys_city_or_county():
    for seat in Appointment.objects.serving().select_related("officer__station", "community__street"):
        assert seat.officer.station.area_id == seat.community.street.area_id, seat


def test_the_tree_at_a_larger_scale(db):
    """The places alone at 0.4 (the big tables are the test above's): new prefectures, cities and counties under
    the province, their streets and towns of at most 15 communities, one station each."""
    load_reference_data()
    builder = _Builder(scale=0.4, today=timezone.localdate(), step=lambda message: None)
    builder.places()
    check_the_tree_holds()
    # 8 × 0.4 = 3 prefectures with 玉树州, 45 × 0.4 = 18 cities and counties with its six, 200 communities.
    assert Area.objects.filter(kind=Area.Kind.PREFECTURE).count() == 3
    new = Area.objects.filter(code__startswith="scale-county-")
    assert new.count() == 12 and Area.objects.filter(kind__in=[Area.Kind.CITY, Area.Kind.COUNTY]).count() == 18
    assert new.filter(kind=Area.Kind.CITY).count() == 2  # each new prefecture's seat
    assert Community.objects.count() == 200
    for area in new:
        streets = Street.objects.filter(area=area)
        assert streets.exists() and {s.kind for s in streets} == {
            Street.Kind.STREET if area.kind == Area.Kind.CITY else Street.Kind.TOWN
        }
        assert area.bureau_name == f"{area.name}公安局"
        [station] = area.stations.all()
        assert set(station.streets.all()) == set(streets)
    sizes = [street.communities.count() for street in Street.objects.filter(code__startswith="scale-")]
    assert max(sizes) <= 15 and max(sizes) - min(sizes) <= 1  # (177 over 12 counties: 14 or 15 each)
    assert PoliceStation.objects.count() == 4 + 5 + 12
    for street_id, station in builder.station_of_street.items():
        assert station.area_id == Street.objects.get(pk=street_id).area_id
    # The prefecture's administrator sees its 23 communities, the province's all 200.
    assert Community.objects.visible_to(User.objects.get(username="prefecture")).count() == 23
    assert Community.objects.visible_to(User.objects.get(username="province")).count() == 200


def check_every_sampled_row_passes_the_model_rules():
    for model in (Officer, Appointment, AppointmentStep, MonthlyTalk, WorkRecord, PoliceCallCount, ResidentRequest):
        for row in sample(model):
            row.full_clean()
    for row in sample(AnnualAssessment):
        row.full_clean()
    kinds = set(WorkRecord.objects.values_list("kind", flat=True))
    assert kinds == set(WorkRecord.Kind.values)
    assert {"open", "filed"} <= set(AnnualAssessment.objects.values_list("status", flat=True))


def check_the_encrypted_numbers_decrypt_and_are_found_by_their_hash():
    officer = Officer.objects.order_by("pk").first()
    assert len(officer.id_number) == 18 and len(officer.mobile) == 11
    assert Officer.objects.with_id_number(officer.id_number).get() == officer
    assert Officer.objects.with_mobile(officer.mobile).filter(pk=officer.pk).exists()


def check_records_fall_in_the_terms_of_their_officers():
    for model, day_of in (
        (MonthlyTalk, lambda talk: talk.held_on),
        (WorkRecord, lambda record: record.occurred_on),
    ):
        for row in sample(model):
            assert Appointment.objects.covering(day_of(row)).filter(
                officer_id=row.officer_id, community_id=row.community_id
            ), (model.__name__, row.pk)
    # Nothing is recorded ahead of time.
    assert not WorkRecord.objects.filter(occurred_on__gte=timezone.localdate()).exists()


def test_refused_with_debug_off(db):
    with pytest.raises(CommandError, match="DEBUG is off"):
        call_command("load_scale_data", "--scale", str(SCALE), stdout=io.StringIO())
    assert not Officer.objects.exists()


def check_a_second_load_is_refused():
    with pytest.raises(CommandError, match="officers already"):
        call_command("load_scale_data", "--scale", str(SCALE), stdout=io.StringIO())


@pytest.mark.parametrize("username", ["admin", "province"])  # the city's and the benchmark's (bench/run.py)
def test_the_administrators_pages_answer(scale_data, username):
    client = Client()
    client.force_login(User.objects.get(username=username))
    for url in PAGES:
        response = client.get(url)
        assert response.status_code == 200, url
    seat = Appointment.objects.serving().order_by("pk").first()
    assert client.get(f"/officers/appointments/{seat.pk}/").status_code == 200
    assert client.get(f"/officers/{seat.officer_id}/").status_code == 200
