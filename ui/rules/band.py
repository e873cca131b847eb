"""band: the grade and, for a range grade, the value inside it -- one row, two widgets."""

from __future__ import annotations

from typing import Any

import streamlit as st

from scorer.numbers import fmt
from scorer.rules.band import BandItem
from scorer.rules.points import cell_text, highest, is_range
from ui import state, widgets


def answer_input(item: BandItem) -> None:
    path = ("answers", item.id)
    stored = state.get_value(path)
    stored = stored if isinstance(stored, dict) else ({"band": stored} if isinstance(stored, str) else {})
    left, right = st.columns([2, 1])
    shown = {k: f"{cell_text(v)} 分" for k, v in item.bands.items()}
    band = widgets.choice("档次", (*path, "band"), list(item.bands), shown=shown, container=left)
    if band is None:
        state.set_value(path, stored if stored.get("band") not in item.bands else None)
        return
    cell = item.bands[band]
    if is_range(cell):
        widgets.number(f"分值（{cell.text()}）", (*path, "points"), min_value=cell.lo, max_value=cell.hi, container=right,
                       help="在本档区间内取值")
    else:
        right.markdown(f"分值：**{cell_text(cell)}**")
        state.forget((*path, "points"))


def review_value(item: BandItem, answer: Any, old: Any, container: Any) -> dict[str, Any]:
    current = old if isinstance(old, dict) else answer
    bands = list(item.bands)
    band = container.selectbox("改为档次", bands, index=bands.index(current["band"]) if current["band"] in bands else 0,
                               key=f"rv.{item.id}.band")
    cell = item.bands[band]
    if not is_range(cell):
        return {"band": band}
    start = current.get("points") if current.get("band") == band else None
    key = f"rv.{item.id}.points.{band}"
    widgets.seed(key, fmt(highest(cell)) if start is None else str(start))
    _, points = widgets.exact_number(f"分值（{cell.text()}）", key, min_value=cell.lo, max_value=cell.hi,
                                     container=container)
    return {"band": band} if points is None else {"band": band, "points": points}
