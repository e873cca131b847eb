"""entries: one row of inputs per achievement (see ``ui.rules._rows``); a picker per dimension of the table.

Inputs follow the item: 类别 / 级别 / 角色 (as the sheet names them), 本人排名 where
rank coefficients apply, 申报分值 where a level is a range the assessor fixes,
代表性成果 where the item scores a representative plus bonuses, the sheet's entry
flags (是 / 否 / not yet answered: an unanswered flag does not count), then 日期,
名称, 佐证材料 and 备注. What the person typed goes to the draft as typed; the claim
check (scorer) judges it and each problem is shown under its row.
"""

from __future__ import annotations

from typing import Any

from scorer.errors import Problem
from scorer.rules.answers import AnswerChecker
from scorer.rules.entries import EntriesItem
from scorer.rules.points import is_range
from ui import state
from ui.rules._rows import Field, Rows, row_editor

DIMENSIONS = ("category", "level", "role")


def has_ranges(item: EntriesItem) -> bool:
    return item.aggregate != "representative_plus_bonus" and any(is_range(c) for c in item.cells())


def _options(item: EntriesItem, name: str) -> list[str]:
    return {"category": item.categories, "level": item.levels, "role": item.roles}[name]


def fields(item: EntriesItem) -> tuple[tuple[Field, ...], ...]:
    """The inputs of one entry, line by line: what the item's table is indexed by, then the entry itself."""
    first = [Field(d, item.field_label(d), "select", tuple(_options(item, d)), width=2)
             for d in DIMENSIONS if _options(item, d)]
    if item.rank_coefficients:
        first.append(Field("rank", item.field_label("rank"), "number", help="第一作者/第一完成人填 1", placeholder="如 1"))
    if has_ranges(item):
        first.append(Field("points", item.field_label("points"), "number",
                           help="该级别由评审在区间内确定：填写所申报的分值"))
    second = [Field("date", "日期", "text", help="取得或完成日期", placeholder="YYYY-MM-DD"),
              Field("title", "名称", "text", width=3)]
    third = [Field("evidence", "佐证材料", "list", help="文件名或说明，多个用“；”分隔", width=3),
             Field("note", "备注", "text", width=2)]
    fourth: list[Field] = []
    if item.aggregate == "representative_plus_bonus":
        fourth.append(Field("representative", "代表性成果", "tick", exclusive=True,
                            help="勾选作为代表性成果的一条（只能一条：勾选另一条时这一条自动取消）；不勾选时取级别最高的一条"))
    fourth += [Field(flag_id, flag.label, "yes_no") for flag_id, flag in item.entry_flags.items()]
    return tuple(tuple(line) for line in (first, second, third, fourth) if line)


def _check(item: EntriesItem, path: tuple[str, ...]) -> Any:
    def check(entries: list[dict[str, Any]]) -> list[Problem]:
        checker = AnswerChecker()
        item.check_answer(entries, path, checker)
        return checker.problems
    return check


def answer_input(item: EntriesItem) -> None:
    path = ("answers", item.id)
    row_editor(Rows(path, state.widget_key(item.id), fields(item), _check(item, path), max_rows=item.max_entries))


def review_value(item: EntriesItem, answer: Any, old: Any, container: Any) -> None:
    return None  # entries are reviewed row by row on the review page
