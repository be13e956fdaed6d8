"""The demo district: realistic, idempotent, and never in production."""

import pytest
from django.core.management import CommandError, call_command

from campaign.management.commands import seed_demo
from orgs import demo
from orgs.models import Member, Organization, RoleAssignment, User

pytestmark = pytest.mark.django_db


def counts():
    return (Organization.objects.count(), Member.objects.count(), User.objects.count(), RoleAssignment.objects.count())


@pytest.fixture
def only_org_step(monkeypatch):
    """seed_demo with just the organizations step (later issues add campaigns and pledges)."""
    monkeypatch.setattr(seed_demo, "SEED_STEPS", ["orgs.demo"])


def test_seed_demo_twice_changes_nothing_the_second_time(settings, only_org_step, capsys):
    settings.DEBUG = True
    call_command("seed_demo")
    first = counts()
    call_command("seed_demo")
    assert counts() == first
    assert "organizations +0, members +0, users +0" in capsys.readouterr().out


def test_the_demo_district_is_realistic(settings, only_org_step):
    settings.DEBUG = True
    call_command("seed_demo")
    assert Organization.objects.filter(kind=Organization.Kind.DISTRICT_COMMITTEE).count() == 1
    assert 110 <= Organization.objects.grassroots().count() <= 140
    assert 1300 <= Member.objects.count() <= 1800
    assert Organization.objects.find_problems() == ([], [], [], [], [])
    branch = Organization.objects.get(code=demo.DEMO_BRANCH_CODE)
    secretary = User.objects.get(username="secretary")
    assert RoleAssignment.objects.filter(user=secretary, role="secretary", organization=branch).count() == 1
    assert User.objects.get(username="member").member.organization == branch
    assert User.objects.get(username="admin").is_superuser
    supervisor = User.objects.get(username="supervisor")
    assert RoleAssignment.objects.get(user=supervisor).organization.kind == Organization.Kind.DISTRICT_COMMITTEE
    for username in ("admin", "supervisor", "secretary", "member"):
        assert User.objects.get(username=username).check_password(demo.DEMO_PASSWORD)


def test_seed_demo_refuses_to_run_with_debug_off(settings, only_org_step):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo")
    assert Organization.objects.count() == 0
