"""The province-scale benchmark (`make bench`): the big pages and documents on PostgreSQL behind
gunicorn (3 sync workers, DEBUG off), in one interleaved run. Not a test: it prints a Markdown table.

    make bench                      # scale 1 in yushu_bench_1 (built on the first run, ~1 min)
    make bench SCALE=10             # scale 10 in yushu_bench_10 (built on the first run, ~10 min)
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/other make bench

For each page: the queries of one request and the server's time (from the headers bench/middleware.py adds),
the median of RUNS requests one at a time; the response's size; and its throughput with 3 client threads
during WINDOW seconds, as a ratio to a light logged-in page (and to /healthz) measured in windows between
the pages' windows, ROUNDS times round-robin, so that the machine's other load weighs on both alike.
The export is only started (each start queues a whole export job), never run in a throughput window.

The data set is fictional (assessments/demo/scale.py); the keys below are the benchmark's own, fixed so that
the loaded numbers decrypt on every run, and never used for anything else.
"""

import base64
import hashlib
import os
import re
import secrets
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from http.client import HTTPConnection
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parents[1]
SCALE = os.environ.get("SCALE", "1")
DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", f"postgres://postgres@127.0.0.1:5432/yushu_bench_{SCALE.replace('.', '_')}"
)
PORT = int(os.environ.get("BENCH_PORT", "8765"))
WORKERS = 3
CLIENT_THREADS = 3
RUNS = int(os.environ.get("RUNS", "5"))  # sequential requests per page for the median
WINDOW = float(os.environ.get("WINDOW", "3"))  # seconds per throughput window
ROUNDS = int(os.environ.get("ROUNDS", "2"))
EXPORT_STARTS = 3
TIMEOUT = 120  # seconds per request (gunicorn's own is 60)
EXPORT_TIMEOUT = 15  # a job starts in well under a second; an export built in the request is not waited for
PASSWORD = "Yushu@2023"  # the demo accounts' (assessments/demo/accounts.py)


def _bench_key(purpose: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(f"yushu bench only: {purpose}".encode()).digest()).decode()


SERVER_ENV = {
    **os.environ,
    "DJANGO_SETTINGS_MODULE": "bench.settings",
    "DATABASE_URL": DATABASE_URL,
    "DEBUG": "0",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "PERSONAL_DATA_KEYS": _bench_key("personal data"),
    "AUDIT_CHAIN_KEY": _bench_key("audit chain"),
    # Plain http on the loopback: no redirect to https (the cookies' Secure flag is the client's affair here).
    "SECURE_SSL_REDIRECT": "0",
    # The accounts have no second factor enrolled; the pages behind it are the same.
    "REQUIRE_2FA": "0",
    "LOG_LEVEL": "ERROR",
}
LOAD_ENV = {**SERVER_ENV, "DEBUG": "1", "DJANGO_SETTINGS_MODULE": "yushu_gov.settings"}

# The administrator who sees the whole data set: the province's (the city's `admin` sees 玉树市 alone, 18
# communities at any scale, since the scale data hangs its communities on a tree of prefectures and counties).
ADMIN = "province"
# (label, account or None for anonymous, path; {appointment} is a serving seat's id), in table order.
PAGES = [
    ("coverage", ADMIN, "/officers/coverage/"),
    ("public directory", None, "/directory/"),
    ("talk grid", ADMIN, "/talks/"),
    ("work ledger list", ADMIN, "/work/"),
    ("police-call list", ADMIN, "/communities/police-calls/"),
    ("city dashboard", ADMIN, "/reports/"),
    ("briefing", ADMIN, "/reports/briefing/"),
    ("city administrator's home", ADMIN, "/"),
    ("briefing PDF", ADMIN, "/reports/briefing/pdf/"),
    ("任命书 PDF", ADMIN, "/officers/appointments/{appointment}/letter.pdf"),
]
EXPORT = ("work ledger export start", ADMIN, "/work/export/")
LIGHT_PAGE = ("light logged-in page", ADMIN, "/account/password/")
HEALTHZ = ("/healthz", None, "/healthz")


def log(message: str) -> None:
    print(f"# {time.strftime('%H:%M:%S')} {message}", file=sys.stderr, flush=True)


def manage(*args: str, env: dict) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


# --- the database ---------------------------------------------------------------------------------------


