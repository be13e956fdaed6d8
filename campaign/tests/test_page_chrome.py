"""What the QA walk fixed in the page chrome: the current role tab and page are marked, a branch's
dashboard does not show empty child-unit panels, and a background export that never starts says so."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from campaign.models import ExportJob

pytestmark = pytest.mark.django_db


def current_links(html: str) -> list[str]:
    """The text of every link marked as the current page."""
    return [
        re.sub(r"\s+", " ", text).strip()
        for text in re.findall(r'<a class="nav-link[^"]*active"[^>]*aria-current="page"[^>]*>(.*?)</a>', html, re.S)
    ]


def test_a_secretary_sees_which_role_and_page_she_is_on(world, client_for):
    html = client_for("secretary_same").get(reverse("home"), follow=True).content.decode()
    assert current_links(html) == ["本支部", "书记视图"]


def test_switching_to_the_member_tab_marks_it(world, client_for):
    html = client_for("secretary_same").get(reverse("home") + "?as=member", follow=True).content.decode()
    assert current_links(html) == ["我的承诺", "党员视图"]


def test_a_branch_dashboard_has_no_empty_ranking_or_lagging_panels(world, client_for):
    html = client_for("secretary_same").get(reverse("campaign:dashboard_home")).content.decode()
    assert 'data-testid="no-children"' in html
    assert 'data-testid="lagging"' not in html and 'data-testid="ranking"' not in html
    assert 'data-chart="units"' not in html


def test_a_township_dashboard_keeps_them(world, client_for):
    html = client_for("supervisor_above").get(reverse("campaign:dashboard_home")).content.decode()
    assert 'data-testid="lagging"' in html and 'data-testid="ranking"' in html


def test_an_export_that_never_starts_tells_whom_to_ask(world, client_for):
    job = ExportJob.objects.create(
        requested_by=world.supervisor_above, kind="pledges", organization=world.township_a, campaign=world.campaign
    )
    url = reverse("campaign:export_status", args=[job.pk])
    client = client_for("supervisor_above")
    assert 'data-testid="export-stalled"' not in client.get(url).content.decode()
    ExportJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - datetime.timedelta(minutes=3))
    assert "后台服务可能已停止" in client.get(url, HTTP_HX_REQUEST="true").content.decode()
