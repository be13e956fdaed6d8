"""Public ratings from the board: one per browser, a per-address limit, moderation of comments,
and the satisfaction figure. The cache is the suite's real backend (Redis when REDIS_URL is set)."""

from __future__ import annotations

import time

import pytest
from django.contrib.messages import get_messages
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.urls import reverse

from pledges import ratelimit
from pledges.models import Rating
from pledges.selectors.satisfaction import (
    Satisfaction,
    annotate_pledges,
    of_board,
    of_organization,
    of_organizations,
    satisfaction_of,
)
from pledges.services.ratings import AlreadyRated, rating_give
from pledges.tests.reviews_support import make_pledge, make_rating
from pledges.views.ratings import COOKIE_NAME

pytestmark = pytest.mark.django_db


def rate(client, world, pledge, choice="satisfied", comment="", ip="10.0.0.1"):
    return client.post(
        reverse("board:rate", args=[world.branch_a1.code, pledge.pk]),
        {"choice": choice, "comment": comment},
        REMOTE_ADDR=ip,
    )


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_a_resident_rates_once_and_a_second_rating_from_the_same_browser_is_refused(world):
    pledge = make_pledge(world)
    browser = Client()
    first = rate(browser, world, pledge, "satisfied")
    assert first.status_code == 302
    assert first.url == reverse("board:board", args=[world.branch_a1.code]) + f"#pledge-{pledge.pk}"
    assert COOKIE_NAME in first.cookies
    second = rate(browser, world, pledge, "dissatisfied")
    assert second.status_code == 302
    assert any("already rated" in m or "已" in m for m in messages_of(second))
    assert list(Rating.objects.values_list("choice", flat=True)) == ["satisfied"]
    # The same browser may still rate another pledge.
    rate(browser, world, make_pledge(world), "basically_satisfied")
    assert Rating.objects.count() == 2


def test_the_database_backs_one_rating_per_browser(world):
    pledge = make_pledge(world)
    rating_give(pledge=pledge, choice="satisfied", comment="", browser_token="t1", ip_hash="h")
    with pytest.raises(AlreadyRated):
        rating_give(pledge=pledge, choice="dissatisfied", comment="", browser_token="t1", ip_hash="h")
    assert Rating.objects.count() == 1


def test_a_forged_cookie_counts_as_a_new_browser_not_as_someone_elses(world):
    pledge = make_pledge(world)
    honest = Client()
    rate(honest, world, pledge)
    token = Rating.objects.get().browser_token
    forger = Client()
    forger.cookies[COOKIE_NAME] = token  # unsigned: must not be accepted as that browser's token
    rate(forger, world, pledge, "dissatisfied", ip="10.0.0.2")
    tokens = list(Rating.objects.values_list("browser_token", flat=True))
    assert len(tokens) == 2 and len(set(tokens)) == 2


def test_per_address_limit_refuses_politely_and_other_addresses_still_rate(world, settings):
    settings.RATING_LIMIT_PER_IP = 3
    pledge = make_pledge(world)
    for _ in range(3):
        assert rate(Client(), world, pledge, ip="10.9.9.9").status_code == 302
    refused = rate(Client(), world, pledge, ip="10.9.9.9")
    assert refused.status_code == 302
    assert any("try again" in m or "再试" in m for m in messages_of(refused))
    assert Rating.objects.count() == 3
    rate(Client(), world, pledge, ip="10.8.8.8")
    assert Rating.objects.count() == 4


def test_the_limiter_window_expires(settings):
    limit = ratelimit.Limit(count=2, seconds=1)
    assert ratelimit.hit("test-window", limit)
    assert ratelimit.hit("test-window", limit)
    assert not ratelimit.hit("test-window", limit)
    time.sleep(1.2)
    assert ratelimit.hit("test-window", limit)


def test_client_ip_behind_a_trusted_proxy(settings, rf):
    request = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 1.2.3.4")
    assert ratelimit.client_ip(request) == "127.0.0.1"
    settings.TRUSTED_PROXY_COUNT = 1
    assert ratelimit.client_ip(request) == "1.2.3.4"


def test_rating_needs_the_csrf_token(world):
    pledge = make_pledge(world)
    response = Client(enforce_csrf_checks=True).post(
        reverse("board:rate", args=[world.branch_a1.code, pledge.pk]), {"choice": "satisfied"}
    )
    assert response.status_code == 403
    assert not Rating.objects.exists()


def test_a_choice_outside_the_three_is_refused_with_a_message(world):
    pledge = make_pledge(world)
    response = rate(Client(), world, pledge, choice="very_satisfied")
    assert messages_of(response) and not Rating.objects.exists()


def _board_partial(world, pledge, client_cookies=None):
    request = RequestFactory().get("/")
    request.COOKIES.update(client_cookies or {})
    return render_to_string(
        "pledges/partials/rating_form.html", {"pledge": pledge, "org": world.branch_a1, "request": request}
    )


