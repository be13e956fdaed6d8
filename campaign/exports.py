"""Ledgers (台账) as .xlsx: the pledges of a subtree, the unit ranking, the rectification items.

Workbooks are written with openpyxl's write-only mode from `iterator(chunk_size=...)` querysets, so
memory stays flat whatever the size. Small ledgers (≤ EXPORT_DIRECT_MAX_ROWS rows) download at once;
larger ones become an ExportJob that a Celery task fills in (progress polled by the page).
"""

from __future__ import annotations

import datetime
import logging
import os
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import Count, F, Max, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill

from orgs.models import Organization
from pledges.models import Pledge, ProgressUpdate, Rating, Review

from . import selectors
from .models import Campaign, ExportJob, OrgSnapshot

logger = logging.getLogger(__name__)

DATE_FORMAT = 'yyyy"年"m"月"d"日"'
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
PERCENT_FORMAT = "0.0%"
CHUNK = 1000
PROGRESS_EVERY = 500

EXPORT_KINDS = {
    "pledges": gettext_lazy("Pledge ledger"),
    "ranking": gettext_lazy("Unit ranking"),
    "rectifications": gettext_lazy("Rectification items"),
}


def direct_max_rows() -> int:
    return getattr(settings, "EXPORT_DIRECT_MAX_ROWS", 2000)


def rectification_model():
    """The inspections app's RectificationItem, or None while it is not built."""
    try:
        from inspections.models import RectificationItem  # noqa: PLC0415
    except ImportError:
        return None
    return RectificationItem


def available_kinds() -> dict:
    kinds = dict(EXPORT_KINDS)
    if rectification_model() is None:
        kinds.pop("rectifications")
    return kinds


# ---------------------------------------------------------------------------
# Cells
# ---------------------------------------------------------------------------
@dataclass
class Column:
    header: str
    width: int = 14
    fmt: str | None = None


class SheetWriter:
    """A write-only sheet: bold Chinese header row, frozen, column widths and number formats."""

    def __init__(self, workbook: Workbook, title: str, columns: list[Column]):
        self.sheet = workbook.create_sheet(title=title[:31])
        self.columns = columns
        self.sheet.freeze_panes = "A2"
        for index, column in enumerate(columns):
            self.sheet.column_dimensions[_letter(index)].width = column.width
        header_font = Font(bold=True)
        header_fill = PatternFill("solid", fgColor="FBEAEA")
        cells = []
        for column in columns:
            cell = WriteOnlyCell(self.sheet, value=column.header)
            cell.font = header_font
            cell.fill = header_fill
            cell.alignment = Alignment(vertical="center", wrap_text=True)
            cells.append(cell)
        self.sheet.append(cells)

    def append(self, values: Iterable) -> None:
        row = []
        for column, value in zip(self.columns, values, strict=True):
            value = _excel_value(value)
            if column.fmt and value is not None:
                cell = WriteOnlyCell(self.sheet, value=value)
                cell.number_format = column.fmt
                row.append(cell)
            else:
                row.append(value)
        self.sheet.append(row)


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


def _excel_value(value):
    """Excel knows no time zones: datetimes are written as Beijing wall-clock time."""
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.replace(tzinfo=None, microsecond=0)
    if isinstance(value, (list, tuple)):
        return "、".join(str(v) for v in value)
    return value


# ---------------------------------------------------------------------------
# The pledge ledger: organization pledges, member pledges, progress, reviews
# ---------------------------------------------------------------------------
def ledger_pledges(org: Organization, campaign: Campaign):
    """Every filed pledge of the subtree in the campaign (drafts are not part of the ledger)."""
    return Pledge.objects.filter(campaign=campaign).owned_within(org).exclude(status=Pledge.Status.DRAFT)


def _pledge_rows(org, campaign):
    return (
        ledger_pledges(org, campaign)
        .select_related("owner_org", "owner_member__organization", "created_by", "decided_by")
        .order_by("pk")
    )


