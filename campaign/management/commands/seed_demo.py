"""Create the demo district, campaigns and pledges. Idempotent; refuses to run in production."""

import importlib
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

# Each step is `module.seed(scale=..., stdout=...)` returning a printable summary. Order matters:
# organizations and people first, then campaigns and pledges, then what hangs off pledges.
SEED_STEPS = [
    "orgs.demo",
    "pledges.demo",
    "inspections.demo",  # reviews, ratings, inspections: after every pledge exists
    "campaign.demo",  # daily snapshots backfilled from everything above: keep it last
]


class Command(BaseCommand):
    help = "Create a realistic fictional district with demo accounts (password demo12345). Needs DEBUG on."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=int, default=1, help="Multiply the district's size (for benchmarks).")
        parser.add_argument(
            "--force", action="store_true", help="Run even with DEBUG off (benchmark databases only)."
        )

    def handle(self, *args, scale, force, **options):
        if not settings.DEBUG and not force:
            raise CommandError("seed_demo creates accounts with a known password; it refuses to run with DEBUG off.")
        if scale < 1:
            raise CommandError("--scale must be 1 or more.")
        for module_name in SEED_STEPS:
            started = time.monotonic()
            self.stdout.write(f"{module_name}: seeding…")
            summary = importlib.import_module(module_name).seed(scale=scale, stdout=self.stdout)
            self.stdout.write(self.style.SUCCESS(f"{module_name}: {summary} ({time.monotonic() - started:.1f}s)"))
