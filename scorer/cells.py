"""A value as a spreadsheet cell: text that opens as text, and a number that reads back as the number it is.

Every workbook the app exports (the form, the review, the unit's table, the recommendation list) passes
its values through ``safe_cell``; ``number_format`` is the display format of each number cell.

Text: control characters removed (openpyxl refuses them and the workbook would be lost), a leading formula
character behind an apostrophe, a cell over Excel's limit cut with a note saying so.

Numbers: a spreadsheet holds a double and shows at most 15 significant digits, in a General cell rounded
further to its column's width. A Decimal is kept as a number only when 15 digits show it whole and the
double reads back as exactly it; otherwise it is written as its exact digits (text, which wraps rather
than rounds). Every number a real form has is the first kind; a claimed 4.12345678901234567891 (claims
take 30 digits) is the second, and so is a total just under the line (79.99999999999999) that a number
cell would show as 80 beside 未达到. A number cell's format shows every decimal it has, so a cell too
narrow for it shows ### rather than a rounded figure.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from .numbers import fmt
from .rules.answers import CONTROL_CHARS

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CELL_LIMIT = 32_767  # Excel's most characters in one cell
SHOWN_DIGITS = 15  # the most significant digits Excel, WPS and LibreOffice show of a number
FORMAT_PLACES = 30  # the most decimal places a number format may show (Excel's limit)


def safe_text(value: str) -> str:
    """Text a spreadsheet shows as text, whole (see the module)."""
    value = CONTROL_CHARS.sub("", value)
    if value.startswith(FORMULA_STARTS):
        value = "'" + value
    if len(value) > CELL_LIMIT:
        note = f"……（内容过长，已截断；原文共 {len(value)} 个字符）"
        value = value[: CELL_LIMIT - len(note)] + note
    return value


def _significant(value: Decimal) -> int:
    """Significant digits, trailing zeros not counted (80.50 has 3; 0.000125 has 3)."""
    digits = value.as_tuple().digits
    return len("".join(map(str, digits)).strip("0")) if any(digits) else 1


def _places(text: str) -> int:
    """Decimal places of a number's exact text (``fmt``: trailing zeros dropped; a product of claimed numbers may
    have more than 30)."""
    return len(text.partition(".")[2])


def exact_number(value: Decimal) -> Decimal | str:
    """``value`` itself when a number cell shows it whole (at most 15 significant digits, and the double read
    back as exactly this decimal; 93.6 is written 93.59999999999999 by openpyxl's ``"%.16g"`` and by
    ``scorer.streamsheet``, the same double), else its exact digits as text."""
    text = fmt(value)
    if not value.is_finite() or _significant(value) > SHOWN_DIGITS or _places(text) > FORMAT_PLACES:
        return safe_text(text)
    held = float(value)
    if Decimal(repr(held)) != value or float("%.16g" % held) != held:  # noqa: UP031  # the writers' very format
        return safe_text(text)
    return value


def number_format(value: Any) -> str:
    """The display format of a number cell: as many decimals as the number has, none shown for a whole one
    (``0.###`` rounded 21.8125 to 21.813 and showed 10 as "10."; General rounds to the column's width)."""
    if not isinstance(value, Decimal) or not value.is_finite():
        return "General"
    places = _places(fmt(value))
    return "0." + "#" * places if places else "0"


def safe_cell(value: Any) -> Any:
    """A value as an exported cell: text made safe (``safe_text``), a number kept whole (``exact_number``)."""
    if isinstance(value, str):
        return safe_text(value)
    if isinstance(value, Decimal):
        return exact_number(value)
    return value


def append_row(ws: Any, values: Any) -> None:
    """One row of an openpyxl sheet: each value through ``safe_cell``, each number cell with its ``number_format``."""
    ws.append([safe_cell(v) for v in values])
    for cell in ws[ws.max_row]:
        if isinstance(cell.value, Decimal):
            cell.number_format = number_format(cell.value)
