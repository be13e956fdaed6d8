"""Bookkeeping for background jobs: one JobRun row per run, visible in the admin."""

from __future__ import annotations

import datetime
import time
import traceback
from collections.abc import Callable

from django.utils import timezone

from .models import JobRun


def run_job(name: str, *, day: datetime.date | None, work: Callable[[], dict]) -> dict:
    """Run `work()` and record it as a JobRun: start, duration, its summary dict, or the error.

    The JobRun row is written outside the job's own transaction, so a failed run is recorded too.
    """
    run = JobRun.objects.create(name=name, day=day)
    started = time.monotonic()
    try:
        summary = work()
    except Exception:
        run.status = JobRun.Status.FAILED
        run.error = traceback.format_exc()[-4000:]
        run.finished_at = timezone.now()
        run.seconds = round(time.monotonic() - started, 3)
        run.save(update_fields=["status", "error", "finished_at", "seconds"])
        raise
    run.status = JobRun.Status.SUCCEEDED
    run.summary = summary
    run.finished_at = timezone.now()
    run.seconds = round(time.monotonic() - started, 3)
    run.save(update_fields=["status", "summary", "finished_at", "seconds"])
    return summary
