"""Consistency rules of a sheet: answers of different items and gates that must agree.

任现职年限 <= 工作年限; the 学历 of two items agree; a count within what the years
allow. A broken rule changes no score: it is a contradiction a person must
resolve, listed in the result (and flagged 填写矛盾 in a batch).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from .entry import Entry
from .model import ConsistencyRule, Sheet
from .numbers import answer_text
from .rules.band import answer_label

_OPS = {"<=": "不应大于", ">=": "不应小于", "<": "应小于", ">": "应大于", "==": "应与之一致"}
_BROKEN = {"<=": ">", ">=": "<", "<": "≥", ">": "≤", "==": "≠"}


def years_between(start: dt.date, end: dt.date) -> int:
    return end.year - start.year - ((end.month, end.day) < (start.month, start.day))


def resolve(path: str, answers: dict[str, Any], gates: dict[str, Any], current_title_date: dt.date | None,
            sheet: Sheet) -> Any:
    """The value a rule means by ``path`` (None when it is not answered)."""
    head, _, rest = path.partition(".")
    if head == "applicant" and rest == "years_in_current_title":
        end = (sheet.window.until if sheet.window else None) or sheet.effective.end or sheet.effective.start
        return None if current_title_date is None else Decimal(years_between(current_title_date, end))
    source = {"answers": answers, "gates": gates}.get(head)
    if source is None:
        return None
    name, _, sub = rest.partition(".")
    value = source.get(name)
    if sub:
        value = value.get(sub) if isinstance(value, dict) else None
    elif isinstance(value, list):  # an entries or indicators item: how many were listed
        value = Decimal(sum(1 for e in value if isinstance(e, Entry)))
    elif isinstance(value, dict) and "value" in value:  # a number keyed by another answer (tiers_by)
        value = value["value"]
    elif isinstance(value, dict):
        value = answer_label(value)
    return value


def _holds(rule: ConsistencyRule, left: Any, right: Any) -> bool | None:
    if rule.op == "==":
        if isinstance(left, Decimal) and isinstance(right, Decimal):
            return left == right
        if isinstance(left, str) and isinstance(right, str):
            mapped = rule.map.get(left, left)
            return right in ([mapped] if isinstance(mapped, str) else mapped)
        return None
    if not isinstance(left, Decimal) or not isinstance(right, Decimal):
        return None
    return {"<=": left <= right, ">=": left >= right, "<": left < right, ">": left > right}[rule.op]


def broken_rules(sheet: Sheet, answers: dict[str, Any], gates: dict[str, Any],
                 current_title_date: dt.date | None) -> list[str]:
    """Every rule that the answers break, in words: the message and the two values.

    One rule holds for every sheet without being written in it: the current title cannot
    have been obtained after the sheet's own closing date (its window's end, or the end of
    its validity), or every achievement "since the current title" would be out of range.
    """
    out = []
    closing = (sheet.window.until if sheet.window else None) or sheet.effective.end
    if current_title_date is not None and closing is not None and current_title_date > closing:
        out.append(f"现职称取得日期晚于本表的截止日，请核对（{current_title_date} > {closing}）")
    for rule in sheet.consistency:
        values = {p: resolve(p, answers, gates, current_title_date, sheet) for p in rule.when}
        if any(answer_label(v) != wanted and v != wanted for v, wanted in zip(values.values(), rule.when.values(),
                                                                               strict=True)):
            continue
        left = resolve(rule.left, answers, gates, current_title_date, sheet)
        right = rule.right if isinstance(rule.right, Decimal) else resolve(rule.right, answers, gates,
                                                                              current_title_date, sheet)
        if _holds(rule, left, right) is False:
            out.append(f"{rule.message}（{answer_text(left)} {_BROKEN[rule.op]} {answer_text(right)}）")
    return out


def describe_rule(rule: ConsistencyRule) -> str:
    return f"{rule.left} {_OPS[rule.op]} {rule.right}"
