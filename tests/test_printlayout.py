"""Column widths for print: the linear hand-out gives exactly the widths of the loop it replaced
(kept here as the reference), on generated tables and on a real batch table; and it stays linear."""

from __future__ import annotations

import random
import time
from collections.abc import Sequence

import pytest

from scorer.linebreak import display_widths, paragraphs
from scorer.printlayout import (
    HEADER_LINES,
    LOOKAHEAD,
    PADDING_PER_COLUMN,
    PAGE_UNITS,
    REBALANCE_PASSES,
    Measured,
    column_widths,
    layout,
    per_line,
    row_height,
    units,
)


def _lines(c: Measured, column_units: float) -> int:
    """A cell's lines, from its paragraphs as ``linebreak`` finds them (none of ``Measured``'s shortcuts)."""
    return sum(p.lines(per_line(column_units, c.size)) for p in paragraphs(c.text))


def _fraction(c: Measured, column_units: float) -> float:
    return sum(p.width for p in paragraphs(c.text)) / per_line(column_units, c.size)


def _width(c: Measured) -> int:
    return max(p.width for p in paragraphs(c.text))


def reference_widths(cells: Sequence[Measured], bounds: Sequence[tuple[float, float]], budget: float) -> list[float]:
    """The hand-out as it was first written, a loop over every cell at every step (issue 11 made it linear).

    Widths inside ``bounds`` (floor, ceiling) that fit ``budget`` units with as few printed lines as
    possible: each column wants its widest cell (up to its ceiling); when they do not all fit, every
    column starts at its floor and the page's width is handed out one unit at a time to the column
    where it saves the most lines per unit (rows are as tall as their tallest cell), looking a few units
    ahead, since a long text saves its first line only after several units."""
    count = len(bounds)
    widest = [0] * count
    for c in cells:
        widest[c.column] = max(widest[c.column], _width(c))
    wanted = [min(max(units(w), lo), hi) for w, (lo, hi) in zip(widest, bounds, strict=True)]
    if sum(wanted) <= budget:
        return wanted
    widths = [min(lo, w) for w, (lo, _) in zip(wanted, bounds, strict=True)]
    by_column: list[list[Measured]] = [[] for _ in range(count)]
    for c in cells:
        by_column[c.column].append(c)
    lines: dict[int, list[int]] = {}
    for c in cells:
        lines.setdefault(c.row, [1] * count)[c.column] = _lines(c, widths[c.column])
    while True:
        best: tuple[float, float, int, int] | None = None  # lines saved per unit, fraction per unit, -column, units
        left = budget - sum(widths)
        for i in range(count):
            for step in range(1, LOOKAHEAD + 1):
                if widths[i] + step > wanted[i] or step > left:
                    break
                saved_lines = 0
                for c in by_column[i]:
                    row = lines[c.row]
                    now = _lines(c, widths[i] + step)
                    if now != row[i]:
                        others = max((x for j, x in enumerate(row) if j != i), default=1)
                        saved_lines += max(others, row[i]) - max(others, now)
                saved_fraction = sum(_fraction(c, widths[i]) - _fraction(c, widths[i] + step) for c in by_column[i])
                key = (saved_lines / step, saved_fraction / step, -i, step)
                if best is None or key[:3] > best[:3]:
                    best = key
        if best is None:
            return _reference_rebalanced(widths, bounds, wanted, by_column)
        i, step = -best[2], best[3]
        widths[i] += step
        for c in by_column[i]:
            lines[c.row][i] = _lines(c, widths[i])


def _total_lines(widths: Sequence[float], by_column: Sequence[Sequence[Measured]]) -> int:
    tallest: dict[int, int] = {}
    for i, column in enumerate(by_column):
        for c in column:
            tallest[c.row] = max(tallest.get(c.row, 1), _lines(c, widths[i]))
    return sum(tallest.values())


def _reference_rebalanced(widths: list[float], bounds: Sequence[tuple[float, float]], wanted: Sequence[float],
                by_column: Sequence[Sequence[Measured]]) -> list[float]:
    """The greedy hand-out, improved by moving a few units from one column to another while that prints
    fewer lines (the greedy sees one column at a time; two columns of one row must shrink together)."""
    best = _total_lines(widths, by_column)
    for _ in range(REBALANCE_PASSES):
        improved = False
        for i in range(len(widths)):
            for j in range(len(widths)):
                for step in (1, 2, 4, 8):
                    if i == j or widths[i] + step > wanted[i] or widths[j] - step < bounds[j][0]:
                        continue
                    trial = list(widths)
                    trial[i] += step
                    trial[j] -= step
                    total = _total_lines(trial, by_column)
                    if total < best:
                        widths, best, improved = trial, total, True
        if not improved:
            break
    return widths


WORDS = ["某县重点生态修复工程", "SCI/EI", "1、0.8、0.6", "负责人冲突：", "（主持）", "abc def", "2019-06-01", "80", "达到",
         "同一项业绩被 甲、乙 都申报为主持/负责人：本人「瓯北镇示范工程」，", "未列佐证", "x" * 30, "、", "。"]


def _table(rng: random.Random, rows: int, columns: int, size: float) -> list[Measured]:
    cells = []
    for r in range(1, rows + 1):
        for c in range(columns):
            if rng.random() < 0.15:
                continue  # an empty cell
            parts = [rng.choice(WORDS) for _ in range(rng.choice([1, 1, 2, 4, 9]))]
            text = "".join(parts) if rng.random() < 0.8 else "\n".join(parts)
            cells.append(Measured.of(r, c, text, size if r > 1 else 11.0))
    return cells


