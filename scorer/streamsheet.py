"""A large table written row by row, laid out and set up for print exactly as ``scorer.printlayout`` lays
out a sheet held in memory.

A batch of 100,000 applicants is a table of 1.3 million cells. A sheet held in memory keeps every cell as
an object and restyles each one (font, then alignment), which took 2 GB; here nothing of a row is kept once
it is written. The layout is worked out from the values first (``printlayout.layout``: the column widths
precede the rows in the file, and each row carries its height). openpyxl, in its write-only mode, writes
the workbook: its styles, each sheet's widths, panes, filter and print settings. The rows themselves are
written by this module as the XML openpyxl would write (``_row_xml``), each cell referring to a style made
once per kind of cell: what the in-memory path gives a cell depends only on whether it is the header,
whether its row is marked (a flagged applicant's fill), and whether its value is text, empty or a number.
openpyxl spent most of a large export making and serialising a cell object per cell. The result is the
same workbook, cell for cell and setting for setting (tests/test_streamsheet.py reads both back and compares).
"""

from __future__ import annotations

import io
import re
import shutil
import tempfile
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO, Any

from .cells import number_format
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


class _Styles:
    """The style of each kind of cell, made once by the steps the in-memory path takes (the header's look or
    the marked fill, then the body font on a cell with a value, then the alignment ``fit_columns`` gives a
    measured cell) on one openpyxl cell of that kind, and registered with the workbook: the rows refer to
    it by its number (``s="3"``), as openpyxl's own writer does."""

    def __init__(self, ws: Any):
        self.ws = ws
        self.ids: dict[tuple[bool, bool, str, str], str] = {}

    def of(self, header: bool, marked: bool, kind: str, shown: str = "General") -> str:
        """``shown``: a number cell's format (``cells.number_format``), as ``cells.append_row`` gives one."""
        key = (header, marked, kind, shown)
        found = self.ids.get(key)
        if found is None:
            from openpyxl.cell import WriteOnlyCell

            cell = WriteOnlyCell(self.ws)
            if header:
                header_style(cell)
            elif marked:
                marked_style(cell)
            if shown != "General":
                cell.number_format = shown
            if kind != "none":
                cell.font = body_font_of(cell.font, BODY_POINTS)
                cell.alignment = top_aligned(cell.alignment, kind == "text")
            found = self.ids[key] = str(cell.style_id) if cell.has_style else ""
        return found


_NOT_XML = re.compile("[\ud800-\udfff\ufffe\uffff]")  # no XML 1.0 document may hold these (safe_text took the rest)


def _text(value: str) -> str:
    """Text as an XML element's content: & < > escaped, characters XML cannot hold (a lone surrogate from an
    undecodable file name) as U+FFFD."""
    if _NOT_XML.search(value):
        value = _NOT_XML.sub("\ufffd", value)
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _number(value: Any) -> str:
    """A number as openpyxl writes one (``compat.safe_string``), so the file reads back the same."""
    return "%.16g" % value  # noqa: UP031  # the very format openpyxl uses


def _row_xml(r: int, values: Sequence[Any], height: float | None, styles: _Styles, header: bool,
             marked: bool, letters: Sequence[str]) -> str:
    """One ``<row>`` of the sheet's data, as openpyxl's write-only sheet writes it (an inline string for text,
    the number as it formats one, an empty styled cell only in a marked row), at a fraction of its cost."""
    parts = [f'<row r="{r}" ht="{_number(float(height))}" customHeight="1">' if height is not None else f'<row r="{r}">']
    for c, value in enumerate(values):
        if value is None:
            if not marked:
                continue
            kind = "none"
        else:
            kind = "text" if isinstance(value, str) else "other"
        s = styles.of(header, marked, kind, number_format(value) if isinstance(value, Decimal) else "General")
        where = f'<c r="{letters[c]}{r}"' + (f' s="{s}"' if s else "")
        if value is None:
            parts.append(where + ' t="n"/>')
        elif kind == "text":
            if value == "":
                parts.append(where + ' t="inlineStr"/>')
            else:
                space = ' xml:space="preserve"' if value != value.strip() else ""
                parts.append(f'{where} t="inlineStr"><is><t{space}>{_text(value)}</t></is></c>')
        elif isinstance(value, bool):
            parts.append(f'{where} t="b"><v>{int(value)}</v></c>')
        else:
            parts.append(f'{where} t="n"><v>{_number(value)}</v></c>')
    parts.append("</row>")
    return "".join(parts)


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


