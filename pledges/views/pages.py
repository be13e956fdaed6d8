"""Logged-in pledge pages: 我的承诺, the branch home, filing (one, for a member, in bulk), the queues,
the supervisor's search, the pledge page and the edit form."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from campaign.models import Campaign
from orgs.models import Member, Organization
from orgs.roles import roles_of

from .. import permissions
from ..forms.lifecycle import (
    BranchFilterForm,
    BulkDefaultsForm,
    BulkFormSet,
    PledgeCreateForm,
    PledgeEditForm,
    SearchForm,
)
from ..models import Pledge, ProgressUpdate, Review
from ..selectors.ratings import comments_to_moderate
from ..services import lifecycle
from .actions import submitted_message

S = Pledge.Status
PAGE_SIZE = 20


def _page(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def _with_latest_review(queryset):
    return queryset.prefetch_related(
        Prefetch(
            "reviews",
            queryset=Review.objects.select_related("reviewer").order_by("-created_at", "-pk"),
            to_attr="recent_reviews",
        )
    )


def _annotate_actions(user, pledges) -> None:
    for pledge in pledges:
        pledge.actions = permissions.allowed_actions(user, pledge)


def _current_campaign_or_404() -> Campaign:
    campaign = Campaign.objects.current()
    if campaign is None:
        raise Http404(_("There is no current campaign."))
    return campaign


# --------------------------------------------------------------------------- member


@login_required
def my_pledges(request):
    roles = roles_of(request.user)
    if roles.member is None:
        raise PermissionDenied
    pledges = _with_latest_review(
        Pledge.objects.filter(owner_member=roles.member).with_owner().order_by("-campaign__starts_on", "deadline", "pk")
    )
    page = _page(request, pledges)
    _annotate_actions(request.user, page)
    return render(request, "pledges/pledge_mine.html", {"page": page, "member": roles.member})


# --------------------------------------------------------------------------- secretary


def _branch_for(request) -> Organization:
    """The organization the secretary works on: ?org=<code> among theirs (administrators: any), else the first."""
    roles = roles_of(request.user)
    code = request.GET.get("org")
    if code:
        if roles.is_admin:
            return get_object_or_404(Organization.objects.grassroots(), code=code)
        for org in roles.secretary_of:
            if org.code == code:
                return org
        raise Http404
    if not roles.secretary_of:
        raise PermissionDenied
    return roles.secretary_of[0]


def _branch_scope(org: Organization, campaign: Campaign):
    return Pledge.objects.filter(campaign=campaign).filter(Q(owner_org=org) | Q(owner_member__organization=org))


@login_required
def branch_home(request):
    org = _branch_for(request)
    campaign = _current_campaign_or_404()
    today = timezone.localdate()
    scope = _branch_scope(org, campaign)

    counts = dict(scope.order_by().values_list("status").annotate(n=Count("pk")))
    counters = [(value, label, counts.get(value, 0)) for value, label in S.choices]
    overdue_count = scope.overdue().count()
    # Residents' comments on this branch's board that wait for this person's moderation (one COUNT).
    comments_waiting = (
        comments_to_moderate(request.user)
        .filter(Q(pledge__owner_org=org) | Q(pledge__owner_member__organization=org))
        .count()
    )
    waiting = (
        scope.filter(status__in=(S.SUBMITTED, S.CLAIMED)).filter(permissions.approver_q(request.user)).with_owner()
    )[:20]
    due_soon = (
        scope.public()
        .exclude(status=S.FULFILLED)
        .filter(deadline__range=(today, today + datetime.timedelta(days=7)))
        .with_owner()
    )[:20]
    pledged = (
        Pledge.objects.filter(campaign=campaign, owner_member__isnull=False)
        .exclude(status=S.WITHDRAWN)
        .values("owner_member")
    )
    without_pledge = Member.objects.active().filter(organization=org).exclude(pk__in=pledged).order_by("name")[:50]

    filters = BranchFilterForm(request.GET or None)
    listed = scope.with_owner()
    if filters.is_valid():
        data = filters.cleaned_data
        if data["status"]:
            listed = listed.filter(status=data["status"])
        if data["category"]:
            listed = listed.filter(category=data["category"])
        if data["kind"] == "org":
            listed = listed.filter(owner_org__isnull=False)
        elif data["kind"] == "member":
            listed = listed.filter(owner_member__isnull=False)
        if data["overdue"]:
            listed = listed.overdue(today)
    page = _page(request, listed.order_by("deadline", "pk"))
    _annotate_actions(request.user, page)
    query = request.GET.copy()
    query.pop("page", None)
    query["org"] = org.code
    return render(
        request,
        "pledges/branch_home.html",
        {
            "org": org,
            "campaign": campaign,
            "counters": counters,
            "overdue_count": overdue_count,
            "comments_waiting": comments_waiting,
            "total": sum(counts.values()),
            "waiting": waiting,
            "due_soon": due_soon,
            "without_pledge": without_pledge,
            "filters": filters,
            "page": page,
            "active_status": request.GET.get("status", ""),
            "active_overdue": request.GET.get("overdue", ""),
            "query": query.urlencode(),
        },
    )


def _owner_options(request) -> tuple[list[tuple[str, str]], dict]:
    """The owners this person may file for: themself, and (secretaries) their organizations and members."""
    roles = roles_of(request.user)
    choices: list[tuple[str, str]] = []
    objects: dict = {}
    if roles.member is not None:
        key = f"member:{roles.member.pk}"
        choices.append((key, _("Myself (%(name)s)") % {"name": roles.member.name}))
        objects[key] = roles.member
    orgs = [org for org in roles.secretary_of if org.is_grassroots]
    for org in orgs:
        key = f"org:{org.pk}"
        choices.append((key, _("The organization: %(name)s") % {"name": org.name}))
        objects[key] = org
    if orgs:
        for member in Member.objects.active().filter(organization__in=orgs).select_related("organization", "user"):
            key = f"member:{member.pk}"
            if key not in objects:
                choices.append((key, _("Member %(name)s") % {"name": member.name}))
                objects[key] = member
    return choices, objects


@login_required
def pledge_create(request):
    choices, objects = _owner_options(request)
    if not choices:
        raise PermissionDenied
    campaign = _current_campaign_or_404()
    initial = {
        "owner": request.GET.get("owner") if request.GET.get("owner") in objects else choices[0][0],
        "category": Pledge.Category.PEOPLE,
        "channels": [Pledge.Channel.NOTICE_BOARD],
    }
    form = PledgeCreateForm(
        request.POST or None, initial=initial, campaign=campaign, owner_choices=choices, owner_objects=objects
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        owner_org, owner_member = form.chosen_owner()
        try:
            pledge = lifecycle.pledge_create(
                by=request.user,
                campaign=campaign,
                owner_org=owner_org,
                owner_member=owner_member,
                **{k: data[k] for k in ("title", "content", "target", "deadline", "category", "channels")},
            )
            if request.POST.get("then") == "submit":
                pledge = lifecycle.pledge_submit(pledge=pledge, by=request.user)
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            if pledge.status == S.SUBMITTED:
                messages.success(request, submitted_message(request.user, pledge))
            else:
                messages.success(request, _("Saved as a draft. Submit it for approval when it is ready."))
            return redirect(pledge)
    return render(request, "pledges/pledge_form.html", {"form": form, "campaign": campaign, "creating": True})


def _errors_to_form(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


@login_required
def pledge_bulk_create(request):
    org = _branch_for(request)
    campaign = _current_campaign_or_404()
    members = list(Member.objects.active().filter(organization=org).select_related("user").order_by("name"))
    members_by_pk = {m.pk: m for m in members}
    default_deadline = campaign.ends_on
    initial = [{"member": m.pk, "deadline": default_deadline, "category": Pledge.Category.PEOPLE} for m in members]
    formset = BulkFormSet(
        request.POST or None, initial=initial, campaign=campaign, members_by_pk=members_by_pk, prefix="rows"
    )
    defaults = BulkDefaultsForm(request.POST or None, prefix="all")
    if request.method == "POST" and formset.is_valid() and defaults.is_valid():
        rows = [
            {
                "owner_member": members_by_pk[form.cleaned_data["member"]],
                "title": form.cleaned_data["title"],
                "target": form.cleaned_data["target"],
                "deadline": form.cleaned_data["deadline"],
                "category": form.cleaned_data["category"],
            }
            for form in formset
            if form.is_filled()
        ]
        try:
            created = lifecycle.pledge_bulk_create(
                by=request.user,
                campaign=campaign,
                rows=rows,
                channels=defaults.cleaned_data["channels"],
                submit=defaults.cleaned_data["submit_now"],
            )
        except ValidationError as error:
            formset._non_form_errors = formset.error_class(error.messages)
        else:
            messages.success(
                request, _("%(count)d pledges created for members of %(org)s.") % {"count": len(created), "org": org}
            )
            return redirect(f"{_branch_url(org)}")
    rows = []
    for form in formset:
        try:
            member_pk = int(form["member"].value())
        except (TypeError, ValueError):
            member_pk = None
        rows.append((form, members_by_pk.get(member_pk)))
    return render(
        request,
        "pledges/pledge_bulk_form.html",
        {"org": org, "campaign": campaign, "formset": formset, "rows": rows, "defaults": defaults},
    )


def _branch_url(org: Organization) -> str:
    from django.urls import reverse

    return f"{reverse('pledges:branch_home')}?org={org.code}"


# --------------------------------------------------------------------------- approvers


def _queue(request, status: str, template: str):
    if not permissions.is_any_approver(request.user):
        raise PermissionDenied
    pledges = (
        Pledge.objects.visible_to(request.user)
        .filter(status=status)
        .filter(permissions.approver_q(request.user))
        .with_owner()
        .order_by("submitted_at", "pk")
    )
    page = _page(request, pledges)
    _annotate_actions(request.user, page)
    return render(request, template, {"page": page})


@login_required
def approvals(request):
    return _queue(request, S.SUBMITTED, "pledges/pledge_approvals.html")


@login_required
def verifications(request):
    return _queue(request, S.CLAIMED, "pledges/pledge_verifications.html")


@login_required
def search(request):
    roles = roles_of(request.user)
    if not (roles.is_admin or roles.is_supervisor or roles.is_secretary):
        raise PermissionDenied
    campaigns = list(Campaign.objects.all())
    orgs = list(
        Organization.objects.visible_to(request.user).only("pk", "path", "depth", "code", "name").order_by("path")
    )
    form = SearchForm(request.GET or None, campaigns=campaigns, orgs=orgs)
    current = next((c for c in campaigns if c.is_current), campaigns[0] if campaigns else None)
    pledges = Pledge.objects.visible_to(request.user).with_owner()
    campaign = current
    org = None
    if form.is_valid():
        data = form.cleaned_data
        if data["campaign"]:
            campaign = next((c for c in campaigns if c.pk == data["campaign"]), None)
            if campaign is None:
                raise Http404
        if data["org"]:
            org = next((o for o in orgs if o.code == data["org"]), None)
            if org is None:  # outside the scope looks like missing
                raise Http404
            pledges = pledges.owned_within(org)
        if data["status"]:
            pledges = pledges.filter(status=data["status"])
        if data["category"]:
            pledges = pledges.filter(category=data["category"])
        if data["kind"] == "org":
            pledges = pledges.filter(owner_org__isnull=False)
        elif data["kind"] == "member":
            pledges = pledges.filter(owner_member__isnull=False)
        if data["overdue"]:
            pledges = pledges.overdue()
        if data["q"]:
            q = data["q"]
            pledges = pledges.filter(
                Q(title__icontains=q)
                | Q(target__icontains=q)
                | Q(content__icontains=q)
                | Q(owner_org__name__icontains=q)
                | Q(owner_member__name__icontains=q)
            )
    if campaign is not None:
        pledges = pledges.filter(campaign=campaign)
    page = _page(request, pledges.order_by("deadline", "pk"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "pledges/pledge_search.html",
        {"form": form, "page": page, "campaign": campaign, "org": org, "query": query.urlencode()},
    )


# --------------------------------------------------------------------------- one pledge

NOTE_FIELDS = {
    "return": "return_reason",
    "reject_completion": "return_reason",
    "withdraw": "withdraw_reason",
    "claim": "closing_statement",
    "explain": "explanation",
}


def _timeline(pledge: Pledge) -> list[dict]:
    """History moves and progress updates, newest first, each {kind, at, who, ...}."""
    records = list(pledge.history.select_related("history_user").order_by("-history_date", "-history_id"))
    items = []
    for index, record in enumerate(records):
        older = records[index + 1] if index + 1 < len(records) else None
        reason = record.history_change_reason or ("create" if record.history_type == "+" else "")
        changes = []
        if older is not None and reason in ("update", ""):
            delta = record.diff_against(older, included_fields=list(lifecycle.EDITABLE_FIELDS))
            changes = [str(Pledge._meta.get_field(c.field).verbose_name) for c in delta.changes]
        note_field = NOTE_FIELDS.get(reason)
        items.append(
            {
                "kind": "move",
                "at": record.history_date,
                "who": record.history_user,
                "label": lifecycle.move_label(reason) or _("Changed"),
                "note": getattr(record, note_field, "") if note_field else "",
                "changes": changes,
            }
        )
    for update in pledge.progress_updates.all():
        items.append({"kind": "progress", "at": update.created_at, "who": update.created_by, "update": update})
    items.sort(key=lambda item: item["at"], reverse=True)
    return items


@login_required
def pledge_detail(request, pk):
    pledge = get_object_or_404(
        Pledge.objects.visible_to(request.user)
        .with_owner()
        .select_related("created_by", "decided_by")
        .prefetch_related(
            Prefetch(
                "progress_updates",
                queryset=ProgressUpdate.objects.select_related("created_by").prefetch_related("evidence"),
            ),
            Prefetch("reviews", queryset=Review.objects.select_related("reviewer").order_by("-created_at", "-pk")),
        ),
        pk=pk,
    )
    return render(
        request,
        "pledges/pledge_detail.html",
        {
            "pledge": pledge,
            "actions": permissions.allowed_actions(request.user, pledge),
            "needs_explanation": permissions.needs_explanation(pledge),
            "timeline": _timeline(pledge),
            "channel_labels": [Pledge.Channel(c).label if c in Pledge.Channel.values else c for c in pledge.channels],
        },
    )


@login_required
def pledge_edit(request, pk):
    pledge = get_object_or_404(Pledge.objects.visible_to(request.user).with_owner(), pk=pk)
    if not permissions.can_edit(request.user, pledge):
        if request.method == "POST" and _edits_when_open(request.user, pledge):
            return _edit_too_late(request, pledge)
        raise PermissionDenied
    form = PledgeEditForm(request.POST or None, instance=pledge, initial={"version": pledge.version})
    changes = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            lifecycle.pledge_update(
                pledge=pledge,
                by=request.user,
                expected_version=data["version"],
                **{name: data[name] for name in lifecycle.EDITABLE_FIELDS},
            )
        except lifecycle.StaleEdit as stale:
            changes = stale.changes
            # Keep what was typed; carry the new version so saving again is a decision made knowingly.
            post = request.POST.copy()
            post["version"] = str(stale.current_version)
            form = PledgeEditForm(post, instance=pledge, initial={"version": pledge.version})
            form.is_valid()
            form.add_error(None, stale.messages[0])
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(request, _("Your changes are saved."))
            return redirect("pledges:detail", pk=pledge.pk)
    return render(
        request,
        "pledges/pledge_form.html",
        {"form": form, "pledge": pledge, "campaign": pledge.campaign, "creating": False, "changes": changes},
    )


def _edits_when_open(user, pledge: Pledge) -> bool:
    """Whether `user` could edit `pledge` were it still a draft or returned."""
    return permissions.is_owner(user, pledge) or permissions.is_owner_secretary(user, pledge) or roles_of(user).is_admin


def _edit_too_late(request, pledge: Pledge):
    """The pledge moved on (e.g. was submitted) while this person was editing: show what changed, keep the text."""
    form = PledgeEditForm(request.POST, instance=pledge)
    form.is_valid()
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = pledge.version
    form.add_error(
        None,
        _("This pledge is now “%(status)s” and can no longer be edited; your changes were not saved.")
        % {"status": pledge.get_status_display()},
    )
    return render(
        request,
        "pledges/pledge_form.html",
        {
            "form": form,
            "pledge": pledge,
            "campaign": pledge.campaign,
            "creating": False,
            "changes": lifecycle.changes_since(pledge, version),
            "locked": True,
        },
    )
