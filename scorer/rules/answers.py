"""Checking one claimed value: numbers, yes/no, options, dates, records -- every mistake in Chinese.

Shapes validate their answers with these, so a number is read the same way
everywhere: finite, not negative, whole where the sheet asks for a count, and
within the bounds the sheet states, the bound named in the message.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal
from typing import Any

from ..attachments import FileRef, file_ref
from ..errors import Problem, short
from ..numbers import fmt
from ..safeyaml import Path

# the bound of a number the sheet leaves unbounded: beyond any real count, hours, years or 元
DEFAULT_MAXIMUM = Decimal(10) ** 9
MAX_DIGITS = 30  # significant digits of one claimed number: more than any form needs, few enough to add up exactly
# a number written as text (a JSON string, a quoted YAML scalar, a roster cell): plain ASCII decimal only,
# refused the way the YAML reader refuses 0012 or 1_000 unquoted, so YAML and JSON agree
_NUMBER_TEXT = re.compile(r"^-?(0|[1-9][0-9]*)(\.[0-9]+)?$")
_DATE_TEXT = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
# characters no form holds and openpyxl refuses (tab, newline and carriage return are allowed)
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class AnswerChecker:
    """Collects every problem of a claim file, so all are reported at once."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def problem(self, path: Path, message: str, *, beyond_bound: bool = False) -> None:
        self.problems.append(Problem(path, message, beyond_bound))

    def number(
        self,
        value: Any,
        path: Path,
        *,
        integer: bool = False,
        maximum: Decimal | None = None,
        minimum: Decimal | None = None,
        what: str = "",
    ) -> Decimal | None:
        if value is None:
            return None
        if type(value) is int and 0 <= value <= (maximum if maximum is not None else DEFAULT_MAXIMUM) and (
                minimum is None or value >= minimum):
            return Decimal(value)  # a whole number within the bounds, as most are: every check below would pass
        if isinstance(value, bool) or not isinstance(value, (int, Decimal, str)):
            self.problem(path, f"{what}应填数字，实际为「{short(value)}」")
            return None
        if isinstance(value, str):
            number = self._number_text(value, path, what)
            if number is None:
                return None
        else:
            number = Decimal(value) if isinstance(value, int) else value
        if not number.is_finite():
            self.problem(path, f"{what}应填有限的数字，实际为「{short(value)}」")
            return None
        limit = maximum if maximum is not None else DEFAULT_MAXIMUM
        if number.copy_abs() > max(limit, DEFAULT_MAXIMUM):  # before any other arithmetic on it: 1e999999999 is cheap only here
            self.problem(path, f"{what}不能超过 {fmt(limit)}（填写了 {short(value)}）",
                         beyond_bound=maximum is not None and number > 0)
            return None
        digits, exponent = number.as_tuple()[1:]
        if len(digits) > MAX_DIGITS:
            self.problem(path, f"{what}位数过多（最多 {MAX_DIGITS} 位有效数字），请按材料如实填写")
            return None
        if isinstance(exponent, int) and -exponent > MAX_DIGITS:  # 1E-999999: one digit, a million places to write
            self.problem(path, f"{what}小数位数过多（最多 {MAX_DIGITS} 位小数），请按材料如实填写")
            return None
        if number < 0:
            self.problem(path, f"{what}不能为负数（填写了 {short(value)}）")
            return None
        if integer and number != number.to_integral_value():
            self.problem(path, f"{what}应填整数，实际为「{short(value)}」")
            return None
        if number > limit:
            self.problem(path, f"{what}不能超过 {fmt(limit)}（填写了 {short(value)}）", beyond_bound=maximum is not None)
            return None
        if minimum is not None and number < minimum:
            self.problem(path, f"{what}不能低于 {fmt(minimum)}（填写了 {short(value)}）")
            return None
        return number

    def _number_text(self, value: str, path: Path, what: str) -> Decimal | None:
        text = value.strip()
        if _NUMBER_TEXT.match(text):
            return Decimal(text) if len(text) <= MAX_DIGITS + 2 else self._too_long(path, what)
        folded = unicodedata.normalize("NFKC", text)
        ascii_digits = "".join(str(unicodedata.digit(c)) if c.isdigit() else c for c in folded)
        if ascii_digits != text and _NUMBER_TEXT.match(ascii_digits):
            self.problem(path, f"{what}请用半角阿拉伯数字填写（填写了「{short(value)}」，应为 {ascii_digits}）")
        elif re.fullmatch(r"-?0[0-9]+(\.[0-9]+)?", text):
            self.problem(path, f"{what}「{short(value)}」有前导 0；若是数字请去掉前导 0")
        elif re.fullmatch(r"-?[0-9.]+[eE][-+]?[0-9]+", text):
            self.problem(path, f"{what}「{short(value)}」是科学计数法；请直接写出数字")
        else:
            self.problem(path, f"{what}应填数字，实际为「{short(value)}」")
        return None

    def _too_long(self, path: Path, what: str) -> None:
        self.problem(path, f"{what}位数过多（最多 {MAX_DIGITS} 位有效数字），请按材料如实填写")

    def flag(self, value: Any, path: Path) -> bool | None:
        if value is None or isinstance(value, bool):
            return value
        self.problem(path, f"应填 true（是）或 false（否），实际为「{value}」")
        return None

    def option(self, value: Any, options: list[str], path: Path, what: str = "选项") -> str | None:
        if value is None:
            return None
        text = str(value)
        if text not in options:
            self.problem(path, f"「{text}」不是本项的{what}；可选：{'、'.join(options)}")
            return None
        return text

    def date(self, value: Any, path: Path) -> dt.date | None:
        """YYYY-MM-DD only (the README's format): not 20200315, 2018-W37-1, a number or a timestamp."""
        if value is None or (isinstance(value, dt.date) and not isinstance(value, dt.datetime)):
            return value
        text = value.strip() if isinstance(value, str) else None
        if text is None or not _DATE_TEXT.match(text):
            self.problem(path, f"日期「{short(value)}」无法识别，请写成 YYYY-MM-DD（如 2018-05-01）")
            return None
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            self.problem(path, f"「{text}」不是存在的日期，请核对年月日")
            return None

    def text(self, value: Any, path: Path, what: str) -> str | None:
        """Free text (a title, a note): text or a number as typed; never a list, a mapping or control characters."""
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (str, int, Decimal, dt.date)):
            self.problem(path, f"{what}应为文字，实际为「{short(value)}」")
            return None
        out = value.isoformat() if isinstance(value, dt.date) else str(value)
        if CONTROL_CHARS.search(out):
            self.problem(path, f"{what}含有不可见的控制字符，请删除后重新输入")
            return None
        return out

    def files(self, value: Any, path: Path, name: str = "") -> tuple[FileRef, ...]:
        """The attached documents' references (name, size, SHA-256, kind, pages), as the app writes them."""
        if value is None:
            return ()
        refs = [file_ref(v) for v in value] if isinstance(value, list) else [None]
        if any(r is None for r in refs):
            self.problem(path, f"{name}的 files 应为附件列表（每项含 name、size、sha256、kind、pages），请勿手工修改")
            return ()
        return tuple(r for r in refs if r is not None)

    def evidence(self, value: Any, path: Path, name: str = "") -> tuple[str, ...]:
        """A file name, or a list of file names / descriptions; blanks are dropped."""
        if value is None:
            return ()
        if isinstance(value, str):
            value = [value]
        try:  # a list of text, as nearly every one is: joined (newline is allowed) to be searched at once
            joined = "\n".join(value) if isinstance(value, list) else None
        except TypeError:
            joined = None
        if joined is None:
            self.problem(path, f"{name}的 evidence 应为文件名或说明的列表")
            return ()
        if CONTROL_CHARS.search(joined):
            self.problem(path, f"{name}的佐证材料含有不可见的控制字符，请删除后重新输入")
            return ()
        return tuple(filter(str.strip, value))
