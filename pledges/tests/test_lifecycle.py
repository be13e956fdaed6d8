"""The pledge lifecycle services: every move by the right person, refused for everyone else and when illegal."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from notifications.models import Notification
from pledges.models import Pledge
from pledges.services import lifecycle
from pledges.tests.factories import PledgeFactory

S = Pledge.Status
SIGNED_IN = ("member", "secretary_same", "secretary_other", "supervisor_above", "supervisor_sibling", "admin")


def _today():
    return timezone.localdate()


def make_pledge(world, *, owner: str, status: str, **extra) -> Pledge:
    owner_kw = {"owner_member": world.member} if owner == "member" else {"owner_org": world.branch_a1}
    fields = {"status": status}
    if status in (S.PUBLISHED, S.CLAIMED, S.FULFILLED):
        fields["published_at"] = timezone.now()
    if status == S.CLAIMED:
        fields.update(closing_statement="已完成", completed_on=_today())
    return PledgeFactory(campaign=world.campaign, **owner_kw, **fields, **extra)


def run_move(move: str, pledge: Pledge, user):
    service = lifecycle.MOVE_SERVICES[move]
    text = {"return": "reason", "withdraw": "reason", "reject_completion": "reason"}
    kwargs = {}
    if move in text:
        kwargs[text[move]] = "请补充走访户数"
    elif move == "claim":
        kwargs["closing_statement"] = "已完成 3 户走访"
    elif move == "explain":
        kwargs["explanation"] = "资金未到位，推迟到下季度"
    return service(pledge=pledge, by=user, **kwargs)


# move → (starting status, resulting status, roles allowed for a member's pledge, for the branch's pledge)
MOVES = {
    "submit": (S.DRAFT, S.SUBMITTED, {"member", "secretary_same", "admin"}, {"secretary_same", "admin"}),
    "approve": (S.SUBMITTED, S.PUBLISHED, {"secretary_same", "admin"}, {"supervisor_above", "admin"}),
    "return": (S.SUBMITTED, S.RETURNED, {"secretary_same", "admin"}, {"supervisor_above", "admin"}),
    "claim": (S.PUBLISHED, S.CLAIMED, {"member", "secretary_same"}, {"secretary_same"}),
    "verify": (S.CLAIMED, S.FULFILLED, {"secretary_same", "admin"}, {"supervisor_above", "admin"}),
    "reject_completion": (S.CLAIMED, S.PUBLISHED, {"secretary_same", "admin"}, {"supervisor_above", "admin"}),
    "withdraw": (S.PUBLISHED, S.WITHDRAWN, {"secretary_same", "admin"}, {"supervisor_above", "admin"}),
}

CASES = [(move, owner, role) for move in MOVES for owner in ("member", "org") for role in SIGNED_IN]


@pytest.mark.parametrize(("move", "owner", "role"), CASES, ids=[f"{m}-{o}-{r}" for m, o, r in CASES])
def test_move_allowed_only_for_the_right_person(world, move, owner, role):
    start, end, member_roles, org_roles = MOVES[move]
    allowed = member_roles if owner == "member" else org_roles
    pledge = make_pledge(world, owner=owner, status=start)
    user = world.users[role]
    if role in allowed:
        result = run_move(move, pledge, user)
        assert result.status == end
        assert result.version == pledge.version + 1
        assert result.history.latest().history_change_reason == move
        assert result.history.latest().history_user == user
    else:
        with pytest.raises(PermissionDenied):
            run_move(move, pledge, user)
        pledge.refresh_from_db()
        assert pledge.status == start


ILLEGAL = [
    (move, status)
    for move, (start, _end, _m, _o) in MOVES.items()
    for status in S.values
    if status != start and not (move == "submit" and status == S.RETURNED)
]


@pytest.mark.parametrize(("move", "status"), ILLEGAL, ids=[f"{m}-from-{s}" for m, s in ILLEGAL])
def test_illegal_move_refused_even_for_admin(world, move, status):
    pledge = make_pledge(world, owner="member", status=status)
    with pytest.raises(ValidationError) as excinfo:
        run_move(move, pledge, world.admin)
    assert excinfo.value.messages  # a message saying why
    pledge.refresh_from_db()
    assert pledge.status == status


def test_returned_pledge_can_be_submitted_again(world):
    pledge = make_pledge(world, owner="member", status=S.RETURNED, return_reason="不具体")
    pledge = lifecycle.pledge_submit(pledge=pledge, by=world.member.user)
    assert pledge.status == S.SUBMITTED


def test_approve_publishes_and_records_the_decider(world):
    pledge = make_pledge(world, owner="member", status=S.SUBMITTED)
    pledge = lifecycle.pledge_approve(pledge=pledge, by=world.secretary_same.user)
    assert pledge.published_at is not None
    assert pledge.decided_by == world.secretary_same.user
    assert Pledge.objects.public().filter(pk=pledge.pk).exists()


@pytest.mark.parametrize("move", ["return", "withdraw", "reject_completion", "claim"])
def test_moves_needing_a_text_refuse_blank(world, move):
    start = MOVES[move][0]
    pledge = make_pledge(world, owner="member", status=start)
    service = lifecycle.MOVE_SERVICES[move]
    argument = "closing_statement" if move == "claim" else "reason"
    with pytest.raises(ValidationError) as excinfo:
        service(pledge=pledge, by=world.secretary_same.user, **{argument: "   "})
    assert argument in excinfo.value.message_dict
    pledge.refresh_from_db()
    assert pledge.status == start


def test_claim_and_verify_fill_dates_and_progress(world):
    pledge = make_pledge(world, owner="member", status=S.PUBLISHED, progress=60)
    pledge = lifecycle.pledge_claim_completion(pledge=pledge, by=world.member.user, closing_statement="全部完成")
    assert pledge.completed_on == _today()
    assert pledge.closing_statement == "全部完成"
    pledge = lifecycle.pledge_verify(pledge=pledge, by=world.secretary_same.user)
    assert pledge.status == S.FULFILLED
    assert pledge.progress == 100
    assert pledge.fulfilled_at is not None


def test_reject_completion_goes_back_with_reason(world):
    pledge = make_pledge(world, owner="member", status=S.CLAIMED)
    pledge = lifecycle.pledge_reject_completion(pledge=pledge, by=world.secretary_same.user, reason="缺少照片")
    assert pledge.status == S.PUBLISHED
    assert pledge.return_reason == "缺少照片"
    assert pledge.completed_on is None


def test_explain_only_when_overdue_and_only_by_owner_side(world):
    on_time = make_pledge(world, owner="member", status=S.PUBLISHED)
    with pytest.raises(ValidationError):
        lifecycle.pledge_explain(pledge=on_time, by=world.member.user, explanation="x")
    late = make_pledge(world, owner="member", status=S.PUBLISHED, deadline=_today() - datetime.timedelta(days=3))
    for role in ("secretary_other", "supervisor_sibling"):
        with pytest.raises(PermissionDenied):
            lifecycle.pledge_explain(pledge=late, by=world.users[role], explanation="x")
    late = lifecycle.pledge_explain(pledge=late, by=world.member.user, explanation="资金未到位")
    assert late.explanation == "资金未到位"
    assert late.history.latest().history_change_reason == "explain"


# --------------------------------------------------------------------------- create


def create_kwargs(world, **overrides):
    data = {
        "campaign": world.campaign,
        "title": "结对帮扶困难党员",
        "content": "每月上门一次",
        "target": "完成 3 户困难党员走访",
        "deadline": _today() + datetime.timedelta(days=30),
        "category": Pledge.Category.PEOPLE,
        "channels": [Pledge.Channel.NOTICE_BOARD],
    }
    data.update(overrides)
    return data


def test_member_creates_own_draft(world):
    pledge = lifecycle.pledge_create(by=world.member.user, owner_member=world.member, **create_kwargs(world))
    assert pledge.status == S.DRAFT
    assert pledge.created_by == world.member.user
    assert pledge.history.get().history_change_reason == "create"


def test_secretary_creates_for_branch_and_for_its_member(world):
    sec = world.secretary_same.user
    org_pledge = lifecycle.pledge_create(by=sec, owner_org=world.branch_a1, **create_kwargs(world))
    member_pledge = lifecycle.pledge_create(by=sec, owner_member=world.member, **create_kwargs(world))
    assert org_pledge.owner_org == world.branch_a1
    assert member_pledge.owner_member == world.member


@pytest.mark.parametrize(
    ("role", "owner"),
    [
        ("member", "other_member"),
        ("member", "branch_a1"),
        ("secretary_other", "member"),
        ("secretary_other", "branch_a1"),
        ("supervisor_above", "branch_a1"),
        ("supervisor_sibling", "member"),
    ],
)
def test_create_refused_for_someone_else(world, role, owner):
    target = getattr(world, owner)
    kw = {"owner_org": target} if owner.startswith("branch") else {"owner_member": target}
    with pytest.raises(PermissionDenied):
        lifecycle.pledge_create(by=world.users[role], **kw, **create_kwargs(world))
    assert not Pledge.objects.exists()


def test_create_refuses_a_non_grassroots_owner(world):
    with pytest.raises(ValidationError):
        lifecycle.pledge_create(by=world.admin, owner_org=world.township_a, **create_kwargs(world))


@pytest.mark.parametrize(
    "deadline",
    [lambda c: c.ends_on + datetime.timedelta(days=1), lambda c: c.starts_on - datetime.timedelta(days=1)],
    ids=["after-campaign", "before-campaign"],
)
def test_deadline_outside_campaign_refused(world, deadline):
    with pytest.raises(ValidationError) as excinfo:
        lifecycle.pledge_create(
            by=world.member.user, owner_member=world.member, **create_kwargs(world, deadline=deadline(world.campaign))
        )
    assert "deadline" in excinfo.value.message_dict
    assert world.campaign.ends_on.isoformat() in excinfo.value.message_dict["deadline"][0]
    assert not Pledge.objects.exists()


def test_deadline_in_the_past_refused_on_creation(world):
    with pytest.raises(ValidationError) as excinfo:
        lifecycle.pledge_create(
            by=world.member.user,
            owner_member=world.member,
            **create_kwargs(world, deadline=_today() - datetime.timedelta(days=1)),
        )
    assert "deadline" in excinfo.value.message_dict


def test_vague_target_refused_with_example(world):
    with pytest.raises(ValidationError) as excinfo:
        lifecycle.pledge_create(
            by=world.member.user, owner_member=world.member, **create_kwargs(world, target="进一步加强联系群众")
        )
    message = excinfo.value.message_dict["target"][0]
    assert "进一步加强" in message and "完成 3 户困难党员走访" in message


def test_repeat_of_same_owner_refused_but_other_owner_fine(world):
    lifecycle.pledge_create(by=world.member.user, owner_member=world.member, **create_kwargs(world))
    with pytest.raises(ValidationError) as excinfo:
        lifecycle.pledge_create(
            by=world.member.user,
            owner_member=world.member,
            **create_kwargs(world, title=" 结对帮扶 困难党员！", target="完成３户困难党员走访。"),
        )
    assert set(excinfo.value.message_dict) == {"title", "target"}
    lifecycle.pledge_create(by=world.secretary_same.user, owner_org=world.branch_a1, **create_kwargs(world))


# --------------------------------------------------------------------------- update and stale edits


def test_update_bumps_version_and_records_edit(world):
    pledge = lifecycle.pledge_create(by=world.member.user, owner_member=world.member, **create_kwargs(world))
    pledge = lifecycle.pledge_update(
        pledge=pledge, by=world.member.user, expected_version=1, title="新标题", target="完成 5 户走访"
    )
    assert pledge.version == 2
    assert pledge.history.latest().history_change_reason == "update"


def test_update_refused_once_submitted(world):
    pledge = make_pledge(world, owner="member", status=S.SUBMITTED)
    with pytest.raises(PermissionDenied):
        lifecycle.pledge_update(pledge=pledge, by=world.member.user, expected_version=pledge.version, title="x")


def test_stale_edit_refused_showing_what_changed_and_nothing_overwritten(world):
    pledge = lifecycle.pledge_create(by=world.member.user, owner_member=world.member, **create_kwargs(world))
    opened_version = pledge.version
    # The secretary saves first …
    lifecycle.pledge_update(
        pledge=pledge, by=world.secretary_same.user, expected_version=opened_version, target="完成 8 户困难党员走访"
    )
    # … then the member saves what they typed on the page they opened before.
    with pytest.raises(lifecycle.StaleEdit) as excinfo:
        lifecycle.pledge_update(
            pledge=pledge, by=world.member.user, expected_version=opened_version, target="完成 4 户困难党员走访"
        )
    stale = excinfo.value
    assert [c["field"] for c in stale.changes] == ["target"]
    assert stale.changes[0]["old"] == "完成 3 户困难党员走访"
    assert stale.changes[0]["new"] == "完成 8 户困难党员走访"
    assert "李书记" in stale.messages[0] and "完成 8 户困难党员走访" in stale.messages[0]
    pledge.refresh_from_db()
    assert pledge.target == "完成 8 户困难党员走访"
    assert pledge.version == opened_version + 1


def test_quality_gate_applies_to_edits(world):
    pledge = lifecycle.pledge_create(by=world.member.user, owner_member=world.member, **create_kwargs(world))
    with pytest.raises(ValidationError):
        lifecycle.pledge_update(pledge=pledge, by=world.member.user, expected_version=1, target="积极参与社区活动")
    pledge.refresh_from_db()
    assert pledge.target == "完成 3 户困难党员走访"


# --------------------------------------------------------------------------- notifications


def kinds_for(user):
    return list(Notification.objects.filter(user=user).values_list("kind", flat=True))


def test_submit_notifies_the_approvers_not_the_submitter(world):
    pledge = make_pledge(world, owner="member", status=S.DRAFT)
    lifecycle.pledge_submit(pledge=pledge, by=world.member.user)
    assert kinds_for(world.secretary_same.user) == [Notification.Kind.PLEDGE_SUBMITTED]
    assert kinds_for(world.member.user) == []
    assert kinds_for(world.secretary_other.user) == []


def test_org_pledge_submit_notifies_the_supervisor_above(world):
    pledge = make_pledge(world, owner="org", status=S.DRAFT)
    lifecycle.pledge_submit(pledge=pledge, by=world.secretary_same.user)
    assert kinds_for(world.supervisor_above) == [Notification.Kind.PLEDGE_SUBMITTED]
    assert kinds_for(world.supervisor_sibling) == []


@pytest.mark.parametrize(
    ("move", "kind"),
    [
        ("approve", Notification.Kind.PLEDGE_PUBLISHED),
        ("return", Notification.Kind.PLEDGE_RETURNED),
        ("withdraw", Notification.Kind.PLEDGE_WITHDRAWN),
        ("verify", Notification.Kind.COMPLETION_VERIFIED),
        ("reject_completion", Notification.Kind.COMPLETION_REJECTED),
    ],
)
def test_decisions_notify_the_owner(world, move, kind):
    member_pledge = make_pledge(world, owner="member", status=MOVES[move][0])
    run_move(move, member_pledge, world.secretary_same.user)
    assert kinds_for(world.member.user) == [kind]
    org_pledge = make_pledge(world, owner="org", status=MOVES[move][0])
    run_move(move, org_pledge, world.supervisor_above)
    assert kind in kinds_for(world.secretary_same.user)


def test_bulk_create_is_all_or_nothing(world):
    rows = [
        {
            "owner_member": world.member,
            "title": "甲",
            "target": "完成 2 次宣讲",
            "deadline": world.campaign.ends_on,
            "category": Pledge.Category.SOCIETY,
        },
        {
            "owner_member": world.secretary_same,
            "title": "乙",
            "target": "努力提高服务水平",
            "deadline": world.campaign.ends_on,
            "category": Pledge.Category.SOCIETY,
        },
    ]
    with pytest.raises(ValidationError) as excinfo:
        lifecycle.pledge_bulk_create(by=world.secretary_same.user, campaign=world.campaign, rows=rows)
    assert "李书记" in excinfo.value.messages[0]
    assert not Pledge.objects.exists()
    rows[1]["target"] = "完成 4 次志愿服务"
    created = lifecycle.pledge_bulk_create(
        by=world.secretary_same.user, campaign=world.campaign, rows=rows, submit=True
    )
    assert [p.status for p in created] == [S.SUBMITTED, S.SUBMITTED]
