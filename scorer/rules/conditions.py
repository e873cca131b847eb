"""Fields and paths: the multi-field answers of gates and record items, and when they hold.

A record asks several fields (学历, 年限 ...); it holds when one of its paths
holds, a path being a set of conditions on fields. Gates and the record shape
share all of this, so it lives apart from both.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any, Literal

from pydantic import Field, StrictBool

from ..errors import Problem
from ..numbers import answer_text, fmt
from ..safeyaml import Path
from .answers import AnswerChecker
from .base import NonNegative, Strict, Text


class Condition(Strict):
    """One test on one answered field; a path holds when all its conditions hold."""

    min: NonNegative | None = None
    is_: StrictBool | None = Field(default=None, alias="is")
    in_: list[Text] | None = Field(default=None, alias="in")


class FieldSpec(Strict):
    label: Text
    type: Literal["flag", "number", "choice"]
    options: list[Text] | None = None
    unit: str | None = None
    max: NonNegative | None = None  # the most a number field can be (years <= 60, a percentage <= 100)
    integer: bool = False  # a count: whole numbers only
    # an inline condition, used when the gate or item has no explicit paths
    min: NonNegative | None = None
    is_: StrictBool | None = Field(default=None, alias="is")
    in_: list[Text] | None = Field(default=None, alias="in")

    @property
    def condition(self) -> Condition | None:
        if self.min is None and self.is_ is None and self.in_ is None:
            return None
        return Condition(min=self.min, is_=self.is_, in_=self.in_)


class PathSpec(Strict):
    label: Text
    when: dict[str, Condition]
    source_text: str | None = None


def condition_holds(cond: Condition, value: Any) -> bool | None:
    if value is None:
        return None
    if cond.min is not None and not (isinstance(value, Decimal) and value >= cond.min):
        return False
    if cond.is_ is not None and value is not cond.is_:
        return False
    return cond.in_ is None or value in cond.in_


_IMPLIED: dict[int, tuple[dict[str, FieldSpec], list[PathSpec]]] = {}


def paths_of(fields: dict[str, FieldSpec], paths: list[PathSpec] | None, label: str) -> list[PathSpec]:
    """Explicit paths, or the one implied path "every field meets its own condition" (built once)."""
    if paths is not None:
        return paths
    hit = _IMPLIED.get(id(fields))
    if hit is None or hit[0] is not fields:
        when = {name: spec.condition for name, spec in fields.items() if spec.condition is not None}
        hit = _IMPLIED[id(fields)] = (fields, [PathSpec(label=label, when=when)])  # type: ignore[arg-type]
    return hit[1]


def evaluate_paths(paths: list[PathSpec], answer: dict[str, Any] | None) -> tuple[bool | None, str]:
    """True if some path holds, False if every path fails, None if it depends on unanswered fields."""
    answer = answer or {}
    undecided = False
    for path in paths:
        outcomes = [condition_holds(cond, answer.get(name)) for name, cond in path.when.items()]
        if all(o is True for o in outcomes):
            return True, path.label
        if not any(o is False for o in outcomes):
            undecided = True
    if undecided:
        return None, "有字段未填写，尚无法判断"
    return False, "没有一条路径满足"


def answers_text(fields: dict[str, FieldSpec], answer: dict[str, Any]) -> str:
    return "；".join(
        f"{spec.label} {answer_text(answer[name])}{spec.unit or ''}"
        for name, spec in fields.items()
        if answer.get(name) is not None
    )


def field_shortfalls(fields: dict[str, FieldSpec], answer: dict[str, Any]) -> list[str]:
    out = []
    for name, spec in fields.items():
        cond = spec.condition
        if cond is not None and condition_holds(cond, answer.get(name)) is False:
            value = answer.get(name)
            need = f"≥ {fmt(cond.min)}" if cond.min is not None else ("是" if cond.is_ else "要求的选项")
            out.append(f"{spec.label} {answer_text(value)}{spec.unit or ''}，要求 {need}")
    return out


def check_record(checker: AnswerChecker, value: Any, fields: dict[str, FieldSpec], path: Path) -> dict[str, Any] | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        names = "、".join(f"{k}（{f.label}）" for k, f in fields.items())
        checker.problem(path, f"应填多个字段：{names}")
        return None
    out: dict[str, Any] = {}
    for key, raw in value.items():
        spec = fields.get(key)
        where = (*path, key)
        if spec is None:
            checker.problem(where, f"未知字段「{key}」；可填：{'、'.join(fields)}")
        elif spec.type == "number":
            out[key] = checker.number(raw, where, integer=spec.integer, maximum=spec.max, what=spec.label)
        elif spec.type == "flag":
            out[key] = checker.flag(raw, where)
        else:
            out[key] = checker.option(raw, spec.options or [], where)
    return out


def describe_condition(field: FieldSpec | None, cond: Condition) -> str:
    label = field.label if field else "?"
    unit = (field.unit or "") if field else ""
    parts = []
    if cond.in_ is not None:
        parts.append(f"{label}为{'或'.join(cond.in_)}")
    if cond.min is not None:
        parts.append(f"{label} ≥ {fmt(cond.min)}{unit}")
    if cond.is_ is not None:
        parts.append(f"{label}：{'是' if cond.is_ else '否'}")
    return "，".join(parts)


def describe_paths(fields: dict[str, FieldSpec], paths: list[PathSpec] | None) -> str:
    if paths is None:
        conds = [describe_condition(spec, spec.condition) for spec in fields.values() if spec.condition]
        return "同时满足：" + "；".join(conds)
    return "满足其一：" + "；".join(p.label for p in paths)


def lint_fields_and_paths(fields: dict[str, FieldSpec], paths: list[PathSpec] | None, path: Path) -> Iterator[Problem]:
    for name, spec in fields.items():
        if spec.type == "choice" and not spec.options:
            yield Problem((*path, "fields", name, "options"), "type: choice 的字段必须列出 options")
        if (spec.max is not None or spec.integer) and spec.type != "number":
            yield Problem((*path, "fields", name), "max / integer 只能用于 type: number 的字段")
        if spec.max is not None and spec.min is not None and spec.min > spec.max:
            yield Problem((*path, "fields", name, "max"), "max 小于达标条件 min，此字段永远无法达标")
    if paths is None:
        if all(spec.condition is None for spec in fields.values()):
            yield Problem((*path, "fields"), "没有 paths 时，至少一个字段要写达标条件（min / is / in）")
        return
    for p, spec in enumerate(paths):
        for name, cond in spec.when.items():
            where = (*path, "paths", p, "when", name)
            field = fields.get(name)
            if field is None:
                yield Problem(where, f"路径检查了未定义的字段「{name}」；已定义：{'、'.join(fields)}")
                continue
            if cond.in_ is not None:
                unknown = [o for o in cond.in_ if o not in (field.options or [])]
                if unknown:
                    yield Problem(where, f"选项 {'、'.join(unknown)} 不在字段「{name}」的 options 中")
            if cond.min is not None and field.type != "number":
                yield Problem(where, "min 只能用于 type: number 的字段")
            if cond.is_ is not None and field.type != "flag":
                yield Problem(where, "is 只能用于 type: flag 的字段")
