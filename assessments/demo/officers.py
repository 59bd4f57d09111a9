"""Demo data for the officer register: fictional officers, clearly marked （演示）, one serving in every
community, with Tibetan names for the Tibetan officers and the communities (tibetan.py). Deterministic (a
fixed random seed), and loaded only once; the Tibetan names are added to a data set loaded before them."""

import random
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from communities.models import BranchMember, Community, PoliceStation
from officers import services
from officers.models import Officer, QualificationStandard
from yushu_gov.input.validators import id_check_digit

from . import DEMO_AREA, DEMO_MARK
from .tibetan import COMMUNITIES as COMMUNITY_NAMES_BO
from .tibetan import officer_name_bo

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
def load(*, by, staff: dict | None = None, seed: int = 2022) -> int:
    """Registers one demo officer per community and appoints each through the whole procedure (the street
    clerks of `staff`, keyed by street code, nominate and review; `by` reports, decides and files).
    Returns the number of officers seated."""
    staff = staff or {}
    if Officer.objects.filter(name__endswith=DEMO_MARK).exists():
        # Demo officers of an earlier release, loaded before consent was recorded: they consent now.
        for officer in Officer.objects.filter(name__endswith=DEMO_MARK, directory_consent_at__isnull=True):
            if officer.appointments.serving().exists():
                services.officer_consent_set(officer=officer, by=by, given=True, note="演示数据：书面同意书已存档")
        return 0
    rng = random.Random(seed)
    stations = list(PoliceStation.objects.filter(area__code=DEMO_AREA).prefetch_related("streets"))
    communities = list(Community.objects.filter(street__area__code=DEMO_AREA).select_related("street"))
    created = 0
    for index, community in enumerate(communities):
        officer = services.officer_create(
            by=by,
            data={
                "name": GIVEN_NAMES[index % len(GIVEN_NAMES)] + DEMO_MARK,
                "name_bo": officer_name_bo(GIVEN_NAMES[index % len(GIVEN_NAMES)]),
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
        # PIPL: the demo officers have agreed to appear in the public directory.
        services.officer_consent_set(officer=officer, by=by, given=True, note="演示数据：书面同意书已存档")
        _appoint(officer, community, by=by, staff=staff)
        created += 1
    _extra_histories(by=by, staff=staff, rng=rng, stations=stations)
    _branch_members(rng)
    return created


def _appoint(officer, community, *, by, staff: dict, document_no: str = "玉市组〔2022〕12号"):
    """The whole procedure of DOMAIN.md §4.1 through the services, as it happened in 2022."""
    clerk = staff.get(community.street.code, by)
    appointment = services.appointment_nominate(
        officer=officer,
        community=community,
        by=clerk,
        on_date=date(2022, 5, 10),
        reference=f"{community.street.committee}会议、{officer.station.name}党支部会议",
        note="政治觉悟高、综合素养强、群众口碑好。",
    )
    standards = QualificationStandard.objects.filter(active=True)
    services.appointment_review(
        appointment=appointment,
        by=clerk,
        on_date=date(2022, 5, 18),
        reference="查阅人事档案、征求派出所党支部意见",
        results={s.pk: (True, "经审查，符合") for s in standards},
    )
    services.appointment_report(
        appointment=appointment,
        by=by,
        on_date=date(2022, 5, 25),
        reference=f"关于提名{officer.name}同志兼任{community.name}党支部副书记的请示",
    )
    services.appointment_decide(appointment=appointment, by=by, on_date=date(2022, 6, 8), meeting="市委组织部部务会")
    services.appointment_file(appointment=appointment, by=by, on_date=date(2022, 6, 15), document_no=document_no)
    return services.appointment_serve(
        appointment=appointment,
        by=clerk,
        meeting_on=date(2022, 7, 1),
        announced_on=date(2022, 7, 1),
        letter_issued_on=date(2022, 7, 1),
        oath_on=date(2022, 7, 1),
        note="街道党工委召开任命大会，颁发任命书，组织宣誓表态。",
    )


def _extra_histories(*, by, staff, rng, stations):
    """A nomination returned by the city and one still in progress, so the workflow's other paths show."""
    community = Community.objects.get(code="xinjianlu")
    spare = services.officer_create(
        by=by,
        data={
            "name": "洛松扎西" + DEMO_MARK,
            "name_bo": officer_name_bo("洛松扎西"),
            "gender": Officer.Gender.MALE,
            "ethnicity": Officer.Ethnicity.TIBETAN,
            "police_number": "630301",
            "id_number": demo_id_number(rng),
            "mobile": f"139{rng.randint(0, 99_999_999):08d}",
            "work_phone": "0976-8823301",
            "station": _station_for(community, stations),
            "rank": Officer.Rank.SERGEANT_2,
            "post": "社区民警",
            "party_status": Officer.PartyStatus.FULL,
            "party_member_since": date(2016, 7, 1),
            "bilingual": True,
        },
    )
    clerk = staff.get("jiegu", by)
    returned = services.appointment_nominate(
        officer=spare, community=community, by=clerk, on_date=date(2024, 3, 4), reference="街道党工委会议"
    )
    services.appointment_return(
        appointment=returned, by=by, reason="拟作轮岗交流储备人选，暂缓推荐，待现任任期届满后再议。"
    )
    services.appointment_nominate(
        officer=spare,
        community=community,
        by=clerk,
        on_date=max(date(2024, 4, 1), timezone.localdate() - timedelta(days=26)),
        reference="街道党工委会议、结古派出所党支部会议",
        note="现任副书记拟轮岗交流，提前推荐接任人选。",
    )


BRANCH_NAMES = ["才让", "卓玛", "多杰", "拉毛", "尼玛", "索南", "旦增", "永措", "更求", "白玛"]
BRANCH_POSTS = [
    (BranchMember.Post.SECRETARY, "全面工作"),
    (BranchMember.Post.DEPUTY, "组织、宣传"),
    (BranchMember.Post.MEMBER, "纪检"),
    (BranchMember.Post.MEMBER, "青年、妇女"),
]


def _branch_members(rng):
    """Each branch committee: a secretary, a deputy secretary and two members (the seat holder is not one)."""
    members = []
    for community in Community.objects.filter(street__area__code=DEMO_AREA):
        names = rng.sample(BRANCH_NAMES, len(BRANCH_POSTS))
        for order, (name, (post, duties)) in enumerate(zip(names, BRANCH_POSTS, strict=True)):
            members.append(
                BranchMember(community=community, name=name + DEMO_MARK, post=post, duties=duties, sort_order=order)
            )
    BranchMember.objects.bulk_create(members)


@transaction.atomic
def add_tibetan_names(*, by) -> int:
    """Gives the demo officers and the communities their Tibetan names where they have none (a data set loaded
    before the names existed; an administrator's own names are kept). Returns how many were added."""
    added = 0
    for officer in Officer.objects.filter(name__endswith=DEMO_MARK, name_bo=""):
        name_bo = officer_name_bo(officer.name)
        if name_bo:
            services.officer_update(officer=officer, by=by, data={"name_bo": name_bo})
            added += 1
    for code, name_bo in COMMUNITY_NAMES_BO.items():
        added += Community.objects.filter(code=code, name_bo="").update(name_bo=name_bo)
    return added
