"""The demo seed for campaigns and pledges: realistic, uneven, complete for the demo accounts, idempotent."""

from __future__ import annotations

import io
from collections import Counter

import pytest
from django.db.models import Q
from django.utils import timezone

from campaign.models import Campaign
from orgs import demo as orgs_demo
from orgs.models import Organization
from pledges import demo
from pledges.models import Evidence, Pledge, ProgressUpdate

S = Pledge.Status


@pytest.mark.django_db
def test_seed_builds_an_uneven_campaign_with_every_state_and_a_second_run_changes_nothing(settings):
    orgs_demo.seed(scale=1)
    out = io.StringIO()
    first = demo.seed(scale=1, stdout=out)
    assert "pledges +" in out.getvalue()

    current = Campaign.objects.current()
    assert current.name == "2026年度创先争优活动"
    assert current.theme == "拉高标杆追赶跨越，科学发展争当先锋"
    assert [p.name for p in current.phases.all()] == ["第一阶段 学习先进创新业", "第二阶段 追赶先进比贡献"]
    last_year = Campaign.objects.get(name="2025年度创先争优活动")
    assert not last_year.is_current and last_year.theme == "科学发展争当先锋"

    # Every state this year, including overdue (published, deadline passed); last year mostly kept.
    states = Counter(Pledge.objects.filter(campaign=current).values_list("status", flat=True))
    assert set(states) == set(S.values)
    assert Pledge.objects.filter(campaign=current).overdue().exists()
    last = Pledge.objects.filter(campaign=last_year)
    assert last.fulfilled().count() > 0.7 * last.public().count()
    assert not last.filter(status__in=[S.DRAFT, S.SUBMITTED, S.RETURNED]).exists()

    # Uneven: most grass-roots organizations pledge, a few have nothing at all.
    grassroots = list(Organization.objects.grassroots())
    silent = [o.code for o in grassroots if not Pledge.objects.filter(campaign=current).owned_within(o).exists()]
    assert "xh-qyzzb" in silent and "zjj-01" in silent and "mzj-01" in silent
    assert 5 <= len(silent) < len(grassroots) / 4

    # The demo accounts' branch: several states, members waiting for the secretary, something overdue.
    branch = Organization.objects.get(code="dl-shiqiao")
    on_branch = Pledge.objects.filter(campaign=current).filter(
        Q(owner_org=branch) | Q(owner_member__organization=branch)
    )
    assert {S.DRAFT, S.PUBLISHED, S.CLAIMED, S.FULFILLED, S.RETURNED} <= set(
        on_branch.filter(owner_org=branch).values_list("status", flat=True)
    )
    mine = on_branch.filter(owner_member__user__username="member")
    assert {S.DRAFT, S.SUBMITTED, S.PUBLISHED, S.FULFILLED} <= set(mine.values_list("status", flat=True))
    assert mine.overdue().exists() and on_branch.filter(owner_org=branch).overdue().exists()
    assert on_branch.filter(status=S.SUBMITTED, owner_member__isnull=False).count() >= 3

    # Timestamps spread over the campaign, never in the future, consistent with each other.
    now = timezone.now()
    fulfilled = Pledge.objects.filter(campaign=current, status=S.FULFILLED)
    months = {p.fulfilled_at.month for p in fulfilled}
    assert len(months) >= 5
    for pledge in Pledge.objects.filter(campaign=current).public():
        assert current.starts_on <= pledge.deadline <= current.ends_on
        assert pledge.published_at <= now and pledge.submitted_at <= pledge.published_at
        if pledge.fulfilled_at:
            assert pledge.published_at < pledge.fulfilled_at <= now and pledge.progress == 100
    assert not ProgressUpdate.objects.filter(created_at__gt=now).exists()
    # Every pledge has its story in the history, newest row matching the pledge.
    sample = fulfilled.first()
    reasons = list(sample.history.order_by("history_date").values_list("history_change_reason", flat=True))
    assert reasons == ["create", "submit", "approve", "claim", "verify"]
    assert sample.history.latest().status == S.FULFILLED

    # Public evidence photos exist in storage.
    photo = Evidence.objects.filter(is_public=True).first()
    assert photo is not None and (settings.MEDIA_ROOT / photo.file.name).is_file()

    counts = (Pledge.objects.count(), ProgressUpdate.objects.count(), Evidence.objects.count(), Pledge.history.count())
    second = demo.seed(scale=1)
    assert (second.pledges, second.campaigns) == (0, 0)
    assert counts == (
        Pledge.objects.count(),
        ProgressUpdate.objects.count(),
        Evidence.objects.count(),
        Pledge.history.count(),
    )
    assert first.pledges == counts[0]
    assert Campaign.objects.filter(is_current=True).count() == 1
