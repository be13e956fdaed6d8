"""Ledger exports: the workbooks open with openpyxl and hold the expected sheets, headers, rows and values."""

from __future__ import annotations

import datetime
from io import BytesIO
from unittest import mock

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from campaign import exports
from campaign.models import ExportJob

from .dashboard_fixtures import build_figures

pytestmark = pytest.mark.django_db


@pytest.fixture
def figures(world):
    return build_figures(world)


def workbook_of(response):
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return load_workbook(BytesIO(b"".join(response.streaming_content)))


def rows_of(sheet) -> list[dict]:
    values = list(sheet.iter_rows(values_only=True))
    headers = values[0]
    return [dict(zip(headers, row, strict=True)) for row in values[1:]]


def test_pledge_ledger_of_a_township(world, figures, client_for):
    response = client_for("supervisor_above").post(reverse("campaign:export", args=["town-a"]), {"kind": "pledges"})
    assert "attachment" in response["Content-Disposition"]
    book = workbook_of(response)
    assert book.sheetnames == ["组织承诺", "党员承诺", "进展记录", "领导点评"]
    org_rows = rows_of(book["组织承诺"])
    # Township A's own subtree only: a1's fulfilled pledge; a2's draft is not in the ledger, b1 is elsewhere.
    assert [r["承诺标题"] for r in org_rows] == ["修好村口道路"]
    row = org_rows[0]
    assert row["党组织"] == "甲一村党支部" and row["状态"] == "已兑现" and row["类别"] == "服务群众"
    assert row["满意"] == 0 and row["点评次数"] == 1 and row["最新点评"] == "完成得好"
    member_rows = {r["承诺标题"]: r for r in rows_of(book["党员承诺"])}
    assert set(member_rows) == {"走访五户困难群众", "带头参加志愿服务"}
    overdue = member_rows["走访五户困难群众"]
    assert overdue["党员"] == "张党员" and overdue["是否逾期"] == "是" and overdue["进展次数"] == 1
    assert overdue["完成时限"].date() == figures["p2"].deadline
    deadline_cell = book["党员承诺"]["A2"].parent.cell(row=2, column=list(overdue).index("完成时限") + 1)
    assert deadline_cell.number_format == 'yyyy"年"m"月"d"日"'
    progress = rows_of(book["进展记录"])
    assert [(r["承诺标题"], r["进度（%）"], r["进展情况"]) for r in progress] == [
        ("走访五户困难群众", 40, "已走访两户")
    ]
    assert [r["点评意见"] for r in rows_of(book["领导点评"])] == ["完成得好"]


def test_ranking_ledger_matches_the_dashboard(world, figures, client_for):
    book = workbook_of(client_for("admin").post(reverse("campaign:export", args=["district"]), {"kind": "ranking"}))
    assert book.sheetnames == ["下级单位排名", "全部单位", "需关注单位"]
    ranking = rows_of(book["下级单位排名"])
    assert [r["单位"] for r in ranking] == ["测试区委（合计）", "甲镇党委", "乙镇党委"]
    total = ranking[0]
    assert total["公开承诺"] == 4 and total["已兑现"] == 1 and total["完成率"] == pytest.approx(0.25)
    assert total["满意度"] == pytest.approx(0.625) and total["逾期"] == 1
    assert book["下级单位排名"].cell(row=2, column=7).number_format == "0.0%"
    every = rows_of(book["全部单位"])
    assert [r["代码"] for r in every] == ["district", "town-a", "a1", "a2", "town-b", "b1"]
    assert {r["代码"]: r["完成率"] for r in every}["a1"] == pytest.approx(0.5)
    lagging = {r["代码"]: r["原因"] for r in rows_of(book["需关注单位"])}
    assert set(lagging) == {"town-a", "town-b", "a2"}
    assert "尚无公开承诺" in lagging["a2"]


