"""Deadline reminders: which are due on a day, and sending each exactly once.

Schedule, for every published pledge and every open rectification item (days are Asia/Shanghai
dates): 7, 3 and 1 days before the deadline and on the day, to the owner; then once a week while
overdue (7, 14, 21 … days after the deadline), to the owner; from 7 days overdue also to the
secretaries of the owner's organization; from 14 days also to the supervisors directly above it
(the nearest ancestor organization that has supervisors).

The owner of a member's pledge is the member's user; of an organization's pledge (or a
rectification item), the organization's secretaries.

Exactly once: every reminder has the key (item type, item id, kind, day), unique in the database
(Reminder). The job inserts the keys with ON CONFLICT DO NOTHING … RETURNING and writes
notifications only for the keys it inserted, all in one transaction. A second run finds every key
taken and sends nothing; a concurrent run waits on the unique index until the first commits, then
finds the keys taken; a run killed midway rolls back and the next run sends everything.

Set-based: a handful of queries for the whole day (the due items, the organizations, the role
assignments, the e-mail addresses), chunked multi-row inserts, bulk_create for notifications.
A person with several reminders on one day gets one digest instead of one message per item.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.db import connection, transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext, ngettext

from .models import Notification, Reminder
from .services import forget_unread_counts, queue_emails

DUE_OFFSETS = {7: Reminder.Kind.DUE_7, 3: Reminder.Kind.DUE_3, 1: Reminder.Kind.DUE_1, 0: Reminder.Kind.DUE_0}
SECRETARY_FROM_DAYS = 7
SUPERVISOR_FROM_DAYS = 14
OVERDUE_HORIZON_WEEKS = 156  # weekly overdue reminders stop three years after the deadline
INSERT_CHUNK = 500
FETCH_CHUNK = 2000


@dataclass(frozen=True)
class Item:
    """Something with a deadline that reminders are about."""

    item_type: str
    item_id: int
    title: str
    deadline: datetime.date
    org_id: int  # the owner's organization
    owner_name: str
    member_user_id: int | None  # set when a member owns it; else the organization's secretaries do
    url: str


def due_deadlines(day: datetime.date) -> dict[datetime.date, int]:
    """Deadline → days overdue (negative: days left) for every deadline that has a reminder on `day`."""
    deadlines = {day + datetime.timedelta(days=offset): -offset for offset in DUE_OFFSETS}
    for week in range(1, OVERDUE_HORIZON_WEEKS + 1):
        deadlines[day - datetime.timedelta(weeks=week)] = 7 * week
    return deadlines


def kinds_for(days_overdue: int) -> list[str]:
    """The reminder kinds due for an item this many days past its deadline (negative: before it)."""
    if days_overdue <= 0:
        kind = DUE_OFFSETS.get(-days_overdue)
        return [kind] if kind else []
    if days_overdue % 7:
        return []
    kinds = [Reminder.Kind.OVERDUE]
    if days_overdue >= SECRETARY_FROM_DAYS:
        kinds.append(Reminder.Kind.ESCALATE_SECRETARY)
    if days_overdue >= SUPERVISOR_FROM_DAYS:
        kinds.append(Reminder.Kind.ESCALATE_SUPERVISOR)
    return kinds


def _url(name: str, pk: int) -> str:
    try:
        return reverse(name, args=[pk])
    except NoReverseMatch:
        return ""


def _url_maker(name: str):
    """pk → URL of `name`, reversing once (reverse() per row costs more than the rest of the job)."""
    sentinel = 987654321
    template = _url(name, sentinel)
    if not template:
        return lambda pk: ""
    return lambda pk: template.replace(str(sentinel), str(pk))


def pledge_items(deadlines: list[datetime.date], day: datetime.date):
    """Published pledges whose deadline is one of `deadlines` (one query, streamed).

    Once their campaign has ended, pledges are no longer reminded: the year-end assessment
    (考评) takes over.
    """
    from pledges.models import Pledge

    rows = (
        Pledge.objects.filter(status=Pledge.Status.PUBLISHED, deadline__in=deadlines, campaign__ends_on__gte=day)
        .values_list(
            "pk",
            "title",
            "deadline",
            "owner_org_id",
            "owner_org__name",
            "owner_member__user_id",
            "owner_member__organization_id",
            "owner_member__name",
        )
        .order_by()
    )
    url = _url_maker("pledges:detail")
    for pk, title, deadline, org_id, org_name, member_user_id, member_org_id, member_name in rows.iterator(
        chunk_size=FETCH_CHUNK
    ):
        yield Item(
            item_type=Reminder.ItemType.PLEDGE,
            item_id=pk,
            title=title,
            deadline=deadline,
            org_id=org_id or member_org_id,
            owner_name=org_name or member_name,
            member_user_id=member_user_id,
            url=url(pk),
        )


def rectification_items(deadlines: list[datetime.date], day: datetime.date):
    """Rectification items (inspections app) waiting for their owner, whose deadline is in `deadlines`.

    Items whose closure is reported wait for the inspector, not the owner: no reminder, as for
    claimed pledges.
    """
    try:
        model = apps.get_model("inspections", "RectificationItem")
    except LookupError:
        return
    if model._meta.db_table not in connection.introspection.table_names():
        return  # the app is installed but not migrated yet
    rows = (
        model.objects.filter(status="open", deadline__in=deadlines)
        .values_list("pk", "description", "deadline", "owner_org_id", "owner_org__name", "inspection_id")
        .order_by()
    )
    detail_url = _url_maker("inspections:detail")
    for pk, description, deadline, org_id, org_name, inspection_id in rows.iterator(chunk_size=FETCH_CHUNK):
        url = detail_url(inspection_id)
        yield Item(
            item_type=Reminder.ItemType.RECTIFICATION,
            item_id=pk,
            title=_shorten(description),
            deadline=deadline,
            org_id=org_id,
            owner_name=org_name,
            member_user_id=None,
            url=f"{url}#item-{pk}" if url else "",
        )


def _shorten(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


ITEM_SOURCES = [pledge_items, rectification_items]


class Directory:
    """Who the secretaries and supervisors are: three queries, then lookups in memory."""

    def __init__(self):
        from orgs.models import Organization, RoleAssignment

        self.paths = dict(Organization.objects.values_list("pk", "path").order_by())
        self.secretaries: dict[int, list[int]] = defaultdict(list)
        self.supervisors_by_path: dict[str, list[int]] = defaultdict(list)
        assignments = RoleAssignment.objects.filter(organization__is_active=True, user__is_active=True)
        for role, org_id, path, user_id in assignments.values_list(
            "role", "organization_id", "organization__path", "user_id"
        ).order_by("user_id"):
            if role == RoleAssignment.Role.SECRETARY:
                self.secretaries[org_id].append(user_id)
            elif role == RoleAssignment.Role.SUPERVISOR:
                self.supervisors_by_path[path].append(user_id)
        self.steplen = Organization.steplen
        self._above: dict[int, list[int]] = {}

    def supervisors_above(self, org_id: int) -> list[int]:
        """Supervisors of the nearest organization at or above `org_id` that has any."""
        if org_id not in self._above:
            path, found = self.paths.get(org_id, ""), []
            for end in range(len(path), 0, -self.steplen):
                found = self.supervisors_by_path.get(path[:end])
                if found:
                    break
            self._above[org_id] = list(found or [])
        return self._above[org_id]

    def recipients(self, item: Item, kind: str) -> list[int]:
        owners = [item.member_user_id] if item.member_user_id else self.secretaries.get(item.org_id, [])
        if kind == Reminder.Kind.ESCALATE_SECRETARY:
            return [u for u in self.secretaries.get(item.org_id, []) if u not in owners]
        if kind == Reminder.Kind.ESCALATE_SUPERVISOR:
            return [u for u in self.supervisors_above(item.org_id) if u not in owners]
        return list(owners)


def _insert_reminders(rows: list[tuple], *, day: datetime.date) -> set[tuple[str, int, str]]:
    """INSERT … ON CONFLICT DO NOTHING RETURNING: the keys this call inserted (PostgreSQL and SQLite)."""
    table = connection.ops.quote_name(Reminder._meta.db_table)
    sql_day = connection.ops.adapt_datefield_value(day)
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    inserted = set()
    with connection.cursor() as cursor:
        for start in range(0, len(rows), INSERT_CHUNK):
            chunk = rows[start : start + INSERT_CHUNK]
            values = ", ".join(["(%s, %s, %s, %s, %s, %s)"] * len(chunk))
            params = []
            for item_type, item_id, kind, recipients in chunk:
                params.extend([item_type, item_id, kind, sql_day, recipients, now])
            cursor.execute(
                f"INSERT INTO {table} (item_type, item_id, kind, day, recipients, created_at) VALUES {values} "
                "ON CONFLICT (item_type, item_id, kind, day) DO NOTHING RETURNING item_type, item_id, kind",
                params,
            )
            inserted.update((t, int(i), k) for t, i, k in cursor.fetchall())
    return inserted


def _line(item: Item, kind: str, day: datetime.date) -> str:
    """One reminder in words, for a single notification's title or a digest line."""
    days = (item.deadline - day).days
    if kind == Reminder.Kind.DUE_0:
        return gettext("“%(title)s” is due today") % {"title": item.title}
    if days > 0:
        return ngettext("“%(title)s” is due in %(days)d day", "“%(title)s” is due in %(days)d days", days) % {
            "title": item.title,
            "days": days,
        }
    late = -days
    if kind == Reminder.Kind.OVERDUE:
        return ngettext("“%(title)s” is %(days)d day overdue", "“%(title)s” is %(days)d days overdue", late) % {
            "title": item.title,
            "days": late,
        }
    return ngettext(
        "%(owner)s: “%(title)s” is %(days)d day overdue",
        "%(owner)s: “%(title)s” is %(days)d days overdue",
        late,
    ) % {"owner": item.owner_name, "title": item.title, "days": late}


