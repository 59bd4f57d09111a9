"""Demo data for residents' requests (群众诉求): fictional, every description marked （演示）, deterministic (a
fixed random seed; the recent requests are placed relative to the moment of loading), loaded once.

- 2023: about a hundred requests across the 18 communities, most accepted in time, resolved and rated, some
  late, some transferred to another community or to the street, some rated 不满意 and reopened at the street
  (督办) — so that the 2023 dashboard, briefing and assessment evidence show rates ("nearly 100 problems
  solved");
- now: requests in every state in several communities, 红卫路社区 among them, some overdue — so that the
  officer's inbox, the street's lists and the to-do lists have something to show.

It also binds the demo account `officer` to 红卫路社区's serving officer, and opens the current year's
assessment (if the bureau has not yet) so that he has his two duty reports to write.
"""

import random
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from assessments import services as assessment_services
from assessments.models import AnnualAssessment
from communities.models import Community
from officers.ledger.models import WorkRecord
from officers.models import Appointment
from officers.resident_requests import rollup
from officers.resident_requests.models import Category, CategoryDeadline, Landmark, RequestStep, ResidentRequest
from yushu_gov.audit.log import audit_log
from yushu_gov.counts import monthly
from yushu_gov.input.months import SHANGHAI
from yushu_gov.models import User

from . import DEMO_MARK

S = ResidentRequest.Status
K = RequestStep.Kind
R = ResidentRequest.Rating

OFFICER_COMMUNITY = "hongweilu"

DESCRIPTIONS = {
    Category.SECURITY: ["小区夜间有陌生人翻越围墙", "楼道里的电动车充电线私拉乱接", "商铺门口经常有人聚集喝酒滋事"],
    Category.DISPUTE: ["楼上漏水到我家，协商不成", "邻居长期占用公共楼道堆放杂物", "和房东因押金退还发生争执"],
    Category.HARDSHIP: ["独居老人冬季取暖有困难", "孩子转学手续不知道怎么办", "家人住院后生活暂时困难，希望得到帮扶"],
    Category.FACILITY: ["小区路灯坏了一个多月", "巷道井盖松动，晚上很危险", "广场健身器材损坏"],
    Category.OTHER: ["希望社区多组织反诈骗宣传", "建议在学校门口增设减速带", "小区流浪狗较多，希望处理"],
}
PLACES = ["3号楼", "格萨尔广场东侧", "社区党群服务中心旁", "农贸市场后巷", "小学门口", "6号楼2单元"]
REPLIES = [
    "已现场查看并协调有关单位处理完毕，感谢您的反映。",
    "已约谈双方当事人，达成一致意见，问题已解决。",
    "已联系街道和有关部门，问题已于本周处理完毕。",
    "已上门走访并落实帮扶措施，后续将持续关注。",
]
NAMES = ["卓玛", "扎西", "才仁", "王女士", "李先生", "拉毛"]
# The landmark lists the streets keep, for a few communities (the request form offers them).
LANDMARKS = {
    "hongweilu": ["红卫路演示小区（演示）", "社区党群服务中心（演示）", "红卫路农贸市场（演示）"],
    "minzhulu": ["民主路演示小区（演示）", "格萨尔广场（演示）"],
}


def _landmarks() -> None:
    for code, names in LANDMARKS.items():
        community = Community.objects.filter(code=code).first()
        for order, name in enumerate(names if community else []):
            Landmark.objects.get_or_create(community=community, name=name, defaults={"sort_order": order})


def _at(rng: random.Random, day: datetime, hours: float) -> datetime:
    return day + timedelta(hours=hours, minutes=rng.randint(0, 59))