class StreamBook:
    """A workbook of large tables: openpyxl (write-only) writes everything but the tables' rows, which this
    module writes as XML text into a temporary file per sheet, set into their sheets' places as the file is
    saved. openpyxl spends about 20 us a cell making and serialising its cell objects; a 10,000-applicant
    batch has 200,000 of them."""

    def __init__(self) -> None:
        from openpyxl import Workbook

        self.wb = Workbook(write_only=True)
        self.rows: list[tuple[Any, IO[bytes]]] = []  # each table's sheet and its rows, as written

    def write_table(self, name: str, table: Table) -> None:
        """``table`` as the sheet ``name``: header repeated on every page, frozen below it, laid out for A4
        (``printlayout``), a filter on the whole table if asked."""
        from openpyxl.utils import get_column_letter

        ws = self.wb.create_sheet(name)
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
        styles = _Styles(ws)
        letters = [get_column_letter(i) for i in range(1, columns + 1)]  # each cell is named by them (A1, B1 ...)
        sink = tempfile.TemporaryFile()  # noqa: SIM115  # kept open until save(), which closes it
        chunk: list[str] = []
        for r, values in enumerate([list(table.header), *table.rows], start=1):
            chunk.append(_row_xml(r, values, plan.heights.get(r), styles, r == 1, r - 2 in table.marked, letters))
            if len(chunk) >= 1000:
                sink.write("".join(chunk).encode("utf-8"))
                chunk.clear()
        sink.write("".join(chunk).encode("utf-8"))
        self.rows.append((ws, sink))

    def save(self) -> bytes:
        """The workbook's file: openpyxl's, each table sheet's empty ``<sheetData/>`` filled with its rows."""
        made = io.BytesIO()
        self.wb.save(made)
        rows = {ws.path.lstrip("/"): sink for ws, sink in self.rows}  # a sheet's part is named as it is saved
        out = io.BytesIO()
        with zipfile.ZipFile(made) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as book:
            for info in source.infolist():
                data = source.read(info)
                sink = rows.pop(info.filename, None)
                if sink is None:
                    book.writestr(info, data)
                    continue
                head, tail = _around_rows(info.filename, data)
                member = zipfile.ZipInfo(info.filename, info.date_time)
                member.compress_type = zipfile.ZIP_DEFLATED
                with book.open(member, "w") as part:
                    part.write(head + b"<sheetData>")
                    sink.seek(0)
                    shutil.copyfileobj(sink, part, 1 << 20)
                    part.write(b"</sheetData>" + tail)
                sink.close()
        if rows:  # openpyxl named a sheet's part otherwise: never save a workbook missing its rows
            raise RuntimeError(f"worksheet parts not found in the saved workbook: {sorted(rows)}")
        return out.getvalue()


_EMPTY_ROWS = re.compile(rb"<sheetData\s*/>|<sheetData>\s*</sheetData>")


def _around_rows(part: str, xml: bytes) -> tuple[bytes, bytes]:
    """A sheet's XML before and after its (empty) rows."""
    found = list(_EMPTY_ROWS.finditer(xml))
    if len(found) != 1:
        raise RuntimeError(f"{part}: expected one empty sheetData, found {len(found)}")
    return xml[: found[0].start()], xml[found[0].end():]
