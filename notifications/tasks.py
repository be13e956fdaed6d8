"""Celery tasks of the notifications app. Thin: they take ids or a date and call domain code."""

from __future__ import annotations

import datetime
import logging

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.utils import timezone

logger = logging.getLogger(__name__)

EMAIL_MAX_RETRIES = 5


@shared_task(bind=True, max_retries=EMAIL_MAX_RETRIES, acks_late=True)
def send_notification_emails(self, notification_ids: list[int]) -> dict:
    """E-mail these notifications. One failed message never stops the others.

    Messages already e-mailed are skipped (a redelivered task sends nothing twice, barring a crash
    between sending and recording). The ones that failed are retried with exponential backoff.
    """
    from .models import Notification

    pending = list(
        Notification.objects.filter(pk__in=notification_ids, emailed_at__isnull=True)
        .exclude(user__email="")
        .select_related("user")
    )
    sent, failed = [], []
    connection = get_connection(fail_silently=False)
    for notification in pending:
        body = notification.body
        if notification.url:
            body = f"{body}\n\n{settings.SITE_URL.rstrip('/')}{notification.url}".strip()
        message = EmailMessage(
            subject=notification.title, body=body, to=[notification.user.email], connection=connection
        )
        try:
            message.send()
        except Exception:  # noqa: BLE001 - any failure of one message must not stop the batch
            logger.exception("e-mail for notification %s failed", notification.pk)
            failed.append(notification.pk)
        else:
            sent.append(notification.pk)
    if sent:
        Notification.objects.filter(pk__in=sent).update(emailed_at=timezone.now())
    if failed:
        if self.request.retries < self.max_retries:
            raise self.retry(args=[failed], countdown=min(30 * 2**self.request.retries, 3600))
        logger.error("gave up e-mailing notifications %s", failed)
    return {"sent": len(sent), "failed": len(failed)}


@shared_task(acks_late=True)
def send_reminders_task(day: str | None = None) -> dict:
    """The daily reminder job (beat, 08:00 Asia/Shanghai). `day` is ISO; default today (Asia/Shanghai)."""
    from .reminders import run_reminders
    from .services import queue_unsent_emails

    on = datetime.date.fromisoformat(day) if day else timezone.localdate()
    summary = run_reminders(day=on)
    requeued = queue_unsent_emails()
    if requeued:
        logger.warning("queued %s e-mails again whose task had been lost", requeued)
    return {**summary, "emails_requeued": requeued}
