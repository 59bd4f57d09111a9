"""The open interfaces' benchmark (`make bench-open311`): each Open311, 12345 work-order and open-figures
endpoint at the province scale, on PostgreSQL behind gunicorn (bench/run.py's server, database and headers),
one request at a time; prints a Markdown table of the server's median time, the queries and the size.

The bench partner key is issued on the first run (its key is the bench's own, fixed); the 2,000 latest
requests of the scale data are bound to it as 12345 work orders, so that the stage feed reads a realistic
partner. Not a test: the README's benchmark section quotes its table.
"""

import json
import statistics
import subprocess
import sys
import time
import urllib.parse

from run import (
    DATABASE_URL,
    LOAD_ENV,
    ROOT,
    RUNS,
    SCALE,
    Result,
    Session,
    log,
    prepare_database,
    sequential,
    start_server,
    stop_server,
)

BENCH_KEY = "ys311_bench_only_partner_key_000001"
WORK_ORDERS = 2000

SETUP = f"""
from officers.open311.models import PartnerKey, PartnerRequest
from officers.open311.services import key_hash, partner_key_issue
from officers.resident_requests.models import ResidentRequest
from yushu_gov.models import User
key = PartnerKey.objects.filter(key_hash=key_hash({BENCH_KEY!r})).first()
if key is None:
    key, _raw = partner_key_issue(name="bench", by=None, may_work_orders=True, rate_per_minute=6000, raw={BENCH_KEY!r})
if not PartnerRequest.objects.filter(partner=key).exists():
    latest = ResidentRequest.objects.filter(partner_request__isnull=True).order_by("-submitted_at")[:{WORK_ORDERS}]
    PartnerRequest.objects.bulk_create(
        PartnerRequest(request=r, partner=key, external_id=f"bench-{{r.pk}}") for r in latest.only("pk")
    )
"""


def form(**fields) -> str:
    return urllib.parse.urlencode(fields)


def post(result: Result, session: Session, fields: dict, runs: int) -> None:
    for n in range(runs):
        body = form(**{k: (v.format(n=n, t=time.time_ns()) if isinstance(v, str) else v) for k, v in fields.items()})
        response = session.request(
            "POST", result.path, body=body, headers={"Content-Type": "application/x-www-form-urlencoded"}
        )
        result.status, result.size = response.status, len(response.body)
        result.queries.add(int(response.headers["X-Bench-Queries"]))
        result.server_ms.append(float(response.headers["X-Bench-Ms"]))


def main() -> None:
    prepare_database()
    subprocess.run([sys.executable, "manage.py", "shell", "-c", SETUP], cwd=ROOT, env=LOAD_ENV, check=True)
    server = start_server()
    session = Session()
    try:
        now = time.time()
        iso = lambda seconds: time.strftime("%Y-%m-%dT%H:%M:%S+08:00", time.localtime(seconds))  # noqa: E731
        listing = json.loads(session.get("/open311/v2/requests.json").body)
        numbers = ",".join(r["service_request_id"] for r in listing[:50])
        one = listing[0]["service_request_id"]
        community = listing[0]["address_id"]
        first = form(api_key=BENCH_KEY, service_code="other", description="bench", address_id=community)
        posted = json.loads(
            session.request(
                "POST", "/open311/v2/requests.json", body=first,
                headers={"Content-Type": "application/x-www-form-urlencoded"},
            ).body
        )  # fmt: skip
        token = posted[0]["token"]
        window = form(start_date=iso(now - 60 * 86400), end_date=iso(now - 30 * 86400), status="open,closed",
                      service_code="facility,security")  # fmt: skip
        gets = [
            ("GET discovery.json", "/open311/v2/discovery.json"),
            ("GET services.json", "/open311/v2/services.json"),
            ("GET services/facility.json (definition)", "/open311/v2/services/facility.json"),
            ("GET requests.json (last 90 days, a page of ≤1,000)", "/open311/v2/requests.json"),
            ("GET requests.xml (the same)", "/open311/v2/requests.xml"),
            ("GET requests.json (page 2)", "/open311/v2/requests.json?page=2"),
            ("GET requests.json?service_request_id= (50 ids)",
             f"/open311/v2/requests.json?{form(service_request_id=numbers)}"),
            ("GET requests.json (30 days, 2 of 5 codes)", f"/open311/v2/requests.json?{window}"),
            ("GET requests/{id}.json", f"/open311/v2/requests/{one}.json"),
            ("GET tokens/{token}.json", f"/open311/v2/tokens/{token}.json"),
            ("GET hotline/changes.json (since 60 days, ≤1,000)",
             f"/open311/v2/hotline/changes.json?{form(api_key=BENCH_KEY, since=iso(now - 60 * 86400))}"),
            ("GET open-data/ (page, one community)", "/open-data/"),
            ("GET open-data/figures.json (page 1, 984 rows)", "/open-data/figures.json"),
            ("GET open-data/figures.csv (page 1, 984 rows)", "/open-data/figures.csv"),
            ("GET open-data/figures.json (last page)", "/open-data/figures.json?page=13"),
        ]  # fmt: skip
        results = []
        for label, path in gets:
            result = Result(label, path)
            sequential(result, session, 1)
            result.server_ms.clear()
            sequential(result, session, RUNS)
            results.append(result)
            log(f"  {label}: {result.status}, median {statistics.median(result.server_ms):.0f} ms")
        for label, path, fields in [
            ("POST requests.json (a new request)", "/open311/v2/requests.json",
             {"api_key": BENCH_KEY, "service_code": "other", "description": "bench {n}", "address_id": community}),
            ("POST hotline/work_orders.json (a new ticket)", "/open311/v2/hotline/work_orders.json",
             {"api_key": BENCH_KEY, "external_id": "bench-new-{t}", "service_code": "dispute",
              "description": "bench {n}", "address_id": community}),
        ]:  # fmt: skip
            result = Result(label, path)
            post(result, session, fields, RUNS)
            results.append(result)
            log(f"  {label}: {result.status}, median {statistics.median(result.server_ms):.0f} ms")
    finally:
        stop_server(server)
    print(
        f"Scale {SCALE}, {DATABASE_URL.rsplit('/', 1)[-1]}, gunicorn, DEBUG off, {time.strftime('%Y-%m-%d %H:%M')}; "
        f"median of {RUNS} requests, one at a time.\n"
    )
    print("| Endpoint | Status | Queries | Median ms | Max ms | Bytes |\n|---|---|---|---|---|---|")
    for r in results:
        queries = "–".join(str(n) for n in sorted({min(r.queries), max(r.queries)}))
        print(f"| {r.label} | {r.status} | {queries} | {statistics.median(r.server_ms):,.0f} | "
              f"{max(r.server_ms):,.0f} | {r.size:,} |")  # fmt: skip


if __name__ == "__main__":
    main()
