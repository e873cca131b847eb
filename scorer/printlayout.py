"""How an exported worksheet prints: A4, one page wide, headers on every page, page numbers.

An office suite prints a sheet at 100 % on its default paper (often US Letter) unless the file says
otherwise, and cuts it into as many pages across as its columns need; a clerk then gets 序号 and
评分项目 on page 1 and the 自评分 on page 4. So every exported sheet names its paper (A4), asks to be
fitted to one page wide (``fitToPage`` on, 1 wide, 0 = as many tall as needed), repeats its header
row, and carries a footer with the page number, the person it concerns and the sheet's name.

Columns are sized from what they hold, measured in display columns (a Chinese character is as wide
as two digits), between a floor and a ceiling per column, then narrowed to the printable width of
the page so the fit does not have to shrink the text; long text wraps inside its cell instead of
running over the right edge. Text merged across the full width (the title, the sources line) gets a
row height for its wrapped lines, since no office suite sizes merged rows by itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from .linebreak import Paragraph, display_widths, paragraphs
from .numbers import fmt
from .rules.answers import CONTROL_CHARS

A4 = "9"  # paperSize code of ISO A4 in SpreadsheetML
# Margins in inches (SpreadsheetML's unit): Excel's "normal" margins, the ones a clerk leaves alone.
MARGINS = {"left": 0.7, "right": 0.7, "top": 0.75, "bottom": 0.75, "header": 0.3, "footer": 0.3}
# Printable width of A4 less the margins, in column-width units (one unit ≈ the width of a digit of the
# default 11 pt font, 7 px at 96 dpi, plus 5 px of cell padding per column, counted in ``fit_columns``).
PAGE_UNITS = {"portrait": 94, "landscape": 141}
PADDING_PER_COLUMN = 0.7  # the 5 px an office suite adds to each column
UNITS_PER_DISPLAY_COLUMN = 1.05  # an 11 pt CJK glyph is 14.7 px, a little over two 7 px digit widths
PADDING_UNITS = 0.3  # inside a column: Excel's width counts text only (its 5 px padding is outside)
LINE_POINTS = 1.45  # a line of CJK text: Noto Sans CJK (LibreOffice's fallback) is 1.448 em tall; 微软雅黑 1.32 em
FOOTER_LIMIT = 80  # characters of a name in the footer (Excel allows 255 for the whole footer)
BODY_POINTS = 10.5
LOOKAHEAD = 12  # units column_widths tries at once
REBALANCE_PASSES = 8
HEADER_LINES = 2  # a column's header may wrap once, not more
FONT = "Calibri"  # named, so no suite falls back to a serif for a cell that names none
PAGE_NUMBERS = "第 &P 页 共 &N 页"


def units(columns: float) -> float:
    """Column-width units that show ``columns`` display columns of text."""
    return columns * UNITS_PER_DISPLAY_COLUMN + PADDING_UNITS


def per_line(column_units: float, size: float = 11) -> float:
    """Display columns of ``size``-point text on one line of a column ``column_units`` wide."""
    return max(1.0, (column_units - PADDING_UNITS) * 11 / size / UNITS_PER_DISPLAY_COLUMN)


def _merged_cells(ws: Any) -> set[tuple[int, int]]:
    """Cells inside a range merged across columns: their text is laid out by ``fit_merged_rows``."""
    cells: set[tuple[int, int]] = set()
    for rng in ws.merged_cells.ranges:
        if rng.max_col > rng.min_col:
            cells.update((r, c) for r in range(rng.min_row, rng.max_row + 1) for c in range(rng.min_col, rng.max_col + 1))
    return cells


class Measured:
    """One cell as the layout sees it: its text and its font size.

    Its display widths are counted at once (``linebreak.display_widths``); its paragraphs, the points
    where a line may break (see ``linebreak``), are found only when a width would wrap it: most cells of a
    table fit on one line at every width their column may take, and a table of 100,000 rows must not
    find, nor keep, every cell's break points."""

    __slots__ = ("_paragraphs", "column", "row", "size", "text", "total", "width")

    def __init__(self, row: int, column: int, text: str, size: float = 11.0, widths: tuple[int, int] | None = None):
        self.row = row
        self.column = column  # 0-based
        self.text = text
        self.size = size
        # the widest line, all lines together (``widths``: already counted for another cell of this text)
        self.width, self.total = display_widths(text) if widths is None else widths
        self._paragraphs: tuple[Paragraph, ...] | None = None

    @classmethod
    def of(cls, row: int, column: int, text: str, size: float = 11.0) -> Measured:
        return cls(row, column, text, size)

    @property
    def paragraphs(self) -> tuple[Paragraph, ...]:
        if self._paragraphs is None:
            self._paragraphs = paragraphs(self.text)
        return self._paragraphs

    @property
    def count(self) -> int:
        """Paragraphs (lines between newlines): the lines it takes where every one fits."""
        return self.text.count("\n") + 1

    def lines(self, column_units: float) -> int:
        room = per_line(column_units, self.size)
        if self.width <= room:
            return self.count
        return sum(p.lines(room) for p in self.paragraphs)

    def fraction(self, column_units: float) -> float:
        """Lines without rounding up: still falls when a wider column does not yet save a whole line."""
        return self.total / per_line(column_units, self.size)


