"""Access matrix rows for the orgs app: organization pages, member management, roster import.

Member management of branch a1: its secretary, the supervisor above and the administrator may;
the other branch's secretary and the sibling supervisor get 404 (another branch's things look
missing); a plain member has no member pages at all (403), or 404 when naming an organization.
"""

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.access import BAD_METHOD, FORBIDDEN, NOT_FOUND, OK, REDIRECT, Row, logged_in

A1 = "org=a1"


def a1_managers(outcome: str) -> dict[str, str]:
    return logged_in(outcome, member=NOT_FOUND, secretary_other=NOT_FOUND, supervisor_sibling=NOT_FOUND)


def member_data(world) -> dict:
    return {"name": "新党员", "position": "member", "phone": "13900001111", "is_party_member": "on"}


def edit_data(world) -> dict:
    return {"name": "张党员", "position": "committee_member", "phone": "", "is_party_member": "on"}


def roster_file(world) -> dict:
    csv = "组织代码,组织名称,组织类别,所属领域,上级组织代码\na3,甲三村党支部,党支部,农村,town-a\n"
    return {"kind": "organizations", "file": SimpleUploadedFile("orgs.csv", csv.encode(), content_type="text/csv")}


def an_import(world) -> list:
    from orgs.models import RosterImport

    return [RosterImport.objects.create(kind=RosterImport.Kind.ORGANIZATIONS, file_name="orgs.csv", total=1).pk]


ROWS = [
    # Organization page
    Row(
        "orgs:detail",
        logged_in(OK, secretary_other=NOT_FOUND, supervisor_sibling=NOT_FOUND),
        args=lambda w: [w.branch_a1.code],
    ),
    Row(
        "orgs:detail",
        logged_in(NOT_FOUND, supervisor_sibling=OK, admin=OK),
        args=lambda w: [w.township_b.code],
        label="sibling township",
    ),
    # Member management
    Row("orgs:member_list", logged_in(OK, member=FORBIDDEN)),
    Row("orgs:member_list", a1_managers(OK), query=A1, label="a1"),
    Row("orgs:member_add", logged_in(OK, member=FORBIDDEN)),
    Row("orgs:member_add", a1_managers(OK), query=A1, label="a1"),
    Row("orgs:member_add", a1_managers(REDIRECT), method="post", query=A1, data=member_data, label="a1"),
    Row("orgs:member_edit", a1_managers(OK), args=lambda w: [w.member.pk]),
    Row("orgs:member_edit", a1_managers(REDIRECT), args=lambda w: [w.member.pk], method="post", data=edit_data),
    Row("orgs:member_move_out", a1_managers(OK), args=lambda w: [w.member.pk]),
    Row(
        "orgs:member_move_out",
        a1_managers(REDIRECT),
        args=lambda w: [w.member.pk],
        method="post",
        data=lambda w: {"action": "leave"},
    ),
    Row("orgs:member_reset_password", logged_in(BAD_METHOD), args=lambda w: [w.member.pk], label="get"),
    Row("orgs:member_reset_password", a1_managers(REDIRECT), args=lambda w: [w.member.pk], method="post"),
    Row("orgs:password_sheet", logged_in(OK, member=FORBIDDEN)),
    Row("orgs:password_sheet", a1_managers(OK), query=A1, label="a1"),
    Row("orgs:password_sheet_clear", logged_in(BAD_METHOD), label="get"),
    Row("orgs:password_sheet_clear", a1_managers(REDIRECT), method="post", data=lambda w: {"org": "a1"}),
    # Roster import (administrators)
    Row("orgs:import", logged_in(FORBIDDEN, admin=OK)),
    Row("orgs:import", logged_in(FORBIDDEN, admin=REDIRECT), method="post", data=roster_file),
    Row("orgs:import_template", logged_in(FORBIDDEN, admin=OK), args=lambda w: ["organizations"]),
    Row("orgs:import_detail", logged_in(FORBIDDEN, admin=OK), args=an_import),
    Row("orgs:import_progress", logged_in(FORBIDDEN, admin=OK), args=an_import),
]
