"""Render times and query counts of the big pages at scale: 500 serving officers in 500 communities, ten
months of their talks, 10x the demo work ledger, 500 open assessments. Not a test (pytest does not collect
it): run it by hand, on SQLite or PostgreSQL, to measure what the query-count tests keep constant.

    .venv/bin/python tests/bench_scale.py                     # SQLite file /tmp/bench.sqlite3
    BENCH_DB=postgres://postgres@127.0.0.1:5432/yushu_bench .venv/bin/python tests/bench_scale.py
"""

import os
import statistics
import sys
import time
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

RUNS = 11
SHANGHAI = ZoneInfo("Asia/Shanghai")


def setup_django():
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    os.environ["DJANGO_SETTINGS_MODULE"] = "yushu_gov.settings"
    os.environ["DATABASE_URL"] = os.environ.get("BENCH_DB", "sqlite:////tmp/bench.sqlite3")
    import django

    django.setup()


def load_data():
    """The demo data plus 482 more communities, each with a serving officer, and their talks."""
    from assessments import services as assessment_services
    from assessments.demo import ledger as demo_ledger
    from assessments.demo import officers as demo
    from assessments.demo.accounts import create_demo_accounts
    from communities import summaries
    from communities.models import Community, PoliceStation, Street
    from officers.models import Appointment, Officer
    from officers.reference import load_reference_data
    from officers.talks.models import MonthlyTalk
    from tests.factories import AppointmentFactory, OfficerFactory, valid_id_number

    if Officer.objects.exists():
        return
    load_reference_data()
    users = create_demo_accounts()
    demo.load(by=users["admin"], staff={"jiegu": users["jiegu"], "xihang": users["xihang"]})
    demo_ledger.load(by=users["admin"], scale=10)
    street, station = Street.objects.get(code="jiegu"), PoliceStation.objects.get(code="jiegu")
    communities = Community.objects.bulk_create(
        Community(code=f"bench-{i}", name=f"规模社区{i}", street=street, sort_order=100 + i) for i in range(482)
    )
    officers = Officer.objects.bulk_create(
        OfficerFactory.build(
            station=station, police_number=f"8{i:05d}", id_number=valid_id_number(i, born=date(1970 + i // 1000, 2, 2))
        )
        for i in range(482)
    )
    Appointment.objects.bulk_create(
        AppointmentFactory.build(officer=o, community=c, letter_serial=1000 + i)
        for i, (o, c) in enumerate(zip(officers, communities, strict=True))
    )
    seats = Appointment.objects.serving().select_related("officer", "community")
    MonthlyTalk.objects.bulk_create(
        MonthlyTalk(
            officer=seat.officer,
            community=seat.community,
            held_at=datetime(2026, month, 10, 9, tzinfo=SHANGHAI),
            place="社区",
            talker_name="书记",
            talker_role="secretary",
            topic_safety=True,
            content="谈话",
            recorded_by=users["jiegu"],
        )
        for seat in seats
        for month in range(1, 11)
    )
    summaries.rebuild()  # the talks went in by bulk insert, past the services
    assessment_services.assessment_year_open(year=2023, by=users["bureau"])


def measure():
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from officers.models import Appointment
    from yushu_gov.models import User

    admin, bureau = Client(), Client()
    admin.force_login(User.objects.get(username="admin"))
    bureau.force_login(User.objects.get(username="bureau"))
    letter = f"/officers/appointments/{Appointment.objects.serving().first().pk}/letter.pdf"
    pages = [
        (admin, "/officers/"),
        (admin, "/officers/coverage/"),
        (Client(), "/directory/"),
        (admin, "/talks/?year=2026"),
        (admin, "/reports/?year=2023"),
        (bureau, "/assessments/year/2023/"),
        (admin, letter),
    ]
    for client, url in pages:
        client.get(url)  # warm up
        times = []
        for _ in range(RUNS):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(url)
                times.append((time.perf_counter() - started) * 1000)
        print(
            f"{url:40s} {response.status_code} queries={len(queries.captured_queries):3d} "
            f"median={statistics.median(times):7.1f} ms  min={min(times):6.1f}  max={max(times):6.1f}"
        )


if __name__ == "__main__":
    setup_django()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    load_data()
    measure()
