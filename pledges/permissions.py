"""Who may do what to a pledge. Each predicate answers one question for one person and one pledge.

Approval (审诺): a member's pledge goes to a secretary of the member's organization; an
organization's pledge goes to a secretary of its parent organization or to a supervisor whose
subtree contains the parent. Administrators may do everything.
"""

from __future__ import annotations

import rules
from django.db.models import Q
from django.utils import timezone

from orgs.models import Organization, User
from orgs.roles import roles_of

from .models import Pledge

S = Pledge.Status


def _parent_path(org: Organization) -> str:
    return org.path[: -Organization.steplen]


def is_owner(user, pledge: Pledge) -> bool:
    """The member who owns a personal pledge."""
    roles = roles_of(user)
    return pledge.owner_member_id is not None and roles.member is not None and roles.member.pk == pledge.owner_member_id


def is_owner_secretary(user, pledge: Pledge) -> bool:
    """A secretary of the organization the pledge belongs to (the owner org, or the member's org)."""
    return roles_of(user).is_secretary_of(pledge.owner_organization)


def is_approver(user, pledge: Pledge) -> bool:
    roles = roles_of(user)
    if roles.is_admin:
        return True
    if pledge.owner_member_id is not None:
        return roles.is_secretary_of(pledge.owner_member.organization) and not is_owner(user, pledge)
    # The parent's path is a prefix of the owner's: no query needed.
    parent_path = _parent_path(pledge.owner_org)
    if not parent_path:
        return False
    return any(o.path == parent_path for o in roles.secretary_of) or any(
        parent_path.startswith(o.path) for o in roles.supervisor_of
    )


def approver_q(user) -> Q:
    """Q over pledges for which `user` is the approver (see `is_approver`); matches nothing for others."""
    roles = roles_of(user)
    if roles.is_admin:
        return Q()
    query = Q(pk__in=[])
    for org in roles.secretary_of:
        query |= Q(owner_member__organization=org) & ~Q(owner_member__user=user)
        query |= Q(owner_org__path__startswith=org.path, owner_org__depth=org.depth + 1)
    for org in roles.supervisor_of:
        query |= Q(owner_org__path__startswith=org.path, owner_org__depth__gt=org.depth)
    return query


def is_any_approver(user) -> bool:
    roles = roles_of(user)
    return roles.is_admin or roles.is_secretary or roles.is_supervisor


def approvers_of(pledge: Pledge):
    """Users who approve `pledge`: those told when it is submitted or its completion claimed."""
    from orgs.models import RoleAssignment

    R = RoleAssignment.Role
    if pledge.owner_member_id is not None:
        query = Q(role=R.SECRETARY, organization=pledge.owner_member.organization_id)
        exclude_user = pledge.owner_member.user_id
    else:
        parent_path = _parent_path(pledge.owner_org)
        ancestors = [
            parent_path[:pos] for pos in range(Organization.steplen, len(parent_path) + 1, Organization.steplen)
        ]
        query = Q(role=R.SECRETARY, organization__path=parent_path) | Q(
            role=R.SUPERVISOR, organization__path__in=ancestors
        )
        exclude_user = None
    users = User.objects.filter(
        pk__in=RoleAssignment.objects.filter(query, organization__is_active=True).values("user_id"), is_active=True
    )
    if exclude_user is not None:
        users = users.exclude(pk=exclude_user)
    return users


def owner_recipients(pledge: Pledge):
    """Who hears about a decision: the member who owns it, or the secretaries of the owning organization."""
    from orgs.models import RoleAssignment

    if pledge.owner_member_id is not None:
        return User.objects.filter(pk=pledge.owner_member.user_id)
    return User.objects.filter(
        pk__in=RoleAssignment.objects.filter(
            role=RoleAssignment.Role.SECRETARY, organization=pledge.owner_org_id
        ).values("user_id"),
        is_active=True,
    )


