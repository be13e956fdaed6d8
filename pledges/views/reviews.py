"""Leader reviews (pledge and organization) and moderation of public comments."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from orgs.models import Organization

from ..forms.reviews import ModerationForm, ModerationPageForm, ReviewForm
from ..models import Pledge
from ..permissions import can_review
from ..permissions_reviews import can_moderate_anything, can_review_org
from ..selectors.ratings import comments_to_moderate
from ..services.ratings import comment_moderate, comments_moderate
from ..services.reviews import org_review_post, review_post


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


@login_required
@require_http_methods(["GET", "POST"])
def review_add(request, pk):
    pledge = get_object_or_404(Pledge.objects.visible_to(request.user).with_owner(), pk=pk)
    if not can_review(request.user, pledge):
        raise PermissionDenied
    action = reverse("pledges:review_add", args=[pledge.pk])
    form = ReviewForm(request.POST or None, action=action)
    if request.method == "POST" and form.is_valid():
        try:
            review_post(pledge=pledge, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, _error_text(error))
        else:
            messages.success(request, _("Your review has been posted; the owner has been notified."))
            return redirect("pledges:detail", pk=pledge.pk)
    return render(request, "pledges/review_form.html", {"form": form, "pledge": pledge, "subject": pledge})


@login_required
@require_http_methods(["GET", "POST"])
def org_review_add(request, code):
    org = get_object_or_404(Organization.objects.visible_to(request.user), code=code)
    if not can_review_org(request.user, org):
        raise PermissionDenied
    action = reverse("pledges:org_review_add", args=[org.code])
    form = ReviewForm(request.POST or None, action=action)
    if request.method == "POST" and form.is_valid():
        try:
            org_review_post(organization=org, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, _error_text(error))
        else:
            messages.success(
                request,
                _("Your review of %(org)s has been posted; its secretary has been notified.") % {"org": org.name},
            )
            return redirect("inspections:org", code=org.code)
    return render(request, "pledges/review_form.html", {"form": form, "org": org, "subject": org})


MODERATION_PAGE_SIZE = 20


def _moderation_url(request) -> str:
    """Back to the page of the queue the person was on (?page=N survives a decision)."""
    url = reverse("pledges:comment_moderation")
    page = request.GET.get("page", "")
    return f"{url}?page={page}" if page.isdigit() else url


@login_required
@require_http_methods(["GET", "POST"])
def comment_moderation(request):
    """Pending public comments on the boards this secretary moderates, 20 a page; approve or reject
    each, or approve all the comments shown on a page at once."""
    if not can_moderate_anything(request.user):
        raise PermissionDenied
    pending = comments_to_moderate(request.user)
    if request.method == "POST" and request.POST.get("decision") == "approve_page":
        form = ModerationPageForm(request.POST)
        if not form.is_valid():
            messages.error(request, " ".join(form.errors["ratings"]))
            return redirect(_moderation_url(request))
        ratings = list(pending.filter(pk__in=form.cleaned_data["ratings"]))
        try:
            count = comments_moderate(ratings=ratings, by=request.user, approve=True)
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)d comment approved; it now shows on the public board.",
                    "%(count)d comments approved; they now show on the public board.",
                    count,
                )
                % {"count": count},
            )
        return redirect(_moderation_url(request))
    if request.method == "POST":
        form = ModerationForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose approve or reject for a comment."))
            return redirect(_moderation_url(request))
        rating = get_object_or_404(pending, pk=form.cleaned_data["rating"])
        approve = form.cleaned_data["decision"] == "approve"
        try:
            comment_moderate(rating=rating, by=request.user, approve=approve)
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            if approve:
                messages.success(request, _("The comment is approved and now shows on the public board."))
            else:
                messages.success(request, _("The comment is rejected and will not be shown."))
        return redirect(_moderation_url(request))
    page = Paginator(pending, MODERATION_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "pledges/comment_moderation.html",
        {
            "page": page,
            "pending_count": page.paginator.count,
            "page_ids": ",".join(str(rating.pk) for rating in page),
        },
    )
