from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .querysets import NotificationQuerySet


class Notification(models.Model):
    """A message in a person's in-app notification centre (e-mail is a second channel)."""

    class Kind(models.TextChoices):
        PLEDGE_SUBMITTED = "pledge_submitted", pgettext_lazy("notification kind", "Pledge submitted for approval")
        PLEDGE_RETURNED = "pledge_returned", pgettext_lazy("notification kind", "Pledge returned")
        PLEDGE_PUBLISHED = "pledge_published", pgettext_lazy("notification kind", "Pledge approved and published")
        PLEDGE_WITHDRAWN = "pledge_withdrawn", pgettext_lazy("notification kind", "Pledge withdrawn")
        COMPLETION_CLAIMED = "completion_claimed", pgettext_lazy("notification kind", "Completion claimed")
        COMPLETION_VERIFIED = "completion_verified", pgettext_lazy("notification kind", "Completion verified")
        COMPLETION_REJECTED = "completion_rejected", pgettext_lazy("notification kind", "Completion not accepted")
        REVIEW_POSTED = "review_posted", pgettext_lazy("notification kind", "Leader review posted")
        RECTIFICATION_OPENED = "rectification_opened", pgettext_lazy("notification kind", "Rectification item opened")
        RECTIFICATION_OVERDUE = (
            "rectification_overdue",
            pgettext_lazy("notification kind", "Rectification item overdue"),
        )
        DEADLINE_REMINDER = "deadline_reminder", pgettext_lazy("notification kind", "Deadline reminder")
        OVERDUE_ESCALATION = "overdue_escalation", pgettext_lazy("notification kind", "Overdue escalation")
        DIGEST = "digest", pgettext_lazy("notification kind", "Daily digest")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("recipient")
    )
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self):
        return self.title


class NotificationPreference(models.Model):
    """Whether a person wants e-mail for one kind of notification (in-app is always on).

    No row means the default: e-mail on (when the person has an address).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preferences",
        verbose_name=_("user"),
    )
    kind = models.CharField(_("kind"), max_length=32, choices=Notification.Kind.choices)
    email = models.BooleanField(_("send e-mail"), default=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="one_preference_per_user_kind")]

    def __str__(self):
        return f"{self.user_id} {self.kind} {self.email}"


class Reminder(models.Model):
    """One reminder that was sent: the idempotency key of the reminder job.

    The unique key (item type, item id, kind, day) is enforced by the database. The job inserts
    these rows with ON CONFLICT DO NOTHING and notifies only for the rows it actually inserted, in
    the same transaction, so a rerun, a concurrent run or a run after a crash sends each reminder
    exactly once.
    """

    class ItemType(models.TextChoices):
        PLEDGE = "pledge", _("Pledge")
        RECTIFICATION = "rectification", _("Rectification item")

    class Kind(models.TextChoices):
        DUE_7 = "due_7", _("7 days before the deadline")
        DUE_3 = "due_3", _("3 days before the deadline")
        DUE_1 = "due_1", _("1 day before the deadline")
        DUE_0 = "due_0", _("On the deadline")
        OVERDUE = "overdue", _("Overdue (weekly)")
        ESCALATE_SECRETARY = "escalate_secretary", _("Overdue: told the secretary")
        ESCALATE_SUPERVISOR = "escalate_supervisor", _("Overdue: told the supervisors")

    item_type = models.CharField(_("item type"), max_length=16, choices=ItemType.choices)
    item_id = models.BigIntegerField(_("item"))
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    day = models.DateField(_("day"))
    recipients = models.PositiveIntegerField(_("people told"), default=0)
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["item_type", "item_id", "kind", "day"], name="one_reminder_per_item_kind_day"
            ),
        ]
        indexes = [models.Index(fields=["day"])]

    def __str__(self):
        return f"{self.item_type}:{self.item_id} {self.kind} {self.day}"
