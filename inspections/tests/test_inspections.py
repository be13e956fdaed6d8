"""Inspections (督促检查) and rectification (整改): record, report closure, accept or reopen."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from inspections.models import Inspection, RectificationItem
from inspections.services import ItemSpec, inspection_record, item_accept, item_reopen, item_report_closure
from notifications.models import Notification
from pledges.tests.reviews_support import make_inspection, png_bytes, today

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def post_inspection(client, world, org, items):
    data = {
        "inspected_on": today().isoformat(),
        "kind": "spot_check",
        "inspectors": "周督导、刘干事",
        "findings": "承诺公开栏内容陈旧",
        "items-TOTAL_FORMS": str(len(items) + 1),
        "items-INITIAL_FORMS": "0",
    }
    for index, (owner, text, deadline) in enumerate(items):
        data.update(
            {
                f"items-{index}-owner_org": str(owner.pk),
                f"items-{index}-description": text,
                f"items-{index}-deadline": deadline.isoformat(),
                f"items-{index}-required_evidence": "照片",
            }
        )
    return client.post(reverse("inspections:add", args=[org.code]), data)


def test_supervisor_records_an_inspection_and_owners_are_notified(world, client_for):
    response = post_inspection(
        client_for("supervisor_above"),
        world,
        world.township_a,
        [(world.branch_a1, "更新公开栏", today() + 7 * DAY), (world.branch_a2, "补齐台账", today() + 3 * DAY)],
    )
    inspection = Inspection.objects.get()
    assert response.status_code == 302 and response.url == inspection.get_absolute_url()
    assert (inspection.kind, inspection.campaign, inspection.recorded_by) == (
        "spot_check",
        world.campaign,
        world.supervisor_above,
    )
    assert inspection.items.count() == 2
    notified = sorted(Notification.objects.filter(kind="rectification_opened").values_list("user__username", flat=True))
    assert notified == ["secretary_other", "secretary_same"]


def test_an_item_outside_the_inspected_subtree_is_refused(world, client_for):
    response = post_inspection(
        client_for("supervisor_above"), world, world.branch_a1, [(world.branch_a2, "x", today())]
    )
    assert response.status_code == 200
    assert response.context["formset"].forms[0].errors["owner_org"]
    assert not Inspection.objects.exists()
    with pytest.raises(ValidationError):
        inspection_record(
            organization=world.branch_a1,
            by=world.supervisor_above,
            inspected_on=today(),
            kind="routine",
            inspectors="周",
            findings="x",
            items=[ItemSpec(world.branch_b1, "x", today(), "照片")],
        )


def test_a_half_filled_item_row_says_what_is_missing_and_keeps_the_text(world, client_for):
    client = client_for("supervisor_above")
    data = {
        "inspected_on": today().isoformat(),
        "kind": "routine",
        "inspectors": "周督导",
        "findings": "总体良好",
        "items-TOTAL_FORMS": "1",
        "items-INITIAL_FORMS": "0",
        "items-0-description": "组织生活会记录不全",
    }
    response = client.post(reverse("inspections:add", args=[world.branch_a1.code]), data)
    assert response.status_code == 200
    errors = response.context["formset"].forms[0].errors
    assert {"owner_org", "deadline", "required_evidence"} <= set(errors)
    assert "组织生活会记录不全" in response.content.decode()


def test_only_supervisors_of_the_subtree_inspect(world):
    for user in (world.supervisor_sibling, world.secretary_same.user, world.member.user):
        with pytest.raises(ValidationError):
            inspection_record(
                organization=world.branch_a1,
                by=user,
                inspected_on=today(),
                kind="routine",
                inspectors="x",
                findings="x",
                items=[],
            )


def test_closure_report_accept_and_reopen(world, client_for):
    _, item = make_inspection(world)
    secretary = client_for("secretary_same")
    upload = SimpleUploadedFile("公开栏.png", png_bytes(), content_type="image/png")
    response = secretary.post(
        reverse("inspections:item_report", args=[item.pk]), {"note": "已更新", "evidence": upload}
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.status, item.reported_by, item.evidence_content_type) == (
        "reported",
        world.secretary_same.user,
        "image/png",
    )
    assert secretary.get(reverse("inspections:item_evidence", args=[item.pk])).status_code == 200

    client_for("supervisor_above").post(
        reverse("inspections:item_decide", args=[item.pk]), {"decision": "reopen", "reason": "照片看不清"}
    )
    item.refresh_from_db()
    assert (item.status, item.times_reopened, item.reopen_reason) == ("open", 1, "照片看不清")
    assert Notification.objects.filter(user=world.secretary_same.user, title__contains="更新公开栏").count() >= 1

    item_report_closure(
        item=item, by=world.secretary_same.user, note="重新拍照", evidence=SimpleUploadedFile("b.png", png_bytes())
    )
    item_accept(item=item, by=world.supervisor_above)
    item.refresh_from_db()
    assert item.status == "closed" and item.closed_on == today() and not item.is_open


def test_a_file_that_is_not_a_photo_or_pdf_is_refused(world, client_for):
    _, item = make_inspection(world)
    fake = SimpleUploadedFile("evidence.png", b"<?php echo 'x'; ?>" * 10, content_type="image/png")
    response = client_for("secretary_same").post(
        reverse("inspections:item_report", args=[item.pk]), {"note": "已整改", "evidence": fake}
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    assert "已整改" in response.content.decode()  # the note is kept
    item.refresh_from_db()
    assert item.status == "open"


def test_reopening_needs_a_reason_and_only_the_inspector_decides(world):
    _, item = make_inspection(world, status="reported")
    with pytest.raises(ValidationError):
        item_reopen(item=item, by=world.supervisor_above, reason=" ")
    with pytest.raises(ValidationError):
        item_accept(item=item, by=world.secretary_same.user)
    with pytest.raises(ValidationError):
        item_accept(item=item, by=world.supervisor_sibling)


def test_open_and_overdue_querysets(world):
    make_inspection(world, deadline=today() - DAY)  # open, overdue
    make_inspection(world, owner_org=world.branch_a2, org=world.township_a, deadline=today() + DAY)  # open
    _, reported_late = make_inspection(world, status="reported", deadline=today() - 2 * DAY)
    reported_late.reported_on = today() - DAY
    reported_late.save()
    _, reported_in_time = make_inspection(world, status="reported", deadline=today() - 2 * DAY)
    reported_in_time.reported_on = today() - 3 * DAY
    reported_in_time.save()
    make_inspection(world, status="closed", deadline=today() - 5 * DAY)
    items = RectificationItem.objects
    assert items.open().count() == 4
    assert items.open().owned_within(world.branch_a1).count() == 3
    assert items.open().owned_within(world.township_a).count() == 4
    assert items.open().owned_within(world.township_b).count() == 0
    assert items.overdue(on=today()).count() == 2
    assert items.overdue(on=today() - 10 * DAY).count() == 0
    assert [i.is_overdue(today()) for i in items.filter(pk=reported_in_time.pk)] == [False]


def test_the_organization_page_counts_open_and_overdue_items(world, client_for):
    make_inspection(world, deadline=today() - DAY)
    make_inspection(world, deadline=today() + DAY)
    make_inspection(world, status="closed")
    page = client_for("supervisor_above").get(reverse("inspections:org", args=[world.township_a.code]))
    assert page.context["open_count"] == 2 and page.context["overdue_count"] == 1
    html = page.content.decode()
    assert 'data-testid="open-count">2<' in html and 'data-testid="overdue-count">1<' in html


def test_the_organization_page_is_a_constant_number_of_queries(world, client_for, django_assert_max_num_queries):
    for _ in range(8):
        make_inspection(world)
    client = client_for("supervisor_above")
    with django_assert_max_num_queries(16):
        client.get(reverse("inspections:org", args=[world.township_a.code]))
