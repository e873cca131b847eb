"""职称自评分计算器 — a thin router; every number comes from the scorer package."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from ui import state
from ui.streamlit_words import page_words

# the icon is a file served by the app itself: an emoji or material icon would be fetched from an outside host
ICON = str(Path(__file__).resolve().parent / "ui" / "icon.png")
st.set_page_config(page_title="职称自评分计算器", page_icon=ICON, layout="wide")
state.restore_from_url()
# on a phone the verdict's big numbers would fill the first screen: smaller there, unchanged on a desk
st.html("<style>@media (max-width: 640px) { [data-testid='stMetricValue'] { font-size: 1.5rem; } }</style>")
page_words()  # Streamlit's own English words (the uploader's button, the hint under a text box) in Chinese

pages = [
    st.Page("ui/pages/choose.py", title="选择评分表", icon=":material/checklist:", default=True),
    st.Page("ui/pages/fill.py", title="逐项填写", icon=":material/edit_note:"),
    st.Page("ui/pages/result.py", title="结果与导出", icon=":material/bar_chart:"),
]
reviewer = [st.Page("ui/pages/review.py", title="专家复核", icon=":material/rate_review:")]
unit = [st.Page("ui/pages/batch.py", title="单位批量复核", icon=":material/groups:")]
page = st.navigation({"申报人": pages, "推荐专家": reviewer, "用人单位": unit})
with st.sidebar:
    sheet = state.current_sheet()
    if sheet is not None:
        st.caption(f"当前评分表：{sheet.short_title}")
        st.caption("草稿自动保存，刷新或关闭页面不会丢失。" if state.is_saved() else "草稿暂未保存：请看页面上的提示。")
page.run()
