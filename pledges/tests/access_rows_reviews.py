"""Access rows for leader reviews, public ratings and comment moderation (issue 4)."""

from pledges.models import Pledge
from pledges.tests.reviews_support import make_pledge, make_rating
from tests.access import BAD_METHOD, FORBIDDEN, NOT_FOUND, OK, REDIRECT, Row, everyone, logged_in

REVIEWERS_ONLY = dict(
    member=FORBIDDEN, secretary_same=FORBIDDEN, secretary_other=NOT_FOUND, supervisor_sibling=NOT_FOUND
)


def _moderation_data(world, *, own=False):
    owner = {"owner_member": world.secretary_same} if own else {"owner_org": world.branch_a1}
    rating = make_rating(make_pledge(world, **owner), comment="路灯修好了，谢谢")
    return {"rating": rating.pk, "decision": "approve"}


ROWS = [
    Row("pledges:review_add", logged_in(OK, **REVIEWERS_ONLY), args=lambda w: [make_pledge(w).pk]),
    Row(
        "pledges:review_add",
        logged_in(REDIRECT, **REVIEWERS_ONLY),
        args=lambda w: [make_pledge(w).pk],
        method="post",
        data=lambda w: {"grade": "good", "comment": "进展扎实"},
    ),
    Row("pledges:org_review_add", logged_in(OK, **REVIEWERS_ONLY), args=lambda w: [w.branch_a1.code]),
    Row(
        "pledges:org_review_add",
        logged_in(REDIRECT, **REVIEWERS_ONLY),
        args=lambda w: [w.branch_a1.code],
        method="post",
        data=lambda w: {"grade": "excellent", "comment": "整体工作扎实"},
    ),
    Row(
        "pledges:comment_moderation",
        logged_in(OK, member=FORBIDDEN, supervisor_above=FORBIDDEN, supervisor_sibling=FORBIDDEN),
    ),
    Row(
        "pledges:comment_moderation",
        logged_in(
            REDIRECT,
            member=FORBIDDEN,
            supervisor_above=FORBIDDEN,
            supervisor_sibling=FORBIDDEN,
            secretary_other=NOT_FOUND,
        ),
        method="post",
        data=_moderation_data,
        label="branch pledge",
    ),
    Row(
        "pledges:comment_moderation",
        logged_in(
            NOT_FOUND,
            member=FORBIDDEN,
            supervisor_above=FORBIDDEN,
            supervisor_sibling=FORBIDDEN,
            admin=REDIRECT,
        ),
        method="post",
        data=lambda w: _moderation_data(w, own=True),
        label="secretary's own pledge",
    ),
    Row(
        "board:rate",
        everyone(REDIRECT),
        args=lambda w: [w.branch_a1.code, make_pledge(w).pk],
        method="post",
        data=lambda w: {"choice": "satisfied"},
    ),
    Row(
        "board:rate",
        everyone(NOT_FOUND),
        args=lambda w: [w.branch_a1.code, make_pledge(w, status=Pledge.Status.SUBMITTED).pk],
        method="post",
        data=lambda w: {"choice": "satisfied"},
        label="not public",
    ),
    Row(
        "board:rate",
        everyone(NOT_FOUND),
        args=lambda w: [w.branch_b1.code, make_pledge(w).pk],
        method="post",
        data=lambda w: {"choice": "satisfied"},
        label="another board",
    ),
    Row("board:rate", everyone(BAD_METHOD), args=lambda w: [w.branch_a1.code, make_pledge(w).pk], label="get"),
]