def _with_database(url: str, name: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit(parts._replace(path=f"/{name}"))


def prepare_database() -> None:
    name = urllib.parse.urlsplit(DATABASE_URL).path.lstrip("/")
    with psycopg.connect(_with_database(DATABASE_URL, "postgres"), autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            log(f"creating database {name}")
            conn.execute(f'CREATE DATABASE "{name}"')
    manage("migrate", "--noinput", "-v0", env=SERVER_ENV)
    with psycopg.connect(DATABASE_URL) as conn:
        officers = conn.execute("SELECT count(*) FROM officers_officer").fetchone()[0]
        communities = conn.execute("SELECT count(*) FROM communities_community").fetchone()[0]
    wanted = max(18, round(500 * float(SCALE)))
    if officers == 0:
        log(f"loading the scale data, scale {SCALE} (1: about a minute; 10: about ten)")
        started = time.monotonic()
        manage("load_scale_data", "--scale", SCALE, env=LOAD_ENV)
        log(f"loaded in {time.monotonic() - started:.0f} s")
    elif communities != wanted:
        log(f"warning: {communities} communities in {name}, scale {SCALE} has {wanted}: another data set?")
    with psycopg.connect(DATABASE_URL) as conn:
        summaries = conn.execute("SELECT count(*) FROM ledger_workmonth").fetchone()[0]
    if officers and not summaries:
        # Data loaded before the monthly counts existed: count them once from the records.
        log("counting the monthly counts from the records")
        manage("rebuild_summaries", env=LOAD_ENV)
    # DEBUG off serves the collected, hashed static files (whitenoise); collected again when a file changed.
    manifest = ROOT / "staticfiles" / "staticfiles.json"
    newest = max(path.stat().st_mtime for path in (ROOT / "static").rglob("*") if path.is_file())
    if not manifest.exists() or manifest.stat().st_mtime < newest:
        manage("collectstatic", "--noinput", "-v0", env=SERVER_ENV)


def serving_appointment() -> int:
    with psycopg.connect(DATABASE_URL) as conn:
        return conn.execute("SELECT min(id) FROM officers_appointment WHERE status = 'serving'").fetchone()[0]


# --- HTTP ---------------------------------------------------------------------------------------------


@dataclass
class Response:
    status: int
    body: bytes
    headers: dict
    client_ms: float


@dataclass
class Session:
    """An account's cookies (gunicorn's sync workers close each connection: one connection per request)."""

    cookies: dict = field(default_factory=dict)

    def request(
        self, method: str, path: str, body: str | None = None, headers: dict | None = None, timeout: float = TIMEOUT
    ) -> Response:
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        started = time.perf_counter()
        conn = HTTPConnection("127.0.0.1", PORT, timeout=timeout)
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            content = response.read()
        finally:
            conn.close()
        elapsed = (time.perf_counter() - started) * 1000
        for cookie in response.headers.get_all("Set-Cookie") or []:
            name, _sep, rest = cookie.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return Response(response.status, content, dict(response.headers.items()), elapsed)

    def get(self, path: str, timeout: float = TIMEOUT) -> Response:
        return self.request("GET", path, timeout=timeout)


def login(username: str) -> Session:
    session = Session()
    page = session.get("/login/")
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page.body)
    if page.status != 200 or not token:
        raise SystemExit(f"login page answered {page.status} without a form")
    form = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token.group(1).decode(), "username": username, "password": PASSWORD}
    )
    answer = session.request(
        "POST",
        "/login/",
        body=form,
        headers={"Content-Type": "application/x-www-form-urlencoded", "Referer": f"http://127.0.0.1:{PORT}/login/"},
    )
    if answer.status != 302 or "sessionid" not in session.cookies:
        raise SystemExit(f"logging in as {username} failed ({answer.status})")
    home = session.get("/")
    if home.status != 200:
        raise SystemExit(
            f"{username}'s home page answered {home.status} after logging in ({home.headers.get('Location')})"
        )
    return session


# --- the server ---------------------------------------------------------------------------------------


def start_server() -> subprocess.Popen:
    gunicorn = Path(sys.executable).with_name("gunicorn")
    server = subprocess.Popen(
        [
            str(gunicorn),
            "yushu_gov.wsgi",
            "--workers",
            str(WORKERS),
            "--worker-class",
            "sync",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--timeout",
            "60",
            "--log-level",
            "warning",
        ],  # fmt: skip
        cwd=ROOT,
        env=SERVER_ENV,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("gunicorn stopped at its start")
        try:
            if Session().get("/healthz").status == 200:
                return server
        except OSError:
            time.sleep(0.3)
    raise SystemExit("gunicorn did not answer within 60 s")


def stop_server(server: subprocess.Popen) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGINT)  # gunicorn's quick shutdown: an export in the request is not awaited
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


# --- measuring ----------------------------------------------------------------------------------------


@dataclass
class Result:
    label: str
    path: str
    status: int = 0
    queries: set = field(default_factory=set)
    server_ms: list = field(default_factory=list)
    size: int = 0
    windows: list = field(default_factory=list)  # (requests, seconds)
    errors: int = 0
    location: str = ""  # where a redirect sent the last request

    @property
    def rate(self) -> float | None:
        if not self.windows:
            return None
        requests, seconds = map(sum, zip(*self.windows, strict=True))
        return requests / seconds if seconds else None


def sequential(result: Result, session: Session, runs: int, timeout: float = TIMEOUT) -> None:
    for _ in range(runs):
        response = session.get(result.path, timeout)
        result.status = response.status
        result.size = len(response.body)
        result.location = response.headers.get("Location", "")
        if "X-Bench-Queries" in response.headers:
            result.queries.add(int(response.headers["X-Bench-Queries"]))
            result.server_ms.append(float(response.headers["X-Bench-Ms"]))


