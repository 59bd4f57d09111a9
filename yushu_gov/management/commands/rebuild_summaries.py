"""Recounts every registered counter table (yushu_gov/counts; each app registers its own) from the records:
after data loaded by bulk inserts that bypass the write services (the demo and scale data sets), or, with
--check, to compare the kept tables with the records. Streams: the records are read in chunks and the rows
written in batches, whatever the size of the tables."""

import time

from django.core.management.base import BaseCommand

from yushu_gov.counts import monthly


class Command(BaseCommand):
    help = "重新计算月度汇总（统计分析与年度简报读取的数据）。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--check", action="store_true", help="只比较：汇总表与按原始记录重新计算的结果不一致时以非零状态退出。"
        )

    def handle(self, *args, check=False, **options):
        started = time.monotonic()
        tables = monthly.registered()
        if check:
            differing = {table.label: monthly.differences(table) for table in tables}
            for label, n in differing.items():
                if n:
                    self.stderr.write(f"{label}: {n} summary rows differ from the records.")
            if any(differing.values()):
                raise SystemExit(1)
            rows = sum(monthly.count_rows(table) for table in tables)
            self.stdout.write(f"{rows} summary rows match the records.")
            return
        rows = 0
        for table in tables:
            written = monthly.rebuild(table)
            rows += written
            self.stdout.write(f"{table.label}: {written} rows.")
        self.stdout.write(f"{rows} summary rows written in {time.monotonic() - started:.1f} s.")
