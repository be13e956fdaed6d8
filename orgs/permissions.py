"""Small predicates about organizations and people. Each answers one question for one person."""

import rules

from .roles import roles_of


@rules.predicate
def can_view_org(user, org) -> bool:
    roles = roles_of(user)
    return roles.manages(org) or (roles.member is not None and roles.member.organization_id == org.pk)


@rules.predicate
def can_manage_members(user, org) -> bool:
    """Secretaries manage the members of their own organization; supervisors and admins of its subtree."""
    roles = roles_of(user)
    return roles.is_admin or roles.is_secretary_of(org) or roles.supervises(org)


@rules.predicate
def can_view_roster(user, org) -> bool:
    """Who sees the list of an organization's members: those who manage it, and its own members."""
    return can_view_org(user, org)


@rules.predicate
def can_import_roster(user) -> bool:
    return roles_of(user).is_admin


rules.add_perm("orgs.view_org", can_view_org)
rules.add_perm("orgs.manage_members", can_manage_members)
rules.add_perm("orgs.import_roster", can_import_roster)
rules.add_perm("orgs.view_roster", can_view_roster)
