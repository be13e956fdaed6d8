from tests.access import FORBIDDEN, NOT_FOUND, OK, Row, logged_in

ROWS = [
    Row("orgs:member_list", logged_in(OK, member=FORBIDDEN)),
    Row("orgs:import", logged_in(FORBIDDEN, admin=OK)),
    Row(
        "orgs:detail",
        logged_in(OK, secretary_other=NOT_FOUND, supervisor_sibling=NOT_FOUND),
        args=lambda w: [w.branch_a1.code],
    ),
]
