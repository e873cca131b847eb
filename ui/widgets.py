"""The basic inputs (number, text, yes/no, choice, record fields, gates), seeded from the draft and
writing back into it. Each rule shape's own input is in ``ui.rules``. No scoring here."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import streamlit as st

from scorer.model import FieldSpec, Gate
from scorer.numbers import fmt
from scorer.rules.answers import AnswerChecker

from . import state

YES, NO = "是", "否"


def seed(key: str, value: Any) -> None:
    if key not in st.session_state:
        st.session_state[key] = value


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
    """A number typed as text and kept exactly as typed: a float widget would turn 9.99999999999999999 into 10.

    The draft holds the text; the claim check reads it (ASCII decimal, bounds) and an invalid value stays
    on screen with its reason, under the input, and is left out of the score rather than replaced.
    """
    key = state.widget_key(*path)
    stored = state.get_value(path)
    seed(key, "" if stored is None else str(stored))
    text_value, _ = exact_number(label, key, unit=unit, integer=integer, help=help, min_value=min_value,
                                 max_value=max_value, container=container)
    state.set_value(path, text_value or None)


def exact_number(
    label: str,
    key: str,
    *,
    unit: str | None = None,
    integer: bool = False,
    help: str | None = None,
    min_value: Decimal | None = None,
    max_value: Decimal | None = None,
    placeholder: str = "未填写",
    container: Any = st,
    what: str | None = None,
) -> tuple[str, Decimal | None]:
    """A text input read as an exact Decimal: (the text as typed, its value or None when empty or invalid).

    Whatever is typed stays in the box; an invalid value gets its Chinese reason right under it, naming it
    ``what`` (default: the label; a label such as 改为 reads better as 改为的数值 in a sentence).
    """
    bounds = []
    if min_value is not None:
        bounds.append(f"不低于 {fmt(min_value)}")
    if max_value is not None:
        bounds.append(f"不超过 {fmt(max_value)}")
    hint = "填写" + ("整数" if integer else "数字") + (f"（{'，'.join(bounds)}）" if bounds else "")
    text_value = container.text_input(
        f"{label}（{unit}）" if unit else label, key=key, placeholder=placeholder, help=help or hint
    ).strip()
    if not text_value:
        return "", None
    checker = AnswerChecker()
    got = checker.number(text_value, (key,), integer=integer, maximum=max_value, minimum=min_value, what=what or label)
    if checker.problems:
        container.markdown(f":red[:small[{checker.problems[0].message}]]")
        return text_value, None
    return text_value, got


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
