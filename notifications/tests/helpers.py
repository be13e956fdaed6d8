"""Building pledges in any state directly (the lifecycle services are tested elsewhere)."""

from __future__ import annotations

import datetime
import zoneinfo

from pledges.models import Pledge

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def at(day: datetime.date, hour: int = 12) -> datetime.datetime:
    """An instant on `day`, Asia/Shanghai."""
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=SHANGHAI)


def make_pledge(
    world,
    *,
    org=None,
    member=None,
    deadline: datetime.date,
    status: str = Pledge.Status.PUBLISHED,
    published_on: datetime.date | None = None,
    fulfilled_on: datetime.date | None = None,
    completed_on: datetime.date | None = None,
    title: str = "走访困难党员",
    campaign=None,
) -> Pledge:
    published_on = published_on or (deadline - datetime.timedelta(days=30))
    return Pledge.objects.create(
        campaign=campaign or world.campaign,
        owner_org=org,
        owner_member=member,
        title=title,
        content="每月走访困难党员并记录台账",
        target="完成 12 户困难党员走访",
        deadline=deadline,
        category=Pledge.Category.PEOPLE,
        status=status,
        created_by=world.admin,
        published_at=at(published_on) if status in Pledge.PUBLIC_STATUSES else None,
        fulfilled_at=at(fulfilled_on) if fulfilled_on else None,
        completed_on=completed_on or fulfilled_on,
    )
