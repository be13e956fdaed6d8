"""Reads over the organization tree and its people.

The tree uses materialized paths (django-treebeard MP_Node): every organization's `path` starts
with the path of each of its ancestors, so a subtree is one `path LIKE 'prefix%'` query.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from treebeard.mp_tree import MP_NodeManager, MP_NodeQuerySet


def member_management_q(user, prefix: str) -> Q:
    """Q over organizations (`prefix` "" or e.g. "organization__") whose members `user` manages."""
    from .roles import roles_of

    if not user.is_authenticated:
        return Q(pk__in=[])
    roles = roles_of(user)
    if roles.is_admin:
        return Q()
    query = path_prefix_q(f"{prefix}path", [org.path for org in roles.supervisor_of])
    query |= Q(**{f"{prefix}pk__in": [org.pk for org in roles.secretary_of]})
    return query


def path_prefix_q(field: str, paths: list[str]) -> Q:
    """Q matching rows whose `field` (a materialized path) lies under any of `paths`.

    An empty list matches nothing.
    """
    query = Q(pk__in=[])
    for path in paths:
        query |= Q(**{f"{field}__startswith": path})
    return query


class OrganizationQuerySet(MP_NodeQuerySet):
    def active(self):
        return self.filter(is_active=True)

    def grassroots(self):
        """Branches and general branches: the organizations that pledge."""
        from .models import Organization

        return self.filter(kind__in=Organization.GRASSROOTS_KINDS)

    def descendant_of(self, org, *, inclusive: bool = True):
        qs = self.filter(path__startswith=org.path)
        if not inclusive:
            qs = qs.exclude(pk=org.pk)
        return qs

    def ancestor_of(self, org, *, inclusive: bool = True):
        steplen = self.model.steplen
        paths = [org.path[0:pos] for pos in range(steplen, len(org.path) + (1 if inclusive else 0), steplen)]
        return self.filter(path__in=paths)

    def under_any(self, paths: list[str]):
        return self.filter(path_prefix_q("path", paths))

    def visible_to(self, user):
        """Organizations a signed-in user may look at inside the app.

        - administrators: all of them;
        - supervisors: each subtree they supervise;
        - secretaries: the organization they lead and its descendants;
        - members: their own organization.
        Anonymous users see none (the public board has its own, narrower view).
        """
        from .roles import roles_of

        if not user.is_authenticated:
            return self.none()
        roles = roles_of(user)
        if roles.is_admin:
            return self.all()
        query = path_prefix_q("path", roles.managed_paths)
        if roles.member is not None:
            query |= Q(pk=roles.member.organization_id)
        return self.filter(query)

    def member_managed_by(self, user):
        """Organizations whose members `user` may add, edit, move out and reset.

        - administrators: all;
        - supervisors: every organization in the subtrees they supervise;
        - secretaries: the organizations they lead (not the branches under a general branch).
        """
        return self.filter(member_management_q(user, ""))


class OrganizationManager(MP_NodeManager.from_queryset(OrganizationQuerySet)):
    def get_queryset(self):
        return OrganizationQuerySet(self.model).order_by("path")


class MemberQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def in_subtree(self, org):
        return self.filter(organization__path__startswith=org.path)

    def visible_to(self, user):
        """Members a signed-in user may look at.

        - administrators: everyone;
        - supervisors and secretaries: members of organizations in the subtrees they manage;
        - a member: themselves.
        """
        from .roles import roles_of

        if not user.is_authenticated:
            return self.none()
        roles = roles_of(user)
        if roles.is_admin:
            return self.all()
        query = path_prefix_q("organization__path", roles.managed_paths)
        query |= Q(user=user)
        return self.filter(query)

    def manageable_by(self, user):
        """Members whose records and logins `user` may change (see member_managed_by)."""
        return self.filter(member_management_q(user, "organization__"))


class InitialPasswordQuerySet(models.QuerySet):
    def current(self):
        """Not yet expired (older ones are purged; see orgs.initial_passwords)."""
        from .initial_passwords import expiry_cutoff

        return self.filter(issued_at__gte=expiry_cutoff())

    def manageable_by(self, user):
        """Initial passwords of members `user` manages; administrators also see non-members' ones."""
        from .roles import roles_of

        if roles_of(user).is_admin:
            return self.all()
        return self.filter(member_management_q(user, "user__member__organization__"))
