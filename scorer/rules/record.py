"""record: several fields, points when one path holds (中专15年 或 其他学历20年)."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from ..errors import Problem
from ..numbers import fmt
from ..result import later
from ..safeyaml import Path
from .base import ItemBase, Points, ScoreContext, register
from .conditions import (
    FieldSpec,
    PathSpec,
    answers_text,
    check_record,
    describe_paths,
    evaluate_paths,
    lint_fields_and_paths,
    paths_of,
)

if TYPE_CHECKING:
    from ..result import ItemResult
    from .answers import AnswerChecker


@register
class RecordItem(ItemBase):
    rule: Literal["record"]
    fields: dict[str, FieldSpec]
    paths: list[PathSpec] | None = None
    points: Points = Decimal(1)

    reviewer_may_change: ClassVar[bool] = False  # a record changes with its documents: accept or reject

    def check_answer(self, value: Any, path: Path, checker: AnswerChecker) -> dict[str, Any] | None:
        return check_record(checker, value, self.fields, path)

    def claimed_text(self, answer: dict[str, Any]) -> str:
        return answers_text(self.fields, answer)

    def score(self, answer: dict[str, Any], ctx: ScoreContext, result: ItemResult) -> None:
        holds, detail = evaluate_paths(paths_of(self.fields, self.paths, self.label), answer)
        result.claimed = later(answers_text, self.fields, dict(answer))
        result.raw = self.points if holds else Decimal(0)
        result.say(later(_record_words, holds, detail, result.raw))

    def raw_max(self) -> Decimal:
        return self.points

    def describe(self) -> str:
        return describe_paths(self.fields, self.paths)

    def lint(self, path: Path) -> Iterator[Problem]:
        yield from lint_fields_and_paths(self.fields, self.paths, path)

    def field_names(self) -> list[str]:
        return list(self.fields)

    def answer_labels(self, field_name: str = "") -> list[str] | None:
        spec = self.fields.get(field_name)
        return spec.options if spec is not None else None

    def roster_kind(self, field_name: str) -> str:
        spec = self.fields.get(field_name)
        return spec.type if spec else "text"


def _record_words(holds: bool | None, detail: str, points: Decimal) -> str:
    state = {True: "满足", False: "不满足", None: "尚无法判断"}[holds]
    return f"{state}：{detail} → {fmt(points)} 分"