class _Builder:
    """Builds requests and their steps in memory, with the times given; saved in bulk."""

    def __init__(self, rng: random.Random, staff: dict):
        self.rng = rng
        self.staff = staff  # street code -> the demo street clerk (for the street's steps)
        self.table = CategoryDeadline.table()
        self.items: list[tuple[ResidentRequest, list[RequestStep]]] = []

    def new(self, seat: Appointment, submitted_at: datetime, *, contact: bool) -> tuple:
        category = self.rng.choice(Category.values)
        hours, days = self.table[category]
        item = ResidentRequest(
            year=submitted_at.astimezone(SHANGHAI).year,
            secret="".join(self.rng.choice("23456789ABCDEFGHJKMNPQRSTUVWXYZ") for _ in range(4)),
            community=seat.community,
            officer=seat.officer,
            category=category,
            description=self.rng.choice(DESCRIPTIONS[category]) + DEMO_MARK,
            location=self.rng.choice(PLACES),
            status=S.SUBMITTED,
            submitted_at=submitted_at,
            respond_by=submitted_at + timedelta(hours=hours),
            resolve_by=submitted_at + timedelta(days=days),
        )
        if contact:
            item.resident_name = self.rng.choice(NAMES) + DEMO_MARK
            item.resident_phone = f"1390976{self.rng.randint(0, 9999):04d}"
            item.contact_consent = True
        steps = [RequestStep(kind=K.SUBMITTED, at=submitted_at, to_community=seat.community)]
        self.items.append((item, steps))
        return item, steps

    def accept(self, item, steps, at, by=None):
        item.status, item.accepted_at, item.responded_at, item.accepted_by = S.HANDLING, at, item.responded_at or at, by
        steps.append(RequestStep(kind=K.ACCEPTED, at=at, actor=by))

    def note(self, item, steps, at, text, by=None, work_record=None):
        steps.append(RequestStep(kind=K.NOTE, at=at, actor=by, note=text, work_record=work_record))

    def to_street(self, item, steps, at, by=None):
        item.status, item.responded_at = S.AT_STREET, item.responded_at or at
        steps.append(
            RequestStep(
                kind=K.TO_STREET, at=at, actor=by, note="需要街道协调有关部门办理。", from_community=item.community
            )
        )

    def transfer(self, item, steps, at, seat: Appointment):
        hours, days = self.table[item.category]
        steps.append(
            RequestStep(
                kind=K.TRANSFERRED, at=at, note="反映的地点属于相邻社区，转该社区办理。",
                from_community=item.community, to_community=seat.community,
            )
        )  # fmt: skip
        item.community, item.officer, item.status = seat.community, seat.officer, S.SUBMITTED
        item.respond_by, item.resolve_by = at + timedelta(hours=hours), at + timedelta(days=days)
        item.responded_at = item.accepted_at = None

    def resolve(self, item, steps, at, by=None):
        reply = self.rng.choice(REPLIES)
        item.status, item.resolved_at, item.resolved_by, item.reply = S.RESOLVED, at, by, reply
        item.responded_at = item.responded_at or at
        steps.append(RequestStep(kind=K.RESOLVED, at=at, actor=by, note=reply))

    def rate(self, item, steps, at, rating):
        item.rating, item.rated_at = rating, at
        steps.append(RequestStep(kind=K.RATED, at=at, note=str(R(rating).label)))
        if rating == R.UNSATISFIED and not item.reopened:
            item.status, item.reopened = S.SUPERVISED, True
            item.resolve_by = at + timedelta(days=self.table[item.category][1])
            item.resolved_at = item.resolved_by = None
            item.reply = ""
            steps.append(RequestStep(kind=K.REOPENED, at=at))
        else:
            item.status, item.closed_at = S.CLOSED, at

    def clerk(self, item):
        return self.staff.get(item.community.street.code)

    def save(self) -> int:
        """Numbers the requests of each year in the order they were submitted, after any already there."""
        self.items.sort(key=lambda pair: pair[0].submitted_at)
        last = dict(ResidentRequest.objects.values_list("year").annotate(last=Max("serial")).order_by())
        for item, _steps in self.items:
            last[item.year] = last.get(item.year, 0) + 1
            item.serial = last[item.year]
        created = ResidentRequest.objects.bulk_create([item for item, _steps in self.items], batch_size=500)
        steps = []
        for item, item_steps in zip(created, (s for _i, s in self.items), strict=True):
            for step in item_steps:
                step.request = item
                steps.append(step)
        RequestStep.objects.bulk_create(steps, batch_size=1000)
        return len(created)


def _year_2023(builder: _Builder, seats: list[Appointment]) -> None:
    rng = builder.rng
    start = datetime(2023, 1, 3, 8, tzinfo=SHANGHAI)
    for index in range(98):
        seat = rng.choice(seats)
        submitted = _at(rng, start + timedelta(days=rng.randint(0, 350)), rng.randint(0, 12))
        item, steps = builder.new(seat, submitted, contact=rng.random() < 0.6)
        if index % 23 == 5:  # not this community's: transferred before being accepted
            other = rng.choice([s for s in seats if s.community_id != seat.community_id])
            builder.transfer(item, steps, _at(rng, submitted, rng.randint(2, 10)), other)
            submitted = steps[-1].at
        if index % 29 == 7:  # needs the street: moved to it, resolved there
            builder.to_street(item, steps, _at(rng, submitted, rng.randint(2, 20)), by=builder.clerk(item))
            builder.resolve(item, steps, _at(rng, submitted, rng.randint(48, 200)), by=builder.clerk(item))
        else:
            late = rng.random() < 0.08
            builder.accept(item, steps, _at(rng, submitted, rng.randint(25, 40) if late else rng.randint(1, 20)))
            if rng.random() < 0.4:
                builder.note(item, steps, _at(rng, steps[-1].at, rng.randint(4, 30)), "已上门了解情况，正在协调。")
            hours = rng.randint(4, 150) if rng.random() < 0.85 else rng.randint(150, 260)  # some past 7 days
            builder.resolve(item, steps, _at(rng, steps[-1].at, hours))
        if index % 10 == 9:
            continue  # resolved, never rated
        first = R.UNSATISFIED if index % 19 == 3 else rng.choices([R.SATISFIED, R.BASIC, R.UNSATISFIED], [80, 16, 4])[0]
        builder.rate(item, steps, _at(rng, steps[-1].at, rng.randint(5, 72)), first)
        if item.status == S.SUPERVISED:  # 不满意: the street supervises, resolves again, the resident rates again
            clerk = builder.clerk(item)
            builder.note(item, steps, _at(rng, steps[-1].at, rng.randint(5, 24)), "街道督办，约谈相关单位。", by=clerk)
            builder.resolve(item, steps, _at(rng, steps[-1].at, rng.randint(24, 96)), by=clerk)
            again = R.UNSATISFIED if index == 41 else rng.choices([R.SATISFIED, R.BASIC], [40, 60])[0]
            builder.rate(item, steps, _at(rng, steps[-1].at, rng.randint(5, 48)), again)


