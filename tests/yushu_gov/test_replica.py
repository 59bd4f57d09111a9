"""The reports read from a real PostgreSQL streaming replica (yushu_gov/replicas/routing.py).

A standby of this machine's cluster is made with pg_basebackup into a second cluster of its own (a data directory
under /tmp, a free port on 127.0.0.1, started with pg_ctl and stopped and deleted when the test ends; the
primary keeps no slot and is never restarted). The test then pauses the standby's replay, so that the two
databases differ in a way only the standby could show: a clerk's new work record is on the primary at once, the
dashboard, the briefing and the ledger export of a user who did not write it still show the figures without it
(they come from the standby), while the clerk's own next page shows it (after a write, the primary). When replay
resumes, the standby catches up and the reports show it too.

On SQLite there is no replica to read from: skipped. The cluster must allow replication from 127.0.0.1
(`.ci/replication-access`, which `.ci/run` runs); outside CI the test skips with the reason when it does not.
"""

import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import psycopg
import pytest
from django.db import connection, connections
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from communities.models import Community
from officers.ledger.models import WorkRecord
from yushu_gov.documents.models import ExportJob
from yushu_gov.replicas.routing import REPLICA, STICKY_COOKIE, reads_from_replica

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="a streaming replica is PostgreSQL's"),
    # The rows must be committed on the primary to reach the standby; the replica alias is a test mirror of the
    # primary's database, so the test empties only the primary when it ends.
    pytest.mark.django_db(transaction=True, databases=["default", REPLICA]),
]

# The standby must allow at least the primary's values of these, or it refuses to start.
MATCHED_SETTINGS = [
    "max_connections",
    "max_worker_processes",
    "max_wal_senders",
    "max_prepared_transactions",
    "max_locks_per_transaction",
]
REPLAY_TIMEOUT = 60