def column_widths(cells: Sequence[Measured], bounds: Sequence[tuple[float, float]], budget: float) -> list[float]:
    """Widths inside ``bounds`` (floor, ceiling) that fit ``budget`` units with as few printed lines as
    possible: each column wants its widest cell (up to its ceiling); when they do not all fit, every
    column starts at its floor and the page's width is handed out one unit at a time to the column
    where it saves the most lines per unit (rows are as tall as their tallest cell), looking a few units
    ahead, since a long text saves its first line only after several units.

    Each cell's lines are counted once per width its column can take (``_Grid``), and every step of the
    hand-out is a few array operations over all rows, so a table of 10,000 rows costs what ten of 1,000
    do. The sums are taken in the cells' order, as a loop over them would, so the widths are exactly
    those of one (``tests/test_printlayout.py`` keeps that loop and compares)."""
    return _handed_out(cells, bounds, budget)[0]


def _handed_out(cells: Sequence[Measured], bounds: Sequence[tuple[float, float]],
                budget: float) -> tuple[list[float], _Grid | None]:
    """``column_widths``, and the grid it handed the width out on (None when every column got what it wanted)."""
    count = len(bounds)
    widest = [0] * count
    for c in cells:
        widest[c.column] = max(widest[c.column], c.width)
    wanted = [min(max(units(w), lo), hi) for w, (lo, hi) in zip(widest, bounds, strict=True)]
    if sum(wanted) <= budget:
        return wanted, None
    widths = [min(lo, w) for w, (lo, _) in zip(wanted, bounds, strict=True)]
    grid = _Grid(cells, widths, wanted, count)
    while True:
        best: tuple[float, float, int, int] | None = None  # lines saved per unit, fraction per unit, -column, units
        left = budget - sum(widths)
        others = grid.others()
        for i in range(count):
            steps = 0
            while steps < LOOKAHEAD and widths[i] + steps + 1 <= wanted[i] and steps + 1 <= left:
                steps += 1
            if not steps:
                continue
            saved_lines, saved_fraction = grid.savings(i, steps, others[i])
            for step in range(1, steps + 1):
                key = (saved_lines[step - 1] / step, saved_fraction[step - 1] / step, -i, step)
                if best is None or key[:3] > best[:3]:
                    best = key
        if best is None:
            return _rebalanced(widths, bounds, wanted, grid), grid
        i, step = -best[2], best[3]
        widths[i] += step
        grid.move(i, step)