def _with_extras(pledges: Iterable[Pledge]) -> Iterable[Pledge]:
    """Pledges with their rating counts and latest progress and review, fetched per batch of CHUNK.

    Five grouped queries per thousand pledges instead of seven correlated subqueries per pledge.
    """
    batch: list[Pledge] = []
    for pledge in pledges:
        batch.append(pledge)
        if len(batch) == CHUNK:
            yield from _fill_extras(batch)
            batch = []
    if batch:
        yield from _fill_extras(batch)


def _fill_extras(batch: list[Pledge]) -> list[Pledge]:
    ids = [p.pk for p in batch]
    ratings: dict[tuple[int, str], int] = {
        (r["pledge_id"], r["choice"]): r["n"]
        for r in Rating.objects.filter(pledge_id__in=ids).values("pledge_id", "choice").annotate(n=Count("pk"))
    }

    def latest(model, text_field: str) -> tuple[dict[int, int], dict[int, str]]:
        counts, last_ids = {}, {}
        for r in model.objects.filter(pledge_id__in=ids).values("pledge_id").annotate(n=Count("pk"), last=Max("pk")):
            counts[r["pledge_id"]] = r["n"]
            last_ids[r["last"]] = r["pledge_id"]
        texts = dict(model.objects.filter(pk__in=list(last_ids)).values_list("pledge_id", text_field))
        return counts, texts

    review_counts, review_texts = latest(Review, "comment")
    progress_counts, progress_texts = latest(ProgressUpdate, "text")
    for p in batch:
        p.n_satisfied = ratings.get((p.pk, Rating.Choice.SATISFIED), 0)
        p.n_basic = ratings.get((p.pk, Rating.Choice.BASICALLY_SATISFIED), 0)
        p.n_dissatisfied = ratings.get((p.pk, Rating.Choice.DISSATISFIED), 0)
        p.n_reviews = review_counts.get(p.pk, 0)
        p.last_review = review_texts.get(p.pk, "")
        p.n_progress = progress_counts.get(p.pk, 0)
        p.last_progress = progress_texts.get(p.pk, "")
    return batch


def _pledge_columns(*, member: bool) -> list[Column]:
    columns = [Column(_("No."), 8)]
    if member:
        columns += [Column(_("Member"), 10), Column(_("Organization"), 24)]
    else:
        columns += [Column(_("Organization"), 24)]
    columns += [
        Column(_("Organization code"), 12),
        Column(_("Sector"), 12),
        Column(_("Pledge title"), 30),
        Column(_("Content"), 40),
        Column(_("Measurable target"), 36),
        Column(_("Category"), 10),
        Column(_("Publicity channels"), 20),
        Column(_("Status"), 10),
        Column(_("Overdue?"), 8),
        Column(_("Progress (%)"), 10),
        Column(_("Deadline"), 16, DATE_FORMAT),
        Column(_("Filed by"), 10),
        Column(_("Filed at"), 18, DATETIME_FORMAT),
        Column(_("Submitted at"), 18, DATETIME_FORMAT),
        Column(_("Approved or returned by"), 12),
        Column(_("Published at"), 18, DATETIME_FORMAT),
        Column(_("Reason for return"), 20),
        Column(_("Completion claimed on"), 16, DATE_FORMAT),
        Column(_("Closing statement"), 30),
        Column(_("Verified at"), 18, DATETIME_FORMAT),
        Column(_("Reason for withdrawal"), 20),
        Column(_("Explanation"), 20),
        Column(_("Number of progress reports"), 10),
        Column(_("Latest progress"), 30),
        Column(_("Number of reviews"), 10),
        Column(_("Latest review"), 30),
        Column(_("Satisfied"), 8),
        Column(_("Basically satisfied"), 10),
        Column(_("Dissatisfied"), 8),
    ]
    return columns


