"""The reference data of DOMAIN.md §2, and the roles' groups, loaded idempotently.

Names come from public lists of about 2014. The 16th urban community and the two relocation communities
are not confirmed by any public source: they are seeded as editable records flagged 名称待核实, with
placeholder names that say so, never an invented name presented as real. The police stations' names are
not confirmed either and carry the same flag.
"""

from django.contrib.auth.models import Group, Permission
from django.db import transaction

from yushu_gov.access.roles import GROUP_NAMES, Role

from .models import Area, Community, PoliceStation, Street
from .services import area_create

# The organisation tree above the streets: 玉树州, its city and its five counties (the programme began as the
# prefecture's pilot; Yushu City was the first to select its officers). The counties' towns, communities and
# stations are not listed by any public source we hold: each county gets one placeholder of each, flagged
# 名称待核实, for an administrator to rename and confirm.
PREFECTURE = ("yushuzhou", "玉树藏族自治州", "玉树州公安局")
CITY = ("yushu", "玉树市", "玉树市公安局")
COUNTIES = [
    ("chenduo", "称多县"),
    ("nangqian", "囊谦县"),
    ("zaduo", "杂多县"),
    ("zhiduo", "治多县"),
    ("qumalai", "曲麻莱县"),
]

# (code, name, [(code, community name), ...]). Codes are stable keys: administrators may rename records.
STREETS = [
    (
        "jiegu",
        "结古街道",
        [
            ("xinjianlu", "新建路社区"),
            ("hongweilu", "红卫路社区"),
            ("minzhulu", "民主路社区"),
            ("zhaxinanlu", "扎西南路社区"),
        ],
    ),
    ("xihang", "西杭街道", [("xihang", "西杭社区"), ("shenglilu", "胜利路社区"), ("zhaxidatong", "扎西大通社区")]),
    (
        "zhaxike",
        "扎西科街道",
        [("denige", "德尼格社区"), ("dexiuge", "德秀格社区"), ("zhaxike", "扎西科社区"), ("xitong", "西同社区")],
    ),
    (
        "xinzhai",
        "新寨街道",
        [("xinzhai", "新寨社区"), ("qionglong", "琼龙社区"), ("dangdai", "当代社区"), ("daimo", "代莫社区")],
    ),
]

# (code, placeholder name, street code, kind, note) — to be confirmed by an administrator.
UNCONFIRMED_COMMUNITIES = [
    (
        "urban-16",
        "第16个城市社区（名称待核实）",
        "jiegu",
        Community.Kind.URBAN,
        "公开资料未能确认第16个城市社区的名称及所属街道。",
    ),
    (
        "relocation-1",
        "移民搬迁社区一（名称待核实）",
        "xinzhai",
        Community.Kind.RELOCATION,
        "公开报道提及新寨街道日益格易地扶贫搬迁小区，可能为两个移民搬迁社区之一。",
    ),
    (
        "relocation-2",
        "移民搬迁社区二（名称待核实）",
        "xinzhai",
        Community.Kind.RELOCATION,
        "公开资料未能确认名称及所属街道。",
    ),
]

# One station per street, named after the street's area; no public list confirms the names.
STATIONS = [
    ("jiegu", "结古派出所", ["jiegu"]),
    ("xihang", "西杭派出所", ["xihang"]),
    ("zhaxike", "扎西科派出所", ["zhaxike"]),
    ("xinzhai", "新寨派出所", ["xinzhai"]),
]

# The Django model permissions each role's group holds in the admin site. The system administrator (city
# administrator) manages the programme's data there; accounts are the security administrator's and the audit
# log the auditor's, and their admin pages check the role itself (yushu_gov/web/admin.py). The other roles work
# through the application's own pages.
ADMIN_APPS = ("communities", "officers", "talks", "ledger", "resident_requests", "assessments")


