"""A small campaign with known figures, rolled up with campaign.rollups (shared by the dashboard tests).

On the test world (tests/world.py), today:
- P1  branch a1's own pledge, fulfilled on time (published 10 days ago, verified today);
- P2  a pledge of `member` (a1), published 10 days ago, deadline two days ago: overdue;
- P3  a pledge of `other_member` (a2), published 10 days ago, deadline in 30 days;
- P4  branch b1's own pledge, published today; rated 满意 ×2, 基本满意 ×1, 不满意 ×1;
- P5  branch a2's own pledge, still a draft (never counted).

District today: 4 counted, 1 fulfilled (25.0%), 1 overdue, on time 1/(1+1) = 50.0%, branches
2/3 = 66.7% (a2 has no public pledge of its own), members 2/5 = 40.0%, satisfaction 2.5/4 = 62.5%.
A week ago: P1–P3 counted, none fulfilled (0.0%), none overdue.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from campaign.rollups import rollup_day
from pledges.models import Pledge
from pledges.tests.factories import PledgeFactory, ProgressUpdateFactory, RatingFactory, ReviewFactory


def build_figures(world) -> dict:
    today = timezone.localdate()
    ten_days_ago = timezone.now() - datetime.timedelta(days=10)
    p1 = PledgeFactory(
        owner_org=world.branch_a1, fulfilled=True, created_by=world.secretary_same.user, title="修好村口道路"
    )
    p2 = PledgeFactory(
        owner_member=world.member, published=True, deadline=today - datetime.timedelta(days=2), title="走访五户困难群众"
    )
    p3 = PledgeFactory(owner_member=world.other_member, published=True, title="带头参加志愿服务")
    p4 = PledgeFactory(
        owner_org=world.branch_b1, published=True, category=Pledge.Category.SOCIETY, title="社区夜间巡逻"
    )
    p5 = PledgeFactory(owner_org=world.branch_a2, created_by=world.secretary_other.user, title="草稿承诺")
    Pledge.objects.filter(pk__in=[p1.pk, p2.pk, p3.pk]).update(published_at=ten_days_ago, created_at=ten_days_ago)
    for choice in ("satisfied", "satisfied", "basically_satisfied", "dissatisfied"):
        RatingFactory(pledge=p4, choice=choice)
    ProgressUpdateFactory(pledge=p2, percent=40, text="已走访两户")
    ReviewFactory(pledge=p1, reviewer=world.supervisor_above, comment="完成得好", reviewer_title="组织委员")
    rollup_day(campaign=world.campaign, day=today - datetime.timedelta(days=7))
    rollup_day(campaign=world.campaign, day=today)
    return {"p1": p1, "p2": p2, "p3": p3, "p4": p4, "p5": p5, "today": today}