def _pledge_values(p: Pledge, *, member: bool, today: datetime.date, labels: dict) -> list:
    owner_org = p.owner_org if p.owner_org_id else p.owner_member.organization
    values = [p.pk]
    if member:
        values += [p.owner_member.name, owner_org.name]
    else:
        values += [owner_org.name]
    values += [
        owner_org.code,
        labels["sector"].get(owner_org.sector, ""),
        p.title,
        p.content,
        p.target,
        labels["category"].get(p.category, p.category),
        [labels["channel"].get(c, c) for c in (p.channels or [])],
        labels["status"].get(p.status, p.status),
        _("Yes") if p.is_overdue(today) else _("No"),
        p.progress,
        p.deadline,
        p.created_by.display_name if p.created_by_id else "",
        p.created_at,
        p.submitted_at,
        p.decided_by.display_name if p.decided_by_id else "",
        p.published_at,
        p.return_reason,
        p.completed_on,
        p.closing_statement,
        p.fulfilled_at,
        p.withdraw_reason,
        p.explanation,
        p.n_progress,
        p.last_progress,
        p.n_reviews,
        p.last_review,
        p.n_satisfied,
        p.n_basic,
        p.n_dissatisfied,
    ]
    return values


def _labels() -> dict:
    return {
        "sector": {k: str(v) for k, v in Organization.Sector.choices},
        "category": {k: str(v) for k, v in Pledge.Category.choices},
        "channel": {k: str(v) for k, v in Pledge.Channel.choices},
        "status": {k: str(v) for k, v in Pledge.Status.choices},
        "grade": {k: str(v) for k, v in Review.Grade.choices},
    }


def _progress_rows(org, campaign):
    return (
        ProgressUpdate.objects.filter(pledge__in=ledger_pledges(org, campaign).values("pk"))
        .select_related("pledge", "created_by")
        .order_by("pledge_id", "created_at", "pk")
    )


def _review_rows(org, campaign):
    return (
        Review.objects.filter(campaign=campaign)
        .filter(Q(pledge__in=ledger_pledges(org, campaign).values("pk")) | Q(organization__path__startswith=org.path))
        .select_related("pledge", "organization", "reviewer")
        .order_by("created_at", "pk")
    )


def write_pledge_ledger(workbook: Workbook, org: Organization, campaign: Campaign, tick: Callable[[], None]) -> None:
    today = timezone.localdate()
    labels = _labels()
    org_sheet = SheetWriter(workbook, _("Organization pledges"), _pledge_columns(member=False))
    member_sheet = SheetWriter(workbook, _("Member pledges"), _pledge_columns(member=True))
    for pledge in _with_extras(_pledge_rows(org, campaign).iterator(chunk_size=CHUNK)):
        if pledge.owner_org_id:
            org_sheet.append(_pledge_values(pledge, member=False, today=today, labels=labels))
        else:
            member_sheet.append(_pledge_values(pledge, member=True, today=today, labels=labels))
        tick()
    progress_sheet = SheetWriter(
        workbook,
        _("Progress reports"),
        [
            Column(_("Pledge No."), 10),
            Column(_("Pledge title"), 30),
            Column(_("Progress (%)"), 10),
            Column(_("Progress made"), 50),
            Column(_("Reported by"), 12),
            Column(_("Reported at"), 18, DATETIME_FORMAT),
        ],
    )
    for update in _progress_rows(org, campaign).iterator(chunk_size=CHUNK):
        progress_sheet.append(
            [
                update.pledge_id,
                update.pledge.title,
                update.percent,
                update.text,
                update.created_by.display_name,
                update.created_at,
            ]
        )
        tick()
    review_sheet = SheetWriter(
        workbook,
        _("Leader reviews"),
        [
            Column(_("Pledge No."), 10),
            Column(_("Pledge or organization reviewed"), 30),
            Column(_("Grade"), 8),
            Column(_("Review comment"), 50),
            Column(_("Reviewer"), 12),
            Column(_("Reviewer's position"), 16),
            Column(_("Posted at"), 18, DATETIME_FORMAT),
        ],
    )
    for review in _review_rows(org, campaign).iterator(chunk_size=CHUNK):
        review_sheet.append(
            [
                review.pledge_id,
                review.pledge.title if review.pledge_id else review.organization.name,
                labels["grade"].get(review.grade, review.grade),
                review.comment,
                review.reviewer.display_name,
                review.reviewer_title,
                review.created_at,
            ]
        )
        tick()


