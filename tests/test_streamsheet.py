"""The batch workbook written row by row (``scorer.streamsheet``) is the one the sheet held in memory gave:
the same cells, values and styles, widths, row heights, frozen panes, filter and print settings.

The in-memory way is kept here as the reference, as ``batch_xlsx`` made it before issue 11 (openpyxl
holding every cell, restyled by ``body_font`` and ``fit_columns``), and both files are read back and
compared: whatever openpyxl does differently underneath, a reader and a printer see the same workbook.
"""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import openpyxl
import pytest
from batchgen import population

from scorer import SheetLibrary
from scorer.batch import BatchError, Source, run_batch
from scorer.cells import append_row
from scorer.export import (
    BATCH_COLUMNS,
    BATCH_TITLE,
    BATCH_WIDTHS,
    ERROR_COLUMNS,
    FLAG_COLUMNS,
    PLACE_COLUMNS,
    PLACE_WIDTHS,
    SETTINGS_COLUMNS,
    _header_row,
    _table_sheet,
    batch_table,
    batch_xlsx,
)
from scorer.flags import DEFAULT_SETTINGS, FlagSettings
from scorer.printlayout import Restyler, body_font, fit_columns, print_setup


def reference_batch_xlsx(rows: list[Any], errors: list[Any], settings: FlagSettings | None = None) -> bytes:
    """``batch_xlsx`` as it was with every cell held in memory."""
    from openpyxl import Workbook
    from openpyxl.styles import PatternFill

    wb = Workbook()
    ws = wb.active
    ws.title = "复核总表"
    who = f"{BATCH_TITLE}：共 {len(rows)} 名申报人"
    at = _header_row(ws, BATCH_COLUMNS)
    flagged = PatternFill("solid", fgColor="FFF4E5")
    restyle = Restyler()
    for values in batch_table(rows):
        append_row(ws, values)
        at += 1
        if values[10]:
            for column in range(1, len(BATCH_COLUMNS) + 1):
                cell = ws.cell(at, column)
                if not restyle.same_as_before(cell):
                    cell.fill = flagged
                    restyle.remember(cell)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions
    body_font(ws)
    fit_columns(ws, BATCH_WIDTHS, "landscape", 1)
    print_setup(ws, orientation="landscape", header_row=1, who=who, title=BATCH_TITLE)
    placed = [row for row in rows if row.place is not None]
    if placed:
        placed.sort(key=lambda row: (row.sheet.short_title, row.place.group, row.place.rank or 10**9))
        place_rows = [(row.person, row.unit, row.sheet.short_title, row.place.group,
                       "" if row.place.exam is None else row.place.exam, row.place.status or "推荐",
                       row.place.rank) for row in placed]
        _table_sheet(wb.create_sheet("按专业排名"), PLACE_COLUMNS, place_rows, PLACE_WIDTHS, "portrait", who)
    flag_rows = [(row.name, row.source, flag.label, flag.reason, "；".join(flag.entries), flag.help)
                 for row in rows for flag in row.flags]
    _table_sheet(wb.create_sheet("标记明细"), ["申报人", "来源", "类别", "原因", "涉及业绩", "说明"], flag_rows,
                 FLAG_COLUMNS, "landscape", who)
    error_rows = [(error.source, "\n".join(error.lines)) for error in errors]
    _table_sheet(wb.create_sheet("未能读取的文件"), ["文件", "错误"], error_rows, ERROR_COLUMNS, "portrait", who)
    _table_sheet(wb.create_sheet("标记设置"), ["设置", "值", "说明"], list((settings or DEFAULT_SETTINGS).rows()),
                 SETTINGS_COLUMNS, "portrait", who)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _style(c: Any) -> tuple[Any, ...]:
    f, a, fill, b = c.font, c.alignment, c.fill, c.border
    return (f.name, f.b, f.i, f.sz, f.color.rgb if f.color is not None else None, f.color.theme if f.color is not None else None,
            a.horizontal, a.vertical, a.wrap_text, fill.fill_type, fill.fgColor.rgb if fill.fgColor is not None else None,
            tuple((s.style, s.color.rgb if s.color is not None else None) for s in (b.left, b.right, b.top, b.bottom)),
            c.number_format)


