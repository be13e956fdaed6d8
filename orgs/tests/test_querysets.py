"""The tree queries and the visibility querysets, per role of the test world."""

import pytest
from django.contrib.auth.models import AnonymousUser

from orgs.models import Member, Organization, User

pytestmark = pytest.mark.django_db


def codes(queryset) -> set[str]:
    return set(queryset.values_list("code", flat=True))


def fresh(user) -> User:
    """The same person as a new object, so cached roles and paths are recomputed."""
    return User.objects.get(pk=user.pk)


def test_descendant_of_inclusive_and_exclusive(world, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert codes(Organization.objects.descendant_of(world.township_a)) == {"town-a", "a1", "a2"}
    assert codes(Organization.objects.descendant_of(world.township_a, inclusive=False)) == {"a1", "a2"}
    assert codes(Organization.objects.descendant_of(world.branch_a1, inclusive=False)) == set()
    assert len(codes(Organization.objects.descendant_of(world.district))) == 6


def test_ancestor_of_inclusive_and_exclusive(world, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert list(Organization.objects.ancestor_of(world.branch_a1).values_list("code", flat=True)) == [
            "district",
            "town-a",
            "a1",
        ]
    assert codes(Organization.objects.ancestor_of(world.branch_a1, inclusive=False)) == {"district", "town-a"}
    assert codes(Organization.objects.ancestor_of(world.district, inclusive=False)) == set()


def test_moving_a_subtree_keeps_descendants_paths_and_queries_right(world):
    township_a = Organization.objects.get(code="town-a")
    township_b = Organization.objects.get(code="town-b")
    Organization.objects.move(township_a, township_b, "last-child")

    moved = {o.code: o for o in Organization.objects.all()}
    for code in ("town-a", "a1", "a2"):
        assert moved[code].path.startswith(moved["town-b"].path), code
    assert moved["a1"].path.startswith(moved["town-a"].path)
    assert moved["a1"].depth == 4 and moved["town-a"].depth == 3
    assert Organization.objects.get_parent(moved["a1"]).code == "town-a"
    assert codes(Organization.objects.descendant_of(moved["town-b"])) == {"town-b", "b1", "town-a", "a1", "a2"}
    assert codes(Organization.objects.descendant_of(moved["town-a"])) == {"town-a", "a1", "a2"}
    assert list(Organization.objects.ancestor_of(moved["a1"]).values_list("code", flat=True)) == [
        "district",
        "town-b",
        "town-a",
        "a1",
    ]
    assert Organization.objects.find_problems() == ([], [], [], [], [])
    # The sibling supervisor now oversees the moved township and its branches (and their members).
    sibling = fresh(world.supervisor_sibling)
    assert {"town-a", "a1", "a2"} <= codes(Organization.objects.visible_to(sibling))
    assert Member.objects.visible_to(sibling).filter(pk=world.member.pk).exists()


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", set()),
        ("member", {"a1"}),
        ("secretary_same", {"a1"}),
        ("secretary_other", {"a2"}),
        ("supervisor_above", {"town-a", "a1", "a2"}),
        ("supervisor_sibling", {"town-b", "b1"}),
        ("admin", {"district", "town-a", "town-b", "a1", "a2", "b1"}),
    ],
)
def test_organizations_visible_to(world, role, expected):
    user = world.users[role] or AnonymousUser()
    assert codes(Organization.objects.visible_to(user)) == expected


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", set()),
        ("member", {"member"}),
        ("secretary_same", {"member", "secretary_same"}),
        ("secretary_other", {"other_member", "secretary_other"}),
        ("supervisor_above", {"member", "secretary_same", "other_member", "secretary_other"}),
        ("supervisor_sibling", {"b1_member"}),
        ("admin", {"member", "secretary_same", "other_member", "secretary_other", "b1_member"}),
    ],
)
def test_members_visible_to(world, role, expected):
    user = world.users[role] or AnonymousUser()
    assert set(Member.objects.visible_to(user).values_list("user__username", flat=True)) == expected


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", set()),
        ("member", set()),
        ("secretary_same", {"a1"}),
        ("secretary_other", {"a2"}),
        ("supervisor_above", {"town-a", "a1", "a2"}),
        ("supervisor_sibling", {"town-b", "b1"}),
    ],
)
def test_member_management_scope(world, role, expected):
    user = world.users[role] or AnonymousUser()
    assert codes(Organization.objects.member_managed_by(user)) == expected
    managed = set(Member.objects.manageable_by(user).values_list("organization__code", flat=True))
    assert managed <= expected


def test_secretary_of_a_general_branch_does_not_manage_the_branches_under_it(world):
    from orgs.models import RoleAssignment
    from tests.world import add_org, make_member

    general = add_org(world.township_b, code="gb", name="乙镇企业党总支", kind=Organization.Kind.GENERAL_BRANCH)
    under = add_org(general, code="gb-1", name="第一支部", kind=Organization.Kind.BRANCH)
    leader = make_member(general, "gb_secretary", position=Member.Position.SECRETARY)
    RoleAssignment.objects.create(user=leader.user, role="secretary", organization=general)
    assert codes(Organization.objects.member_managed_by(fresh(leader.user))) == {"gb"}
    # ...but may look at them.
    assert under.code in codes(Organization.objects.visible_to(fresh(leader.user)))
