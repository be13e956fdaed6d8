"""Send the deadline reminders of one day by hand (cron, recovery). Safe to repeat."""

import datetime
import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from notifications.reminders import run_reminders


class Command(BaseCommand):
    help = "Send every deadline reminder due on a day (default today, Asia/Shanghai) not sent yet."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="YYYY-MM-DD (Asia/Shanghai); default today.")

    def handle(self, *args, date=None, **options):
        try:
            day = datetime.date.fromisoformat(date) if date else timezone.localdate()
        except ValueError as error:
            raise CommandError("--date must look like 2026-05-01.") from error
        summary = run_reminders(day=day)
        self.stdout.write(self.style.SUCCESS(json.dumps(summary, ensure_ascii=False)))
