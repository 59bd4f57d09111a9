"""The organisation tree arrives on a populated database with every row kept: the streets and stations of the
one city hang on 玉树市 under 玉树藏族自治州, and the city's administrators and bureau reviewers are bound to it
(what they saw before, they see after)."""

import pytest

from tests.migrating import latest, migrate_to

BEFORE = [("communities", "0006_delete_monthlysummary"), ("yushu_gov", "0010_notices")]


@pytest.mark.django_db(transaction=True)
def test_the_city_hangs_in_the_tree_with_every_row_kept():
    old = migrate_to(BEFORE)
    try:
        Street = old.get_model("communities", "Street")
        Community = old.get_model("communities", "Community")
        Station = old.get_model("communities", "PoliceStation")
        User = old.get_model("yushu_gov", "User")
        Group = old.get_model("auth", "Group")
        before = {
            "streets": Street.objects.count(),
            "communities": Community.objects.count(),
            "stations": Station.objects.count(),
        }
        street = Street.objects.create(code="mig-street", name="迁移测试街道", sort_order=99)
        Community.objects.create(code="mig-community", name="迁移测试社区", street=street, sort_order=99)
        Station.objects.create(code="mig-station", name="迁移测试派出所", sort_order=99)
        admin = User.objects.create(username="mig_admin")
        admin.groups.add(Group.objects.get_or_create(name="市级管理员")[0])
        reviewer = User.objects.create(username="mig_bureau")
        reviewer.groups.add(Group.objects.get_or_create(name="公安局审核人员")[0])
        clerk = User.objects.create(username="mig_clerk", street=street)
        clerk.groups.add(Group.objects.get_or_create(name="街道工作人员")[0])
    finally:
        new = migrate_to(latest())
    Area = new.get_model("communities", "Area")
    Street = new.get_model("communities", "Street")
    Community = new.get_model("communities", "Community")
    Station = new.get_model("communities", "PoliceStation")
    User = new.get_model("yushu_gov", "User")
    assert Street.objects.count() == before["streets"] + 1
    assert Community.objects.count() == before["communities"] + 1
    assert Station.objects.count() == before["stations"] + 1
    prefecture = Area.objects.get(code="yushuzhou")
    city = Area.objects.get(code="yushu")
    assert (prefecture.parent_id, prefecture.depth, prefecture.path) == (None, 0, f"{prefecture.pk}.")
    assert (city.parent_id, city.depth, city.path) == (prefecture.pk, 1, f"{prefecture.pk}.{city.pk}.")
    # Every street and station of the one city now hangs on it; nothing was left without an area.
    assert not Street.objects.exclude(area=city).exists() and not Station.objects.exclude(area=city).exists()
    assert Street.objects.get(code="mig-street").name == "迁移测试街道"
    # The administrators and reviewers see the city, as they did; street staff stay bound to their street.
    assert User.objects.get(username="mig_admin").area_id == city.pk
    assert User.objects.get(username="mig_bureau").area_id == city.pk
    clerk = User.objects.get(username="mig_clerk")
    assert clerk.area_id is None and clerk.street_id == Street.objects.get(code="mig-street").pk