def _unavailable(reason: str):
    if os.environ.get("CI"):
        pytest.fail(reason)
    pytest.skip(reason)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Standby:
    """A hot standby of the test database's cluster, on its own port and data directory."""

    def __init__(self, primary: dict, *, port: int):
        self.primary = primary
        self.port = port
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version_num")
            major = int(cursor.fetchone()[0]) // 10000
            cursor.execute("SELECT name, setting FROM pg_settings WHERE name = ANY(%s)", [MATCHED_SETTINGS])
            self.matched = dict(cursor.fetchall())
        self.bin = Path(f"/usr/lib/postgresql/{major}/bin")
        if not (self.bin / "pg_basebackup").exists():
            _unavailable(f"no PostgreSQL {major} server programs in {self.bin}")
        self.dir = Path(tempfile.mkdtemp(prefix="yushu-standby-"))
        self.data = self.dir / "data"
        self.as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if self.as_postgres:
            shutil.chown(self.dir, "postgres", "postgres")

    def _run(self, *args: str, timeout: int = 600) -> subprocess.CompletedProcess:
        return subprocess.run([*self.as_postgres, *args], capture_output=True, text=True, timeout=timeout)

    def start(self) -> None:
        host, port = self.primary["HOST"] or "127.0.0.1", str(self.primary["PORT"] or 5432)
        copy = self._run(
            str(self.bin / "pg_basebackup"),
            *("-h", host, "-p", port, "-U", self.primary["USER"] or "postgres"),
            *("-D", str(self.data), "-X", "stream", "-R", "--checkpoint=fast", "--no-sync"),
        )
        if copy.returncode:
            _unavailable(f"pg_basebackup failed (run .ci/replication-access?): {copy.stderr.strip()[-500:]}")
        settings = {
            "port": self.port,
            "listen_addresses": "'127.0.0.1'",
            "unix_socket_directories": f"'{self.dir}'",
            "hot_standby": "on",
            "fsync": "off",  # a throwaway copy
            "shared_buffers": "'32MB'",
            "logging_collector": "off",
            **self.matched,
        }
        (self.data / "postgresql.conf").write_text("".join(f"{k} = {v}\n" for k, v in settings.items()))
        (self.data / "pg_hba.conf").write_text("local all all trust\nhost all all 127.0.0.1/32 trust\n")
        (self.data / "pg_ident.conf").write_text("")
        if self.as_postgres:
            for name in ("postgresql.conf", "pg_hba.conf", "pg_ident.conf"):
                shutil.chown(self.data / name, "postgres", "postgres")
        started = self._run(
            str(self.bin / "pg_ctl"),
            "-D",
            str(self.data),
            "-l",
            str(self.dir / "standby.log"),
            "-w",
            "-t",
            "120",
            "start",
        )
        if started.returncode:
            log = (self.dir / "standby.log").read_text(errors="replace")[-2000:]
            raise AssertionError(f"the standby did not start: {started.stderr}\n{log}")

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop", timeout=120)
        shutil.rmtree(self.dir, ignore_errors=True)

    def sql(self, query: str, params=None):
        dsn = {"host": "127.0.0.1", "port": self.port, "dbname": self.primary["NAME"], "user": "postgres"}
        with psycopg.connect(**dsn, autocommit=True) as conn:
            return conn.execute(query, params).fetchone()

    def catch_up(self) -> None:
        """Waits until the standby has replayed everything the primary has written so far."""
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_current_wal_lsn()::text")
            target = cursor.fetchone()[0]
        deadline = time.monotonic() + REPLAY_TIMEOUT
        while not self.sql("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [target])[0]:
            assert time.monotonic() < deadline, f"the standby did not replay {target} in {REPLAY_TIMEOUT} s"
            time.sleep(0.1)


@pytest.fixture(scope="module", autouse=True)
def replica_port(django_db_setup):
    """The `replica` database alias, as REPLICA_DATABASE_URL would make it, pointing at a free port of 127.0.0.1
    and at the test database's name: set before pytest-django opens the tests' databases, gone after them."""
    default = connections["default"].settings_dict
    port = _free_port()
    connections.settings[REPLICA] = {
        **default,
        "HOST": "127.0.0.1",
        "PORT": port,
        "TEST": {**default["TEST"], "MIRROR": "default"},
    }
    yield port
    connections[REPLICA].close()
    del connections[REPLICA]
    del connections.settings[REPLICA]


@pytest.fixture
def standby(replica_port):
    """A standby listening where the `replica` alias points, for one test."""
    node = Standby(connections["default"].settings_dict, port=replica_port)
    try:
        node.start()
        yield node
    finally:
        connections[REPLICA].close()
        node.stop()


def _disputes(client, year=2023) -> int:
    response = client.get(reverse("reports:dashboard"), {"year": year})
    assert response.status_code == 200
    return response.context["board"].total.outcomes.disputes


def _briefing_disputes(client, year=2023) -> int:
    return client.get(reverse("reports:briefing"), {"year": year}).context["board"].total.outcomes.disputes


def _exported_disputes(client, user) -> int:
    assert client.get(reverse("work:export"), {"kind": "dispute"}).status_code == 302  # runs at once in the tests
    return ExportJob.objects.filter(requester=user).latest("created_at").rows_total


RECORD = {
    "kind": "dispute",
    "occurred_on": "2023年5月6日",
    "summary": "调解两户居民因排水引发的纠纷",
    "severity": "blue",
    "outcome": "resolved",
    "status": "done",
}


def test_the_reports_read_from_the_standby_and_the_writes_go_to_the_primary(
    standby, client_for, jiegu_clerk, bureau, jiegu_officer
):
    clerk, reader = client_for("jiegu_clerk"), client_for("bureau")
    standby.catch_up()  # the users, the officer and the reference data are on the standby too
    before = _disputes(reader)

    with (
        CaptureQueriesContext(connections["default"]) as on_primary,
        CaptureQueriesContext(connections[REPLICA]) as on_standby,
    ):
        assert _disputes(reader) == before
    assert any("ledger_workmonth" in q["sql"] for q in on_standby.captured_queries)  # the figures: the standby
    assert not any("ledger_" in q["sql"] for q in on_primary.captured_queries)
    assert any("django_session" in q["sql"] for q in on_primary.captured_queries)  # the session: the primary
    assert not any("django_session" in q["sql"] for q in on_standby.captured_queries)
    with (
        CaptureQueriesContext(connections["default"]) as on_primary,
        CaptureQueriesContext(connections[REPLICA]) as on_standby,
    ):
        assert Client().get(reverse("open_figures:json")).status_code == 200  # the open figures, for anyone
    assert any("communities_community" in q["sql"] for q in on_standby.captured_queries)
    assert not any("communities_" in q["sql"] or "resident_requests_" in q["sql"] for q in on_primary.captured_queries)

    standby.sql("SELECT pg_wal_replay_pause()")  # from here the standby stays as it is
    minzhu = Community.objects.get(name="民主路社区")
    saved = clerk.post(reverse("work:create"), {**RECORD, "community": minzhu.pk, "officer": jiegu_officer.pk})
    assert saved.status_code == 302 and STICKY_COOKIE in saved.cookies
    assert WorkRecord.objects.using("default").filter(kind="dispute").count() == 1  # the primary took the write
    assert standby.sql("SELECT count(*) FROM ledger_workrecord WHERE kind = 'dispute'")[0] == 0

    assert _disputes(reader) == before  # another user's dashboard: the standby, without the new record
    assert _briefing_disputes(reader) == before
    assert _exported_disputes(reader, bureau) == 0  # the export's rows too; its job is written on the primary
    assert _disputes(clerk) == before + 1  # the clerk who just wrote reads the primary: he sees his record
    del clerk.cookies[STICKY_COOKIE]  # ... until the cookie expires (REPLICA_STICKY_SECONDS)
    assert _disputes(clerk) == before

    standby.sql("SELECT pg_wal_replay_resume()")
    standby.catch_up()
    assert _disputes(reader) == before + 1 and _briefing_disputes(reader) == before + 1
    assert _exported_disputes(reader, bureau) == 1


def test_an_unreachable_replica_leaves_the_reports_on_the_primary(client_for, jiegu_work_record):
    """Nothing listens where the alias points (the standby exists only during the test above)."""
    with reads_from_replica() as using_replica:
        assert not using_replica
    year = jiegu_work_record.occurred_on.year
    assert _disputes(client_for("bureau"), year=year) == 1  # read from the primary, which answered
