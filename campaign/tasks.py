"""Celery tasks of the campaign app. Thin: they take ids or a date and call domain code."""

from __future__ import annotations

import datetime
import logging

from celery import shared_task
from django.utils import timezone

from .export_tasks import export_ledger_task  # noqa: F401  (dashboards: ledger exports; keep for Celery discovery)

logger = logging.getLogger(__name__)


@shared_task(acks_late=True)
def rollup_task(day: str | None = None, campaign_id: int | None = None) -> dict:
    """Roll up the current (or given) campaign.

    With no day (the nightly beat run and the debounced run after pledge changes) it rebuilds today
    and yesterday (Asia/Shanghai), so yesterday's row holds that day's final figures.
    """
    from .models import Campaign
    from .rollups import run_rollup

    campaign = Campaign.objects.filter(pk=campaign_id).first() if campaign_id else Campaign.objects.current()
    if campaign is None:
        logger.info("roll-up skipped: no current campaign")
        return {"skipped": "no campaign"}
    if day:
        days = [datetime.date.fromisoformat(day)]
    else:
        today = timezone.localdate()
        days = [today - datetime.timedelta(days=1), today]
    results = [run_rollup(campaign=campaign, day=d) for d in days if campaign.starts_on <= d]
    logger.info("roll-up of %s: %s", campaign, results)
    return {"runs": results}
