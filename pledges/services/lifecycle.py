"""The life of a pledge (定诺 → 审诺 → 亮诺 → 践诺): every state move is one function here.

draft ─submit→ submitted ─approve→ published ─claim→ claimed ─verify→ fulfilled
  ↑              │ return(reason)      │   ↑                 │ reject(reason)
  └── edit ── returned ─submit→ …      │   └─────────────────┘
                         published ─withdraw(reason)→ withdrawn

Each move checks who is asking (permissions.py) and the current state, records a history row whose
change reason is the move's name (MOVES), bumps `version`, and notifies the people concerned.
Views, the admin and jobs all call these functions, so the rules hold everywhere.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from notifications.models import Notification
from notifications.services import notify
from orgs.models import Member, Organization, User

from .. import permissions
from ..models import Pledge
from . import quality

S = Pledge.Status

# The change reason stored with each history row, and how the timeline names it.
MOVES = {
    "create": gettext_lazy("Drafted"),
    "update": gettext_lazy("Edited"),
    "submit": gettext_lazy("Submitted for approval"),
    "approve": gettext_lazy("Approved and published"),
    "return": gettext_lazy("Returned for changes"),
    "claim": gettext_lazy("Reported as complete"),
    "verify": gettext_lazy("Verified as fulfilled"),
    "reject_completion": gettext_lazy("Completion sent back"),
    "withdraw": gettext_lazy("Pledge withdrawn"),
    "explain": gettext_lazy("Explanation given"),
}

# Fields a person edits; the stale-edit message and the timeline describe changes of these.
EDITABLE_FIELDS = ("title", "content", "target", "deadline", "category", "channels")


def move_label(reason: str | None) -> str:
    return str(MOVES.get(reason or "", reason or ""))


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("You may not do this to this pledge."))


def _require_status(pledge: Pledge, *statuses: str, message: str) -> None:
    if pledge.status not in statuses:
        raise ValidationError(message % {"status": pledge.get_status_display()})


def _locked(pledge: Pledge) -> Pledge:
    """The pledge as stored now, row-locked for the rest of the transaction (state checks see the truth)."""
    return (
        Pledge.objects.select_for_update(of=("self",))
        .select_related("campaign", "owner_org", "owner_member", "owner_member__organization", "owner_member__user")
        .get(pk=pledge.pk)
    )


def _save(pledge: Pledge, *, by: User, move: str, fields: list[str]) -> Pledge:
    pledge.version += 1
    pledge._history_user = by
    pledge._change_reason = move
    pledge.full_clean()
    pledge.save(update_fields=[*fields, "version", "updated_at"])
    return pledge


def _quality_or_raise(pledge: Pledge, *, deadline_is_new: bool) -> None:
    problems = quality.pledge_problems(
        campaign=pledge.campaign,
        owner_org=pledge.owner_org,
        owner_member=pledge.owner_member,
        title=pledge.title,
        target=pledge.target,
        deadline=pledge.deadline,
        exclude_pk=pledge.pk,
        deadline_is_new=deadline_is_new,
    )
    if problems:
        raise ValidationError(problems)


def _reason_or_raise(text: str, field: str, message: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError({field: message})
    return text


def _tell(recipients, *, kind: str, title: str, pledge: Pledge, by: User, body: str = "") -> None:
    """Notify the people concerned, except the person who made the move."""
    people = [user for user in recipients if user.pk != by.pk]
    notify(recipients=people, kind=kind, title=title, body=body, url=pledge.get_absolute_url())


def _tell_owner(pledge: Pledge, *, by: User, kind: str, title: str, body: str = "") -> None:
    _tell(permissions.owner_recipients(pledge), kind=kind, title=title, pledge=pledge, by=by, body=body)


# --------------------------------------------------------------------------- 定诺 set


@transaction.atomic
def pledge_create(
    *,
    by: User,
    campaign,
    owner_org: Organization | None = None,
    owner_member: Member | None = None,
    title: str,
    content: str,
    target: str,
    deadline: datetime.date,
    category: str,
    channels: list[str] | None = None,
) -> Pledge:
    """A draft pledge: a member for themself, a secretary for the organization or one of its members."""
    if (owner_org is None) == (owner_member is None):
        raise ValidationError(_("A pledge belongs either to an organization or to a member."))
    _require(permissions.can_create_for(by, owner_org=owner_org, owner_member=owner_member))
    if owner_org is not None and not owner_org.is_grassroots:
        raise ValidationError(_("Only branches and general branches file organization pledges."))
    if owner_member is not None and not owner_member.is_active:
        raise ValidationError(_("This member is no longer active in the organization."))
    pledge = Pledge(
        campaign=campaign,
        owner_org=owner_org,
        owner_member=owner_member,
        title=(title or "").strip(),
        content=(content or "").strip(),
        target=(target or "").strip(),
        deadline=deadline,
        category=category,
        channels=list(channels or []),
        created_by=by,
    )
    _quality_or_raise(pledge, deadline_is_new=True)
    pledge._history_user = by
    pledge._change_reason = "create"
    pledge.full_clean()
    pledge.save()
    return pledge


def _describe(value, field) -> str:
    if value in (None, "", []):
        return "—"
    if field.name == "channels":
        labels = dict(Pledge.Channel.choices)
        return "、".join(str(labels.get(v, v)) for v in value)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, datetime.date):
        return value.isoformat()
    text = str(value)
    return text if len(text) <= 60 else text[:57] + "…"


def changes_since(pledge: Pledge, version: int) -> list[dict]:
    """What changed in the stored pledge since `version`: [{field, label, old, new}], from the history."""
    records = list(pledge.history.order_by("-history_date", "-history_id")[:50])
    if not records:
        return []
    newest = records[0]
    older = next((r for r in records if r.version == version), None) or records[-1]
    if older.pk == newest.pk:
        return []
    delta = newest.diff_against(older, included_fields=[*EDITABLE_FIELDS, "status"])
    rows = []
    for change in delta.changes:
        field = Pledge._meta.get_field(change.field)
        rows.append(
            {
                "field": change.field,
                "label": str(field.verbose_name),
                "old": _describe(change.old, field),
                "new": _describe(change.new, field),
            }
        )
    return rows


class StaleEdit(ValidationError):
    """Raised when the pledge changed since the editor loaded it. Carries the changes and the new version."""

    def __init__(self, message: str, *, changes: list[dict], current_version: int, changed_by: str):
        super().__init__(message, code="stale")
        self.changes = changes
        self.current_version = current_version
        self.changed_by = changed_by


@transaction.atomic
def pledge_update(*, pledge: Pledge, by: User, expected_version: int, **fields) -> Pledge:
    """Edit a draft or returned pledge. Refused, with what changed, when someone saved it meanwhile."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    stored = _locked(pledge)
    _require(permissions.can_edit(by, stored))
    if stored.version != expected_version:
        changes = changes_since(stored, expected_version)
        last = stored.history.select_related("history_user").order_by("-history_date", "-history_id").first()
        who = str(last.history_user) if last and last.history_user else _("someone else")
        summary = "；".join(f"{c['label']}：“{c['old']}” → “{c['new']}”" for c in changes) or _("no visible fields")
        raise StaleEdit(
            _(
                "%(who)s changed this pledge after you opened it (%(summary)s). Your changes were not saved; "
                "check them against the new version and save again."
            )
            % {"who": who, "summary": summary},
            changes=changes,
            current_version=stored.version,
            changed_by=who,
        )
    changed = []
    for name, value in fields.items():
        if isinstance(value, str):
            value = value.strip()
        if name == "channels":
            value = list(value or [])
        if getattr(stored, name) != value:
            setattr(stored, name, value)
            changed.append(name)
    if not changed:
        return stored
    _quality_or_raise(stored, deadline_is_new="deadline" in changed)
    _save(stored, by=by, move="update", fields=changed)
    return stored


