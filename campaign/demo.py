"""Demo step for `manage.py seed_demo`: daily snapshots from the campaign's start to today, then
the past week's deadline reminders (as if the daily job had been running), so the demo accounts
open the app to a filled notification bell.

The roll-up is "as of" each day, so the backfilled history shows how the demo pledges were
published, fulfilled and became overdue over time, and the dashboards have trend lines.
Idempotent: each day's rows are replaced, and a reminder already sent is never sent again.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from .models import Campaign
from .rollups import backfill


def seed(*, scale: int = 1, stdout=None) -> str:
    today = timezone.localdate()
    rows = days = 0
    for campaign in Campaign.objects.filter(starts_on__lte=today):
        rows += backfill(campaign=campaign, until=today)
        days += (min(today, campaign.ends_on) - campaign.starts_on).days + 1
    from notifications.reminders import send_reminders

    sent = sum(send_reminders(today - datetime.timedelta(days=back))["sent"] for back in range(6, -1, -1))
    return f"{rows} daily snapshot rows over {days} campaign days; {sent} reminders over the past week"
