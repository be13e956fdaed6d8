"""Demo supervision and evaluation for `manage.py seed_demo` (the last step): leader reviews,
public ratings (with comments, some waiting for the demo secretary of dl-shiqiao), inspections and
rectification items.

Deterministic and idempotent: choices come from generators seeded with each pledge's or
organization's key; ratings are keyed by (pledge, browser token), reviews by (pledge or
organization, reviewer), inspections by (organization, date, kind). A second run writes nothing.
"""

from __future__ import annotations

import datetime
import random
import zlib
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from campaign.models import Campaign
from orgs.models import Organization, User
from pledges.models import Pledge, Rating, Review

from .models import Inspection, RectificationItem

DEMO_BRANCH = "dl-shiqiao"

REVIEW_TEXTS = {
    Review.Grade.EXCELLENT: [
        "承诺具体、措施扎实，群众认可度高，值得推广。",
        "目标量化清晰，进度公开及时，起到了示范带动作用。",
    ],
    Review.Grade.GOOD: ["推进有序，建议进一步细化时间节点。", "总体较好，过程资料要及时上传公开栏。"],
    Review.Grade.FAIR: ["进度偏慢，请对照时限抓紧推进。", "承诺内容较笼统，建议补充可衡量的具体目标。"],
    Review.Grade.POOR: ["至今未见实质进展，请说明情况并制定整改措施。"],
}
COMMENTS = {
    Rating.Choice.SATISFIED: [
        "村里的路灯修好了，晚上出门方便多了！",
        "党员上门帮忙办医保，很贴心。",
        "说到做到，点赞。",
    ],
    Rating.Choice.BASICALLY_SATISFIED: ["做得不错，希望能坚持下去。", "进度还可以，期待早日完成。"],
    Rating.Choice.DISSATISFIED: ["公开栏好久没更新了。", "承诺的事情还没看到动静。"],
}


@dataclass
class Summary:
    reviews: int = 0
    ratings: int = 0
    inspections: int = 0
    items: int = 0

    def __str__(self):
        return (
            f"reviews +{self.reviews}, ratings +{self.ratings}, "
            f"inspections +{self.inspections}, rectification items +{self.items}"
        )


def _rng(*key) -> random.Random:
    return random.Random(zlib.crc32("|".join(map(str, key)).encode()))


@transaction.atomic
def seed(*, scale: int = 1, stdout=None) -> Summary:
    summary = Summary()
    supervisor = User.objects.filter(username="supervisor").first()
    if supervisor is None:
        return summary
    for campaign in Campaign.objects.all():
        _seed_reviews(campaign, supervisor, summary)
        _seed_ratings(campaign, summary)
    current = Campaign.objects.current()
    if current is not None:
        _seed_inspections(current, supervisor, summary)
    return summary


def _grade(rng: random.Random, pledge_status: str) -> str:
    if pledge_status == Pledge.Status.FULFILLED:
        return rng.choice([Review.Grade.EXCELLENT, Review.Grade.EXCELLENT, Review.Grade.GOOD])
    return rng.choice([Review.Grade.GOOD, Review.Grade.GOOD, Review.Grade.FAIR, Review.Grade.POOR])


def _seed_reviews(campaign, supervisor, summary):
    already = set(
        Review.objects.filter(campaign=campaign, reviewer=supervisor).values_list("pledge_id", "organization_id")
    )
    rows = []
    pledges = Pledge.objects.public().filter(campaign=campaign).with_owner().order_by("pk")
    for pledge in pledges.iterator(chunk_size=2000):
        rng = _rng("review", campaign.pk, pledge.pk)
        demo = (pledge.owner_org and pledge.owner_org.code == DEMO_BRANCH) or (
            pledge.owner_member_id and pledge.owner_member.organization.code == DEMO_BRANCH
        )
        if (pledge.pk, None) in already or not (demo or rng.random() < 0.18):
            continue
        grade = _grade(rng, pledge.status)
        rows.append(
            Review(
                campaign=campaign,
                pledge=pledge,
                reviewer=supervisor,
                reviewer_title="区委组织部副部长",
                grade=grade,
                comment=rng.choice(REVIEW_TEXTS[grade]),
            )
        )
    for org in Organization.objects.grassroots().order_by("path"):
        rng = _rng("org-review", campaign.pk, org.code)
        if (None, org.pk) in already or not (org.code == DEMO_BRANCH or rng.random() < 0.2):
            continue
        grade = rng.choice([Review.Grade.EXCELLENT, Review.Grade.GOOD, Review.Grade.GOOD, Review.Grade.FAIR])
        rows.append(
            Review(
                campaign=campaign,
                organization=org,
                reviewer=supervisor,
                reviewer_title="区委组织部副部长",
                grade=grade,
                comment=rng.choice(REVIEW_TEXTS[grade]),
            )
        )
    Review.objects.bulk_create(rows, batch_size=1000)
    summary.reviews += len(rows)


