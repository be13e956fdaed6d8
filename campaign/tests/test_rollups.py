"""The roll-up: hand-checked figures on the test world, "as of" a day, reruns, the command."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command

from campaign.models import JobRun, OrgSnapshot
from campaign.rollups import rollup_day
from notifications.tests.helpers import at, make_pledge
from orgs.models import Member
from pledges.models import Pledge, Rating

DAY = datetime.date(2026, 6, 15)


def rate(pledge, choice, on=DAY, token=None):
    rating = Rating.objects.create(pledge=pledge, choice=choice, browser_token=token or f"t{Rating.objects.count()}")
    Rating.objects.filter(pk=rating.pk).update(created_at=at(on))
    return rating


@pytest.fixture
def figures(world):
    """A small campaign whose figures on DAY were worked out by hand (see the test)."""
    w, past, future = world, DAY - datetime.timedelta(days=5), DAY + datetime.timedelta(days=20)
    on_time = make_pledge(
        w,
        org=w.branch_a1,
        deadline=past,
        status=Pledge.Status.FULFILLED,
        fulfilled_on=past - datetime.timedelta(days=2),
    )
    make_pledge(  # fulfilled late
        w,
        org=w.branch_a1,
        deadline=past - datetime.timedelta(days=3),
        status=Pledge.Status.FULFILLED,
        completed_on=past,
        fulfilled_on=past,
    )
    overdue = make_pledge(w, member=w.member, deadline=past)
    make_pledge(w, member=w.other_member, deadline=future, status=Pledge.Status.CLAIMED)
    make_pledge(w, org=w.branch_b1, deadline=future, status=Pledge.Status.DRAFT)
    make_pledge(w, org=w.branch_b1, deadline=future, status=Pledge.Status.WITHDRAWN)
    # Published after DAY: not counted on DAY.
    make_pledge(w, member=w.b1_member, deadline=future, published_on=DAY + datetime.timedelta(days=1))
    rate(on_time, Rating.Choice.SATISFIED)
    rate(on_time, Rating.Choice.BASICALLY_SATISFIED)
    rate(overdue, Rating.Choice.DISSATISFIED)
    rate(overdue, Rating.Choice.SATISFIED, on=DAY + datetime.timedelta(days=1))  # after DAY: not counted
    rollup_day(campaign=w.campaign, day=DAY)
    return {s.organization_id: s for s in OrgSnapshot.objects.filter(day=DAY)}


def test_every_organization_gets_one_row(world, figures):
    assert len(figures) == 6


def test_branch_figures_worked_out_by_hand(world, figures):
    a1 = figures[world.branch_a1.pk]
    # Counted: two fulfilled org pledges and the member's overdue one.
    assert (a1.counted, a1.fulfilled, a1.fulfilled_on_time, a1.overdue) == (3, 2, 1, 1)
    assert a1.completion_rate == pytest.approx(2 / 3)
    assert a1.on_time_rate == pytest.approx(1 / 3)  # 1 on time / (2 fulfilled + 1 overdue)
    assert (a1.grassroots_total, a1.grassroots_participating) == (1, 1)
    # member + secretary_same are a1's members; only `member` pledged.
    assert (a1.members_total, a1.members_participating) == (2, 1)
    assert (a1.ratings_total, a1.ratings_satisfied, a1.ratings_basically_satisfied) == (3, 1, 1)
    assert a1.satisfaction == pytest.approx(1.5 / 3)


def test_township_and_district_add_up_their_subtrees(world, figures):
    town_a, town_b, district = figures[world.township_a.pk], figures[world.township_b.pk], figures[world.district.pk]
    assert (town_a.counted, town_a.fulfilled, town_a.overdue) == (4, 2, 1)  # + a2's claimed pledge
    assert (town_a.grassroots_total, town_a.grassroots_participating) == (2, 1)
    assert (town_a.members_total, town_a.members_participating) == (4, 2)
    # Township B: a draft, a withdrawn and a pledge published tomorrow count for nothing.
    assert (town_b.counted, town_b.grassroots_total, town_b.grassroots_participating) == (0, 1, 0)
    assert town_b.completion_rate is None and town_b.on_time_rate is None and town_b.satisfaction is None
    assert town_b.member_participation == 0
    assert (district.counted, district.members_total, district.grassroots_total) == (4, 5, 3)


def test_figures_are_as_of_the_day(world):
    deadline = DAY - datetime.timedelta(days=1)
    pledge = make_pledge(
        world,
        member=world.member,
        deadline=deadline,
        status=Pledge.Status.FULFILLED,
        completed_on=deadline,
        fulfilled_on=DAY + datetime.timedelta(days=2),
    )
    rollup_day(campaign=world.campaign, day=DAY)
    rollup_day(campaign=world.campaign, day=DAY + datetime.timedelta(days=2))
    before = OrgSnapshot.objects.get(organization=world.branch_a1, day=DAY)
    after = OrgSnapshot.objects.get(organization=world.branch_a1, day=DAY + datetime.timedelta(days=2))
    # Not yet verified on DAY: overdue then; fulfilled on time once verified.
    assert (before.counted, before.fulfilled, before.overdue) == (1, 0, 1)
    assert (after.counted, after.fulfilled, after.fulfilled_on_time, after.overdue) == (1, 1, 1, 0)
    assert pledge.pk


def test_day_ends_at_shanghai_midnight(world):
    """Published at 23:30 Asia/Shanghai (15:30 UTC) counts for that day; at 00:10 the next day it does not."""
    import zoneinfo

    tz = zoneinfo.ZoneInfo("Asia/Shanghai")
    late = make_pledge(world, member=world.member, deadline=DAY + datetime.timedelta(days=9))
    early = make_pledge(world, member=world.other_member, deadline=DAY + datetime.timedelta(days=9))
    Pledge.objects.filter(pk=late.pk).update(published_at=datetime.datetime.combine(DAY, datetime.time(23, 30), tz))
    Pledge.objects.filter(pk=early.pk).update(
        published_at=datetime.datetime.combine(DAY + datetime.timedelta(days=1), datetime.time(0, 10), tz)
    )
    rollup_day(campaign=world.campaign, day=DAY)
    assert OrgSnapshot.objects.get(organization=world.district, day=DAY).counted == 1


def test_rerunning_a_day_replaces_its_rows(world, figures):
    make_pledge(world, org=world.branch_b1, deadline=DAY)
    assert rollup_day(campaign=world.campaign, day=DAY) == 6
    assert OrgSnapshot.objects.filter(day=DAY).count() == 6
    assert OrgSnapshot.objects.get(organization=world.branch_b1, day=DAY).counted == 1


def test_inactive_members_are_not_counted(world):
    make_pledge(world, member=world.member, deadline=DAY)
    Member.objects.filter(pk=world.member.pk).update(is_active=False)
    rollup_day(campaign=world.campaign, day=DAY)
    a1 = OrgSnapshot.objects.get(organization=world.branch_a1, day=DAY)
    assert (a1.counted, a1.members_total, a1.members_participating) == (1, 1, 0)


def test_command_rolls_up_and_records_a_job_run(world, capsys):
    make_pledge(world, org=world.branch_a1, deadline=DAY)
    call_command("rollup", "--date", DAY.isoformat(), "--campaign", str(world.campaign.pk))
    assert OrgSnapshot.objects.filter(day=DAY).count() == 6
    run = JobRun.objects.get(name="rollup")
    assert run.status == JobRun.Status.SUCCEEDED and run.summary["organizations"] == 6 and run.seconds is not None
    assert "6" in capsys.readouterr().out


def test_command_refuses_a_bad_date(world):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("rollup", "--date", "15/06/2026")


def test_nightly_task_rebuilds_today_and_yesterday(world, monkeypatch):
    from django.utils import timezone

    from campaign.tasks import rollup_task

    day = world.campaign.starts_on + datetime.timedelta(days=10)
    monkeypatch.setattr(timezone, "now", lambda: at(day, 1))
    make_pledge(world, org=world.branch_a1, deadline=day)
    rollup_task()
    assert set(OrgSnapshot.objects.values_list("day", flat=True)) == {day, day - datetime.timedelta(days=1)}
    assert JobRun.objects.filter(name="rollup", status=JobRun.Status.SUCCEEDED).count() == 2


def test_rollup_runs_in_a_few_queries_whatever_the_size(world, django_assert_max_num_queries):
    for i in range(30):
        make_pledge(world, member=world.member if i % 2 else None, org=None if i % 2 else world.branch_a2, deadline=DAY)
    with django_assert_max_num_queries(8):  # lock, delete, depth, insert, count, savepoints
        rollup_day(campaign=world.campaign, day=DAY)


def test_demo_backfill_writes_a_row_per_org_per_day(world):
    from django.utils import timezone

    from campaign import demo

    summary = demo.seed()
    days = (timezone.localdate() - world.campaign.starts_on).days + 1
    assert OrgSnapshot.objects.count() == 6 * days
    assert str(6 * days) in summary


@pytest.mark.django_db(transaction=True)
def test_pledge_changes_ask_for_one_debounced_rollup(world, monkeypatch):
    from campaign import tasks

    queued = []
    monkeypatch.setattr(tasks.rollup_task, "apply_async", lambda **kwargs: queued.append(kwargs))
    for _ in range(3):
        make_pledge(world, org=world.branch_a1, deadline=DAY)
    assert len(queued) == 1
    assert queued[0]["countdown"] == 60 and queued[0]["kwargs"] == {"campaign_id": world.campaign.pk}


def test_administrators_see_job_runs_in_the_admin(world, client_for):
    from django.urls import reverse

    make_pledge(world, org=world.branch_a1, deadline=DAY)
    call_command("rollup", "--date", DAY.isoformat())
    page = client_for("admin").get(reverse("admin:campaign_jobrun_changelist")).content.decode()
    assert "rollup" in page and "organizations" in page
    run = JobRun.objects.get()
    assert client_for("admin").get(reverse("admin:campaign_jobrun_change", args=[run.pk])).status_code == 200
