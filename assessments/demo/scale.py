"""The province-scale data set for the benchmark (`manage.py load_scale_data --scale N`). It builds a tree: a
province of 8 prefectures, about 45 counties and 500 communities at scale 1, and ten times that at scale 10 —
the prefectures too (80: every level scales, so a prefecture stays the size of a real one). The fictional
province 高原省（演示） becomes the root and the reference data's 玉树藏族自治州 (its city, five counties, streets
and communities) moves under it (communities.services.area_move); 7 fictional prefectures (8 × N − 1) hold the
new cities and counties (45 × N with 玉树州's six, the first of each prefecture a city of streets, the others
counties of towns), each with its bureau and one police station; the new communities (500 × N with the
reference data's 23) spread evenly over the new counties, in streets or towns of at most 15. At tiny scales
(the test's 0.005) the tree is the reference data's under the province, and at least one new county whenever
communities are added. At scale 1 also 2,000 officers (500 serving, one per seat, each on a station of his
community's city or county), 120,000 talks, 500,000 work records, 24,000 police-call figures, 2,000
assessments and 20,000 residents' requests; N times each at scale N. Fictional and marked （演示） where
people and the province are named, deterministic (a fixed seed), consistent with every database constraint,
and written in bulk: COPY on PostgreSQL for the big tables, bulk_create elsewhere (the areas level by level,
their paths written once their ids are known; the encrypted ID and mobile numbers go through their field, so
they decrypt). The demo accounts include the province's administrator `province`.

The records hang on the seats as the services would have them: every talk, work record and request of a
community falls in the term of the officer serving it, which started before the data's window of 48 months;
the ended terms lie before it. Nothing is written to the audit log (it records what people did).
"""

import calendar
import random
import time
from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime, timedelta
from decimal import Decimal
from itertools import islice

from django.db import connection, models, transaction
from django.utils import timezone

from assessments.models import AnnualAssessment, AssessmentScheme, DutyReport, Grade, QuarterGrade
from communities.models import (
    PATH_SEPARATOR,
    Area,
    BranchMember,
    Community,
    PoliceCallCount,
    PoliceStation,
    Street,
)
from communities.reference import PREFECTURE
from communities.services import area_create, area_move
from officers.ledger.models import WorkRecord
from officers.models import Appointment, AppointmentStep, Officer, QualificationCheck, QualificationStandard
from officers.resident_requests.models import SECRET_ALPHABET, Category, RequestStep, ResidentRequest
from officers.resident_requests.tracking import SECRET_LENGTH
from officers.talks.models import MonthlyTalk
from yushu_gov.input.pinyin import pinyin_key
from yushu_gov.models import User

from . import DEMO_MARK, DEMO_PROVINCE
from .ledger import SUMMARIES
from .officers import BRANCH_NAMES, BRANCH_POSTS, GIVEN_NAMES, RANKS, demo_id_number
from .talks import CONTENT, FOLLOW_UP, PLACES, VIEWS

# Per unit of scale.
PER_SCALE = {
    "communities": 500,
    "officers": 2_000,
    "talks": 120_000,
    "work_records": 500_000,
    "police_calls": 24_000,
    "assessments": 2_000,
    "resident_requests": 20_000,
}
COMMUNITIES_PER_STREET = 15
# The tree per unit of scale (玉树州 and its city and five counties included): 8 prefectures, 45 cities and counties.
PREFECTURES_PER_SCALE = 8
COUNTY_AREAS_PER_SCALE = 45
PROVINCE_NAME = "高原省（演示）"
PROVINCE_BUREAU = "高原省公安厅（演示）"
MONTHS = 48  # the window of talks, work records and requests (ending this month) and of call figures (last month)
SEED = 2011
BATCH = 5_000

