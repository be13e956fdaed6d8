"""Property-based: for any small tree and any pledges, the roll-up agrees with a plain computation.

Each example builds its own district inside a savepoint that is rolled back afterwards.
"""

from __future__ import annotations

import datetime

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from campaign.models import Campaign, OrgSnapshot
from campaign.rollups import FIGURES, rollup_day
from notifications.tests.helpers import at
from orgs.models import Member, Organization, User
from pledges.models import Pledge, Rating

DAY = datetime.date(2026, 6, 15)
KINDS = [Organization.Kind.COMMITTEE, Organization.Kind.BRANCH, Organization.Kind.GENERAL_BRANCH]
STATUSES = [s for s, _ in Pledge.Status.choices]
CHOICES = [c for c, _ in Rating.Choice.choices]


class Rollback(Exception):
    pass


orgs_strategy = st.lists(
    st.tuples(st.integers(0, 50), st.sampled_from(KINDS), st.booleans() | st.just(True)), min_size=0, max_size=7
)
members_strategy = st.lists(st.tuples(st.integers(0, 50), st.booleans() | st.just(True)), max_size=6)
pledges_strategy = st.lists(
    st.fixed_dictionaries(
        {
            "owner": st.integers(0, 100),
            "by_member": st.booleans(),
            "status": st.sampled_from(STATUSES),
            "deadline": st.integers(-10, 10),
            "published": st.integers(-20, 3),
            "fulfilled": st.integers(-5, 3),
            "completed": st.integers(-3, 3),
            "ratings": st.lists(st.tuples(st.sampled_from(CHOICES), st.integers(-3, 2)), max_size=3),
        }
    ),
    max_size=10,
)


def build(orgs_spec, members_spec, pledges_spec):
    """Create the example; return plain-Python descriptions of what was created."""
    admin = User.objects.create(username="prop-admin")
    campaign = Campaign.objects.create(
        name="c", theme="t", starts_on=DAY - datetime.timedelta(days=60), ends_on=DAY + datetime.timedelta(days=60)
    )
    root = Organization.objects.add_root(
        create_kwargs={"code": "r", "name": "区委", "kind": Organization.Kind.DISTRICT_COMMITTEE}
    )
    orgs = [{"obj": root, "kind": root.kind, "active": True}]
    for i, (parent, kind, active) in enumerate(orgs_spec):
        parent_obj = Organization.objects.get(pk=orgs[parent % len(orgs)]["obj"].pk)
        child = Organization.objects.add_child(
            parent_obj, create_kwargs={"code": f"o{i}", "name": f"o{i}", "kind": kind, "is_active": active}
        )
        orgs.append({"obj": child, "kind": kind, "active": active})
    for org in orgs:
        org["path"] = Organization.objects.get(pk=org["obj"].pk).path
    members = []
    for i, (org_index, active) in enumerate(members_spec):
        org = orgs[org_index % len(orgs)]
        user = User.objects.create(username=f"prop-m{i}")
        obj = Member.objects.create(user=user, name=f"m{i}", organization=org["obj"], is_active=active)
        members.append({"obj": obj, "org": org, "active": active})
    pledges = []
    for i, spec in enumerate(pledges_spec):
        by_member = spec["by_member"] and members
        owner = members[spec["owner"] % len(members)] if by_member else orgs[spec["owner"] % len(orgs)]
        deadline = DAY + datetime.timedelta(days=spec["deadline"])
        public = spec["status"] in Pledge.PUBLIC_STATUSES
        published_on = DAY + datetime.timedelta(days=spec["published"])
        fulfilled_on = (
            DAY + datetime.timedelta(days=spec["fulfilled"]) if spec["status"] == Pledge.Status.FULFILLED else None
        )
        completed_on = deadline + datetime.timedelta(days=spec["completed"]) if fulfilled_on else None
        pledge = Pledge.objects.create(
            campaign=campaign,
            owner_org=None if by_member else owner["obj"],
            owner_member=owner["obj"] if by_member else None,
            title=f"p{i}",
            content="c",
            target="1 项",
            deadline=deadline,
            category=Pledge.Category.PEOPLE,
            status=spec["status"],
            created_by=admin,
            published_at=at(published_on) if public else None,
            fulfilled_at=at(fulfilled_on) if fulfilled_on else None,
            completed_on=completed_on,
        )
        ratings = []
        for j, (choice, offset) in enumerate(spec["ratings"]):
            rating = Rating.objects.create(pledge=pledge, choice=choice, browser_token=f"{i}-{j}")
            Rating.objects.filter(pk=rating.pk).update(created_at=at(DAY + datetime.timedelta(days=offset)))
            ratings.append((choice, offset))
        pledges.append(
            {
                "org": owner["org"] if by_member else owner,
                "member": owner if by_member else None,
                "public": public,
                "published_on": published_on,
                "fulfilled_on": fulfilled_on,
                "completed_on": completed_on,
                "deadline": deadline,
                "ratings": ratings,
            }
        )
    return campaign, orgs, members, pledges


