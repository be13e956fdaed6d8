"""Small builders for the reviews, ratings, inspections and assessment tests (on tests/world.py)."""

from __future__ import annotations

import datetime
import io

from django.core.files.base import ContentFile
from django.utils import timezone

from pledges.models import Pledge, Rating, Review

_counter = {"n": 0}


def today() -> datetime.date:
    return timezone.localdate()


def make_pledge(
    world,
    *,
    owner_org=None,
    owner_member=None,
    status=Pledge.Status.PUBLISHED,
    deadline=None,
    completed_on=None,
    campaign=None,
    title=None,
) -> Pledge:
    _counter["n"] += 1
    if owner_org is None and owner_member is None:
        owner_org = world.branch_a1
    fulfilled = status == Pledge.Status.FULFILLED
    return Pledge.objects.create(
        campaign=campaign or world.campaign,
        owner_org=owner_org,
        owner_member=owner_member,
        title=title or f"承诺{_counter['n']}",
        content="为群众办实事",
        target="完成 3 户困难党员走访",
        deadline=deadline or today() + datetime.timedelta(days=30),
        category=Pledge.Category.PEOPLE,
        status=status,
        created_by=world.admin,
        published_at=timezone.now() if status in Pledge.PUBLIC_STATUSES else None,
        completed_on=completed_on if completed_on is not None else (today() if fulfilled else None),
        fulfilled_at=timezone.now() if fulfilled else None,
    )


def make_rating(pledge, *, choice=Rating.Choice.SATISFIED, comment="", token=None) -> Rating:
    _counter["n"] += 1
    return Rating.objects.create(
        pledge=pledge,
        choice=choice,
        comment=comment,
        comment_status=Rating.CommentStatus.PENDING if comment else Rating.CommentStatus.NONE,
        browser_token=token or f"token-{_counter['n']}",
    )


def make_review(world, *, pledge=None, organization=None, grade=Review.Grade.GOOD, by=None) -> Review:
    return Review.objects.create(
        campaign=(pledge.campaign if pledge else world.campaign),
        pledge=pledge,
        organization=organization,
        reviewer=by or world.supervisor_above,
        grade=grade,
        comment="做得不错",
    )


def png_bytes() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (4, 4), (200, 22, 29)).save(out, "PNG")
    return out.getvalue()


def make_inspection(world, *, org=None, owner_org=None, status="open", deadline=None, by=None, with_evidence=False):
    from inspections.models import Inspection, RectificationItem

    inspection = Inspection.objects.create(
        campaign=world.campaign,
        organization=org or world.branch_a1,
        inspected_on=today(),
        kind=Inspection.Kind.SPOT_CHECK,
        inspectors="周督导",
        findings="公开栏未及时更新",
        recorded_by=by or world.supervisor_above,
    )
    item = RectificationItem.objects.create(
        inspection=inspection,
        owner_org=owner_org or org or world.branch_a1,
        description="更新公开栏承诺进展",
        deadline=deadline or today() + datetime.timedelta(days=7),
        required_evidence="公开栏照片",
        status=status,
        reported_on=today() if status != "open" else None,
    )
    if with_evidence:
        item.evidence_content_type = "image/png"
        item.evidence_extension = "png"
        item.evidence_name = "photo.png"
        item.evidence.save("photo.png", ContentFile(png_bytes()), save=True)
    return inspection, item
