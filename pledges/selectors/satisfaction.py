"""Public satisfaction (群众满意度), computed in one place so boards, dashboards and assessment agree.

DOMAIN.md: satisfaction = (满意 × 1 + 基本满意 × 0.5) / all public ratings of the counted pledges.
No rating at all means no figure ("—"), never 0 % or 100 %. Ratings count as soon as they are
given; only their comments wait for moderation.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

from ..models import Pledge, Rating

C = Rating.Choice


@dataclass(frozen=True)
class Satisfaction:
    total: int = 0
    satisfied: int = 0
    basically_satisfied: int = 0

    @property
    def dissatisfied(self) -> int:
        return self.total - self.satisfied - self.basically_satisfied

    @property
    def rate(self) -> float | None:
        """Between 0 and 1, or None when nobody rated."""
        if not self.total:
            return None
        return (self.satisfied + 0.5 * self.basically_satisfied) / self.total

    @property
    def percent(self) -> float | None:
        rate = self.rate
        return None if rate is None else round(rate * 100, 1)

    def __add__(self, other: Satisfaction) -> Satisfaction:
        return Satisfaction(
            self.total + other.total,
            self.satisfied + other.satisfied,
            self.basically_satisfied + other.basically_satisfied,
        )


def _aggregates(prefix: str = "", extra: Q | None = None) -> dict:
    base = extra if extra is not None else Q()
    return {
        f"{prefix}total": Count("pk", filter=base),
        f"{prefix}satisfied": Count("pk", filter=base & Q(choice=C.SATISFIED)),
        f"{prefix}basic": Count("pk", filter=base & Q(choice=C.BASICALLY_SATISFIED)),
    }


def of_ratings(ratings) -> Satisfaction:
    """Satisfaction over a Rating queryset (one query)."""
    row = ratings.aggregate(**_aggregates())
    return Satisfaction(row["total"], row["satisfied"], row["basic"])


def of_pledges(pledges) -> Satisfaction:
    """Satisfaction over every rating of a Pledge queryset (one query)."""
    return of_ratings(Rating.objects.filter(pledge__in=pledges.values("pk")))


def of_board(org) -> Satisfaction:
    """The figure on an organization's public board: ratings of the pledges listed there."""
    return of_pledges(Pledge.objects.on_board(org))


def of_organization(org, campaign) -> Satisfaction:
    """DOMAIN.md figure for an organization's subtree in a campaign."""
    return of_pledges(Pledge.objects.counted(org, campaign))


def of_organizations(orgs, campaign) -> dict[int, Satisfaction]:
    """{org id: Satisfaction} for several subtrees in one query (dashboards, rankings)."""
    orgs = list(orgs)
    if not orgs:
        return {}
    aggregates = {}
    for org in orgs:
        within = Q(pledge__owner_org__path__startswith=org.path) | Q(
            pledge__owner_member__organization__path__startswith=org.path
        )
        aggregates.update(_aggregates(f"o{org.pk}_", within))
    ratings = Rating.objects.filter(pledge__in=Pledge.objects.public().filter(campaign=campaign).values("pk"))
    row = ratings.aggregate(**aggregates)
    return {
        org.pk: Satisfaction(row[f"o{org.pk}_total"], row[f"o{org.pk}_satisfied"], row[f"o{org.pk}_basic"])
        for org in orgs
    }


def _count_subquery(choice: str | None):
    ratings = Rating.objects.filter(pledge=OuterRef("pk"))
    if choice:
        ratings = ratings.filter(choice=choice)
    counted = ratings.order_by().values("pledge").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def annotate_pledges(pledges):
    """Annotate each pledge with `ratings_total`, `ratings_satisfied`, `ratings_basic` (subqueries,
    so they never multiply other annotations). Read them with `satisfaction_of(pledge)`."""
    return pledges.annotate(
        ratings_total=_count_subquery(None),
        ratings_satisfied=_count_subquery(C.SATISFIED),
        ratings_basic=_count_subquery(C.BASICALLY_SATISFIED),
    )


def satisfaction_of(pledge) -> Satisfaction:
    """One pledge's satisfaction: from `annotate_pledges` when present, else one query."""
    if hasattr(pledge, "ratings_total"):
        return Satisfaction(pledge.ratings_total, pledge.ratings_satisfied, pledge.ratings_basic)
    return of_ratings(Rating.objects.filter(pledge=pledge))