class _Grid:
    """Every cell's lines at each width its column may take (its floor plus whole units up to what it
    wants), and the lines of every row at the current widths (rows are as tall as their tallest cell).

    Per column it keeps the lines (cells x widths, 32-bit: a cell has at most 32,767 characters) and
    each cell's unwrapped width; the unrounded lines at a width are that width over the room of a line,
    divided when they are needed, exactly as they would be stored."""

    def __init__(self, cells: Sequence[Measured], widths: Sequence[float], wanted: Sequence[float], count: int):
        import numpy as np

        self.np = np
        rows = {c.row: 0 for c in cells}
        for index, row in enumerate(rows):
            rows[row] = index
        self.row_numbers = list(rows)  # the table's row of each grid row
        self.count = count
        self.at = [0] * count  # whole units above the starting width
        self.rows: list[Any] = []  # per column: the row index of each of its cells, in the cells' order
        self.lines: list[Any] = []  # per column: cells x widths, lines
        self.totals: list[Any] = []  # per column: each cell's display columns, all lines together
        self.rooms: list[Any] = []  # per column: cells x widths, display columns a line holds (by the cell's size)
        self.current = np.ones((len(rows), count + 3), dtype=np.int64)  # spare columns of 1: see others() and total()
        self._ranked: tuple[Any, Any] | None = None
        by_column: list[list[Measured]] = [[] for _ in range(count)]
        for c in cells:
            by_column[c.column].append(c)
        for i, column in enumerate(by_column):
            span = 0
            while widths[i] + span + 1 <= wanted[i]:
                span += 1
            steps = [widths[i] + k for k in range(span + 1)]
            sizes = sorted({c.size for c in column})
            rooms = {size: [per_line(u, size) for u in steps] for size in sizes}
            seen: dict[Any, list[int]] = {}  # cells of one text, and of one shape (texts alike)
            counted = [_lines_at(c, rooms[c.size], seen) for c in column]
            lines = np.array(counted, dtype=np.int32).reshape(len(column), span + 1)
            del counted, seen
            for c in column:  # counted: the break points are let go (found again should anyone ask)
                c._paragraphs = None
            by_size = np.array([rooms[size] for size in sizes]).reshape(len(sizes), span + 1)
            which = np.array([sizes.index(c.size) for c in column], dtype=np.int64) if len(sizes) > 1 else None
            self.rows.append(np.array([rows[c.row] for c in column], dtype=np.int64))
            self.lines.append(lines)
            self.totals.append(np.array([float(c.total) for c in column]))
            self.rooms.append((by_size, which))
            self.current[self.rows[i], i] = lines[:, 0]

    def _fractions(self, i: int, first: int, last: int) -> Any:
        """Unrounded lines of column ``i``'s cells at its widths ``first`` … ``last`` - 1 (cells x widths)."""
        by_size, which = self.rooms[i]
        room = by_size[:, first:last]
        room = room[which] if which is not None else room
        return self.totals[i][:, None] / room

    def others(self) -> list[Any]:
        """Per column, each of its rows' tallest other cell (1 where the row has no other)."""
        np = self.np
        ranked = np.argsort(-self.current, axis=1, kind="stable")[:, :2]
        top = np.take_along_axis(self.current, ranked, axis=1)
        out = []
        for i in range(self.count):
            rows = self.rows[i]
            out.append(np.where(ranked[rows, 0] == i, top[rows, 1], top[rows, 0]))
        return out

    def savings(self, i: int, steps: int, others: Any) -> tuple[list[int], list[float]]:
        """Lines saved (rows as tall as their tallest cell) and unrounded lines saved by widening column ``i``
        by 1 … ``steps`` units; each sum taken cell by cell in the cells' order."""
        np = self.np
        k = self.at[i]
        lines = self.lines[i]
        if not len(lines):
            return [0] * steps, [0.0] * steps
        fractions = self._fractions(i, k, k + steps + 1)
        now = np.maximum(others, lines[:, k])
        after = np.maximum(others[:, None], lines[:, k + 1:k + steps + 1])
        saved_lines = (now[:, None] - after).sum(axis=0)
        saved_fraction = np.cumsum(fractions[:, 0][:, None] - fractions[:, 1:], axis=0)[-1]
        return [int(x) for x in saved_lines], [float(x) for x in saved_fraction]

    def move(self, i: int, step: int) -> None:
        self._ranked = None
        self.at[i] += step
        self.current[self.rows[i], i] = self.lines[i][:, self.at[i]]

    def row_lines(self) -> dict[int, int]:
        """Each row's lines at the current widths (its tallest cell), by the table's row number."""
        tallest = self.current.max(axis=1)
        return {row: int(lines) for row, lines in zip(self.row_numbers, tallest, strict=True)}

    def total(self, changes: dict[int, int]) -> int:
        """Printed lines of the table with each column ``i`` of ``changes`` moved ``changes[i]`` units from where
        it is (rows as tall as their tallest cell; the others' tallest read from ``_ranked``)."""
        np = self.np
        if self._ranked is None:
            order = np.argsort(-self.current, axis=1, kind="stable")[:, :3]  # at most two columns move at once
            self._ranked = (order, np.take_along_axis(self.current, order, axis=1))
        order, top = self._ranked
        moved = list(changes)
        assert len(moved) <= 2
        rest = top[:, len(moved)].copy()  # the tallest cell outside the moved columns: the first of the top ones not moved
        for place in range(len(moved) - 1, -1, -1):
            outside = ~np.isin(order[:, place], moved)
            rest = np.where(outside, top[:, place], rest)
        heights = rest
        for i, step in changes.items():
            column = np.ones(len(self.current), dtype=np.int64)
            column[self.rows[i]] = self.lines[i][:, self.at[i] + step]
            heights = np.maximum(heights, column)
        return int(heights.sum())