def window(result: Result, session: Session, seconds: float) -> None:
    """CLIENT_THREADS threads request the page without pause until the window closes; the requests under way
    then finish, and count, over the time they took."""
    counts = [0] * CLIENT_THREADS
    errors = [0] * CLIENT_THREADS
    ends = [0.0] * CLIENT_THREADS
    started = time.perf_counter()
    deadline = started + seconds

    def worker(index: int) -> None:
        while time.perf_counter() < deadline:
            try:
                status = session.get(result.path).status
            except OSError:
                status = 0
            counts[index] += 1
            errors[index] += status != result.status
        ends[index] = time.perf_counter()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(CLIENT_THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result.windows.append((sum(counts), max(ends) - started))
    result.errors += sum(errors)


def measure() -> tuple[list[Result], Result, Result, Result]:
    appointment = serving_appointment()
    sessions = {None: Session(), ADMIN: login(ADMIN)}
    pages = [Result(label, path.format(appointment=appointment)) for label, _account, path in PAGES]
    accounts = [account for _label, account, _path in PAGES]
    light, healthz = Result(LIGHT_PAGE[0], LIGHT_PAGE[2]), Result(HEALTHZ[0], HEALTHZ[2])
    export = Result(EXPORT[0], EXPORT[2])

    log("warming up and timing each page, one request at a time")
    for result, account in [*zip(pages, accounts, strict=True), (light, LIGHT_PAGE[1])]:
        sequential(result, sessions[account], 1)  # warm (the workers' caches, the PDF renderers)
        result.server_ms.clear()
        sequential(result, sessions[account], RUNS)
        log(f"  {result.label}: {result.status}, median {statistics.median(result.server_ms or [0]):.0f} ms")

    log(f"throughput: {ROUNDS} rounds of {WINDOW:g} s windows, the light page between the pages")
    for _round in range(ROUNDS):
        window(healthz, sessions[None], WINDOW)
        for result, account in zip(pages, accounts, strict=True):
            window(light, sessions[LIGHT_PAGE[1]], WINDOW)
            window(result, sessions[account], WINDOW)
        window(light, sessions[LIGHT_PAGE[1]], WINDOW)
    healthz.status = 200

    log("starting the export")
    session = sessions[EXPORT[1]]
    for _ in range(EXPORT_STARTS):
        try:
            sequential(export, session, 1, EXPORT_TIMEOUT)
        except TimeoutError:
            export.label += f" (no answer in {EXPORT_TIMEOUT} s: built in the request)"
            break
        if export.status not in (301, 302, 303):  # not a job started: once is enough
            break
    if export.location:
        export.label += f" (→ {urllib.parse.urlsplit(export.location).path})"
    return pages, light, healthz, export


# --- the table ----------------------------------------------------------------------------------------


def table(pages: list[Result], light: Result, healthz: Result, export: Result) -> str:
    lines = [
        f"Scale {SCALE}, {DATABASE_URL.rsplit('/', 1)[-1]}, gunicorn {WORKERS} sync workers, DEBUG off, "
        f"{time.strftime('%Y-%m-%d %H:%M')}; median of {RUNS} requests; throughput: {CLIENT_THREADS} client "
        f"threads, {ROUNDS}×{WINDOW:g} s per page.",
        "",
        "| Page | Status | Queries | Median ms | Bytes | req/s | Ratio to light page | Ratio to /healthz |",
        "|---|---|---|---|---|---|---|---|",
    ]

    def row(result: Result, *, ratios: bool = True) -> str:
        queries = (
            "–".join(str(n) for n in sorted({min(result.queries), max(result.queries)})) if result.queries else "—"
        )
        median = f"{statistics.median(result.server_ms):,.0f}" if result.server_ms else "—"
        rate = result.rate
        cells = [
            result.label,
            str(result.status) + (f" ({result.errors} errors)" if result.errors else ""),
            queries,
            median,
            f"{result.size:,}",
            f"{rate:,.1f}" if rate else "—",
            f"{rate / light.rate:.3f}" if ratios and rate and light.rate else "—",
            f"{rate / healthz.rate:.4f}" if ratios and rate and healthz.rate else "—",
        ]
        return "| " + " | ".join(cells) + " |"

    lines += [row(result) for result in pages]
    lines.append(row(export, ratios=False))
    lines.append(row(light, ratios=False))
    lines.append(
        f"| /healthz | 200 | 0 | — | — | {healthz.rate:,.1f} | — | — |" if healthz.rate else "| /healthz | — |"
    )
    return "\n".join(lines)


def main() -> None:
    started = time.monotonic()
    prepare_database()
    server = start_server()
    try:
        pages, light, healthz, export = measure()
    finally:
        stop_server(server)
    print(table(pages, light, healthz, export))
    log(f"done in {time.monotonic() - started:.0f} s")


if __name__ == "__main__":
    main()
