"""The Django admin for the tree and the people: pages load, and adding a member goes through the service."""

import pytest
from django.urls import reverse

from orgs.models import InitialPassword, Member, RosterImport

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url_name",
    [
        "admin:orgs_organization_changelist",
        "admin:orgs_member_changelist",
        "admin:orgs_roleassignment_changelist",
        "admin:orgs_user_changelist",
        "admin:orgs_rosterimport_changelist",
        "admin:orgs_initialpassword_changelist",
        "admin:orgs_organization_add",
        "admin:orgs_member_add",
    ],
)
def test_admin_pages_load(world, client_for, url_name):
    RosterImport.objects.create(kind="members", file_name="m.csv")
    assert client_for("admin").get(reverse(url_name)).status_code == 200


def test_admin_search_and_change_pages(world, client_for):
    client = client_for("admin")
    assert "甲一村党支部" in client.get(reverse("admin:orgs_organization_changelist") + "?q=a1").content.decode()
    assert client.get(reverse("admin:orgs_organization_change", args=[world.branch_a1.pk])).status_code == 200
    assert client.get(reverse("admin:orgs_member_change", args=[world.member.pk])).status_code == 200


def test_adding_a_member_in_the_admin_creates_a_login_with_a_one_time_password(world, client_for):
    client = client_for("admin")
    response = client.post(
        reverse("admin:orgs_member_add"),
        {
            "name": "后台新增",
            "organization": world.branch_b1.pk,
            "position": "member",
            "phone": "13933334444",
            "is_party_member": "on",
        },
    )
    assert response.status_code == 302
    member = Member.objects.select_related("user").get(name="后台新增")
    assert member.user.username == "13933334444" and member.user.must_change_password
    assert InitialPassword.objects.filter(user=member.user).exists()


def test_the_admin_refuses_a_phone_another_member_has(world, client_for):
    Member.objects.filter(pk=world.member.pk).update(phone="13933334444")
    response = client_for("admin").post(
        reverse("admin:orgs_member_add"),
        {"name": "后台新增", "organization": world.branch_b1.pk, "position": "member", "phone": "13933334444"},
    )
    assert response.status_code == 200
    assert "张党员" in response.content.decode()
    assert not Member.objects.filter(name="后台新增").exists()


def test_admin_actions_reset_and_move_out(world, client_for):
    client = client_for("admin")
    url = reverse("admin:orgs_member_changelist")
    client.post(url, {"action": "reset_passwords", "_selected_action": [world.member.pk]})
    world.member.user.refresh_from_db()
    assert world.member.user.must_change_password
    client.post(url, {"action": "move_out", "_selected_action": [world.other_member.pk]})
    world.other_member.refresh_from_db()
    assert not world.other_member.is_active
