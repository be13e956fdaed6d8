"""Reads over public ratings and their comments."""

from __future__ import annotations

from django.db.models import Q

from orgs.roles import roles_of

from ..models import Rating


def comments_to_moderate(user):
    """Pending comments this person may moderate (see permissions_reviews.can_moderate), oldest first."""
    roles = roles_of(user)
    pending = Rating.objects.filter(comment_status=Rating.CommentStatus.PENDING)
    if not roles.is_admin:
        org_ids = [org.pk for org in roles.secretary_of]
        pending = pending.filter(
            Q(pledge__owner_org_id__in=org_ids) | Q(pledge__owner_member__organization_id__in=org_ids)
        )
    if roles.member is not None:
        pending = pending.exclude(pledge__owner_member=roles.member)
    return pending.select_related(
        "pledge", "pledge__owner_org", "pledge__owner_member", "pledge__owner_member__organization"
    ).order_by("created_at", "pk")


def approved_comments(pledge):
    return pledge.ratings.filter(comment_status=Rating.CommentStatus.APPROVED).order_by("-created_at", "-pk")
