"""The pledge admin: administrators can read everything, and nothing there bypasses the services."""

from pledges.models import Pledge
from pledges.tests.factories import EvidenceFactory, PledgeFactory, ProgressUpdateFactory, RatingFactory, ReviewFactory


def test_admin_lists_and_history_open(world, client_for):
    pledge = PledgeFactory(owner_member=world.member, published=True)
    ReviewFactory(pledge=pledge)
    RatingFactory(pledge=pledge)
    ProgressUpdateFactory(pledge=pledge)
    EvidenceFactory(pledge=pledge)
    client = client_for("admin")
    for url in [
        "/admin/pledges/pledge/",
        f"/admin/pledges/pledge/{pledge.pk}/history/",
        "/admin/pledges/review/",
        "/admin/pledges/rating/",
        "/admin/pledges/progressupdate/",
        "/admin/pledges/evidence/",
    ]:
        assert client.get(url).status_code == 200, url


def test_admin_cannot_change_a_pledge(world, client_for):
    pledge = PledgeFactory(owner_member=world.member, published=True)
    client = client_for("admin")
    page = client.get(f"/admin/pledges/pledge/{pledge.pk}/change/").content.decode()
    assert 'name="_save"' not in page
    client.post(f"/admin/pledges/pledge/{pledge.pk}/change/", {"title": "改掉", "status": "draft"})
    pledge.refresh_from_db()
    assert pledge.status == Pledge.Status.PUBLISHED
