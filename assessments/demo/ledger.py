"""Demo data for the work ledger and the police-call figures: fictional, every summary marked （演示）,
deterministic (fixed random seeds).

`load`: 2022 (from July) and 2023, loaded once. The counts are chosen so that the 2023 dashboard shows
figures of the order the article reports (DOMAIN.md §1): about 100 practical difficulties solved, 77
disputes resolved, 29 public-security cases handled, and police calls down about 74% on 2022 (the demo gives
−73.67%). `scale` multiplies the records (and the call figures) for load tests: scale=10 gives ten times the
ledger.

`load_recent`: every month from January 2024 up to the day it runs (work records up to today, police calls
up to the last complete month), each month added once, so that `make run` months later tops the demo up to
its own day and this year's dashboards are never empty. It never touches 2022 or 2023.
"""

import random
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from communities.models import PoliceCallCount
from officers.ledger.models import WorkRecord
from officers.models import Appointment
from yushu_gov.audit.log import audit_log
from yushu_gov.counts import monthly

from . import DEMO_MARK

K = WorkRecord.Kind
S = WorkRecord.Status
O = WorkRecord.Outcome  # noqa: E741

# (kind, status, outcome, how many) per year. 2022 covers July–December (the seats were filled on 1 July).
PLAN = {
    2022: [
        (K.DIFFICULTY, S.DONE, "", 38),
        (K.DIFFICULTY, S.IN_PROGRESS, "", 3),
        (K.DISPUTE, S.DONE, O.RESOLVED, 30),
        (K.DISPUTE, S.DONE, O.REFERRED, 3),
        (K.CASE, S.DONE, "", 12),
        (K.PATROL, S.DONE, "", 80),
        (K.HAZARD, S.DONE, "", 30),
        (K.VISIT, S.DONE, "", 110),
        (K.PUBLICITY, S.DONE, "", 20),
        (K.POVERTY_WATCH, S.DONE, "", 25),
        (K.AID, S.DONE, "", 18),
    ],
    2023: [
        (K.DIFFICULTY, S.DONE, "", 98),
        (K.DIFFICULTY, S.IN_PROGRESS, "", 6),
        (K.DISPUTE, S.DONE, O.RESOLVED, 77),
        (K.DISPUTE, S.DONE, O.UNRESOLVED, 4),
        (K.DISPUTE, S.DONE, O.REFERRED, 5),
        (K.DISPUTE, S.IN_PROGRESS, "", 3),
        (K.CASE, S.DONE, "", 29),
        (K.CASE, S.IN_PROGRESS, "", 2),
        (K.PATROL, S.DONE, "", 180),
        (K.HAZARD, S.DONE, "", 72),
        (K.HAZARD, S.IN_PROGRESS, "", 4),
        (K.VISIT, S.DONE, "", 240),
        (K.PUBLICITY, S.DONE, "", 48),
        (K.POVERTY_WATCH, S.DONE, "", 60),
        (K.AID, S.DONE, "", 36),
    ],
}
PERIODS = {2022: (date(2022, 7, 1), date(2022, 12, 31)), 2023: (date(2023, 1, 1), date(2023, 12, 31))}
CALLS_CHANGE = Decimal("-0.7367")  # 2023 against 2022

SUMMARIES = {
    K.DIFFICULTY: [
        "协调解决小区冬季供暖不热问题",
        "帮助独居老人办理医保报销",
        "协调修复小区破损路灯",
        "帮助居民解决子女入学手续",
    ],
    K.DISPUTE: ["调解邻里停车纠纷", "调解房屋租赁押金纠纷", "调解家庭赡养纠纷", "调解商铺噪音纠纷"],
    K.CASE: ["查处一起盗窃电动车案件", "查处一起殴打他人案件", "查处一起故意损毁财物案件"],
    K.PATROL: ["夜间治安巡逻", "重点时段校园周边巡逻", "节日期间商业街巡逻"],
    K.HAZARD: ["排查老旧小区消防通道隐患", "排查燃气使用安全隐患", "排查自建房安全隐患"],
    K.VISIT: ["开展“敲门行动”入户走访", "走访困难家庭了解诉求", "入户宣传反诈知识"],
    K.PUBLICITY: ["宣传民族团结进步政策", "开展反电信诈骗宣传", "宣讲平安建设相关政策"],
    K.POVERTY_WATCH: ["开展防返贫监测排查", "核查易返贫致贫户收入情况"],
    K.AID: ["走访慰问困难群众", "节日慰问孤寡老人", "慰问残疾人家庭"],
}


