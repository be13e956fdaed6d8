"""Who may read which evaluation sheet, and the units a sheet ranks."""

from __future__ import annotations

from django.db.models import Q

from campaign.models import Campaign
from orgs.models import Member, Organization
from orgs.querysets import path_prefix_q
from orgs.roles import roles_of


def assessable_orgs(user):
    """Organizations whose sheets a person may read: supervisors their subtrees, secretaries their
    own organization and what lies under it, administrators all. Members read only their own sheet."""
    if not user.is_authenticated:
        return Organization.objects.none()
    roles = roles_of(user)
    if roles.is_admin:
        return Organization.objects.all()
    return Organization.objects.filter(path_prefix_q("path", roles.managed_paths))


def assessable_members(user):
    """Members whose sheets a person may read: those in the organizations above, and oneself."""
    if not user.is_authenticated:
        return Member.objects.none()
    roles = roles_of(user)
    if roles.is_admin:
        return Member.objects.all()
    return Member.objects.filter(path_prefix_q("organization__path", roles.managed_paths) | Q(user=user))


def campaign_for(request) -> Campaign | None:
    """?campaign=<id>, else the current campaign, else the latest."""
    pk = request.GET.get("campaign")
    if pk and pk.isdigit():
        found = Campaign.objects.filter(pk=int(pk)).first()
        if found:
            return found
    return Campaign.objects.current() or Campaign.objects.order_by("-starts_on").first()


def siblings_of(org: Organization):
    if org.depth <= 1:
        return [org]
    parent_path = org.path[: -Organization.steplen]
    return list(Organization.objects.filter(path__startswith=parent_path, depth=org.depth).active())


def children_of(org: Organization):
    return list(Organization.objects.filter(path__startswith=org.path, depth=org.depth + 1).active())
