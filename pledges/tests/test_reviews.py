"""Leader reviews (领导点评): who may post them, who hears of them, where they show."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from notifications.models import Notification
from pledges.models import Pledge, Review
from pledges.services.reviews import org_review_post, review_post
from pledges.tests.reviews_support import make_pledge

pytestmark = pytest.mark.django_db


def test_supervisor_reviews_a_member_pledge_and_owner_and_secretary_are_notified(world, client_for):
    pledge = make_pledge(world, owner_member=world.member)
    response = client_for("supervisor_above").post(
        reverse("pledges:review_add", args=[pledge.pk]), {"grade": "excellent", "comment": "走访扎实，群众认可"}
    )
    assert response.status_code == 302
    review = Review.objects.get(pledge=pledge)
    assert (review.grade, review.reviewer, review.reviewer_title) == ("excellent", world.supervisor_above, "组织委员")
    notified = set(Notification.objects.filter(kind="review_posted").values_list("user__username", flat=True))
    assert notified == {"member", "secretary_same"}


def test_review_of_branch_pledge_notifies_the_branch_secretary(world):
    pledge = make_pledge(world, owner_org=world.branch_a1)
    review_post(pledge=pledge, by=world.admin, grade="good", comment="继续努力")
    assert list(Notification.objects.values_list("user__username", flat=True)) == ["secretary_same"]


@pytest.mark.parametrize("role", ["secretary_same", "member"])
def test_the_branch_itself_cannot_review_its_pledges(world, client_for, role):
    pledge = make_pledge(world)
    response = client_for(role).post(
        reverse("pledges:review_add", args=[pledge.pk]), {"grade": "excellent", "comment": "好"}
    )
    assert response.status_code == 403
    with pytest.raises(ValidationError):
        review_post(pledge=pledge, by=world.users[role], grade="excellent", comment="好")
    assert not Review.objects.exists()


def test_a_supervisor_of_another_subtree_gets_not_found(world, client_for):
    pledge = make_pledge(world)
    response = client_for("supervisor_sibling").post(
        reverse("pledges:review_add", args=[pledge.pk]), {"grade": "poor", "comment": "差"}
    )
    assert response.status_code == 404
    assert not Review.objects.exists()


def test_drafts_cannot_be_reviewed(world):
    pledge = make_pledge(world, status=Pledge.Status.DRAFT)
    with pytest.raises(ValidationError):
        review_post(pledge=pledge, by=world.supervisor_above, grade="good", comment="好")


def test_missing_comment_is_explained_and_the_grade_is_kept(world, client_for):
    pledge = make_pledge(world)
    response = client_for("supervisor_above").post(reverse("pledges:review_add", args=[pledge.pk]), {"grade": "fair"})
    assert response.status_code == 200
    assert response.context["form"].errors["comment"]
    assert re.search(r'<input[^>]*value="fair"[^>]*checked', response.content.decode())
    assert not Review.objects.exists()


def test_organization_review_is_recorded_and_the_secretary_notified(world, client_for):
    response = client_for("supervisor_above").post(
        reverse("pledges:org_review_add", args=[world.branch_a1.code]), {"grade": "good", "comment": "台账规范"}
    )
    assert response.status_code == 302
    review = Review.objects.get(organization=world.branch_a1)
    assert review.campaign == world.campaign and review.pledge is None
    assert list(Notification.objects.values_list("user__username", flat=True)) == ["secretary_same"]
    page = client_for("secretary_same").get(reverse("inspections:org", args=[world.branch_a1.code]))
    assert "台账规范" in page.content.decode()


def test_only_supervisors_of_the_subtree_review_an_organization(world):
    with pytest.raises(ValidationError):
        org_review_post(organization=world.branch_a1, by=world.supervisor_sibling, grade="good", comment="好")
    with pytest.raises(ValidationError):
        org_review_post(organization=world.branch_a1, by=world.secretary_same.user, grade="good", comment="好")


def _render_section(pledge, user):
    request = RequestFactory().get("/")
    request.user = user
    return render_to_string("pledges/partials/review_section.html", {"pledge": pledge, "request": request})


def test_review_section_lists_reviews_escaped_and_shows_the_form_to_reviewers_only(world):
    pledge = make_pledge(world)
    review_post(pledge=pledge, by=world.supervisor_above, grade="good", comment="<script>alert(1)</script>不错")
    for_reviewer = _render_section(pledge, world.supervisor_above)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;不错" in for_reviewer
    assert "<script>alert(1)" not in for_reviewer
    assert "周督导" in for_reviewer and "组织委员" in for_reviewer
    assert reverse("pledges:review_add", args=[pledge.pk]) in for_reviewer
    for_owner = _render_section(pledge, world.secretary_same.user)
    assert reverse("pledges:review_add", args=[pledge.pk]) not in for_owner
    assert "不错" in for_owner


def test_review_section_shows_satisfaction_and_only_approved_comments(world):
    from pledges.models import Rating
    from pledges.tests.reviews_support import make_rating

    pledge = make_pledge(world)
    make_rating(pledge, choice="satisfied", comment="已经修好")
    Rating.objects.update(comment_status=Rating.CommentStatus.APPROVED)
    make_rating(pledge, choice="dissatisfied", comment="还在等审核")
    html = _render_section(pledge, world.member.user)
    assert "50%" in html
    assert "已经修好" in html and "还在等审核" not in html
