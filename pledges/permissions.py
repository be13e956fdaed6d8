"""Who may do what to a pledge. Each predicate answers one question for one person and one pledge.

Approval (审诺): a member's pledge goes to a secretary of the member's organization; an
organization's pledge goes to a secretary of its parent organization or to a supervisor whose
subtree contains the parent. Administrators may do everything.
"""

from __future__ import annotations

import rules

from orgs.roles import roles_of

from .models import Pledge

S = Pledge.Status


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
    parent = pledge.owner_org.get_parent()
    if parent is None:
        return False
    return roles.is_secretary_of(parent) or roles.supervises(parent)


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


def can_explain(user, pledge: Pledge) -> bool:
    """A pledge not kept by the end of its campaign needs an explanation (说明情况) from its owner."""
    return pledge.is_public and pledge.status != S.FULFILLED and (
        is_owner(user, pledge) or is_owner_secretary(user, pledge)
    )


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
