"""The year-end assessment (考评): a score per organization or member for one campaign.

Parts (each 0–100), with the weights of the AssessmentScheme:
- completion: fulfilled / counted pledges (DOMAIN.md);
- on time: fulfilled on or before their deadline / (fulfilled + overdue); a pledge is finished on
  the day its completion was claimed (as in the daily roll-up, campaign.rollups);
- reviews: the mean points of the leader reviews of the counted pledges and of the organizations
  in the unit's subtree (优秀 100, 良好 80, 一般 60, 较差 40 by default);
- satisfaction: (满意 + 0.5 × 基本满意) / all ratings of the counted pledges
  (pledges.selectors.satisfaction, the same figure as the boards);
- rectification: 100 minus the penalty for each rectification item of the campaign still open in
  the subtree, at least 0 (organizations only).
A part with nothing to count is left out and the other weights are renormalized; a unit with no
part at all has no score ("—"), never 0 or 100.

Every figure keeps the rows it came from (`UnitScore.pledges`, `.reviews`, `.items`), so the
evaluation sheet can show what lies behind each number. The reads are a fixed handful of queries
whatever the number of units.
"""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass, field

from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from inspections.models import RectificationItem
from orgs.querysets import path_prefix_q
from pledges.models import Pledge, Review
from pledges.selectors.satisfaction import Satisfaction, annotate_pledges

from .models import AssessmentScheme

PART_LABELS = {
    "completion": _("Completion rate"),
    "on_time": _("On-time rate"),
    "reviews": _("Leader review grades"),
    "satisfaction": _("Public satisfaction"),
    "rectification": _("Rectification"),
}

BAND_LABELS = {
    "excellent": _("Excellent"),
    "qualified": _("Qualified"),
    "basic": _("Basically qualified"),
    "unqualified": _("Unqualified"),
}


@dataclass
class PledgeRow:
    pk: int
    title: str
    owner_name: str
    owner_path: str
    owner_member_id: int | None
    status: str
    status_label: str
    deadline: datetime.date
    finished_on: datetime.date | None
    satisfaction: Satisfaction
    completed_on: datetime.date | None = None

    @property
    def fulfilled(self) -> bool:
        return self.status == Pledge.Status.FULFILLED

    @property
    def on_time(self) -> bool:
        # As the daily roll-up counts it (campaign.rollups): the day completion was claimed.
        return self.fulfilled and self.completed_on is not None and self.completed_on <= self.deadline

    def overdue(self, day: datetime.date) -> bool:
        return not self.fulfilled and self.deadline < day


@dataclass
class ReviewRow:
    pk: int
    grade: str
    grade_label: str
    points: int
    reviewer: str
    reviewer_title: str
    comment: str
    created_at: datetime.datetime
    pledge_id: int | None
    pledge_title: str
    org_path: str  # the reviewed organization's path, or the reviewed pledge owner's
    org_name: str


@dataclass
class ItemRow:
    pk: int
    inspection_id: int
    description: str
    owner_path: str
    owner_name: str
    deadline: datetime.date
    status: str
    status_label: str

    @property
    def is_open(self) -> bool:
        return self.status != RectificationItem.Status.CLOSED


@dataclass
class Part:
    key: str
    weight: int
    score: float | None
    numerator: float = 0
    denominator: float = 0
    effective_weight: float | None = None  # share of the total after renormalization, 0–1

    @property
    def label(self):
        return PART_LABELS[self.key]

    @property
    def counted(self) -> bool:
        return self.score is not None and self.weight > 0


@dataclass
class UnitScore:
    unit: object  # an Organization or a Member
    kind: str  # "org" or "member"
    parts: list[Part]
    score: float | None
    pledges: list[PledgeRow] = field(default_factory=list)
    reviews: list[ReviewRow] = field(default_factory=list)
    items: list[ItemRow] = field(default_factory=list)
    satisfaction: Satisfaction = field(default_factory=Satisfaction)
    rank: int | None = None
    band: str | None = None
    linkable: bool = True  # whether the viewer may open this unit's own sheet (set by the views)

    @property
    def name(self) -> str:
        return self.unit.name

    @property
    def band_label(self):
        return BAND_LABELS.get(self.band, "—") if self.band else "—"

    def part(self, key: str) -> Part:
        return next(p for p in self.parts if p.key == key)

    @property
    def fulfilled(self) -> int:
        return sum(1 for p in self.pledges if p.fulfilled)

    @property
    def open_items(self) -> int:
        return sum(1 for i in self.items if i.is_open)


def _finished_on(row: dict) -> datetime.date | None:
    if row["completed_on"]:
        return row["completed_on"]
    if row["fulfilled_at"]:
        return timezone.localtime(row["fulfilled_at"]).date()
    return None