def _lines_at(cell: Measured, rooms: Sequence[float], seen: dict[Any, list[int]]) -> list[int]:
    """A cell's lines at each room (display columns per line, rising) its column's widths give; a cell whose
    every paragraph fits on one line (most of a table's) is not wrapped at all, and the cells of one text,
    or of one shape (the same widths and break points: a flag's words for two applicants), are wrapped
    once (``seen``, keyed by the text and by the paragraphs)."""
    fewest = cell.count
    width = cell.width
    if width <= rooms[0]:
        return [fewest] * len(rooms)
    counted = seen.get((cell.text, cell.size))
    if counted is not None:
        return counted
    shape = (cell.paragraphs, cell.size)
    counted = seen.get(shape)
    if counted is None:
        counted = seen[shape] = [fewest if width <= room else sum(p.lines(room) if p.width > room else 1
                                                                   for p in cell.paragraphs) for room in rooms]
    seen[(cell.text, cell.size)] = counted
    return counted


def _rebalanced(widths: list[float], bounds: Sequence[tuple[float, float]], wanted: Sequence[float],
                grid: _Grid) -> list[float]:
    """The greedy hand-out, improved by moving a few units from one column to another while that prints
    fewer lines (the greedy sees one column at a time; two columns of one row must shrink together)."""
    best = grid.total({})
    for _ in range(REBALANCE_PASSES):
        improved = False
        for i in range(len(widths)):
            for j in range(len(widths)):
                for step in (1, 2, 4, 8):
                    if i == j or widths[i] + step > wanted[i] or widths[j] - step < bounds[j][0]:
                        continue
                    total = grid.total({i: step, j: -step})
                    if total < best:
                        widths = list(widths)
                        widths[i] += step
                        widths[j] -= step
                        grid.move(i, step)
                        grid.move(j, -step)
                        best, improved = total, True
        if not improved:
            break
    return widths


@dataclass
class Layout:
    """How a table prints: its columns' widths, and the height of every row that takes more than one line."""

    widths: list[float]
    heights: dict[int, float]


