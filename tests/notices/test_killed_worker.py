"""A worker killed with SIGKILL between sending a notice and marking it sent: after a restart exactly one
delivery is recorded. Real processes on a database file of their own: `manage.py migrate`, a worker that
kills itself at that very point (its marking step replaced by SIGKILL), then `manage.py db_worker --batch`.

How: the development channel keeps one message per notice key (a unique column), the same key every attempt
of the notice gives the provider. The restarted worker finds the notice left "sending" by a process that no
longer exists, sends it again (the channel de-duplicates), and the second send finds the first message."""

import os
import signal
import sqlite3
import subprocess
import sys

from django.conf import settings

KILLING_WORKER = """
import os, signal, django
django.setup()
from django.core.management import call_command
from django.db import transaction
from yushu_gov.notices import delivery
from yushu_gov.notices.outbox import notice_write

with transaction.atomic():  # the event's transaction: the notice and its task on the queue
    notice_write(event="test.killed", recipient="request:1", channel="sms", kind="request.accepted", title="t",
                 body="您的诉求已受理", address="13912345678", urgent=True)
delivery.notice_mark_sent = lambda **kwargs: os.kill(os.getpid(), signal.SIGKILL)  # sent, not yet marked
call_command("db_worker", batch=True, reload=False, startup_delay=False, verbosity=0)
"""


def test_a_worker_killed_between_sending_and_marking_delivers_once(tmp_path):
    database = tmp_path / "killed.sqlite3"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}", "TASKS_BACKEND": "database",
           "DJANGO_SETTINGS_MODULE": "yushu_gov.settings", "NOTICE_SMS_CHANNEL": "dev"}  # fmt: skip
    run = {"cwd": settings.BASE_DIR, "env": env, "capture_output": True, "text": True, "timeout": 240}
    migrated = subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v0"], **run)
    assert migrated.returncode == 0, migrated.stderr

    killed = subprocess.run([sys.executable, "-c", KILLING_WORKER], **run)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    with sqlite3.connect(database) as db:
        assert db.execute("SELECT status, attempts FROM yushu_gov_notice").fetchall() == [("sending", 1)]
        assert db.execute("SELECT count(*) FROM yushu_gov_devmessage").fetchone() == (1,)  # it went out

    restarted = subprocess.run(
        [sys.executable, "manage.py", "db_worker", "--batch", "--no-reload", "--no-startup-delay"], **run
    )
    assert restarted.returncode == 0, restarted.stderr
    assert "Recovered 1 notice" in restarted.stdout
    with sqlite3.connect(database) as db:
        assert db.execute("SELECT status, attempts FROM yushu_gov_notice").fetchall() == [("sent", 2)]
        assert db.execute('SELECT count(*), min("to") FROM yushu_gov_devmessage').fetchone() == (1, "139****5678")
        sent = db.execute("SELECT count(*) FROM yushu_gov_auditentry WHERE action = 'notices.notice.sent'")
        assert sent.fetchone() == (1,)
