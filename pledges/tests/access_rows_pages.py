"""Access-matrix rows for the lifecycle pages and moves (pledges/views/pages.py and actions.py).

Pledges are made inside `args` from the test world: a member's pledge belongs to `member` (branch a1,
secretary_same's branch); an organization pledge belongs to branch a1 (approved by supervisor_above).
Another branch's secretary and the sibling township's supervisor get 404; people who may see a
pledge but not make the move get 403.
"""

import datetime

from django.utils import timezone

from tests.access import BAD_METHOD, FORBIDDEN, NOT_FOUND, OK, REDIRECT, Row, logged_in


def _pledge(world, *, owner="member", trait=None, **fields):
    from pledges.tests.factories import PledgeFactory

    owner_kw = {"owner_member": world.member} if owner == "member" else {"owner_org": world.branch_a1}
    if trait:
        fields[trait] = True
    return PledgeFactory(campaign=world.campaign, **owner_kw, **fields).pk


def draft(world):
    return [_pledge(world)]


def submitted(world):
    return [_pledge(world, trait="submitted")]


def submitted_org(world):
    return [_pledge(world, owner="org", trait="submitted")]


def published(world):
    return [_pledge(world, trait="published")]


def claimed(world):
    return [_pledge(world, trait="claimed")]


def overdue(world):
    return [_pledge(world, trait="published", deadline=timezone.localdate() - datetime.timedelta(days=2))]


def other_branch_draft(world):
    from pledges.tests.factories import PledgeFactory

    return [PledgeFactory(campaign=world.campaign, owner_member=world.other_member).pk]


def reason(world):
    return {"reason": "请写明具体户数"}


NO_MEMBER = dict(supervisor_above=FORBIDDEN, supervisor_sibling=FORBIDDEN, admin=FORBIDDEN)
SECRETARIES_ONLY = dict(member=FORBIDDEN, supervisor_above=FORBIDDEN, supervisor_sibling=FORBIDDEN, admin=FORBIDDEN)
OUTSIDERS = dict(secretary_other=NOT_FOUND, supervisor_sibling=NOT_FOUND)

# The member's own pledge as seen by each role: which of them may make the move (REDIRECT) or not (403).
MEMBER_DECIDES_NOT = dict(member=FORBIDDEN, supervisor_above=FORBIDDEN, **OUTSIDERS)

ROWS = [
    Row("pledges:my_pledges", logged_in(OK, **NO_MEMBER)),
    Row("pledges:branch_home", logged_in(OK, **SECRETARIES_ONLY)),
    Row(
        "pledges:branch_home",
        logged_in(NOT_FOUND, secretary_same=OK, admin=OK),
        query="org=a1",
        label="org-a1",
    ),
    Row("pledges:create", logged_in(OK, **NO_MEMBER)),
    Row("pledges:bulk_create", logged_in(OK, **SECRETARIES_ONLY)),
    Row("pledges:bulk_create", logged_in(NOT_FOUND, secretary_same=OK, admin=OK), query="org=a1", label="org-a1"),
    Row("pledges:approvals", logged_in(OK, member=FORBIDDEN)),
    Row("pledges:verifications", logged_in(OK, member=FORBIDDEN)),
    Row("pledges:search", logged_in(OK, member=FORBIDDEN)),
    Row(
        "pledges:search",
        logged_in(NOT_FOUND, supervisor_above=OK, admin=OK, member=FORBIDDEN),
        query="org=town-a",
        label="org-town-a",
    ),
    Row("pledges:detail", logged_in(OK, **OUTSIDERS), args=draft),
    Row(
        "pledges:detail",
        logged_in(OK, member=NOT_FOUND, secretary_same=NOT_FOUND, supervisor_sibling=NOT_FOUND),
        args=other_branch_draft,
        label="other-branch",
    ),
    Row("pledges:edit", logged_in(OK, supervisor_above=FORBIDDEN, **OUTSIDERS), args=draft),
    Row(
        "pledges:edit",
        logged_in(FORBIDDEN, **OUTSIDERS),
        args=published,
        label="published",
    ),
    Row(
        "pledges:submit",
        logged_in(REDIRECT, supervisor_above=FORBIDDEN, **OUTSIDERS),
        args=draft,
        method="post",
    ),
    Row("pledges:submit", logged_in(BAD_METHOD), args=draft, label="get"),
    Row("pledges:approve", logged_in(REDIRECT, **MEMBER_DECIDES_NOT), args=submitted, method="post"),
    Row(
        "pledges:approve",
        logged_in(REDIRECT, member=NOT_FOUND, secretary_same=FORBIDDEN, **OUTSIDERS),
        args=submitted_org,
        method="post",
        label="org",
    ),
    Row("pledges:approve", logged_in(BAD_METHOD), args=submitted, label="get"),
    Row("pledges:return", logged_in(OK, **MEMBER_DECIDES_NOT), args=submitted),
    Row("pledges:return", logged_in(REDIRECT, **MEMBER_DECIDES_NOT), args=submitted, method="post", data=reason),
    Row(
        "pledges:claim",
        logged_in(REDIRECT, supervisor_above=FORBIDDEN, admin=FORBIDDEN, **OUTSIDERS),
        args=published,
        method="post",
        data=lambda w: {"reason": "已完成 3 户走访"},
    ),
    Row("pledges:claim", logged_in(OK, supervisor_above=FORBIDDEN, admin=FORBIDDEN, **OUTSIDERS), args=published),
    Row("pledges:verify", logged_in(REDIRECT, **MEMBER_DECIDES_NOT), args=claimed, method="post"),
    Row("pledges:verify", logged_in(BAD_METHOD), args=claimed, label="get"),
    Row(
        "pledges:reject_completion",
        logged_in(REDIRECT, **MEMBER_DECIDES_NOT),
        args=claimed,
        method="post",
        data=reason,
    ),
    Row("pledges:withdraw", logged_in(REDIRECT, **MEMBER_DECIDES_NOT), args=published, method="post", data=reason),
    Row("pledges:withdraw", logged_in(OK, **MEMBER_DECIDES_NOT), args=published),
    Row(
        "pledges:explain",
        logged_in(REDIRECT, supervisor_above=FORBIDDEN, **OUTSIDERS),
        args=overdue,
        method="post",
        data=lambda w: {"reason": "资金未到位，推迟完成"},
    ),
    Row(
        "pledges:explain",
        logged_in(FORBIDDEN, **OUTSIDERS),
        args=published,
        label="not-overdue",
    ),
]
