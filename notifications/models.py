from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """A message in a person's in-app notification centre (e-mail is a second channel)."""

    class Kind(models.TextChoices):
        PLEDGE_SUBMITTED = "pledge_submitted", _("Pledge submitted for approval")
        PLEDGE_RETURNED = "pledge_returned", _("Pledge returned")
        PLEDGE_PUBLISHED = "pledge_published", _("Pledge approved and published")
        PLEDGE_WITHDRAWN = "pledge_withdrawn", _("Pledge withdrawn")
        COMPLETION_CLAIMED = "completion_claimed", _("Completion claimed")
        COMPLETION_VERIFIED = "completion_verified", _("Completion verified")
        COMPLETION_REJECTED = "completion_rejected", _("Completion not accepted")
        REVIEW_POSTED = "review_posted", _("Leader review posted")
        RECTIFICATION_OPENED = "rectification_opened", _("Rectification item opened")
        RECTIFICATION_OVERDUE = "rectification_overdue", _("Rectification item overdue")
        DEADLINE_REMINDER = "deadline_reminder", _("Deadline reminder")
        OVERDUE_ESCALATION = "overdue_escalation", _("Overdue escalation")
        DIGEST = "digest", _("Daily digest")

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

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self):
        return self.title
