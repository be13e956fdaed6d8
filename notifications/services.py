"""Writing notifications. Every event in the product goes through `notify`.

In-app notifications are always recorded. E-mail is a second channel: after the transaction
commits, a Celery task e-mails the people who have an address and did not turn e-mail off for
that kind (NotificationPreference).
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from .models import Notification, NotificationPreference

logger = logging.getLogger(__name__)

EMAIL_BATCH = 200
# Longer than the e-mail task's whole retry schedule, so a message still being retried is not queued twice.
SWEEP_AFTER = datetime.timedelta(hours=1)
SWEEP_WINDOW = datetime.timedelta(days=2)


def unread_cache_key(user_id: int) -> str:
    return f"notifications:unread:{user_id}"


def forget_unread_counts(user_ids: Iterable[int]) -> None:
    """Drop the cached navbar counts of these people (after their notifications changed)."""
    keys = [unread_cache_key(user_id) for user_id in set(user_ids)]
    if keys:
        cache.delete_many(keys)


def email_opt_outs(*, user_ids: Iterable[int], kinds: Iterable[str]) -> set[tuple[int, str]]:
    """(user id, kind) pairs whose owner turned e-mail off. One query."""
    user_ids, kinds = list(set(user_ids)), list(set(kinds))
    if not user_ids:
        return set()
    rows = NotificationPreference.objects.filter(user_id__in=user_ids, kind__in=kinds, email=False)
    return set(rows.values_list("user_id", "kind"))


def queue_emails(notifications: list[Notification], *, emails: dict[int, str]) -> int:
    """After commit, e-mail those of `notifications` whose recipient has an address and wants e-mail.

    `emails` maps user id → address. Returns how many e-mails were queued.
    """
    wanted = [n for n in notifications if emails.get(n.user_id)]
    if not wanted:
        return 0
    opted_out = email_opt_outs(user_ids=[n.user_id for n in wanted], kinds=[n.kind for n in wanted])
    ids = [n.pk for n in wanted if (n.user_id, n.kind) not in opted_out and n.pk is not None]
    if not ids:
        return 0
    for start in range(0, len(ids), EMAIL_BATCH):
        batch = ids[start : start + EMAIL_BATCH]
        transaction.on_commit(lambda batch=batch: _send_later(batch))
    return len(ids)


def _send_later(notification_ids: list[int]) -> None:
    """Queue an e-mail batch. A broker outage must not fail the action that notified: the daily
    sweep (queue_unsent_emails) sends what could not be queued."""
    from .tasks import send_notification_emails

    try:
        send_notification_emails.delay(notification_ids)
    except Exception:  # noqa: BLE001
        logger.exception("could not queue e-mails for notifications %s", notification_ids[:10])


def queue_unsent_emails(
    *, older_than: datetime.timedelta = SWEEP_AFTER, within: datetime.timedelta = SWEEP_WINDOW
) -> int:
    """Queue again the e-mails of recent notifications that were never sent (their task was lost:
    broker down at commit, or a worker killed on the demo's filesystem broker). Returns how many."""
    now = timezone.now()
    rows = list(
        Notification.objects.filter(
            emailed_at__isnull=True, created_at__lt=now - older_than, created_at__gte=now - within
        )
        .exclude(user__email="")
        .values_list("pk", "user_id", "kind")
    )
    opted_out = email_opt_outs(user_ids=[r[1] for r in rows], kinds=[r[2] for r in rows])
    ids = [pk for pk, user_id, kind in rows if (user_id, kind) not in opted_out]
    for start in range(0, len(ids), EMAIL_BATCH):
        _send_later(ids[start : start + EMAIL_BATCH])
    return len(ids)


def notify(*, recipients: Iterable, kind: str, title: str, body: str = "", url: str = "") -> list[Notification]:
    """Record one notification per distinct recipient, in the caller's transaction.

    Titles and bodies are stored already rendered, in the language active when the event happened.
    E-mails go out after the transaction commits (nothing is sent for a rolled-back event).
    """
    seen, rows, emails = set(), [], {}
    for user in recipients:
        if user is None or user.pk in seen:
            continue
        seen.add(user.pk)
        emails[user.pk] = user.email
        rows.append(Notification(user=user, kind=kind, title=title[:200], body=body, url=url))
    created = Notification.objects.bulk_create(rows)
    if created:
        queue_emails(created, emails=emails)
        transaction.on_commit(lambda: forget_unread_counts(seen))
        forget_unread_counts(seen)
    return created


@transaction.atomic
def notification_mark_read(*, notification: Notification, by) -> Notification:
    """Mark one of `by`'s notifications read (reading it twice changes nothing)."""
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    forget_unread_counts([by.pk])
    return notification


@transaction.atomic
def notifications_mark_all_read(*, user) -> int:
    """Mark every unread notification of `user` read. Returns how many changed."""
    changed = Notification.objects.visible_to(user).unread().update(read_at=timezone.now())
    forget_unread_counts([user.pk])
    return changed


@transaction.atomic
def preferences_update(*, user, email_kinds: Iterable[str]) -> None:
    """Store which kinds `user` wants by e-mail: every kind in `email_kinds` on, every other off."""
    email_kinds = set(email_kinds)
    rows = [
        NotificationPreference(user=user, kind=kind, email=kind in email_kinds) for kind in Notification.Kind.values
    ]
    for row in rows:
        row.full_clean(validate_unique=False, validate_constraints=False)
    NotificationPreference.objects.bulk_create(
        rows, update_conflicts=True, unique_fields=["user", "kind"], update_fields=["email"]
    )


def email_preferences(user) -> dict[str, bool]:
    """Kind → wants e-mail, defaults filled in. One query."""
    stored = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "email"))
    return {kind: stored.get(kind, True) for kind in Notification.Kind.values}
