"""Demo step for `manage.py seed_demo`: daily snapshots from the campaign's start to today.

The roll-up is "as of" each day, so the backfilled history shows how the demo pledges were
published, fulfilled and became overdue over time, and the dashboards have trend lines.
Idempotent: each day's rows are replaced.
"""

from __future__ import annotations

from django.utils import timezone

from .models import Campaign
from .rollups import backfill


def seed(*, scale: int = 1, stdout=None) -> str:
    today = timezone.localdate()
    rows = days = 0
    for campaign in Campaign.objects.filter(starts_on__lte=today):
        rows += backfill(campaign=campaign, until=today)
        days += (min(today, campaign.ends_on) - campaign.starts_on).days + 1
    return f"{rows} daily snapshot rows over {days} campaign days"
