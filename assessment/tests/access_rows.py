"""Access rows for the evaluation sheets (issue 4): supervisors their subtree, secretaries their own
organization and its members, members their own sheet."""

from tests.access import NOT_FOUND, OK, REDIRECT, Row, logged_in

SHEET = dict(member=NOT_FOUND, secretary_other=NOT_FOUND, supervisor_sibling=NOT_FOUND)
OWN_SHEET = dict(secretary_other=NOT_FOUND, supervisor_sibling=NOT_FOUND)

ROWS = [
    Row("assessment:index", logged_in(REDIRECT)),
    Row("assessment:org", logged_in(OK, **SHEET), args=lambda w: [w.branch_a1.code]),
    Row("assessment:org_xlsx", logged_in(OK, **SHEET), args=lambda w: [w.branch_a1.code]),
    Row("assessment:member", logged_in(OK, **OWN_SHEET), args=lambda w: [w.member.pk]),
    Row("assessment:member_xlsx", logged_in(OK, **OWN_SHEET), args=lambda w: [w.member.pk]),
]
