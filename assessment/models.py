from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class AssessmentScheme(models.Model):
    """Weights and bands of the year-end assessment (考评), editable by administrators.

    One row without a campaign is the default; a row for a campaign overrides it for that campaign.
    With no row at all the documented defaults below apply. A part with nothing to count for a unit
    is left out and the remaining weights are renormalized (see assessment.scoring).
    """

    campaign = models.OneToOneField(
        "campaign.Campaign",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="assessment_scheme",
        verbose_name=_("campaign"),
        help_text=_("Leave empty for the default scheme used by every campaign without its own."),
    )
    weight_completion = models.PositiveSmallIntegerField(_("weight: completion rate"), default=30)
    weight_on_time = models.PositiveSmallIntegerField(_("weight: on-time rate"), default=20)
    weight_reviews = models.PositiveSmallIntegerField(_("weight: leader review grades"), default=20)
    weight_satisfaction = models.PositiveSmallIntegerField(_("weight: public satisfaction"), default=20)
    weight_rectification = models.PositiveSmallIntegerField(_("weight: rectification"), default=10)
    points_excellent = models.PositiveSmallIntegerField(_("points for an excellent review"), default=100)
    points_good = models.PositiveSmallIntegerField(_("points for a good review"), default=80)
    points_fair = models.PositiveSmallIntegerField(_("points for a fair review"), default=60)
    points_poor = models.PositiveSmallIntegerField(_("points for a poor review"), default=40)
    rectification_penalty = models.PositiveSmallIntegerField(
        _("points off per open rectification item"),
        default=25,
        help_text=_("The rectification part starts at 100 and loses this much for each item still open."),
    )
    band_excellent = models.PositiveSmallIntegerField(_("lowest score for excellent"), default=90)
    band_qualified = models.PositiveSmallIntegerField(_("lowest score for qualified"), default=75)
    band_basic = models.PositiveSmallIntegerField(_("lowest score for basically qualified"), default=60)
    excellent_share_cap = models.PositiveSmallIntegerField(
        _("largest share rated excellent (%)"),
        default=20,
        validators=[MaxValueValidator(100)],
        help_text=_("Within one parent organization at most this share of the scored units is rated excellent."),
    )

    class Meta:
        verbose_name = _("assessment scheme")
        verbose_name_plural = _("assessment schemes")

    def __str__(self):
        return str(self.campaign) if self.campaign_id else str(_("Default scheme"))

    def clean(self):
        if not (self.band_excellent >= self.band_qualified >= self.band_basic):
            raise ValidationError(_("The bands must descend: excellent ≥ qualified ≥ basically qualified."))
        if not any(
            (
                self.weight_completion,
                self.weight_on_time,
                self.weight_reviews,
                self.weight_satisfaction,
                self.weight_rectification,
            )
        ):
            raise ValidationError(_("At least one weight must be above zero."))

    @classmethod
    def for_campaign(cls, campaign) -> AssessmentScheme:
        """The campaign's own scheme, else the default row, else the built-in defaults (unsaved)."""
        rows = list(cls.objects.filter(models.Q(campaign=campaign) | models.Q(campaign__isnull=True)).order_by("pk"))
        own = [row for row in rows if row.campaign_id == getattr(campaign, "pk", None)]
        return (own or rows or [cls()])[0]

    def grade_points(self) -> dict[str, int]:
        return {
            "excellent": self.points_excellent,
            "good": self.points_good,
            "fair": self.points_fair,
            "poor": self.points_poor,
        }