# --------------------------------------------------------------------------- 审诺 review


@transaction.atomic
def pledge_submit(*, pledge: Pledge, by: User) -> Pledge:
    pledge = _locked(pledge)
    _require_status(
        pledge,
        S.DRAFT,
        S.RETURNED,
        message=_("Only a draft or a returned pledge can be submitted; this one is %(status)s."),
    )
    _require(permissions.can_submit(by, pledge))
    _quality_or_raise(pledge, deadline_is_new=True)
    pledge.status = S.SUBMITTED
    pledge.submitted_at = timezone.now()
    _save(pledge, by=by, move="submit", fields=["status", "submitted_at"])
    _tell(
        permissions.approvers_of(pledge),
        kind=Notification.Kind.PLEDGE_SUBMITTED,
        title=_("%(owner)s submitted “%(title)s” for approval") % {"owner": pledge.owner_name, "title": pledge.title},
        pledge=pledge,
        by=by,
    )
    return pledge


@transaction.atomic
def pledge_approve(*, pledge: Pledge, by: User) -> Pledge:
    pledge = _locked(pledge)
    _require_status(pledge, S.SUBMITTED, message=_("Only a submitted pledge can be approved; this one is %(status)s."))
    _require(permissions.can_approve(by, pledge))
    pledge.status = S.PUBLISHED
    pledge.published_at = timezone.now()
    pledge.decided_by = by
    pledge.return_reason = ""
    _save(pledge, by=by, move="approve", fields=["status", "published_at", "decided_by", "return_reason"])
    _tell_owner(
        pledge,
        by=by,
        kind=Notification.Kind.PLEDGE_PUBLISHED,
        title=_("“%(title)s” was approved and is now public") % {"title": pledge.title},
    )
    return pledge


