"""Public ratings (群众评议) from the board, and moderation of their comments."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from ..models import Pledge, Rating
from ..permissions_reviews import can_moderate


class AlreadyRated(ValidationError):
    """This browser has rated this pledge before."""


def rating_give(*, pledge: Pledge, choice: str, comment: str, browser_token: str, ip_hash: str) -> Rating:
    """Record one rating. A comment waits for moderation; the rating itself counts at once.

    The unique (pledge, browser_token) constraint is the last word on one rating per browser: a
    duplicate that slips past the caller's check still fails here, as AlreadyRated.
    """
    if not pledge.is_public:
        raise ValidationError(_("Only published pledges can be rated."))
    comment = comment.strip()
    rating = Rating(
        pledge=pledge,
        choice=choice,
        comment=comment,
        comment_status=Rating.CommentStatus.PENDING if comment else Rating.CommentStatus.NONE,
        browser_token=browser_token,
        ip_hash=ip_hash,
    )
    rating.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            rating.save()
    except IntegrityError as error:
        raise AlreadyRated(_("This browser has already rated this pledge.")) from error
    return rating


@transaction.atomic
def comment_moderate(*, rating: Rating, by, approve: bool) -> Rating:
    """Approve (show on the board) or reject a pending comment."""
    if not can_moderate(by, rating):
        raise ValidationError(_("You may not moderate this comment."))
    if rating.comment_status != Rating.CommentStatus.PENDING:
        raise ValidationError(_("This comment has already been moderated."))
    rating.comment_status = Rating.CommentStatus.APPROVED if approve else Rating.CommentStatus.REJECTED
    rating.moderated_by = by
    rating.full_clean(validate_constraints=False)
    rating.save(update_fields=["comment_status", "moderated_by"])
    return rating


@transaction.atomic
def comments_moderate(*, ratings: list[Rating], by, approve: bool) -> int:
    """Approve or reject several pending comments at once (the moderation page's "approve all on this page").

    The same rule as comment_moderate for each one: nobody moderates comments on their own pledge, a
    secretary only their organization's board. All or nothing: one comment outside these rules refuses
    the lot. Comments moderated meanwhile by someone else are left as they are. Returns how many changed.
    """
    if any(not can_moderate(by, rating) for rating in ratings):
        raise ValidationError(_("You may not moderate some of these comments; nothing was changed."))
    status = Rating.CommentStatus.APPROVED if approve else Rating.CommentStatus.REJECTED
    return Rating.objects.filter(
        pk__in=[rating.pk for rating in ratings], comment_status=Rating.CommentStatus.PENDING
    ).update(comment_status=status, moderated_by=by)
