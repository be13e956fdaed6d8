"""Reads behind the dashboards (挂图作战) and the ranking ledger.

Figures come from the daily snapshots (campaign.rollups writes them): the page reads a handful of
rows whatever the size of the subtree. Only the category and sector breakdowns and the list of
grass-roots organizations without a public pledge are live aggregate queries over pledges, each
one statement. Every function here issues a fixed number of queries.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import urlencode

from django.core.cache import cache
from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from orgs.models import Member, Organization
from orgs.roles import roles_of
from pledges.models import Pledge

from .models import Campaign, DashboardThreshold, OrgSnapshot

GREEN, AMBER, RED, NONE = "green", "amber", "red", "none"
# How many grass-roots organizations without a public pledge the page lists (the count is always exact).
NO_PLEDGE_LIST_LIMIT = 50
# The category breakdown is a live aggregate over pledges; it is kept this long (seconds) in the cache.
CATEGORY_CACHE_SECONDS = 300


@dataclass(frozen=True)
class FigureDef:
    key: str
    label: str
    is_rate: bool = True
    # Filters for pledges:search showing the pledges behind the figure.
    search: dict = field(default_factory=dict)


FIGURES: tuple[FigureDef, ...] = (
    FigureDef("completion_rate", gettext_lazy("Completion rate"), search={"status": "fulfilled"}),
    FigureDef("on_time_rate", gettext_lazy("On-time rate"), search={"status": "fulfilled"}),
    FigureDef("overdue", gettext_lazy("Overdue"), is_rate=False, search={"overdue": "1"}),
    FigureDef("branch_participation", gettext_lazy("Branch participation"), search={"kind": "org"}),
    FigureDef("member_participation", gettext_lazy("Member participation"), search={"kind": "member"}),
    FigureDef("satisfaction", gettext_lazy("Satisfaction"), search={}),
)
FIGURE_KEYS = tuple(f.key for f in FIGURES)
FIGURES_BY_KEY = {f.key: f for f in FIGURES}

# Used for every figure the administrator has not set in DashboardThreshold.
DEFAULT_THRESHOLDS: dict[str, tuple[Decimal, Decimal]] = {
    "completion_rate": (Decimal(60), Decimal(30)),
    "on_time_rate": (Decimal(90), Decimal(70)),
    "overdue": (Decimal(0), Decimal(3)),
    "branch_participation": (Decimal(95), Decimal(80)),
    "member_participation": (Decimal(80), Decimal(50)),
    "satisfaction": (Decimal(90), Decimal(75)),
}


def create_default_thresholds(*, using: str = "default", **kwargs) -> None:
    """After migrate: one DashboardThreshold row per figure with the defaults, for the administrator to edit.

    Idempotent: existing rows (the administrator's levels) are left alone.
    """
    existing = set(DashboardThreshold.objects.using(using).values_list("figure", flat=True))
    DashboardThreshold.objects.using(using).bulk_create(
        [
            DashboardThreshold(figure=key, green_from=green, red_below=red)
            for key, (green, red) in DEFAULT_THRESHOLDS.items()
            if key not in existing
        ]
    )


# ---------------------------------------------------------------------------
# Scope
# ---------------------------------------------------------------------------
def can_view_dashboard(user, org: Organization) -> bool:
    """Supervisors: any organization in their subtrees; secretaries: their organization (and below); admins: all."""
    return roles_of(user).manages(org)


def dashboard_root_for(user) -> Organization | None:
    """The widest organization whose dashboard a person may open: admin → the root, else the shortest path."""
    roles = roles_of(user)
    if roles.is_admin:
        return Organization.objects.filter(depth=1).order_by("path").first()
    orgs = sorted(roles.supervisor_of or roles.secretary_of, key=lambda o: (len(o.path), o.path))
    return orgs[0] if orgs else None


def dashboard_orgs(user) -> list[Organization]:
    """Every top organization a person may open a dashboard for (a person may supervise several)."""
    roles = roles_of(user)
    if roles.is_admin:
        return list(Organization.objects.filter(depth=1))
    seen, result = set(), []
    for org in sorted(roles.supervisor_of + roles.secretary_of, key=lambda o: (len(o.path), o.path)):
        if not any(org.path.startswith(path) for path in seen):
            seen.add(org.path)
            result.append(org)
    return result


def breadcrumbs(user, org: Organization) -> list[Organization]:
    """Ancestors of `org` (inclusive) the person may open, root first. One query."""
    roles = roles_of(user)
    return [o for o in Organization.objects.ancestor_of(org) if roles.manages(o)]


# ---------------------------------------------------------------------------
# Campaigns and days
# ---------------------------------------------------------------------------
def pick_campaign(campaigns: list[Campaign], campaign_id: str | None) -> Campaign | None:
    """The campaign asked for (by id), else the current one, else the latest. `campaigns`: all of them."""
    if campaign_id and str(campaign_id).isdigit():
        for campaign in campaigns:
            if campaign.pk == int(campaign_id):
                return campaign
    current = [c for c in campaigns if c.is_current]
    return current[0] if current else (campaigns[0] if campaigns else None)


def previous_campaign(campaign: Campaign, campaigns: list[Campaign] | None = None) -> Campaign | None:
    """Last year's campaign: the one that started most recently before this one."""
    if campaigns is None:
        return Campaign.objects.filter(starts_on__lt=campaign.starts_on).order_by("-starts_on").first()
    earlier = [c for c in campaigns if c.starts_on < campaign.starts_on]
    return max(earlier, key=lambda c: c.starts_on) if earlier else None


# ---------------------------------------------------------------------------
# Figures
# ---------------------------------------------------------------------------
def figure_value(snapshot: OrgSnapshot | None, key: str):
    """A figure of a snapshot: a rate in 0..1, the overdue count, or None ("—": nothing to count)."""
    if snapshot is None:
        return None
    if key == "overdue":
        return snapshot.overdue if snapshot.counted else None
    return getattr(snapshot, key)


def format_figure(key: str, value) -> str:
    if value is None:
        return "—"
    if key == "overdue":
        return str(value)
    return f"{value * 100:.1f}%"


def load_thresholds() -> dict[str, tuple[Decimal, Decimal]]:
    thresholds = dict(DEFAULT_THRESHOLDS)
    for row in DashboardThreshold.objects.all():
        thresholds[row.figure] = (row.green_from, row.red_below)
    return thresholds


def flag(key: str, value, thresholds) -> str:
    if value is None:
        return NONE
    green, red = thresholds[key]
    if key == "overdue":
        if value <= green:
            return GREEN
        return RED if value > red else AMBER
    percent = Decimal(str(round(value * 100, 4)))
    if percent >= green:
        return GREEN
    return RED if percent < red else AMBER


def change(key: str, now, before) -> dict | None:
    """The change since last week: arrow, words (not colour alone) and whether it is an improvement."""
    if now is None or before is None:
        return None
    if key == "overdue":
        delta = now - before
        amount = _("%(n)s items") % {"n": abs(delta)}
        better = delta < 0
    else:
        delta = round((now - before) * 100, 1)
        amount = _("%(n)s points") % {"n": f"{abs(delta):.1f}"}
        better = delta > 0
    if delta == 0:
        return {"arrow": "＝", "text": _("unchanged since last week"), "direction": "flat", "better": None}
    if delta > 0:
        return {
            "arrow": "▲",
            "text": _("up %(amount)s since last week") % {"amount": amount},
            "direction": "up",
            "better": better,
        }
    return {
        "arrow": "▼",
        "text": _("down %(amount)s since last week") % {"amount": amount},
        "direction": "down",
        "better": better,
    }


def search_url(org: Organization, campaign: Campaign, **filters) -> str:
    params = {"org": org.code, "campaign": campaign.pk, **{k: v for k, v in filters.items() if v not in (None, "")}}
    return f"{reverse('pledges:search')}?{urlencode(params)}"


@dataclass
class UnitRow:
    org: Organization
    snapshot: OrgSnapshot | None
    values: dict
    flags: dict
    rank: int = 0

    @property
    def cells(self) -> list[dict]:
        return [
            {
                "key": key,
                "value": self.values[key],
                "text": format_figure(key, self.values[key]),
                "flag": self.flags[key],
            }
            for key in FIGURE_KEYS
        ]


def unit_row(org: Organization, snapshot: OrgSnapshot | None, thresholds) -> UnitRow:
    values = {key: figure_value(snapshot, key) for key in FIGURE_KEYS}
    return UnitRow(
        org=org, snapshot=snapshot, values=values, flags={k: flag(k, v, thresholds) for k, v in values.items()}
    )


def sort_rows(rows: list[UnitRow], key: str) -> list[UnitRow]:
    """Best first on `key` (fewest overdue first); units with nothing to count last. Ranks follow the order."""
    if key not in FIGURE_KEYS:
        key = "completion_rate"
    lower_is_better = key == "overdue"

    def sort_key(row: UnitRow):
        value = row.values[key]
        if value is None:
            return (1, 0, row.org.path)
        return (0, value if lower_is_better else -value, row.org.path)

    ordered = sorted(rows, key=sort_key)
    for index, row in enumerate(ordered, start=1):
        row.rank = index if row.values[key] is not None else 0
    return ordered


def child_rows(org: Organization, campaign: Campaign, day: datetime.date | None, thresholds) -> list[UnitRow]:
    """The direct children of `org`, each with its snapshot of `day`. Two queries."""
    children = list(
        Organization.objects.filter(path__startswith=org.path, depth=org.depth + 1, is_active=True).order_by("path")
    )
    snapshots = {}
    if day is not None and children:
        snapshots = {
            s.organization_id: s
            for s in OrgSnapshot.objects.filter(
                campaign=campaign, day=day, organization__path__startswith=org.path, organization__depth=org.depth + 1
            )
        }
    return [unit_row(child, snapshots.get(child.pk), thresholds) for child in children]


def open_rectifications(org: Organization, campaign: Campaign, children: list[Organization]) -> dict[int, int]:
    """Open rectification items of the campaign per child (by organization id). One query.

    Returns {} while the inspections app has no RectificationItem.
    """
    try:
        from inspections.models import RectificationItem  # noqa: PLC0415
    except ImportError:
        return {}
    if not children:
        return {}
    paths = (
        RectificationItem.objects.open()
        .in_campaign(campaign)
        .owned_within(org, inclusive=False)
        .values_list("owner_org__path", flat=True)
    )
    child_ids = {child.path: child.pk for child in children}
    depth_len = len(children[0].path)
    counts: dict[int, int] = {}
    for path in paths:
        child_id = child_ids.get(path[:depth_len])
        if child_id is not None:
            counts[child_id] = counts.get(child_id, 0) + 1
    return counts


def grassroots_without_pledge(org: Organization, campaign: Campaign):
    """Active grass-roots organizations in `org`'s subtree with no public organization pledge in `campaign`."""
    has_pledge = Pledge.objects.public().filter(campaign=campaign, owner_org=OuterRef("pk"))
    return Organization.objects.descendant_of(org).grassroots().active().exclude(Exists(has_pledge)).order_by("path")


def lagging_units(
    org: Organization, campaign: Campaign, rows: list[UnitRow], thresholds, rectifications: dict[int, int]
) -> tuple[list[dict], int]:
    """需关注单位: each with the reasons it lags. Returns (units, how many grass-roots units have no pledge).

    A unit lags when it is a grass-roots organization (anywhere in the subtree) with no public pledge,
    or a child unit with a figure in the red, with overdue pledges, or with open rectification items.
    """
    lagging: dict[int, dict] = {}

    def add(unit: Organization, reason: str, key: str | None = None):
        entry = lagging.setdefault(unit.pk, {"org": unit, "reasons": [], "keys": []})
        entry["reasons"].append(reason)
        if key:
            entry["keys"].append(key)

    for row in rows:
        for key in FIGURE_KEYS:
            if row.flags[key] != RED or key == "overdue":
                continue
            green, red = thresholds[key]
            add(
                row.org,
                _("%(figure)s %(value)s, below %(level)s%%")
                % {
                    "figure": FIGURES_BY_KEY[key].label,
                    "value": format_figure(key, row.values[key]),
                    "level": f"{red:g}",
                },
                key,
            )
        overdue = row.values["overdue"]
        if overdue:
            add(row.org, _("%(n)s overdue pledges") % {"n": overdue}, "overdue")
        if rectifications.get(row.org.pk):
            add(row.org, _("%(n)s open rectification items") % {"n": rectifications[row.org.pk]}, "rectification")
    no_pledge_qs = grassroots_without_pledge(org, campaign)
    no_pledge = list(no_pledge_qs[:NO_PLEDGE_LIST_LIMIT])
    no_pledge_count = len(no_pledge)
    if no_pledge_count == NO_PLEDGE_LIST_LIMIT:
        no_pledge_count = no_pledge_qs.count()
    for unit in no_pledge:
        add(unit, _("no public pledge yet"), "no_pledge")
    units = sorted(lagging.values(), key=lambda e: (-len(e["reasons"]), e["org"].path))
    return units, no_pledge_count


# ---------------------------------------------------------------------------
# Trend, breakdowns, last year
# ---------------------------------------------------------------------------
def trend(org: Organization, campaign: Campaign, *, on: datetime.date | None = None) -> list[OrgSnapshot]:
    """The unit's daily snapshots over the campaign up to `on` (default today), oldest first. One query.

    The last one is what the dashboard shows: today's figures, else the latest before.
    """
    until = min(on or timezone.localdate(), campaign.ends_on)
    return list(OrgSnapshot.objects.filter(campaign=campaign, organization=org, day__lte=until).order_by("day"))


def last_year(org: Organization, campaign: Campaign, day: datetime.date | None, campaigns=None):
    """Last year's campaign, the unit's snapshot at the same point of it, and its trend. One or two queries."""
    previous = previous_campaign(campaign, campaigns)
    if previous is None:
        return None
    offset = ((day or timezone.localdate()) - campaign.starts_on).days
    same_point = min(previous.starts_on + datetime.timedelta(days=max(offset, 0)), previous.ends_on)
    series = list(OrgSnapshot.objects.filter(campaign=previous, organization=org).order_by("day"))
    snapshot = None
    for s in series:
        if s.day <= same_point:
            snapshot = s
    return {"campaign": previous, "snapshot": snapshot, "day": same_point, "series": series}


def _counted_parts(org: Organization, campaign: Campaign):
    """Counted pledges of the subtree as two querysets, organizations' and members', each using an index.

    (One query with `owner_org__path OR owner_member__organization__path` cannot use either index and
    scans every pledge of the campaign.)
    """
    in_subtree = Organization.objects.filter(path__startswith=org.path).values("pk")
    base = Pledge.objects.public().filter(campaign=campaign)
    return (
        base.filter(owner_org__in=in_subtree),
        base.filter(owner_member__in=Member.objects.filter(organization__in=in_subtree).values("pk")),
    )


def category_cache_key(org: Organization, campaign: Campaign, day: datetime.date) -> str:
    return f"dashboard:categories:{org.pk}:{campaign.pk}:{day.isoformat()}"


def category_breakdown(org: Organization, campaign: Campaign, day: datetime.date) -> list[dict]:
    """Counted pledges by category: total, fulfilled, overdue.

    Live aggregates over pledges (one or two queries), kept in the cache for CATEGORY_CACHE_SECONDS:
    at the root of a large district they scan every pledge of the campaign.
    """
    key = category_cache_key(org, campaign, day)
    totals = cache.get(key)
    if totals is None:
        totals = _category_totals(org, campaign, day)
        cache.set(key, totals, CATEGORY_CACHE_SECONDS)
    result = []
    for value, label in Pledge.Category.choices:
        r = totals.get(value, {"total": 0, "fulfilled": 0, "overdue": 0})
        result.append(
            {
                "key": value,
                "label": str(label),
                "total": r["total"],
                "fulfilled": r["fulfilled"],
                "overdue": r["overdue"],
                "rate": (r["fulfilled"] / r["total"]) if r["total"] else None,
                "url": search_url(org, campaign, category=value),
            }
        )
    return result


def _category_totals(org: Organization, campaign: Campaign, day: datetime.date) -> dict[str, dict]:
    if org.depth == 1 and not Organization.objects.filter(depth=1).exclude(pk=org.pk).exists():
        parts = [Pledge.objects.public().filter(campaign=campaign)]  # the only tree: every pledge counts
    else:
        parts = _counted_parts(org, campaign)
    totals: dict[str, dict] = {}
    for part in parts:
        rows = part.values("category").annotate(
            total=Count("pk"),
            fulfilled=Count("pk", filter=Q(status=Pledge.Status.FULFILLED)),
            overdue=Count("pk", filter=~Q(status=Pledge.Status.FULFILLED) & Q(deadline__lt=day)),
        )
        for r in rows:
            entry = totals.setdefault(r["category"], {"total": 0, "fulfilled": 0, "overdue": 0})
            for name in entry:
                entry[name] += r[name]
    return totals


def sector_breakdown(org: Organization, campaign: Campaign, day: datetime.date | None) -> list[dict]:
    """Counted pledges by the sector of the owning organization (a member's: their organization's).

    From the day's snapshots, in one query: an organization's own figures are its subtree's minus its
    children's, and those are summed by the organization's sector.
    """
    if day is None:
        return []
    rows = list(
        OrgSnapshot.objects.filter(campaign=campaign, day=day, organization__path__startswith=org.path).values_list(
            "organization__path", "organization__sector", "counted", "fulfilled", "overdue"
        )
    )
    own = {path: [sector, counted, fulfilled, overdue] for path, sector, counted, fulfilled, overdue in rows}
    steplen = Organization.steplen
    for path, _sector, counted, fulfilled, overdue in rows:
        parent = own.get(path[:-steplen]) if len(path) > len(org.path) else None
        if parent is not None:
            parent[1] -= counted
            parent[2] -= fulfilled
            parent[3] -= overdue
    by_sector: dict[str, list[int]] = {}
    for sector, counted, fulfilled, overdue in own.values():
        entry = by_sector.setdefault(sector or "", [0, 0, 0])
        entry[0] += counted
        entry[1] += fulfilled
        entry[2] += overdue
    labels = dict(Organization.Sector.choices)
    result = [
        {
            "key": sector,
            "label": str(labels.get(sector, _("Other"))),
            "total": total,
            "fulfilled": fulfilled,
            "overdue": overdue,
            "rate": (fulfilled / total) if total else None,
        }
        for sector, (total, fulfilled, overdue) in by_sector.items()
        if total
    ]
    result.sort(key=lambda r: (-r["total"], r["label"]))
    return result


# ---------------------------------------------------------------------------
# The whole dashboard
# ---------------------------------------------------------------------------
def headline(org: Organization, campaign: Campaign, snapshot, week_ago_snapshot, thresholds) -> list[dict]:
    cards = []
    for fig in FIGURES:
        value = figure_value(snapshot, fig.key)
        before = figure_value(week_ago_snapshot, fig.key)
        cards.append(
            {
                "key": fig.key,
                "label": fig.label,
                "value": value,
                "text": format_figure(fig.key, value),
                "change": change(fig.key, value, before),
                "flag": flag(fig.key, value, thresholds),
                "url": search_url(org, campaign, **fig.search),
            }
        )
    return cards


def dashboard_data(
    org: Organization, campaign: Campaign, *, sort: str = "completion_rate", campaigns: list[Campaign] | None = None
) -> dict:
    """Everything the dashboard shows for `org` in `campaign`, in a fixed number of queries (about ten).

    `campaigns` (all campaigns, if the caller has them) saves the query for last year's campaign.
    """
    thresholds = load_thresholds()
    series = trend(org, campaign)
    snapshot = series[-1] if series else None
    day = snapshot.day if snapshot else None
    week_ago = None
    if day is not None:
        target = day - datetime.timedelta(days=7)
        for s in series:
            if s.day <= target:
                week_ago = s
    rows = child_rows(org, campaign, day, thresholds)
    rectifications = open_rectifications(org, campaign, [r.org for r in rows])
    lagging, no_pledge_count = lagging_units(org, campaign, rows, thresholds, rectifications)
    as_of = day or timezone.localdate()
    previous = last_year(org, campaign, day, campaigns)
    return {
        "org": org,
        "campaign": campaign,
        "day": day,
        "snapshot": snapshot,
        "week_ago": week_ago,
        "cards": headline(org, campaign, snapshot, week_ago, thresholds),
        "rows": sort_rows(rows, sort),
        "sort": sort if sort in FIGURE_KEYS else "completion_rate",
        "figures": FIGURES,
        "lagging": lagging,
        "no_pledge_count": no_pledge_count,
        "trend": series,
        "last_year": previous,
        "categories": category_breakdown(org, campaign, as_of),
        "sectors": sector_breakdown(org, campaign, day),
        "thresholds": thresholds,
        "threshold_legend": [
            {
                "label": f.label,
                "is_rate": f.is_rate,
                "green": f"{thresholds[f.key][0]:g}",
                "red": f"{thresholds[f.key][1]:g}",
            }
            for f in FIGURES
        ],
        "counted_url": search_url(org, campaign),
    }


def chart_payload(data: dict) -> dict:
    """The numbers the ECharts on the page draw (the same numbers as the tables beside them)."""

    def pct(value):
        return None if value is None else round(value * 100, 1)

    payload = {
        "labels": {
            "completion": _("Completion rate"),
            "on_time": _("On-time rate"),
            "branch": _("Branch participation"),
            "member": _("Member participation"),
            "fulfilled": _("Fulfilled"),
            "open": _("In progress"),
            "overdue": _("Overdue"),
            "total": _("Public pledges"),
            "last_year": _("Completion rate, last year"),
            "percent": _("Percent"),
            "pledges": _("Number of pledges"),
        },
        "trend": {
            "days": [s.day.isoformat() for s in data["trend"]],
            "completion": [pct(s.completion_rate) for s in data["trend"]],
            "on_time": [pct(s.on_time_rate) for s in data["trend"]],
            "branch": [pct(s.branch_participation) for s in data["trend"]],
            "member": [pct(s.member_participation) for s in data["trend"]],
        },
        "categories": [
            {
                "label": c["label"],
                "fulfilled": c["fulfilled"],
                "open": c["total"] - c["fulfilled"] - c["overdue"],
                "overdue": c["overdue"],
                "url": c["url"],
            }
            for c in data["categories"]
        ],
        "sectors": [{"label": s["label"], "total": s["total"], "fulfilled": s["fulfilled"]} for s in data["sectors"]],
        "units": [
            {
                "name": row.org.name,
                "value": pct(row.values["completion_rate"]),
                "flag": row.flags["completion_rate"],
                "url": reverse("campaign:dashboard", args=[row.org.code]) + f"?campaign={data['campaign'].pk}",
            }
            for row in sorted(
                data["rows"], key=lambda r: (r.values["completion_rate"] is None, -(r.values["completion_rate"] or 0))
            )
        ],
    }
    previous = data.get("last_year")
    if previous and previous["series"]:
        start = previous["campaign"].starts_on
        this_start = data["campaign"].starts_on
        # Last year's curve, shifted onto this year's days (same day of the campaign).
        shifted = {(this_start + (s.day - start)).isoformat(): pct(s.completion_rate) for s in previous["series"]}
        payload["trend"]["last_year"] = [shifted.get(d) for d in payload["trend"]["days"]]
        payload["labels"]["last_year"] = _("Completion rate, %(campaign)s") % {"campaign": previous["campaign"].name}
    return payload
