"""Member services: adding (with a login and a one-time password), editing, moving out, resetting."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from orgs import initial_passwords, services
from orgs.models import InitialPassword, Member, RoleAssignment, User

pytestmark = pytest.mark.django_db


def add(world, phone="13911112222", name="新党员", org=None, by=None):
    return services.member_create(
        organization=org or world.branch_a1, name=name, phone=phone, by=by or world.secretary_same.user
    )


def test_member_create_makes_a_login_with_a_one_time_password(world):
    member, password = add(world)
    user = member.user
    assert user.username == "13911112222"
    assert user.full_name == "新党员" and user.phone == "13911112222"
    assert user.must_change_password
    assert user.check_password(password)
    assert password not in user.password  # only the hash is on the login
    kept = InitialPassword.objects.get(user=user)
    assert password not in kept.secret  # the copy for the sheet is encrypted...
    assert initial_passwords.decrypt(kept.secret) == password  # ...and readable for printing
    assert kept.issued_by == world.secretary_same.user
    assert Client().login(username="13911112222", password=password)


def test_member_create_normalizes_the_phone(world):
    member, _password = add(world, phone="+86 139-1111-2223")
    assert member.phone == "13911112223" and member.user.username == "13911112223"


def test_a_taken_username_or_no_phone_gets_a_generated_login(world):
    User.objects.create(username="13911112222")
    member, _ = add(world)
    assert member.user.username.startswith("u") and len(member.user.username) == 8
    no_phone, _ = add(world, phone="", name="无手机")
    assert no_phone.user.username.startswith("u") and no_phone.user.username != member.user.username


def test_a_phone_belongs_to_one_active_member(world):
    add(world)
    with pytest.raises(ValidationError) as caught:
        add(world, name="另一人", org=world.branch_a2)
    assert "phone" in caught.value.message_dict
    assert "新党员" in caught.value.message_dict["phone"][0]
    assert Member.objects.filter(name="另一人").count() == 0


def test_a_bad_phone_is_refused_and_nothing_is_created(world):
    users_before = User.objects.count()
    with pytest.raises(ValidationError) as caught:
        add(world, phone="1234")
    assert "phone" in caught.value.message_dict
    assert User.objects.count() == users_before


def test_pick_usernames_never_gives_the_same_login_twice(world):
    names = services.pick_usernames(["13900000001", "13900000001", "", ""])
    assert names[0] == "13900000001"
    assert len(set(names)) == 4


def test_member_update_changes_the_member_and_the_login_name_shown(world):
    member = world.member
    services.member_update(
        member=member,
        by=world.secretary_same.user,
        name="张新名",
        position="committee_member",
        phone="13955556666",
        is_party_member=False,
    )
    member.refresh_from_db()
    member.user.refresh_from_db()
    assert (member.name, member.position, member.phone, member.is_party_member) == (
        "张新名",
        "committee_member",
        "13955556666",
        False,
    )
    assert member.user.full_name == "张新名" and member.user.phone == "13955556666"
    assert member.user.username == "member"  # the login name does not change


def test_member_update_refuses_another_members_phone(world):
    other, _ = add(world, phone="13977778888", name="甲")
    with pytest.raises(ValidationError):
        services.member_update(
            member=world.member, by=None, name="张党员", position="member", phone="13977778888", is_party_member=True
        )
    # Keeping one's own phone is fine.
    services.member_update(
        member=other, by=None, name="甲", position="member", phone="13977778888", is_party_member=True
    )


def test_moving_out_closes_the_login_and_forgets_the_initial_password(world):
    member, password = add(world)
    services.member_move_out(member=member, by=world.secretary_same.user)
    member.refresh_from_db()
    member.user.refresh_from_db()
    assert not member.is_active and not member.user.is_active
    assert not InitialPassword.objects.filter(user=member.user).exists()
    assert not Client().login(username=member.user.username, password=password)
    with pytest.raises(ValidationError):
        services.member_move_out(member=member, by=world.secretary_same.user)


def test_a_leaving_secretary_stops_being_secretary_but_a_supervisor_keeps_their_login(world):
    secretary = world.secretary_same
    RoleAssignment.objects.create(user=secretary.user, role="supervisor", organization=world.township_b)
    services.member_move_out(member=secretary, by=world.supervisor_above)
    assert not RoleAssignment.objects.filter(user=secretary.user, role="secretary").exists()
    secretary.user.refresh_from_db()
    assert secretary.user.is_active  # still supervises township b


def test_nobody_moves_themselves_out(world):
    with pytest.raises(ValidationError):
        services.member_move_out(member=world.secretary_same, by=world.secretary_same.user)


def test_transfer_only_to_an_organization_the_actor_manages(world):
    with pytest.raises(ValidationError) as caught:
        services.member_move_out(member=world.member, by=world.secretary_same.user, to=world.branch_a2)
    assert "to" in caught.value.message_dict
    with pytest.raises(ValidationError):
        services.member_move_out(member=world.member, by=world.supervisor_above, to=world.branch_a1)
    services.member_move_out(member=world.member, by=world.supervisor_above, to=world.branch_a2)
    world.member.refresh_from_db()
    assert world.member.organization == world.branch_a2 and world.member.is_active


def test_reset_password_gives_a_new_one_time_password(world):
    member = world.member
    password = services.member_reset_password(member=member, by=world.secretary_same.user)
    member.user.refresh_from_db()
    assert member.user.must_change_password
    assert member.user.check_password(password)
    assert not member.user.check_password("test-pass-123")
    again = services.member_reset_password(member=member, by=world.secretary_same.user)
    assert InitialPassword.objects.filter(user=member.user).count() == 1
    assert initial_passwords.decrypt(InitialPassword.objects.get(user=member.user).secret) == again


def test_choosing_ones_own_password_forgets_the_initial_one(world):
    member, _ = add(world)
    user = member.user
    user.set_password("my-own-secret-9")
    user.must_change_password = False
    user.save(update_fields=["password", "must_change_password"])
    assert not InitialPassword.objects.filter(user=user).exists()


def test_clearing_a_sheet_only_touches_what_the_person_manages(world):
    add(world)
    assert services.initial_passwords_clear(by=world.secretary_other.user, organization=world.branch_a1) == 0
    assert services.initial_passwords_clear(by=world.secretary_same.user, organization=world.branch_a1) == 1


def test_expired_initial_passwords_are_purged(world):
    from datetime import timedelta

    from django.utils import timezone

    member, _ = add(world)
    InitialPassword.objects.filter(user=member.user).update(
        issued_at=timezone.now() - timedelta(days=initial_passwords.INITIAL_PASSWORD_DAYS + 1)
    )
    assert InitialPassword.objects.current().count() == 0
    assert services.initial_passwords_purge_expired() == 1


def test_a_changed_secret_key_makes_old_sheets_unreadable_not_wrong(settings):
    token = initial_passwords.encrypt("abcd2345")
    settings.SECRET_KEY = "another-key-" + "x" * 50
    assert initial_passwords.decrypt(token) is None


def test_a_one_time_password_is_hashed_cheaper_and_rehashed_in_full_at_login(world, settings):
    from django.contrib.auth.hashers import PBKDF2PasswordHasher

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    member, password = add(world)
    algorithm, iterations, *_rest = member.user.password.split("$")
    assert algorithm == "pbkdf2_sha256"
    assert int(iterations) == max(PBKDF2PasswordHasher.iterations // 10, 100_000) < PBKDF2PasswordHasher.iterations
    assert Client().login(username=member.user.username, password=password)
    member.user.refresh_from_db()
    assert int(member.user.password.split("$")[1]) == PBKDF2PasswordHasher.iterations
