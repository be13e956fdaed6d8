# ruff: noqa: E501  (the pledge catalogue is Chinese text: CJK characters count double)
"""Demo campaigns and pledges for `manage.py seed_demo` (after orgs.demo).

Creates the current campaign (2026) and last year's (2025, closed), and realistic pledges of the
grass-roots organizations and their members in every state, with progress updates, a few public
evidence photos and a move-by-move history. The campaign is deliberately uneven: some committees
pledge eagerly, others barely, and a few organizations (one township's enterprise branches, two
departments) have no pledge at all, for the supervisor's dashboard to expose.

Deterministic and idempotent: each owner's pledges come from a random generator seeded with the
campaign and the owner, and a pledge is keyed by (campaign, owner, title); a second run finds every
key in place and writes nothing. Bulk inserts throughout: a few seconds for the whole district.
"""

from __future__ import annotations

import datetime
import functools
import io
import random
import re
import zlib
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw

from campaign.models import Campaign, Phase
from orgs.models import Member, Organization, RoleAssignment, User

from .demo_catalogue import (
    CLOSING_LINES,
    EXPLANATIONS,
    MEMBER_PLEDGES,
    MEMBER_PLEDGES_COMMON,
    ORG_PLEDGES,
    PROGRESS_LINES,
    RETURN_REASONS,
    WITHDRAW_REASONS,
)
from .models import Evidence, Pledge, ProgressUpdate
from .models.progress import evidence_upload_to
from .services.evidence import THUMBNAIL_SIZE, thumbnail_name

S = Pledge.Status
C = Pledge.Category
Sector = Organization.Sector
D, SO, P = C.DEVELOPMENT, C.SOCIETY, C.PEOPLE

CURRENT = {
    "name": "2026年度创先争优活动",
    "theme": "拉高标杆追赶跨越，科学发展争当先锋",
    "starts_on": datetime.date(2026, 3, 1),
    "ends_on": datetime.date(2026, 12, 31),
    "phases": [
        ("第一阶段 学习先进创新业", datetime.date(2026, 3, 1), datetime.date(2026, 6, 30)),
        ("第二阶段 追赶先进比贡献", datetime.date(2026, 7, 1), datetime.date(2026, 12, 31)),
    ],
}
LAST_YEAR = {
    "name": "2025年度创先争优活动",
    "theme": "科学发展争当先锋",
    "starts_on": datetime.date(2025, 3, 1),
    "ends_on": datetime.date(2025, 12, 31),
    "phases": [
        ("第一阶段 学习先进创新业", datetime.date(2025, 3, 1), datetime.date(2025, 6, 30)),
        ("第二阶段 追赶先进比贡献", datetime.date(2025, 7, 1), datetime.date(2025, 12, 31)),
    ],
}

# Organizations with no pledge at all (matched on the code, for every --scale round):
# 西河镇's enterprise general branch and its branches, the housing bureau, the civil affairs bureau.
SILENT_CODES = re.compile(r"^(xh\d*-qyzzb|zjj\d*-|mzj\d*-)")
# How keen each committee is (share of members pledging, share of pledges kept): the uneven campaign.
ZEAL = {
    "dl": 0.8,
    "nh": 0.85,
    "jyj": 0.75,
    "wjj": 0.7,
    "bt": 0.65,
    "lx": 0.6,
    "gzw": 0.55,
    "nyj": 0.5,
    "xh": 0.45,
    "scj": 0.4,
    "fgzh": 0.35,
    "th": 0.3,
}
DEMO_BRANCH_CODE = "dl-shiqiao"

# Share of each final state, per campaign (the current one is seen late in the year).
CURRENT_STATES = [
    ("fulfilled", 34),
    ("published", 26),
    ("overdue", 9),
    ("claimed", 8),
    ("submitted", 7),
    ("returned", 4),
    ("draft", 8),
    ("withdrawn", 4),
]
LAST_YEAR_STATES = [("fulfilled", 84), ("overdue", 11), ("withdrawn", 5)]