def _day(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randint(0, (end - start).days))


def _records(rng: random.Random, seats: list[Appointment], scale: int, by) -> list[WorkRecord]:
    records = []
    serial = 0
    for year, plan in PLAN.items():
        start, end = PERIODS[year]
        for kind, status, outcome, count in plan:
            for _ in range(count * scale):
                seat = rng.choice(seats)
                serial += 1
                occurred_on = _day(rng, start, end)
                case_number = f"632701{year}{serial:06d}"
                records.append(_record(rng, kind, status, outcome, seat, occurred_on, case_number, by))
    return records


def _record(rng: random.Random, kind, status, outcome, seat, occurred_on: date, case_number: str, by) -> WorkRecord:
    """One demo work record on `seat`, with the figures its kind carries (`case_number` for a case only)."""
    record = WorkRecord(
        kind=kind,
        occurred_on=occurred_on,
        community=seat.community,
        officer=seat.officer,
        summary=rng.choice(SUMMARIES[kind]) + DEMO_MARK,
        status=status,
        outcome=outcome,
        created_by=by,
    )
    if kind in (K.VISIT, K.POVERTY_WATCH, K.DIFFICULTY, K.AID):
        record.households_reached = rng.randint(1, 12)
        record.people_reached = record.households_reached * rng.randint(2, 5)
    elif kind in (K.PUBLICITY, K.PATROL):
        record.people_reached = rng.randint(10, 200)
    if kind == K.DISPUTE:
        record.severity = rng.choices(["blue", "yellow", "red"], weights=[70, 22, 8])[0]
        record.people_reached = rng.randint(2, 8)
    if kind == K.CASE:
        record.case_number = case_number
        record.value_recovered = Decimal(rng.randint(0, 60) * 100)
    if kind == K.AID:
        record.aid_amount = Decimal(rng.choice([200, 300, 500, 800, 1000]))
    return record


def _calls(rng: random.Random, seats: list[Appointment], scale: int, by) -> list[PoliceCallCount]:
    """Monthly figures per community for 2022 and 2023, with 2023's total 73.67% below 2022's."""
    base = {seat.community_id: rng.randint(8, 30) for seat in seats}
    rows_2022 = {(c, m): max(0, (b + rng.randint(-4, 4)) * scale) for c, b in base.items() for m in range(1, 13)}
    # Nudge 2022 (one call at a time, in a fixed order) until the rounded change is exactly CALLS_CHANGE.
    order = sorted(rows_2022)
    for step in range(1000):
        total_2022 = sum(rows_2022.values())
        target_2023 = int((Decimal(total_2022) * (1 + CALLS_CHANGE)).to_integral_value())
        if ((Decimal(target_2023) - total_2022) / total_2022).quantize(Decimal("0.0001")) == CALLS_CHANGE:
            break
        rows_2022[order[step % len(order)]] += 1
    rows_2023 = {key: int(value * (1 + CALLS_CHANGE)) for key, value in rows_2022.items()}
    # Hand out the remainder one by one (in a fixed order) so that the total hits the target exactly.
    keys = sorted(rows_2023)
    rng.shuffle(keys)
    for i in range(target_2023 - sum(rows_2023.values())):
        rows_2023[keys[i % len(keys)]] += 1
    result = []
    for year, rows in ((2022, rows_2022), (2023, rows_2023)):
        for (community_id, month), count in sorted(rows.items()):
            result.append(
                PoliceCallCount(community_id=community_id, year=year, month=month, count=count, updated_by=by)
            )
    return result


@transaction.atomic
def _finish(created: dict, by) -> dict:
    """After a bulk load: the monthly counts recounted (bulk inserts bypass the services) and one audit entry."""
    if any(created.values()):
        monthly.rebuild_all()
    if any(created.values()):
        audit_log(
            actor=by,
            action="officers.work_record.demo_loaded",
            changes={name: [None, count] for name, count in created.items()},
        )
    return created


