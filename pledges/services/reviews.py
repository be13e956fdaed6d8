"""Leader reviews (领导点评) of a pledge or of an organization's campaign work."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from campaign.models import Campaign
from notifications.services import notify
from orgs.models import Organization, RoleAssignment, User
from orgs.roles import roles_of

from ..models import Pledge, Review
from ..permissions import can_review
from ..permissions_reviews import can_review_org


def reviewer_title(user, org: Organization) -> str:
    """The position shown with a review: the title of the role that covers `org`, else that
    role's organization (e.g. '组织委员', or '甲镇党委')."""
    roles = roles_of(user)
    candidates = [(RoleAssignment.Role.SUPERVISOR, o) for o in roles.supervisor_of] + [
        (RoleAssignment.Role.SECRETARY, o) for o in roles.secretary_of
    ]
    covering = [(role, o) for role, o in candidates if org.path.startswith(o.path)]
    covering.sort(key=lambda pair: -len(pair[1].path))  # the nearest organization first
    for role, o in covering:
        if roles.titles.get((role, o.pk)):
            return roles.titles[(role, o.pk)]
    if covering:
        return covering[0][1].name[:50]
    return _("Administrator") if roles.is_admin else ""


def secretaries_of(org: Organization):
    return User.objects.filter(
        role_assignments__role=RoleAssignment.Role.SECRETARY, role_assignments__organization=org, is_active=True
    )


@transaction.atomic
def review_post(*, pledge: Pledge, by, grade: str, comment: str) -> Review:
    """Post a review of one pledge; the owner and the branch's secretaries are notified."""
    if not can_review(by, pledge):
        raise ValidationError(_("You may not review this pledge."))
    if pledge.status in (Pledge.Status.DRAFT, Pledge.Status.WITHDRAWN):
        raise ValidationError(_("Drafts and withdrawn pledges cannot be reviewed."))
    org = pledge.owner_organization
    review = Review(
        campaign=pledge.campaign,
        pledge=pledge,
        reviewer=by,
        reviewer_title=reviewer_title(by, org),
        grade=grade,
        comment=comment.strip(),
    )
    review.full_clean()
    review.save()
    recipients = list(secretaries_of(org).exclude(pk=by.pk))
    if pledge.owner_member_id:
        recipients.append(pledge.owner_member.user)
    notify(
        recipients=recipients,
        kind="review_posted",
        title=_("%(reviewer)s reviewed “%(title)s”: %(grade)s")
        % {"reviewer": by.display_name, "title": pledge.title, "grade": review.get_grade_display()},
        body=review.comment,
        url=reverse("pledges:detail", args=[pledge.pk]),
    )
    return review


@transaction.atomic
def org_review_post(
    *, organization: Organization, by, grade: str, comment: str, campaign: Campaign | None = None
) -> Review:
    """Post a review of an organization's campaign work as a whole; its secretaries are notified."""
    if not can_review_org(by, organization):
        raise ValidationError(_("You may not review this organization."))
    campaign = campaign or Campaign.objects.current()
    if campaign is None:
        raise ValidationError(_("There is no current campaign to review."))
    review = Review(
        campaign=campaign,
        organization=organization,
        reviewer=by,
        reviewer_title=reviewer_title(by, organization),
        grade=grade,
        comment=comment.strip(),
    )
    review.full_clean()
    review.save()
    notify(
        recipients=secretaries_of(organization).exclude(pk=by.pk),
        kind="review_posted",
        title=_("%(reviewer)s reviewed the campaign work of %(org)s: %(grade)s")
        % {"reviewer": by.display_name, "org": organization.name, "grade": review.get_grade_display()},
        body=review.comment,
        url=reverse("inspections:org", args=[organization.code]),
    )
    return review