# Street and community names: syllables of place names, put together (fictional, and unique by their number).
STREET_WORDS = [
    "格萨尔",
    "扎曲",
    "通天河",
    "巴塘",
    "隆宝",
    "安冲",
    "上拉秀",
    "下拉秀",
    "哈秀",
    "仲达",
    "小苏莽",
    "称多",
]
PREFECTURE_WORDS = ["雪山", "草原", "河源", "星海", "云岭", "金滩", "青湖", "白塔", "红崖", "黑河", "长风", "玉带"]
COMMUNITY_WORDS = ["团结", "幸福", "和平", "胜利", "吉祥", "文成", "红旗", "康乐", "向阳", "长江", "雪域", "草原"]
TALKER_NAMES = ["才旦卓玛", "王德胜", "旦增尼玛", "索南才让", "刘建华", "更尕多杰", "拉毛措", "扎西才仁", "陈志刚"]
TALKER_ROLES = [r.value for r in MonthlyTalk.TalkerRole]
TOPICS = list(MonthlyTalk.TOPICS)
# Work-record kinds, weighted as the demo's plan has them (visits and patrols most often).
KINDS = [
    (WorkRecord.Kind.VISIT, 30),
    (WorkRecord.Kind.PATROL, 20),
    (WorkRecord.Kind.DIFFICULTY, 10),
    (WorkRecord.Kind.DISPUTE, 10),
    (WorkRecord.Kind.HAZARD, 8),
    (WorkRecord.Kind.PUBLICITY, 8),
    (WorkRecord.Kind.POVERTY_WATCH, 6),
    (WorkRecord.Kind.CASE, 4),
    (WorkRecord.Kind.AID, 4),
]
QUARTERS = [QuarterGrade.GOOD, QuarterGrade.GOOD, QuarterGrade.FAIRLY_GOOD, QuarterGrade.AVERAGE, QuarterGrade.POOR]
REPLIES = ["已协调社区网格员上门处理，问题已解决。", "已联系相关部门，限期整改完毕。", "已调解双方达成一致。"]
DESCRIPTIONS = {
    Category.SECURITY: "小区夜间有陌生人徘徊，希望加强巡逻。",
    Category.DISPUTE: "与邻居因停车位发生争执，请求调解。",
    Category.HARDSHIP: "家中老人行动不便，希望帮助办理医保报销。",
    Category.FACILITY: "小区路灯损坏，夜间出行不便。",
    Category.OTHER: "咨询社区警务室办公时间。",
}


def targets(scale: float) -> dict[str, int]:
    return {name: max(1, round(per * scale)) for name, per in PER_SCALE.items()}


def load(*, scale: float, log: Callable[[str], None] = print, today: date | None = None) -> dict[str, int]:
    """Builds the data set on a database that has the reference data and no officers yet. Returns the row
    count of each table written."""
    started = time.monotonic()

    def step(message: str) -> None:
        log(f"[{time.monotonic() - started:7.1f} s] {message}")

    builder = _Builder(scale=scale, today=today or timezone.localdate(), step=step)
    with transaction.atomic():
        builder.places()
        builder.people()
        builder.assessments()
    # The big tables, each in its own transaction (a COPY of millions of rows is one statement anyway).
    with transaction.atomic():
        builder.talks()
    with transaction.atomic():
        builder.work_records()
    with transaction.atomic():
        builder.police_calls()
    with transaction.atomic():
        builder.resident_requests()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    step("done")
    return counts()


def counts() -> dict[str, int]:
    return {
        "areas": Area.objects.count(),
        "streets": Street.objects.count(),
        "communities": Community.objects.count(),
        "stations": PoliceStation.objects.count(),
        "officers": Officer.objects.count(),
        "serving": Appointment.objects.serving().count(),
        "appointments": Appointment.objects.count(),
        "talks": MonthlyTalk.objects.count(),
        "work_records": WorkRecord.objects.count(),
        "police_calls": PoliceCallCount.objects.count(),
        "assessments": AnnualAssessment.objects.count(),
        "resident_requests": ResidentRequest.objects.count(),
    }


