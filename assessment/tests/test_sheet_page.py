"""The rank on an evaluation sheet reads "rank / number of ranked units", also for a member who
may not see the colleagues' scores (found in the QA walk: a member read "5/1")."""

from __future__ import annotations

import pytest
from django.urls import reverse

from assessment.tests.test_scoring import fixture  # noqa: F401  (the hand-computed fixture)

pytestmark = pytest.mark.django_db


def test_a_member_sees_the_rank_out_of_the_ranked_members_of_the_branch(fixture, client_for):  # noqa: F811
    page = client_for("member").get(reverse("assessment:member", args=[fixture.member.pk]))
    assert page.context["peers"] == []
    # Two members in the branch; only the member has anything to count, so 1 of 1 ranked.
    assert '<div class="fs-3">1<span class="fs-6 text-muted">/1</span>' in page.content.decode()


def test_the_secretary_sees_the_same_figure(fixture, client_for):  # noqa: F811
    page = client_for("secretary_same").get(reverse("assessment:member", args=[fixture.member.pk]))
    assert len(page.context["peers"]) == 2
    assert page.context["peer_count"] == 1