def pledge_ledger_rows(org: Organization, campaign: Campaign) -> int:
    return (
        ledger_pledges(org, campaign).count()
        + _progress_rows(org, campaign).count()
        + _review_rows(org, campaign).count()
    )


# ---------------------------------------------------------------------------
# The ranking ledger: child units ranked, every unit of the subtree, the lagging units
# ---------------------------------------------------------------------------
FLAG_WORDS = {
    selectors.GREEN: gettext_lazy("On track"),
    selectors.AMBER: gettext_lazy("Watch"),
    selectors.RED: gettext_lazy("Lagging"),
    selectors.NONE: "—",
}


def _figure_columns() -> list[Column]:
    return [
        Column(_("Public pledges"), 10),
        Column(_("Fulfilled"), 10),
        Column(_("Completion rate"), 10, PERCENT_FORMAT),
        Column(_("On-time rate"), 10, PERCENT_FORMAT),
        Column(_("Overdue"), 8),
        Column(_("Grass-roots organizations"), 12),
        Column(_("With a pledge"), 10),
        Column(_("Branch participation"), 12, PERCENT_FORMAT),
        Column(_("Number of members"), 8),
        Column(_("Members with a pledge"), 12),
        Column(_("Member participation"), 12, PERCENT_FORMAT),
        Column(_("Public ratings"), 10),
        Column(_("Satisfaction"), 10, PERCENT_FORMAT),
    ]


def _figure_values(s: OrgSnapshot | None) -> list:
    if s is None:
        return [None] * 13
    return [
        s.counted,
        s.fulfilled,
        s.completion_rate,
        s.on_time_rate,
        s.overdue,
        s.grassroots_total,
        s.grassroots_participating,
        s.branch_participation,
        s.members_total,
        s.members_participating,
        s.member_participation,
        s.ratings_total,
        s.satisfaction,
    ]


def write_ranking(workbook: Workbook, org: Organization, campaign: Campaign, tick: Callable[[], None]) -> None:
    data = selectors.dashboard_data(org, campaign)
    day = data["day"]
    thresholds = data["thresholds"]
    labels = _labels()
    ranking = SheetWriter(
        workbook,
        _("Ranking of units"),
        [
            Column(_("Rank"), 6),
            Column(_("Unit"), 26),
            Column(_("Code"), 12),
            Column(_("Figures as of"), 16, DATE_FORMAT),
        ]
        + _figure_columns()
        + [Column(_("Overall flag"), 10)],
    )
    ranking.append(
        [None, _("%(name)s (total)") % {"name": org.name}, org.code, day, *_figure_values(data["snapshot"]), None]
    )
    tick()
    for row in data["rows"]:
        worst = _worst_flag(row.flags)
        ranking.append(
            [row.rank or None, row.org.name, row.org.code, day, *_figure_values(row.snapshot), str(FLAG_WORDS[worst])]
        )
        tick()
    every = SheetWriter(
        workbook,
        _("All units"),
        [
            Column(_("Unit"), 30),
            Column(_("Code"), 12),
            Column(_("Kind"), 12),
            Column(_("Sector"), 12),
            Column(_("Level"), 6),
        ]
        + _figure_columns()
        + [Column(_("Overall flag"), 10)],
    )
    kinds = {k: str(v) for k, v in Organization.Kind.choices}
    # One pass over the organizations and one over their snapshots, both in path order, merged.
    org_iter = Organization.objects.descendant_of(org).active().order_by("path").iterator(chunk_size=CHUNK)
    snap_iter = iter(())
    if day is not None:
        snap_iter = (
            OrgSnapshot.objects.filter(campaign=campaign, day=day, organization__path__startswith=org.path)
            .annotate(org_path=F("organization__path"))
            .order_by("organization__path")
            .iterator(chunk_size=CHUNK)
        )
    pending = next(snap_iter, None)
    for unit in org_iter:
        while pending is not None and pending.org_path < unit.path:
            pending = next(snap_iter, None)
        snapshot = pending if pending is not None and pending.organization_id == unit.pk else None
        row = selectors.unit_row(unit, snapshot, thresholds)
        every.append(
            [
                unit.name,
                unit.code,
                kinds.get(unit.kind, unit.kind),
                labels["sector"].get(unit.sector, ""),
                unit.depth - org.depth,
                *_figure_values(snapshot),
                str(FLAG_WORDS[_worst_flag(row.flags)]),
            ]
        )
        tick()
    lagging = SheetWriter(
        workbook, _("Units needing attention"), [Column(_("Unit"), 30), Column(_("Code"), 12), Column(_("Reasons"), 60)]
    )
    for entry in data["lagging"]:
        lagging.append([entry["org"].name, entry["org"].code, "；".join(entry["reasons"])])
        tick()


