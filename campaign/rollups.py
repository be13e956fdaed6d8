"""The daily roll-up: DOMAIN.md figures for every organization's subtree, stored in OrgSnapshot.

"As of" a day D (an Asia/Shanghai date; the day ends at midnight Asia/Shanghai):
- a pledge of the campaign is counted if it is public now and was published before D ended;
- fulfilled if it was verified (fulfilled_at) before D ended; on time if completed_on <= deadline;
- overdue if counted, not fulfilled by then, and its deadline is before D;
- ratings count if given before D ended;
- members and grass-roots organizations are the active ones (participating: with a counted pledge).
Rebuilding an old day therefore gives that day's picture, and backfilled trends mean something.

One INSERT … SELECT does it for the whole tree, on PostgreSQL and SQLite alike: the figures are
first aggregated per owning organization (a pledge of a member belongs to the member's
organization), then each organization's own figures are added to every ancestor found by cutting
its materialized path at each step length (an equality join, so the database can hash it). All
the figures are sums over a partition of the subtree, so summing is exact (a member belongs to
one organization). Re-running a day replaces that day's rows in one transaction.
"""

from __future__ import annotations

import datetime
import logging
import zoneinfo

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Max

from .models import Campaign, OrgSnapshot

logger = logging.getLogger(__name__)

ROLLUP_DEBOUNCE_SECONDS = 60
FIGURES = (
    "counted",
    "fulfilled",
    "fulfilled_on_time",
    "overdue",
    "grassroots_total",
    "grassroots_participating",
    "members_total",
    "members_participating",
    "ratings_total",
    "ratings_satisfied",
    "ratings_basically_satisfied",
)


def end_of_day(day: datetime.date) -> datetime.datetime:
    """The first instant after `day`, Asia/Shanghai (the site's time zone)."""
    tz = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    return datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)


def rollup_sql() -> str:
    """The INSERT … SELECT writing one snapshot row per organization (named parameters)."""
    from orgs.models import Member, Organization
    from pledges.models import Pledge, Rating

    q = connection.ops.quote_name
    org, member, pledge, rating = (q(m._meta.db_table) for m in (Organization, Member, Pledge, Rating))
    snapshot = q(OrgSnapshot._meta.db_table)
    depth = Organization.objects.aggregate(depth=Max("depth"))["depth"] or 1
    steps = ", ".join(f"({k})" for k in range(1, depth + 1))
    columns = ", ".join(FIGURES)
    sums = ", ".join(f"SUM(leaf.{name})" for name in FIGURES)
    return f"""
WITH steps (k) AS (VALUES {steps}),
counted AS (
    SELECT p.id, COALESCE(p.owner_org_id, m.organization_id) AS org_id, p.owner_org_id,
           CASE WHEN m.is_active = %(yes)s THEN p.owner_member_id END AS active_member_id,
           CASE WHEN p.status = %(fulfilled)s AND p.fulfilled_at < %(end)s THEN 1 ELSE 0 END AS done,
           p.completed_on, p.deadline
    FROM {pledge} p LEFT JOIN {member} m ON m.id = p.owner_member_id
    WHERE p.campaign_id = %(campaign)s AND p.status IN (%(published)s, %(claimed)s, %(fulfilled)s)
      AND p.published_at < %(end)s
),
own AS (
    SELECT org_id,
           COUNT(*) AS counted,
           SUM(done) AS fulfilled,
           SUM(CASE WHEN done = 1 AND completed_on <= deadline THEN 1 ELSE 0 END) AS fulfilled_on_time,
           SUM(CASE WHEN done = 0 AND deadline < %(day)s THEN 1 ELSE 0 END) AS overdue,
           MAX(CASE WHEN owner_org_id IS NOT NULL THEN 1 ELSE 0 END) AS has_org_pledge,
           COUNT(DISTINCT active_member_id) AS members_participating
    FROM counted GROUP BY org_id
),
rated AS (
    SELECT c.org_id,
           COUNT(*) AS ratings_total,
           SUM(CASE WHEN r.choice = %(satisfied)s THEN 1 ELSE 0 END) AS ratings_satisfied,
           SUM(CASE WHEN r.choice = %(basically)s THEN 1 ELSE 0 END) AS ratings_basically_satisfied
    FROM counted c JOIN {rating} r ON r.pledge_id = c.id
    WHERE r.created_at < %(end)s
    GROUP BY c.org_id
),
roster AS (
    SELECT organization_id AS org_id, COUNT(*) AS members_total
    FROM {member} WHERE is_active = %(yes)s GROUP BY organization_id
),
leaf AS (
    SELECT o.path,
           COALESCE(own.counted, 0) AS counted,
           COALESCE(own.fulfilled, 0) AS fulfilled,
           COALESCE(own.fulfilled_on_time, 0) AS fulfilled_on_time,
           COALESCE(own.overdue, 0) AS overdue,
           CASE WHEN o.is_active = %(yes)s AND o.kind IN (%(branch)s, %(general_branch)s) THEN 1 ELSE 0 END
               AS grassroots_total,
           CASE WHEN o.is_active = %(yes)s AND o.kind IN (%(branch)s, %(general_branch)s)
                     AND own.has_org_pledge = 1 THEN 1 ELSE 0 END AS grassroots_participating,
           COALESCE(roster.members_total, 0) AS members_total,
           COALESCE(own.members_participating, 0) AS members_participating,
           COALESCE(rated.ratings_total, 0) AS ratings_total,
           COALESCE(rated.ratings_satisfied, 0) AS ratings_satisfied,
           COALESCE(rated.ratings_basically_satisfied, 0) AS ratings_basically_satisfied
    FROM {org} o
    LEFT JOIN own ON own.org_id = o.id
    LEFT JOIN rated ON rated.org_id = o.id
    LEFT JOIN roster ON roster.org_id = o.id
)
INSERT INTO {snapshot} (campaign_id, organization_id, day, {columns})
SELECT %(campaign)s, a.id, %(day)s, {sums}
FROM leaf
JOIN steps ON steps.k * %(steplen)s <= LENGTH(leaf.path)
JOIN {org} a ON a.path = SUBSTR(leaf.path, 1, steps.k * %(steplen)s)
GROUP BY a.id
"""