def layout(cells: Sequence[Measured], bounds: Sequence[tuple[float, float]], orientation: str,
           header_row: int | None = None) -> Layout:
    """The widths of ``column_widths`` for the printable width of A4 in ``orientation`` (each column at least
    wide enough for its header in two lines), and the height of each row's tallest cell at those widths
    (at least 11 pt text: a row's height is never sized below the default font's line)."""
    floors = [lo for lo, _ in bounds]
    for c in cells:
        if c.row == header_row:
            while c.lines(floors[c.column]) > HEADER_LINES and floors[c.column] < bounds[c.column][1]:
                floors[c.column] += 0.5
    bounds = [(lo, hi) for lo, (_, hi) in zip(floors, bounds, strict=True)]
    widths, grid = _handed_out(cells, bounds, PAGE_UNITS[orientation] - PADDING_PER_COLUMN * len(bounds))
    sizes: dict[int, float] = {}
    for c in cells:
        sizes[c.row] = max(sizes.get(c.row, 11.0), c.size)
    if grid is not None:  # the lines at the final widths are in the grid already
        tallest = grid.row_lines()
    else:
        tallest = {}
        for c in cells:
            tallest[c.row] = max(tallest.get(c.row, 1), c.lines(widths[c.column]))
    heights = {row: row_height(lines, sizes[row]) for row, lines in tallest.items() if lines > 1}
    return Layout(widths, heights)


def _measure(ws: Any, count: int) -> list[Measured]:
    merged = _merged_cells(ws)
    out = []
    for row in ws.iter_rows(max_col=count):
        for cell in row:
            if cell.value is None or (cell.row, cell.column) in merged:
                continue
            text = fmt(cell.value) if isinstance(cell.value, Decimal) else str(cell.value)
            out.append(Measured.of(cell.row, cell.column - 1, text, float(cell.font.sz or 11)))
    return out


