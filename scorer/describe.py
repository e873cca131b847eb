"""Each rule in words, as the paper form would say it; shared by `explain`, reports and the app."""

from __future__ import annotations

from decimal import Decimal

from .model import (
    ChoiceItem,
    Condition,
    EntriesItem,
    FieldSpec,
    FlagItem,
    Gate,
    LinearItem,
    PathSpec,
    RecordItem,
    ScoredItem,
    Sheet,
    TiersItem,
)
from .numbers import fmt

FIDELITY_TEXT = {"transcribed": "摘录原文", "reconstructed": "重建（以官方附件为准）"}


def _pairs(table: dict[str, Decimal], sep: str = " ") -> str:
    return "、".join(f"{k}{sep}{fmt(v)}" for k, v in table.items())


def _coefficients(coefs: list[Decimal]) -> str:
    text = "、".join(fmt(c) for c in coefs)
    return f"{text}（其后均为 {fmt(coefs[-1])}）" if len(coefs) > 1 else text


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


def describe_gate(gate: Gate) -> str:
    if gate.type == "flag":
        return "须为“是”"
    if gate.type == "number":
        return f"≥ {fmt(gate.min)}{gate.unit or ''}"
    return describe_paths(gate.fields or {}, gate.paths)


def describe_rule(item: ScoredItem) -> str:
    if isinstance(item, ChoiceItem):
        text = "选项：" + _pairs(item.options)
    elif isinstance(item, TiersItem):
        unit = item.input.unit or ""
        bands = [f"≥{fmt(t.min)}{unit} {fmt(t.points)}" for t in sorted(item.tiers, key=lambda t: t.min, reverse=True)]
        text = "；".join(bands) + f"；其余 {fmt(item.otherwise)}"
    elif isinstance(item, LinearItem):
        unit = item.input.unit or ""
        if item.whole_units:
            text = f"每满 {fmt(item.unit)}{unit} 计 {fmt(item.points_per_unit)} 分"
        elif item.offset:
            text = f"（{item.input.label} − {fmt(item.offset)}）× {fmt(item.points_per_unit)}"
        else:
            text = f"每{'' if item.unit == 1 else fmt(item.unit)}{unit} {fmt(item.points_per_unit)} 分"
        if item.floor is not None:
            text += f"，不低于 {fmt(item.floor)}"
    elif isinstance(item, FlagItem):
        text = f"是 → {fmt(item.points)}"
    elif isinstance(item, RecordItem):
        text = describe_paths(item.fields, item.paths)
    else:
        text = _describe_entries(item)
    if item.cap is not None:
        text += f"；封顶 {fmt(item.cap)}"
    return text


def _describe_entries(item: EntriesItem) -> str:
    parts: list[str] = []
    if item.aggregate == "representative_plus_bonus":
        assert item.start and item.bonus and item.role_coefficients
        parts.append("代表业绩起评：" + _pairs(item.start))
        parts.append("其余每条加分：" + _pairs(item.bonus) + " × 角色系数（" + _pairs(item.role_coefficients) + "）")
        below_top = {k: v for k, v in item.level_caps.items() if k != item.levels[0]}
        if below_top:
            parts.append("代表业绩为" + "、".join(f"{k}时最高 {fmt(v)}" for k, v in below_top.items()))
    else:
        if item.level_role_points:
            parts.append("；".join(f"{level}：{_pairs(row)}" for level, row in item.level_role_points.items()))
        elif item.level_points:
            parts.append(_pairs(item.level_points))
        elif item.role_points:
            parts.append(_pairs(item.role_points))
        elif item.entry_points is not None:
            parts.append(f"每条 {fmt(item.entry_points)}")
        if item.role_coefficients:
            parts.append("角色系数 " + _pairs(item.role_coefficients))
        if item.rank_coefficients:
            parts.append("排名系数 " + _coefficients(item.rank_coefficients))
        parts.append(
            {
                "sum": "累计",
                "max": "按最高一项计分，不累计",
                "count": f"符合条件的至少 {item.min_count} 条即满足",
            }[item.aggregate]
        )
    for flag in item.entry_flags.values():
        parts.append(f"仅计{flag.label}的业绩" if flag.counts_when else f"不计{flag.label}的业绩")
    return "；".join(parts)


def describe_threshold(sheet: Sheet) -> str:
    t = sheet.threshold
    if t.kind == "rank":
        return "不设分数线，按总分排名"
    if t.kind == "count":
        return f"满足 {fmt(t.min)} 项（共 {len(sheet.items)} 项）"
    if t.by_level:
        return "、".join(f"{k} ≥ {fmt(v)} 分" for k, v in t.by_level.items())
    return f"≥ {fmt(t.min)} 分"
