"""Member management pages, the password sheet, the organization page and the import pages."""

import re

import pytest
from django.urls import reverse

from campaign.celery import app as celery_app
from orgs.models import InitialPassword, Member, Organization, RosterImport, User
from orgs.tests.roster_files import MEMBER_HEADERS, ORG_HEADERS, csv_file, xlsx_file

pytestmark = pytest.mark.django_db


def with_org(name, code="a1", *args):
    return f"{reverse(name, args=args)}?org={code}"


@pytest.fixture
def eager_celery():
    """Run queued tasks inline, as a worker would."""
    before = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = before


# ---------------------------------------------------------------------------
# Members
# ---------------------------------------------------------------------------
def test_secretary_adds_a_member_and_sees_the_password_once_on_the_sheet(world, client_for):
    client = client_for("secretary_same")
    response = client.post(
        reverse("orgs:member_add"),
        {"name": "刘新", "position": "member", "phone": "13912340000", "is_party_member": "on"},
    )
    assert response.status_code == 302 and response["Location"] == with_org("orgs:password_sheet")
    member = Member.objects.select_related("user").get(name="刘新")
    assert member.organization == world.branch_a1 and member.user.username == "13912340000"

    sheet = client.get(response["Location"]).content.decode()
    password = re.search(r'class="secret">([a-z2-9]{8})<', sheet).group(1)
    assert member.user.check_password(password)
    assert "刘新" in sheet and "13912340000" in sheet

    # After printing the secretary clears the sheet: the password cannot be shown again.
    cleared = client.post(reverse("orgs:password_sheet_clear"), {"org": "a1"})
    assert cleared.status_code == 302
    assert password not in client.get(with_org("orgs:password_sheet")).content.decode()
    assert not InitialPassword.objects.filter(user=member.user).exists()
    assert member.user.check_password(password)  # the login itself still works


def test_the_other_branch_cannot_see_our_sheet(world, client_for):
    client_for("secretary_same").post(reverse("orgs:member_add"), {"name": "刘新", "position": "member", "phone": ""})
    assert client_for("secretary_other").get(with_org("orgs:password_sheet")).status_code == 404
    own_sheet = client_for("secretary_other").get(reverse("orgs:password_sheet")).content.decode()
    assert "刘新" not in own_sheet


