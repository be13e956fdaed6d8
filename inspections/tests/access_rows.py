"""Access rows for inspections and rectification items (issue 4)."""

from pledges.tests.reviews_support import make_inspection, today
from tests.access import FORBIDDEN, NOT_FOUND, OK, REDIRECT, Row, logged_in

OTHER_BRANCH = dict(secretary_other=NOT_FOUND, supervisor_sibling=NOT_FOUND)
INSPECTORS_ONLY = dict(member=FORBIDDEN, secretary_same=FORBIDDEN, **OTHER_BRANCH)


def _inspection_post(world):
    return {
        "inspected_on": today().isoformat(),
        "kind": "routine",
        "inspectors": "周督导",
        "findings": "台账齐全",
        "items-TOTAL_FORMS": "1",
        "items-INITIAL_FORMS": "0",
        "items-0-owner_org": str(world.branch_a1.pk),
        "items-0-description": "补齐会议记录",
        "items-0-deadline": today().isoformat(),
        "items-0-required_evidence": "会议记录扫描件",
    }


ROWS = [
    Row("inspections:index", logged_in(OK)),
    Row("inspections:org", logged_in(OK, **OTHER_BRANCH), args=lambda w: [w.branch_a1.code]),
    Row("inspections:add", logged_in(OK, **INSPECTORS_ONLY), args=lambda w: [w.branch_a1.code]),
    Row(
        "inspections:add",
        logged_in(REDIRECT, **INSPECTORS_ONLY),
        args=lambda w: [w.branch_a1.code],
        method="post",
        data=_inspection_post,
    ),
    Row("inspections:detail", logged_in(OK, **OTHER_BRANCH), args=lambda w: [make_inspection(w)[0].pk]),
    Row(
        "inspections:item_report",
        logged_in(OK, member=FORBIDDEN, supervisor_above=FORBIDDEN, **OTHER_BRANCH),
        args=lambda w: [make_inspection(w)[1].pk],
    ),
    Row(
        "inspections:item_decide",
        logged_in(REDIRECT, member=FORBIDDEN, secretary_same=FORBIDDEN, **OTHER_BRANCH),
        args=lambda w: [make_inspection(w, status="reported")[1].pk],
        method="post",
        data=lambda w: {"decision": "accept"},
    ),
    Row(
        "inspections:item_evidence",
        logged_in(OK, **OTHER_BRANCH),
        args=lambda w: [make_inspection(w, status="reported", with_evidence=True)[1].pk],
    ),
]
