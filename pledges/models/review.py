from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Review(models.Model):
    """A leader's review (领导点评) of one pledge, or of an organization's campaign work as a whole."""

    class Grade(models.TextChoices):
        EXCELLENT = "excellent", _("Excellent")
        GOOD = "good", _("Good")
        FAIR = "fair", _("Fair")
        POOR = "poor", _("Poor")

    campaign = models.ForeignKey(
        "campaign.Campaign", on_delete=models.PROTECT, related_name="reviews", verbose_name=_("campaign")
    )
    pledge = models.ForeignKey(
        "pledges.Pledge",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reviews",
        verbose_name=_("pledge"),
    )
    organization = models.ForeignKey(
        "orgs.Organization",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reviews",
        verbose_name=_("organization"),
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reviews_given", verbose_name=_("reviewer")
    )
    reviewer_title = models.CharField(_("reviewer's position"), max_length=50, blank=True)
    grade = models.CharField(_("grade"), max_length=20, choices=Grade.choices)
    comment = models.TextField(_("comment"))
    created_at = models.DateTimeField(_("posted at"), auto_now_add=True)

    class Meta:
        verbose_name = _("leader review")
        verbose_name_plural = _("leader reviews")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(pledge__isnull=False) & Q(organization__isnull=True))
                | (Q(pledge__isnull=True) & Q(organization__isnull=False)),
                name="review_of_pledge_or_organization",
            ),
        ]

    def __str__(self):
        return f"{self.get_grade_display()} · {self.reviewer}"
