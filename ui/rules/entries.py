"""entries: an editable table, one row per achievement; a picker per dimension of the points table.

Columns follow the item: 类别 / 级别 / 角色 (as the sheet names them), 本人排名 where rank
coefficients apply, 申报分值 where a level is a range the assessor fixes, 代表性成果
where the item scores a representative plus bonuses, the sheet's entry flags, then
日期, 名称 and 佐证材料. What the person typed goes to the draft as typed; the claim
check (scorer) judges it.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pandas as pd
import streamlit as st

from scorer.rules.entries import EntriesItem
from scorer.rules.points import is_range
from ui import state
from ui.rules._table import blank, date_text, empty_row, evidence_list

COL_DATE, COL_TITLE, COL_EVIDENCE, COL_REP = "日期", "名称", "佐证材料", "代表性成果"
DIMENSIONS = ("category", "level", "role")


def has_ranges(item: EntriesItem) -> bool:
    return item.aggregate != "representative_plus_bonus" and any(is_range(c) for c in item.cells())


def _options(item: EntriesItem, name: str) -> list[str]:
    return {"category": item.categories, "level": item.levels, "role": item.roles}[name]


def _columns(item: EntriesItem) -> list[str]:
    cols = [item.field_label(d) for d in DIMENSIONS if _options(item, d)]
    if item.rank_coefficients:
        cols.append(item.field_label("rank"))
    if has_ranges(item):
        cols.append(item.field_label("points"))
    if item.aggregate == "representative_plus_bonus":
        cols.append(COL_REP)
    cols += [flag.label for flag in item.entry_flags.values()]
    return [*cols, COL_DATE, COL_TITLE, COL_EVIDENCE]


def _frame(item: EntriesItem, entries: list[dict[str, Any]]) -> pd.DataFrame:
    """The draft's entries as the editor's table, with only the columns this item uses."""
    rank_col, points_col = item.field_label("rank"), item.field_label("points")
    columns = _columns(item)
    rows = []
    for e in entries:
        row: dict[str, Any] = {item.field_label(d): e.get(d) for d in DIMENSIONS if _options(item, d)}
        row[rank_col] = int(e["rank"]) if e.get("rank") not in (None, "") else None
        row[points_col] = float(Decimal(str(e["points"]))) if e.get("points") not in (None, "") else None
        row[COL_REP] = bool(e.get("representative"))
        row[COL_DATE] = dt.date.fromisoformat(str(e["date"])) if e.get("date") else None
        row[COL_TITLE] = e.get("title") or ""
        row[COL_EVIDENCE] = "；".join(e.get("evidence") or [])
        for flag_id, flag in item.entry_flags.items():
            row[flag.label] = bool(e.get(flag_id))
        rows.append({c: row.get(c) for c in columns})
    frame = pd.DataFrame(rows, columns=columns)
    if rank_col in frame:
        frame[rank_col] = frame[rank_col].astype("Int64")
    if points_col in frame:
        frame[points_col] = frame[points_col].astype("Float64")
    return frame


def entries_from_frame(item: EntriesItem, frame: pd.DataFrame) -> list[dict[str, Any]]:
    rank_col, points_col = item.field_label("rank"), item.field_label("points")
    entries = []
    for row in frame.to_dict("records"):
        if empty_row(row):
            continue  # an empty row just added
        entry: dict[str, Any] = {}
        for d in DIMENSIONS:
            if _options(item, d) and not blank(row.get(item.field_label(d))):
                entry[d] = row[item.field_label(d)]
        if item.rank_coefficients and not blank(row.get(rank_col)):
            entry["rank"] = int(row[rank_col])
        if has_ranges(item) and not blank(row.get(points_col)):
            entry["points"] = Decimal(str(row[points_col]))
        if item.aggregate == "representative_plus_bonus" and row.get(COL_REP) is True:
            entry["representative"] = True
        for flag_id, flag in item.entry_flags.items():
            if not blank(row.get(flag.label)):
                entry[flag_id] = bool(row[flag.label])
        date = row.get(COL_DATE)
        if not blank(date):
            entry["date"] = date_text(date)
        if not blank(row.get(COL_TITLE)):
            entry["title"] = str(row[COL_TITLE]).strip()
        if not blank(row.get(COL_EVIDENCE)):
            entry["evidence"] = evidence_list(row[COL_EVIDENCE])
        entries.append(entry)
    return entries


def answer_input(item: EntriesItem) -> None:
    path = ("answers", item.id)
    key = state.widget_key(item.id)
    base_key = "base:" + key
    if key not in st.session_state or base_key not in st.session_state:
        # first show, or back from another page (widget state dropped): the draft is the truth
        st.session_state[base_key] = _frame(item, state.get_value(path) or [])
    config: dict[str, Any] = {
        item.field_label(d): st.column_config.SelectboxColumn(
            item.field_label(d), options=_options(item, d), required=True
        )
        for d in DIMENSIONS
        if _options(item, d)
    }
    config[item.field_label("rank")] = st.column_config.NumberColumn(
        item.field_label("rank"), min_value=1, max_value=999, step=1, format="%d", help="第一作者/第一完成人填 1")
    config[item.field_label("points")] = st.column_config.NumberColumn(
        item.field_label("points"), min_value=0, step=0.5, format="%g", help="该级别由评审在区间内确定：填写所申报的分值")
    config[COL_REP] = st.column_config.CheckboxColumn(
        COL_REP, help="勾选作为代表性成果的一条（只能一条）；不勾选时取级别最高的一条")
    config[COL_DATE] = st.column_config.DateColumn(COL_DATE, format="YYYY-MM-DD", help="取得或完成日期")
    config[COL_TITLE] = st.column_config.TextColumn(COL_TITLE, width="large")
    config[COL_EVIDENCE] = st.column_config.TextColumn(COL_EVIDENCE, width="medium", help="文件名或说明，多个用“；”分隔")
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
    state.set_value(path, entries_from_frame(item, edited))


def review_value(item: EntriesItem, answer: Any, old: Any, container: Any) -> None:
    return None  # entries are reviewed row by row on the review page