def _bounds(rng: random.Random, columns: int) -> list[tuple[float, float]]:
    out = []
    for _ in range(columns):
        lo = rng.choice([4, 5, 6, 8, 10, 12, 20]) + rng.choice([0, 0, 0.5, 1.5])
        out.append((lo, lo + rng.choice([0, 1, 4, 10, 20, 40])))
    return out


def _random_table(rng: random.Random) -> tuple[list[Measured], list[tuple[float, float]]]:
    """A table of 2 to 13 columns and 1 to 40 rows, one font size, and its columns' bounds."""
    columns = rng.choice([2, 3, 5, 8, 13])
    cells = _table(rng, rng.choice([1, 3, 12, 40]), columns, rng.choice([10.5, 11.0, 9.0]))
    return cells, _bounds(rng, columns)


@pytest.mark.parametrize("seed", range(60))
def test_the_widths_are_exactly_those_of_the_loop_over_every_cell(seed: int) -> None:
    rng = random.Random(seed)
    cells, bounds = _random_table(rng)
    columns = len(bounds)
    budget = rng.choice(list(PAGE_UNITS.values())) - 0.7 * columns - rng.choice([0, 30, 60])
    assert column_widths(cells, bounds, budget) == reference_widths(cells, bounds, budget)


@pytest.mark.parametrize("seed", range(40))
def test_each_row_gets_the_height_of_its_tallest_cell_at_those_widths(seed: int) -> None:
    """``layout`` reads the rows' lines off the hand-out's grid: the same as measuring every cell again."""
    rng = random.Random(seed)
    cells, bounds = _random_table(rng)
    columns = len(bounds)
    orientation = rng.choice(list(PAGE_UNITS))
    header = rng.choice([None, 1])
    plan = layout(cells, bounds, orientation, header)
    floors = [lo for lo, _ in bounds]
    for c in cells:
        if c.row == header:
            while _lines(c, floors[c.column]) > HEADER_LINES and floors[c.column] < bounds[c.column][1]:
                floors[c.column] += 0.5
    fitted = [(lo, hi) for lo, (_, hi) in zip(floors, bounds, strict=True)]
    assert plan.widths == reference_widths(cells, fitted, PAGE_UNITS[orientation] - PADDING_PER_COLUMN * columns)
    tallest: dict[int, tuple[int, float]] = {}
    for c in cells:
        lines, size = tallest.get(c.row, (1, 11.0))
        tallest[c.row] = (max(lines, _lines(c, plan.widths[c.column])), max(size, c.size))
    assert plan.heights == {row: row_height(lines, size) for row, (lines, size) in tallest.items() if lines > 1}


def test_display_widths_are_those_of_the_paragraphs() -> None:
    rng = random.Random(3)
    chars = "ab 1.中文、，（）「」×°—…\n" + "".join(chr(rng.randrange(32, 0x3000)) for _ in range(200))
    for _ in range(3000):
        text = "".join(rng.choice(chars) for _ in range(rng.randrange(0, 30)))
        found = paragraphs(text)
        assert display_widths(text) == (max(p.width for p in found), sum(p.width for p in found)), repr(text)


def test_every_character_has_the_width_char_width_gives_and_the_kept_widths_stay_bounded() -> None:
    """Widths are looked up in a kept table (``linebreak._Widths``): every code point still counts as
    ``char_width`` says, read before and after it is kept, and a text of every code point keeps at most
    ``KEPT`` of them."""
    from scorer.linebreak import _WIDTHS, char_width

    every = [chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000 and c != 10]
    for _ in range(2):  # the first pass fills the table, the second reads what it kept
        for start in range(0, len(every), 4096):
            block = every[start:start + 4096]
            assert display_widths("".join(block) + "\n中")[1] == sum(char_width(c) for c in block) + 2
    assert len(_WIDTHS) <= _WIDTHS.KEPT


def test_a_real_batch_table_gets_the_widths_of_the_loop(library) -> None:  # type: ignore[no-untyped-def]
    from batchgen import population
    from openpyxl import Workbook

    from scorer.batch import Source, run_batch
    from scorer.cells import safe_cell
    from scorer.export import BATCH_COLUMNS, BATCH_WIDTHS, batch_table
    from scorer.printlayout import _measure, body_font

    rows = run_batch([Source(f"{i}.yaml", data=d) for i, (_, d) in enumerate(population() * 2)], library.sheets).rows
    ws = Workbook().active
    ws.append(BATCH_COLUMNS)
    for values in batch_table(rows):
        ws.append([safe_cell(v) for v in values])
    body_font(ws)
    cells = _measure(ws, len(BATCH_WIDTHS))
    budget = PAGE_UNITS["landscape"] - 0.7 * len(BATCH_WIDTHS)
    assert column_widths(cells, BATCH_WIDTHS, budget) == reference_widths(cells, BATCH_WIDTHS, budget)


def test_ten_times_the_rows_cost_about_ten_times_the_time() -> None:
    rng = random.Random(7)
    bounds = [(6, 12), (6, 16), (8, 24), (20, 60), (8, 20)]
    base = _table(rng, 300, len(bounds), 10.5)

    def timed(copies: int) -> float:
        cells = [Measured.of(c.row + k * 1000, c.column, c.text, c.size) for k in range(copies) for c in base]
        start = time.perf_counter()
        column_widths(cells, bounds, 94 - 3.5)
        return time.perf_counter() - start

    small, large = min(timed(1) for _ in range(3)), min(timed(10) for _ in range(3))
    assert large < 25 * small  # linear, with room for a loaded machine (the loop was about 10 x 10)