def _worst_flag(flags: dict) -> str:
    values = set(flags.values())
    for level in (selectors.RED, selectors.AMBER, selectors.GREEN):
        if level in values:
            return level
    return selectors.NONE


def ranking_rows(org: Organization, campaign: Campaign) -> int:
    # Children + the total line + every unit of the subtree + at most a few lagging ones.
    return 2 * Organization.objects.descendant_of(org).active().count()


# ---------------------------------------------------------------------------
# Rectification items (inspections app)
# ---------------------------------------------------------------------------
def _rectification_rows(org, campaign):
    return rectification_model().objects.in_campaign(campaign).owned_within(org).order_by("deadline", "pk")


def write_rectifications(workbook: Workbook, org: Organization, campaign: Campaign, tick: Callable[[], None]) -> None:
    model = rectification_model()
    sheet = SheetWriter(
        workbook,
        _("Rectification items"),
        [
            Column(_("No."), 8),
            Column(_("Inspected on"), 16, DATE_FORMAT),
            Column(_("Kind of inspection"), 12),
            Column(_("Inspected organization"), 24),
            Column(_("Responsible organization"), 24),
            Column(_("Organization code"), 12),
            Column(_("Problem to rectify"), 40),
            Column(_("Rectification deadline"), 16, DATE_FORMAT),
            Column(_("Evidence required for closure"), 24),
            Column(_("Status"), 10),
            Column(_("Overdue?"), 8),
            Column(_("Rectification done"), 30),
            Column(_("Closure reported on"), 16, DATE_FORMAT),
            Column(_("Reported by"), 10),
            Column(_("Accepted or reopened by"), 12),
            Column(_("Closed on"), 16, DATE_FORMAT),
            Column(_("Reason for reopening"), 24),
            Column(_("Times reopened"), 8),
            Column(_("Created at"), 18, DATETIME_FORMAT),
        ],
    )
    today = timezone.localdate()
    kinds = dict(model._meta.get_field("inspection").related_model.Kind.choices)
    statuses = dict(model.Status.choices)
    items = _rectification_rows(org, campaign).select_related(
        "inspection__organization", "owner_org", "reported_by", "decided_by"
    )
    for item in items.iterator(chunk_size=CHUNK):
        sheet.append(
            [
                item.pk,
                item.inspection.inspected_on,
                str(kinds.get(item.inspection.kind, item.inspection.kind)),
                item.inspection.organization.name,
                item.owner_org.name,
                item.owner_org.code,
                item.description,
                item.deadline,
                item.required_evidence,
                str(statuses.get(item.status, item.status)),
                _("Yes") if item.is_overdue(today) else _("No"),
                item.closure_note,
                item.reported_on,
                item.reported_by.display_name if item.reported_by_id else "",
                item.decided_by.display_name if item.decided_by_id else "",
                item.closed_on,
                item.reopen_reason,
                item.times_reopened,
                item.created_at,
            ]
        )
        tick()


