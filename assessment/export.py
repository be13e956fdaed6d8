"""The year-end evaluation sheet (年度评议表) as an .xlsx workbook, with Chinese headers.

Sheets: the summary (the unit, then the units ranked under it), then the pledges, reviews,
ratings and rectification items behind the unit's figures.
"""

from __future__ import annotations

import io

from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from .scoring import PART_LABELS, UnitScore

HEADER_FILL = PatternFill("solid", fgColor="FBEAEA")


def _pct(value):
    return None if value is None else round(value, 2)


def _sheet(wb, title: str, headers: list[str], rows: list[list], first: bool = False):
    ws = wb.active if first else wb.create_sheet()
    ws.title = title[:31]
    ws.append(headers)
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for row in rows:
        ws.append(row)
    for index, header in enumerate(headers, start=1):
        ws.column_dimensions[get_column_letter(index)].width = max(10, min(40, 2 * len(header) + 4))
    ws.freeze_panes = "A2"
    return ws


def _score_row(result: UnitScore) -> list:
    row = [result.name]
    for part in result.parts:
        row.append(_pct(part.score))
    row += [_pct(result.score) if result.score is not None else "—", result.rank or "—", str(result.band_label)]
    return row


def build_workbook(*, unit: UnitScore, ranked: list[UnitScore], peers: list[UnitScore], campaign, day) -> bytes:
    with translation.override("zh-hans"):
        wb = Workbook()
        part_headers = [str(PART_LABELS[p.key]) for p in unit.parts]
        summary = _sheet(
            wb,
            _("Evaluation sheet"),
            [_("Unit"), *part_headers, _("Score"), _("Rank"), _("Grade")],
            [],
            first=True,
        )
        summary.insert_rows(1, 3)
        summary["A1"] = _("Year-end evaluation sheet") + f" · {unit.name}"
        summary["A1"].font = Font(bold=True, size=14)
        summary["A2"] = f"{_('Campaign')}: {campaign.name}（{campaign.theme}）  {_('As of')}: {day.isoformat()}"
        summary.append(_score_row(unit))
        summary.append([])
        summary.append([_("Part"), _("Weight"), _("Share of the score"), _("Counted"), _("Out of"), _("Part score")])
        for cell in summary[summary.max_row]:
            cell.font = Font(bold=True)
        for part in unit.parts:
            summary.append(
                [
                    str(part.label),
                    part.weight,
                    _pct(100 * part.effective_weight)
                    if part.effective_weight is not None
                    else _("left out (nothing to count)"),
                    part.numerator,
                    part.denominator,
                    _pct(part.score) if part.score is not None else "—",
                ]
            )
        if peers:
            summary.append([])
            summary.append([_("Ranking among peers under the same parent")])
            summary[summary.max_row][0].font = Font(bold=True)
            for peer in sorted(peers, key=lambda r: (r.rank is None, r.rank or 0, r.name)):
                summary.append(_score_row(peer))
        if ranked:
            summary.append([])
            summary.append([_("Units ranked under this one")])
            summary[summary.max_row][0].font = Font(bold=True)
            for child in sorted(ranked, key=lambda r: (r.rank is None, r.rank or 0, r.name)):
                summary.append(_score_row(child))
        _sheet(
            wb,
            _("Pledges"),
            [
                _("Pledge"),
                _("Owner"),
                _("Status"),
                _("Deadline"),
                _("Finished on"),
                _("Fulfilled on time"),
                _("Overdue"),
                _("Ratings"),
                _("Satisfied"),
                _("Basically satisfied"),
                _("Satisfaction (%)"),
            ],
            [
                [
                    p.title,
                    p.owner_name,
                    str(p.status_label),
                    p.deadline,
                    p.finished_on,
                    _("yes") if p.on_time else "",
                    _("yes") if p.overdue(day) else "",
                    p.satisfaction.total,
                    p.satisfaction.satisfied,
                    p.satisfaction.basically_satisfied,
                    p.satisfaction.percent if p.satisfaction.total else "—",
                ]
                for p in unit.pledges
            ],
        )
        _sheet(
            wb,
            _("Leader reviews"),
            [_("Date"), _("Reviewer"), _("Position"), _("Subject"), _("Grade"), _("Points"), _("Comment")],
            [
                [
                    r.created_at.date(),
                    r.reviewer,
                    r.reviewer_title,
                    r.pledge_title or r.org_name,
                    str(r.grade_label),
                    r.points,
                    r.comment,
                ]
                for r in unit.reviews
            ],
        )
        _sheet(
            wb,
            _("Rectification items"),
            [_("Responsible organization"), _("Problem to rectify"), _("Deadline"), _("Status")],
            [[i.owner_name, i.description, i.deadline, str(i.status_label)] for i in unit.items],
        )
        out = io.BytesIO()
        wb.save(out)
        return out.getvalue()