def test_comments_wait_for_the_secretary_and_are_escaped(world, client_for):
    pledge = make_pledge(world)
    rate(Client(), world, pledge, "satisfied", comment="<img src=x onerror=alert(1)>路灯修好了")
    rating = Rating.objects.get()
    assert rating.comment_status == Rating.CommentStatus.PENDING
    assert "路灯修好了" not in _board_partial(world, pledge)  # held back
    assert of_board(world.branch_a1).total == 1  # but the rating counts at once

    secretary = client_for("secretary_same")
    page = secretary.get(reverse("pledges:comment_moderation")).content.decode()
    assert "&lt;img src=x onerror=alert(1)&gt;路灯修好了" in page and "<img src=x" not in page
    secretary.post(reverse("pledges:comment_moderation"), {"rating": rating.pk, "decision": "approve"})
    rating.refresh_from_db()
    assert rating.comment_status == Rating.CommentStatus.APPROVED and rating.moderated_by == world.secretary_same.user
    shown = _board_partial(world, pledge)
    assert "&lt;img src=x onerror=alert(1)&gt;路灯修好了" in shown and "<img src=x" not in shown


def test_rejected_comments_never_show(world, client_for):
    pledge = make_pledge(world)
    rating = make_rating(pledge, comment="广告内容")
    client_for("secretary_same").post(
        reverse("pledges:comment_moderation"), {"rating": rating.pk, "decision": "reject"}
    )
    rating.refresh_from_db()
    assert rating.comment_status == Rating.CommentStatus.REJECTED
    assert "广告内容" not in _board_partial(world, pledge)


def test_nobody_moderates_comments_on_their_own_pledge(world, client_for):
    own = make_pledge(world, owner_member=world.secretary_same)
    rating = make_rating(own, comment="书记辛苦了")
    secretary = client_for("secretary_same")
    assert "书记辛苦了" not in secretary.get(reverse("pledges:comment_moderation")).content.decode()
    response = secretary.post(reverse("pledges:comment_moderation"), {"rating": rating.pk, "decision": "approve"})
    assert response.status_code == 404
    rating.refresh_from_db()
    assert rating.comment_status == Rating.CommentStatus.PENDING


def test_a_secretary_moderates_only_their_own_boards(world, client_for):
    rating = make_rating(make_pledge(world), comment="很好")
    other = client_for("secretary_other")
    assert "很好" not in other.get(reverse("pledges:comment_moderation")).content.decode()
    assert (
        other.post(reverse("pledges:comment_moderation"), {"rating": rating.pk, "decision": "approve"}).status_code
        == 404
    )
    rating.refresh_from_db()
    assert rating.comment_status == Rating.CommentStatus.PENDING


def test_satisfaction_per_pledge_and_per_organization(world):
    p1, p2 = make_pledge(world), make_pledge(world, owner_member=world.member)
    unrated = make_pledge(world)
    for choice in ("satisfied", "satisfied", "basically_satisfied", "dissatisfied"):
        make_rating(p1, choice=choice)
    make_rating(p2, choice="basically_satisfied")
    assert satisfaction_of(p1).rate == 0.625
    assert satisfaction_of(unrated).rate is None  # shown as "—", not 0 %
    annotated = {p.pk: satisfaction_of(p) for p in annotate_pledges(type(p1).objects.all())}
    assert annotated[p1.pk] == Satisfaction(4, 2, 1) and annotated[unrated.pk] == Satisfaction()
    # Subtree figure: (2 + 0.5 + 0.5) / 5
    assert of_organization(world.township_a, world.campaign).rate == 0.6
    assert of_organization(world.township_b, world.campaign).rate is None
    many = of_organizations([world.township_a, world.branch_a1, world.branch_a2], world.campaign)
    assert many[world.township_a.pk] == of_organization(world.township_a, world.campaign)
    assert many[world.branch_a2.pk].rate is None


def test_the_board_partial_costs_a_constant_number_of_queries(world, django_assert_max_num_queries):
    pledges = [make_pledge(world) for _ in range(6)]
    for pledge in pledges:
        make_rating(pledge, comment="好", choice="satisfied").__class__.objects.filter(pledge=pledge).update(
            comment_status=Rating.CommentStatus.APPROVED
        )
    request = RequestFactory().get("/")
    with django_assert_max_num_queries(3):
        html = "".join(
            render_to_string(
                "pledges/partials/rating_form.html", {"pledge": p, "org": world.branch_a1, "request": request}
            )
            for p in pledges
        )
    assert html.count("100%") == 6


def test_the_partial_remembers_this_browser_has_rated(world):
    pledge = make_pledge(world)
    browser = Client()
    response = rate(browser, world, pledge)
    html = _board_partial(world, pledge, {COOKIE_NAME: response.cookies[COOKIE_NAME].value})
    assert 'data-testid="rated-here"' in html
    assert 'name="choice"' not in html
