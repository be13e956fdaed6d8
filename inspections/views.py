"""Organization supervision page, inspections and rectification items."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from assessment.selectors import assessable_orgs
from orgs.models import Organization
from orgs.roles import roles_of
from pledges.models import Review
from pledges.permissions_reviews import can_review_org

from . import services
from .forms import ClosureForm, DecisionForm, InspectionForm, ItemFormSet
from .models import Inspection, RectificationItem
from .permissions import can_decide, can_inspect, can_report_closure


def _errors(error: ValidationError) -> str:
    return " ".join(error.messages)


@login_required
def index(request):
    """Open rectification items this person can see, overdue first, and recent inspections."""
    today = timezone.localdate()
    items = (
        RectificationItem.objects.visible_to(request.user)
        .open()
        .select_related("owner_org", "inspection", "inspection__organization")
        .order_by("deadline", "pk")
    )
    inspections = Inspection.objects.visible_to(request.user).select_related("organization")[:20]
    roles = roles_of(request.user)
    home_orgs = list(roles.supervisor_of + roles.secretary_of)
    if roles.member is not None and roles.member.organization not in home_orgs:
        home_orgs.append(roles.member.organization)
    return render(
        request,
        "inspections/inspection_list.html",
        {"items": items[:200], "inspections": inspections, "today": today, "home_orgs": home_orgs},
    )


@login_required
def org_page(request, code):
    """One organization's supervision: open and overdue rectification items in its subtree,
    inspections of it and under it, and leader reviews of its work."""
    org = get_object_or_404(Organization.objects.visible_to(request.user), code=code)
    today = timezone.localdate()
    subtree_items = RectificationItem.objects.owned_within(org).select_related("owner_org", "inspection")
    open_items = subtree_items.open().order_by("deadline", "pk")
    inspections = Inspection.objects.filter(organization__path__startswith=org.path).select_related(
        "organization", "recorded_by"
    )[:30]
    reviews = Review.objects.filter(organization=org).select_related("reviewer", "campaign")[:30]
    return render(
        request,
        "inspections/organization_supervision.html",
        {
            "org": org,
            "today": today,
            "open_items": open_items[:200],
            "open_count": open_items.count(),
            "overdue_count": subtree_items.overdue(on=today).count(),
            "recently_closed": subtree_items.closed().order_by("-closed_on", "-pk")[:10],
            "inspections": inspections,
            "reviews": reviews,
            "may_inspect": can_inspect(request.user, org),
            "may_review": can_review_org(request.user, org),
            "may_assess": assessable_orgs(request.user).filter(pk=org.pk).exists(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def inspection_add(request, code):
    org = get_object_or_404(Organization.objects.visible_to(request.user), code=code)
    if not can_inspect(request.user, org):
        raise PermissionDenied
    subtree = Organization.objects.descendant_of(org).active()
    form = InspectionForm(request.POST or None)
    formset = ItemFormSet(request.POST or None, prefix="items", subtree=subtree)
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        specs = [
            services.ItemSpec(
                **{k: f.cleaned_data[k] for k in ("owner_org", "description", "deadline", "required_evidence")}
            )
            for f in formset.forms
            if f.cleaned_data.get("description")
        ]
        try:
            inspection = services.inspection_record(organization=org, by=request.user, items=specs, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, _errors(error))
        else:
            if specs:
                messages.success(
                    request,
                    _(
                        "Inspection recorded with %(n)d rectification items; "
                        "the responsible secretaries have been notified."
                    )
                    % {"n": len(specs)},
                )
            else:
                messages.success(request, _("Inspection recorded."))
            return redirect(inspection)
    return render(request, "inspections/inspection_form.html", {"org": org, "form": form, "formset": formset})


@login_required
def inspection_detail(request, pk):
    inspection = get_object_or_404(
        Inspection.objects.visible_to(request.user).select_related("organization", "recorded_by", "campaign"), pk=pk
    )
    items = list(inspection.items.select_related("owner_org", "reported_by", "decided_by"))
    for item in items:
        item.inspection = inspection
        item.may_report = can_report_closure(request.user, item)
        item.may_decide = can_decide(request.user, item)
    return render(
        request,
        "inspections/inspection_detail.html",
        {"inspection": inspection, "items": items, "today": timezone.localdate(), "decision_form": DecisionForm()},
    )


def _item_for(request, pk) -> RectificationItem:
    return get_object_or_404(
        RectificationItem.objects.visible_to(request.user).select_related(
            "owner_org", "inspection", "inspection__organization", "inspection__recorded_by"
        ),
        pk=pk,
    )


@login_required
@require_http_methods(["GET", "POST"])
def item_report(request, pk):
    item = _item_for(request, pk)
    if not can_report_closure(request.user, item):
        raise PermissionDenied
    form = ClosureForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.item_report_closure(
                item=item, by=request.user, note=form.cleaned_data["note"], evidence=form.cleaned_data["evidence"]
            )
        except ValidationError as error:
            form.add_error("evidence" if not hasattr(error, "error_dict") else None, error)
        else:
            messages.success(request, _("Closure reported; the inspector will check the evidence."))
            return redirect(item.get_absolute_url())
    return render(request, "inspections/item_report.html", {"item": item, "form": form})


@login_required
@require_POST
def item_decide(request, pk):
    item = _item_for(request, pk)
    if not can_decide(request.user, item):
        raise PermissionDenied
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect(item.get_absolute_url())
    try:
        if form.cleaned_data["decision"] == "accept":
            services.item_accept(item=item, by=request.user)
            messages.success(request, _("The rectification item is closed."))
        else:
            services.item_reopen(
                item=item, by=request.user, reason=form.cleaned_data["reason"], deadline=form.cleaned_data["deadline"]
            )
            messages.success(request, _("The item is reopened; the branch has been told what is missing."))
    except ValidationError as error:
        messages.error(request, _errors(error))
    return redirect(item.get_absolute_url())


@login_required
def item_evidence(request, pk):
    """The closure evidence file, only to those who may see the item (files are never public)."""
    item = _item_for(request, pk)
    if not item.evidence:
        raise Http404
    response = FileResponse(item.evidence.open("rb"), content_type=item.evidence_content_type)
    response["Content-Disposition"] = "inline" if item.evidence_content_type.startswith("image/") else "attachment"
    response["X-Content-Type-Options"] = "nosniff"
    return response
