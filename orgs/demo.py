"""Demo district for `manage.py seed_demo`: a fictional 青山区 with its party organizations and members.

Deterministic (a fixed random seed) and idempotent: organizations are keyed by code and people by
username, so a second run finds everything in place and creates nothing.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction

from .models import Member, Organization, RoleAssignment, User

DEMO_PASSWORD = "demo12345"

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN = (
    "伟 芳 娜 敏 静 丽 强 磊 军 洋 勇 艳 杰 娟 涛 明 超 秀英 霞 平 刚 桂英 建华 建国 建军 志强 志明 海燕 红梅 "
    "玉兰 春梅 国庆 国华 德明 文彬 晓东 晓燕 宏伟 振华 永强 桂兰 淑珍 凤英 玉梅 秀兰 立新 卫东 爱民 新民 "
    "金凤 丽华 明亮 浩然 子豪 雨涵 欣怡 梓萱 思远 嘉怡 俊杰 文静 春华 秋菊 冬梅 长青 福生 有才 守仁 兴旺"
).split()

Kind = Organization.Kind
Sector = Organization.Sector

# (code, name, kind, sector, [(suffix, grass-roots name, kind, sector), ...])
TOWNSHIPS = [
    (
        "dl",
        "东岭镇党委",
        Kind.COMMITTEE,
        Sector.VILLAGE,
        "东岭",
        ["石桥", "杏花", "上塘", "下塘", "枫林", "竹园", "龙泉", "大湾"],
    ),
    (
        "xh",
        "西河镇党委",
        Kind.COMMITTEE,
        Sector.VILLAGE,
        "西河",
        ["河口", "沙洲", "柳营", "新庄", "双井", "黄土岭", "白鹤"],
    ),
    ("th", "桃源乡党委", Kind.COMMITTEE, Sector.VILLAGE, "桃源", ["桃花坞", "梨园", "青石", "云台", "松坡", "牛角湾"]),
    (
        "lx",
        "柳溪镇党委",
        Kind.COMMITTEE,
        Sector.VILLAGE,
        "柳溪",
        ["溪口", "上坪", "下坪", "茶山", "凤凰", "金鸡", "长冲"],
    ),
    (
        "nh",
        "南湖街道党工委",
        Kind.WORKING_COMMITTEE,
        Sector.COMMUNITY,
        "南湖",
        ["湖滨", "翠苑", "锦绣", "和平里", "文昌", "春晖", "望湖"],
    ),
    (
        "bt",
        "北塘街道党工委",
        Kind.WORKING_COMMITTEE,
        Sector.COMMUNITY,
        "北塘",
        ["新华", "解放路", "工人村", "幸福里", "育才", "光明"],
    ),
]

DEPARTMENTS = [
    (
        "jyj",
        "区教育局党组",
        Kind.LEADING_GROUP,
        Sector.GOVERNMENT,
        [
            ("第一中学", Sector.SCHOOL),
            ("实验小学", Sector.SCHOOL),
            ("第二中学", Sector.SCHOOL),
            ("职业技术学校", Sector.SCHOOL),
            ("东岭中心小学", Sector.SCHOOL),
            ("局机关", Sector.GOVERNMENT),
        ],
    ),
    (
        "wjj",
        "区卫生健康局党委",
        Kind.COMMITTEE,
        Sector.GOVERNMENT,
        [
            ("区人民医院", Sector.HOSPITAL),
            ("区中医院", Sector.HOSPITAL),
            ("妇幼保健院", Sector.HOSPITAL),
            ("疾控中心", Sector.INSTITUTION),
            ("局机关", Sector.GOVERNMENT),
        ],
    ),
    (
        "zjj",
        "区住房和城乡建设局党组",
        Kind.LEADING_GROUP,
        Sector.GOVERNMENT,
        [("局机关第一", Sector.GOVERNMENT), ("局机关第二", Sector.GOVERNMENT), ("城建档案馆", Sector.INSTITUTION)],
    ),
    (
        "nyj",
        "区农业农村局党组",
        Kind.LEADING_GROUP,
        Sector.GOVERNMENT,
        [
            ("局机关", Sector.GOVERNMENT),
            ("农技推广站", Sector.INSTITUTION),
            ("青山果蔬专业合作社", Sector.COOPERATIVE),
            ("绿源茶叶专业合作社", Sector.COOPERATIVE),
            ("丰收粮食专业合作社", Sector.COOPERATIVE),
        ],
    ),
    (
        "gzw",
        "区国资委党委",
        Kind.COMMITTEE,
        Sector.GOVERNMENT,
        [
            ("城投集团", Sector.STATE_ENTERPRISE),
            ("水务公司", Sector.STATE_ENTERPRISE),
            ("公交公司", Sector.STATE_ENTERPRISE),
            ("粮食储备公司", Sector.STATE_ENTERPRISE),
            ("旅游开发公司", Sector.STATE_ENTERPRISE),
        ],
    ),
    (
        "scj",
        "区市场监督管理局党组",
        Kind.LEADING_GROUP,
        Sector.GOVERNMENT,
        [("局机关", Sector.GOVERNMENT), ("东岭市场监管所", Sector.GOVERNMENT), ("南湖市场监管所", Sector.GOVERNMENT)],
    ),
    (
        "mzj",
        "区民政局党组",
        Kind.LEADING_GROUP,
        Sector.GOVERNMENT,
        [("局机关", Sector.GOVERNMENT), ("社会福利院", Sector.INSTITUTION), ("救助管理站", Sector.INSTITUTION)],
    ),
    (
        "fgzh",
        "区非公有制经济组织和社会组织综合党委",
        Kind.COMMITTEE,
        Sector.PRIVATE_ENTERPRISE,
        [
            ("青山机械有限公司", Sector.PRIVATE_ENTERPRISE),
            ("华辰电子科技有限公司", Sector.PRIVATE_ENTERPRISE),
            ("鑫源建材有限公司", Sector.PRIVATE_ENTERPRISE),
            ("恒达物流有限公司", Sector.PRIVATE_ENTERPRISE),
            ("绿野食品有限公司", Sector.PRIVATE_ENTERPRISE),
            ("区律师协会", Sector.SOCIAL_ORGANIZATION),
            ("区个体劳动者协会", Sector.SOCIAL_ORGANIZATION),
            ("阳光志愿者协会", Sector.SOCIAL_ORGANIZATION),
            ("区商会", Sector.SOCIAL_ORGANIZATION),
            ("新星培训学校", Sector.SOCIAL_ORGANIZATION),
        ],
    ),
]

DEMO_BRANCH_CODE = "dl-shiqiao"  # 东岭镇石桥村党支部: the demo secretary's and member's branch


@dataclass
class SeedSummary:
    organizations: int = 0
    members: int = 0
    users: int = 0

    def __str__(self):
        return f"organizations +{self.organizations}, members +{self.members}, users +{self.users}"


def _pinyin_code(prefix: str, index: int) -> str:
    return f"{prefix}-{index:02d}"


def _add_child(parent: Organization, *, code: str, name: str, kind: str, sector: str, summary: SeedSummary):
    existing = Organization.objects.filter(code=code).first()
    if existing is not None:
        return existing
    summary.organizations += 1
    return Organization.objects.add_child(
        parent, create_kwargs={"code": code, "name": name, "kind": kind, "sector": sector}
    )


def _district_plan(scale: int):
    """Yield (parent code or None, code, name, kind, sector) for the whole district, parents first."""
    yield None, "qsq", "中共青山区委员会", Kind.DISTRICT_COMMITTEE, Sector.GOVERNMENT
    village_codes = {
        "石桥": "shiqiao",
    }
    for round_ in range(scale):
        tag = "" if round_ == 0 else f"{round_ + 1}"
        for code, name, kind, sector, place, units in TOWNSHIPS:
            committee_code = f"{code}{tag}"
            committee_name = name if not tag else name.replace(place, f"{place}{tag}")
            yield "qsq", committee_code, committee_name, kind, sector
            unit_word = "村" if sector == Sector.VILLAGE else "社区"
            # Each township has one general branch grouping its enterprises, with four branches under it.
            for index, unit in enumerate(units, start=1):
                unit_code = f"{committee_code}-{village_codes.get(unit, f'{index:02d}')}"
                yield committee_code, unit_code, f"{unit}{tag}{unit_word}党支部", Kind.BRANCH, sector
            general_code = f"{committee_code}-qyzzb"
            yield (
                committee_code,
                general_code,
                f"{place}{tag}企业党总支",
                Kind.GENERAL_BRANCH,
                Sector.PRIVATE_ENTERPRISE,
            )
            for index in (1, 2, 3, 4):
                yield (
                    general_code,
                    f"{general_code}-{index}",
                    f"{place}{tag}企业党总支第{'一二三四'[index - 1]}支部",
                    Kind.BRANCH,
                    Sector.PRIVATE_ENTERPRISE,
                )
        for code, name, kind, sector, units in DEPARTMENTS:
            dept_code = f"{code}{tag}"
            yield "qsq", dept_code, name if not tag else f"{name}（{tag}）", kind, sector
            for index, (unit, unit_sector) in enumerate(units, start=1):
                yield dept_code, f"{dept_code}-{index:02d}", f"{unit}{tag}党支部", Kind.BRANCH, unit_sector


def _random_name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


@transaction.atomic
def seed(*, scale: int = 1, stdout=None) -> SeedSummary:
    rng = random.Random(20260701)
    summary = SeedSummary()
    by_code: dict[str, Organization] = {o.code: o for o in Organization.objects.all()}
    plan = list(_district_plan(scale))
    for index, (parent_code, code, name, kind, sector) in enumerate(plan, start=1):
        if code in by_code:
            continue
        if parent_code is None:
            by_code[code] = Organization.objects.add_root(
                create_kwargs={"code": code, "name": name, "kind": kind, "sector": sector}
            )
            summary.organizations += 1
        else:
            by_code[code] = _add_child(
                by_code[parent_code], code=code, name=name, kind=kind, sector=sector, summary=summary
            )
        if stdout is not None and index % 200 == 0:
            stdout.write(f"  organizations {index}/{len(plan)}")

    _seed_members(by_code, rng, scale, summary, stdout)
    _seed_demo_accounts(by_code, summary)
    return summary


def _seed_members(by_code, rng, scale, summary, stdout):
    """About a dozen members per grass-roots organization, each with a login `m<org id>-<n>`."""
    password_hash = make_password(DEMO_PASSWORD)
    grassroots = sorted(Organization.objects.grassroots(), key=lambda o: o.code)
    existing_usernames = set(User.objects.filter(username__startswith="m").values_list("username", flat=True))
    new_users, new_members = [], []
    for org in grassroots:
        size = rng.randint(9, 18)
        for n in range(1, size + 1):
            username = f"m{org.code}-{n:02d}"
            name = _random_name(rng)
            phone = f"13{rng.randint(100000000, 999999999)}"
            if username in existing_usernames:
                continue
            position = (
                Member.Position.SECRETARY
                if n == 1
                else (Member.Position.COMMITTEE_MEMBER if n <= 3 else Member.Position.MEMBER)
            )
            user = User(username=username, full_name=name, phone=phone, password=password_hash)
            new_users.append(user)
            new_members.append(Member(user=user, name=name, organization=org, position=position, phone=phone))
    if new_users:
        User.objects.bulk_create(new_users, batch_size=1000)
        by_username = dict(
            User.objects.filter(username__in=[u.username for u in new_users]).values_list("username", "pk")
        )
        for member in new_members:
            member.user_id = by_username[member.user.username]
        Member.objects.bulk_create(new_members, batch_size=1000)
        summary.users += len(new_users)
        summary.members += len(new_members)
        # Each branch's first member is its secretary.
        secretaries = [
            RoleAssignment(user_id=m.user_id, role=RoleAssignment.Role.SECRETARY, organization=m.organization)
            for m in new_members
            if m.position == Member.Position.SECRETARY
        ]
        RoleAssignment.objects.bulk_create(secretaries, ignore_conflicts=True)
    if stdout is not None:
        stdout.write(f"  members +{len(new_members)}")


def _demo_user(username: str, full_name: str, summary: SeedSummary, **extra) -> User:
    user, created = User.objects.get_or_create(username=username, defaults={"full_name": full_name, **extra})
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
        summary.users += 1
    return user


def _seed_demo_accounts(by_code, summary):
    district = by_code["qsq"]
    branch = by_code[DEMO_BRANCH_CODE]

    _demo_user("admin", "系统管理员", summary, is_staff=True, is_superuser=True)

    supervisor = _demo_user("supervisor", "周建华", summary)
    RoleAssignment.objects.get_or_create(
        user=supervisor,
        role=RoleAssignment.Role.SUPERVISOR,
        organization=district,
        defaults={"title": "区委组织部副部长"},
    )

    secretary = _demo_user("secretary", "李秀英", summary, phone="13900000001")
    if not hasattr(secretary, "member"):
        Member.objects.create(
            user=secretary, name="李秀英", organization=branch, position=Member.Position.SECRETARY, phone="13900000001"
        )
        summary.members += 1
    # The demo branch has exactly one secretary: the demo account.
    RoleAssignment.objects.filter(role=RoleAssignment.Role.SECRETARY, organization=branch).exclude(
        user=secretary
    ).delete()
    Member.objects.filter(organization=branch, position=Member.Position.SECRETARY).exclude(user=secretary).update(
        position=Member.Position.COMMITTEE_MEMBER
    )
    RoleAssignment.objects.get_or_create(
        user=secretary, role=RoleAssignment.Role.SECRETARY, organization=branch, defaults={"title": "村党支部书记"}
    )

    member = _demo_user("member", "王建国", summary, phone="13900000002")
    if not hasattr(member, "member"):
        Member.objects.create(user=member, name="王建国", organization=branch, phone="13900000002")
        summary.members += 1
