"""The inspections index links each of the person's organizations once (found in the QA walk: a
secretary who is also a member of the branch saw her branch twice)."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_secretary_who_is_also_a_member_sees_her_branch_once(world, client_for):
    response = client_for("secretary_same").get(reverse("inspections:index"))
    assert [o.code for o in response.context["home_orgs"]] == [world.branch_a1.code]
    assert response.content.decode().count(reverse("inspections:org", args=[world.branch_a1.code])) == 1
