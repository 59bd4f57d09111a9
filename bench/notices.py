"""The outbox's throughput (issue: one notification outbox): N notices (default 10,000) written with their
tasks on the database queue, delivered by one `manage.py db_worker --batch` with the development channel,
timed and measured with /usr/bin/time -v. Run on a database of its own:

    DATABASE_URL=sqlite:////tmp/notices.sqlite3 .venv/bin/python manage.py migrate
    DATABASE_URL=sqlite:////tmp/notices.sqlite3 .venv/bin/python bench/notices.py 10000
"""

import os
import re
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

from yushu_gov.notices.models import Notice  # noqa: E402
from yushu_gov.notices.outbox import notice_write  # noqa: E402


def main(count: int) -> None:
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
    command = ["/usr/bin/time", "-v", sys.executable, "manage.py", "db_worker", "--batch", "--no-reload",
               "--no-startup-delay"]  # fmt: skip
    started = time.monotonic()
    result = subprocess.run(command, cwd=BASE, capture_output=True, text=True)
    elapsed = time.monotonic() - started
    sent = Notice.objects.filter(event__startswith=run, status="sent").count()
    peak = re.search(r"Maximum resident set size \(kbytes\): (\d+)", result.stderr)
    print(f"delivered {sent} of {count} in {elapsed:.1f} s: {sent / elapsed:.1f} notices/s, "
          f"peak RSS {int(peak[1]) / 1024:.0f} MB" if peak else result.stderr[-2000:])  # fmt: skip


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10000)
