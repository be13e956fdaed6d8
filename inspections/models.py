from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .querysets import InspectionQuerySet, RectificationItemQuerySet


class Inspection(models.Model):
    """A supervision visit (督促检查) of an organization: a routine inspection, a spot check or a
    review meeting, with its findings and the rectification items it opened."""

    class Kind(models.TextChoices):
        ROUTINE = "routine", _("Routine inspection")
        SPOT_CHECK = "spot_check", _("Random spot check")
        REVIEW_MEETING = "review_meeting", _("Review meeting")

    campaign = models.ForeignKey(
        "campaign.Campaign", on_delete=models.PROTECT, related_name="inspections", verbose_name=_("campaign")
    )
    organization = models.ForeignKey(
        "orgs.Organization",
        on_delete=models.PROTECT,
        related_name="inspections",
        verbose_name=_("inspected organization"),
    )
    inspected_on = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    inspectors = models.CharField(_("inspectors"), max_length=200, help_text=_("Names of the inspection team."))
    findings = models.TextField(_("findings"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = InspectionQuerySet.as_manager()

    class Meta:
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        ordering = ["-inspected_on", "-pk"]

    def __str__(self):
        return f"{self.organization} {self.inspected_on} {self.get_kind_display()}"

    def get_absolute_url(self):
        return reverse("inspections:detail", args=[self.pk])


def closure_upload_to(instance, filename: str) -> str:
    return f"rectification/{instance.pk or 'new'}/{uuid.uuid4().hex}.{instance.evidence_extension or 'bin'}"


class RectificationItem(models.Model):
    """A rectification task (整改任务) from an inspection: owner organization, deadline, and the
    evidence that closes it. Life: open → reported (owner reports closure with evidence) →
    closed (inspector accepts) or back to open (inspector reopens, with a reason)."""

    class Status(models.TextChoices):
        OPEN = "open", _("Being rectified")
        REPORTED = "reported", _("Closure reported")
        CLOSED = "closed", _("Accepted and closed")

    inspection = models.ForeignKey(
        Inspection, on_delete=models.CASCADE, related_name="items", verbose_name=_("inspection")
    )
    owner_org = models.ForeignKey(
        "orgs.Organization",
        on_delete=models.PROTECT,
        related_name="rectification_items",
        verbose_name=_("responsible organization"),
    )
    description = models.TextField(_("problem to rectify"))
    deadline = models.DateField(_("deadline"))
    required_evidence = models.CharField(
        _("evidence required for closure"),
        max_length=300,
        help_text=_("E.g. minutes of the meeting, photos of the notice board."),
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.OPEN)
    closure_note = models.TextField(_("what was done"), blank=True)
    evidence = models.FileField(_("evidence file"), upload_to=closure_upload_to, blank=True)
    evidence_name = models.CharField(_("original file name"), max_length=200, blank=True)
    evidence_content_type = models.CharField(_("content type"), max_length=100, blank=True)
    evidence_extension = models.CharField(_("extension"), max_length=10, blank=True)
    reported_on = models.DateField(_("closure reported on"), null=True, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reported by"),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("accepted or reopened by"),
    )
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    reopen_reason = models.TextField(_("reason for reopening"), blank=True)
    times_reopened = models.PositiveSmallIntegerField(_("times reopened"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = RectificationItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("rectification item")
        verbose_name_plural = _("rectification items")
        ordering = ["deadline", "pk"]
        indexes = [models.Index(fields=["status", "deadline"])]

    def __str__(self):
        return self.description[:50]

    def get_absolute_url(self):
        return reverse("inspections:detail", args=[self.inspection_id]) + f"#item-{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status != self.Status.CLOSED

    def is_overdue(self, on: datetime.date | None = None) -> bool:
        day = on or timezone.localdate()
        if not self.is_open or self.deadline >= day:
            return False
        return self.status == self.Status.OPEN or (self.reported_on is not None and self.reported_on > self.deadline)

    def days_left(self, on: datetime.date | None = None) -> int:
        return (self.deadline - (on or timezone.localdate())).days
