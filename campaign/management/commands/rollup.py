"""Roll up the figures of one day by hand (cron, recovery). Re-running a day replaces it."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from campaign.models import Campaign
from campaign.rollups import run_rollup


class Command(BaseCommand):
    help = "Compute every organization's figures for a day (default today) and store them as snapshots."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="YYYY-MM-DD (Asia/Shanghai); default today.")
        parser.add_argument("--campaign", type=int, help="Campaign id; default the current campaign.")

    def handle(self, *args, date=None, campaign=None, **options):
        try:
            day = datetime.date.fromisoformat(date) if date else timezone.localdate()
        except ValueError as error:
            raise CommandError("--date must look like 2026-05-01.") from error
        target = Campaign.objects.filter(pk=campaign).first() if campaign else Campaign.objects.current()
        if target is None:
            raise CommandError("No such campaign." if campaign else "There is no current campaign; pass --campaign.")
        summary = run_rollup(campaign=target, day=day)
        self.stdout.write(
            self.style.SUCCESS(f"{target}: {summary['organizations']} organizations rolled up for {day.isoformat()}.")
        )
