"""Who may review an organization's work and who may moderate public comments.

Reviewing one pledge is `pledges.permissions.can_review`; the rules here follow the same shape.
"""

from __future__ import annotations

from orgs.roles import roles_of

from .permissions import is_owner


def can_review_org(user, org) -> bool:
    """A review of an organization's campaign work as a whole (领导点评): supervisors of its subtree,
    or secretaries of a strict ancestor organization."""
    roles = roles_of(user)
    if roles.is_admin or roles.supervises(org):
        return True
    return any(org.path.startswith(o.path) and o.path != org.path for o in roles.secretary_of)


def moderated_org_ids(user) -> list[int]:
    """Organizations whose board comments this person moderates: those they are secretary of."""
    return [org.pk for org in roles_of(user).secretary_of]


def can_moderate(user, rating) -> bool:
    """A secretary moderates the comments on their own organization's board (the pledges of the
    organization and of its members), never those on a pledge of their own. Administrators may
    moderate any comment except on their own pledge."""
    pledge = rating.pledge
    if is_owner(user, pledge):
        return False
    roles = roles_of(user)
    return roles.is_admin or roles.is_secretary_of(pledge.owner_organization)


def can_moderate_anything(user) -> bool:
    roles = roles_of(user)
    return roles.is_admin or roles.is_secretary