@transaction.atomic
def pledge_return(*, pledge: Pledge, by: User, reason: str) -> Pledge:
    pledge = _locked(pledge)
    _require_status(pledge, S.SUBMITTED, message=_("Only a submitted pledge can be returned; this one is %(status)s."))
    _require(permissions.can_return(by, pledge))
    pledge.return_reason = _reason_or_raise(
        reason, "reason", _("Say what has to change, e.g. “预期目标请写明走访户数”.")
    )
    pledge.status = S.RETURNED
    pledge.decided_by = by
    _save(pledge, by=by, move="return", fields=["status", "decided_by", "return_reason"])
    _tell_owner(
        pledge,
        by=by,
        kind=Notification.Kind.PLEDGE_RETURNED,
        title=_("“%(title)s” was returned for changes") % {"title": pledge.title},
        body=pledge.return_reason,
    )
    return pledge


@transaction.atomic
def pledge_withdraw(*, pledge: Pledge, by: User, reason: str) -> Pledge:
    pledge = _locked(pledge)
    _require_status(pledge, S.PUBLISHED, message=_("Only a published pledge can be withdrawn; this one is %(status)s."))
    _require(permissions.can_withdraw(by, pledge))
    pledge.withdraw_reason = _reason_or_raise(
        reason, "reason", _("Say why the pledge is withdrawn, e.g. “项目已由县里统一实施”.")
    )
    pledge.status = S.WITHDRAWN
    _save(pledge, by=by, move="withdraw", fields=["status", "withdraw_reason"])
    _tell_owner(
        pledge,
        by=by,
        kind=Notification.Kind.PLEDGE_WITHDRAWN,
        title=_("“%(title)s” was withdrawn") % {"title": pledge.title},
        body=pledge.withdraw_reason,
    )
    return pledge


# --------------------------------------------------------------------------- 践诺 carry out, 督诺 verify


@transaction.atomic
def pledge_claim_completion(*, pledge: Pledge, by: User, closing_statement: str) -> Pledge:
    """The owner says the pledge is kept. Evidence already uploaded with progress updates backs the claim."""
    pledge = _locked(pledge)
    _require_status(
        pledge, S.PUBLISHED, message=_("Only a pledge in progress can be claimed complete; this one is %(status)s.")
    )
    _require(permissions.can_claim_completion(by, pledge))
    pledge.closing_statement = _reason_or_raise(
        closing_statement,
        "closing_statement",
        _("Describe what was achieved, e.g. “已完成 3 户困难党员走访，解决实际问题 5 个”."),
    )
    pledge.status = S.CLAIMED
    pledge.completed_on = timezone.localdate()
    _save(pledge, by=by, move="claim", fields=["status", "closing_statement", "completed_on"])
    _tell(
        permissions.approvers_of(pledge),
        kind=Notification.Kind.COMPLETION_CLAIMED,
        title=_("%(owner)s reports “%(title)s” complete; please verify")
        % {"owner": pledge.owner_name, "title": pledge.title},
        pledge=pledge,
        by=by,
    )
    return pledge


