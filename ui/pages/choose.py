"""Step 1: choose the sheet (filter by region, specialty, level, route), or continue from a claim file."""

from __future__ import annotations

import streamlit as st

from scorer.describe import describe_threshold
from scorer.maxima import sheet_max
from scorer.numbers import fmt
from ui import state
from ui.common import sources_text
from ui.streamlit_words import filter_select
from ui.upload import claim_upload

st.title("选择评分表")
st.caption("按地区、专业、申报级别和申报方式筛选；每张表都注明了依据文件。")
if st.session_state.pop("deleted-notice", False):
    st.success("草稿及其全部附件已从服务器上删除。", icon=":material/delete_forever:")

all_sheets = list(state.sheets().values())
f1, f2, f3, f4 = st.columns(4)
regions = filter_select(f1, "地区", sorted({s.region for s in all_sheets}))
specialties = filter_select(f2, "专业", sorted({s.specialty for s in all_sheets}))
levels = filter_select(f3, "申报级别", sorted({lv for s in all_sheets for lv in s.levels}))
routes = filter_select(f4, "申报方式", sorted({s.route for s in all_sheets}))

shown = [
    s for s in all_sheets
    if (not regions or s.region in regions)
    and (not specialties or s.specialty in specialties)
    and (not levels or set(levels) & set(s.levels))
    and (not routes or s.route in routes)
]
current = state.draft()
current_sheet = current.data.get("sheet") if current else None
if not shown:
    st.info("没有符合筛选条件的评分表。")
for sheet in shown:
    with st.container(border=True):
        head, action = st.columns([4, 1])
        with head:
            mark = "（当前）" if sheet.id == current_sheet else ""
            st.markdown(f"**{sheet.title}**{mark}")
            bits = [sheet.region, sheet.specialty, "、".join(sheet.levels), sheet.route, describe_threshold(sheet)]
            if sheet.threshold.kind != "count":
                bits.append(f"满分 {fmt(sheet_max(sheet))}")
            st.caption("　·　".join(bits))
            if sheet.fidelity == "reconstructed":
                st.markdown(":orange-badge[重建版本，以官方附件为准]")
            else:
                st.markdown(":green-badge[摘录原文]")
            with st.expander("依据文件"):
                st.markdown(sources_text(sheet))
                st.caption(sheet.fidelity_note)
        with action:
            level = None
            if len(sheet.levels) > 1:
                saved = current.data.get("level") if current and sheet.id == current_sheet else None
                level = st.radio("申报级别", sheet.levels, key=f"level-{sheet.id}",
                                 index=sheet.levels.index(saved) if saved in sheet.levels else None)
            label = "继续填写" if sheet.id == current_sheet else "选择此表"
            if st.button(label, key=f"pick-{sheet.id}", type="primary", disabled=len(sheet.levels) > 1 and level is None):
                state.start(sheet.id, level)
                st.switch_page("ui/pages/fill.py")

st.divider()
st.subheader("继续之前的申报")
st.caption("上传之前下载的申报文件（YAML 或 JSON），或打开保存过的草稿链接。")
claim_upload("choose")
