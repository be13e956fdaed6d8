"""Who may inspect, report closure of a rectification item, and accept or reopen it."""

from __future__ import annotations

from orgs.roles import roles_of

from .models import RectificationItem

S = RectificationItem.Status


def can_inspect(user, org) -> bool:
    """Supervisors of the subtree containing `org` (and administrators) record inspections of it."""
    return roles_of(user).supervises(org)


def can_report_closure(user, item: RectificationItem) -> bool:
    """The responsible organization's secretary reports closure of an open item."""
    roles = roles_of(user)
    return item.status == S.OPEN and (roles.is_admin or roles.is_secretary_of(item.owner_org))


def can_decide(user, item: RectificationItem) -> bool:
    """The inspector who recorded the inspection, or a supervisor of the inspected organization,
    accepts or reopens a reported closure."""
    if item.status != S.REPORTED:
        return False
    return item.inspection.recorded_by_id == user.pk or roles_of(user).supervises(item.inspection.organization)
