"""Dashboards (工作看板), the wall view (挂图作战) and ledger exports (台账).

Scope: a supervisor opens the dashboard of any organization in the subtrees they supervise, a
secretary that of the organization they lead (and below), an administrator every one. Any other
code answers 404, as if it did not exist; a person with no such role gets 403 on the dashboard home.
"""

from __future__ import annotations

from datetime import timedelta
from io import BytesIO

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from orgs.models import Organization

from . import exports, selectors
from .models import Campaign, ExportJob


def _org_in_scope(request, code: str) -> Organization:
    org = get_object_or_404(Organization.objects.visible_to(request.user), code=code, is_active=True)
    if not selectors.can_view_dashboard(request.user, org):
        raise Http404
    return org


def _campaigns(request) -> tuple[Campaign, list[Campaign]]:
    """The campaign asked for (?campaign=id; default the current one) and all campaigns, in one query."""
    campaigns = list(Campaign.objects.all())
    campaign = selectors.pick_campaign(campaigns, request.GET.get("campaign") or request.POST.get("campaign"))
    if campaign is None:
        raise Http404(_("No campaign has been set up yet."))
    return campaign, campaigns


def _render_dashboard(request, org: Organization):
    campaign, campaigns = _campaigns(request)
    data = selectors.dashboard_data(org, campaign, sort=request.GET.get("sort", "completion_rate"), campaigns=campaigns)
    context = {
        **data,
        "charts": selectors.chart_payload(data),
        "breadcrumbs": selectors.breadcrumbs(request.user, org),
        "campaigns": campaigns,
        "export_kinds": exports.available_kinds(),
        # Units in the person's charge outside this one's path (the breadcrumbs already link the path).
        "other_roots": [o for o in selectors.dashboard_orgs(request.user) if not org.path.startswith(o.path)],
    }
    return render(request, "campaign/dashboard.html", context)


@login_required
def dashboard_home(request):
    """The dashboard of the widest organization the person may see."""
    org = selectors.dashboard_root_for(request.user)
    if org is None:
        raise PermissionDenied
    return _render_dashboard(request, org)


@login_required
def dashboard(request, code: str):
    return _render_dashboard(request, _org_in_scope(request, code))


@login_required
def wall(request, code: str):
    """挂图作战: full screen, large type, refreshing itself and showing the next child unit each time."""
    org = _org_in_scope(request, code)
    campaign, campaigns = _campaigns(request)
    data = selectors.dashboard_data(org, campaign, campaigns=campaigns)
    rows = data["rows"]
    try:
        index = int(request.GET.get("i", "0"))
    except ValueError:
        index = 0
    index = index % len(rows) if rows else 0
    context = {
        **data,
        "charts": selectors.chart_payload(data),
        "current": rows[index] if rows else None,
        "index": index,
        "next_index": (index + 1) % len(rows) if rows else 0,
        "refresh_seconds": 20,
    }
    if request.headers.get("HX-Request"):
        return render(request, "campaign/partials/wall_body.html", context)
    return render(request, "campaign/dashboard_wall.html", context)


@login_required
@require_POST
def export(request, code: str):
    """Small ledgers download at once; larger ones are queued and the page shows their progress."""
    org = _org_in_scope(request, code)
    campaign, _campaigns_all = _campaigns(request)
    kind = request.POST.get("kind", "")
    if kind not in exports.available_kinds():
        messages.error(request, _("Choose which ledger to export."))
        return redirect("campaign:dashboard", code=org.code)
    rows = exports.export_row_count(kind=kind, org=org, campaign=campaign)
    if rows <= exports.direct_max_rows():
        buffer = BytesIO()
        exports.write_workbook(kind=kind, org=org, campaign=campaign, path=buffer)
        buffer.seek(0)
        filename = exports.export_filename(kind=kind, org=org, campaign=campaign)
        return FileResponse(buffer, as_attachment=True, filename=filename, content_type=XLSX)
    try:
        job = exports.export_request(kind=kind, org=org, campaign=campaign, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("campaign:dashboard", code=org.code)
    messages.success(
        request,
        _("The ledger has %(rows)s rows; it is being prepared. You can leave this page and come back.")
        % {"rows": rows},
    )
    return redirect("campaign:export_status", pk=job.pk)


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _own_job(request, pk: int) -> ExportJob:
    """An export job of the requester only, and only while its organization is still in their scope."""
    job = get_object_or_404(
        ExportJob.objects.select_related("organization", "campaign"), pk=pk, requested_by=request.user
    )
    if not selectors.can_view_dashboard(request.user, job.organization):
        raise Http404
    return job


@login_required
def export_status(request, pk: int):
    job = _own_job(request, pk)
    context = {
        "job": job,
        "kind_label": exports.EXPORT_KINDS.get(job.kind, job.kind),
        # Still not started after two minutes: the background worker is probably not running.
        "stalled": job.status == ExportJob.Status.PENDING and timezone.now() - job.created_at > timedelta(minutes=2),
    }
    if request.headers.get("HX-Request"):
        return render(request, "campaign/partials/export_progress.html", context)
    return render(request, "campaign/exportjob_detail.html", context)


@login_required
def export_download(request, pk: int):
    job = _own_job(request, pk)
    if job.status != ExportJob.Status.DONE or not job.file:
        raise Http404
    filename = exports.export_filename(kind=job.kind, org=job.organization, campaign=job.campaign)
    return FileResponse(job.file.open("rb"), as_attachment=True, filename=filename, content_type=XLSX)