def can_create_for(user, *, owner_org: Organization | None = None, owner_member=None) -> bool:
    """A member files for themself; a secretary files for the organization or for one of its members."""
    roles = roles_of(user)
    if roles.is_admin:
        return True
    if owner_member is not None:
        if roles.member is not None and roles.member.pk == owner_member.pk:
            return True
        return roles.is_secretary_of(owner_member.organization)
    if owner_org is not None:
        return roles.is_secretary_of(owner_org)
    return False


def can_edit(user, pledge: Pledge) -> bool:
    """Drafts and returned pledges are edited by their owner or the owner organization's secretary."""
    if pledge.status not in (S.DRAFT, S.RETURNED):
        return False
    return is_owner(user, pledge) or is_owner_secretary(user, pledge) or roles_of(user).is_admin


def can_submit(user, pledge: Pledge) -> bool:
    return can_edit(user, pledge)


def can_approve(user, pledge: Pledge) -> bool:
    return pledge.status == S.SUBMITTED and is_approver(user, pledge)


def can_add_progress(user, pledge: Pledge) -> bool:
    if pledge.status not in (S.PUBLISHED,):
        return False
    return is_owner(user, pledge) or is_owner_secretary(user, pledge)


def can_claim_completion(user, pledge: Pledge) -> bool:
    return can_add_progress(user, pledge)


def can_verify(user, pledge: Pledge) -> bool:
    return pledge.status == S.CLAIMED and is_approver(user, pledge)


def can_withdraw(user, pledge: Pledge) -> bool:
    return pledge.status == S.PUBLISHED and is_approver(user, pledge)


def needs_explanation(pledge: Pledge, on=None) -> bool:
    """Public, not fulfilled, and past its deadline or its campaign's end: 说明情况 is due."""
    day = on or timezone.localdate()
    if not pledge.is_public or pledge.status == S.FULFILLED:
        return False
    return pledge.deadline < day or pledge.campaign.ends_on < day


def can_explain(user, pledge: Pledge) -> bool:
    """A pledge not kept by the end of its campaign needs an explanation (说明情况) from its owner."""
    return needs_explanation(pledge) and (
        is_owner(user, pledge) or is_owner_secretary(user, pledge) or roles_of(user).is_admin
    )


def can_reject_completion(user, pledge: Pledge) -> bool:
    return can_verify(user, pledge)


def can_return(user, pledge: Pledge) -> bool:
    return can_approve(user, pledge)


def allowed_actions(user, pledge: Pledge) -> set[str]:
    """Names of the moves `user` may make on `pledge` now: the pledge page shows these buttons only."""
    checks = {
        "edit": can_edit,
        "submit": can_submit,
        "approve": can_approve,
        "return": can_return,
        "progress": can_add_progress,
        "claim": can_claim_completion,
        "verify": can_verify,
        "reject_completion": can_reject_completion,
        "withdraw": can_withdraw,
        "explain": can_explain,
    }
    return {name for name, check in checks.items() if check(user, pledge)}


def can_review(user, pledge: Pledge) -> bool:
    """Leader reviews (领导点评): supervisors of the subtree, or secretaries of a strict ancestor organization."""
    roles = roles_of(user)
    if roles.is_admin:
        return True
    org = pledge.owner_organization
    if roles.supervises(org):
        return True
    return any(org.path.startswith(o.path) and o.path != org.path for o in roles.secretary_of)


rules.add_perm("pledges.edit_pledge", rules.predicate(can_edit))
rules.add_perm("pledges.approve_pledge", rules.predicate(can_approve))
rules.add_perm("pledges.add_progress", rules.predicate(can_add_progress))
rules.add_perm("pledges.verify_pledge", rules.predicate(can_verify))
rules.add_perm("pledges.withdraw_pledge", rules.predicate(can_withdraw))
rules.add_perm("pledges.review_pledge", rules.predicate(can_review))