def rollup_params(*, campaign: Campaign, day: datetime.date) -> dict:
    from orgs.models import Organization
    from pledges.models import Pledge, Rating

    ops = connection.ops
    return {
        "campaign": campaign.pk,
        "day": ops.adapt_datefield_value(day),
        "end": ops.adapt_datetimefield_value(end_of_day(day)),
        "yes": True,
        "published": Pledge.Status.PUBLISHED,
        "claimed": Pledge.Status.CLAIMED,
        "fulfilled": Pledge.Status.FULFILLED,
        "satisfied": Rating.Choice.SATISFIED,
        "basically": Rating.Choice.BASICALLY_SATISFIED,
        "branch": Organization.Kind.BRANCH,
        "general_branch": Organization.Kind.GENERAL_BRANCH,
        "steplen": Organization.steplen,
    }


@transaction.atomic
def rollup_day(*, campaign: Campaign, day: datetime.date) -> int:
    """Replace `campaign`'s snapshot rows of `day` with fresh figures. Returns the rows written.

    Runs of the same campaign are serialized by a row lock on the campaign, so two concurrent
    runs cannot both insert a day.
    """
    Campaign.objects.select_for_update().filter(pk=campaign.pk).exists()
    OrgSnapshot.objects.filter(campaign=campaign, day=day).delete()
    with connection.cursor() as cursor:
        cursor.execute(rollup_sql(), rollup_params(campaign=campaign, day=day))
        written = cursor.rowcount
    if written < 0:  # SQLite does not count rows inserted by INSERT … WITH
        written = OrgSnapshot.objects.filter(campaign=campaign, day=day).count()
    return written


def run_rollup(*, campaign: Campaign, day: datetime.date) -> dict:
    """rollup_day with a JobRun record (what the Celery task and the command call)."""
    from .jobs import run_job

    def work() -> dict:
        rows = rollup_day(campaign=campaign, day=day)
        return {"campaign": campaign.pk, "day": day.isoformat(), "organizations": rows}

    return run_job("rollup", day=day, work=work)


def backfill(*, campaign: Campaign, until: datetime.date) -> int:
    """Roll up every day from the campaign's start to `until` (for trends). Returns rows written."""
    day, rows = campaign.starts_on, 0
    while day <= min(until, campaign.ends_on):
        rows += rollup_day(campaign=campaign, day=day)
        day += datetime.timedelta(days=1)
    return rows


def _debounce_key(campaign_id: int) -> str:
    return f"rollup:requested:{campaign_id}"


def request_rollup(*, campaign_id: int) -> None:
    """Ask for a fresh roll-up of today soon: at most one per campaign per minute (debounced).

    Called after pledge and rating changes. The task is queued after the transaction commits,
    with a one-minute countdown, so a burst of changes is rolled up once.
    """

    def schedule() -> None:
        if cache.add(_debounce_key(campaign_id), 1, ROLLUP_DEBOUNCE_SECONDS):
            from .tasks import rollup_task

            try:
                rollup_task.apply_async(kwargs={"campaign_id": campaign_id}, countdown=ROLLUP_DEBOUNCE_SECONDS)
            except Exception:  # noqa: BLE001 - a broker outage must not fail the pledge change; the nightly run catches up
                logger.exception("could not queue the roll-up of campaign %s", campaign_id)

    transaction.on_commit(schedule)
