"""Deadline reminders: the schedule around each boundary, escalation, digests, time zone, exactly once."""

from __future__ import annotations

import datetime
import threading

import pytest
from django.db import connection

from campaign.models import JobRun
from notifications.models import Notification, Reminder
from notifications.reminders import run_reminders, send_reminders
from pledges.models import Pledge

from .helpers import make_pledge

DAY = datetime.date(2026, 6, 15)


def days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


def told(world) -> dict[str, list[str]]:
    """Role name → kinds of notification received."""
    by_user = {user.pk: role for role, user in world.users.items() if user is not None}
    result: dict[str, list[str]] = {}
    for user_id, kind in Notification.objects.values_list("user_id", "kind").order_by("pk"):
        result.setdefault(by_user.get(user_id, user_id), []).append(kind)
    return result


@pytest.mark.parametrize(
    ("days_left", "kind"),
    [(8, None), (7, "due_7"), (6, None), (4, None), (3, "due_3"), (2, None), (1, "due_1"), (0, "due_0")],
)
def test_reminders_before_the_deadline(world, days_left, kind):
    make_pledge(world, member=world.member, deadline=DAY + days(days_left))
    send_reminders(DAY)
    assert list(Reminder.objects.values_list("kind", flat=True)) == ([kind] if kind else [])
    assert told(world) == ({"member": ["deadline_reminder"]} if kind else {})


@pytest.mark.parametrize(
    ("late", "expected"),
    [
        (1, {}),
        (6, {}),
        (7, {"member": ["deadline_reminder"], "secretary_same": ["overdue_escalation"]}),
        (8, {}),
        (13, {}),
        (
            14,
            {
                "member": ["deadline_reminder"],
                "secretary_same": ["overdue_escalation"],
                "supervisor_above": ["overdue_escalation"],
            },
        ),
        (
            21,
            {
                "member": ["deadline_reminder"],
                "secretary_same": ["overdue_escalation"],
                "supervisor_above": ["overdue_escalation"],
            },
        ),
    ],
)
def test_weekly_overdue_reminders_and_escalation(world, late, expected):
    make_pledge(world, member=world.member, deadline=DAY - days(late))
    send_reminders(DAY)
    assert told(world) == expected


def test_overdue_reminder_titles_say_how_late(world):
    make_pledge(world, member=world.member, deadline=DAY - days(14), title="修缮村级活动阵地")
    send_reminders(DAY)
    escalation = Notification.objects.get(user=world.supervisor_above)
    assert "修缮村级活动阵地" in escalation.title and "14" in escalation.title and "张党员" in escalation.title
    assert escalation.url == f"/pledges/{Pledge.objects.get().pk}/"


def test_an_organizations_pledge_reminds_its_secretaries(world):
    make_pledge(world, org=world.branch_a1, deadline=DAY + days(3))
    make_pledge(world, org=world.branch_a2, deadline=DAY - days(14))
    send_reminders(DAY)
    # a2's secretaries own the overdue pledge: no second "escalation" to the same person.
    assert told(world) == {
        "secretary_same": ["deadline_reminder"],
        "secretary_other": ["deadline_reminder"],
        "supervisor_above": ["overdue_escalation"],
    }


def test_only_published_pledges_are_reminded(world):
    for status in (
        Pledge.Status.DRAFT,
        Pledge.Status.SUBMITTED,
        Pledge.Status.RETURNED,
        Pledge.Status.CLAIMED,
        Pledge.Status.FULFILLED,
        Pledge.Status.WITHDRAWN,
    ):
        make_pledge(
            world,
            member=world.member,
            deadline=DAY + days(1),
            status=status,
            fulfilled_on=DAY if status == Pledge.Status.FULFILLED else None,
        )
    assert send_reminders(DAY)["sent"] == 0
    assert not Notification.objects.exists()


def test_a_person_with_several_items_gets_one_digest(world):
    make_pledge(world, member=world.member, deadline=DAY + days(7), title="开展政策宣讲")
    make_pledge(world, member=world.member, deadline=DAY, title="整理党员档案")
    make_pledge(world, member=world.member, deadline=DAY - days(7), title="走访困难群众")
    summary = send_reminders(DAY)
    digest = Notification.objects.get(user=world.member.user)
    assert digest.kind == Notification.Kind.DIGEST and "3" in digest.title
    assert all(title in digest.body for title in ("开展政策宣讲", "整理党员档案", "走访困难群众"))
    # The overdue one is also escalated to the secretary (a single item: no digest).
    assert Notification.objects.get(user=world.secretary_same.user).kind == Notification.Kind.OVERDUE_ESCALATION
    assert summary["digests"] == 1 and summary["sent"] == 4


def test_the_day_is_the_shanghai_date(world, monkeypatch):
    """At 00:30 in Shanghai (16:30 UTC the day before) a pledge due that Shanghai day is due *today*."""
    from django.utils import timezone

    from notifications.tasks import send_reminders_task

    monkeypatch.setattr(timezone, "now", lambda: datetime.datetime(2026, 6, 14, 16, 30, tzinfo=datetime.UTC))
    make_pledge(world, member=world.member, deadline=DAY)
    send_reminders_task()
    assert list(Reminder.objects.values_list("kind", "day")) == [("due_0", DAY)]