ESCALATIONS = (Reminder.Kind.ESCALATE_SECRETARY, Reminder.Kind.ESCALATE_SUPERVISOR)


def _notifications(per_user: dict[int, list[tuple[Item, str]]], *, day: datetime.date) -> list[Notification]:
    digest_url = reverse("notifications:list")
    rows = []
    for user_id, entries in per_user.items():
        entries.sort(key=lambda entry: (entry[0].deadline, entry[0].item_type, entry[0].item_id, entry[1]))
        if len(entries) == 1:
            item, kind = entries[0]
            line = _line(item, kind, day)
            if kind in ESCALATIONS:
                notification_kind, body = (
                    Notification.Kind.OVERDUE_ESCALATION,
                    gettext("Please follow up with %(owner)s.") % {"owner": item.owner_name},
                )
            else:
                notification_kind = Notification.Kind.DEADLINE_REMINDER
                if kind == Reminder.Kind.OVERDUE and item.item_type == Reminder.ItemType.RECTIFICATION:
                    notification_kind = Notification.Kind.RECTIFICATION_OVERDUE
                body = gettext("Deadline: %(deadline)s.") % {"deadline": item.deadline.isoformat()}
            rows.append(
                Notification(user_id=user_id, kind=notification_kind, title=line[:200], body=body, url=item.url)
            )
        else:
            title = ngettext(
                "%(count)d item needs your attention today", "%(count)d items need your attention today", len(entries)
            ) % {"count": len(entries)}
            body = "\n".join(f"• {_line(item, kind, day)}" for item, kind in entries)
            rows.append(
                Notification(user_id=user_id, kind=Notification.Kind.DIGEST, title=title, body=body, url=digest_url)
            )
    return rows


