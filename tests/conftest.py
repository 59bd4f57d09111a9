"""The cast: one user per role (a clerk of 结古街道 and one of 西杭街道, and the police deputy secretary of
民主路社区 himself), the reference data, and a serving officer in 结古街道 to look at."""

from dataclasses import dataclass

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from communities.models import Area, Community, PoliceStation, Street
from officers.reference import load_reference_data
from yushu_gov.access.roles import Role

from .factories import AppointmentFactory, OfficerFactory, UserFactory

IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@dataclass
class Download:
    """A downloaded file, read to its end."""

    status_code: int
    headers: dict
    content: bytes
    job: object

    def __getitem__(self, name: str) -> str:
        return self.headers[name]


def download_export(client, url: str, data=None) -> Download:
    """An export as its user gets it: the export view starts the job (the tests' task backend runs it at once)
    and sends the user to the job's page, whose link downloads the file."""
    started = client.get(url, data or {})
    assert started.status_code == 302, started
    page = client.get(started["Location"])
    assert page.status_code == 200, started["Location"]
    job = page.context["job"]
    assert job.status == "done", job.message
    response = client.get(reverse("export_job_download", args=[job.pk]))
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    return Download(response.status_code, dict(response.headers), content, job)


def close_download(response) -> None:
    """Reads a streamed download to its end, so that the test client closes its file. (response.close()
    would also send request_finished, which closes the test's database connection.)"""
    if response.streaming:
        for _chunk in response.streaming_content:
            pass


# The database the settings name; while tests run, a test database takes its place (when any test needs one).
_REAL_DATABASE = settings.DATABASES["default"]["NAME"]
_REAL_MEDIA_ROOT = settings.MEDIA_ROOT

ROLES = ["city_admin", "jiegu_clerk", "xihang_clerk", "bureau", "station_leader", "auditor", "officer", "anonymous"]
ROLES += ["security_admin"]


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """No persistent connections in tests: the live server's request threads would otherwise keep theirs
    open past the run and PostgreSQL could not drop the test database."""
    settings.DATABASES["default"]["CONN_MAX_AGE"] = 0


@pytest.fixture(scope="session", autouse=True)
def _no_stray_sessions_at_the_end(django_db_setup, django_db_blocker):
    """On PostgreSQL, ends any connection a server thread left open to the test database, so that the
    database can be dropped when the run ends (it is torn down just before the database is)."""
    yield
    from django.db import connection

    if connection.vendor == "postgresql" and settings.DATABASES["default"]["NAME"] != _REAL_DATABASE:
        with django_db_blocker.unblock(), connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )


@pytest.fixture(autouse=True)
def _tasks_run_at_once(settings, tmp_path_factory):
    """Background tasks (the exports) run inside the request that queues them; their files go to a
    temporary MEDIA_ROOT. tests/yushu_gov/test_export_jobs.py also runs them through the database worker."""
    settings.TASKS = IMMEDIATE_TASKS
    if settings.MEDIA_ROOT == _REAL_MEDIA_ROOT:
        settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")


@pytest.fixture(autouse=True)
def _fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # The navigation's to-do count stays in the session for the whole test: a page's query count, pinned
    # after a first request, never depends on how long the test took (tests/yushu_gov/test_todo.py tests expiry).
    settings.TODO_COUNT_SECONDS = 24 * 3600


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database, with the reference data loaded once and committed: every test that runs inside a
    transaction (all but the transactional ones, which pytest-django runs after them) starts with it."""
    if settings.DATABASES["default"]["NAME"] == _REAL_DATABASE:
        return  # no test of this run needs a database, so none was made: the real one is left alone
    with django_db_blocker.unblock():
        load_reference_data()


@pytest.fixture
def reference(db):
    """The streets, communities, stations and role groups. A transactional test empties the database when
    it ends, so the ones after it load them again."""
    if not Street.objects.filter(code="jiegu").exists():
        load_reference_data()
    return {
        "jiegu": Street.objects.get(name="结古街道"),
        "xihang": Street.objects.get(name="西杭街道"),
        "jiegu_station": PoliceStation.objects.get(name="结古派出所"),
        "xihang_station": PoliceStation.objects.get(name="西杭派出所"),
        "prefecture": Area.objects.get(code="yushuzhou"),
        "city": Area.objects.get(code="yushu"),
        "chenduo": Area.objects.get(code="chenduo"),
        "nangqian": Area.objects.get(code="nangqian"),
    }


@pytest.fixture
def city_admin(reference):
    """Yushu City's administrator (市委组织部), bound to the city: he does not see the prefecture's counties."""
    return UserFactory(username="t_admin", role=Role.CITY_ADMIN, is_staff=True, area=reference["city"])


@pytest.fixture
def prefecture_admin(reference):
    """The prefecture's administrator (州委组织部): the city and the five counties."""
    return UserFactory(username="t_prefecture", role=Role.CITY_ADMIN, is_staff=True, area=reference["prefecture"])


@pytest.fixture
def chenduo_admin(reference):
    """称多县's administrator (县委组织部): his county only."""
    return UserFactory(username="t_chenduo", role=Role.CITY_ADMIN, is_staff=True, area=reference["chenduo"])


@pytest.fixture
def jiegu_clerk(reference):
    return UserFactory(username="t_jiegu", role=Role.STREET_STAFF, street=reference["jiegu"])


@pytest.fixture
def xihang_clerk(reference):
    return UserFactory(username="t_xihang", role=Role.STREET_STAFF, street=reference["xihang"])


@pytest.fixture
def bureau(reference):
    return UserFactory(username="t_bureau", role=Role.BUREAU_REVIEWER, area=reference["city"])


