"""Reads over pledges. Every page and job asks these methods, so the rules hold everywhere."""

from __future__ import annotations

import datetime

from django.db import models
from django.db.models import Q
from django.utils import timezone

from orgs.querysets import path_prefix_q


def today() -> datetime.date:
    return timezone.localdate()


class PledgeQuerySet(models.QuerySet):
    def public(self):
        """Published, claimed-complete or fulfilled pledges: those on public boards and in the figures.

        Drafts, submitted, returned and withdrawn pledges are never public.
        """
        return self.filter(status__in=self.model.PUBLIC_STATUSES)

    def overdue(self, on: datetime.date | None = None):
        """Public, not fulfilled, deadline before `on` (default: today, Asia/Shanghai)."""
        day = on or today()
        return self.public().exclude(status=self.model.Status.FULFILLED).filter(deadline__lt=day)

    def fulfilled(self):
        return self.filter(status=self.model.Status.FULFILLED)

    def owned_within(self, org, *, inclusive: bool = True):
        """Pledges owned by `org` or a descendant, or by a member of one (DOMAIN.md "counted" scope)."""
        from orgs.models import Member, Organization

        # IN (subquery) on the two indexed owner columns; an OR across a join would defeat the indexes.
        subtree = Organization.objects.filter(path__startswith=org.path).values("pk")
        query = Q(owner_org__in=subtree) | Q(
            owner_member__in=Member.objects.filter(organization__in=subtree).values("pk")
        )
        qs = self.filter(query)
        if not inclusive:
            qs = qs.exclude(owner_org=org)
        return qs

    def counted(self, org, campaign):
        """DOMAIN.md: public pledges of `campaign` owned within `org`'s subtree."""
        return self.public().filter(campaign=campaign).owned_within(org)

    def on_board(self, org):
        """What the public board of `org` lists: public pledges of the org itself and of its members."""
        from orgs.models import Member

        # The member ids are fetched first (one small query, remembered on the org object for the rest of
        # the request) so that the database can combine the two owner indexes; with a subquery here it
        # scans every pledge of the campaign instead.
        member_ids = getattr(org, "_board_member_ids", None)
        if member_ids is None:
            member_ids = list(Member.objects.filter(organization=org).values_list("pk", flat=True))
            org._board_member_ids = member_ids
        return self.public().filter(Q(owner_org=org) | Q(owner_member_id__in=member_ids))

    def visible_to(self, user):
        """Pledges a signed-in person may open in the app.

        - administrators: all;
        - supervisors and secretaries: every pledge owned within the subtrees they manage;
        - a member: their own pledges, and the public pledges of their organization and its members.
        Anonymous users get none here; the public board uses `public()`.
        """
        from orgs.roles import roles_of

        if not user.is_authenticated:
            return self.none()
        roles = roles_of(user)
        if roles.is_admin:
            return self.all()
        paths = roles.managed_paths
        query = path_prefix_q("owner_org__path", paths) | path_prefix_q("owner_member__organization__path", paths)
        if roles.member is not None:
            org_id = roles.member.organization_id
            query |= Q(owner_member=roles.member)
            query |= Q(status__in=self.model.PUBLIC_STATUSES) & (
                Q(owner_org_id=org_id) | Q(owner_member__organization_id=org_id)
            )
        return self.filter(query)

    def with_owner(self):
        return self.select_related("campaign", "owner_org", "owner_member", "owner_member__organization")
