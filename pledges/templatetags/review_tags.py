"""Template helpers for reviews, public ratings and satisfaction figures.

The board helpers fetch once per request and organization (cached on the request), so a board with
many pledges still costs a constant number of queries.
"""

from __future__ import annotations

from collections import defaultdict

from django import template
from django.db.models import Count, Q

from ..models import Pledge, Rating
from ..permissions import can_review
from ..selectors.satisfaction import Satisfaction

register = template.Library()

# The calm palette: the one red accent marks 优秀; the other grades are light and bordered (the grade word
# is always printed, so nothing is carried by colour alone).
GRADE_CLASSES = {
    "excellent": "bg-brand",
    "good": "text-bg-light border",
    "fair": "text-bg-light border",
    "poor": "text-bg-light border border-dark",
}


@register.filter
def percent(value, digits: int = 0) -> str:
    """0.873 → '87%'; None → '—' (nothing to count)."""
    if value is None or value == "":
        return "—"
    return f"{float(value) * 100:.{int(digits)}f}%"


@register.filter
def score(value) -> str:
    """An assessment score: 87.5 → '87.5'; None → '—'."""
    if value is None:
        return "—"
    return f"{value:.1f}"


@register.filter
def grade_class(grade: str) -> str:
    return GRADE_CLASSES.get(grade, "text-bg-light border")


@register.filter
def may_review(user, pledge) -> bool:
    return bool(user and user.is_authenticated and can_review(user, pledge))


def _board_cache(request, org) -> dict:
    store = request.__dict__.setdefault("_board_rating_cache", {})
    if org.pk in store:
        return store[org.pk]
    from ..views.ratings import browser_token

    on_board = Pledge.objects.on_board(org).values("pk")
    ratings = Rating.objects.filter(pledge__in=on_board)
    counts = {
        row["pledge"]: Satisfaction(row["total"], row["satisfied"], row["basic"])
        for row in ratings.values("pledge")
        .annotate(
            total=Count("pk"),
            satisfied=Count("pk", filter=Q(choice=Rating.Choice.SATISFIED)),
            basic=Count("pk", filter=Q(choice=Rating.Choice.BASICALLY_SATISFIED)),
        )
        .order_by()
    }
    comments = defaultdict(list)
    for rating in ratings.filter(comment_status=Rating.CommentStatus.APPROVED).order_by("-created_at", "-pk"):
        comments[rating.pledge_id].append(rating)
    token = browser_token(request)
    rated = set(ratings.filter(browser_token=token).values_list("pledge_id", flat=True)) if token else set()
    store[org.pk] = {"counts": counts, "comments": comments, "rated": rated}
    return store[org.pk]


@register.simple_tag(takes_context=True)
def board_rating(context, pledge, org):
    """{% board_rating pledge org as r %}: r.satisfaction, r.comments (approved), r.rated_here."""
    request = context.get("request")
    if request is None:
        return {"satisfaction": Satisfaction(), "comments": [], "rated_here": False}
    data = _board_cache(request, org)
    return {
        "satisfaction": data["counts"].get(pledge.pk, Satisfaction()),
        "comments": data["comments"].get(pledge.pk, [])[:5],
        "rated_here": pledge.pk in data["rated"],
    }


@register.simple_tag
def pledge_ratings(pledge):
    """{% pledge_ratings pledge as r %}: r.satisfaction and r.comments (approved, newest first) for one pledge."""
    from ..selectors.ratings import approved_comments
    from ..selectors.satisfaction import satisfaction_of

    return {"satisfaction": satisfaction_of(pledge), "comments": list(approved_comments(pledge)[:20])}