def _fetch_pledges(scope: Q, campaign) -> list[PledgeRow]:
    status_labels = dict(Pledge.Status.choices)
    qs = (
        annotate_pledges(Pledge.objects.public().filter(campaign=campaign).filter(scope))
        .annotate(
            owner_path=Coalesce("owner_org__path", "owner_member__organization__path"),
        )
        .values(
            "pk",
            "title",
            "owner_org__name",
            "owner_member__name",
            "owner_member_id",
            "owner_path",
            "status",
            "deadline",
            "completed_on",
            "fulfilled_at",
            "ratings_total",
            "ratings_satisfied",
            "ratings_basic",
        )
        .order_by("owner_path", "deadline", "pk")
    )
    return [
        PledgeRow(
            pk=row["pk"],
            title=row["title"],
            owner_name=row["owner_org__name"] or row["owner_member__name"],
            owner_path=row["owner_path"],
            owner_member_id=row["owner_member_id"],
            status=row["status"],
            status_label=status_labels.get(row["status"], row["status"]),
            deadline=row["deadline"],
            finished_on=_finished_on(row),
            completed_on=row["completed_on"],
            satisfaction=Satisfaction(row["ratings_total"], row["ratings_satisfied"], row["ratings_basic"]),
        )
        for row in qs
    ]


def _fetch_reviews(campaign, pledge_ids_scope, org_scope: Q | None, points: dict[str, int]) -> list[ReviewRow]:
    query = Q(pledge__in=pledge_ids_scope)
    if org_scope is not None:
        query |= org_scope
    grade_labels = dict(Review.Grade.choices)
    qs = (
        Review.objects.filter(campaign=campaign)
        .filter(query)
        .annotate(
            org_path=Coalesce(
                "organization__path", "pledge__owner_org__path", "pledge__owner_member__organization__path"
            )
        )
        .values(
            "pk",
            "grade",
            "reviewer__full_name",
            "reviewer__username",
            "reviewer_title",
            "comment",
            "created_at",
            "pledge_id",
            "pledge__title",
            "org_path",
            "organization__name",
        )
        .order_by("-created_at", "-pk")
    )
    return [
        ReviewRow(
            pk=row["pk"],
            grade=row["grade"],
            grade_label=grade_labels.get(row["grade"], row["grade"]),
            points=points.get(row["grade"], 0),
            reviewer=row["reviewer__full_name"] or row["reviewer__username"],
            reviewer_title=row["reviewer_title"],
            comment=row["comment"],
            created_at=row["created_at"],
            pledge_id=row["pledge_id"],
            pledge_title=row["pledge__title"] or "",
            org_path=row["org_path"],
            org_name=row["organization__name"] or "",
        )
        for row in qs
    ]


def _fetch_items(campaign, org_scope: Q) -> list[ItemRow]:
    labels = dict(RectificationItem.Status.choices)
    qs = (
        RectificationItem.objects.in_campaign(campaign)
        .filter(org_scope)
        .values("pk", "inspection_id", "description", "owner_org__path", "owner_org__name", "deadline", "status")
        .order_by("deadline", "pk")
    )
    return [
        ItemRow(
            pk=row["pk"],
            inspection_id=row["inspection_id"],
            description=row["description"],
            owner_path=row["owner_org__path"],
            owner_name=row["owner_org__name"],
            deadline=row["deadline"],
            status=row["status"],
            status_label=labels.get(row["status"], row["status"]),
        )
        for row in qs
    ]


def _parts(pledges, reviews, items, *, scheme: AssessmentScheme, day: datetime.date, with_items: bool):
    counted = len(pledges)
    fulfilled = sum(1 for p in pledges if p.fulfilled)
    on_time = sum(1 for p in pledges if p.on_time)
    overdue = sum(1 for p in pledges if p.overdue(day))
    satisfaction = Satisfaction()
    for p in pledges:
        satisfaction = satisfaction + p.satisfaction
    review_points = sum(r.points for r in reviews)
    parts = [
        Part(
            "completion", scheme.weight_completion, 100 * fulfilled / counted if counted else None, fulfilled, counted
        ),
        Part(
            "on_time",
            scheme.weight_on_time,
            100 * on_time / (fulfilled + overdue) if fulfilled + overdue else None,
            on_time,
            fulfilled + overdue,
        ),
        Part(
            "reviews",
            scheme.weight_reviews,
            review_points / len(reviews) if reviews else None,
            review_points,
            len(reviews),
        ),
        Part(
            "satisfaction",
            scheme.weight_satisfaction,
            100 * satisfaction.rate if satisfaction.total else None,
            satisfaction.satisfied + 0.5 * satisfaction.basically_satisfied,
            satisfaction.total,
        ),
    ]
    if with_items:
        open_items = sum(1 for i in items if i.is_open)
        parts.append(
            Part(
                "rectification",
                scheme.weight_rectification,
                max(0, 100 - scheme.rectification_penalty * open_items) if items else None,
                open_items,
                len(items),
            )
        )
    total_weight = sum(p.weight for p in parts if p.counted)
    if not total_weight:
        return parts, None, satisfaction
    for p in parts:
        p.effective_weight = p.weight / total_weight if p.counted else None
    score = sum(p.weight * p.score for p in parts if p.counted) / total_weight
    return parts, round(score, 2), satisfaction


