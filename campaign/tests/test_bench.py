"""`manage.py bench`: refuses what it must, and its hand-written SQL agrees with the jobs (PostgreSQL)."""

from __future__ import annotations

import datetime
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the benchmark's SQL is PostgreSQL's (DATABASE_URL=postgres://…)"
)


@pytest.mark.django_db
def test_refuses_sqlite_with_a_message():
    if connection.vendor == "postgresql":
        pytest.skip("this checks the refusal on SQLite")
    with pytest.raises(CommandError, match="PostgreSQL"):
        call_command("bench")


@postgres_only
def test_refuses_a_database_holding_real_data(world):
    with pytest.raises(CommandError, match="empty database"):
        call_command("bench")


@postgres_only
@pytest.mark.django_db
def test_small_district_end_to_end(monkeypatch, tmp_path, capsys):
    """A tiny district through the whole benchmark: generation, both jobs, both floors, results.json."""
    from bench import generate as gen

    monkeypatch.setattr(gen, "COMMITTEES", 2)
    monkeypatch.setattr(gen, "MEMBERS", 300)
    from campaign.management.commands.bench import Command

    # Dashboards time themselves against a live server of the bench database; not in a test database.
    monkeypatch.setattr(Command, "other_benchmarks", lambda self, **kwargs: {})
    output = tmp_path / "results.json"
    output.write_text(json.dumps({"dashboard": {"seconds": 1}}))  # other benchmarks' keys survive
    call_command("bench", "--repeat", "1", "--output", str(output))
    results = json.loads(output.read_text())
    assert results["data"] == {
        "organizations": 1 + 2 + 2 * 6 + 2 * 6 * 5,
        "members": 300,
        "pledges": results["data"]["pledges"],
    }
    assert results["data"]["pledges"] == 300 * 3 + (2 * 6 + 2 * 6 * 5) * 34
    assert results["rollup"]["agrees_with_floor"] is True
    for job in ("rollup", "reminders"):
        assert {"seconds", "floor_seconds", "ratio", "peak_rss_mb"} <= set(results[job])
    assert results["reminders"]["reminders_sent"] > 0 and results["reminders"]["rerun_sent"] == 0
    # The single-statement floor writes as many notifications as the job.
    assert results["reminders"]["floor_notifications"] == results["reminders"]["notifications"]
    assert results["dashboard"] == {"seconds": 1}
    call_command("bench", "--repeat", "1", "--output", str(output))
    assert "Reusing the synthetic district" in capsys.readouterr().out


@postgres_only
def test_rollup_floor_equals_the_job_on_the_test_world(world):
    from bench.floor import ROLLUP_FLOOR
    from campaign.models import OrgSnapshot
    from campaign.rollups import FIGURES, end_of_day, rollup_day
    from notifications.tests.helpers import make_pledge
    from pledges.models import Pledge

    day = datetime.date(2026, 6, 15)
    make_pledge(world, member=world.member, deadline=day - datetime.timedelta(days=2))
    make_pledge(world, org=world.branch_a2, deadline=day, status=Pledge.Status.FULFILLED, fulfilled_on=day)
    rollup_day(campaign=world.campaign, day=day)
    with connection.cursor() as cursor:
        cursor.execute(ROLLUP_FLOOR, {"campaign": world.campaign.pk, "day": day, "end": end_of_day(day)})
        floor = {row[0]: tuple(int(v) for v in row[1:]) for row in cursor.fetchall()}
    stored = {r[0]: tuple(r[1:]) for r in OrgSnapshot.objects.values_list("organization_id", *FIGURES)}
    assert floor == stored and stored[world.district.pk][0] == 2
