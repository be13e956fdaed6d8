"""Access rows for progress updates, evidence files, the public board, its poster and QR code."""

from tests.access import FORBIDDEN, LOGIN, NOT_FOUND, OK, REDIRECT, Row, everyone


def _published(world):
    from pledges.tests.factories import PledgeFactory

    return PledgeFactory(owner_member=world.member, campaign=world.campaign, published=True, progress=10)


def _evidence(world, *, public: bool):
    from pledges.tests.factories import EvidenceFactory

    return EvidenceFactory(pledge=_published(world), is_public=public)


# Reporting progress: the owner and the branch secretary; those who may see the pledge but not act on
# it get 403; another branch gets 404.
PROGRESS = {
    "anonymous": LOGIN,
    "member": OK,
    "secretary_same": OK,
    "secretary_other": NOT_FOUND,
    "supervisor_above": FORBIDDEN,
    "supervisor_sibling": NOT_FOUND,
    "admin": FORBIDDEN,
}
PRIVATE_FILE = {
    "anonymous": NOT_FOUND,
    "member": OK,
    "secretary_same": OK,
    "secretary_other": NOT_FOUND,
    "supervisor_above": OK,
    "supervisor_sibling": NOT_FOUND,
    "admin": OK,
}

ROWS = [
    Row("pledges:progress_add", PROGRESS, args=lambda w: [_published(w).pk]),
    Row(
        "pledges:progress_add",
        {**PROGRESS, "member": REDIRECT, "secretary_same": REDIRECT},
        args=lambda w: [_published(w).pk],
        method="post",
        data=lambda w: {"percent": 50, "text": "已走访 5 户"},
    ),
    Row("pledges:evidence", PRIVATE_FILE, args=lambda w: [_evidence(w, public=False).pk], label="private"),
    Row("pledges:evidence", everyone(OK), args=lambda w: [_evidence(w, public=True).pk], label="public"),
    Row(
        "pledges:evidence",
        {**PROGRESS, "member": REDIRECT, "secretary_same": REDIRECT, "supervisor_above": FORBIDDEN},
        args=lambda w: [_evidence(w, public=False).pk],
        method="post",
        data=lambda w: {"is_public": "1"},
        label="mark public",
    ),
    Row("board:board", everyone(OK), args=lambda w: [w.branch_a1.code]),
    Row("board:board", everyone(NOT_FOUND), args=lambda w: ["no-such-org"], label="unknown"),
    Row("board:poster", everyone(OK), args=lambda w: [w.branch_a1.code]),
    Row("board:qr", everyone(OK), args=lambda w: [w.branch_a1.code]),
]