def expected_figures(org, orgs, members, pledges, *, own_only=False):
    """DOMAIN.md, read literally, for the subtree of `org` on DAY (or for `org` alone)."""

    def inside(other) -> bool:
        return other["path"] == org["path"] if own_only else other["path"].startswith(org["path"])

    counted = [p for p in pledges if inside(p["org"]) and p["public"] and p["published_on"] <= DAY]
    done = [p for p in counted if p["fulfilled_on"] is not None and p["fulfilled_on"] <= DAY]
    grassroots = [o for o in orgs if inside(o) and o["active"] and o["kind"] in Organization.GRASSROOTS_KINDS]
    active_members = [m for m in members if inside(m["org"]) and m["active"]]
    ratings = [c for p in counted for c, offset in p["ratings"] if offset <= 0]
    return {
        "counted": len(counted),
        "fulfilled": len(done),
        "fulfilled_on_time": sum(1 for p in done if p["completed_on"] <= p["deadline"]),
        "overdue": sum(1 for p in counted if p not in done and p["deadline"] < DAY),
        "grassroots_total": len(grassroots),
        "grassroots_participating": sum(
            1 for o in grassroots if any(p["member"] is None and p["org"] is o for p in counted)
        ),
        "members_total": len(active_members),
        "members_participating": sum(1 for m in active_members if any(p["member"] is m for p in counted)),
        "ratings_total": len(ratings),
        "ratings_satisfied": ratings.count(Rating.Choice.SATISFIED),
        "ratings_basically_satisfied": ratings.count(Rating.Choice.BASICALLY_SATISFIED),
    }


@pytest.mark.django_db
@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(orgs_spec=orgs_strategy, members_spec=members_strategy, pledges_spec=pledges_strategy)
def test_rollup_matches_the_definitions_and_adds_up(orgs_spec, members_spec, pledges_spec):
    try:
        with transaction.atomic():
            campaign, orgs, members, pledges = build(orgs_spec, members_spec, pledges_spec)
            assert rollup_day(campaign=campaign, day=DAY) == len(orgs)
            snapshots = {s.organization_id: s for s in OrgSnapshot.objects.filter(campaign=campaign, day=DAY)}
            for org in orgs:
                snapshot = snapshots[org["obj"].pk]
                got = {name: getattr(snapshot, name) for name in FIGURES}
                assert got == expected_figures(org, orgs, members, pledges), org["path"]
                # A parent's figures are its own plus the sum over its children's subtrees.
                children = [o for o in orgs if o["path"][:-4] == org["path"]]
                own = expected_figures(org, orgs, members, pledges, own_only=True)
                for name in FIGURES:
                    assert got[name] == own[name] + sum(getattr(snapshots[c["obj"].pk], name) for c in children)
                for value in (
                    snapshot.completion_rate,
                    snapshot.on_time_rate,
                    snapshot.branch_participation,
                    snapshot.member_participation,
                    snapshot.satisfaction,
                ):
                    assert value is None or 0 <= value <= 1
                if snapshot.counted == 0:
                    assert snapshot.completion_rate is None  # shown as "—", never 0% or 100%
            raise Rollback
    except Rollback:
        pass
