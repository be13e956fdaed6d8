"""QA polish of the pledge pages: punctuation per language, the calm palette, the search's organization
picker, the moderation queue's pages and "approve all on this page", and the neutral 404."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from orgs.models import Organization
from pledges.models import Pledge, Rating
from pledges.services.ratings import comments_moderate
from pledges.tests.reviews_support import make_pledge, make_rating, make_review
from tests.world import add_org

S = Pledge.Status
MODERATION = "pledges:comment_moderation"


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def text(response) -> str:
    return response.content.decode()


# --------------------------------------------------------------------------- punctuation per language


def test_labels_take_the_punctuation_of_the_language(world, client_for):
    pledge = make_pledge(world, owner_member=world.member)
    pledge.closing_statement = "三户已走访"
    pledge.save(update_fields=["closing_statement"])
    make_review(world, pledge=pledge, grade="good")
    make_rating(pledge, choice=Rating.Choice.SATISFIED)

    chinese = text(client_for("member").get(reverse("pledges:my_pledges")))
    assert "预期目标：" in chinese and "完成时限：" in chinese and "最新点评：" in chinese

    member = english(client_for("member"))
    mine = text(member.get(reverse("pledges:my_pledges")))
    assert "Target: " in mine and "Deadline: " in mine and "Latest review: " in mine
    assert "Good: " in mine
    detail = text(member.get(reverse("pledges:detail", args=[pledge.pk])))
    assert "Member&#x27;s pledge: 张党员" in detail or "Member's pledge: 张党员" in detail
    assert "(Satisfied 1 · Basically satisfied 0 · Dissatisfied 0)" in detail
    for page in (mine, detail):
        assert "：" not in page and "（" not in page, "full-width punctuation leaked into English"

    zh_detail = text(client_for("member").get(reverse("pledges:detail", args=[pledge.pk])))
    assert "党员承诺：张党员" in zh_detail
    assert "（满意 1 · 基本满意 0 · 不满意 0）" in zh_detail


def test_closing_statement_in_the_queue_follows_the_language(world):
    pledge = make_pledge(world, status=S.CLAIMED)
    pledge.closing_statement = "三户已走访"
    pledge.actions = set()
    request = RequestFactory().get("/")
    with translation.override("en"):
        html = render_to_string("pledges/partials/queue_item.html", {"pledge": pledge, "request": request})
    assert "Closing statement: </strong>三户已走访" in html and "：" not in html
    with translation.override("zh-hans"):
        html = render_to_string("pledges/partials/queue_item.html", {"pledge": pledge, "request": request})
    assert "完成情况说明：</strong>三户已走访" in html


# --------------------------------------------------------------------------- calm palette


def test_grades_and_the_in_progress_status_are_not_bootstrap_blue(world, client_for):
    pledge = make_pledge(world, owner_member=world.member)
    make_review(world, pledge=pledge, grade="excellent")
    make_review(world, pledge=pledge, grade="good", by=world.admin)
    page = text(client_for("member").get(reverse("pledges:detail", args=[pledge.pk])))
    assert "text-bg-primary" not in page
    badges = re.findall(r'<span class="badge ([^"]*)">([^<]*)</span>', page)
    assert ("bg-brand", "优秀") in badges  # the one accent for 优秀, and the word says it
    assert any(word == "良好" and "bg-brand" not in classes for classes, word in badges)
    status = re.search(r'<span class="badge status-badge ([^"]*)" data-testid="status">([^<]*)</span>', page)
    assert "primary" not in status.group(1) and "border" in status.group(1)
    assert status.group(2).strip() == pledge.get_status_display()


# --------------------------------------------------------------------------- search: pick an organization


def test_search_offers_the_organizations_in_scope_by_name(world, client_for):
    client = client_for("supervisor_above")
    url = reverse("pledges:search") + "?org=a2"
    page = text(client.get(url))
    picker = re.search(r'<select name="org"[^>]*>(.*?)</select>', page, re.S).group(1)
    options = re.findall(r'<option value="([^"]*)"( selected)?>([^<]*)</option>', picker)
    values = [value for value, _, _ in options]
    assert values == ["", "town-a", "a1", "a2"]  # the subtree in tree order, never the other township
    labels = dict((value, label) for value, _, label in options)
    assert labels["town-a"] == "甲镇党委" and labels["a2"] == "\u3000甲二村党支部"  # names, indented by depth
    assert [value for value, selected, _ in options if selected] == ["a2"]  # the dashboard's ?org= is kept
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for i in range(6):
        add_org(world.township_a, code=f"a-new-{i}", name=f"新支部{i}", kind=Organization.Kind.BRANCH)
    with CaptureQueriesContext(connection) as many:
        page = text(client.get(url))
    assert "新支部5" in page
    assert len(many) == len(few)  # the picker costs one query however many organizations


# --------------------------------------------------------------------------- comment moderation


def _pending(world, count, *, owner=None):
    pledge = make_pledge(world, **(owner or {}))
    return [make_rating(pledge, comment=f"留言{i:02d}") for i in range(count)]


def test_moderation_pages_by_twenty_with_constant_queries(world, client_for):
    _pending(world, 5)
    secretary = client_for("secretary_same")
    secretary.get(reverse(MODERATION))  # the session's first request
    with CaptureQueriesContext(connection) as few:
        page = text(secretary.get(reverse(MODERATION)))
    assert page.count('data-testid="pending-comment"') == 5
    _pending(world, 40)
    with CaptureQueriesContext(connection) as many:
        page = text(secretary.get(reverse(MODERATION)))
    assert len(many) == len(few)
    assert page.count('data-testid="pending-comment"') == 20
    assert 'data-testid="pending-count">45<' in page
    last = text(secretary.get(reverse(MODERATION) + "?page=3"))
    assert last.count('data-testid="pending-comment"') == 5


def test_approve_all_on_this_page_approves_exactly_what_was_shown(world, client_for):
    ratings = _pending(world, 25)
    secretary = client_for("secretary_same")
    page = text(secretary.get(reverse(MODERATION)))
    ids = re.search(r'name="ratings" value="([^"]*)"', page).group(1)
    response = secretary.post(reverse(MODERATION), {"ratings": ids, "decision": "approve_page"}, follow=True)
    assert "已通过 20 条留言" in text(response)
    statuses = [Rating.objects.get(pk=r.pk).comment_status for r in ratings]
    assert statuses.count(Rating.CommentStatus.APPROVED) == 20
    assert statuses.count(Rating.CommentStatus.PENDING) == 5  # the next page waits for its own reading
    assert Rating.objects.filter(moderated_by=world.secretary_same.user).count() == 20


def test_approve_all_never_reaches_own_pledges_or_other_boards(world, client_for):
    mine = _pending(world, 2, owner={"owner_member": world.secretary_same})
    theirs = _pending(world, 2, owner={"owner_org": world.branch_a2})
    branch = _pending(world, 2)
    ids = ",".join(str(r.pk) for r in mine + theirs + branch)
    client_for("secretary_same").post(reverse(MODERATION), {"ratings": ids, "decision": "approve_page"})
    approved = set(Rating.objects.filter(comment_status=Rating.CommentStatus.APPROVED).values_list("pk", flat=True))
    assert approved == {r.pk for r in branch}


def test_comments_moderate_refuses_the_lot_when_one_is_not_allowed(world):
    allowed = _pending(world, 1)
    own = _pending(world, 1, owner={"owner_member": world.secretary_same})
    with pytest.raises(ValidationError):
        comments_moderate(ratings=allowed + own, by=world.secretary_same.user, approve=True)
    assert not Rating.objects.filter(comment_status=Rating.CommentStatus.APPROVED).exists()


# --------------------------------------------------------------------------- 404


def test_not_found_is_neutral_for_visitors(client, world):
    response = client.get("/board/no-such-board/")
    assert response.status_code == 404
    page = text(response)
    assert 'data-testid="neutral-header"' in page
    assert "navbar" not in page and reverse("logout") not in page  # no app navigation
    assert "公开栏可能已更换地址" in page
    assert reverse("login") in page
    page = text(english(client).get("/board/no-such-board/"))
    assert "the public board may have moved" in page


def test_not_found_keeps_the_navigation_for_people_logged_in(world, client_for):
    page = text(client_for("secretary_same").get("/board/no-such-board/"))
    assert 'data-testid="neutral-header"' not in page
    assert "navbar" in page and reverse("home") in page
