"""The public board (公开栏) and its A4 poster: what residents see, and what they must never see."""

from __future__ import annotations

import datetime
import io

import pytest
import zxingcpp
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from campaign.models import Campaign
from pledges.models import Rating
from pledges.services.evidence import EvidenceUpload
from pledges.services.progress import progress_add
from pledges.tests.factories import PledgeFactory, RatingFactory, ReviewFactory, UserFactory

XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'
XSS_ESCAPED = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"


def png(name="p.png"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    out = io.BytesIO()
    Image.new("RGB", (12, 12), (0, 128, 0)).save(out, "PNG")
    return SimpleUploadedFile(name, out.getvalue())


def board_url(org):
    return reverse("board:board", args=[org.code])


@pytest.fixture
def board_world(world):
    """Pledges of branch a1 (and its members) in every state, plus pledges that must stay off its board."""
    w = world
    today = datetime.date.today()
    make = lambda **kw: PledgeFactory(campaign=w.campaign, **kw)  # noqa: E731
    w.org_published = make(owner_org=w.branch_a1, published=True, title="支部公开承诺甲", target="修缮 2 处村道")
    w.member_published = make(owner_member=w.member, published=True, title="党员公开承诺乙", progress=30)
    w.claimed = make(owner_member=w.secretary_same, claimed=True, title="已申报完成承诺丙")
    w.fulfilled = make(owner_org=w.branch_a1, fulfilled=True, title="已兑现承诺丁")
    w.overdue = make(
        owner_member=w.member, published=True, title="逾期承诺戊", deadline=today - datetime.timedelta(days=3)
    )
    w.hidden = [
        make(owner_org=w.branch_a1, title="草稿承诺不应出现"),
        make(owner_member=w.member, submitted=True, title="待审承诺不应出现"),
        make(owner_member=w.member, returned=True, title="退回承诺不应出现"),
        make(owner_org=w.branch_a1, withdrawn=True, title="撤回承诺不应出现"),
        make(owner_org=w.branch_a2, published=True, title="另一支部承诺不应出现"),
        make(owner_member=w.other_member, published=True, title="另一支部党员承诺不应出现"),
    ]
    last_year = Campaign.objects.create(
        name="2025年度",
        theme="往年主题",
        starts_on=today - datetime.timedelta(days=700),
        ends_on=today - datetime.timedelta(days=400),
    )
    w.hidden.append(
        PledgeFactory(
            campaign=last_year,
            owner_org=w.branch_a1,
            fulfilled=True,
            title="往年承诺不应出现",
            deadline=last_year.ends_on,
        )
    )
    return w


@pytest.mark.django_db
class TestBoard:
    def test_anyone_reads_the_board_without_logging_in(self, board_world, client):
        w = board_world
        html = client.get(board_url(w.branch_a1)).content.decode()
        assert w.branch_a1.name in html
        assert w.branch_a1.get_sector_display() in html
        assert w.campaign.theme in html
        for pledge in (w.org_published, w.member_published, w.claimed, w.fulfilled, w.overdue):
            assert pledge.title in html
        assert "修缮 2 处村道" in html
        assert w.member.name in html  # a member's pledge names the member
        assert 'aria-valuenow="30"' in html

    def test_never_shows_pledges_that_are_not_public_or_not_this_board(self, board_world, client):
        html = client.get(board_url(board_world.branch_a1)).content.decode()
        for pledge in board_world.hidden:
            assert pledge.title not in html

    def test_counters(self, board_world, client):
        w = board_world
        RatingFactory(pledge=w.fulfilled, choice=Rating.Choice.SATISFIED)
        RatingFactory(pledge=w.fulfilled, choice=Rating.Choice.BASICALLY_SATISFIED)
        response = client.get(board_url(w.branch_a1))
        counters = response.context["counters"]
        assert (counters.public, counters.fulfilled) == (5, 1)
        assert counters.satisfaction.percent == 75
        assert "75%" in response.content.decode()

    def test_no_ratings_shows_a_dash_not_zero(self, board_world, client):
        html = client.get(board_url(board_world.branch_a1)).content.decode()
        counters = html.split('data-testid="board-counters"', 1)[1].split("</p>", 1)[0]
        assert "—" in counters and "0%" not in counters

    def test_overdue_is_said_in_words(self, board_world, client):
        html = client.get(board_url(board_world.branch_a1)).content.decode()
        card = html.split(f'id="pledge-{board_world.overdue.pk}"', 1)[1].split("</article>", 1)[0]
        assert "逾期" in card
        other = html.split(f'id="pledge-{board_world.member_published.pk}"', 1)[1].split("</article>", 1)[0]
        assert "逾期" not in other

    def test_public_evidence_only_lazy_loaded(self, board_world, client):
        w = board_world
        update = progress_add(
            pledge=w.member_published,
            by=w.member.user,
            percent=50,
            text="进展",
            files=[EvidenceUpload(png("public.png"), is_public=True), EvidenceUpload(png("private.png"))],
        )
        public, private = update.evidence.order_by("pk")
        html = client.get(board_url(w.branch_a1)).content.decode()
        assert reverse("pledges:evidence", args=[public.pk]) in html
        assert reverse("pledges:evidence", args=[private.pk]) not in html
        assert 'loading="lazy"' in html

    def test_leader_reviews_with_name_and_position(self, board_world, client):
        reviewer = UserFactory(full_name="周部长")
        ReviewFactory(
            pledge=board_world.member_published,
            reviewer=reviewer,
            reviewer_title="组织部副部长",
            comment="走访扎实，群众认可",
        )
        html = client.get(board_url(board_world.branch_a1)).content.decode()
        assert "周部长" in html and "组织部副部长" in html and "走访扎实，群众认可" in html

    def test_unknown_or_inactive_organization_is_404(self, world, client):
        assert client.get(reverse("board:board", args=["no-such-org"])).status_code == 404
        world.branch_a2.is_active = False
        world.branch_a2.save(update_fields=["is_active"])
        assert client.get(board_url(world.branch_a2)).status_code == 404
        assert client.get(reverse("board:poster", args=[world.branch_a2.code])).status_code == 404

    def test_empty_board_says_what_will_appear(self, world, client):
        response = client.get(board_url(world.branch_b1))
        assert response.status_code == 200
        assert 'data-testid="board-empty"' in response.content.decode()

    def test_only_the_secretary_of_this_organization_sees_the_moderation_link(self, board_world, client_for):
        link = reverse("pledges:comment_moderation")
        url = board_url(board_world.branch_a1)
        assert link in client_for("secretary_same").get(url).content.decode()
        for role in ("anonymous", "member", "secretary_other", "supervisor_above"):
            assert link not in client_for(role).get(url).content.decode()

    def test_elder_mode_for_anonymous_visitors_by_cookie(self, world, client):
        client.cookies["elder_mode"] = "1"
        html = client.get(board_url(world.branch_a1)).content.decode()
        assert 'class="public-board elder-mode' in html
        assert 'data-testid="elder-mode"' in html

    def test_constant_number_of_queries(self, board_world, client, django_assert_max_num_queries):
        w = board_world
        url = board_url(w.branch_a1)
        client.get(url)  # warm up (session, content types)
        with CaptureQueriesContext(connection) as few:
            client.get(url)
        for index in range(12):
            pledge = PledgeFactory(campaign=w.campaign, owner_member=w.member, published=True, title=f"批量承诺{index}")
            progress_add(
                pledge=pledge, by=w.member.user, percent=20, text="进展", files=[EvidenceUpload(png(), is_public=True)]
            )
            ReviewFactory(pledge=pledge, reviewer_title="书记")
            RatingFactory(pledge=pledge)
        with CaptureQueriesContext(connection) as many:
            response = client.get(url)
        assert len(response.context["pledges"]) == 17
        assert len(many) == len(few)
        with django_assert_max_num_queries(10):
            client.get(url)


@pytest.mark.django_db
class TestEscaping:
    def test_payloads_render_escaped_on_board_and_poster(self, world, client):
        pledge = PledgeFactory(
            campaign=world.campaign, owner_member=world.member, published=True, title=XSS[:100], target=XSS
        )
        progress_add(
            pledge=pledge,
            by=world.member.user,
            percent=10,
            text=XSS,
            files=[EvidenceUpload(png(XSS[:60] + ".png"), is_public=True)],
        )
        ReviewFactory(pledge=pledge, comment=XSS, reviewer_title=XSS[:50])
        world.member.name = XSS[:50]
        world.member.save(update_fields=["name"])
        for url in (board_url(world.branch_a1), reverse("board:poster", args=[world.branch_a1.code])):
            html = client.get(url).content.decode()
            assert "<script>alert" not in html
            assert "onerror=alert" not in html.replace("onerror=alert(1)&gt;", "")
            assert XSS_ESCAPED in html


@pytest.mark.django_db
class TestPoster:
    def test_poster_shows_title_org_theme_table_qr_and_date(self, board_world, client, settings):
        settings.SITE_URL = "https://dangjian.example.gov.cn"
        w = board_world
        response = client.get(reverse("board:poster", args=[w.branch_a1.code]))
        html = response.content.decode()
        assert "公开承诺栏" in html
        assert w.branch_a1.name in html and w.campaign.theme in html
        assert html.count('data-testid="poster-row"') == 5
        for pledge in w.hidden:
            assert pledge.title not in html
        assert "<svg" in html and "扫码查看进展、参与评议" in html
        assert "https://dangjian.example.gov.cn/board/a1/" in html
        today = timezone.localdate()
        assert f"{today.year}年{today.month}月{today.day}日" in html
        assert "@page" in html and "@media print" in html
        assert "navbar" not in html

    def test_qr_decodes_to_the_absolute_board_url(self, world, settings):
        from pledges.views.board import board_qr

        settings.SITE_URL = "https://dangjian.example.gov.cn/"
        out = io.BytesIO()
        board_qr(world.branch_a1).save(out, kind="png", scale=8, border=4)
        found = zxingcpp.read_barcodes(Image.open(io.BytesIO(out.getvalue())))
        assert [code.text for code in found] == ["https://dangjian.example.gov.cn/board/a1/"]

    def test_qr_endpoint_serves_svg(self, world, client):
        response = client.get(reverse("board:qr", args=[world.branch_a1.code]))
        assert response.status_code == 200
        assert response["Content-Type"] == "image/svg+xml"
        assert b"<svg" in response.content and b"xmlns" in response.content
