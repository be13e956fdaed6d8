"""Public rating (群众评议) from the board, without logging in.

Against ballot stuffing: one rating per pledge per browser (a random token in a signed cookie,
backed by the unique (pledge, browser_token) constraint) and a per-address limit on the cache
(pledges.ratelimit). Every refusal is explained on the board.
"""

from __future__ import annotations

import secrets

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from orgs.models import Organization

from .. import ratelimit
from ..forms.reviews import RatingForm
from ..models import Pledge, Rating
from ..services.ratings import AlreadyRated, rating_give

COOKIE_NAME = "rater"
COOKIE_SALT = "pledges.rating"
COOKIE_MAX_AGE = 2 * 365 * 24 * 3600


def browser_token(request) -> str | None:
    """This browser's rating token, if it has a valid signed one."""
    return request.get_signed_cookie(COOKIE_NAME, default=None, salt=COOKIE_SALT)


@require_POST
def rate(request, code, pk):
    org = get_object_or_404(Organization.objects.active(), code=code)
    pledge = get_object_or_404(Pledge.objects.on_board(org).with_owner(), pk=pk)
    back = reverse("board:board", args=[org.code]) + f"#pledge-{pledge.pk}"
    token = browser_token(request)
    new_token = token is None
    token = token or secrets.token_urlsafe(24)

    def finish():
        response = redirect(back)
        if new_token:
            response.set_signed_cookie(
                COOKIE_NAME,
                token,
                salt=COOKIE_SALT,
                max_age=COOKIE_MAX_AGE,
                httponly=True,
                samesite="Lax",
                secure=request.is_secure(),
            )
        return response

    form = RatingForm(request.POST)
    if not form.is_valid():
        if "comment" in form.errors:
            messages.error(request, form.errors["comment"][0])
        else:
            messages.error(request, _("Please choose satisfied, basically satisfied or dissatisfied."))
        return finish()
    if not new_token and Rating.objects.filter(pledge=pledge, browser_token=token).exists():
        messages.info(request, _("You have already rated this pledge from this browser. Thank you for taking part!"))
        return finish()
    ip_hash = ratelimit.ip_hash(ratelimit.client_ip(request))
    if not ratelimit.hit(f"rate:{ip_hash}", ratelimit.rating_limit()):
        messages.warning(
            request,
            _("Many ratings have come from your network in a short time. Please try again in an hour."),
        )
        return finish()
    try:
        rating = rating_give(pledge=pledge, browser_token=token, ip_hash=ip_hash, **form.cleaned_data)
    except AlreadyRated:
        messages.info(request, _("You have already rated this pledge from this browser. Thank you for taking part!"))
        return finish()
    if rating.comment:
        messages.success(
            request, _("Thank you for your rating! Your comment will appear once the branch secretary has read it.")
        )
    else:
        messages.success(request, _("Thank you for your rating!"))
    return finish()