def send_reminders(day: datetime.date) -> dict:
    """Send every reminder due on `day` (an Asia/Shanghai date) that was not sent yet. Idempotent.

    Returns a summary: items looked at, reminders due, reminders sent now, notifications, digests,
    e-mails queued.
    """
    deadlines = due_deadlines(day)
    directory = Directory()
    due: list[tuple] = []  # (item_type, item_id, kind, recipient user ids)
    items: dict[tuple[str, int], Item] = {}
    deadline_list = sorted(deadlines)
    for source in ITEM_SOURCES:
        for item in source(deadline_list, day):
            for kind in kinds_for(deadlines[item.deadline]):
                due.append((item.item_type, item.item_id, kind, directory.recipients(item, kind)))
                items[item.item_type, item.item_id] = item
    due.sort(key=lambda row: (row[0], row[1], row[2]))  # one order for every run: no deadlocks

    with translation.override(settings.LANGUAGE_CODE), transaction.atomic():
        inserted = _insert_reminders([(t, i, k, len(users)) for t, i, k, users in due], day=day)
        per_user: dict[int, list[tuple[Item, str]]] = defaultdict(list)
        for item_type, item_id, kind, users in due:
            if (item_type, item_id, kind) in inserted:
                for user_id in users:
                    per_user[user_id].append((items[item_type, item_id], kind))
        notifications = Notification.objects.bulk_create(_notifications(per_user, day=day), batch_size=1000)
        emails = _email_addresses(per_user.keys())
        queued = queue_emails(notifications, emails=emails)
        transaction.on_commit(lambda: forget_unread_counts(per_user.keys()))
    return {
        "day": day.isoformat(),
        "items": len(items),
        "due": len(due),
        "sent": len(inserted),
        "notifications": len(notifications),
        "digests": sum(1 for n in notifications if n.kind == Notification.Kind.DIGEST),
        "emails_queued": queued,
    }


def _email_addresses(user_ids) -> dict[int, str]:
    from orgs.models import User

    user_ids, emails = list(user_ids), {}
    for start in range(0, len(user_ids), FETCH_CHUNK):
        chunk = user_ids[start : start + FETCH_CHUNK]
        emails.update(User.objects.filter(pk__in=chunk).exclude(email="").values_list("pk", "email"))
    return emails


def run_reminders(*, day: datetime.date) -> dict:
    """send_reminders with a JobRun record (what the Celery task and the command call)."""
    from campaign.jobs import run_job

    return run_job("reminders", day=day, work=lambda: send_reminders(day))
