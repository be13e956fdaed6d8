"""factory_boy factories for pledges, on top of the organizations and campaign of tests/world.py.

Every factory works with `build_world()` objects: pass `owner_member=world.member` or
`owner_org=world.branch_a1` (and `campaign=world.campaign`, the default being the current campaign).
Without an owner a PledgeFactory pledge belongs to a new member of the first branch.
States: `PledgeFactory(status=Pledge.Status.PUBLISHED)` or the traits `submitted=True`,
`published=True`, `claimed=True`, `fulfilled=True`, `returned=True`, `withdrawn=True`, which fill
the timestamps a real move would fill.
"""

from __future__ import annotations

import datetime

import factory
from django.utils import timezone

from campaign.models import Campaign
from orgs.models import Member, Organization, User
from pledges.models import Evidence, Pledge, ProgressUpdate, Rating, Review
from tests.world import PASSWORD


def _today() -> datetime.date:
    return timezone.localdate()


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"用户{n}")
    password = factory.django.Password(PASSWORD)


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Member

    user = factory.SubFactory(UserFactory)
    name = factory.LazyAttribute(lambda o: o.user.full_name)
    organization = factory.LazyFunction(
        lambda: Organization.objects.filter(kind=Organization.Kind.BRANCH).order_by("path").first()
    )


def _default_deadline(pledge) -> datetime.date:
    return min(pledge.campaign.ends_on, _today() + datetime.timedelta(days=30))


def _default_creator(pledge) -> User:
    if pledge.owner_member is not None:
        return pledge.owner_member.user
    return UserFactory()


class PledgeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Pledge

    class Params:
        submitted = factory.Trait(status=Pledge.Status.SUBMITTED, submitted_at=factory.LazyFunction(timezone.now))
        returned = factory.Trait(
            status=Pledge.Status.RETURNED,
            submitted_at=factory.LazyFunction(timezone.now),
            return_reason="目标不够具体",
        )
        published = factory.Trait(
            status=Pledge.Status.PUBLISHED,
            submitted_at=factory.LazyFunction(timezone.now),
            published_at=factory.LazyFunction(timezone.now),
        )
        claimed = factory.Trait(
            status=Pledge.Status.CLAIMED,
            submitted_at=factory.LazyFunction(timezone.now),
            published_at=factory.LazyFunction(timezone.now),
            completed_on=factory.LazyFunction(_today),
            closing_statement="已全部完成",
            progress=100,
        )
        fulfilled = factory.Trait(
            status=Pledge.Status.FULFILLED,
            submitted_at=factory.LazyFunction(timezone.now),
            published_at=factory.LazyFunction(timezone.now),
            completed_on=factory.LazyFunction(_today),
            closing_statement="已全部完成",
            fulfilled_at=factory.LazyFunction(timezone.now),
            progress=100,
        )
        withdrawn = factory.Trait(
            status=Pledge.Status.WITHDRAWN,
            published_at=factory.LazyFunction(timezone.now),
            withdraw_reason="情况变化",
        )

    campaign = factory.LazyFunction(lambda: Campaign.objects.current())
    owner_org = None
    owner_member = factory.Maybe("owner_org", yes_declaration=None, no_declaration=factory.SubFactory(MemberFactory))
    title = factory.Sequence(lambda n: f"走访困难党员第{n}批")
    content = "逐户走访，了解困难，帮助解决实际问题。"
    target = factory.Sequence(lambda n: f"完成 {n + 3} 户困难党员走访")
    deadline = factory.LazyAttribute(_default_deadline)
    category = Pledge.Category.PEOPLE
    channels = factory.LazyFunction(lambda: [Pledge.Channel.NOTICE_BOARD])
    status = Pledge.Status.DRAFT
    created_by = factory.LazyAttribute(_default_creator)


class ProgressUpdateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgressUpdate

    pledge = factory.SubFactory(PledgeFactory, published=True)
    percent = 50
    text = "已走访一半的困难党员家庭。"
    created_by = factory.LazyAttribute(lambda o: o.pledge.created_by)


class EvidenceFactory(factory.django.DjangoModelFactory):
    """A small PNG file (valid content) attached to a pledge, optionally to a progress update."""

    class Meta:
        model = Evidence

    pledge = factory.SubFactory(PledgeFactory, published=True)
    progress_update = None
    file = factory.django.ImageField(filename="photo.png", format="PNG", width=8, height=8)
    original_name = "photo.png"
    content_type = "image/png"
    extension = "png"
    size = 100
    is_public = False
    uploaded_by = factory.LazyAttribute(lambda o: o.pledge.created_by)


class ReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Review

    pledge = factory.SubFactory(PledgeFactory, published=True)
    organization = None
    campaign = factory.LazyAttribute(lambda o: o.pledge.campaign if o.pledge else Campaign.objects.current())
    reviewer = factory.SubFactory(UserFactory)
    grade = Review.Grade.GOOD
    comment = "进展扎实，继续保持。"


class RatingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Rating

    pledge = factory.SubFactory(PledgeFactory, published=True)
    choice = Rating.Choice.SATISFIED
    browser_token = factory.Sequence(lambda n: f"token-{n:08d}")
