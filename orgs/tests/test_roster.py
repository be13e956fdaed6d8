"""The roster import: every row checked first; one bad row rejects the file; all or nothing."""

import pytest
from django.utils import translation

from orgs import roster, services
from orgs.models import InitialPassword, Member, Organization, RoleAssignment, RosterImport, User
from orgs.tests.roster_files import MEMBER_HEADERS, ORG_HEADERS, csv_file, make, xlsx_file

pytestmark = pytest.mark.django_db
ORGS, MEMBERS = RosterImport.Kind.ORGANIZATIONS, RosterImport.Kind.MEMBERS


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def snapshot():
    return (Organization.objects.count(), Member.objects.count(), User.objects.count(), InitialPassword.objects.count())


def problems_by_row(checked) -> dict:
    found: dict = {}
    for problem in checked.problems:
        found.setdefault(problem.row, []).append(problem.message)
    return found


def run(kind, upload, by):
    """Check a file and, when it is clean, apply it the way the background task does."""
    checked = roster.check_file(kind, upload)
    assert checked.ok, checked.problems
    started = services.roster_import_start(kind=kind, file_name=upload.name, rows=checked.rows, by=by)
    return services.roster_import_apply(roster_import_id=started.pk)


# ---------------------------------------------------------------------------
# Good files
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("file_kind", ["csv", "xlsx"])
def test_a_good_organization_file_builds_the_tree_parents_in_any_order(world, file_kind):
    rows = [
        ["c-1", "丙一村党支部", "党支部", "农村", "town-c"],  # its parent comes later in the file
        ["town-c", "丙镇党委", "党委", "机关", "district"],
        ["c-2", "丙二社区党支部", "branch", "community", "town-c"],
        ["a1-x", "甲镇企业党总支", "党总支", "非公企业", "town-a"],
    ]
    result = run(ORGS, make(file_kind, ORG_HEADERS, rows), world.admin)
    assert result.status == RosterImport.Status.DONE and result.created == 4
    town_c = Organization.objects.get(code="town-c")
    assert Organization.objects.get_parent(town_c).code == "district"
    assert town_c.kind == Organization.Kind.COMMITTEE and town_c.sector == Organization.Sector.GOVERNMENT
    c1 = Organization.objects.get(code="c-1")
    assert (c1.kind, c1.sector, c1.name) == ("branch", "village", "丙一村党支部")
    assert set(Organization.objects.descendant_of(town_c).values_list("code", flat=True)) == {"town-c", "c-1", "c-2"}
    assert Organization.objects.get(code="a1-x").path.startswith(world.township_a.path)
    assert Organization.objects.find_problems() == ([], [], [], [], [])
    assert result.rows == []  # applied rows are not kept


@pytest.mark.parametrize("file_kind", ["csv", "xlsx"])
def test_a_good_member_file_creates_logins_with_one_time_passwords(world, file_kind):
    phone = 13800000001 if file_kind == "xlsx" else "13800000001"  # spreadsheets store numbers
    rows = [
        ["王一", "a1", "书记", phone],
        ["王二", "a2", "", "138-0000-0002"],
        ["王三", "a1", "委员", ""],
    ]
    result = run(MEMBERS, make(file_kind, MEMBER_HEADERS, rows), world.admin)
    assert result.status == RosterImport.Status.DONE and result.created == 3
    wang1 = Member.objects.select_related("user").get(name="王一")
    assert wang1.user.username == "13800000001" and wang1.phone == "13800000001"
    assert wang1.position == Member.Position.SECRETARY and wang1.organization == world.branch_a1
    assert RoleAssignment.objects.filter(user=wang1.user, role="secretary", organization=world.branch_a1).exists()
    wang2 = Member.objects.get(name="王二")
    assert wang2.phone == "13800000002" and wang2.position == Member.Position.MEMBER
    wang3 = Member.objects.select_related("user").get(name="王三")
    assert wang3.user.username.startswith("u") and wang3.position == Member.Position.COMMITTEE_MEMBER
    pending = InitialPassword.objects.filter(roster_import=result)
    assert pending.count() == 3
    for entry in pending.select_related("user"):
        from orgs.initial_passwords import decrypt

        assert entry.user.must_change_password
        assert entry.user.check_password(decrypt(entry.secret))


def test_gbk_csv_as_excel_saves_it_is_read(world):
    upload = csv_file(MEMBER_HEADERS, [["赵六", "a1", "党员", "13800000009"]], encoding="gbk")
    checked = roster.check_file(MEMBERS, upload)
    assert checked.ok and checked.rows[0]["name"] == "赵六"


