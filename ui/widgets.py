"""One input per item shape, seeded from the draft and writing back into it. No scoring here."""

from __future__ import annotations

import datetime as dt
import math
import re
from decimal import Decimal
from typing import Any

import pandas as pd
import streamlit as st

from scorer.model import ChoiceItem, EntriesItem, FieldSpec, FlagItem, Gate, LinearItem, RecordItem, ScoredItem, TiersItem
from scorer.numbers import fmt

from . import state

YES, NO = "是", "否"
_EVIDENCE_SPLIT = re.compile(r"[；;、,，\n]+")


def _seed(key: str, value: Any) -> None:
    if key not in st.session_state:
        st.session_state[key] = value


def _to_decimal(value: Any) -> Decimal | None:
    """A widget's float back to the decimal the person typed (shortest repr; never used for arithmetic)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return Decimal(str(value))


def number(label: str, path: tuple[str, ...], *, unit: str | None = None, integer: bool = False, help: str | None = None) -> None:
    key = state.widget_key(*path)
    stored = state.get_value(path)
    if stored is None:
        _seed(key, None)
    else:
        _seed(key, int(Decimal(str(stored))) if integer else float(Decimal(str(stored))))
    value = st.number_input(
        f"{label}（{unit}）" if unit else label,
        key=key,
        min_value=0 if integer else 0.0,
        step=1 if integer else 0.5,
        format="%d" if integer else "%g",
        placeholder="未填写",
        help=help,
    )
    state.set_value(path, _to_decimal(value))


def text(label: str, path: tuple[str, ...], container: Any = st) -> None:
    key = state.widget_key(*path)
    _seed(key, state.get_value(path) or "")
    state.set_value(path, container.text_input(label, key=key).strip() or None)


def yes_no(label: str, path: tuple[str, ...], *, help: str | None = None) -> None:
    key = state.widget_key(*path)
    stored = state.get_value(path)
    _seed(key, None if stored is None else (YES if stored else NO))
    value = st.radio(label, [YES, NO], index=None, key=key, horizontal=True, help=help)
    state.set_value(path, None if value is None else value == YES)


def choice(label: str, path: tuple[str, ...], options: list[str], points: dict[str, Decimal] | None = None) -> None:
    key = state.widget_key(*path)
    stored = state.get_value(path)
    _seed(key, stored if stored in options else None)

    def show(option: str) -> str:
        return f"{option}（{fmt(points[option])} 分）" if points else option

    value = st.selectbox(label, options, index=None, key=key, placeholder="请选择", format_func=show)
    state.set_value(path, value)


def record_fields(fields: dict[str, FieldSpec], path: tuple[str, ...]) -> None:
    columns = st.columns(min(len(fields), 3))
    for i, (name, spec) in enumerate(fields.items()):
        with columns[i % len(columns)]:
            if spec.type == "number":
                number(spec.label, (*path, name), unit=spec.unit)
            elif spec.type == "flag":
                yes_no(spec.label, (*path, name))
            else:
                choice(spec.label, (*path, name), spec.options or [])


def gate_input(gate: Gate) -> None:
    path = ("gates", gate.id)
    if gate.type == "flag":
        yes_no(gate.question, path)
    elif gate.type == "number":
        number(gate.question, path, unit=gate.unit)
    else:
        st.markdown(gate.question)
        record_fields(gate.fields or {}, path)


def item_input(item: ScoredItem) -> None:
    path = ("answers", item.id)
    if isinstance(item, ChoiceItem):
        choice(item.label, path, list(item.options), item.options)
    elif isinstance(item, (TiersItem, LinearItem)):
        number(item.input.label, path, unit=item.input.unit, integer=item.input.integer)
    elif isinstance(item, FlagItem):
        yes_no(item.question or item.label, path)
    elif isinstance(item, RecordItem):
        record_fields(item.fields, path)
    else:
        entries_editor(item)


# --- entries: an editable table --------------------------------------------------------------------------------

COL_LEVEL, COL_ROLE, COL_RANK, COL_DATE, COL_TITLE, COL_EVIDENCE = "级别", "角色", "本人排名", "日期", "名称", "佐证材料"


def _columns(item: EntriesItem) -> list[str]:
    cols = []
    if item.levels:
        cols.append(COL_LEVEL)
    if item.roles:
        cols.append(COL_ROLE)
    if item.rank_coefficients:
        cols.append(COL_RANK)
    cols += [flag.label for flag in item.entry_flags.values()]
    return [*cols, COL_DATE, COL_TITLE, COL_EVIDENCE]


def _frame(item: EntriesItem, entries: list[dict[str, Any]]) -> pd.DataFrame:
    rows = []
    for e in entries:
        row: dict[str, Any] = {
            COL_LEVEL: e.get("level"),
            COL_ROLE: e.get("role"),
            COL_RANK: int(e["rank"]) if e.get("rank") not in (None, "") else None,
            COL_DATE: dt.date.fromisoformat(str(e["date"])) if e.get("date") else None,
            COL_TITLE: e.get("title") or "",
            COL_EVIDENCE: "；".join(e.get("evidence") or []),
        }
        for flag_id, flag in item.entry_flags.items():
            row[flag.label] = bool(e.get(flag_id))
        rows.append(row)
    frame = pd.DataFrame(rows, columns=[COL_LEVEL, COL_ROLE, COL_RANK, *[f.label for f in item.entry_flags.values()],
                                        COL_DATE, COL_TITLE, COL_EVIDENCE])
    frame[COL_RANK] = frame[COL_RANK].astype("Int64")
    return frame[_columns(item)]


def _blank(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    if value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, str) and not value.strip()


def _date_text(value: Any) -> str:
    """The editor hands back dates, timestamps or (for a typed new row) text; the claim check judges text."""
    if isinstance(value, (pd.Timestamp, dt.datetime)):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip().split("T")[0]


def _entries_from_frame(item: EntriesItem, frame: pd.DataFrame) -> list[dict[str, Any]]:
    entries = []
    for row in frame.to_dict("records"):
        if all(_blank(v) or v is False for v in row.values()):
            continue  # an empty row just added
        entry: dict[str, Any] = {}
        if item.levels and not _blank(row.get(COL_LEVEL)):
            entry["level"] = row[COL_LEVEL]
        if item.roles and not _blank(row.get(COL_ROLE)):
            entry["role"] = row[COL_ROLE]
        if item.rank_coefficients and not _blank(row.get(COL_RANK)):
            entry["rank"] = int(row[COL_RANK])
        for flag_id, flag in item.entry_flags.items():
            if not _blank(row.get(flag.label)):
                entry[flag_id] = bool(row[flag.label])
        date = row.get(COL_DATE)
        if not _blank(date):
            entry["date"] = _date_text(date)
        if not _blank(row.get(COL_TITLE)):
            entry["title"] = str(row[COL_TITLE]).strip()
        if not _blank(row.get(COL_EVIDENCE)):
            entry["evidence"] = [p.strip() for p in _EVIDENCE_SPLIT.split(str(row[COL_EVIDENCE])) if p.strip()]
        entries.append(entry)
    return entries


def entries_editor(item: EntriesItem) -> None:
    path = ("answers", item.id)
    key = state.widget_key(item.id)
    base_key = "base:" + key
    if key not in st.session_state or base_key not in st.session_state:
        # first show, or back from another page (widget state dropped): the draft is the truth
        st.session_state[base_key] = _frame(item, state.get_value(path) or [])
    config: dict[str, Any] = {
        COL_LEVEL: st.column_config.SelectboxColumn(COL_LEVEL, options=item.levels, required=True),
        COL_ROLE: st.column_config.SelectboxColumn(COL_ROLE, options=item.roles, required=True),
        COL_RANK: st.column_config.NumberColumn(COL_RANK, min_value=1, max_value=99, step=1, format="%d",
                                                help="第一作者/第一完成人填 1"),
        COL_DATE: st.column_config.DateColumn(COL_DATE, format="YYYY-MM-DD", help="取得或完成日期"),
        COL_TITLE: st.column_config.TextColumn(COL_TITLE, width="large"),
        COL_EVIDENCE: st.column_config.TextColumn(COL_EVIDENCE, width="medium", help="文件名或说明，多个用“；”分隔"),
    }
    for flag in item.entry_flags.values():
        config[flag.label] = st.column_config.CheckboxColumn(flag.label)
    edited = st.data_editor(
        st.session_state[base_key],
        key=key,
        num_rows="dynamic",
        hide_index=True,
        width="stretch",
        column_config=config,
        column_order=_columns(item),
    )
    state.set_value(path, _entries_from_frame(item, edited))
