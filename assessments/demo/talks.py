"""Demo monthly talks: one talk a month with every demo officer from July 2022 (when they began serving) up
to today, by the street committees' fictional secretaries and members （演示）, with a few realistic gaps
(the Tibetan New Year and the summer horse-racing festival, a member on leave) and some officers still to be
talked with this month. Deterministic (a seed per month); each month is loaded once, so that running the
command again months later adds the months since."""

import random
from datetime import date, datetime, time

from django.db import transaction
from django.utils import timezone

from officers.models import Appointment
from officers.talks import services
from officers.talks.models import MonthlyTalk
from yushu_gov.input.months import month_of

from . import DEMO_MARK

TALKERS = {
    # street -> (name, role) of the committee's demo secretary, deputy secretary and member
    "结古街道": [("才旦卓玛", "secretary"), ("王德胜", "deputy_secretary"), ("旦增尼玛", "member")],
    "西杭街道": [("索南才让", "secretary"), ("刘建华", "member")],
    "扎西科街道": [("更尕多杰", "secretary"), ("拉毛措", "deputy_secretary")],
    "新寨街道": [("扎西才仁", "secretary"), ("陈志刚", "member")],
}
PLACES = ["街道党工委会议室", "社区党群服务中心", "社区警务室", "派出所会议室"]
CONTENT = [
    "了解近期社区党支部工作开展情况，听取其在组织生活、党员教育管理方面的做法。",
    "围绕辖区矛盾纠纷排查化解、重点人员稳控情况进行交流，肯定了入户走访取得的成效。",
    "就治安巡逻、隐患排查和防返贫监测排查工作提出要求，叮嘱注意工作方法。",
    "听取其兼任副书记以来的思想和工作情况，鼓励其发挥双语优势，做好群众工作。",
]
VIEWS = ["希望街道协调解决社区警务室办公设备不足的问题。", "建议增加社区网格员与民警的联合巡逻频次。", "", ""]
FOLLOW_UP = ["由街道党工委协调社区落实。", "下月谈话时回访落实情况。", ""]
# Gaps: (year, month) -> how many officers were not talked with that month.
GAPS = {
    (2022, 10): 2, (2023, 2): 3, (2023, 8): 2, (2024, 2): 2, (2024, 7): 1,
    (2025, 2): 3, (2025, 8): 2, (2026, 3): 1, (2026, 8): 2,
}  # fmt: skip
# Still without a talk in the current month: the first officer of each street (so that every street's clerk
# has one on the home page's to-do list).


def _months(today: date):
    year, month = 2022, 7
    while (year, month) <= (today.year, today.month):
        yield year, month
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


@transaction.atomic
def load(*, by, seed: int = 2025, today: date | None = None) -> int:
    """Records the demo talks of the months that have none yet, through the service (so each is validated and
    audited). Returns the number of talks created; 0 when they are all there."""
    today = today or timezone.localdate()
    held = MonthlyTalk.objects.filter(talker_name__endswith=DEMO_MARK).values_list("held_at", flat=True)
    loaded = {month_of(held_at) for held_at in held}
    seats = list(
        Appointment.objects.serving()
        .filter(officer__name__endswith=DEMO_MARK)
        .select_related("officer", "community__street")
        .order_by("community__street__sort_order", "community__sort_order", "id")
    )
    created = 0
    for year, month in _months(today):
        if (year, month) in loaded:
            continue
        rng = random.Random(seed * 100 + year * 12 + month)
        current = (year, month) == (today.year, today.month)
        skipped = set(rng.sample(range(len(seats)), min(len(seats), GAPS.get((year, month), 0))))
        if current:
            firsts = {}
            for index, seat in enumerate(seats):
                firsts.setdefault(seat.community.street_id, index)
            skipped = set(firsts.values())
        for index, seat in enumerate(seats):
            if index in skipped or seat.started_on > date(year, month, 28):
                continue
            last_day = today.day - 1 if current else 28
            if last_day < 1:
                continue
            day = rng.randint(max(1, min(5, last_day)), last_day) if not current else rng.randint(1, last_day)
            held_at = timezone.make_aware(datetime.combine(date(year, month, day), time(rng.choice([9, 10, 15, 16]))))
            talkers = TALKERS.get(seat.community.street.name) or [("街道党工委书记", "secretary")]
            talker, role = rng.choice(talkers)
            topics = rng.sample(list(MonthlyTalk.TOPICS)[:4], rng.randint(1, 3))
            services.talk_record(
                by=by,
                street_id=seat.community.street_id,
                data={
                    "officer": seat.officer,
                    "held_at": held_at,
                    "place": rng.choice(PLACES),
                    "talker_name": talker + DEMO_MARK,
                    "talker_role": role,
                    **{name: name in topics for name in MonthlyTalk.TOPICS},
                    "other_topic": "",
                    "content": rng.choice(CONTENT),
                    "officer_views": rng.choice(VIEWS),
                    "follow_up": rng.choice(FOLLOW_UP),
                },
            )
            created += 1
    return created