def fit_columns(ws: Any, bounds: Sequence[tuple[float, float]], orientation: str, header_row: int | None = None) -> list[float]:
    """Set the widths and row heights of ``layout``, wrap every text cell and align every cell to the top.
    Returns the widths. (``scorer.streamsheet`` lays out a sheet written row by row the same way.)"""
    from openpyxl.utils import get_column_letter

    cells = _measure(ws, len(bounds))
    plan = layout(cells, bounds, orientation, header_row)
    for i, w in enumerate(plan.widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w
    restyle = Restyler()
    for c in cells:
        cell = ws.cell(c.row, c.column + 1)
        text = isinstance(cell.value, str)
        if not restyle.same_as_before(cell, text):
            cell.alignment = top_aligned(cell.alignment, text)
            restyle.remember(cell)
    for row, height in plan.heights.items():
        ws.row_dimensions[row].height = height
    return plan.widths


def top_aligned(alignment: Any, text: bool) -> Any:
    """A cell's alignment as ``fit_columns`` leaves it: its own horizontal one, top unless it says otherwise,
    and text wrapped."""
    from openpyxl.styles import Alignment

    return Alignment(horizontal=alignment.horizontal, vertical=alignment.vertical or "top", wrap_text=text)


def wrapped_lines(text: str, column_units: float, size: float = 11) -> int:
    """Lines ``text`` takes wrapped in a column ``column_units`` wide."""
    return Measured.of(0, 0, text, size).lines(column_units)


def row_height(lines: int, size: float = 11) -> float:
    """Points a row needs for ``lines`` lines of ``size``-point text.  Set explicitly: neither LibreOffice
    nor Excel re-measures a row's wrapped text when it opens a file."""
    return round(lines * size * LINE_POINTS + 3, 1)


def body_font(ws: Any, size: float = BODY_POINTS) -> None:
    """Every cell still in the default 11 pt font in ``size`` points (a title set larger keeps its size),
    and every font named:
    五号 (10.5 pt) is what Chinese forms are printed in, and the smaller size saves a page or two."""
    restyle = Restyler()
    for row in ws.iter_rows():
        for cell in row:
            if cell.value is None or restyle.same_as_before(cell):
                continue
            cell.font = body_font_of(cell.font, size)
            restyle.remember(cell)


def body_font_of(font: Any, size: float = BODY_POINTS) -> Any:
    """The font ``body_font`` gives a cell that had ``font``: named, and ``size`` points unless its own size
    is not the default 11."""
    from openpyxl.styles import Font

    own = font.sz is not None and float(font.sz) != 11
    return Font(name=font.name or FONT, bold=font.b, italic=font.i, color=font.color, size=font.sz if own else size)


class Restyler:
    """Restyles many cells at the cost of a few: the first cell of each style (and ``extra``) is restyled as
    usual, and every later one of the same gets the very style the first one ended with.

    Setting a font or an alignment makes openpyxl build and hash style objects for every cell, which was
    most of the time of a 10,000-row export; the style a cell gets depends only on the style it had (and
    on ``extra``), so copying the first one's is the same result. The copy is how openpyxl copies a cell's
    style itself (``WorksheetCopy``: ``target._style = copy(source._style)``)."""

    def __init__(self) -> None:
        self.done: dict[tuple[Any, ...], Any] = {}
        self.pending: tuple[Any, ...] | None = None

    def same_as_before(self, cell: Any, extra: Any = None) -> bool:
        from copy import copy

        style = cell._style  # None until a style is first set: the default
        key = (tuple(style) if style is not None else (), extra)
        after = self.done.get(key)
        if after is not None:
            cell._style = copy(after)
            return True
        self.pending = key
        return False

    def remember(self, cell: Any) -> None:
        from copy import copy

        assert self.pending is not None
        self.done[self.pending] = copy(cell._style)
        self.pending = None


def fit_merged_rows(ws: Any) -> None:
    """Wrap the text of every range merged across columns and give its row the height of its lines."""
    from openpyxl.styles import Alignment
    from openpyxl.utils import get_column_letter

    for rng in ws.merged_cells.ranges:
        if rng.max_col == rng.min_col or rng.max_row != rng.min_row:
            continue
        cell = ws.cell(rng.min_row, rng.min_col)
        if not isinstance(cell.value, str):
            continue
        span = sum(ws.column_dimensions[get_column_letter(c)].width or 8.43 for c in range(rng.min_col, rng.max_col + 1))
        size = float(cell.font.sz or 11)
        lines = wrapped_lines(cell.value, span, size)
        ws.row_dimensions[rng.min_row].height = row_height(lines, size)
        a = cell.alignment
        cell.alignment = Alignment(horizontal=a.horizontal, vertical="center" if lines == 1 else "top", wrap_text=True)


def footer_text(text: str) -> str:
    """Text for a header or footer: control characters gone, ``&`` doubled (a lone ``&`` starts a
    formatting code such as ``&12`` = 12 pt), and short enough for Excel's 255-character limit."""
    text = CONTROL_CHARS.sub("", text).replace("\n", " ")
    if len(text) > FOOTER_LIMIT:
        text = text[: FOOTER_LIMIT - 1] + "…"
    return text.replace("&", "&&")


def print_setup(ws: Any, *, orientation: str, header_row: int | None, who: str, title: str | None = None,
                used: tuple[int, int] | None = None) -> None:
    """A4 in ``orientation``, one page wide and as many tall as needed, ``header_row`` repeated on every
    page, the used range as print area, and the footer ``who`` · 第 N 页 共 M 页 · the sheet's name;
    ``title`` (for a sheet without a title row) goes in the page header. ``used`` is (columns, rows) of a
    sheet written row by row, which cannot count its own."""
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.page import PageMargins
    from openpyxl.worksheet.properties import PageSetupProperties

    ws.page_setup.paperSize = A4
    ws.page_setup.orientation = orientation
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    if ws.sheet_properties.pageSetUpPr is None:
        ws.sheet_properties.pageSetUpPr = PageSetupProperties()
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins = PageMargins(**MARGINS)
    ws.print_options.horizontalCentered = True
    if header_row is not None:
        ws.print_title_rows = f"{header_row}:{header_row}"
    columns, rows = used if used is not None else (ws.max_column, ws.max_row)
    ws.print_area = f"A1:{get_column_letter(max(columns, 1))}{max(rows, 1)}"
    ws.oddFooter.left.text = footer_text(who)
    ws.oddFooter.left.size = 9
    ws.oddFooter.center.text = PAGE_NUMBERS
    ws.oddFooter.center.size = 9
    ws.oddFooter.right.text = "&A"  # the sheet's name: which tab a loose page came from
    ws.oddFooter.right.size = 9
    if title:
        ws.oddHeader.center.text = footer_text(title)
        ws.oddHeader.center.size = 12