@transaction.atomic
def pledge_verify(*, pledge: Pledge, by: User) -> Pledge:
    pledge = _locked(pledge)
    _require_status(
        pledge, S.CLAIMED, message=_("Only a pledge claimed complete can be verified; this one is %(status)s.")
    )
    _require(permissions.can_verify(by, pledge))
    pledge.status = S.FULFILLED
    pledge.fulfilled_at = timezone.now()
    pledge.progress = 100
    pledge.decided_by = by
    _save(pledge, by=by, move="verify", fields=["status", "fulfilled_at", "progress", "decided_by"])
    _tell_owner(
        pledge,
        by=by,
        kind=Notification.Kind.COMPLETION_VERIFIED,
        title=_("“%(title)s” is verified as fulfilled") % {"title": pledge.title},
    )
    return pledge


@transaction.atomic
def pledge_reject_completion(*, pledge: Pledge, by: User, reason: str) -> Pledge:
    """The approver does not accept the claim: back to published, with the reason kept as `return_reason`."""
    pledge = _locked(pledge)
    _require_status(
        pledge, S.CLAIMED, message=_("Only a pledge claimed complete can be sent back; this one is %(status)s.")
    )
    _require(permissions.can_reject_completion(by, pledge))
    pledge.return_reason = _reason_or_raise(reason, "reason", _("Say what is still missing, e.g. “缺少走访记录照片”."))
    pledge.status = S.PUBLISHED
    pledge.completed_on = None
    pledge.decided_by = by
    _save(pledge, by=by, move="reject_completion", fields=["status", "return_reason", "completed_on", "decided_by"])
    _tell_owner(
        pledge,
        by=by,
        kind=Notification.Kind.COMPLETION_REJECTED,
        title=_("The completion of “%(title)s” was not accepted") % {"title": pledge.title},
        body=pledge.return_reason,
    )
    return pledge


@transaction.atomic
def pledge_explain(*, pledge: Pledge, by: User, explanation: str) -> Pledge:
    """说明情况: why a public pledge was not kept by its deadline or the campaign's end."""
    pledge = _locked(pledge)
    if not permissions.needs_explanation(pledge):
        raise ValidationError(
            _("An explanation is asked for only when a public pledge is past its deadline and not fulfilled.")
        )
    _require(permissions.can_explain(by, pledge))
    pledge.explanation = _reason_or_raise(
        explanation, "explanation", _("Say why the pledge was not kept and what happens next.")
    )
    _save(pledge, by=by, move="explain", fields=["explanation"])
    return pledge


@transaction.atomic
def pledge_bulk_create(
    *, by: User, campaign, rows: list[dict], channels: list[str] | None = None, submit: bool = False
) -> list[Pledge]:
    """Members' pledges from the bulk table: all rows are created (and submitted), or none."""
    created = []
    for number, row in enumerate(rows, start=1):
        row = dict(row)
        row.setdefault("content", row.get("target", ""))
        try:
            pledge = pledge_create(by=by, campaign=campaign, channels=channels, **row)
            if submit:
                pledge = pledge_submit(pledge=pledge, by=by)
        except ValidationError as error:
            owner = row.get("owner_member") or row.get("owner_org")
            raise ValidationError(
                _("Row %(number)d (%(owner)s): %(problem)s")
                % {"number": number, "owner": owner, "problem": " ".join(error.messages)}
            ) from error
        created.append(pledge)
    return created


MOVE_SERVICES: dict[str, Callable] = {
    "submit": pledge_submit,
    "approve": pledge_approve,
    "return": pledge_return,
    "claim": pledge_claim_completion,
    "verify": pledge_verify,
    "reject_completion": pledge_reject_completion,
    "withdraw": pledge_withdraw,
    "explain": pledge_explain,
}