@dataclass
class SeedSummary:
    campaigns: int = 0
    pledges: int = 0
    progress_updates: int = 0
    evidence: int = 0
    history: int = 0
    by_state: dict = field(default_factory=dict)

    def __str__(self):
        states = ", ".join(f"{k} {v}" for k, v in sorted(self.by_state.items()))
        return (
            f"campaigns +{self.campaigns}, pledges +{self.pledges} ({states or 'none new'}), "
            f"progress updates +{self.progress_updates}, evidence +{self.evidence}, history +{self.history}"
        )


@dataclass
class Plan:
    """One pledge to create, with its story (progress updates, history) decided up front."""

    pledge: Pledge
    state: str
    moves: list = field(default_factory=list)  # (datetime, reason, user_id, {field: value})
    updates: list = field(default_factory=list)  # (datetime, percent, text, user_id, with_photo)


def _stable_rng(*parts) -> random.Random:
    return random.Random(zlib.crc32("|".join(str(p) for p in parts).encode()))


def _aware(day: datetime.date, rng: random.Random) -> datetime.datetime:
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(rng.randint(8, 18), rng.randint(0, 59))))
    now = timezone.now()
    # Nothing happens in the future: a move "today" happened a little while ago.
    return moment if moment < now else now - datetime.timedelta(minutes=rng.randint(5, 120))


def _between(rng: random.Random, start: datetime.date, end: datetime.date) -> datetime.date:
    if end <= start:
        return start
    return start + datetime.timedelta(days=rng.randint(0, (end - start).days))


def _ensure_campaign(spec: dict, *, current: bool, summary: SeedSummary) -> Campaign:
    campaign = Campaign.objects.filter(name=spec["name"]).first()
    if campaign is None:
        if current:
            Campaign.objects.filter(is_current=True).update(is_current=False)
        campaign = Campaign.objects.create(
            name=spec["name"],
            theme=spec["theme"],
            starts_on=spec["starts_on"],
            ends_on=spec["ends_on"],
            is_current=current,
        )
        summary.campaigns += 1
    elif current and not campaign.is_current:
        Campaign.objects.filter(is_current=True).update(is_current=False)
        campaign.is_current = True
        campaign.save(update_fields=["is_current"])
    existing = set(campaign.phases.values_list("name", flat=True))
    Phase.objects.bulk_create(
        [Phase(campaign=campaign, name=n, starts_on=s, ends_on=e) for n, s, e in spec["phases"] if n not in existing]
    )
    return campaign


