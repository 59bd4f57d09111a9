"""Recomputes the monthly summaries (communities.summaries.rebuild) from the records: after data loaded by bulk
inserts that bypass the write services (the demo and scale data sets), or to check the kept table."""

import time

from django.core.management.base import BaseCommand

from communities import summaries


class Command(BaseCommand):
    help = "重新计算月度汇总（统计分析与年度简报读取的数据）。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--check", action="store_true", help="只比较：汇总表与按原始记录重新计算的结果不一致时以非零状态退出。"
        )

    def handle(self, *args, check=False, **options):
        started = time.monotonic()
        if check:
            kept, recounted = summaries.stored(), summaries.recount()
            differing = {key for key in kept.keys() | recounted.keys() if kept.get(key) != recounted.get(key)}
            if differing:
                self.stderr.write(f"{len(differing)} summary rows differ from the records.")
                raise SystemExit(1)
            self.stdout.write(f"{len(kept)} summary rows match the records.")
            return
        rows = summaries.rebuild()
        self.stdout.write(f"{rows} summary rows written in {time.monotonic() - started:.1f} s.")
