"""职称自评分计算器 — Streamlit entry point (a first page; the full applicant flow is issue 3)."""

from __future__ import annotations

import streamlit as st

from scorer import SheetLibrary
from scorer.describe import describe_rule, describe_threshold
from scorer.maxima import item_max, sheet_max
from scorer.numbers import fmt


@st.cache_resource
def library() -> SheetLibrary:
    return SheetLibrary()


st.set_page_config(page_title="职称自评分计算器", layout="wide")
st.title("职称自评分计算器")
sheets = library().sheets
sheet_id = st.selectbox("评分表", list(sheets), format_func=lambda k: sheets[k].title)
sheet = sheets[sheet_id]
if sheet.fidelity == "reconstructed":
    st.warning(f"本表为重建版本，以官方附件为准。{sheet.fidelity_note}")
st.write(f"评价方式：{describe_threshold(sheet)}　满分：{fmt(sheet_max(sheet))}")
for section in sheet.sections:
    st.subheader(section.title)
    for item in section.scored_items():
        st.markdown(f"**{item.label}**（最高 {fmt(item_max(item))} 分）：{describe_rule(item)}")
