"""indicators: one row per indicator met, each with its proof (see ``ui.rules._rows``); reviewed row by row."""

from __future__ import annotations

from typing import Any

from scorer.errors import Problem
from scorer.rules.answers import AnswerChecker
from scorer.rules.indicators import IndicatorsItem
from ui import state
from ui.rules._rows import Field, Rows, row_editor


def fields(item: IndicatorsItem) -> tuple[tuple[Field, ...], ...]:
    name = (Field("indicator", "指标", "select", tuple(item.indicators), width=3) if item.indicators
            else Field("indicator", "指标", "text", help=f"按评分说明写明所满足的指标，最多 {item.limit} 项", width=3))
    return ((name, Field("evidence", "佐证材料", "list", help="多个用“；”分隔", width=2)),
            (Field("note", "备注", "text"),))


def answer_input(item: IndicatorsItem) -> None:
    path = ("answers", item.id)

    def check(rows: list[dict[str, Any]]) -> list[Problem]:
        checker = AnswerChecker()
        item.check_answer(rows, path, checker)
        return checker.problems

    row_editor(Rows(path, state.widget_key(item.id), fields(item), check, noun="项", max_rows=item.limit or None))


def review_value(item: IndicatorsItem, answer: Any, old: Any, container: Any) -> None:
    return None