def test_english_headers_and_codes_are_accepted(world):
    upload = csv_file(
        ["code", "name", "kind", "sector", "parent code"], [["b2", "乙二村党支部", "Branch", "Village", "town-b"]]
    )
    checked = roster.check_file(ORGS, upload)
    assert checked.ok, checked.problems
    assert checked.rows[0]["kind"] == "branch" and checked.rows[0]["sector"] == "village"


# ---------------------------------------------------------------------------
# Bad organization files: each rejected with row-level messages, the database untouched
# ---------------------------------------------------------------------------
GOOD_ORG = ["ok-1", "好支部", "党支部", "农村", "town-a"]

BAD_ORG_FILES = {
    "missing parent": ([GOOD_ORG, ["x-1", "某支部", "党支部", "农村", "nowhere"]], {3: "nowhere"}),
    "duplicate code in the file": ([GOOD_ORG, ["ok-1", "重复支部", "党支部", "农村", "town-a"]], {3: "row 2"}),
    "code already in the system": ([GOOD_ORG, ["a1", "又一个", "党支部", "农村", "town-a"]], {3: "甲一村党支部"}),
    "unknown kind": ([GOOD_ORG, ["x-2", "某小组", "党小组", "农村", "town-a"]], {3: "党小组"}),
    "unknown sector": ([GOOD_ORG, ["x-3", "某支部", "党支部", "农业", "town-a"]], {3: "农业"}),
    "cycle": (
        [GOOD_ORG, ["p", "甲", "党委", "", "q"], ["q", "乙", "党委", "", "r"], ["r", "丙", "党委", "", "p"]],
        {3: "p → q → r → p", 4: "p → q → r → p", 5: "p → q → r → p"},
    ),
    "own parent": ([GOOD_ORG, ["self", "自己", "党委", "", "self"]], {3: "own parent"}),
    "no parent": ([GOOD_ORG, ["orphan", "孤儿支部", "党支部", "", ""]], {3: "parent"}),
    "branch as parent": ([GOOD_ORG, ["under-a1", "支部下的支部", "党支部", "", "a1"]], {3: "branch"}),
    "bad code": ([GOOD_ORG, ["石桥 村", "中文代码", "党支部", "", "town-a"]], {3: "letters"}),
    "reserved code": ([GOOD_ORG, ["members", "保留代码", "党支部", "", "town-a"]], {3: "reserved"}),
}


@pytest.mark.parametrize("file_kind", ["csv", "xlsx"])
@pytest.mark.parametrize("case", list(BAD_ORG_FILES))
def test_a_bad_organization_file_is_rejected_row_by_row(world, case, file_kind):
    rows, expected = BAD_ORG_FILES[case]
    before = snapshot()
    checked = roster.check_file(ORGS, make(file_kind, ORG_HEADERS, rows))
    assert not checked.ok
    found = problems_by_row(checked)
    assert set(found) == set(expected), found
    for row, fragment in expected.items():
        assert any(fragment in message for message in found[row]), (row, found[row])
    assert snapshot() == before


# ---------------------------------------------------------------------------
# Bad member files
# ---------------------------------------------------------------------------
GOOD_MEMBER = ["好党员", "a1", "党员", "13800000011"]

BAD_MEMBER_FILES = {
    "bad phone": ([GOOD_MEMBER, ["某人", "a1", "党员", "12345"]], {3: "12345"}),
    "unknown organization code": ([GOOD_MEMBER, ["某人", "zz", "党员", ""]], {3: "zz"}),
    "duplicate phone in the file": ([GOOD_MEMBER, ["某人", "a2", "党员", "13800000011"]], {3: "row 2"}),
    "phone of an existing member": ([GOOD_MEMBER, ["某人", "a2", "党员", "13700000000"]], {3: "张党员"}),
    "unknown position": ([GOOD_MEMBER, ["某人", "a1", "组长", ""]], {3: "组长"}),
    "missing name": ([GOOD_MEMBER, ["", "a1", "党员", ""]], {3: "name"}),
}


@pytest.mark.parametrize("file_kind", ["csv", "xlsx"])
@pytest.mark.parametrize("case", list(BAD_MEMBER_FILES))
def test_a_bad_member_file_is_rejected_row_by_row(world, case, file_kind):
    Member.objects.filter(pk=world.member.pk).update(phone="13700000000")
    rows, expected = BAD_MEMBER_FILES[case]
    before = snapshot()
    checked = roster.check_file(MEMBERS, make(file_kind, MEMBER_HEADERS, rows))
    assert not checked.ok
    found = problems_by_row(checked)
    assert set(found) == set(expected), found
    for row, fragment in expected.items():
        assert any(fragment in message for message in found[row]), (row, found[row])
    assert snapshot() == before


