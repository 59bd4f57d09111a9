"""The reference data of DOMAIN.md §2, and the roles' groups, loaded idempotently.

Names come from public lists of about 2014. The 16th urban community and the two relocation communities
are not confirmed by any public source: they are seeded as editable records flagged 名称待核实, with
placeholder names that say so, never an invented name presented as real. The police stations' names are
not confirmed either and carry the same flag.
"""

from django.contrib.auth.models import Group, Permission
from django.db import transaction

from yushu_gov.roles import GROUP_NAMES, Role

from .models import Community, PoliceStation, Street

STREETS = [
    ("结古街道", ["新建路社区", "红卫路社区", "民主路社区", "扎西南路社区"]),
    ("西杭街道", ["西杭社区", "胜利路社区", "扎西大通社区"]),
    ("扎西科街道", ["德尼格社区", "德秀格社区", "扎西科社区", "西同社区"]),
    ("新寨街道", ["新寨社区", "琼龙社区", "当代社区", "代莫社区"]),
]

# (placeholder name, street, kind, note) — to be confirmed by an administrator.
UNCONFIRMED_COMMUNITIES = [
    (
        "第16个城市社区（名称待核实）",
        "结古街道",
        Community.Kind.URBAN,
        "公开资料未能确认第16个城市社区的名称及所属街道。",
    ),
    (
        "移民搬迁社区一（名称待核实）",
        "新寨街道",
        Community.Kind.RELOCATION,
        "公开报道提及新寨街道日益格易地扶贫搬迁小区，可能为两个移民搬迁社区之一。",
    ),
    (
        "移民搬迁社区二（名称待核实）",
        "新寨街道",
        Community.Kind.RELOCATION,
        "公开资料未能确认名称及所属街道。",
    ),
]

# One station per street, named after the street's area; no public list confirms the names.
STATIONS = [
    ("结古派出所", ["结古街道"]),
    ("西杭派出所", ["西杭街道"]),
    ("扎西科派出所", ["扎西科街道"]),
    ("新寨派出所", ["新寨街道"]),
]

# The Django model permissions each role's group holds in the admin site. City administrators manage
# everything but the audit log; the other roles work through the application's own pages.
ADMIN_APPS = ("communities", "officers", "assessments")


@transaction.atomic
def load_reference_data() -> dict:
    """Creates what is missing and leaves what an administrator has edited alone. Returns counts of new rows."""
    created = {"streets": 0, "communities": 0, "stations": 0, "groups": 0}
    streets = {}
    for order, (street_name, community_names) in enumerate(STREETS, start=1):
        street, new = Street.objects.get_or_create(
            name=street_name, defaults={"committee_name": f"{street_name}党工委", "sort_order": order}
        )
        streets[street_name] = street
        created["streets"] += new
        for position, name in enumerate(community_names, start=1):
            _, new = Community.objects.get_or_create(
                name=name, defaults={"street": street, "sort_order": position, "kind": Community.Kind.URBAN}
            )
            created["communities"] += new
    for position, (name, street_name, kind, note) in enumerate(UNCONFIRMED_COMMUNITIES, start=90):
        _, new = Community.objects.get_or_create(
            name=name,
            defaults={
                "street": streets[street_name],
                "kind": kind,
                "name_confirmed": False,
                "note": note,
                "sort_order": position,
            },
        )
        created["communities"] += new
    for order, (name, street_names) in enumerate(STATIONS, start=1):
        station, new = PoliceStation.objects.get_or_create(
            name=name, defaults={"name_confirmed": False, "sort_order": order}
        )
        if new:
            station.streets.set([streets[s] for s in street_names])
        created["stations"] += new
    created["groups"] = setup_role_groups()
    return created


def setup_role_groups() -> int:
    """One group per role; the city administrators' group holds the admin site's model permissions."""
    new_groups = 0
    for role, name in GROUP_NAMES.items():
        group, new = Group.objects.get_or_create(name=name)
        new_groups += new
        if role == Role.CITY_ADMIN:
            perms = (
                Permission.objects.filter(content_type__app_label__in=ADMIN_APPS)
                | Permission.objects.filter(content_type__app_label="yushu_gov", content_type__model="user")
                | Permission.objects.filter(content_type__app_label="auth", content_type__model="group")
            )
            group.permissions.add(*perms)
    return new_groups