def test_rectification_ledger(world, figures, client_for):
    from inspections.models import Inspection, RectificationItem

    inspection = Inspection.objects.create(
        campaign=world.campaign,
        organization=world.branch_a1,
        inspected_on=figures["today"] - datetime.timedelta(days=5),
        kind=Inspection.Kind.ROUTINE,
        inspectors="督导组",
        findings="台账不全",
        recorded_by=world.supervisor_above,
    )
    RectificationItem.objects.create(
        inspection=inspection,
        owner_org=world.branch_a1,
        description="补齐承诺台账",
        deadline=figures["today"] - datetime.timedelta(days=1),
        required_evidence="台账照片",
    )
    book = workbook_of(
        client_for("supervisor_above").post(reverse("campaign:export", args=["town-a"]), {"kind": "rectifications"})
    )
    assert book.sheetnames == ["整改事项"]
    (row,) = rows_of(book["整改事项"])
    assert row["整改问题"] == "补齐承诺台账" and row["责任组织"] == "甲一村党支部"
    assert row["是否逾期"] == "是" and row["整改时限"].date() == figures["today"] - datetime.timedelta(days=1)
    # Township B's supervisor gets nothing of township A.
    assert (
        client_for("supervisor_sibling")
        .post(reverse("campaign:export", args=["town-a"]), {"kind": "rectifications"})
        .status_code
        == 404
    )


def test_large_export_runs_in_the_background_with_progress(
    world, figures, client_for, settings, django_capture_on_commit_callbacks
):
    settings.EXPORT_DIRECT_MAX_ROWS = 2
    client = client_for("supervisor_above")
    with mock.patch("campaign.export_tasks.export_ledger_task.delay") as delay:
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("campaign:export", args=["town-a"]), {"kind": "pledges"})
    job = ExportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("campaign:export_status", args=[job.pk])
    delay.assert_called_once_with(job.pk)
    assert job.status == ExportJob.Status.PENDING and job.total == 5  # 3 pledges, 1 progress report, 1 review
    page = client.get(reverse("campaign:export_status", args=[job.pk]))
    assert b'hx-trigger="every 2s"' in page.content and b"progressbar" in page.content

    exports.export_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == ExportJob.Status.DONE and job.done == 5 and job.percent == 100
    partial = client.get(reverse("campaign:export_status", args=[job.pk]), HTTP_HX_REQUEST="true")
    assert (
        b"hx-trigger" not in partial.content
        and reverse("campaign:export_download", args=[job.pk]).encode() in partial.content
    )
    book = workbook_of(client.get(reverse("campaign:export_download", args=[job.pk])))
    assert len(rows_of(book["党员承诺"])) == 2
    # Only the requester downloads it: not another supervisor, not even the administrator.
    assert client_for("supervisor_sibling").get(reverse("campaign:export_download", args=[job.pk])).status_code == 404
    assert client_for("admin").get(reverse("campaign:export_download", args=[job.pk])).status_code == 404
    # Running it again (a redelivered task) changes nothing.
    exports.export_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == ExportJob.Status.DONE


def test_export_reports_progress_while_writing(world, figures, monkeypatch, tmp_path):
    monkeypatch.setattr(exports, "PROGRESS_EVERY", 2)
    reported = []
    written = exports.write_workbook(
        kind="pledges",
        org=world.district,
        campaign=world.campaign,
        path=str(tmp_path / "l.xlsx"),
        progress=reported.append,
    )
    assert written == 6  # 4 filed pledges (the draft is left out), 1 progress report, 1 review
    assert reported == [2, 4, 6]
    assert load_workbook(tmp_path / "l.xlsx").sheetnames == ["组织承诺", "党员承诺", "进展记录", "领导点评"]


def test_download_of_an_unfinished_job_is_not_found(world, client_for):
    job = ExportJob.objects.create(
        requested_by=world.supervisor_above, kind="pledges", organization=world.township_a, campaign=world.campaign
    )
    assert client_for("supervisor_above").get(reverse("campaign:export_download", args=[job.pk])).status_code == 404


def test_job_outside_the_requesters_scope_is_hidden(world, client_for):
    """A person who lost the supervision of a subtree no longer reaches its exports."""
    job = ExportJob.objects.create(
        requested_by=world.supervisor_above, kind="pledges", organization=world.township_b, campaign=world.campaign
    )
    assert client_for("supervisor_above").get(reverse("campaign:export_status", args=[job.pk])).status_code == 404


def test_unknown_kind_is_refused_with_a_message(world, client_for):
    response = client_for("supervisor_above").post(
        reverse("campaign:export", args=["town-a"]), {"kind": "secrets"}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("campaign:dashboard", args=["town-a"])
    assert ExportJob.objects.count() == 0
    assert list(response.context["messages"])