def _day(campaign, day):
    return day or timezone.localdate()


def score_orgs(orgs, campaign, *, day: datetime.date | None = None, scheme: AssessmentScheme | None = None):
    """Scores of organizations (each over its whole subtree), in the order given, ranked among themselves."""
    orgs = list(orgs)
    scheme = scheme or AssessmentScheme.for_campaign(campaign)
    day = _day(campaign, day)
    if not orgs:
        return []
    paths = [o.path for o in orgs]
    pledge_scope = path_prefix_q("owner_org__path", paths) | path_prefix_q("owner_member__organization__path", paths)
    pledges = _fetch_pledges(pledge_scope, campaign)
    pledge_ids = Pledge.objects.public().filter(campaign=campaign).filter(pledge_scope).values("pk")
    reviews = _fetch_reviews(campaign, pledge_ids, path_prefix_q("organization__path", paths), scheme.grade_points())
    items = _fetch_items(campaign, path_prefix_q("owner_org__path", paths))
    results = []
    for org in orgs:
        own_pledges = [p for p in pledges if p.owner_path.startswith(org.path)]
        own_reviews = [r for r in reviews if (r.org_path or "").startswith(org.path)]
        own_items = [i for i in items if i.owner_path.startswith(org.path)]
        parts, score, satisfaction = _parts(
            own_pledges, own_reviews, own_items, scheme=scheme, day=day, with_items=True
        )
        results.append(UnitScore(org, "org", parts, score, own_pledges, own_reviews, own_items, satisfaction))
    rank_and_band(results, scheme)
    return results


def score_members(members, campaign, *, day: datetime.date | None = None, scheme: AssessmentScheme | None = None):
    """Scores of members (their personal pledges), ranked among themselves. No rectification part."""
    members = list(members)
    scheme = scheme or AssessmentScheme.for_campaign(campaign)
    day = _day(campaign, day)
    if not members:
        return []
    scope = Q(owner_member__in=[m.pk for m in members])
    pledges = _fetch_pledges(scope, campaign)
    pledge_ids = Pledge.objects.public().filter(campaign=campaign).filter(scope).values("pk")
    reviews = _fetch_reviews(campaign, pledge_ids, None, scheme.grade_points())
    owner_of = {p.pk: p.owner_member_id for p in pledges}
    results = []
    for member in members:
        own_pledges = [p for p in pledges if p.owner_member_id == member.pk]
        own_reviews = [r for r in reviews if owner_of.get(r.pledge_id) == member.pk]
        parts, score, satisfaction = _parts(own_pledges, own_reviews, [], scheme=scheme, day=day, with_items=False)
        results.append(UnitScore(member, "member", parts, score, own_pledges, own_reviews, [], satisfaction))
    rank_and_band(results, scheme)
    return results


def rank_and_band(results: list[UnitScore], scheme: AssessmentScheme) -> None:
    """Competition ranking (1, 2, 2, 4) by score; units without a score get no rank and no band.

    Bands by the scheme's thresholds, with at most `excellent_share_cap` % of the scored units rated
    excellent (rounded down). A tie that would cross the cap is left out whole, so the cap always holds;
    those units are rated qualified.
    """
    scored = [r for r in results if r.score is not None]
    for r in results:
        r.rank = None
        r.band = None
    for r in scored:
        r.rank = 1 + sum(1 for other in scored if other.score > r.score)
    cap = math.floor(len(scored) * scheme.excellent_share_cap / 100)
    for r in scored:
        if r.score >= scheme.band_excellent:
            at_least_as_good = sum(
                1 for other in scored if other.score >= r.score and other.score >= scheme.band_excellent
            )
            r.band = "excellent" if at_least_as_good <= cap else "qualified"
        elif r.score >= scheme.band_qualified:
            r.band = "qualified"
        elif r.score >= scheme.band_basic:
            r.band = "basic"
        else:
            r.band = "unqualified"
