"""tiers_by: the number, and the row only where the other answer leaves it open (or there is none)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import streamlit as st

from scorer.rules.band import answer_label
from scorer.rules.tiers_by import TiersByItem
from ui import state, widgets


def _rows_allowed(item: TiersByItem) -> list[str]:
    """The rows the applicant may pick: all (no ``by``), the mapped ones, or none when the row follows."""
    if item.by is None:
        return list(item.rows)
    head, _, rest = item.by.partition(".")
    if head == "answers":
        label = answer_label(state.get_value(("answers", rest)))
    else:
        gate, _, name = rest.partition(".")
        label = answer_label(state.get_value(("gates", gate, name)))
    if label is None:
        return []
    mapped = item.by_map.get(label, label)
    rows = [mapped] if isinstance(mapped, str) else list(mapped)
    return rows if len(rows) > 1 else []


def _by_label(item: TiersByItem) -> str:
    """What the form calls the answer the row follows (an item's label or a gate field's label)."""
    sheet = state.current_sheet()
    head, _, rest = (item.by or "").partition(".")
    if sheet is not None and head == "answers" and rest in sheet.items:
        return sheet.items[rest].label
    if sheet is not None and head == "gates":
        gate_id, _, name = rest.partition(".")
        gate = next((g for g in sheet.gates if g.id == gate_id), None)
        if gate is not None and gate.fields and name in gate.fields:
            return gate.fields[name].label
    return item.row_label


def answer_input(item: TiersByItem) -> None:
    path = ("answers", item.id)
    stored = state.get_value(path)
    if stored is not None and not isinstance(stored, dict):
        state.set_value(path, {"value": stored})  # the draft keeps the long form while editing
    rows = _rows_allowed(item)
    left, right = st.columns([1, 1]) if rows else (st, None)
    widgets.number(item.input.label, (*path, "value"), unit=item.input.unit, integer=item.input.integer,
                   max_value=item.input.max, container=left)
    if right is not None:
        widgets.choice(f"按哪一行计分（{item.row_label}）", (*path, "row"), rows, container=right)
    elif item.by is not None:
        st.caption(f"{item.row_label}按本表已填写的「{_by_label(item)}」确定，无需重复填写")
        state.forget((*path, "row"))


def review_value(item: TiersByItem, answer: Any, old: Any, container: Any) -> dict[str, Any] | None:
    current = old if isinstance(old, dict) else answer
    key = f"rv.{item.id}.value"
    widgets.seed(key, str(current["value"]))
    _, got = widgets.exact_number("改为", key, what="改为的数值", integer=item.input.integer, max_value=item.input.max,
                                  min_value=Decimal(0), container=container)
    return None if got is None else {**current, "value": got}
