"""The demo accounts listed in the README, all with the password Yushu@2023."""

from django.contrib.auth.models import Group

from communities.models import Area, PoliceStation, Street
from yushu_gov.access.roles import GROUP_NAMES, Role
from yushu_gov.models import User

from . import DEMO_PROVINCE

DEMO_PASSWORD = "Yushu@2023"

ACCOUNTS = [
    # username, full name, role, area code, street, station, is_staff (admin site)
    ("admin", "市委组织部管理员（演示）", Role.CITY_ADMIN, "yushu", None, None, True),
    ("prefecture", "州委组织部管理员（演示）", Role.CITY_ADMIN, "yushuzhou", None, None, True),
    ("chenduo", "称多县委组织部管理员（演示）", Role.CITY_ADMIN, "chenduo", None, None, True),
    ("jiegu", "结古街道党工委工作人员（演示）", Role.STREET_STAFF, None, "结古街道", None, False),
    ("xihang", "西杭街道党工委工作人员（演示）", Role.STREET_STAFF, None, "西杭街道", None, False),
    ("bureau", "市公安局政治处审核人员（演示）", Role.BUREAU_REVIEWER, "yushu", None, None, False),
    ("station", "结古派出所负责人（演示）", Role.STATION_LEADER, None, None, "结古派出所", False),
    ("auditor", "审计管理员（演示）", Role.AUDITOR, None, None, None, True),
    # The police deputy secretary of 红卫路社区: bound to his officer record once the demo officers exist
    # (assessments/demo/resident_requests.py).
    ("officer", "红卫路社区民警副书记（演示）", Role.OFFICER, None, None, None, False),
    ("security", "安全管理员（演示）", Role.SECURITY_ADMIN, None, None, None, True),
]

# The province-scale data set's levels above the prefecture (assessments/demo/scale.py): their areas exist only there.
SCALE_ACCOUNTS = [
    ("province", "省委组织部管理员（演示）", Role.CITY_ADMIN, DEMO_PROVINCE, None, None, True),
]


def create_demo_accounts(*, accounts=ACCOUNTS) -> dict[str, User]:
    """Creates the accounts that are missing; an existing account (and its password) is left as it is."""
    users = {}
    for username, full_name, role, area, street, station, is_staff in accounts:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(
                username=username,
                full_name=full_name,
                is_staff=is_staff,
                area=Area.objects.get(code=area) if area else None,
                street=Street.objects.get(name=street) if street else None,
                station=PoliceStation.objects.get(name=station) if station else None,
            )
            user.set_password(DEMO_PASSWORD)
            user.save()
            user.groups.add(Group.objects.get(name=GROUP_NAMES[role]))
        users[username] = user
    return users
