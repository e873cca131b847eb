"""Checking one claimed value: numbers, yes/no, options, dates, records -- every mistake in Chinese.

Shapes validate their answers with these, so a number is read the same way
everywhere: finite, not negative, whole where the sheet asks for a count, and
within the bounds the sheet states, the bound named in the message.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from ..errors import Problem
from ..numbers import fmt
from ..safeyaml import Path

# the bound of a number the sheet leaves unbounded: beyond any real count, hours, years or 元
DEFAULT_MAXIMUM = Decimal(10) ** 9


class AnswerChecker:
    """Collects every problem of a claim file, so all are reported at once."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def problem(self, path: Path, message: str) -> None:
        self.problems.append(Problem(path, message))

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
        if isinstance(value, bool) or not isinstance(value, (int, Decimal, str)):
            self.problem(path, f"{what}应填数字，实际为「{value}」")
            return None
        try:
            number = Decimal(str(value).strip())
        except InvalidOperation:
            self.problem(path, f"{what}应填数字，实际为「{value}」")
            return None
        if not number.is_finite():
            self.problem(path, f"{what}应填有限的数字，实际为「{value}」")
            return None
        if number < 0:
            self.problem(path, f"{what}不能为负数（填写了 {value}）")
            return None
        if integer and number != number.to_integral_value():
            self.problem(path, f"{what}应填整数，实际为「{value}」")
            return None
        if maximum is None:
            maximum = DEFAULT_MAXIMUM
        if number > maximum:
            self.problem(path, f"{what}不能超过 {fmt(maximum)}（填写了 {value}）")
            return None
        if minimum is not None and number < minimum:
            self.problem(path, f"{what}不能低于 {fmt(minimum)}（填写了 {value}）")
            return None
        return number

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
        if value is None or isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value).strip())
        except ValueError:
            self.problem(path, f"日期「{value}」无法识别，请写成 YYYY-MM-DD（如 2018-05-01）")
            return None

    def evidence(self, value: Any, path: Path, name: str = "") -> tuple[str, ...]:
        """A file name, or a list of file names / descriptions; blanks are dropped."""
        if value is None:
            return ()
        if isinstance(value, str):
            return (value,) if value.strip() else ()
        if isinstance(value, list) and all(isinstance(e, str) for e in value):
            return tuple(e for e in value if e.strip())
        self.problem(path, f"{name}的 evidence 应为文件名或说明的列表")
        return ()
