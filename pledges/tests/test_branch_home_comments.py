"""The branch home tells the secretary how many residents' comments wait for moderation (待办)."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pledges.models import Rating
from pledges.tests.reviews_support import make_pledge, make_rating

pytestmark = pytest.mark.django_db

TESTID = 'data-testid="comments-waiting"'


def waiting_block(client) -> str | None:
    """The 'comments waiting' line of the branch home, or None when the page shows none."""
    html = client.get(reverse("pledges:branch_home")).content.decode()
    if TESTID not in html:
        return None
    return html.split(TESTID, 1)[1].split("</p>", 1)[0]


def comments_on_branch_a1(world) -> None:
    org_pledge = make_pledge(world, owner_org=world.branch_a1)
    member_pledge = make_pledge(world, owner_member=world.member)
    make_rating(org_pledge, comment="路灯修好了")
    make_rating(member_pledge, comment="张党员很热心")
    make_rating(member_pledge, comment="还有一户没走访")
    approved = make_rating(org_pledge, comment="已处理的")
    approved.comment_status = Rating.CommentStatus.APPROVED
    approved.save(update_fields=["comment_status"])
    make_rating(org_pledge)  # a rating without a comment has nothing to moderate
    # Nobody moderates comments on their own pledge: not counted for the secretary either.
    make_rating(make_pledge(world, owner_member=world.secretary_same), comment="书记辛苦了")


def test_the_branch_secretary_sees_the_count_with_a_link_to_moderation(world, client_for):
    comments_on_branch_a1(world)
    block = waiting_block(client_for("secretary_same"))
    assert block is not None
    assert reverse("pledges:comment_moderation") in block
    text = re.sub(r"<[^>]+>", "", block.split(">", 1)[1])
    assert re.findall(r"\d+", text) == ["3"]


def test_another_branch_secretary_sees_nothing_of_it(world, client_for):
    comments_on_branch_a1(world)
    assert waiting_block(client_for("secretary_other")) is None


def test_nothing_waiting_shows_no_line(world, client_for):
    assert waiting_block(client_for("secretary_same")) is None


def test_the_count_costs_the_same_queries_however_many_comments(world, client_for):
    client = client_for("secretary_same")
    url = reverse("pledges:branch_home")
    pledge = make_pledge(world, owner_org=world.branch_a1)
    make_rating(pledge, comment="第一条")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(15):
        make_rating(make_pledge(world, owner_member=world.member), comment=f"意见{n}")
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)