def rectification_rows(org: Organization, campaign: Campaign) -> int:
    return _rectification_rows(org, campaign).count()


WRITERS = {"pledges": write_pledge_ledger, "ranking": write_ranking, "rectifications": write_rectifications}
COUNTERS = {"pledges": pledge_ledger_rows, "ranking": ranking_rows, "rectifications": rectification_rows}


# ---------------------------------------------------------------------------
# Running an export
# ---------------------------------------------------------------------------
def export_row_count(*, kind: str, org: Organization, campaign: Campaign) -> int:
    return COUNTERS[kind](org, campaign)


def export_filename(*, kind: str, org: Organization, campaign: Campaign) -> str:
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return f"{EXPORT_KINDS[kind]}-{org.name}-{campaign.name}-{stamp}.xlsx".replace("/", "-")


def write_workbook(
    *, kind: str, org: Organization, campaign: Campaign, path: str, progress: Callable[[int], None] | None = None
) -> int:
    """Write the `kind` ledger of `org` to the file `path`. Returns how many rows were written."""
    workbook = Workbook(write_only=True)
    written = 0

    def tick():
        nonlocal written
        written += 1
        if progress is not None and written % PROGRESS_EVERY == 0:
            progress(written)

    WRITERS[kind](workbook, org, campaign, tick)
    workbook.save(path)
    return written


def _check_kind(kind: str) -> None:
    if kind not in available_kinds():
        raise ValidationError(_("Unknown ledger: %(kind)s.") % {"kind": kind})


@transaction.atomic
def export_request(*, kind: str, org: Organization, campaign: Campaign, by) -> ExportJob:
    """Queue a background export; the Celery task fills in the file and the progress."""
    _check_kind(kind)
    job = ExportJob(
        requested_by=by,
        kind=kind,
        organization=org,
        campaign=campaign,
        total=export_row_count(kind=kind, org=org, campaign=campaign),
    )
    job.full_clean(exclude=["file"])
    job.save()
    from .export_tasks import export_ledger_task

    transaction.on_commit(lambda: export_ledger_task.delay(job.pk))
    return job


def export_job_run(*, job_id: int) -> ExportJob | None:
    """Produce the file of an export job. Idempotent: a re-run rewrites the same job's file."""
    job = ExportJob.objects.select_related("organization", "campaign").filter(pk=job_id).first()
    if job is None or job.status == ExportJob.Status.DONE:
        return job
    ExportJob.objects.filter(pk=job.pk).update(status=ExportJob.Status.RUNNING, done=0, error="")

    def progress(done: int) -> None:
        ExportJob.objects.filter(pk=job.pk).update(done=done)

    fd, path = tempfile.mkstemp(suffix=".xlsx")
    os.close(fd)
    try:
        # Ledgers made in the background are written in the site's language (Chinese).
        with translation.override(settings.LANGUAGE_CODE):
            written = write_workbook(
                kind=job.kind, org=job.organization, campaign=job.campaign, path=path, progress=progress
            )
        with open(path, "rb") as handle:
            if job.file:
                job.file.delete(save=False)
            job.file.save(f"{job.kind}-{job.pk}.xlsx", File(handle), save=False)
        job.status = ExportJob.Status.DONE
        job.done = written
        job.total = max(job.total, written)
        job.finished_at = timezone.now()
        job.save(update_fields=["file", "status", "done", "total", "finished_at"])
        logger.info("export %s (%s, %s): %s rows", job.pk, job.kind, job.organization.code, written)
    except Exception as error:
        logger.exception("export %s failed", job.pk)
        ExportJob.objects.filter(pk=job.pk).update(
            status=ExportJob.Status.FAILED, error=str(error)[:2000], finished_at=timezone.now()
        )
        raise
    finally:
        os.unlink(path)
    return job
