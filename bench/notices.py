"""The outbox's throughput (issue: one notification outbox): N notices (default 10,000) written with their
tasks on the database queue, delivered by one `manage.py db_worker --batch` with the development channel,
timed and measured with /usr/bin/time -v. Run on a database of its own:

    DATABASE_URL=sqlite:////tmp/notices.sqlite3 .venv/bin/python manage.py migrate
    DATABASE_URL=sqlite:////tmp/notices.sqlite3 .venv/bin/python bench/notices.py 10000
    ... bench/notices.py 2000 --kill-after 5   # SIGKILL the worker after 5 s, then restart it
"""

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

BASE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yushu_gov.settings")
os.environ["TASKS_BACKEND"] = "database"

import django  # noqa: E402

django.setup()

from django.db import transaction  # noqa: E402
from django.db.models import Count  # noqa: E402

from yushu_gov.notices.models import DevMessage, Notice  # noqa: E402
from yushu_gov.notices.outbox import notice_write  # noqa: E402


def killed_mid_batch(run: str, count: int, kill_after: float) -> None:
    """A worker killed with SIGKILL mid-batch, then a new one: what each did."""
    command = [sys.executable, "manage.py", "db_worker", "--batch", "--no-reload", "--no-startup-delay"]
    worker = subprocess.Popen(command, cwd=BASE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(kill_after)
    worker.send_signal(signal.SIGKILL)
    worker.wait()
    notices = Notice.objects.filter(event__startswith=run)
    states = dict(notices.values_list("status").annotate(n=Count("pk")))
    print(f"killed after {kill_after} s: {states}")
    restarted = subprocess.run(command, cwd=BASE, capture_output=True, text=True)
    states = dict(notices.values_list("status").annotate(n=Count("pk")))
    messages = DevMessage.objects.filter(key__in=[n.key for n in notices.only("event", "recipient", "channel")])
    twice = notices.filter(attempts__gt=1).count()
    print(f"restarted: {restarted.stdout.strip()!r}; now {states}; development-channel messages {messages.count()} "
          f"for {count} notices; notices attempted twice {twice}")  # fmt: skip


def main(count: int, kill_after: float | None = None) -> None:
    run = f"bench-{int(time.time())}"
    started = time.monotonic()
    for start in range(0, count, 500):
        with transaction.atomic():
            for n in range(start, min(start + 500, count)):
                notice_write(event=f"{run}.{n}", recipient=f"request:{n}", channel="sms", kind="request.accepted",
                             title="群众诉求", body=f"您的诉求 YS-2026-{n:06d} 已受理。", address="13912345678",
                             urgent=True)  # fmt: skip
    written = time.monotonic() - started
    print(f"written {count} notices and their tasks in {written:.1f} s")
    if kill_after:
        killed_mid_batch(run, count, kill_after)
        return
    command = ["/usr/bin/time", "-v", sys.executable, "manage.py", "db_worker", "--batch", "--no-reload",
               "--no-startup-delay"]  # fmt: skip
    started = time.monotonic()
    result = subprocess.run(command, cwd=BASE, capture_output=True, text=True)
    elapsed = time.monotonic() - started
    sent = Notice.objects.filter(event__startswith=run, status="sent").count()
    peak = re.search(r"Maximum resident set size \(kbytes\): (\d+)", result.stderr)
    cpu = sum(float(m) for m in re.findall(r"(?:User|System) time \(seconds\): ([\d.]+)", result.stderr))
    print(f"delivered {sent} of {count} in {elapsed:.1f} s: {sent / elapsed:.1f} notices/s, "
          f"peak RSS {int(peak[1]) / 1024:.0f} MB, worker CPU {cpu:.1f} s ({1000 * cpu / max(sent, 1):.1f} ms a notice)"
          if peak else result.stderr[-2000:])  # fmt: skip


if __name__ == "__main__":
    arguments = sys.argv[1:]
    kill = float(arguments[arguments.index("--kill-after") + 1]) if "--kill-after" in arguments else None
    main(int(arguments[0]) if arguments and arguments[0].isdigit() else 10000, kill)