def _months_back(year: int, month: int, count: int) -> list[tuple[int, int]]:
    """`count` months ending with (year, month), oldest first."""
    index = year * 12 + month - 1
    return [(i // 12, i % 12 + 1) for i in range(index - count + 1, index + 1)]


def _chunks(rows: Iterable, size: int) -> Iterator[list]:
    iterator = iter(rows)
    while chunk := list(islice(iterator, size)):
        yield chunk


def bulk_insert(model, fields: list[str], rows: Iterable[tuple]) -> int:
    """Inserts the rows (tuples of the fields' Python values, in order) without returning ids: COPY on
    PostgreSQL, bulk_create elsewhere. Returns the number of rows."""
    # Every other column takes its field's default (COPY, unlike the ORM, would leave it NULL).
    others = [
        field
        for field in model._meta.concrete_fields
        if not field.primary_key and field.name not in fields and field.db_default is models.NOT_PROVIDED
    ]
    if others:
        defaults = tuple(field.get_default() for field in others)
        fields = [*fields, *(field.name for field in others)]
        rows = (row + defaults for row in rows)
    written = 0
    if connection.vendor == "postgresql":
        columns = ", ".join(connection.ops.quote_name(model._meta.get_field(name).column) for name in fields)
        table = connection.ops.quote_name(model._meta.db_table)
        with connection.cursor() as cursor, cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
                written += 1
        return written
    attnames = [model._meta.get_field(name).attname for name in fields]
    for chunk in _chunks(rows, BATCH):
        model.objects.bulk_create([model(**dict(zip(attnames, row, strict=True))) for row in chunk])
        written += len(chunk)
    return written


class _Builder:
    def __init__(self, *, scale: float, today: date, step: Callable[[str], None]):
        self.scale = scale
        self.today = today
        self.step = step
        self.target = targets(scale)
        self.rng = random.Random(SEED)
        self.tz = timezone.get_current_timezone()
        self.now = timezone.now()
        # The last day with records (yesterday: nothing is recorded ahead of time) and the window's months.
        self.last_day = today - timedelta(days=1)
        self.months = _months_back(self.last_day.year, self.last_day.month, MONTHS)
        self.window_start = date(self.months[0][0], self.months[0][1], 1)
        self.letter_serials: dict[int, int] = {}

    # -- places: streets, communities, stations, branch committees ------------------------------------------

    def places(self):
        from . import accounts

        if Officer.objects.exists():
            raise RuntimeError("the database has officers already: load the scale data on an empty database")
        province = self._province()
        self.users = accounts.create_demo_accounts(accounts=[*accounts.ACCOUNTS, *accounts.SCALE_ACCOUNTS])
        self.admin = self.users["admin"]
        missing = max(0, self.target["communities"] - Community.objects.count())
        county_areas = [Area.Kind.CITY, Area.Kind.COUNTY]
        n_counties = max(
            round(COUNTY_AREAS_PER_SCALE * self.scale) - Area.objects.filter(kind__in=county_areas).count(),
            1 if missing else 0,
        )
        n_prefectures = min(
            n_counties,
            max(
                round(PREFECTURES_PER_SCALE * self.scale) - Area.objects.filter(kind=Area.Kind.PREFECTURE).count(),
                1 if n_counties else 0,
            ),
        )
        prefectures = self._add_areas(
            [
                Area(
                    code=f"scale-prefecture-{number:02d}",
                    name=f"{PREFECTURE_WORDS[number % len(PREFECTURE_WORDS)]}{number:02d}州",
                    kind=Area.Kind.PREFECTURE,
                    bureau_name=f"{PREFECTURE_WORDS[number % len(PREFECTURE_WORDS)]}{number:02d}州公安局",
                    parent=province,
                    sort_order=number,
                )
                for number in range(1, n_prefectures + 1)
            ]
        )
        counties = []
        for index in range(n_counties):
            prefecture = prefectures[index * n_prefectures // n_counties]
            # The first of each prefecture is its seat, a city of streets; the others counties of towns.
            seat = not counties or counties[-1].parent is not prefecture
            number = index + 1
            name = f"{STREET_WORDS[(number * 5) % len(STREET_WORDS)]}{number:03d}{'市' if seat else '县'}"
            counties.append(
                Area(
                    code=f"scale-county-{number:03d}",
                    name=name,
                    kind=Area.Kind.CITY if seat else Area.Kind.COUNTY,
                    parent=prefecture,
                    bureau_name=f"{name}公安局",
                    sort_order=number,
                )
            )
        counties = self._add_areas(counties)
        # The communities spread evenly over the new counties, in streets or towns of at most 15.
        base_order = (Street.objects.order_by("-sort_order").values_list("sort_order", flat=True).first() or 0) + 1
        new_streets, sizes = [], []
        for index, county in enumerate(counties):
            share = missing // n_counties + (index < missing % n_counties)
            for part in range(-(-share // COMMUNITIES_PER_STREET)):
                number = len(new_streets) + 1
                kind = Street.Kind.STREET if county.kind == Area.Kind.CITY else Street.Kind.TOWN
                name = self._street_name(number, kind)
                new_streets.append(
                    Street(
                        area=county,
                        kind=kind,
                        code=f"scale-{number:04d}",
                        name=name,
                        committee_name=f"{name}{'党工委' if kind == Street.Kind.STREET else '党委'}",
                        sort_order=base_order + number,
                    )
                )
                sizes.append(min(COMMUNITIES_PER_STREET, share - part * COMMUNITIES_PER_STREET))
        Street.objects.bulk_create(new_streets)
        streets = list(Street.objects.filter(code__startswith="scale-").order_by("sort_order"))
        communities = []
        for street, size in zip(streets, sizes, strict=True):
            stem = street.name.removesuffix("街道").removesuffix("镇")
            for position in range(1, size + 1):
                word = COMMUNITY_WORDS[(len(communities) * 7) % len(COMMUNITY_WORDS)]
                name = f"{stem}{word}{position}号社区"
                communities.append(
                    Community(
                        code=f"{street.code}-{position:02d}",
                        name=name,
                        name_pinyin=pinyin_key(name),
                        street=street,
                        kind=Community.Kind.URBAN if position % 6 else Community.Kind.RELOCATION,
                        sort_order=position,
                    )
                )
        Community.objects.bulk_create(communities, batch_size=BATCH)
        # One station per new city or county, serving its streets or towns.
        station_order = PoliceStation.objects.count() + 1
        PoliceStation.objects.bulk_create(
            [
                PoliceStation(
                    area=county,
                    code=f"{county.code}-station",
                    name=f"{county.name}城关派出所",
                    name_confirmed=False,
                    sort_order=station_order + i,
                    phone=f"0976-8{i:06d}"[:14],
                )
                for i, county in enumerate(counties)
            ]
        )
        station_of_area = {s.area_id: s for s in PoliceStation.objects.filter(code__startswith="scale-county-")}
        PoliceStation.streets.through.objects.bulk_create(
            [
                PoliceStation.streets.through(policestation_id=station_of_area[street.area_id].pk, street_id=street.pk)
                for street in streets
            ]
        )
        self.communities = list(Community.objects.select_related("street").order_by("pk"))
        # An officer belongs to a station of his community's street (in its city or county).
        self.station_of_street = {}
        for station in PoliceStation.objects.prefetch_related("streets").order_by("pk"):
            for street in station.streets.all():
                self.station_of_street.setdefault(street.pk, station)
        self.fallback_station = PoliceStation.objects.order_by("pk").first()
        members = []
        for community in self.communities:
            names = self.rng.sample(BRANCH_NAMES, len(BRANCH_POSTS))
            for order, (name, (post, duties)) in enumerate(zip(names, BRANCH_POSTS, strict=True)):
                members.append(
                    BranchMember(community=community, name=name + DEMO_MARK, post=post, duties=duties, sort_order=order)
                )
        BranchMember.objects.bulk_create(members, batch_size=BATCH)
        self.step(
            f"{len(prefectures)} prefectures and {len(counties)} cities and counties under {province.name}, "
            f"{len(streets)} streets and towns, {len(communities)} communities and their stations added"
        )

    @staticmethod
    def _province() -> Area:
        """The fictional province, with the reference data's prefecture (and all below it) moved under it."""
        province = Area.objects.filter(code=DEMO_PROVINCE).first() or area_create(
            code=DEMO_PROVINCE, name=PROVINCE_NAME, kind=Area.Kind.PROVINCE, bureau_name=PROVINCE_BUREAU
        )
        prefecture = Area.objects.get(code=PREFECTURE[0])
        if prefecture.parent_id != province.pk:
            area_move(area=prefecture, new_parent=province)
        return province

    @staticmethod
    def _add_areas(areas: list[Area]) -> list[Area]:
        """Writes one level of the tree in two statements: the rows (a placeholder path each: the path needs
        the id), then their paths. Returns them read back, in the order given."""
        for area in areas:
            area.depth = area.parent.depth + 1
            area.path = f"new-{area.code}"
        Area.objects.bulk_create(areas)
        parents = {area.parent_id: area.parent for area in areas}
        written = {a.code: a for a in Area.objects.filter(code__in=[area.code for area in areas])}
        for area in written.values():
            area.parent = parents[area.parent_id]
            area.path = f"{area.parent.path}{area.pk}{PATH_SEPARATOR}"
        Area.objects.bulk_update(written.values(), ["path"], batch_size=BATCH)
        return [written[area.code] for area in areas]

    @staticmethod
    def _street_name(number: int, kind: str = Street.Kind.STREET) -> str:
        word = STREET_WORDS[number % len(STREET_WORDS)]
        return f"{word}{number:03d}{'街道' if kind == Street.Kind.STREET else '镇'}"

    # -- people: officers, seats, their steps and reviews ----------------------------------------------------

    def people(self):
        rng = self.rng
        communities = self.communities
        n_officers = max(self.target["officers"], len(communities) * 2)
        consent_at = datetime(2022, 7, 1, 9, 0, tzinfo=self.tz)
        seen_ids: set[str] = set()
        officers = []
        for index in range(n_officers):
            # The first len(communities) officers serve, officer i in community i.
            community = communities[index % len(communities)]
            station = self.station_of_street.get(community.street_id, self.fallback_station)
            given = GIVEN_NAMES[index % len(GIVEN_NAMES)]
            id_number = demo_id_number(rng)
            while id_number in seen_ids:
                id_number = demo_id_number(rng)
            seen_ids.add(id_number)
            name = given + DEMO_MARK
            serving = index < len(communities)
            officers.append(
                Officer(
                    name=name,
                    name_pinyin=pinyin_key(name),
                    gender=Officer.Gender.FEMALE if ("卓玛" in given or "旺姆" in given) else Officer.Gender.MALE,
                    ethnicity=Officer.Ethnicity.HAN if index % 5 == 4 else Officer.Ethnicity.TIBETAN,
                    police_number=f"S{index + 1:07d}",
                    id_number=id_number,
                    mobile=f"139{rng.randint(0, 99_999_999):08d}",
                    work_phone=f"0976-7{index:06d}"[:14],
                    station=station,
                    rank=rng.choice(RANKS[1:6]),
                    post="社区民警",
                    party_status=Officer.PartyStatus.FULL,
                    party_member_since=date(rng.randint(2000, 2015), rng.randint(1, 12), 1),
                    bilingual=index % 3 != 2,
                    directory_consent_at=consent_at if serving else None,
                    directory_consent_by=self.admin if serving else None,
                )
            )
        Officer.objects.bulk_create(officers, batch_size=2_000)
        officers = list(Officer.objects.order_by("pk"))
        self.step(f"{len(officers)} officers registered")

        # Seats: one serving officer per community, started before the window; the next len(communities)
        # officers (as many as there are) held an ended term in the same community before; a few nominations.
        appointments = []
        self.serving_officer: dict[int, int] = {}
        for index, community in enumerate(communities):
            officer = officers[index]
            started = self.window_start - timedelta(days=rng.randint(20, 400))
            appointments.append(self._seat(officer, community, started=started, ended=None))
            self.serving_officer[community.pk] = officer.pk
            previous = len(communities) + index
            if previous < len(officers) and index % 2 == 0:
                # Every other community had an earlier seat holder, who moved on.
                appointments.append(
                    self._seat(
                        officers[previous],
                        community,
                        started=started - timedelta(days=rng.randint(700, 1400)),
                        ended=started - timedelta(days=1),
                    )
                )
        spare = officers[2 * len(communities) :]
        nominated = 0
        for index, community in enumerate(communities[::50]):
            if index < len(spare):
                appointments.append(
                    Appointment(
                        officer=spare[index],
                        community=community,
                        status=Appointment.Status.NOMINATED,
                        nominated_on=self.last_day - timedelta(days=rng.randint(1, 20)),
                        nomination_note="现任副书记拟轮岗交流，提前推荐接任人选。",
                    )
                )
                nominated += 1
        Appointment.objects.bulk_create(appointments, batch_size=BATCH)
        held = list(Appointment.objects.filter(status__in=("serving", "ended")).order_by("pk"))
        standards = list(QualificationStandard.objects.filter(active=True))
        steps, checks = [], []
        for appointment in held:
            nominated_on = appointment.nominated_on
            dates = {
                "nominated": nominated_on,
                "reviewed": nominated_on + timedelta(days=8),
                "reported": appointment.reported_on,
                "decided": appointment.decided_on,
                "filed": appointment.filed_on,
                "serving": appointment.started_on,
            }
            if appointment.status == Appointment.Status.ENDED:
                dates["ended"] = appointment.ended_on
            for status, on_date in dates.items():
                steps.append(
                    AppointmentStep(
                        appointment=appointment, status=status, actor=self.admin, on_date=on_date, reference="（演示）"
                    )
                )
            for standard in standards:
                checks.append(
                    QualificationCheck(
                        appointment=appointment,
                        standard=standard,
                        met=True,
                        note="经审查，符合",
                        reviewed_by=self.admin,
                    )
                )
        AppointmentStep.objects.bulk_create(steps, batch_size=BATCH)
        QualificationCheck.objects.bulk_create(checks, batch_size=BATCH)
        # The demo account `officer` is the police deputy secretary of 红卫路社区 (or of the first community).
        own = next((c for c in communities if c.code == "hongweilu"), communities[0])
        User.objects.filter(username="officer", officer__isnull=True).update(officer_id=self.serving_officer[own.pk])
        self.step(f"{len(held)} seats held ({len(communities)} serving), {nominated} nominations open")

    def _seat(self, officer, community, *, started: date, ended: date | None) -> Appointment:
        year = started.year
        self.letter_serials[year] = serial = self.letter_serials.get(year, 0) + 1
        nominated_on = started - timedelta(days=52)
        return Appointment(
            officer=officer,
            community=community,
            status=Appointment.Status.ENDED if ended else Appointment.Status.SERVING,
            nominated_on=nominated_on,
            nomination_note="政治觉悟高、综合素养强、群众口碑好。",
            reported_on=nominated_on + timedelta(days=15),
            decided_on=nominated_on + timedelta(days=29),
            decision_meeting="市委组织部部务会",
            document_no=f"玉市组〔{year}〕{serial % 90 + 10}号",
            filed_on=nominated_on + timedelta(days=36),
            letter_year=year,
            letter_serial=serial,
            meeting_on=started,
            announced_on=started,
            letter_issued_on=started,
            oath_on=started,
            started_on=started,
            ended_on=ended,
            end_reason=Appointment.EndReason.ROTATION if ended else "",
            closing_note="轮岗交流。" if ended else "",
        )

    # -- the year-end assessments --------------------------------------------------------------------------

    def assessments(self):
        rng = self.rng
        bureau = self.users["bureau"]
        this_year = self.today.year
        years = [this_year - offset for offset in range(4)]  # this year open, the three before filed
        pairs = [(year, community) for community in self.communities for year in years][: self.target["assessments"]]
        for year in {year for year, _ in pairs}:
            AssessmentScheme.objects.get_or_create(year=year)
        scheme = AssessmentScheme(year=0)  # the defaults, which every year here has
        rows = []
        for year, community in pairs:
            assessment = AnnualAssessment(
                officer_id=self.serving_officer[community.pk], year=year, community=community, version=1
            )
            if year < this_year:
                perf = Decimal(rng.randint(55, 98))
                business = Decimal(rng.randint(55, 98))
                weighted = ((perf * scheme.performance_weight + business * scheme.business_weight) / 100).quantize(
                    Decimal("0.01")
                )
                quarters = [rng.choice(QUARTERS) for _ in range(4)]
                assessment.performance_score, assessment.business_score = perf, business
                assessment.quarter1, assessment.quarter2, assessment.quarter3, assessment.quarter4 = quarters
                assessment.weighted_score = weighted
                assessment.grade = scheme.grade_for(weighted)
                assessment.commendation_eligible = (
                    assessment.grade == Grade.EXCELLENT and QuarterGrade.POOR not in quarters
                )
                assessment.status = AnnualAssessment.Status.COMBINED  # filed below, once its reports are in
                assessment.combined_at = datetime(year + 1, 1, 20, 10, 0, tzinfo=self.tz)
            rows.append(assessment)
        AnnualAssessment.objects.bulk_create(rows, batch_size=BATCH)
        created = list(AnnualAssessment.objects.filter(year__in=years).order_by("pk"))
        reports = []
        for assessment in created:
            for body in DutyReport.Body:
                if assessment.year < this_year:
                    grade = assessment.grade if rng.random() < 0.7 else Grade.COMPETENT
                    reports.append(
                        DutyReport(
                            assessment=assessment,
                            body=body,
                            held_on=date(assessment.year + 1, 1, 10 if body == DutyReport.Body.BUREAU else 12),
                            text=f"{assessment.year}年度兼任社区党支部副书记述职报告（演示）。",
                            evaluation=grade,
                        )
                    )
                else:
                    reports.append(DutyReport(assessment=assessment, body=body))
        DutyReport.objects.bulk_create(reports, batch_size=BATCH)
        # Filing locks a result (triggers on update and on its reports): the reports first, then the status.
        for year in years[1:]:
            AnnualAssessment.objects.filter(year=year, status=AnnualAssessment.Status.COMBINED).update(
                status=AnnualAssessment.Status.FILED,
                filed_at=datetime(year + 1, 1, 25, 10, 0, tzinfo=self.tz),
                filed_by=bureau,
            )
        self.step(f"{len(created)} assessments, {len(reports)} duty reports")

    # -- the big tables ------------------------------------------------------------------------------------

    def _day_in(self, year: int, month: int) -> date:
        last = calendar.monthrange(year, month)[1]
        if (year, month) == (self.last_day.year, self.last_day.month):
            last = self.last_day.day
        return date(year, month, self.rng.randint(1, last))

    def _clerk_ids(self) -> list[int]:
        return [self.admin.pk, self.users["jiegu"].pk, self.users["xihang"].pk]

    def talks(self):
        rng, tz = self.rng, self.tz
        communities, months = self.communities, self.months
        clerks = self._clerk_ids()
        fields = [
            "officer", "community", "held_at", "place", "talker_name", "talker_role", *TOPICS, "other_topic",
            "content", "officer_views", "follow_up", "recorded_by", "created_at", "updated_at",
        ]  # fmt: skip

        def rows():
            for index in range(self.target["talks"]):
                community = communities[index % len(communities)]
                year, month = months[(index // len(communities)) % len(months)]
                day = self._day_in(year, month)
                held_at = datetime(day.year, day.month, day.day, rng.randint(9, 17), rng.choice((0, 30)), tzinfo=tz)
                topics = [rng.random() < 0.5 for _ in TOPICS[:-1]]
                other = not any(topics)
                yield (
                    self.serving_officer[community.pk],
                    community.pk,
                    held_at,
                    rng.choice(PLACES),
                    rng.choice(TALKER_NAMES) + DEMO_MARK,
                    rng.choice(TALKER_ROLES),
                    *topics,
                    other,
                    "民族团结" if other else "",
                    rng.choice(CONTENT) + DEMO_MARK,
                    rng.choice(VIEWS),
                    rng.choice(FOLLOW_UP),
                    rng.choice(clerks),
                    held_at,
                    held_at,
                )

        written = bulk_insert(MonthlyTalk, fields, rows())
        self.step(f"{written} talks")

    def work_records(self):
        rng, tz = self.rng, self.tz
        communities, months = self.communities, self.months
        clerks = self._clerk_ids()
        kinds = [kind for kind, _ in KINDS]
        weights = [weight for _, weight in KINDS]
        outcomes = [o.value for o in WorkRecord.Outcome]
        severities = [s.value for s in WorkRecord.Severity]
        fields = [
            "kind", "occurred_on", "community", "officer", "summary", "people_reached", "households_reached",
            "value_recovered", "severity", "outcome", "case_number", "aid_amount", "status", "created_by",
            "created_at", "updated_at",
        ]  # fmt: skip

        def rows():
            n_months = len(months)
            for index in range(self.target["work_records"]):
                community = communities[rng.randrange(len(communities))]
                year, month = months[index * n_months // self.target["work_records"]]
                day = self._day_in(year, month)
                kind = rng.choices(kinds, weights)[0]
                status = WorkRecord.Status.IN_PROGRESS if rng.random() < 0.05 else WorkRecord.Status.DONE
                dispute = kind == WorkRecord.Kind.DISPUTE
                created = datetime(day.year, day.month, day.day, 18, 0, tzinfo=tz)
                yield (
                    kind,
                    day,
                    community.pk,
                    self.serving_officer[community.pk],
                    rng.choice(SUMMARIES[kind]) + DEMO_MARK,
                    rng.randint(1, 40),
                    rng.randint(1, 12) if kind == WorkRecord.Kind.VISIT else None,
                    Decimal(rng.randint(1, 50) * 100) if kind == WorkRecord.Kind.CASE and rng.random() < 0.3 else None,
                    rng.choice(severities) if dispute else "",
                    rng.choice(outcomes) if dispute and status == WorkRecord.Status.DONE else "",
                    f"632701{year}{month:02d}{index % 1_000_000:06d}" if kind == WorkRecord.Kind.CASE else "",
                    Decimal(rng.choice([200, 300, 500, 800, 1000])) if kind == WorkRecord.Kind.AID else None,
                    status,
                    rng.choice(clerks),
                    created,
                    created,
                )

        written = bulk_insert(WorkRecord, fields, rows())
        self.step(f"{written} work records")

    def police_calls(self):
        rng, tz = self.rng, self.tz
        communities = self.communities
        # Complete months only (the bureau's figures come after a month ends), as many as the target needs.
        count = max(1, min(MONTHS, round(self.target["police_calls"] / len(communities))))
        first_of_month = self.today.replace(day=1) - timedelta(days=1)
        months = _months_back(first_of_month.year, first_of_month.month, count)
        fields = ["community", "year", "month", "count", "updated_by", "updated_at"]
        stamp = datetime(first_of_month.year, first_of_month.month, 1, 12, 0, tzinfo=tz)

        def rows():
            for community in communities:
                base = rng.randint(2, 30)
                for year, month in months:
                    yield (community.pk, year, month, max(0, base + rng.randint(-5, 5)), self.admin.pk, stamp)

        written = bulk_insert(PoliceCallCount, fields, rows())
        self.step(f"{written} police-call figures ({count} months)")

    def resident_requests(self):
        rng, tz = self.rng, self.tz
        communities, months = self.communities, self.months
        total = self.target["resident_requests"]
        categories = list(DESCRIPTIONS)
        serials: dict[int, int] = {}
        fields = [
            "year", "serial", "secret", "community", "officer", "category", "description", "location", "status",
            "submitted_at", "respond_by", "resolve_by", "responded_at", "accepted_at", "resolved_at", "reply",
            "rating", "closed_at", "updated_at",
        ]  # fmt: skip
        recent = self.now - timedelta(days=20)

        def rows():
            for index in range(total):
                community = communities[rng.randrange(len(communities))]
                year, month = months[index * len(months) // total]
                day = self._day_in(year, month)
                submitted = datetime(day.year, day.month, day.day, rng.randint(8, 21), rng.randint(0, 59), tzinfo=tz)
                serials[day.year] = serial = serials.get(day.year, 0) + 1
                category = rng.choice(categories)
                roll = rng.random()
                if submitted > recent:  # the last 20 days: still open
                    status = ResidentRequest.Status.SUBMITTED if roll < 0.4 else ResidentRequest.Status.HANDLING
                elif roll < 0.15:
                    status = ResidentRequest.Status.RESOLVED
                else:
                    status = ResidentRequest.Status.CLOSED
                responded = min(submitted + timedelta(hours=rng.randint(1, 20)), self.now)
                resolved = submitted + timedelta(days=rng.randint(1, 6))
                done = status in ResidentRequest.DONE
                closed = status == ResidentRequest.Status.CLOSED
                yield (
                    day.year,
                    serial,
                    "".join(rng.choice(SECRET_ALPHABET) for _ in range(SECRET_LENGTH)),
                    community.pk,
                    self.serving_officer[community.pk],
                    category,
                    DESCRIPTIONS[category] + DEMO_MARK,
                    "",
                    status,
                    submitted,
                    submitted + timedelta(hours=24),
                    submitted + timedelta(days=7),
                    responded if status != ResidentRequest.Status.SUBMITTED else None,
                    responded if status != ResidentRequest.Status.SUBMITTED else None,
                    resolved if done else None,
                    rng.choice(REPLIES) if done else "",
                    rng.choice(["satisfied", "satisfied", "basic", "unsatisfied"]) if closed else "",
                    resolved + timedelta(days=1) if closed else None,
                    resolved if done else submitted,
                )

        written = bulk_insert(ResidentRequest, fields, rows())
        # Each request's first step (the resident's submission). Read back whole: a COPY holds the connection,
        # so it cannot stream from a cursor on the same connection.
        step_rows = [
            (pk, RequestStep.Kind.SUBMITTED, submitted_at, None, "", community_id)
            for pk, submitted_at, community_id in ResidentRequest.objects.values_list(
                "pk", "submitted_at", "community_id"
            )
        ]
        steps = bulk_insert(RequestStep, ["request", "kind", "at", "actor", "note", "to_community"], step_rows)
        self.step(f"{written} residents' requests, {steps} steps")
