"""area_move: a subtree hung under another parent, its paths and depths rewritten in one statement, and a move
under the area's own subtree refused."""

import pytest
from django.core.exceptions import ValidationError

from communities.models import Area, Community, Street
from communities.services import area_create, area_move
from yushu_gov.audit.models import AuditEntry


def assert_tree_holds():
    for area in Area.objects.select_related("parent"):
        parent = area.parent
        assert area.path == f"{parent.path if parent else ''}{area.pk}.", area
        assert area.depth == (parent.depth + 1 if parent else 0), area


def test_the_prefecture_moves_under_a_province_with_its_whole_subtree(reference, django_assert_num_queries):
    prefecture, city, chenduo = reference["prefecture"], reference["city"], reference["chenduo"]
    province = area_create(code="province", name="省", kind=Area.Kind.PROVINCE)
    # Lock the area, read the parent, rewrite the subtree, set the parent, read the area back; two savepoints
    # (the service's, inside the test's transaction, and the one that turns a taken name into a message); and
    # and the five roll-ups keyed by area shifted from the old ancestors to the new ones (here each reads the
    # prefecture's keys and finds none: the reference data has no figures yet; tests/communities/test_rollups.py
    # moves an area with figures).
    with django_assert_num_queries(5 + 4 + 5):
        moved = area_move(area=prefecture, new_parent=province)
    assert (moved.parent, moved.depth, moved.path) == (province, 1, f"{province.pk}.{prefecture.pk}.")
    city.refresh_from_db()
    assert (city.depth, city.path, city.ancestor_ids) == (2, f"{moved.path}{city.pk}.", [province.pk, prefecture.pk])
    assert_tree_holds()
    # Everything under the province is one prefix match, the streets and communities included.
    assert Area.objects.under(province).count() == 1 + 1 + 1 + 5
    assert Community.objects.filter(street__in=Street.objects.under(province)).count() == 18 + 5
    chenduo.refresh_from_db()  # (the fixture's copy holds the old path)
    assert Street.objects.under(chenduo).count() == 1
    assert not AuditEntry.objects.filter(action="communities.area.moved").exists()  # nobody's act


def test_only_the_prefix_is_rewritten(reference, city_admin):
    """A path whose later part repeats the old path ("1.5." inside "1.5.21.5.") keeps that part."""
    root = area_create(code="r", name="根", kind=Area.Kind.PROVINCE)
    other = area_create(code="o", name="另一根", kind=Area.Kind.PROVINCE)
    chain = [root]
    for number in range(12):  # deep enough for an id to repeat the root's digits inside the path
        chain.append(area_create(code=f"c{number}", name=f"第{number}", kind=Area.Kind.COUNTY, parent=chain[-1]))
    old = {a.pk: a.path for a in Area.objects.under(root)}
    area_move(area=root, new_parent=other, by=city_admin)
    for area in Area.objects.under(other).exclude(pk=other.pk):
        assert area.path == other.path + old[area.pk]
    assert_tree_holds()
    entry = AuditEntry.objects.get(action="communities.area.moved")
    assert entry.actor == city_admin and entry.object_id == str(root.pk)


def test_a_move_back_to_the_root(reference):
    province = area_create(code="province", name="省", kind=Area.Kind.PROVINCE)
    area_move(area=reference["prefecture"], new_parent=province)
    moved = area_move(area=reference["prefecture"], new_parent=None)
    assert (moved.parent, moved.depth, moved.path) == (None, 0, f"{moved.pk}.")
    assert_tree_holds()


@pytest.mark.parametrize("target", ["prefecture", "city"])
def test_a_move_under_its_own_subtree_is_refused(reference, target):
    prefecture = reference["prefecture"]
    before = dict(Area.objects.values_list("pk", "path"))
    with pytest.raises(ValidationError, match="下级之下"):
        area_move(area=prefecture, new_parent=reference[target])
    assert dict(Area.objects.values_list("pk", "path")) == before


def test_a_name_taken_under_the_new_parent_is_refused(reference):
    area_create(code="chenduo-2", name="称多县", kind=Area.Kind.COUNTY, parent=reference["city"])
    with pytest.raises(ValidationError, match="同名"):
        area_move(area=reference["chenduo"], new_parent=reference["city"])
    reference["chenduo"].refresh_from_db()
    assert reference["chenduo"].parent == reference["prefecture"]
