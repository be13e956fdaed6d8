from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class CampaignQuerySet(models.QuerySet):
    def current(self) -> Campaign | None:
        return self.filter(is_current=True).first()


class Campaign(models.Model):
    """A 创先争优 campaign (活动): a theme over a period. Past campaigns stay readable."""

    name = models.CharField(_("name"), max_length=100)
    theme = models.CharField(_("theme"), max_length=200)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    is_current = models.BooleanField(_("current"), default=False)

    objects = CampaignQuerySet.as_manager()

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-starts_on"]
        constraints = [
            models.UniqueConstraint(fields=["is_current"], condition=Q(is_current=True), name="one_current_campaign"),
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="campaign_ends_after_start"),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The campaign must end after it starts.")})

    def contains(self, day: datetime.date) -> bool:
        return self.starts_on <= day <= self.ends_on


class Phase(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="phases", verbose_name=_("campaign"))
    name = models.CharField(_("name"), max_length=100)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))

    class Meta:
        verbose_name = _("phase")
        verbose_name_plural = _("phases")
        ordering = ["campaign", "starts_on"]

    def __str__(self):
        return self.name


class OrgSnapshot(models.Model):
    """The DOMAIN.md figures of one organization's subtree, for one campaign, on one day.

    Raw counts are stored; rates are derived (a unit with nothing to count has no rate: "—").
    Written by the roll-up job (campaign.rollups); re-running a day replaces that day's rows.
    """

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="snapshots")
    organization = models.ForeignKey("orgs.Organization", on_delete=models.CASCADE, related_name="snapshots")
    day = models.DateField()
    counted = models.PositiveIntegerField(default=0)
    fulfilled = models.PositiveIntegerField(default=0)
    fulfilled_on_time = models.PositiveIntegerField(default=0)
    overdue = models.PositiveIntegerField(default=0)
    grassroots_total = models.PositiveIntegerField(default=0)
    grassroots_participating = models.PositiveIntegerField(default=0)
    members_total = models.PositiveIntegerField(default=0)
    members_participating = models.PositiveIntegerField(default=0)
    ratings_total = models.PositiveIntegerField(default=0)
    ratings_satisfied = models.PositiveIntegerField(default=0)
    ratings_basically_satisfied = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("daily figures")
        verbose_name_plural = _("daily figures")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "organization", "day"], name="one_snapshot_per_org_day"),
        ]
        indexes = [models.Index(fields=["campaign", "day"])]

    def __str__(self):
        return f"{self.organization_id} {self.day}"

    @staticmethod
    def _ratio(numerator: float, denominator: int) -> float | None:
        return None if denominator == 0 else numerator / denominator

    @property
    def completion_rate(self) -> float | None:
        return self._ratio(self.fulfilled, self.counted)

    @property
    def on_time_rate(self) -> float | None:
        return self._ratio(self.fulfilled_on_time, self.fulfilled + self.overdue)

    @property
    def branch_participation(self) -> float | None:
        return self._ratio(self.grassroots_participating, self.grassroots_total)

    @property
    def member_participation(self) -> float | None:
        return self._ratio(self.members_participating, self.members_total)

    @property
    def satisfaction(self) -> float | None:
        return self._ratio(self.ratings_satisfied + 0.5 * self.ratings_basically_satisfied, self.ratings_total)


class JobRun(models.Model):
    """One run of a background job (reminders, roll-up, export), for administrators to inspect."""

    class Status(models.TextChoices):
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")

    name = models.CharField(_("job"), max_length=50)
    day = models.DateField(_("for day"), null=True, blank=True)
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    seconds = models.FloatField(_("duration (s)"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.RUNNING)
    summary = models.JSONField(_("what it did"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("job run")
        verbose_name_plural = _("job runs")
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["name", "-started_at"])]

    def __str__(self):
        return f"{self.name} {self.started_at:%Y-%m-%d %H:%M}"


class ExportJob(models.Model):
    """A ledger export (.xlsx) produced in the background, with progress and a download when done."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Running")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    requested_by = models.ForeignKey(
        "orgs.User", on_delete=models.CASCADE, related_name="export_jobs", verbose_name=_("requested by")
    )
    kind = models.CharField(_("kind"), max_length=30)
    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.CASCADE, related_name="+", verbose_name=_("organization")
    )
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+", verbose_name=_("campaign"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PENDING)
    total = models.PositiveIntegerField(_("rows in all"), default=0)
    done = models.PositiveIntegerField(_("rows written"), default=0)
    file = models.FileField(_("file"), upload_to="exports/", blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.kind} {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def percent(self) -> int:
        return 100 if self.status == self.Status.DONE else (0 if not self.total else int(100 * self.done / self.total))


class DashboardThreshold(models.Model):
    """Where a dashboard figure turns amber and red (set by the administrator; defaults in DEFAULT_THRESHOLDS).

    Rates are percentages, higher is better: green from `green_from`, red below `red_below`, amber between.
    The overdue count is the other way round: green up to `green_from`, red above `red_below`.
    """

    class Figure(models.TextChoices):
        COMPLETION = "completion_rate", _("Completion rate")
        ON_TIME = "on_time_rate", _("On-time rate")
        OVERDUE = "overdue", _("Overdue")
        BRANCH_PARTICIPATION = "branch_participation", _("Branch participation")
        MEMBER_PARTICIPATION = "member_participation", _("Member participation")
        SATISFACTION = "satisfaction", _("Satisfaction")

    figure = models.CharField(_("figure"), max_length=30, choices=Figure.choices, unique=True)
    green_from = models.DecimalField(
        _("green from"),
        max_digits=6,
        decimal_places=1,
        help_text=_("Rates (in %): green at or above this. Overdue: green at or below this many items."),
    )
    red_below = models.DecimalField(
        _("red below"),
        max_digits=6,
        decimal_places=1,
        help_text=_("Rates (in %): red below this. Overdue: red above this many items."),
    )

    class Meta:
        verbose_name = _("dashboard threshold")
        verbose_name_plural = _("dashboard thresholds")
        ordering = ["figure"]

    def __str__(self):
        return self.get_figure_display()

    def clean(self):
        if self.green_from is None or self.red_below is None:
            return
        if self.figure == self.Figure.OVERDUE:
            if self.red_below < self.green_from:
                raise ValidationError(
                    {"red_below": _("For overdue items the red level must not be below the green level.")}
                )
        elif self.red_below > self.green_from:
            raise ValidationError({"red_below": _("The red level must not be above the green level.")})
