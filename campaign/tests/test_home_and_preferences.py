"""The home page picks the widest role; 长辈模式 is remembered per user and per browser."""

from django.test import Client
from django.urls import reverse

from orgs.models import RoleAssignment
from orgs.roles import roles_of


def test_home_sends_each_role_to_its_own_page(world, client_for):
    expected = {
        "member": reverse("pledges:my_pledges"),
        "secretary_same": reverse("pledges:branch_home"),
        "supervisor_above": reverse("campaign:dashboard_home"),
        "admin": reverse("campaign:dashboard_home"),
    }
    for role, target in expected.items():
        response = client_for(role).get(reverse("home"))
        assert response.status_code == 302 and response["Location"] == target, role


def test_a_person_with_several_roles_defaults_to_the_widest_and_can_switch(world, client_for):
    # The branch secretary also supervises the township: supervisor is the widest role.
    RoleAssignment.objects.create(user=world.secretary_same.user, role="supervisor", organization=world.township_a)
    client = client_for("secretary_same")
    assert client.get(reverse("home"))["Location"] == reverse("campaign:dashboard_home")
    assert client.get(reverse("home") + "?as=secretary")["Location"] == reverse("pledges:branch_home")
    assert client.get(reverse("home") + "?as=member")["Location"] == reverse("pledges:my_pledges")
    roles = roles_of(world.secretary_same.user)
    assert roles.tabs == ["supervisor", "secretary", "member"]


def test_a_role_not_held_cannot_be_chosen(world, client_for):
    response = client_for("member").get(reverse("home") + "?as=supervisor")
    assert response["Location"] == reverse("pledges:my_pledges")


def test_elder_mode_is_remembered_on_the_account(world, client_for):
    client = client_for("member")
    client.post(reverse("elder_mode_toggle"), {"enabled": "1", "next": "/orgs/a1/"})
    world.member.user.refresh_from_db()
    assert world.member.user.elder_mode is True
    # A fresh browser (no cookie) still gets it, because it is on the account.
    fresh = Client()
    fresh.force_login(world.member.user)
    page = fresh.get(reverse("orgs:detail", args=[world.branch_a1.code]))
    assert b'class="elder-mode' in page.content


def test_elder_mode_is_remembered_per_browser_for_visitors(db):
    client = Client()
    response = client.post(reverse("elder_mode_toggle"), {"enabled": "1", "next": "/accounts/login/"})
    assert response.cookies["elder_mode"].value == "1"
    assert b'class="elder-mode' in client.get(reverse("login")).content
    client.post(reverse("elder_mode_toggle"), {"enabled": "0", "next": "/accounts/login/"})
    assert b'class="elder-mode' not in client.get(reverse("login")).content


def test_elder_mode_refuses_to_redirect_off_site(db):
    response = Client().post(reverse("elder_mode_toggle"), {"enabled": "1", "next": "https://evil.example/"})
    assert response["Location"] == "/"