def test_add_member_errors_stay_next_to_the_field_and_keep_what_was_typed(world, client_for):
    Member.objects.filter(pk=world.member.pk).update(phone="13912340000")
    response = client_for("secretary_same").post(
        reverse("orgs:member_add"), {"name": "刘新", "position": "member", "phone": "13912340000"}
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "phone" in form.errors and "张党员" in form.errors["phone"][0]
    assert 'value="刘新"' in response.content.decode()
    bad = client_for("secretary_same").post(
        reverse("orgs:member_add"), {"name": "刘新", "position": "member", "phone": "5"}
    )
    assert "phone" in bad.context["form"].errors
    assert not Member.objects.filter(name="刘新").exists()


def test_member_list_shows_the_branch_with_a_constant_number_of_queries(
    world, client_for, django_assert_max_num_queries
):
    from orgs import services

    client = client_for("secretary_same")
    client.get(reverse("orgs:member_list"))  # warm up (session, content types)
    for n in range(15):
        services.member_create(organization=world.branch_a1, name=f"党员{n}", phone=f"139000000{n:02d}", by=None)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("orgs:member_list"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "党员14" in page and "张党员" in page and "赵党员" not in page
    assert response.context["pending_passwords"] == 15


def test_supervisor_picks_an_organization_in_the_subtree(world, client_for):
    client = client_for("supervisor_above")
    response = client.get(with_org("orgs:member_list", "a2"))
    assert "赵党员" in response.content.decode()
    codes = [code for code, _label in response.context["org_choices"]]
    assert set(codes) == {"town-a", "a1", "a2"}
    assert client.get(with_org("orgs:member_list", "b1")).status_code == 404


def test_edit_move_out_and_transfer(world, client_for):
    client = client_for("supervisor_above")
    member = world.member
    response = client.post(
        reverse("orgs:member_edit", args=[member.pk]),
        {"name": "张党员", "position": "deputy_secretary", "phone": "13922223333", "is_party_member": "on"},
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.position == "deputy_secretary" and member.phone == "13922223333"

    page = client.get(reverse("orgs:member_move_out", args=[member.pk]))
    assert "甲二村党支部" in page.content.decode()  # a transfer target the supervisor manages
    missing_target = client.post(reverse("orgs:member_move_out", args=[member.pk]), {"action": "transfer"})
    assert missing_target.status_code == 200 and "to" in missing_target.context["form"].errors
    client.post(reverse("orgs:member_move_out", args=[member.pk]), {"action": "transfer", "to": world.branch_a2.pk})
    member.refresh_from_db()
    assert member.organization == world.branch_a2

    client.post(reverse("orgs:member_move_out", args=[member.pk]), {"action": "leave"})
    member.refresh_from_db()
    assert not member.is_active
    assert client.get(reverse("orgs:member_edit", args=[member.pk])).status_code == 404


def test_a_branch_secretary_can_only_let_a_member_leave(world, client_for):
    response = client_for("secretary_same").get(reverse("orgs:member_move_out", args=[world.member.pk]))
    assert "to" not in response.context["form"].fields


def test_reset_password_then_sheet(world, client_for):
    client = client_for("secretary_same")
    response = client.post(reverse("orgs:member_reset_password", args=[world.member.pk]))
    assert response["Location"] == with_org("orgs:password_sheet")
    world.member.user.refresh_from_db()
    assert world.member.user.must_change_password
    assert "张党员" in client.get(response["Location"]).content.decode()


# ---------------------------------------------------------------------------
# Organization page
# ---------------------------------------------------------------------------
def test_organization_page_shows_the_chain_children_members_and_board(world, client_for, django_assert_max_num_queries):
    client = client_for("supervisor_above")
    client.get(reverse("orgs:detail", args=["town-a"]))
    with django_assert_max_num_queries(8):
        page = client.get(reverse("orgs:detail", args=["town-a"])).content.decode()
    assert "测试区委" in page  # breadcrumb (not a link: the supervisor does not oversee the district)
    assert f'href="{reverse("orgs:detail", args=["district"])}"' not in page
    assert "甲一村党支部" in page and "甲二村党支部" in page
    assert reverse("board:board", args=["town-a"]) in page

    for n in range(10):
        Organization.objects.add_child(
            world.township_a, create_kwargs={"code": f"x{n}", "name": f"支部{n}", "kind": "branch"}
        )
    with django_assert_max_num_queries(8):
        client.get(reverse("orgs:detail", args=["town-a"]))


def test_a_member_sees_names_but_not_phones(world, client_for):
    Member.objects.filter(pk=world.secretary_same.pk).update(phone="13966667777")
    page = client_for("member").get(reverse("orgs:detail", args=["a1"])).content.decode()
    assert "李书记" in page and "13966667777" not in page
    assert "13966667777" in client_for("secretary_same").get(reverse("orgs:detail", args=["a1"])).content.decode()


# ---------------------------------------------------------------------------
# Import pages
# ---------------------------------------------------------------------------
def test_a_bad_file_is_reported_in_chinese_and_nothing_is_imported(world, client_for):
    rows = [["c-1", "丙一支部", "党支部", "农村", "nowhere"], ["a1", "重复", "党小组", "", "town-a"]]
    before = Organization.objects.count()
    response = client_for("admin").post(
        reverse("orgs:import"), {"kind": "organizations", "file": csv_file(ORG_HEADERS, rows)}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "没有导入任何数据" in page
    assert "第 2 行" in page and "nowhere" in page
    assert "第 3 行" in page and "党小组" in page and "已被" in page
    assert Organization.objects.count() == before
    assert not RosterImport.objects.exists()


def test_a_good_file_runs_in_the_background_with_progress_and_a_printable_sheet(
    world, client_for, eager_celery, django_capture_on_commit_callbacks
):
    client = client_for("admin")
    rows = [["钱一", "b1", "党员", 13800000051], ["钱二", "b1", "书记", ""]]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("orgs:import"), {"kind": "members", "file": xlsx_file(MEMBER_HEADERS, rows)})
    roster_import = RosterImport.objects.get()
    assert response["Location"] == reverse("orgs:import_detail", args=[roster_import.pk])
    roster_import.refresh_from_db()
    assert roster_import.status == "done" and roster_import.created == 2

    progress = client.get(reverse("orgs:import_progress", args=[roster_import.pk])).content.decode()
    assert "hx-trigger" not in progress  # finished: polling stops
    assert "已导入 2 名党员" in progress
    sheet = client.get(f"{reverse('orgs:password_sheet')}?import={roster_import.pk}").content.decode()
    assert "钱一" in sheet and "钱二" in sheet and "13800000051" in sheet
    assert User.objects.get(username="13800000051").must_change_password


def test_a_running_import_keeps_polling(world, client_for):
    running = RosterImport.objects.create(kind="members", file_name="m.csv", total=200, done=50, status="running")
    page = client_for("admin").get(reverse("orgs:import_progress", args=[running.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in page and "25%" in page


def test_template_download(world, client_for):
    response = client_for("admin").get(reverse("orgs:import_template", args=["members"]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    assert client_for("admin").get(reverse("orgs:import_template", args=["nonsense"])).status_code == 404


def test_a_dead_broker_fails_the_import_visibly_instead_of_crashing(
    world, client_for, django_capture_on_commit_callbacks
):
    from unittest import mock

    from orgs import tasks

    client = client_for("admin")
    upload = csv_file(ORG_HEADERS, [["c-9", "丙九支部", "党支部", "农村", "town-a"]])
    with mock.patch.object(tasks.apply_roster_import_task, "delay", side_effect=ConnectionRefusedError):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("orgs:import"), {"kind": "organizations", "file": upload})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "无法连接后台任务" in page
    assert not Organization.objects.filter(code="c-9").exists()
