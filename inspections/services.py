"""Writes for inspections (督促检查) and rectification items (整改)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from campaign.models import Campaign
from notifications.services import notify
from orgs.models import Organization
from pledges.services.reviews import secretaries_of

from .models import Inspection, RectificationItem
from .permissions import can_decide, can_inspect, can_report_closure

S = RectificationItem.Status


@dataclass(frozen=True)
class ItemSpec:
    owner_org: Organization
    description: str
    deadline: datetime.date
    required_evidence: str


def _notify_opened(item: RectificationItem) -> None:
    notify(
        recipients=secretaries_of(item.owner_org),
        kind="rectification_opened",
        title=_("Rectification required by %(date)s: %(text)s")
        % {"date": item.deadline.isoformat(), "text": item.description[:60]},
        body=_("Evidence required: %(evidence)s") % {"evidence": item.required_evidence},
        url=item.get_absolute_url(),
    )


@transaction.atomic
def inspection_record(
    *,
    organization: Organization,
    by,
    inspected_on: datetime.date,
    kind: str,
    inspectors: str,
    findings: str,
    items: list[ItemSpec],
    campaign: Campaign | None = None,
) -> Inspection:
    """Record an inspection and open its rectification items; each owner's secretaries are notified."""
    if not can_inspect(by, organization):
        raise ValidationError(_("You may only inspect organizations in the subtree you supervise."))
    campaign = campaign or Campaign.objects.current()
    if campaign is None:
        raise ValidationError(_("There is no current campaign to record the inspection in."))
    if inspected_on > timezone.localdate():
        raise ValidationError({"inspected_on": _("The inspection date cannot be in the future.")})
    inspection = Inspection(
        campaign=campaign,
        organization=organization,
        inspected_on=inspected_on,
        kind=kind,
        inspectors=inspectors.strip(),
        findings=findings.strip(),
        recorded_by=by,
    )
    inspection.full_clean()
    inspection.save()
    for spec in items:
        if not spec.owner_org.path.startswith(organization.path):
            raise ValidationError(
                _("%(org)s is not part of the inspected organization; give the item to an organization under it.")
                % {"org": spec.owner_org.name}
            )
        if spec.deadline < inspected_on:
            raise ValidationError(_("A rectification deadline must be on or after the inspection date."))
        item = RectificationItem(
            inspection=inspection,
            owner_org=spec.owner_org,
            description=spec.description.strip(),
            deadline=spec.deadline,
            required_evidence=spec.required_evidence.strip(),
        )
        item.full_clean()
        item.save()
        _notify_opened(item)
    return inspection


@transaction.atomic
def item_report_closure(*, item: RectificationItem, by, note: str, evidence) -> RectificationItem:
    """The owner's secretary reports the item closed, with a note and one evidence file (image or PDF)."""
    from pledges.services.evidence import evidence_prepare

    if not can_report_closure(by, item):
        raise ValidationError(_("Only the responsible organization's secretary can report closure of an open item."))
    checked = evidence_prepare(evidence)  # checked by content; images stripped of EXIF (GPS etc.)
    item.closure_note = note.strip()
    item.evidence_name = checked.original_name
    item.evidence_content_type = checked.content_type
    item.evidence_extension = checked.extension
    item.evidence.save("evidence", checked.upload, save=False)
    item.status = S.REPORTED
    item.reported_on = timezone.localdate()
    item.reported_by = by
    item.full_clean()
    item.save(
        update_fields=[
            "closure_note",
            "evidence",
            "evidence_name",
            "evidence_content_type",
            "evidence_extension",
            "status",
            "reported_on",
            "reported_by",
        ]
    )
    notify(
        recipients=[item.inspection.recorded_by],
        kind="rectification_opened",
        title=_("Closure reported for review: %(text)s") % {"text": item.description[:60]},
        body=item.closure_note,
        url=item.get_absolute_url(),
    )
    return item


@transaction.atomic
def item_accept(*, item: RectificationItem, by) -> RectificationItem:
    if not can_decide(by, item):
        raise ValidationError(_("Only the inspector can accept a reported closure."))
    item.status = S.CLOSED
    item.closed_on = timezone.localdate()
    item.decided_by = by
    item.full_clean()
    item.save(update_fields=["status", "closed_on", "decided_by"])
    return item


@transaction.atomic
def item_reopen(
    *, item: RectificationItem, by, reason: str, deadline: datetime.date | None = None
) -> RectificationItem:
    """Send the item back to its owner with a reason (and, if given, a new deadline)."""
    if not can_decide(by, item):
        raise ValidationError(_("Only the inspector can reopen a reported closure."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say what is still missing, so the branch knows what to do.")})
    item.status = S.OPEN
    item.reopen_reason = reason.strip()
    item.times_reopened += 1
    item.decided_by = by
    item.reported_on = None
    fields = ["status", "reopen_reason", "times_reopened", "decided_by", "reported_on"]
    if deadline is not None:
        item.deadline = deadline
        fields.append("deadline")
    item.full_clean()
    item.save(update_fields=fields)
    notify(
        recipients=secretaries_of(item.owner_org),
        kind="rectification_opened",
        title=_("Rectification reopened: %(text)s") % {"text": item.description[:60]},
        body=item.reopen_reason,
        url=item.get_absolute_url(),
    )
    return item
