"""Logging in: the forced first password change, and the lock after repeated wrong passwords."""

import pytest
from django.test import Client
from django.urls import reverse

from orgs import services
from orgs.models import InitialPassword

pytestmark = pytest.mark.django_db


def test_first_login_with_the_initial_password_forces_a_password_change(world):
    member, password = services.member_create(
        organization=world.branch_a1, name="新党员", phone="13911110000", by=world.secretary_same.user
    )
    client = Client()
    response = client.post(reverse("login"), {"username": "13911110000", "password": password})
    assert response.status_code == 302

    # Every page sends them to the password change first.
    for url in (reverse("home"), reverse("orgs:detail", args=["a1"]), "/pledges/mine/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"] == reverse("password_change"), url
    page = client.get(reverse("password_change")).content.decode()
    assert "初始密码" in page

    # A weak new password is refused, and the flag stays.
    weak = client.post(
        reverse("password_change"),
        {"old_password": password, "new_password1": "12345678", "new_password2": "12345678"},
    )
    assert weak.status_code == 200
    member.user.refresh_from_db()
    assert member.user.must_change_password

    done = client.post(
        reverse("password_change"),
        {"old_password": password, "new_password1": "Qingshan-2026!", "new_password2": "Qingshan-2026!"},
    )
    assert done.status_code == 302
    member.user.refresh_from_db()
    assert not member.user.must_change_password
    assert not InitialPassword.objects.filter(user=member.user).exists()  # forgotten once used
    assert client.get(reverse("orgs:detail", args=["a1"])).status_code == 200
    assert Client().login(username="13911110000", password="Qingshan-2026!")


def test_logout_and_language_stay_reachable_before_the_change(world):
    _member, password = services.member_create(organization=world.branch_a1, name="甲", phone="", by=None)
    client = Client()
    username = _member.user.username
    client.post(reverse("login"), {"username": username, "password": password})
    assert client.post(reverse("set_language"), {"language": "en", "next": "/"}).status_code == 302
    assert client.post(reverse("logout")).status_code == 302


def wrong_logins(client, username, times, ip="10.0.0.1"):
    responses = []
    for _ in range(times):
        responses.append(
            client.post(reverse("login"), {"username": username, "password": "wrong-guess"}, REMOTE_ADDR=ip)
        )
    return responses


def test_five_wrong_passwords_lock_the_username_from_that_address(world, settings):
    settings.AXES_ENABLED = True
    client = Client()
    responses = wrong_logins(client, "member", 5)
    assert all(r.status_code == 200 for r in responses[:4])  # the form again, with an error
    locked = client.post(reverse("login"), {"username": "member", "password": "test-pass-123"}, REMOTE_ADDR="10.0.0.1")
    assert locked.status_code == 429
    page = locked.content.decode()
    assert "登录失败次数过多" in page and "15 分钟" in page
    assert '<html lang="zh-hans">' in page
    # The same person from another address, and another person from this one, are not locked.
    assert (
        Client()
        .post(reverse("login"), {"username": "member", "password": "test-pass-123"}, REMOTE_ADDR="10.0.0.2")
        .status_code
        == 302
    )
    assert (
        Client()
        .post(reverse("login"), {"username": "secretary_same", "password": "test-pass-123"}, REMOTE_ADDR="10.0.0.1")
        .status_code
        == 302
    )


def test_a_password_reset_by_the_secretary_lifts_the_lock(world, settings):
    settings.AXES_ENABLED = True
    wrong_logins(Client(), "member", 5)
    password = services.member_reset_password(member=world.member, by=world.secretary_same.user)
    response = Client().post(reverse("login"), {"username": "member", "password": password}, REMOTE_ADDR="10.0.0.1")
    assert response.status_code == 302
