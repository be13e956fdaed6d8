"""The public board (公开栏), its printable A4 poster, and the poster's QR code. No login anywhere.

Only public pledges (published, completion claimed, fulfilled) of the current campaign, owned by the
organization or by one of its members, ever appear (Pledge.objects.on_board). Each page issues a
constant number of queries whatever the number of pledges.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import segno
from django.conf import settings
from django.db.models import Case, Prefetch, Value, When
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import require_GET

from campaign.models import Campaign
from orgs.models import Organization
from orgs.roles import roles_of

from ..models import Evidence, Pledge, ProgressUpdate, Review
from ..selectors.satisfaction import Satisfaction, of_pledges


@dataclass(frozen=True)
class BoardCounters:
    public: int
    fulfilled: int
    satisfaction: Satisfaction


def board_pledges(org: Organization, campaign: Campaign | None, *, details: bool = True) -> list[Pledge]:
    """The pledges on `org`'s board for `campaign`: the organization's own first, then members', by deadline.

    With `details`, each pledge carries `public_evidence`, `latest_update` and its leader `reviews`
    with reviewers (prefetched). Ratings are shown by the rating partial, which fetches them per board.
    """
    if campaign is None:
        return []
    pledges = (
        Pledge.objects.on_board(org)
        .filter(campaign=campaign)
        .select_related("owner_org", "owner_member")
        .annotate(owner_rank=Case(When(owner_org__isnull=False, then=Value(0)), default=Value(1)))
        .order_by("owner_rank", "deadline", "pk")
    )
    if details:
        pledges = pledges.prefetch_related(
            Prefetch("evidence", queryset=Evidence.objects.filter(is_public=True), to_attr="public_evidence"),
            Prefetch(
                "progress_updates", queryset=ProgressUpdate.objects.order_by("-created_at", "-pk"), to_attr="updates"
            ),
            Prefetch("reviews", queryset=Review.objects.select_related("reviewer").order_by("-created_at", "-pk")),
        )
    today = timezone.localdate()
    listed = list(pledges)
    for pledge in listed:
        pledge.overdue_now = pledge.is_overdue(today)
        if details:
            pledge.latest_update = pledge.updates[0] if pledge.updates else None
    return listed


def board_counters(org: Organization, campaign: Campaign | None, pledges: list[Pledge]) -> BoardCounters:
    """公开承诺 N 项 · 已兑现 N 项 · 满意度 N% over the pledges listed (one query for the satisfaction)."""
    if campaign is None:
        return BoardCounters(public=0, fulfilled=0, satisfaction=Satisfaction())
    fulfilled = sum(1 for p in pledges if p.status == Pledge.Status.FULFILLED)
    satisfaction = of_pledges(Pledge.objects.on_board(org).filter(campaign=campaign))
    return BoardCounters(public=len(pledges), fulfilled=fulfilled, satisfaction=satisfaction)


def board_url(org: Organization) -> str:
    """The absolute address of the board, for the QR code on the printed poster."""
    return settings.SITE_URL.rstrip("/") + reverse("board:board", args=[org.code])


def board_qr(org: Organization):
    return segno.make(board_url(org), error="m")


def _board_org(code: str) -> Organization:
    return get_object_or_404(Organization.objects.active(), code=code)


@gzip_page  # residents on weak 4G; CSRF tokens are masked per response, so BREACH does not apply
@require_GET
def board(request, code):
    org = _board_org(code)
    campaign = Campaign.objects.current()
    pledges = board_pledges(org, campaign)
    return render(
        request,
        "pledges/board.html",
        {
            "org": org,
            "campaign": campaign,
            "pledges": pledges,
            "counters": board_counters(org, campaign, pledges),
            "can_moderate": roles_of(request.user).is_secretary_of(org),
            "today": timezone.localdate(),
        },
    )


@gzip_page
@require_GET
def poster(request, code):
    org = _board_org(code)
    campaign = Campaign.objects.current()
    pledges = board_pledges(org, campaign, details=False)
    qr_svg = board_qr(org).svg_inline(scale=4, border=2, omitsize=True, title=board_url(org))
    return render(
        request,
        "pledges/poster.html",
        {
            "org": org,
            "campaign": campaign,
            "pledges": pledges,
            "board_url": board_url(org),
            "qr_svg": mark_safe(qr_svg),  # segno's own SVG; the only text in it is our URL, escaped by segno
            "today": timezone.localdate(),
        },
    )


@require_GET
def qr(request, code):
    org = _board_org(code)
    out = io.BytesIO()
    board_qr(org).save(out, kind="svg", scale=10, border=4, title=board_url(org))
    response = HttpResponse(out.getvalue(), content_type="image/svg+xml")
    response["Content-Disposition"] = f'inline; filename="board-{org.code}.svg"'
    response["Cache-Control"] = "public, max-age=86400"
    return response