@pytest.fixture
def station_leader(reference):
    return UserFactory(username="t_station", role=Role.STATION_LEADER, station=reference["jiegu_station"])


@pytest.fixture
def auditor(reference):
    return UserFactory(username="t_auditor", role=Role.AUDITOR)


@pytest.fixture
def officer(jiegu_officer):
    """The police deputy secretary's own account: jiegu_officer, serving in 民主路社区 (结古街道)."""
    return UserFactory(username="t_officer", role=Role.OFFICER, officer=jiegu_officer)


@pytest.fixture
def security_admin(reference):
    return UserFactory(username="t_security", role=Role.SECURITY_ADMIN, is_staff=True)


@pytest.fixture
def anonymous(reference):
    return None


@pytest.fixture
def client_for(request):
    """client_for("jiegu_clerk") -> a test client logged in as that member of the cast."""

    def make(role_name: str) -> Client:
        client = Client()
        user = request.getfixturevalue(role_name)
        if user is not None:
            client.force_login(user)
        return client

    return make


@pytest.fixture
def jiegu_officer(reference):
    """An officer of 结古派出所 serving in 民主路社区 (结古街道)."""
    officer = OfficerFactory(name="测试民警甲", station=reference["jiegu_station"])
    AppointmentFactory(officer=officer, community=Community.objects.get(name="民主路社区"))
    return officer


@pytest.fixture
def xihang_officer(reference):
    """An officer of 西杭派出所 serving in 胜利路社区 (西杭街道)."""
    officer = OfficerFactory(name="测试民警乙", station=reference["xihang_station"])
    AppointmentFactory(officer=officer, community=Community.objects.get(name="胜利路社区"))
    return officer


@pytest.fixture
def nominated_appointment(reference, jiegu_clerk):
    """An officer of 结古派出所 nominated by the 结古 clerk for 红卫路社区 (结古街道), through the service."""
    from datetime import date

    from officers import services

    officer = OfficerFactory(name="测试民警丙", station=reference["jiegu_station"])
    return services.appointment_nominate(
        officer=officer,
        community=Community.objects.get(code="hongweilu"),
        by=jiegu_clerk,
        on_date=date(2023, 3, 1),
        reference="街道党工委会议",
    )


@pytest.fixture
def jiegu_talk(jiegu_officer, jiegu_clerk):
    """A talk of 结古街道's committee with jiegu_officer, at 00:00 on the 1st of the current month
    (Asia/Shanghai): in an open month whenever the test runs, and never in the future."""
    from django.utils import timezone

    from yushu_gov.input.months import month_start

    from .factories import MonthlyTalkFactory

    today = timezone.localdate()
    return MonthlyTalkFactory(
        officer=jiegu_officer,
        community=Community.objects.get(name="民主路社区"),
        held_at=month_start(today.year, today.month),
        recorded_by=jiegu_clerk,
    )


PDF_BYTES = b"%PDF-1.4\n% demo report\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def jiegu_assessment(jiegu_officer, private_media):
    """The 2023 assessment of the 结古 officer, its street report held with an uploaded PDF."""
    from datetime import date

    from django.core.files.base import ContentFile

    from .factories import AnnualAssessmentFactory

    assessment = AnnualAssessmentFactory(officer=jiegu_officer, year=2023)
    report = assessment.reports.get(body="street")
    report.held_on = date(2024, 1, 12)
    report.text = "述职报告"
    report.file.save("report.pdf", ContentFile(PDF_BYTES), save=False)
    report.save()
    return assessment


def jpeg_bytes(size=(40, 30), exif=None) -> bytes:
    """A small JPEG (with the EXIF block given, e.g. a GPS position)."""
    from io import BytesIO

    from PIL import Image

    buffer = BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, format="JPEG", **({"exif": exif} if exif else {}))
    return buffer.getvalue()


@pytest.fixture
def resident_request(jiegu_officer, private_media):
    """A resident's request to 民主路社区 (jiegu_officer's community), with a phone number and a photo, waiting
    to be accepted; submitted through the service."""
    from django.core.files.base import ContentFile

    from officers.resident_requests import services

    return services.request_submit(
        community=Community.objects.get(name="民主路社区"),
        data={
            "category": "facility",
            "description": "3号楼门口的路灯坏了",
            "location": "3号楼",
            "resident_name": "测试居民",
            "resident_phone": "13912345678",
            "contact_consent": True,
        },
        photo=ContentFile(jpeg_bytes(), name="photo.jpg"),
    )


@pytest.fixture
def jiegu_work_record(jiegu_officer):
    """A mediation record of 测试民警甲 in 民主路社区 (结古街道, 结古派出所)."""
    from .factories import WorkRecordFactory

    return WorkRecordFactory(
        kind="dispute",
        severity="yellow",
        outcome="resolved",
        officer=jiegu_officer,
        community=Community.objects.get(name="民主路社区"),
        summary="调解邻里纠纷",
    )


@pytest.fixture
def finished_export(city_admin):
    """The city administrator's finished export of the work ledger, its file ready to download."""
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from yushu_gov.models import ExportJob

    now = timezone.now()
    job = ExportJob(
        requester=city_admin,
        kind="work.export",
        title="工作台账",
        status=ExportJob.Status.DONE,
        rows_done=0,
        rows_total=0,
        filename="工作台账.xlsx",
        finished_at=now,
        expires_at=now + timezone.timedelta(hours=24),
    )
    job.file.save("export.xlsx", ContentFile(b"PK not a real workbook"), save=False)
    job.save()
    return job
