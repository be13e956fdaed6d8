"""A small district for tests, with one person in every role of the access matrix.

district (区委)
├── township_a (党委)            supervisor_above supervises it
│   ├── branch_a1 (党支部)       secretary_same leads it; member belongs to it
│   └── branch_a2 (党支部)       secretary_other leads it; other_member belongs to it
└── township_b (党委)            supervisor_sibling supervises it
    └── branch_b1 (党支部)
"""

from __future__ import annotations

import datetime
from types import SimpleNamespace

from orgs.models import Member, Organization, RoleAssignment, User

PASSWORD = "test-pass-123"

ROLES = (
    "anonymous",
    "member",
    "secretary_same",
    "secretary_other",
    "supervisor_above",
    "supervisor_sibling",
    "admin",
)


def make_user(username: str, **extra) -> User:
    user = User(username=username, full_name=extra.pop("full_name", username), **extra)
    user.set_password(PASSWORD)
    user.save()
    return user


def make_member(org: Organization, username: str, *, name: str | None = None, position=Member.Position.MEMBER):
    user = make_user(username, full_name=name or username)
    return Member.objects.create(user=user, name=name or username, organization=org, position=position)


def add_org(parent: Organization, **fields) -> Organization:
    return Organization.objects.add_child(parent, create_kwargs=fields)


def build_world() -> SimpleNamespace:
    from campaign.models import Campaign, Phase

    district = Organization.objects.add_root(
        create_kwargs={"code": "district", "name": "测试区委", "kind": Organization.Kind.DISTRICT_COMMITTEE}
    )
    township_a = add_org(district, code="town-a", name="甲镇党委", kind=Organization.Kind.COMMITTEE)
    township_b = add_org(district, code="town-b", name="乙镇党委", kind=Organization.Kind.COMMITTEE)
    branch_a1 = add_org(
        township_a, code="a1", name="甲一村党支部", kind=Organization.Kind.BRANCH, sector=Organization.Sector.VILLAGE
    )
    branch_a2 = add_org(
        township_a, code="a2", name="甲二村党支部", kind=Organization.Kind.BRANCH, sector=Organization.Sector.VILLAGE
    )
    branch_b1 = add_org(
        township_b,
        code="b1",
        name="乙一社区党支部",
        kind=Organization.Kind.BRANCH,
        sector=Organization.Sector.COMMUNITY,
    )

    member = make_member(branch_a1, "member", name="张党员")
    other_member = make_member(branch_a2, "other_member", name="赵党员")
    b1_member = make_member(branch_b1, "b1_member", name="钱党员")
    secretary_same = make_member(branch_a1, "secretary_same", name="李书记", position=Member.Position.SECRETARY)
    secretary_other = make_member(branch_a2, "secretary_other", name="王书记", position=Member.Position.SECRETARY)
    RoleAssignment.objects.create(user=secretary_same.user, role="secretary", organization=branch_a1)
    RoleAssignment.objects.create(user=secretary_other.user, role="secretary", organization=branch_a2)
    supervisor_above = make_user("supervisor_above", full_name="周督导")
    supervisor_sibling = make_user("supervisor_sibling", full_name="吴督导")
    RoleAssignment.objects.create(user=supervisor_above, role="supervisor", organization=township_a, title="组织委员")
    RoleAssignment.objects.create(user=supervisor_sibling, role="supervisor", organization=township_b)
    admin = make_user("admin", is_superuser=True, is_staff=True, full_name="管理员")

    today = datetime.date.today()
    campaign = Campaign.objects.create(
        name="测试活动",
        theme="拉高标杆追赶跨越，科学发展争当先锋",
        starts_on=today - datetime.timedelta(days=90),
        ends_on=today + datetime.timedelta(days=180),
        is_current=True,
    )
    Phase.objects.create(campaign=campaign, name="第一阶段 学习先进创新业", starts_on=campaign.starts_on, ends_on=today)
    Phase.objects.create(campaign=campaign, name="第二阶段 追赶先进比贡献", starts_on=today, ends_on=campaign.ends_on)

    users = {
        "anonymous": None,
        "member": member.user,
        "secretary_same": secretary_same.user,
        "secretary_other": secretary_other.user,
        "supervisor_above": supervisor_above,
        "supervisor_sibling": supervisor_sibling,
        "admin": admin,
    }
    return SimpleNamespace(
        district=Organization.objects.get(pk=district.pk),
        township_a=Organization.objects.get(pk=township_a.pk),
        township_b=Organization.objects.get(pk=township_b.pk),
        branch_a1=branch_a1,
        branch_a2=branch_a2,
        branch_b1=branch_b1,
        member=member,
        other_member=other_member,
        b1_member=b1_member,
        secretary_same=secretary_same,
        secretary_other=secretary_other,
        supervisor_above=supervisor_above,
        supervisor_sibling=supervisor_sibling,
        admin=admin,
        campaign=campaign,
        users=users,
    )
