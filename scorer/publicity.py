"""The 推荐名单 of a ranked sheet, in the shape of the list a unit publishes (公示), and the eliminated list.

One workbook: 推荐名单 (序号, 姓名, 单位, 申报专业, 申报资格, 考试成绩, 量化总分, 排名), one group
after another in rank order; 考试淘汰与缺考 beside it, each with the group's cut score; and a
summary per 申报专业. A4 portrait, one page wide, the header row on every page, page numbers in
the footer; every cell through ``cells.safe_cell`` (text formula-safe, numbers whole).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from .cells import append_row
from .numbers import fmt
from .printlayout import body_font, fit_columns, print_setup
from .ranking import ABSENT, ELIMINATED, RankedList

if TYPE_CHECKING:
    from .checks import Listed

LIST_COLUMNS = ["序号", "姓名", "单位", "申报专业", "申报资格", "考试成绩", "量化总分", "排名"]
OUT_COLUMNS = ["序号", "姓名", "单位", "申报专业", "考试成绩", "情况", "本专业淘汰线"]
SUMMARY_COLUMNS = ["申报专业", "人数", "参加考试", "考试淘汰", "至少应淘汰", "淘汰线（分及以下）", "缺考"]


def _number(value: Any) -> Any:
    return "" if value is None else value


def recommendation_rows(rows: Sequence[Listed], ranked: RankedList) -> tuple[list[list[Any]], list[list[Any]]]:
    """(the recommended, in group then rank order; the eliminated and absent), as the sheets list them."""
    mine = [r for r in rows if r.sheet.id == ranked.sheet_id and r.place is not None]
    cuts = {g.group: g.cut_score for g in ranked.groups}
    kept = sorted((r for r in mine if r.place.status is None),  # type: ignore[union-attr]
                  key=lambda r: (r.place.group, r.place.rank or 0))  # type: ignore[union-attr]
    out = sorted((r for r in mine if r.place.status is not None),  # type: ignore[union-attr]
                 key=lambda r: (r.place.group, r.place.status != ELIMINATED,  # type: ignore[union-attr]
                                r.place.exam if r.place.exam is not None else 0))  # type: ignore[union-attr]
    listed = [[n, r.name, r.unit, r.place.group, r.level,  # type: ignore[union-attr]
               _number(r.place.exam), r.result.total, r.place.rank]  # type: ignore[union-attr]
              for n, r in enumerate(kept, 1)]
    dropped = [[n, r.name, r.unit, r.place.group, _number(r.place.exam),  # type: ignore[union-attr]
                r.place.status, "" if r.place.status == ABSENT else fmt(cuts.get(r.place.group))]  # type: ignore[union-attr]
               for n, r in enumerate(out, 1)]
    return listed, dropped


def _page(ws: Any, widths: list[tuple[float, float]], who: str, title: str) -> None:
    """Bold header; A4 portrait, one page wide, the header row on every page (scorer.printlayout)."""
    from openpyxl.styles import Font, PatternFill

    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDE7F0")
    ws.freeze_panes = "A2"
    body_font(ws)
    fit_columns(ws, widths, "portrait", 1)
    print_setup(ws, orientation="portrait", header_row=1, who=who, title=title)


def recommendation_xlsx(rows: Sequence[Listed], ranked: RankedList, title: str) -> bytes:
    from openpyxl import Workbook

    listed, dropped = recommendation_rows(rows, ranked)
    wb = Workbook()
    ws = wb.active
    ws.title = "推荐名单"
    ws.append(LIST_COLUMNS)
    for values in listed:
        append_row(ws, values)
    _page(ws, [(4, 6), (6, 14), (10, 30), (8, 20), (8, 12), (6, 9), (6, 9), (4, 6)], title, f"{title} 推荐名单")
    out = wb.create_sheet("考试淘汰与缺考")
    out.append(OUT_COLUMNS)
    for values in dropped:
        append_row(out, values)
    _page(out, [(4, 6), (6, 14), (10, 30), (8, 20), (6, 9), (6, 10), (8, 12)], title, f"{title} 考试淘汰与缺考")
    summary = wb.create_sheet("各专业汇总")
    summary.append(SUMMARY_COLUMNS)
    for g in ranked.groups:
        append_row(summary, [g.group, g.applicants, g.examined, g.eliminated, g.required, _number(g.cut_score), g.absent])
    _page(summary, [(10, 24), (4, 7), (6, 9), (6, 9), (6, 10), (8, 14), (4, 7)], title, f"{title} 各专业汇总")
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
