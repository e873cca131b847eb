"""Each rule in words, as the paper form would say it; shared by `explain`, reports and the app."""

from __future__ import annotations

from .model import Gate, ScoredItem, Sheet
from .numbers import fmt
from .rules.conditions import describe_condition, describe_paths

__all__ = ["FIDELITY_TEXT", "describe_condition", "describe_gate", "describe_paths", "describe_rule",
           "describe_threshold"]

FIDELITY_TEXT = {"transcribed": "摘录原文", "reconstructed": "重建（以官方附件为准）"}


def describe_gate(gate: Gate) -> str:
    if gate.type == "flag":
        return "须为“是”"
    if gate.type == "number":
        return f"≥ {fmt(gate.min)}{gate.unit or ''}"
    return describe_paths(gate.fields or {}, gate.paths)


def describe_rule(item: ScoredItem) -> str:
    text = item.describe()
    if item.cap is not None:
        text += f"；封顶 {fmt(item.cap)}"
    return text


def describe_threshold(sheet: Sheet) -> str:
    t = sheet.threshold
    if t.kind == "rank":
        return "不设分数线，按总分排名"
    if t.kind == "none":
        return "不设分数线（总分报评委会）"
    if t.kind == "count":
        return f"满足 {fmt(t.min)} 项（共 {len(sheet.items)} 项）"
    if t.by_level:
        return "、".join(f"{k} ≥ {fmt(v)} 分" for k, v in t.by_level.items())
    return f"≥ {fmt(t.min)} 分"
