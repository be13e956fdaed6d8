from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Rating(models.Model):
    """A public rating (群众评议) of a public pledge, given from the board without logging in.

    Ratings count at once; an optional comment is held until the organization's secretary approves it.
    """

    class Choice(models.TextChoices):
        SATISFIED = "satisfied", _("Satisfied")
        BASICALLY_SATISFIED = "basically_satisfied", _("Basically satisfied")
        DISSATISFIED = "dissatisfied", _("Dissatisfied")

    class CommentStatus(models.TextChoices):
        NONE = "none", _("No comment")
        PENDING = "pending", _("Awaiting moderation")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    pledge = models.ForeignKey(
        "pledges.Pledge", on_delete=models.CASCADE, related_name="ratings", verbose_name=_("pledge")
    )
    choice = models.CharField(_("rating"), max_length=24, choices=Choice.choices)
    comment = models.TextField(_("comment"), blank=True)
    comment_status = models.CharField(
        _("comment status"), max_length=12, choices=CommentStatus.choices, default=CommentStatus.NONE
    )
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("moderated by"),
    )
    browser_token = models.CharField(_("browser token"), max_length=64)
    ip_hash = models.CharField(_("IP address hash"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("rated at"), auto_now_add=True)

    class Meta:
        verbose_name = _("public rating")
        verbose_name_plural = _("public ratings")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["pledge", "browser_token"], name="one_rating_per_browser"),
        ]

    def __str__(self):
        return f"{self.pledge_id} {self.get_choice_display()}"
