"""The year-end evaluation sheet (年度评议表) per organization and per member, page and .xlsx."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from campaign.models import Campaign
from orgs.models import Member
from orgs.roles import roles_of

from .export import build_workbook
from .models import AssessmentScheme
from .scoring import score_members, score_orgs
from .selectors import assessable_members, assessable_orgs, campaign_for, children_of, siblings_of

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
def index(request):
    """Open the widest sheet the person may read: the subtree they supervise or lead, else their own."""
    roles = roles_of(request.user)
    orgs = list(roles.supervisor_of + roles.secretary_of)
    if roles.is_admin and not orgs:
        root = assessable_orgs(request.user).filter(depth=1).first()
        orgs = [root] if root else []
    if orgs:
        widest = min(orgs, key=lambda o: o.depth)
        return redirect("assessment:org", code=widest.code)
    if roles.member is not None:
        return redirect("assessment:member", pk=roles.member.pk)
    raise PermissionDenied


def _campaign(request) -> Campaign:
    campaign = campaign_for(request)
    if campaign is None:
        raise Http404
    return campaign


def _org_context(request, code):
    org = get_object_or_404(assessable_orgs(request.user), code=code)
    campaign = _campaign(request)
    scheme = AssessmentScheme.for_campaign(campaign)
    day = timezone.localdate()
    peers = score_orgs(siblings_of(org), campaign, day=day, scheme=scheme)
    unit = next(r for r in peers if r.unit.pk == org.pk)
    children = children_of(org)
    if children:
        ranked = score_orgs(children, campaign, day=day, scheme=scheme)
        ranked_kind = "org"
    else:
        ranked = score_members(
            Member.objects.active().filter(organization=org).order_by("name"), campaign, day=day, scheme=scheme
        )
        ranked_kind = "member"
    _mark_linkable(peers, request.user)
    if ranked_kind == "org":
        _mark_linkable(ranked, request.user)
    else:
        _mark_linkable(ranked, request.user, organization=org)
    return {
        "org": org,
        "unit": unit,
        "peers": peers if len(peers) > 1 else [],
        "peer_count": sum(1 for r in peers if r.rank is not None),  # the "of N" next to the rank
        "ranked": ranked,
        "ranked_kind": ranked_kind,
        "campaign": campaign,
        "campaigns": Campaign.objects.all(),
        "scheme": scheme,
        "day": day,
    }


def _member_context(request, pk):
    member = get_object_or_404(assessable_members(request.user).select_related("organization"), pk=pk)
    campaign = _campaign(request)
    scheme = AssessmentScheme.for_campaign(campaign)
    day = timezone.localdate()
    peers = score_members(
        Member.objects.active().filter(organization=member.organization).order_by("name"),
        campaign,
        day=day,
        scheme=scheme,
    )
    unit = next((r for r in peers if r.unit.pk == member.pk), None)
    if unit is None:  # a member who has left: scored alone
        unit = score_members([member], campaign, day=day, scheme=scheme)[0]
        unit.rank = unit.band = None
    peer_count = sum(1 for r in peers if r.rank is not None)  # the "of N" next to the rank, counted before hiding
    if not roles_of(request.user).manages(member.organization):
        peers = []  # a member sees their own rank, not their colleagues' scores
    _mark_linkable(peers, request.user, organization=member.organization)
    return {
        "member": member,
        "unit": unit,
        "peers": peers,
        "peer_count": peer_count,
        "ranked": [],
        "campaign": campaign,
        "campaigns": Campaign.objects.all(),
        "scheme": scheme,
        "day": day,
    }


def _mark_linkable(results, user, *, organization=None):
    """Set `linkable` on each result: whether this person may open that unit's own sheet.

    Without it a secretary would see links to sibling branches that answer 404. No queries: the
    roles are already loaded.
    """
    roles = roles_of(user)
    for result in results:
        if organization is None:
            result.linkable = roles.manages(result.unit)
        else:
            result.linkable = roles.manages(organization) or result.unit.user_id == user.pk
    return results


def _sorted(results):
    return sorted(results, key=lambda r: (r.rank is None, r.rank or 0, r.name))


@login_required
def org_sheet(request, code):
    context = _org_context(request, code)
    context["ranked"] = _sorted(context["ranked"])
    context["peers"] = _sorted(context["peers"])
    return render(request, "assessment/evaluation_sheet.html", context)


@login_required
def member_sheet(request, pk):
    context = _member_context(request, pk)
    context["peers"] = _sorted(context["peers"])
    return render(request, "assessment/evaluation_sheet.html", context)


def _xlsx(context, name: str) -> HttpResponse:
    content = build_workbook(
        unit=context["unit"],
        ranked=context["ranked"],
        peers=context["peers"],
        campaign=context["campaign"],
        day=context["day"],
    )
    response = HttpResponse(content, content_type=XLSX)
    filename = f"evaluation-{name}-{context['campaign'].pk}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def org_sheet_xlsx(request, code):
    context = _org_context(request, code)
    return _xlsx(context, context["org"].code)


@login_required
def member_sheet_xlsx(request, pk):
    context = _member_context(request, pk)
    return _xlsx(context, f"member-{context['member'].pk}")