def _now(builder: _Builder, seats: list[Appointment], officer_user) -> None:
    """Requests in every state, placed relative to now: the officer's community first."""
    rng, now = builder.rng, timezone.now()
    own = next(s for s in seats if s.community.code == OFFICER_COMMUNITY)
    others = [s for s in seats if s.community.code != OFFICER_COMMUNITY][:6]
    record = WorkRecord.objects.filter(community=own.community).order_by("-occurred_on").first()
    for seat in [own, *others]:
        by = officer_user if seat is own else None
        # waiting to be accepted: one in time, one past its response deadline
        builder.new(seat, now - timedelta(hours=3), contact=True)
        if seat is own or rng.random() < 0.5:
            builder.new(seat, now - timedelta(hours=30), contact=False)
        # being handled: one in time, one past its resolve deadline
        item, steps = builder.new(seat, now - timedelta(days=2), contact=True)
        builder.accept(item, steps, now - timedelta(days=2) + timedelta(hours=5), by=by)
        builder.note(item, steps, now - timedelta(days=1), "已到现场查看，正在联系物业。", by=by)
        if seat is own or rng.random() < 0.5:
            item, steps = builder.new(seat, now - timedelta(days=9), contact=False)
            builder.accept(item, steps, now - timedelta(days=9) + timedelta(hours=6), by=by)
        # resolved, waiting for the resident's rating; rated; rated 不满意 and supervised by the street
        item, steps = builder.new(seat, now - timedelta(days=5), contact=True)
        builder.accept(item, steps, now - timedelta(days=5) + timedelta(hours=2), by=by)
        builder.resolve(item, steps, now - timedelta(days=1), by=by)
        if seat is own:
            steps[-2].work_record = record
        item, steps = builder.new(seat, now - timedelta(days=12), contact=True)
        builder.accept(item, steps, now - timedelta(days=12) + timedelta(hours=4), by=by)
        builder.resolve(item, steps, now - timedelta(days=8), by=by)
        builder.rate(item, steps, now - timedelta(days=7), R.SATISFIED)
        if seat is own or seat is others[0]:
            item, steps = builder.new(seat, now - timedelta(days=10), contact=True)
            builder.accept(item, steps, now - timedelta(days=10) + timedelta(hours=3), by=by)
            builder.resolve(item, steps, now - timedelta(days=6), by=by)
            builder.rate(item, steps, now - timedelta(days=4), R.UNSATISFIED)
            # transferred to the street by the officer
            item, steps = builder.new(seat, now - timedelta(days=3), contact=False)
            builder.to_street(item, steps, now - timedelta(days=3) + timedelta(hours=6), by=by)


@transaction.atomic
def load(*, users: dict, seed: int = 2026) -> int:
    """Loads the demo requests unless they are there; binds the `officer` account; opens the current year's
    assessment for the officers' reports. Returns the number of requests created."""
    seats = list(Appointment.objects.serving().select_related("officer", "community__street").order_by("community_id"))
    own = next((s for s in seats if s.community.code == OFFICER_COMMUNITY), None)
    officer_user = users.get("officer")
    if own is not None and officer_user is not None and officer_user.officer_id is None:
        User.objects.filter(pk=officer_user.pk, officer__isnull=True).update(officer=own.officer)
        officer_user.refresh_from_db()
    _landmarks()
    this_year = timezone.localdate().year
    if seats and not AnnualAssessment.objects.filter(year=this_year).exists():
        assessment_services.assessment_year_open(year=this_year, by=users["bureau"])
    if not seats or ResidentRequest.objects.filter(description__endswith=DEMO_MARK).exists():
        return 0
    staff = {"jiegu": users.get("jiegu"), "xihang": users.get("xihang")}
    builder = _Builder(random.Random(seed), staff)
    _year_2023(builder, seats)
    if own is not None:
        _now(builder, seats, officer_user)
    created = builder.save()
    for table in (rollup.MONTH_TABLE, rollup.TIME_TABLE):  # written in bulk: the rates' roll-ups recounted
        monthly.rebuild(table)
    audit_log(
        actor=users["admin"], action="resident_requests.request.demo_loaded", changes={"requests": [None, created]}
    )
    return created