def seen(raw: bytes) -> dict[str, Any]:
    """A workbook as a reader and a printer see it."""
    wb = openpyxl.load_workbook(io.BytesIO(raw))
    out: dict[str, Any] = {"sheets": wb.sheetnames}
    for ws in wb.worksheets:
        setup, margins = ws.page_setup, ws.page_margins
        out[ws.title] = {
            "cells": [(c.coordinate, c.value, c.data_type, _style(c)) for row in ws.iter_rows() for c in row
                      if c.value is not None or c.has_style],
            "widths": {k: d.width for k, d in sorted(ws.column_dimensions.items())},
            "heights": {k: d.height for k, d in sorted(ws.row_dimensions.items()) if d.height is not None},
            "view": (ws.freeze_panes, ws.auto_filter.ref),
            "page": (setup.paperSize, setup.orientation, setup.fitToWidth, setup.fitToHeight,
                     ws.sheet_properties.pageSetUpPr.fitToPage, ws.print_options.horizontalCentered,
                     ws.print_title_rows, ws.print_area),
            "margins": (margins.left, margins.right, margins.top, margins.bottom, margins.header, margins.footer),
            "footer": [(p.text, p.size) for p in (ws.oddFooter.left, ws.oddFooter.center, ws.oddFooter.right)],
            "header": [(p.text, p.size) for p in (ws.oddHeader.left, ws.oddHeader.center, ws.oddHeader.right)],
        }
    return out


@pytest.fixture(scope="module")
def batch(library: SheetLibrary) -> Any:
    sources = [Source(f"{i:03d}.yaml", data=d) for i, (_, d) in enumerate(population() * 2)]
    done = run_batch(sources, library.sheets)
    done.errors = [BatchError("坏文件.yaml", ["坏文件.yaml：第 1 行：无法解析", "=HYPERLINK(\"x\")"]),
                   BatchError("空.json", ["空.json：文件是空的"])]
    return done


def test_the_streamed_batch_workbook_is_the_one_held_in_memory(batch: Any) -> None:
    now, then = seen(batch_xlsx(batch.rows, batch.errors)), seen(reference_batch_xlsx(batch.rows, batch.errors))
    assert now["sheets"] == then["sheets"] == ["复核总表", "按专业排名", "标记明细", "未能读取的文件", "标记设置"]
    for name in now["sheets"]:
        for key in then[name]:
            assert now[name][key] == then[name][key], (name, key)
    main = now["复核总表"]
    assert any(h > 30 for h in main["heights"].values())  # some rows wrap, so heights are compared too
    assert {s[9] for *_, s in main["cells"]} >= {"solid", None}  # flagged rows filled, the others not


def test_settings_of_its_own_and_an_empty_batch_too(batch: Any) -> None:
    settings = FlagSettings(similarity=Decimal("0.8"), enabled=("duplicate", "no_evidence"))
    assert seen(batch_xlsx(batch.rows[:3], [], settings)) == seen(reference_batch_xlsx(batch.rows[:3], [], settings))
    assert seen(batch_xlsx([], [])) == seen(reference_batch_xlsx([], []))


def test_rows_written_as_text_keep_every_value_and_are_well_formed() -> None:
    """The rows this module writes itself: markup characters, spaces at either end, an empty text, a file
    name that could not be decoded (a lone surrogate, which no XML may hold: shown as U+FFFD), numbers as
    openpyxl writes them, and a marked row's empty cells filled like the rest of it."""
    import zipfile
    from xml.etree import ElementTree

    from scorer.streamsheet import StreamBook, Table

    rows = [["<a> & “b”", "  两端有空格 ", Decimal("93.6"), 3],
            ["坏\udcff名.yaml", "", None, Decimal("0.125")],
            ["   ", "末行", Decimal(80), None]]
    book = StreamBook()
    book.write_table("表", Table(["甲", "乙", "丙", "丁"], [list(r) for r in rows], [(4, 20)] * 4, "portrait", "谁",
                                marked={1}))
    raw = book.save()
    with zipfile.ZipFile(io.BytesIO(raw)) as parts:
        ElementTree.fromstring(parts.read("xl/worksheets/sheet1.xml"))  # well-formed, or this raises
    ws = openpyxl.load_workbook(io.BytesIO(raw))["表"]
    got = [[c.value for c in row] for row in ws.iter_rows(min_row=2, max_col=4)]
    assert got == [["<a> & “b”", "  两端有空格 ", 93.6, 3],
                   ["坏\ufffd名.yaml", None, None, 0.125],
                   ["   ", "末行", 80, None]]
    fills = [[c.fill.fill_type for c in row] for row in ws.iter_rows(min_row=2, max_col=4)]
    assert fills == [[None] * 4, ["solid"] * 4, [None] * 4]  # the marked row's empty cells too
