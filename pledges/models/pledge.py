from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..querysets import PledgeQuerySet


class Pledge(models.Model):
    """A public pledge (公开承诺) of a grass-roots organization or of a member, in one campaign.

    Life: draft → submitted → published | returned → submitted …; published → claimed → fulfilled
    (or back to published); published → withdrawn. Overdue (逾期) is derived, never stored: a public
    pledge, not fulfilled, whose deadline has passed (see PledgeQuerySet.overdue).
    Every change goes through pledges.services; `version` guards against lost concurrent edits.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Awaiting approval")
        RETURNED = "returned", _("Returned")
        PUBLISHED = "published", _("In progress")
        CLAIMED = "claimed", _("Completion claimed")
        FULFILLED = "fulfilled", _("Fulfilled")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class Category(models.TextChoices):
        DEVELOPMENT = "development", _("Serving development")
        SOCIETY = "society", _("Serving society")
        PEOPLE = "people", _("Serving the people")

    class Channel(models.TextChoices):
        NOTICE_BOARD = "notice_board", _("Public notice board")
        PRESS = "press", _("Newspapers and broadcast")
        MEMBERS_MEETING = "members_meeting", _("Party members' meeting")
        ONLINE = "online", _("Online publicity")

    PUBLIC_STATUSES = (Status.PUBLISHED, Status.CLAIMED, Status.FULFILLED)

    campaign = models.ForeignKey(
        "campaign.Campaign", on_delete=models.PROTECT, related_name="pledges", verbose_name=_("campaign")
    )
    owner_org = models.ForeignKey(
        "orgs.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="pledges",
        verbose_name=_("organization"),
    )
    owner_member = models.ForeignKey(
        "orgs.Member",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="pledges",
        verbose_name=_("member"),
    )
    title = models.CharField(_("title"), max_length=100)
    content = models.TextField(_("content"))
    target = models.TextField(
        _("measurable target"),
        help_text=_("What will be true when the pledge is kept, with a number or a concrete deliverable."),
    )
    deadline = models.DateField(_("deadline"))
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    channels = models.JSONField(_("publicity channels"), default=list, blank=True)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved or returned by"),
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    return_reason = models.TextField(_("reason for return"), blank=True)
    completed_on = models.DateField(
        _("completed on"), null=True, blank=True, help_text=_("The day completion was claimed.")
    )
    closing_statement = models.TextField(_("closing statement"), blank=True)
    fulfilled_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    withdraw_reason = models.TextField(_("reason for withdrawal"), blank=True)
    explanation = models.TextField(
        _("explanation"), blank=True, help_text=_("Why a pledge was not kept by the end of the campaign.")
    )
    version = models.PositiveIntegerField(_("version"), default=1)

    objects = PledgeQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("pledge")
        verbose_name_plural = _("pledges")
        ordering = ["deadline", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(owner_org__isnull=False) & Q(owner_member__isnull=True))
                | (Q(owner_org__isnull=True) & Q(owner_member__isnull=False)),
                name="pledge_has_exactly_one_owner",
            ),
            models.CheckConstraint(condition=Q(progress__lte=100), name="pledge_progress_at_most_100"),
        ]
        indexes = [
            models.Index(fields=["campaign", "status"]),
            models.Index(fields=["status", "deadline"]),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("pledges:detail", args=[self.pk])

    @property
    def owner(self):
        return self.owner_org or self.owner_member

    @property
    def owner_name(self) -> str:
        return str(self.owner)

    @property
    def owner_organization(self):
        """The organization a pledge belongs to: the owner itself, or the member's organization."""
        return self.owner_org if self.owner_org_id else self.owner_member.organization

    @property
    def is_public(self) -> bool:
        return self.status in self.PUBLIC_STATUSES

    def is_overdue(self, on: datetime.date | None = None) -> bool:
        day = on or timezone.localdate()
        return self.is_public and self.status != self.Status.FULFILLED and self.deadline < day

    def days_left(self, on: datetime.date | None = None) -> int:
        """Days until the deadline (negative once it has passed)."""
        day = on or timezone.localdate()
        return (self.deadline - day).days
