"""Demo data for the officer register: fictional officers, clearly marked （演示）, one serving in every
community. Deterministic (a fixed random seed), and loaded only once."""

import random
from datetime import date

from django.db import transaction

from communities.models import Community, PoliceStation
from yushu_gov.validators import id_check_digit

from . import services
from .models import Appointment, Officer

DEMO_MARK = "（演示）"
GIVEN_NAMES = [
    "扎西多杰",
    "才仁旺姆",
    "尼玛江措",
    "索南达杰",
    "格桑卓玛",
    "拉巴次仁",
    "王建国",
    "李文军",
    "昂文求培",
    "多杰仁青",
    "周晓东",
    "白玛措",
    "更松尼玛",
    "马海龙",
    "巴桑拉毛",
    "赵志强",
    "仁增旦巴",
    "张海峰",
    "久美多杰",
    "桑丁卓玛",
]
RANKS = [r for r, _ in Officer.Rank.choices]


def demo_id_number(rng: random.Random, region: str = "632701") -> str:
    born = date(rng.randint(1978, 1996), rng.randint(1, 12), rng.randint(1, 28))
    first17 = f"{region}{born:%Y%m%d}{rng.randint(0, 999):03d}"
    return first17 + id_check_digit(first17)


def _station_for(community: Community, stations: list[PoliceStation]) -> PoliceStation:
    for station in stations:
        if community.street in station.streets.all():
            return station
    return stations[0]


@transaction.atomic
def load(*, by, seed: int = 2022) -> int:
    """Registers one demo officer per community and seats them. Returns the number of officers created."""
    if Officer.objects.filter(name__endswith=DEMO_MARK).exists():
        return 0
    rng = random.Random(seed)
    stations = list(PoliceStation.objects.prefetch_related("streets"))
    communities = list(Community.objects.select_related("street"))
    created = 0
    for index, community in enumerate(communities):
        officer = services.officer_create(
            by=by,
            data={
                "name": GIVEN_NAMES[index % len(GIVEN_NAMES)] + DEMO_MARK,
                "gender": Officer.Gender.FEMALE
                if "卓玛" in GIVEN_NAMES[index % len(GIVEN_NAMES)]
                else Officer.Gender.MALE,
                "ethnicity": Officer.Ethnicity.HAN if index % 5 == 4 else Officer.Ethnicity.TIBETAN,
                "police_number": f"{630100 + index * 7:06d}",
                "id_number": demo_id_number(rng),
                "mobile": f"139{rng.randint(0, 99_999_999):08d}",
                "work_phone": f"0976-88{index + 10:05d}"[:14],
                "station": _station_for(community, stations),
                "rank": rng.choice(RANKS[1:6]),
                "post": "社区民警",
                "party_status": Officer.PartyStatus.FULL,
                "party_member_since": date(rng.randint(2000, 2015), rng.randint(1, 12), 1),
                "bilingual": index % 3 != 2,
            },
        )
        Appointment.objects.create(
            officer=officer,
            community=community,
            status=Appointment.Status.SERVING,
            started_on=date(2022, 7, 1),
        )
        created += 1
    return created
