"""Reads over inspections and rectification items.

A rectification item is *open* until the inspector accepts its closure: status `open` (waiting for
the owner) or `reported` (closure reported, waiting for acceptance). It is *overdue* on day D when
its deadline is before D and the owner has not reported closure by the deadline.
"""

from __future__ import annotations

import datetime

from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from orgs.querysets import path_prefix_q


class InspectionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Inspections a signed-in person may open.

        - administrators: all;
        - supervisors and secretaries: inspections of organizations in the subtrees they manage, and
          inspections that gave an item to an organization there;
        - members: inspections of their own organization.
        """
        from orgs.roles import roles_of

        if not user.is_authenticated:
            return self.none()
        roles = roles_of(user)
        if roles.is_admin:
            return self.all()
        paths = roles.managed_paths
        query = path_prefix_q("organization__path", paths)
        from .models import RectificationItem

        query |= Q(
            pk__in=RectificationItem.objects.filter(path_prefix_q("owner_org__path", paths)).values("inspection_id")
        )
        if roles.member is not None:
            query |= Q(organization_id=roles.member.organization_id)
        return self.filter(query)


class RectificationItemQuerySet(models.QuerySet):
    def open(self):
        """Not yet accepted as closed (waiting for the owner, or for the inspector's acceptance)."""
        return self.exclude(status=self.model.Status.CLOSED)

    def closed(self):
        return self.filter(status=self.model.Status.CLOSED)

    def awaiting_owner(self):
        return self.filter(status=self.model.Status.OPEN)

    def awaiting_acceptance(self):
        return self.filter(status=self.model.Status.REPORTED)

    def overdue(self, on: datetime.date | None = None):
        """Open, deadline before `on` (default today), and closure not reported by the deadline."""
        day = on or timezone.localdate()
        S = self.model.Status
        return self.filter(deadline__lt=day).filter(
            Q(status=S.OPEN) | Q(status=S.REPORTED, reported_on__gt=F("deadline"))
        )

    def due_on(self, day: datetime.date):
        return self.awaiting_owner().filter(deadline=day)

    def owned_within(self, org, *, inclusive: bool = True):
        qs = self.filter(owner_org__path__startswith=org.path)
        if not inclusive:
            qs = qs.exclude(owner_org=org)
        return qs

    def in_campaign(self, campaign):
        return self.filter(inspection__campaign=campaign)

    def visible_to(self, user):
        """Items whose owner or whose inspected organization a person may see (see InspectionQuerySet)."""
        from orgs.roles import roles_of

        if not user.is_authenticated:
            return self.none()
        roles = roles_of(user)
        if roles.is_admin:
            return self.all()
        paths = roles.managed_paths
        query = path_prefix_q("owner_org__path", paths) | path_prefix_q("inspection__organization__path", paths)
        if roles.member is not None:
            query |= Q(owner_org_id=roles.member.organization_id)
        return self.filter(query)
