"""`make bench`: the background jobs on a province-sized synthetic district (PostgreSQL only).

Builds the district once (bench/generate.py, set-based SQL, marked by a bench_marker table) and
reuses it afterwards; then times the roll-up job and the reminder job against hand-written SQL
doing the same work (bench/floor.py), checks the roll-up agrees with that SQL, and writes
bench/results.json. Other benchmarks add their own keys (campaign/bench_dashboard.py, if present,
is called with the same district).
"""

from __future__ import annotations

import datetime
import importlib
import json
import resource
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from bench import floor
from bench import generate as gen

TARGETS = {"rollup_seconds": 10, "rollup_ratio": 3, "reminders_seconds": 15}


def peak_rss_mb() -> float:
    """The process's peak resident memory so far (Linux reports KiB)."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def current_rss_mb() -> float:
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
    except OSError:
        return peak_rss_mb()
    return round(pages * resource.getpagesize() / 1024 / 1024, 1)


def best_of(repeat: int, work, before=None) -> tuple[float, object]:
    """The fastest of `repeat` runs (seconds) and the last result; `before()` resets between runs."""
    best, result = float("inf"), None
    for _ in range(repeat):
        if before:
            before()
        started = time.perf_counter()
        result = work()
        best = min(best, time.perf_counter() - started)
    return best, result


class Command(BaseCommand):
    help = "Benchmark the roll-up and reminder jobs on a large synthetic district (needs PostgreSQL)."

    def add_arguments(self, parser):
        parser.add_argument("--rebuild", action="store_true", help="Regenerate the synthetic district.")
        parser.add_argument("--repeat", type=int, default=3, help="Runs per measurement; the fastest counts.")
        parser.add_argument("--output", default=str(Path(settings.BASE_DIR) / "bench" / "results.json"))

    def handle(self, *args, rebuild, repeat, output, **options):
        if connection.vendor != "postgresql":
            raise CommandError(
                "The benchmark needs PostgreSQL. Point DATABASE_URL at a database of its own, e.g. "
                "DATABASE_URL=postgres://postgres@127.0.0.1:5432/campaign_bench make bench"
            )
        marker = self.prepare(rebuild=rebuild)
        from campaign.models import Campaign

        campaign = Campaign.objects.get(pk=marker["campaign_id"])
        day = gen.BENCH_DAY
        results = self.load(output)
        results["data"] = {key: marker[key] for key in ("organizations", "members", "pledges")}
        results["rollup"] = self.bench_rollup(campaign=campaign, day=day, repeat=repeat)
        results["reminders"] = self.bench_reminders(day=day, repeat=repeat)
        results["environment"] = {
            "day": day.isoformat(),
            "repeat": repeat,
            "postgresql": connection.cursor().connection.server_version,
            "measured_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        }
        results.update(self.other_benchmarks(campaign=campaign, day=day))
        Path(output).parent.mkdir(parents=True, exist_ok=True)
        Path(output).write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n")
        self.report(results)
        self.stdout.write(f"Written to {output}")

    def prepare(self, *, rebuild: bool) -> dict:
        from orgs.models import Organization

        marker = gen.marker()
        if marker and marker["version"] == gen.VERSION and not rebuild:
            self.stdout.write(
                f"Reusing the synthetic district ({marker['organizations']} organizations, "
                f"{marker['members']} members, {marker['pledges']} pledges)."
            )
            return marker
        if marker is None and Organization.objects.exists():
            raise CommandError(
                "This database already holds organizations that the benchmark did not create. "
                "Use an empty database of its own (e.g. …/campaign_bench); the benchmark never touches real data."
            )
        if marker is not None:
            self.stdout.write("Removing the old synthetic district…")
            gen.wipe()
        self.stdout.write("Generating the synthetic district (set-based SQL)…")
        started = time.perf_counter()
        gen.generate(stdout=self.stdout)
        self.stdout.write(f"Generated in {time.perf_counter() - started:.1f} s.")
        return gen.marker()

    @staticmethod
    def load(output: str) -> dict:
        try:
            return json.loads(Path(output).read_text())
        except (OSError, ValueError):
            return {}

    def bench_rollup(self, *, campaign, day, repeat: int) -> dict:
        from campaign.models import OrgSnapshot
        from campaign.rollups import FIGURES, end_of_day, run_rollup

        rss_before = current_rss_mb()
        seconds, summary = best_of(repeat, lambda: run_rollup(campaign=campaign, day=day))
        peak = peak_rss_mb()
        params = {"campaign": campaign.pk, "day": day, "end": end_of_day(day)}

        def run_floor():
            with connection.cursor() as cursor:
                cursor.execute(floor.ROLLUP_FLOOR, params)
                return cursor.fetchall()

        floor_seconds, rows = best_of(repeat, run_floor)
        stored = {
            row[0]: tuple(row[1:])
            for row in OrgSnapshot.objects.filter(campaign=campaign, day=day).values_list("organization_id", *FIGURES)
        }
        agrees = stored == {row[0]: tuple(int(v) for v in row[1:]) for row in rows}
        return {
            "seconds": round(seconds, 3),
            "floor_seconds": round(floor_seconds, 3),
            "ratio": round(seconds / floor_seconds, 2),
            "peak_rss_mb": peak,
            "rss_before_mb": rss_before,
            "organizations": summary["organizations"],
            "agrees_with_floor": agrees,
        }

    def bench_reminders(self, *, day, repeat: int) -> dict:
        from notifications.models import Notification, Reminder
        from notifications.reminders import due_deadlines, run_reminders

        def reset():  # the bench database only: forget the day's reminders so each run does the full work
            Reminder.objects.filter(day=day).delete()
            Notification.objects.filter(
                kind__in=[
                    Notification.Kind.DEADLINE_REMINDER,
                    Notification.Kind.OVERDUE_ESCALATION,
                    Notification.Kind.DIGEST,
                ]
            ).delete()

        rss_before = current_rss_mb()
        seconds, summary = best_of(repeat, lambda: run_reminders(day=day), before=reset)
        peak = peak_rss_mb()
        rerun_started = time.perf_counter()
        rerun = run_reminders(day=day)  # idempotent: sends nothing
        rerun_seconds = time.perf_counter() - rerun_started
        params = {"day": day, "deadlines": sorted(due_deadlines(day))}

        def run_floor():  # the same work in one hand-written statement, rolled back afterwards
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(floor.REMINDER_FLOOR, params)
                transaction.set_rollback(True)
                return cursor.rowcount

        floor_seconds, floor_notifications = best_of(repeat, run_floor, before=reset)
        return {
            "seconds": round(seconds, 3),
            "floor_seconds": round(floor_seconds, 3),
            "ratio": round(seconds / floor_seconds, 2),
            "peak_rss_mb": peak,
            "rss_before_mb": rss_before,
            "items": summary["items"],
            "reminders_sent": summary["sent"],
            "notifications": summary["notifications"],
            "digests": summary["digests"],
            "floor_notifications": floor_notifications,
            "rerun_seconds": round(rerun_seconds, 3),
            "rerun_sent": rerun["sent"],
        }

    def other_benchmarks(self, *, campaign, day) -> dict:
        """Dashboards add their timings through campaign/bench_dashboard.py: run(campaign=, day=, stdout=) → dict."""
        try:
            module = importlib.import_module("campaign.bench_dashboard")
        except ModuleNotFoundError:
            return {}
        return module.run(campaign=campaign, day=day, stdout=self.stdout) or {}

    def report(self, results: dict) -> None:
        rollup, reminders = results["rollup"], results["reminders"]
        ok = self.style.SUCCESS
        bad = self.style.ERROR
        lines = [
            ("roll-up", rollup, TARGETS["rollup_seconds"], TARGETS["rollup_ratio"]),
            ("reminders", reminders, TARGETS["reminders_seconds"], None),
        ]
        self.stdout.write("")
        for name, figures, limit, ratio_limit in lines:
            met = figures["seconds"] < limit and (ratio_limit is None or figures["ratio"] <= ratio_limit)
            self.stdout.write(
                (ok if met else bad)(
                    f"{name:10} {figures['seconds']:7.3f} s · floor {figures['floor_seconds']:.3f} s · "
                    f"ratio {figures['ratio']:.2f} · peak RSS {figures['peak_rss_mb']} MB "
                    f"(target < {limit} s{f', ratio ≤ {ratio_limit}' if ratio_limit else ''})"
                )
            )
        self.stdout.write(
            f"roll-up agrees with the hand-written SQL: {rollup['agrees_with_floor']} · reminders sent "
            f"{reminders['reminders_sent']} ({reminders['notifications']} notifications, "
            f"{reminders['digests']} digests); "
            f"rerun sent {reminders['rerun_sent']}"
        )
