"""The basic inputs (number, text, yes/no, choice, record fields, gates), seeded from the draft and
writing back into it. Each rule shape's own input is in ``ui.rules``. No scoring here."""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any

import streamlit as st

from scorer.model import FieldSpec, Gate
from scorer.numbers import fmt

from . import state

YES, NO = "是", "否"


def seed(key: str, value: Any) -> None:
    if key not in st.session_state:
        st.session_state[key] = value


def to_decimal(value: Any) -> Decimal | None:
    """A widget's float back to the decimal the person typed (shortest repr; never used for arithmetic)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return Decimal(str(value))


def number(
    label: str,
    path: tuple[str, ...],
    *,
    unit: str | None = None,
    integer: bool = False,
    help: str | None = None,
    min_value: Decimal | None = None,
    max_value: Decimal | None = None,
    container: Any = st,
) -> None:
    key = state.widget_key(*path)
    stored = state.get_value(path)
    if stored is None:
        seed(key, None)
    else:
        seed(key, int(Decimal(str(stored))) if integer else float(Decimal(str(stored))))
    low = min_value if min_value is not None else Decimal(0)
    if stored is not None and max_value is not None and Decimal(str(stored)) > max_value:
        max_value = None  # an uploaded value above the bound stays visible; the claim check names the bound
    if stored is not None and Decimal(str(stored)) < low:
        low = Decimal(0)
    value = container.number_input(
        f"{label}（{unit}）" if unit else label,
        key=key,
        min_value=int(low) if integer else float(low),
        max_value=None if max_value is None else (int(max_value) if integer else float(max_value)),
        step=1 if integer else 0.5,
        format="%d" if integer else "%g",
        placeholder="未填写",
        help=help,
    )
    state.set_value(path, to_decimal(value))


def text(label: str, path: tuple[str, ...], container: Any = st) -> None:
    key = state.widget_key(*path)
    seed(key, state.get_value(path) or "")
    state.set_value(path, container.text_input(label, key=key).strip() or None)


def yes_no(label: str, path: tuple[str, ...], *, help: str | None = None) -> None:
    key = state.widget_key(*path)
    stored = state.get_value(path)
    seed(key, None if stored is None else (YES if stored else NO))
    value = st.radio(label, [YES, NO], index=None, key=key, horizontal=True, help=help)
    state.set_value(path, None if value is None else value == YES)


def choice(
    label: str,
    path: tuple[str, ...],
    options: list[str],
    points: dict[str, Decimal] | None = None,
    *,
    shown: dict[str, str] | None = None,
    container: Any = st,
) -> str | None:
    key = state.widget_key(*path)
    stored = state.get_value(path)
    seed(key, stored if stored in options else None)

    def show(option: str) -> str:
        if shown:
            return f"{option}（{shown[option]}）"
        return f"{option}（{fmt(points[option])} 分）" if points else option

    value = container.selectbox(label, options, index=None, key=key, placeholder="请选择", format_func=show)
    state.set_value(path, value)
    return value


def record_fields(fields: dict[str, FieldSpec], path: tuple[str, ...]) -> None:
    columns = st.columns(min(len(fields), 3))
    for i, (name, spec) in enumerate(fields.items()):
        with columns[i % len(columns)]:
            if spec.type == "number":
                number(spec.label, (*path, name), unit=spec.unit, integer=spec.integer, max_value=spec.max)
            elif spec.type == "flag":
                yes_no(spec.label, (*path, name))
            else:
                choice(spec.label, (*path, name), spec.options or [])


def gate_input(gate: Gate) -> None:
    path = ("gates", gate.id)
    if gate.type == "flag":
        yes_no(gate.question, path)
    elif gate.type == "number":
        number(gate.question, path, unit=gate.unit, integer=gate.integer, max_value=gate.max)
    else:
        st.markdown(gate.question)
        record_fields(gate.fields or {}, path)