def _seed_ratings(campaign, summary):
    existing = Rating.objects.filter(pledge__campaign=campaign).count()
    rows = []
    pledges = Pledge.objects.public().filter(campaign=campaign).with_owner().order_by("pk")
    for pledge in pledges.iterator(chunk_size=2000):
        rng = _rng("ratings", campaign.pk, pledge.pk)
        org_code = pledge.owner_organization.code
        demo = org_code == DEMO_BRANCH
        count = rng.randint(3, 9) if demo else rng.choice([0, 0, 1, 2, 3, 4, 6])
        good = 0.75 if pledge.status == Pledge.Status.FULFILLED else 0.5
        for index in range(count):
            roll = rng.random()
            choice = (
                Rating.Choice.SATISFIED
                if roll < good
                else Rating.Choice.BASICALLY_SATISFIED
                if roll < good + 0.3
                else Rating.Choice.DISSATISFIED
            )
            comment, status = "", Rating.CommentStatus.NONE
            if rng.random() < (0.5 if demo else 0.15):
                comment = rng.choice(COMMENTS[choice])
                # The demo secretary finds a few comments waiting; elsewhere they were moderated long ago.
                status = Rating.CommentStatus.PENDING if demo and index % 2 == 0 else Rating.CommentStatus.APPROVED
            rows.append(
                Rating(
                    pledge=pledge,
                    choice=choice,
                    comment=comment,
                    comment_status=status,
                    browser_token=f"demo-{campaign.pk}-{pledge.pk}-{index}",
                    ip_hash="demo",
                )
            )
    Rating.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=True)
    summary.ratings += Rating.objects.filter(pledge__campaign=campaign).count() - existing


def _inspection(campaign, org, supervisor, day, kind, inspectors, findings, items, summary):
    inspection, created = Inspection.objects.get_or_create(
        campaign=campaign,
        organization=org,
        inspected_on=day,
        kind=kind,
        defaults={"inspectors": inspectors, "findings": findings, "recorded_by": supervisor},
    )
    if not created:
        return
    summary.inspections += 1
    for owner, description, deadline, evidence, status in items:
        RectificationItem.objects.create(
            inspection=inspection,
            owner_org=owner,
            description=description,
            deadline=deadline,
            required_evidence=evidence,
            status=status,
            reported_on=min(deadline, timezone.localdate()) if status != RectificationItem.Status.OPEN else None,
            reported_by=None,
            closed_on=timezone.localdate() if status == RectificationItem.Status.CLOSED else None,
            closure_note="已按要求整改到位。" if status != RectificationItem.Status.OPEN else "",
        )
        summary.items += 1


def _seed_inspections(campaign, supervisor, summary):
    today = timezone.localdate()
    day = datetime.timedelta(days=1)
    by_code = {o.code: o for o in Organization.objects.filter(code__in=[DEMO_BRANCH, "dl", "nh", "jyj"])}
    if DEMO_BRANCH not in by_code:
        return
    branch = by_code[DEMO_BRANCH]
    S = RectificationItem.Status
    _inspection(
        campaign,
        branch,
        supervisor,
        today - 20 * day,
        Inspection.Kind.SPOT_CHECK,
        "周建华、刘敏",
        "公开栏承诺内容未按月更新；两名党员承诺目标较笼统；群众评议开展较好。",
        [
            (branch, "按月更新公开栏承诺进展，补上近两个月的进度。", today + 5 * day, "更新后的公开栏照片", S.OPEN),
            (branch, "帮助两名党员把承诺目标细化为可衡量的具体成果。", today - 3 * day, "修改后的承诺书", S.OPEN),
            (branch, "补齐组织生活会会议记录。", today - 10 * day, "会议记录扫描件", S.CLOSED),
        ],
        summary,
    )
    township = by_code.get("dl")
    if township is not None:
        children = list(
            Organization.objects.filter(path__startswith=township.path, depth=township.depth + 1).order_by("path")[:4]
        )
        _inspection(
            campaign,
            township,
            supervisor,
            today - 40 * day,
            Inspection.Kind.ROUTINE,
            "区委督导组第二组",
            "镇党委对创先争优活动重视，但各村进展不平衡，部分支部承诺公开不及时。",
            [
                (
                    child,
                    "对照承诺清单逐项梳理进度，滞后事项明确责任人。",
                    today + (index * 4 - 6) * day,
                    "整改台账",
                    S.OPEN if index % 2 else S.REPORTED,
                )
                for index, child in enumerate(children)
            ],
            summary,
        )
    for code, kind in (("nh", Inspection.Kind.REVIEW_MEETING), ("jyj", Inspection.Kind.ROUTINE)):
        org = by_code.get(code)
        if org is None:
            continue
        child = (
            Organization.objects.filter(path__startswith=org.path, depth=org.depth + 1).order_by("path").first() or org
        )
        _inspection(
            campaign,
            org,
            supervisor,
            today - 30 * day,
            kind,
            "周建华",
            "点评会上各支部交流承诺践诺情况，个别支部群众满意度偏低。",
            [(child, "针对群众评议中的不满意意见逐条回应。", today - 2 * day, "回应记录和公开栏照片", S.OPEN)],
            summary,
        )