@pytest.mark.parametrize(
    ("upload", "fragment"),
    [
        (csv_file(["姓名", "手机号"], [["张三", "13800000000"]]), "组织代码"),
        (csv_file(MEMBER_HEADERS, []), "no rows"),
        (csv_file([], [], name="empty.csv"), "empty"),
        (csv_file(MEMBER_HEADERS, [GOOD_MEMBER], name="roster.txt"), ".xlsx"),
        (xlsx_file(MEMBER_HEADERS, [], name="broken.xlsx").__class__("broken.xlsx", b"not a zip"), "cannot be read"),
    ],
    ids=["missing column", "no rows", "empty", "wrong type", "broken xlsx"],
)
def test_unusable_files_get_a_file_level_message(world, upload, fragment):
    checked = roster.check_file(MEMBERS, upload)
    assert not checked.ok
    assert any(fragment in p.message for p in checked.problems), checked.problems


# ---------------------------------------------------------------------------
# Applying: all or nothing, checked again, idempotent
# ---------------------------------------------------------------------------
def test_apply_checks_again_and_writes_nothing_when_the_data_changed_meanwhile(world):
    rows = [["n-1", "新一支部", "党支部", "", "town-n"], ["town-n", "新镇党委", "党委", "", "district"]]
    checked = roster.check_file(ORGS, csv_file(ORG_HEADERS, rows))
    started = services.roster_import_start(kind=ORGS, file_name="x.csv", rows=checked.rows, by=world.admin)
    Organization.objects.add_child(
        world.district, create_kwargs={"code": "town-n", "name": "抢先", "kind": "committee"}
    )
    before = snapshot()
    result = services.roster_import_apply(roster_import_id=started.pk)
    assert result.status == RosterImport.Status.FAILED
    assert any("town-n" in e["message"] for e in result.errors)
    assert snapshot() == before
    assert not Organization.objects.filter(code="n-1").exists()


def test_a_failure_halfway_leaves_nothing_behind(world, monkeypatch):
    rows = [["甲", "a1", "党员", "13800000021"], ["乙", "a1", "党员", "13800000022"]]
    checked = roster.check_file(MEMBERS, csv_file(MEMBER_HEADERS, rows))
    started = services.roster_import_start(kind=MEMBERS, file_name="m.csv", rows=checked.rows, by=world.admin)
    before = snapshot()

    def explode(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(InitialPassword.objects, "bulk_create", explode)  # after users and members were inserted
    result = services.roster_import_apply(roster_import_id=started.pk)
    assert result.status == RosterImport.Status.FAILED
    assert snapshot() == before
    assert not User.objects.filter(username="13800000021").exists()


def test_applying_twice_imports_once(world):
    checked = roster.check_file(MEMBERS, csv_file(MEMBER_HEADERS, [["甲", "a1", "党员", "13800000031"]]))
    started = services.roster_import_start(kind=MEMBERS, file_name="m.csv", rows=checked.rows, by=world.admin)
    services.roster_import_apply(roster_import_id=started.pk)
    again = services.roster_import_apply(roster_import_id=started.pk)
    assert again.status == RosterImport.Status.DONE
    assert Member.objects.filter(name="甲").count() == 1


def test_order_parents_first():
    rows = [
        {"code": "c", "parent": "b"},
        {"code": "b", "parent": "a"},
        {"code": "a", "parent": "root"},
        {"code": "d", "parent": "a"},
    ]
    ordered = [r["code"] for r in roster.order_parents_first(rows)]
    assert ordered.index("a") < ordered.index("b") < ordered.index("c")
    assert ordered.index("a") < ordered.index("d")
    assert sorted(ordered) == ["a", "b", "c", "d"]


def test_the_templates_have_chinese_headers_and_import_cleanly_once_filled(world):
    from io import BytesIO

    from django.core.files.uploadedfile import SimpleUploadedFile
    from openpyxl import load_workbook

    for kind, headers, filled in [
        (ORGS, ORG_HEADERS, ["tpl-1", "模板支部", "党支部", "社区", "town-b"]),
        (MEMBERS, MEMBER_HEADERS, ["模板党员", "b1", "党员", "13800000041"]),
    ]:
        workbook = load_workbook(BytesIO(roster.template_workbook(kind)))
        sheet = workbook.worksheets[0]
        assert [c.value for c in sheet[1]] == headers
        assert sheet.max_row >= 2  # an example row
        sheet.delete_rows(2, sheet.max_row)
        sheet.append(filled)
        buffer = BytesIO()
        workbook.save(buffer)
        checked = roster.check_file(kind, SimpleUploadedFile("filled.xlsx", buffer.getvalue()))
        assert checked.ok, checked.problems