def _fill(template: tuple, rng: random.Random) -> tuple[str, str, str, str]:
    category, title, target, content = template
    n = rng.choice([3, 4, 5, 6, 8, 10, 12, 15, 20])
    m = max(2, min(n // 2 + rng.randint(0, 2), 9))
    values = {"n": n, "m": m}
    return category, title.format(**values), target.format(**values), content


def _owner_zeal(org: Organization) -> float:
    top = re.match(r"^([a-z]+)", org.code)
    return ZEAL.get(top.group(1) if top else "", 0.55)


class _Planner:
    def __init__(self, campaign: Campaign, *, today: datetime.date, supervisor_id: int | None, current: bool):
        self.campaign = campaign
        self.today = today
        self.supervisor_id = supervisor_id
        self.current = current
        # "Now" as far as this campaign is concerned: a closed campaign is seen from its end.
        self.now_day = min(today, campaign.ends_on) if current else campaign.ends_on + datetime.timedelta(days=20)

    def pick_state(self, rng: random.Random, zeal: float) -> str:
        table = CURRENT_STATES if self.current else LAST_YEAR_STATES
        weights = []
        for state, weight in table:
            if state == "fulfilled":
                weight *= 0.6 + zeal
            elif state == "overdue":
                weight *= 1.6 - zeal
            weights.append(weight)
        return rng.choices([s for s, _ in table], weights=weights)[0]

    def plan(
        self,
        *,
        rng,
        owner_org=None,
        owner_member=None,
        template,
        state,
        creator_id,
        approver_id,
        progress=None,
        deadline=None,
        photos=False,
    ) -> Plan:
        c = self.campaign
        start, end, now = c.starts_on, c.ends_on, self.now_day
        category, title, target, content = _fill(template, rng) if "{" in template[1] + template[2] else template
        channels = [Pledge.Channel.NOTICE_BOARD] + rng.sample(
            [Pledge.Channel.MEMBERS_MEETING, Pledge.Channel.ONLINE, Pledge.Channel.PRESS], rng.randint(0, 2)
        )
        pledge = Pledge(
            campaign=c,
            owner_org=owner_org,
            owner_member=owner_member,
            title=title[:100],
            content=content,
            target=target,
            category=category,
            channels=channels,
            created_by_id=creator_id,
        )
        public = state in ("published", "overdue", "claimed", "fulfilled", "withdrawn")
        if public:
            published = _between(rng, start + datetime.timedelta(days=8), min(start + datetime.timedelta(days=80), now))
            created = max(start - datetime.timedelta(days=5), published - datetime.timedelta(days=rng.randint(8, 20)))
            submitted = published - datetime.timedelta(days=rng.randint(2, 6))
        else:
            created = _between(rng, max(start, now - datetime.timedelta(days=40)), now)
            submitted = min(now, created + datetime.timedelta(days=rng.randint(1, 5)))
            published = None

        # Deadlines: inside the campaign, consistent with the state on `today`.
        if deadline is None:
            if state == "overdue":
                deadline = _between(
                    rng,
                    max(published + datetime.timedelta(days=30), start + datetime.timedelta(days=60)),
                    self.today - datetime.timedelta(days=1),
                )
                deadline = min(deadline, end)
            elif state == "published":
                deadline = _between(rng, min(self.today + datetime.timedelta(days=5), end), end)
            elif state == "claimed":
                deadline = _between(
                    rng, max(now - datetime.timedelta(days=5), start + datetime.timedelta(days=60)), end
                )
            elif state in ("fulfilled", "withdrawn"):
                deadline = _between(
                    rng, max(published + datetime.timedelta(days=40), start + datetime.timedelta(days=60)), end
                )
            else:
                deadline = _between(rng, min(now + datetime.timedelta(days=20), end), end)
        pledge.deadline = min(max(deadline, start), end)
        pledge.created_at = _aware(created, rng)

        plan = Plan(pledge=pledge, state=state)
        plan.moves.append((pledge.created_at, "create", creator_id, {"status": S.DRAFT, "progress": 0}))
        if state == "draft":
            pledge.status = S.DRAFT
            return plan
        pledge.submitted_at = _aware(submitted, rng)
        if pledge.submitted_at <= pledge.created_at:
            pledge.submitted_at = pledge.created_at + datetime.timedelta(hours=2)
        plan.moves.append((pledge.submitted_at, "submit", creator_id, {"status": S.SUBMITTED}))
        if state == "submitted":
            pledge.status = S.SUBMITTED
            return plan
        pledge.decided_by_id = approver_id
        if state == "returned":
            pledge.status = S.RETURNED
            pledge.return_reason = rng.choice(RETURN_REASONS)
            moment = min(pledge.submitted_at + datetime.timedelta(days=rng.randint(1, 3)), _aware(now, rng))
            plan.moves.append(
                (
                    max(moment, pledge.submitted_at + datetime.timedelta(hours=1)),
                    "return",
                    approver_id,
                    {"status": S.RETURNED, "return_reason": pledge.return_reason},
                )
            )
            return plan

        pledge.published_at = _aware(published, rng)
        plan.moves.append((pledge.published_at, "approve", approver_id, {"status": S.PUBLISHED}))

        # Progress updates between publication and completion (or today).
        if state in ("claimed", "fulfilled"):
            done_by = deadline if rng.random() < 0.88 else deadline + datetime.timedelta(days=rng.randint(3, 20))
            completed = _between(
                rng, published + datetime.timedelta(days=20), min(done_by, now - datetime.timedelta(days=1))
            )
            if state == "claimed":
                completed = _between(
                    rng, max(published + datetime.timedelta(days=10), now - datetime.timedelta(days=14)), now
                )
            final = 100
            report_until = completed
        elif state == "withdrawn":
            final = progress if progress is not None else rng.choice([0, 10, 20, 30])
            report_until = published + datetime.timedelta(days=40)
        else:
            final = progress if progress is not None else rng.choice([20, 30, 40, 50, 60, 70, 80])
            report_until = now
        steps = (
            sorted(rng.sample(range(10, final + 1, 10), min(rng.randint(1, 3), len(range(10, final + 1, 10)))))
            if final >= 10
            else []
        )
        if steps and steps[-1] != final:
            steps[-1] = final
        span_start = published + datetime.timedelta(days=5)
        days = sorted(_between(rng, span_start, max(span_start, report_until)) for _ in steps)
        for day, percent in zip(days, steps, strict=True):
            moment = max(_aware(day, rng), pledge.published_at + datetime.timedelta(hours=1))
            text = rng.choice(PROGRESS_LINES).format(p=percent)
            plan.updates.append((moment, percent, text, creator_id, photos))
        pledge.progress = final if (steps or final == 0) else 0
        if state == "withdrawn":
            pledge.status = S.WITHDRAWN
            pledge.withdraw_reason = rng.choice(WITHDRAW_REASONS)
            moment = _aware(min(published + datetime.timedelta(days=rng.randint(45, 90)), now), rng)
            plan.moves.append(
                (
                    max(moment, pledge.published_at + datetime.timedelta(days=1)),
                    "withdraw",
                    approver_id,
                    {"status": S.WITHDRAWN, "withdraw_reason": pledge.withdraw_reason},
                )
            )
            return plan
        if state in ("published", "overdue"):
            pledge.status = S.PUBLISHED
            if not self.current and state == "overdue":
                pledge.explanation = rng.choice(EXPLANATIONS)
                plan.moves.append((_aware(c.ends_on, rng), "explain", creator_id, {"explanation": pledge.explanation}))
            return plan
        pledge.completed_on = completed
        pledge.closing_statement = rng.choice(CLOSING_LINES)
        claim_moment = max(
            _aware(completed, rng),
            (plan.updates[-1][0] if plan.updates else pledge.published_at) + datetime.timedelta(hours=1),
        )
        plan.moves.append(
            (
                claim_moment,
                "claim",
                creator_id,
                {"status": S.CLAIMED, "completed_on": completed, "closing_statement": pledge.closing_statement},
            )
        )
        if state == "claimed":
            pledge.status = S.CLAIMED
            return plan
        pledge.status = S.FULFILLED
        verified = min(completed + datetime.timedelta(days=rng.randint(1, 10)), max(now, completed))
        pledge.fulfilled_at = max(_aware(verified, rng), claim_moment + datetime.timedelta(hours=2))
        plan.moves.append((pledge.fulfilled_at, "verify", self.supervisor_id or approver_id, {"status": S.FULFILLED}))
        return plan


def _demo_branch_plans(
    planner: _Planner, branch: Organization, members: list[Member], secretaries: dict, supervisor_id
) -> list[Plan]:
    """Hand-made pledges for the demo accounts' branch (石桥村党支部): every state, on the home pages."""
    rng = _stable_rng(planner.campaign.pk, "demo-branch")
    today, end = planner.today, planner.campaign.ends_on
    secretary_user = secretaries.get(branch.pk)
    by_username = {m.user.username: m for m in members}
    plans = []
    soon = min(today + datetime.timedelta(days=20), end)
    past = max(planner.campaign.starts_on + datetime.timedelta(days=60), today - datetime.timedelta(days=15))
    org_items = [
        (
            (
                P,
                "完成 12 户困难党员走访慰问",
                "走访慰问困难党员和困难群众 12 户，建立帮扶台账，帮助解决实际困难不少于 6 件",
                "支部委员分片包户，逐户走访，了解生产生活困难，能解决的当场解决，不能解决的登记上报、跟踪办理。",
            ),
            "published",
            60,
            soon,
            True,
        ),
        (
            (
                D,
                "硬化石桥至杏花组道路 1.5 公里",
                "完成石桥至杏花组道路硬化 1.5 公里，通过镇交通站验收",
                "争取项目资金，党员带头投工投劳，解决群众出行难问题。",
            ),
            "fulfilled",
            None,
            None,
            True,
        ),
        (
            (
                D,
                "建设村级电商服务站 1 个",
                "建成村级电商服务站 1 个，全年帮助农户网上销售农产品 20 万元",
                "利用闲置村部用房建设电商服务站，培训村民网上销售。",
            ),
            "claimed",
            None,
            None,
            True,
        ),
        (
            (
                P,
                "开展 4 次政策宣讲进院坝",
                "开展惠农政策宣讲 4 次，覆盖农户不少于 150 户",
                "党员干部走进院坝田间，宣讲惠农补贴、医保社保等政策。",
            ),
            "overdue",
            50,
            past,
            False,
        ),
        (
            (
                SO,
                "整治村内河塘 3 处",
                "清淤整治河塘 3 处，建立河塘长效管护制度 1 项",
                "组织党员志愿者开展河塘清淤和环境整治。",
            ),
            "draft",
            None,
            None,
            False,
        ),
        (
            (
                SO,
                "新建村级文化广场 1 处",
                "建成不少于 600 平方米的文化广场 1 处，组织文体活动 4 次",
                "整合项目资金建设文化广场，丰富群众文化生活。",
            ),
            "returned",
            None,
            None,
            False,
        ),
    ]
    for template, state, progress, deadline, photos in org_items:
        plans.append(
            planner.plan(
                rng=rng,
                owner_org=branch,
                template=template,
                state=state,
                progress=progress,
                deadline=deadline,
                creator_id=secretary_user,
                approver_id=supervisor_id,
                photos=photos,
            )
        )
    member = by_username.get("member")
    if member is not None:
        member_items = [
            (
                (
                    P,
                    "帮助 3 户群众申请农业补贴",
                    "帮助 3 户群众完成耕地地力保护补贴申请",
                    "熟悉政策，上门指导群众申报补贴。",
                ),
                "published",
                40,
                min(today + datetime.timedelta(days=12), end),
                True,
            ),
            (
                (SO, "参加 6 次村道路义务清扫", "参加村道路和公共区域义务清扫 6 次", "带头维护村容村貌。"),
                "fulfilled",
                None,
                None,
                False,
            ),
            (
                (
                    D,
                    "带动 2 户村民发展庭院经济",
                    "带动 2 户村民发展庭院种养，户均增收 3 千元",
                    "发挥自身种养经验，手把手传授技术。",
                ),
                "submitted",
                None,
                None,
                False,
            ),
            (
                (P, "为村里老人代办 10 件事", "为留守老人代购药品、代缴费用等 10 件", "关心留守老人生活。"),
                "overdue",
                70,
                max(planner.campaign.starts_on + datetime.timedelta(days=60), today - datetime.timedelta(days=8)),
                False,
            ),
            (
                (D, "学习掌握 2 项实用技能", "参加技能培训 2 次，取得相关证书 1 个", "加强学习，提高为民服务本领。"),
                "draft",
                None,
                None,
                False,
            ),
        ]
        for template, state, progress, deadline, photos in member_items:
            plans.append(
                planner.plan(
                    rng=rng,
                    owner_member=member,
                    template=template,
                    state=state,
                    progress=progress,
                    deadline=deadline,
                    creator_id=member.user_id,
                    approver_id=secretary_user,
                    photos=photos,
                )
            )
    secretary = by_username.get("secretary")
    if secretary is not None:
        plans.append(
            planner.plan(
                rng=rng,
                owner_member=secretary,
                template=(
                    P,
                    "结对帮扶 3 户困难群众",
                    "每月至少走访 1 次，帮助 3 户困难群众解决实际困难 6 件",
                    "与困难群众结对。",
                ),
                state="published",
                progress=50,
                creator_id=secretary.user_id,
                approver_id=supervisor_id,
            )
        )
    # Other members of the branch: several waiting for the secretary's approval, the rest in any state.
    others = [m for m in members if m.user.username not in ("member", "secretary")]
    for index, other in enumerate(others):
        member_rng = _stable_rng(planner.campaign.pk, "member", other.pk)
        template = member_rng.choice(MEMBER_PLEDGES[Sector.VILLAGE] + MEMBER_PLEDGES_COMMON)
        state = "submitted" if index < 3 else planner.pick_state(member_rng, 0.8)
        plans.append(
            planner.plan(
                rng=member_rng,
                owner_member=other,
                template=template,
                state=state,
                creator_id=other.user_id,
                approver_id=secretary_user,
            )
        )
    return plans


def _plans_for(
    planner: _Planner, org: Organization, members: list[Member], secretaries: dict, supervisor_id, photo_every: int
) -> list[Plan]:
    if SILENT_CODES.match(org.code):
        return []
    campaign = planner.campaign
    if planner.current and org.code == DEMO_BRANCH_CODE:
        return _demo_branch_plans(planner, org, members, secretaries, supervisor_id)
    zeal = _owner_zeal(org)
    rng = _stable_rng(campaign.pk, "org", org.code)
    secretary_user = secretaries.get(org.pk)
    plans = []
    if secretary_user is None:
        return plans
    catalogue = ORG_PLEDGES.get(org.sector) or ORG_PLEDGES[Sector.GOVERNMENT]
    count = 1 + (rng.random() < zeal) + (rng.random() < zeal * 0.7) + (rng.random() < zeal * 0.3)
    for template in rng.sample(catalogue, min(count, len(catalogue))):
        plans.append(
            planner.plan(
                rng=rng,
                owner_org=org,
                template=template,
                state=planner.pick_state(rng, zeal),
                creator_id=secretary_user,
                approver_id=supervisor_id,
                photos=rng.randrange(photo_every) == 0,
            )
        )
    member_catalogue = MEMBER_PLEDGES.get(org.sector, []) + MEMBER_PLEDGES_COMMON
    for member in members:
        member_rng = _stable_rng(campaign.pk, "member", member.pk)
        if member_rng.random() > zeal:
            continue
        how_many = 2 if member_rng.random() < 0.2 else 1
        approver = secretary_user if member.user_id != secretary_user else supervisor_id
        for template in member_rng.sample(member_catalogue, how_many):
            plans.append(
                planner.plan(
                    rng=member_rng,
                    owner_member=member,
                    template=template,
                    state=planner.pick_state(member_rng, zeal),
                    creator_id=member.user_id,
                    approver_id=approver,
                    photos=member_rng.randrange(photo_every * 4) == 0,
                )
            )
    return plans


_PALETTE = [(200, 22, 29), (46, 125, 50), (21, 101, 192), (239, 108, 0), (106, 27, 154), (0, 121, 107)]


@functools.cache
def _photo(seed: int) -> bytes:
    """A small, plain evidence 'photo' (no text, so no font needed): a few shapes on a coloured ground."""
    rng = random.Random(seed)
    image = Image.new("RGB", (320, 220), rng.choice(_PALETTE))
    draw = ImageDraw.Draw(image)
    for _ in range(5):
        x, y = rng.randint(0, 280), rng.randint(0, 180)
        draw.rectangle(
            [x, y, x + rng.randint(30, 120), y + rng.randint(20, 80)],
            fill=rng.choice(_PALETTE),
            outline=(255, 255, 255),
        )
    draw.ellipse([230, 20, 290, 80], fill=(255, 213, 79))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


@functools.cache
def _thumb(data: bytes) -> bytes:
    with Image.open(io.BytesIO(data)) as image:
        image.thumbnail(THUMBNAIL_SIZE)
        out = io.BytesIO()
        image.convert("RGB").save(out, "JPEG", quality=72)
    return out.getvalue()


@contextmanager
def _keep_created_at(*models):
    """Let bulk_create store our past `created_at` values instead of now (auto_now_add), for this seed only."""
    fields = [model._meta.get_field("created_at") for model in models]
    for item in fields:
        item.auto_now_add = False
    try:
        yield
    finally:
        for item in fields:
            item.auto_now_add = True


def _history_rows(plans: list[Plan]) -> list:
    """One historical row per move, each a snapshot of the pledge after that move."""
    Historical = Pledge.history.model
    names = [f.attname for f in Pledge._meta.concrete_fields if f.name != "updated_at"]
    rows = []
    for plan in plans:
        final = {name: getattr(plan.pledge, name) for name in names}
        snapshot = dict(final)
        # Start from the blank draft and apply each move's changes.
        for blank in ("submitted_at", "decided_by_id", "published_at", "completed_on", "fulfilled_at"):
            snapshot[blank] = None
        for text_field in ("return_reason", "closing_statement", "withdraw_reason", "explanation"):
            snapshot[text_field] = ""
        version = 0
        for moment, reason, user_id, changes in sorted(plan.moves, key=lambda move: move[0]):
            version += 1
            snapshot.update(changes)
            if reason == "submit":
                snapshot["submitted_at"] = final["submitted_at"]
                snapshot["return_reason"] = ""
            elif reason in ("approve", "return"):
                snapshot["decided_by_id"] = final["decided_by_id"]
                if reason == "approve":
                    snapshot["published_at"] = final["published_at"]
            elif reason == "verify":
                snapshot["fulfilled_at"] = final["fulfilled_at"]
            # Progress as reported by the time of this move.
            reported = [update[1] for update in plan.updates if update[0] <= moment]
            snapshot["progress"] = reported[-1] if reported else 0
            if snapshot["status"] in (S.CLAIMED, S.FULFILLED):
                snapshot["progress"] = 100
            snapshot["version"] = version
            rows.append(
                Historical(
                    **snapshot,
                    history_date=moment,
                    history_type="+" if reason == "create" else "~",
                    history_user_id=user_id,
                    history_change_reason=reason,
                )
            )
        plan.pledge.version = max(version, 1)
    return rows


@transaction.atomic
def seed(*, scale: int = 1, stdout=None) -> SeedSummary:
    summary = SeedSummary()
    write = stdout.write if stdout is not None else (lambda text: None)
    last_year = _ensure_campaign(LAST_YEAR, current=False, summary=summary)
    current = _ensure_campaign(CURRENT, current=True, summary=summary)
    if last_year.is_current:
        last_year.is_current = False
        last_year.save(update_fields=["is_current"])

    supervisor_id = User.objects.filter(username="supervisor").values_list("pk", flat=True).first()
    secretaries: dict[int, int] = {}
    for org_id, user_id in (
        RoleAssignment.objects.filter(role=RoleAssignment.Role.SECRETARY)
        .order_by("created_at", "pk")
        .values_list("organization_id", "user_id")
    ):
        secretaries.setdefault(org_id, user_id)
    # The demo branch's secretary is the demo account, whatever order the roles were created in.
    demo_secretary = User.objects.filter(username="secretary").values_list("pk", flat=True).first()
    demo_branch = Organization.objects.filter(code=DEMO_BRANCH_CODE).first()
    if demo_secretary and demo_branch:
        secretaries[demo_branch.pk] = demo_secretary

    grassroots = list(Organization.objects.grassroots().active().order_by("path"))
    members_by_org: dict[int, list[Member]] = {}
    for member in Member.objects.active().filter(organization__in=grassroots).select_related("user").order_by("pk"):
        members_by_org.setdefault(member.organization_id, []).append(member)
    existing = set(
        Pledge.objects.filter(campaign__in=[current, last_year]).values_list(
            "campaign_id", "owner_org_id", "owner_member_id", "title"
        )
    )
    today = timezone.localdate()
    plans: list[Plan] = []
    for campaign, is_current in ((last_year, False), (current, True)):
        planner = _Planner(campaign, today=today, supervisor_id=supervisor_id, current=is_current)
        for index, org in enumerate(grassroots, start=1):
            for plan in _plans_for(
                planner,
                org,
                members_by_org.get(org.pk, []),
                secretaries,
                supervisor_id,
                photo_every=6 if is_current else 12,
            ):
                p = plan.pledge
                if (p.campaign_id, p.owner_org_id, p.owner_member_id, p.title) in existing:
                    continue
                existing.add((p.campaign_id, p.owner_org_id, p.owner_member_id, p.title))
                plans.append(plan)
            if index % 50 == 0:
                write(f"  {campaign.name}: planned pledges for {index}/{len(grassroots)} organizations")
    if not plans:
        write("  pledges: everything already in place")
        return summary

    history = _history_rows(plans)
    with _keep_created_at(Pledge, ProgressUpdate, Evidence):
        pledges = Pledge.objects.bulk_create([plan.pledge for plan in plans], batch_size=500)
        for plan, row in _attach(plans, history):
            row.id = plan.pledge.pk
        Pledge.history.model.objects.bulk_create(history, batch_size=1000)
        summary.pledges = len(pledges)
        summary.history = len(history)
        for plan in plans:
            summary.by_state[plan.state] = summary.by_state.get(plan.state, 0) + 1
        write(f"  pledges +{len(pledges)}, history rows +{len(history)}")

        updates = [
            ProgressUpdate(pledge=plan.pledge, percent=percent, text=text, created_by_id=user_id, created_at=moment)
            for plan in plans
            for moment, percent, text, user_id, _photos in plan.updates
        ]
        ProgressUpdate.objects.bulk_create(updates, batch_size=1000)
        summary.progress_updates = len(updates)
        write(f"  progress updates +{len(updates)}")

        evidence = []
        for update, (moment, _percent, _text, user_id, photos) in zip(
            updates, (u for plan in plans for u in plan.updates), strict=True
        ):
            if not photos:
                continue
            data = _photo(update.pk % 24)  # two dozen distinct pictures are plenty
            item = Evidence(
                pledge=update.pledge,
                progress_update=update,
                original_name=f"现场照片{update.pk}.png",
                content_type="image/png",
                extension="png",
                size=len(data),
                is_public=True,
                uploaded_by_id=user_id,
                created_at=moment,
            )
            item.file.name = default_storage.save(evidence_upload_to(item, "photo.png"), ContentFile(data))
            default_storage.save(thumbnail_name(item.file.name), ContentFile(_thumb(data)))
            evidence.append(item)
        Evidence.objects.bulk_create(evidence, batch_size=500)
    summary.evidence = len(evidence)
    write(f"  evidence photos +{len(evidence)}")
    return summary


def _attach(plans: list[Plan], history: list):
    """Pair each history row with its plan (rows were built plan by plan, in order)."""
    position = 0
    for plan in plans:
        for _ in plan.moves:
            yield plan, history[position]
            position += 1
