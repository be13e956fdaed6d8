"""Progress updates with evidence (践诺), and serving evidence files to those who may see them."""

from __future__ import annotations

import mimetypes

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ..forms.progress import ProgressForm
from ..models import Evidence, Pledge
from ..permissions import can_add_progress, can_claim_completion, is_owner, is_owner_secretary
from ..services.evidence import ACCEPT_ATTRIBUTE, evidence_set_public, thumbnail_name
from ..services.progress import progress_add as progress_add_service


def _claim_available() -> bool:
    """The completion claim (申报完成) lives in the lifecycle services; offer it once they exist."""
    try:
        from ..services import lifecycle
    except ImportError:
        return False
    return hasattr(lifecycle, "pledge_claim_completion")


def _claim_url(pledge: Pledge) -> str | None:
    from django.urls import NoReverseMatch, reverse

    for name in ("pledges:claim", "pledges:claim_completion"):
        try:
            return reverse(name, args=[pledge.pk])
        except NoReverseMatch:
            continue
    return None


@login_required
def progress_add(request, pk):
    pledge = get_object_or_404(Pledge.objects.visible_to(request.user).with_owner(), pk=pk)
    if pledge.status != Pledge.Status.PUBLISHED:
        messages.info(request, _("This pledge is not in progress, so no progress can be reported on it."))
        return redirect(pledge)
    if not can_add_progress(request.user, pledge):
        raise PermissionDenied
    form = ProgressForm(request.POST or None, request.FILES or None, pledge=pledge, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            update = progress_add_service(
                pledge=pledge,
                by=request.user,
                percent=form.cleaned_data["percent"],
                text=form.cleaned_data["text"],
                files=form.evidence_uploads(),
                allow_decrease=form.cleaned_data.get("allow_decrease", False),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            count = update.evidence.count()
            if count:
                messages.success(
                    request,
                    _("Progress %(percent)s%% reported with %(count)s file(s).")
                    % {"percent": update.percent, "count": count},
                )
            else:
                messages.success(request, _("Progress %(percent)s%% reported.") % {"percent": update.percent})
            return redirect(pledge)
    claim_url = _claim_url(pledge) if _claim_available() and can_claim_completion(request.user, pledge) else None
    return render(
        request,
        "pledges/progress_form.html",
        {
            "pledge": pledge,
            "form": form,
            "accept": ACCEPT_ATTRIBUTE,
            "claim_url": claim_url,
            "recent_updates": pledge.progress_updates.select_related("created_by").prefetch_related("evidence")[:3],
        },
    )


def evidence_visible(user, evidence: Evidence) -> bool:
    """A file is served to anyone who may open its pledge, and to everyone once the pledge is public
    and the owner marked the file public. Everyone else gets the same 404 as for a missing file."""
    if evidence.is_public and evidence.pledge.is_public:
        return True
    return Pledge.objects.visible_to(user).filter(pk=evidence.pledge_id).exists()


@require_http_methods(["GET", "HEAD", "POST"])
def evidence(request, pk):
    """GET: the file itself. POST (`is_public` = 1 or 0): show it on the public board or hide it."""
    if request.method == "POST":
        return _evidence_set_public(request, pk)
    item = get_object_or_404(Evidence.objects.select_related("pledge"), pk=pk)
    if not evidence_visible(request.user, item):
        raise Http404
    name, content_type = item.file.name, item.content_type
    if request.GET.get("thumb") and item.is_image and default_storage.exists(thumbnail_name(name)):
        name, content_type = thumbnail_name(name), "image/jpeg"
    try:
        handle = default_storage.open(name, "rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    # The stored type was sniffed from the content at upload; never guess from the name here.
    if content_type not in ("image/jpeg", "image/png", "image/webp", "application/pdf"):
        content_type = "application/octet-stream"
    response = FileResponse(handle, content_type=content_type)
    extension = mimetypes.guess_extension(content_type) or ""
    response["Content-Disposition"] = f'inline; filename="evidence-{item.pk}{extension}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"
    # Short public caching: a file the owner hides again drops out of shared caches within minutes.
    response["Cache-Control"] = (
        "public, max-age=300" if (item.is_public and item.pledge.is_public) else "private, max-age=3600"
    )
    return response


@login_required
def _evidence_set_public(request, pk):
    item = get_object_or_404(
        Evidence.objects.filter(pledge__in=Pledge.objects.visible_to(request.user).values("pk")).select_related(
            "pledge__owner_org", "pledge__owner_member__organization"
        ),
        pk=pk,
    )
    if not (is_owner(request.user, item.pledge) or is_owner_secretary(request.user, item.pledge)):
        raise PermissionDenied
    public = request.POST.get("is_public") == "1"
    evidence_set_public(evidence=item, is_public=public, by=request.user)
    if public:
        messages.success(request, _("“%(name)s” is now shown on the public board.") % {"name": item.original_name})
    else:
        messages.success(
            request, _("“%(name)s” is now internal and hidden from the public board.") % {"name": item.original_name}
        )
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = item.pledge.get_absolute_url()
    return redirect(next_url)