def load(*, by, seed: int = 2023, scale: int = 1) -> dict:
    """Loads the demo ledger and call figures unless they are there already. Returns what was created."""
    created = {"work_records": 0, "police_calls": 0}
    seats = list(Appointment.objects.serving().select_related("officer", "community").order_by("community_id"))
    if not seats:
        return created
    rng = random.Random(seed)
    if not WorkRecord.objects.filter(summary__endswith=DEMO_MARK).exists():
        records = WorkRecord.objects.bulk_create(_records(rng, seats, scale, by), batch_size=1000)
        created["work_records"] = len(records)
    if not PoliceCallCount.objects.filter(year__in=list(PERIODS)).exists():
        calls = PoliceCallCount.objects.bulk_create(_calls(rng, seats, scale, by), batch_size=1000)
        created["police_calls"] = len(calls)
    return _finish(created, by)


RECENT_FROM = (2024, 1)


def _months(first: tuple[int, int], last: tuple[int, int]):
    year, month = first
    while (year, month) <= last:
        yield year, month
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def _month_records(rng: random.Random, seats: list[Appointment], year: int, month: int, last_day: date, by):
    """A month of work: about a twelfth of 2023's plan for each kind, dated from the 1st to `last_day`."""
    start = date(year, month, 1)
    records = []
    for kind, status, outcome, count in PLAN[2023]:
        monthly = count / 12 * rng.uniform(0.7, 1.3) * (last_day.day / 30 if last_day.month == month else 1)
        for _ in range(int(monthly) + (rng.random() < monthly % 1)):
            seat = rng.choice(seats)
            occurred_on = _day(rng, start, last_day)
            case_number = f"632701{year}{month:02d}{len(records):04d}"
            records.append(_record(rng, kind, status, outcome, seat, occurred_on, case_number, by))
    return records


@transaction.atomic
def load_recent(*, by, today: date | None = None, seed: int = 2024) -> dict:
    """Work records for every month from January 2024 to today, and police-call figures for every complete
    month, each month only if it has none yet. Returns what was created."""
    today = today or timezone.localdate()
    created = {"work_records": 0, "police_calls": 0}
    seats = list(Appointment.objects.serving().select_related("officer", "community").order_by("community_id"))
    if not seats:
        return created
    demo_months = set(
        WorkRecord.objects.filter(summary__endswith=DEMO_MARK, occurred_on__gte=date(*RECENT_FROM, 1))
        .values_list("occurred_on__year", "occurred_on__month")
        .distinct()
    )
    records = []
    for year, month in _months(RECENT_FROM, (today.year, today.month)):
        if (year, month) in demo_months:
            continue
        rng = random.Random(seed * 100 + year * 12 + month)
        last_day = today if (year, month) == (today.year, today.month) else _month_end(year, month)
        records += _month_records(rng, seats, year, month, last_day, by)
    created["work_records"] = len(WorkRecord.objects.bulk_create(records, batch_size=1000))

    # Police calls: each complete month from January 2024, a little above or below the same month a year before.
    last_complete = (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)
    figures = {
        (c.community_id, c.year, c.month): c.count
        for c in PoliceCallCount.objects.filter(
            year__gte=RECENT_FROM[0] - 1, community__in=[s.community for s in seats]
        )
    }
    recorded = {(year, month) for _community, year, month in figures}
    calls = []
    for year, month in _months(RECENT_FROM, last_complete):
        if (year, month) in recorded:
            continue
        rng = random.Random(seed * 1000 + year * 12 + month)
        trend = {2024: 0.04, 2025: -0.06}.get(year, -0.03)  # the year's drift against the one before
        for seat in seats:
            before = figures.get((seat.community_id, year - 1, month))
            if before is None:
                before = rng.randint(3, 9)
            count = max(0, round(before * (1 + trend + rng.uniform(-0.25, 0.25))))
            figures[(seat.community_id, year, month)] = count
            calls.append(PoliceCallCount(community=seat.community, year=year, month=month, count=count, updated_by=by))
    created["police_calls"] = len(PoliceCallCount.objects.bulk_create(calls, batch_size=1000))
    return _finish(created, by)


def _month_end(year: int, month: int) -> date:
    return (date(year + (month == 12), month % 12 + 1, 1)) - timedelta(days=1)