def test_rectification_items_are_reminded(world):
    from django.apps import apps

    try:
        model = apps.get_model("inspections", "RectificationItem")
    except LookupError:
        pytest.skip("the inspections app has no rectification items yet")
    if model._meta.db_table not in connection.introspection.table_names():
        pytest.skip("the inspections app is not migrated yet")
    from inspections.models import Inspection

    inspection = Inspection.objects.create(
        campaign=world.campaign,
        organization=world.branch_a2,
        inspected_on=DAY - days(30),
        kind="routine",
        inspectors="督导组",
        findings="公开栏内容未更新",
        recorded_by=world.supervisor_above,
    )
    model.objects.create(
        inspection=inspection,
        owner_org=world.branch_a2,
        description="更新公开栏内容",
        deadline=DAY + days(1),
        required_evidence="照片",
    )
    model.objects.create(
        inspection=inspection,
        owner_org=world.branch_a2,
        description="已关闭的问题",
        deadline=DAY + days(1),
        required_evidence="照片",
        status="closed",
    )
    send_reminders(DAY)
    notification = Notification.objects.get()
    assert notification.user == world.secretary_other.user and "更新公开栏内容" in notification.title
    assert notification.url.startswith(f"/inspections/{inspection.pk}/")
    # Overdue, it is a "rectification item overdue" notification; from 14 days the supervisor hears of it.
    send_reminders(DAY + days(15))
    assert set(Notification.objects.exclude(pk=notification.pk).values_list("user__username", "kind")) == {
        ("secretary_other", "rectification_overdue"),
        ("supervisor_above", "overdue_escalation"),
    }


def test_running_twice_sends_nothing_more(world):
    make_pledge(world, member=world.member, deadline=DAY + days(3))
    make_pledge(world, org=world.branch_a2, deadline=DAY - days(14))
    first = send_reminders(DAY)
    before = list(Notification.objects.values_list("user_id", "kind", "title"))
    second = send_reminders(DAY)
    assert first["sent"] == 4 and second["sent"] == 0 and second["due"] == 4
    assert list(Notification.objects.values_list("user_id", "kind", "title")) == before
    assert Reminder.objects.count() == 4


def test_a_crash_midway_then_a_rerun_sends_everything_once(world, monkeypatch):
    from notifications import reminders

    make_pledge(world, member=world.member, deadline=DAY + days(1))
    make_pledge(world, org=world.branch_a1, deadline=DAY - days(7))
    real = reminders._notifications

    def crash(*args, **kwargs):
        raise RuntimeError("worker killed")

    monkeypatch.setattr(reminders, "_notifications", crash)  # after the reminder keys are inserted
    with pytest.raises(RuntimeError):
        run_reminders(day=DAY)
    assert not Reminder.objects.exists() and not Notification.objects.exists()
    assert JobRun.objects.get().status == JobRun.Status.FAILED

    monkeypatch.setattr(reminders, "_notifications", real)
    run_reminders(day=DAY)
    run_reminders(day=DAY)
    assert told(world) == {"member": ["deadline_reminder"], "secretary_same": ["deadline_reminder"]}
    assert Reminder.objects.count() == 3  # due_1; overdue; escalate_secretary (nobody new to tell)
    assert JobRun.objects.filter(status=JobRun.Status.SUCCEEDED).count() == 2


def test_command_sends_the_days_reminders(world, capsys):
    from django.core.management import call_command

    make_pledge(world, member=world.member, deadline=DAY + days(7))
    call_command("send_reminders", "--date", DAY.isoformat())
    assert '"sent": 1' in capsys.readouterr().out
    assert Notification.objects.filter(user=world.member.user).count() == 1


def test_the_job_uses_a_handful_of_queries_whatever_the_number_of_pledges(world, django_assert_max_num_queries):
    for i in range(40):
        make_pledge(
            world,
            member=world.member if i % 2 else None,
            org=None if i % 2 else world.branch_a2,
            deadline=DAY + days([7, 3, 1, 0, -7, -14][i % 6]),
        )
    with django_assert_max_num_queries(12):
        summary = send_reminders(DAY)
    assert summary["sent"] == 40 + 12 + 6  # + a secretary escalation per overdue item, + supervisors at 14 days


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_runs_send_each_reminder_once(world):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serializes writers; true concurrency needs PostgreSQL (DATABASE_URL=postgres://…)")
    for i in range(30):
        make_pledge(
            world,
            member=world.member if i % 2 else None,
            org=None if i % 2 else world.branch_a2,
            deadline=DAY + days([7, 3, 1, 0, -7, -14][i % 6]),
        )
    barrier, results, errors = threading.Barrier(2), [], []

    def run():
        try:
            barrier.wait()
            results.append(send_reminders(DAY))
        except Exception as error:  # noqa: BLE001
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not errors
    assert sorted(r["sent"] for r in results) == [0, 30 + 10 + 5]
    assert Reminder.objects.count() == 45
    # Each person got exactly one notification (a digest when several items were due).
    assert Notification.objects.values("user").distinct().count() == Notification.objects.count()


def test_pledges_of_an_ended_campaign_are_not_reminded(world):
    from campaign.models import Campaign

    Campaign.objects.filter(pk=world.campaign.pk).update(starts_on=DAY - days(200), ends_on=DAY - days(1))
    make_pledge(world, member=world.member, deadline=DAY - days(14))
    assert send_reminders(DAY)["sent"] == 0