@transaction.atomic
def load_reference_data() -> dict:
    """Creates what is missing and leaves what an administrator has edited alone. Returns counts of new rows."""
    created = {"areas": 0, "streets": 0, "communities": 0, "stations": 0, "groups": 0}
    prefecture, city, counties = _areas(created)
    streets = {}
    for order, (street_code, street_name, communities) in enumerate(STREETS, start=1):
        street, new = Street.objects.get_or_create(
            code=street_code,
            defaults={
                "name": street_name, "committee_name": f"{street_name}党工委", "sort_order": order, "area": city,
            },
        )  # fmt: skip
        streets[street_code] = street
        created["streets"] += new
        for position, (code, name) in enumerate(communities, start=1):
            _, new = Community.objects.get_or_create(
                code=code,
                defaults={"name": name, "street": street, "sort_order": position, "kind": Community.Kind.URBAN},
            )
            created["communities"] += new
    for position, (code, name, street_code, kind, note) in enumerate(UNCONFIRMED_COMMUNITIES, start=90):
        _, new = Community.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "street": streets[street_code],
                "kind": kind,
                "name_confirmed": False,
                "note": note,
                "sort_order": position,
            },
        )
        created["communities"] += new
    for order, (code, name, street_codes) in enumerate(STATIONS, start=1):
        station, new = PoliceStation.objects.get_or_create(
            code=code, defaults={"name": name, "name_confirmed": False, "sort_order": order, "area": city}
        )
        if new:
            station.streets.set([streets[c] for c in street_codes])
        created["stations"] += new
    for order, county in enumerate(counties, start=1):
        _county_placeholders(county, order, created)
    created["groups"] = setup_role_groups()
    return created


def _area(code, name, kind, parent, order, created, **fields) -> Area:
    area = Area.objects.filter(code=code).first()
    if area is None:
        area = area_create(code=code, name=name, kind=kind, parent=parent, sort_order=order, **fields)
        created["areas"] += 1
    return area


def _areas(created):
    code, name, bureau = PREFECTURE
    prefecture = _area(code, name, Area.Kind.PREFECTURE, None, 0, created, bureau_name=bureau)
    code, name, bureau = CITY
    city = _area(code, name, Area.Kind.CITY, prefecture, 1, created, bureau_name=bureau)
    counties = [
        _area(code, name, Area.Kind.COUNTY, prefecture, order, created, bureau_name=f"{name}公安局")
        for order, (code, name) in enumerate(COUNTIES, start=2)
    ]
    return prefecture, city, counties


def _county_placeholders(county: Area, order: int, created: dict) -> None:
    """One town, one community and one police station of a county, each flagged 名称待核实."""
    town, new = Street.objects.get_or_create(
        code=f"{county.code}-town-1",
        defaults={
            "name": f"{county.name}乡镇一（名称待核实）", "committee_name": f"{county.name}乡镇一党委",
            "kind": Street.Kind.TOWN, "name_confirmed": False, "area": county, "sort_order": 100 + order,
        },
    )  # fmt: skip
    created["streets"] += new
    _, new = Community.objects.get_or_create(
        code=f"{county.code}-community-1",
        defaults={
            "name": f"{county.name}社区一（名称待核实）", "street": town, "name_confirmed": False,
            "note": "公开资料未能确认该县的乡镇、社区名称，待管理员核实后修改。", "sort_order": 1,
        },
    )  # fmt: skip
    created["communities"] += new
    station, new = PoliceStation.objects.get_or_create(
        code=f"{county.code}-station-1",
        defaults={
            "name": f"{county.name}派出所一（名称待核实）", "name_confirmed": False, "area": county,
            "sort_order": 100 + order,
        },
    )  # fmt: skip
    if new:
        station.streets.set([town])
    created["stations"] += new


def setup_role_groups() -> int:
    """One group per role, each holding exactly its admin-site permissions (stale ones are removed: the
    system administrator no longer holds the accounts' and groups' permissions)."""
    new_groups = 0
    for role, name in GROUP_NAMES.items():
        group, new = Group.objects.get_or_create(name=name)
        new_groups += new
        perms = (
            Permission.objects.filter(content_type__app_label__in=ADMIN_APPS)
            # the forms saved by their idempotency keys: read only (yushu_gov/input/idempotency.py)
            | Permission.objects.filter(content_type__app_label="yushu_gov", codename="view_formsubmission")
            if role == Role.CITY_ADMIN
            else []
        )
        group.permissions.set(perms)
    return new_groups
