"""A large table written row by row (openpyxl's write-only mode), laid out and set up for print exactly as
``scorer.printlayout`` lays out a sheet held in memory.

A batch of 100,000 applicants is a table of 1.3 million cells. A sheet held in memory keeps every cell as
an object and restyles each one (font, then alignment), which took 2 GB; a write-only sheet sends each row
to its file as it is appended and keeps nothing. So the layout is worked out from the values first
(``printlayout.layout``: the column widths must precede the rows in the file, and each row carries its
height), and then every row is written once, each cell in a style made once per kind of cell: what the
in-memory path gives a cell depends only on whether it is the header, whether its row is marked (a
flagged applicant's fill), and whether its value is text, empty or a number. The result is the same
workbook, cell for cell and setting for setting (tests/test_streamsheet.py reads both back and compares).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from .numbers import fmt
from .printlayout import BODY_POINTS, Measured, body_font_of, layout, print_setup, top_aligned

HEADER_FILL = "DDE7F0"
MARKED_FILL = "FFF4E5"  # a flagged applicant's row in the batch table
BORDER_COLOR = "999999"


def header_style(cell: Any) -> None:
    """The header row's look: bold, a pale blue fill, thin grey borders, centred and wrapped."""
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    thin = Side(style="thin", color=BORDER_COLOR)
    cell.font = Font(bold=True)
    cell.fill = PatternFill("solid", fgColor=HEADER_FILL)
    cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)
    cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)


def marked_style(cell: Any) -> None:
    from openpyxl.styles import PatternFill

    cell.fill = PatternFill("solid", fgColor=MARKED_FILL)


@dataclass
class Table:
    """One sheet's table: its header row and rows (values as the sheet shows them, already made safe), the
    (floor, ceiling) of each column's width, how it prints, and which rows (0-based) are marked."""

    header: Sequence[str]
    rows: list[list[Any]]
    bounds: Sequence[tuple[float, float]]
    orientation: str
    who: str
    title: str | None = None  # the page header, for a sheet without a title row
    marked: set[int] = field(default_factory=set)
    auto_filter: bool = False
    # rows the print area covers at least: a list sheet made in memory froze its panes at the cell below the
    # header, which made that cell, so an empty list printed one empty row under its header; kept so
    min_rows: int = 2


class _Cells:
    """One cell per kind of cell, styled once by the steps the in-memory path takes (the header's look or the
    marked fill, then the body font on a cell with a value, then the alignment ``fit_columns`` gives a
    measured cell), and given each value of that kind in turn: a write-only sheet writes a cell as soon as
    it is handed over, as openpyxl does with its own reused cell for plain values."""

    def __init__(self, ws: Any):
        self.ws = ws
        self.made: dict[tuple[bool, bool, str], Any] = {}

    def of(self, header: bool, marked: bool, value: Any) -> Any:
        kind = "none" if value is None else ("text" if isinstance(value, str) else "other")
        key = (header, marked, kind)
        cell = self.made.get(key)
        if cell is None:
            from openpyxl.cell import WriteOnlyCell

            cell = self.made[key] = WriteOnlyCell(self.ws)
            if header:
                header_style(cell)
            elif marked:
                marked_style(cell)
            if value is not None:
                cell.font = body_font_of(cell.font, BODY_POINTS)
                cell.alignment = top_aligned(cell.alignment, kind == "text")
        cell.value = value
        return cell


def _measured(table: Table) -> list[Measured]:
    """Every cell with a value, as ``printlayout._measure`` sees it on a sheet (rows counted from 1, the
    header first; the body font's size)."""
    out = []
    counted: dict[str, tuple[int, int]] = {}  # the display widths of each text met (a sheet's name, a verdict …)
    for r, values in enumerate([list(table.header), *table.rows], start=1):
        for c, value in enumerate(values):
            if value is not None:
                text = fmt(value) if isinstance(value, Decimal) else str(value)
                cell = Measured(r, c, text, BODY_POINTS, counted.get(text))
                counted[text] = (cell.width, cell.total)
                out.append(cell)
    return out


def write_table(wb: Any, name: str, table: Table) -> None:
    """``table`` as the sheet ``name`` of the write-only workbook ``wb``: header repeated on every page, frozen
    below it, laid out for A4 (``printlayout``), a filter on the whole table if asked."""
    from openpyxl.utils import get_column_letter

    ws = wb.create_sheet(name)
    columns = max([len(table.header), *(len(r) for r in table.rows)])
    count = 1 + len(table.rows)
    plan = layout(_measured(table), table.bounds, table.orientation, 1)
    for i, width in enumerate(plan.widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A2"
    if table.auto_filter:
        ws.auto_filter.ref = f"A1:{get_column_letter(columns)}{count}"
    print_setup(ws, orientation=table.orientation, header_row=1, who=table.who, title=table.title,
                used=(columns, max(count, table.min_rows)))
    cells = _Cells(ws)

    def placed(values: list[Any], row: int) -> Iterator[Any]:
        """A row's cells as the sheet's writer takes them (in place of openpyxl's ``_values_to_row``, which
        would first try each of our cells as a value): empty cells without a style are left out."""
        header, marked = row == 1, row - 2 in table.marked
        for column, value in enumerate(values, start=1):
            if value is None and not marked:
                continue
            cell = cells.of(header, marked, value)
            cell.row, cell.column = row, column
            yield cell

    ws._values_to_row = placed
    for r, values in enumerate([list(table.header), *table.rows], start=1):
        if r in plan.heights:
            ws.row_dimensions[r].height = plan.heights[r]
        ws.append(values)
        if r in plan.heights:
            del ws.row_dimensions[r]  # written with its row: nothing of a row is kept
