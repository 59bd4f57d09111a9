"""The rights table (access.RIGHTS): a few rights × roles pinned, so that rewriting the table cannot change who
may do what unnoticed (tests/test_permissions.py checks every URL × every role on top of this)."""

import pytest

from yushu_gov.access.rights import READERS, RIGHTS
from yushu_gov.access.roles import Role


@pytest.mark.parametrize(
    ("action", "roles"),
    [
        ("community.view", READERS),
        ("officer.consent", {Role.CITY_ADMIN, Role.STREET_STAFF}),  # the street records it at 登记到任
        ("appointment.serve", {Role.STREET_STAFF, Role.CITY_ADMIN}),
        ("audit.view", {Role.AUDITOR}),
        ("account.view", {Role.SECURITY_ADMIN, Role.AUDITOR}),
        ("talk.view", READERS | {Role.OFFICER}),
        ("talk.change_closed", {Role.CITY_ADMIN}),
        ("work.create", {Role.CITY_ADMIN, Role.STREET_STAFF, Role.STATION_LEADER, Role.OFFICER}),
        ("work.change", {Role.CITY_ADMIN, Role.STREET_STAFF, Role.STATION_LEADER}),
        ("police_calls.change", {Role.CITY_ADMIN, Role.BUREAU_REVIEWER}),
        ("request.personal_data", {Role.OFFICER, Role.STREET_STAFF}),
        ("request.supervise", {Role.STREET_STAFF}),  # 督办, take over, transfer an overdue request
        ("notice.delivery", {Role.CITY_ADMIN, Role.SECURITY_ADMIN}),  # the notices' delivery page
        ("assessment.submit_report", {Role.OFFICER}),
        ("assessment.approve", {Role.BUREAU_REVIEWER}),
        ("report.view", READERS),
    ],
)
def test_who_holds_a_right(action, roles):
    assert RIGHTS[action] == frozenset(roles)


def test_every_right_is_a_frozenset_of_roles():
    assert RIGHTS, "the table is empty"
    for action, roles in RIGHTS.items():
        assert isinstance(roles, frozenset), action
        assert roles <= frozenset(Role), action


def test_the_number_of_rights():
    # Adding a right is a deliberate change: update this count together with tests/test_permissions.py.
    assert len(RIGHTS) == 49
