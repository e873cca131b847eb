"""indicators: a table of the indicators met, each with its proof; a reviewer judges row by row."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from scorer.rules.indicators import IndicatorsItem
from ui import state
from ui.rules._table import blank, empty_row, evidence_list

COL_NAME, COL_EVIDENCE = "指标", "佐证材料"


def _frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    return pd.DataFrame(
        [{COL_NAME: r.get("indicator") or "", COL_EVIDENCE: "；".join(r.get("evidence") or [])} for r in rows],
        columns=[COL_NAME, COL_EVIDENCE],
    )


def answer_input(item: IndicatorsItem) -> None:
    path = ("answers", item.id)
    key = state.widget_key(item.id)
    base_key = "base:" + key
    if key not in st.session_state or base_key not in st.session_state:
        st.session_state[base_key] = _frame(state.get_value(path) or [])
    name_col: Any = (
        st.column_config.SelectboxColumn(COL_NAME, options=item.indicators, required=True, width="large")
        if item.indicators
        else st.column_config.TextColumn(COL_NAME, width="large", help=f"按评分说明写明所满足的指标，最多 {item.limit} 项")
    )
    edited = st.data_editor(
        st.session_state[base_key], key=key, num_rows="dynamic", hide_index=True, width="stretch",
        column_config={COL_NAME: name_col,
                       COL_EVIDENCE: st.column_config.TextColumn(COL_EVIDENCE, width="medium", help="多个用“；”分隔")},
    )
    rows = []
    for row in edited.to_dict("records"):
        if empty_row(row):
            continue
        out: dict[str, Any] = {"indicator": "" if blank(row[COL_NAME]) else str(row[COL_NAME]).strip()}
        if not blank(row[COL_EVIDENCE]):
            out["evidence"] = evidence_list(row[COL_EVIDENCE])
        rows.append(out)
    state.set_value(path, rows)


def review_value(item: IndicatorsItem, answer: Any, old: Any, container: Any) -> None:
    return None
