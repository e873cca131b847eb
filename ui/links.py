"""The applicant's two links: the edit link (theirs alone) and the review link (read only, for the expert).

Each is an opaque token in a URL -- nothing personal -- and either can be
re-issued from here, which makes the old one say it no longer works; the
review link can also be stopped, which deletes the review drafts made through
it (the expert's copy of the applicant's data). All of it is the store's
(scorer.drafts); this page only shows the links and the buttons.
"""

from __future__ import annotations

import urllib.parse

import streamlit as st

from scorer.drafts import EDIT, VIEW
from ui import state

PAGES = ("choose", "fill", "result", "review", "batch")


def app_root() -> str:
    """The app's address as the browser sees it (scheme, host, port, any prefix), without the page's own path."""
    url = st.context.url or ""
    parts = urllib.parse.urlsplit(url)
    path = parts.path.rstrip("/")
    head, _, last = path.rpartition("/")
    if last in PAGES:
        path = head
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, path, "", ""))


def link_url(page: str, param: str, token: str) -> str:
    """The whole link a person can paste: the app's root, the page, the token."""
    path = f"/{page}" if page else "/"
    return f"{app_root()}{path}?{urllib.parse.urlencode({param: token})}"


def _said(key: str) -> None:
    """A notice left by the last click (a rerun follows every click), shown once."""
    notice = st.session_state.pop(key, None)
    if notice:
        (st.success if notice[0] == "ok" else st.error)(notice[1])


def links_section(unscored: int = 0) -> None:
    """填写链接 and 复核链接 with their buttons (the applicant's result page); ``unscored``: how many of the draft's
    entries the claim check refuses, which an expert's review cannot open until they are put right."""
    active, problem = state.links()
    with st.expander("填写链接与复核链接", expanded=bool(st.session_state.get("links:notice"))):
        _said("links:notice")
        if problem:
            st.warning(f"{problem}。", icon=":material/link_off:")
            return
        current = state.draft()
        assert current is not None
        st.markdown("**填写链接**（仅供本人使用：持有它的人可以查看和修改这份草稿，请勿转发）")
        st.code(link_url("fill", "draft", current.link), language=None, wrap_lines=True)
        if st.button("重新生成填写链接（旧链接立即作废）", key="links:edit"):
            why = state.reissue(EDIT)
            st.session_state["links:notice"] = (
                ("ok", "已生成新的填写链接，请收藏本页新链接；旧链接及其他窗口中打开的旧链接不能再修改草稿。")
                if why is None else ("error", f"未能重新生成：{why}"))
            st.rerun()
        st.divider()
        st.markdown("**复核链接**（发给推荐专家：对方只能查看申报内容与佐证材料，复核另存，不能修改您的草稿）")
        if unscored:
            st.warning(f"草稿中有 {unscored} 处填写未通过检查（见页首）：推荐专家打开复核链接时无法复核，请先改正再发链接。",
                       icon=":material/warning:")
        review = active.get(VIEW)
        if review is None:
            st.caption("尚未生成复核链接。")
            if st.button("生成复核链接", key="links:view-new"):
                why = state.reissue(VIEW)
                st.session_state["links:notice"] = (("ok", "已生成复核链接。") if why is None
                                                    else ("error", f"未能生成：{why}"))
                st.rerun()
            return
        st.code(link_url("review", "link", review), language=None, wrap_lines=True)
        st.caption("重新生成或停用后，旧复核链接不能再打开；专家通过旧链接建立的复核草稿也一并删除"
                   "（请先让专家下载含复核的申报文件）。")
        left, right = st.columns(2)
        if left.button("重新生成复核链接", key="links:view-again", width="stretch"):
            made = len(state.reviews_via(review))
            why = state.reissue(VIEW)
            st.session_state["links:notice"] = (
                ("ok", f"已生成新的复核链接，旧复核链接已作废；据此建立的复核草稿 {made} 份已删除。") if why is None
                else ("error", f"未能重新生成：{why}"))
            st.rerun()
        if right.button("停用复核链接", key="links:view-stop", width="stretch"):
            gone, why = state.revoke_review()
            st.session_state["links:notice"] = (
                ("ok", f"复核链接已停用；据此建立的复核草稿 {gone} 份已删除。") if why is None
                else ("error", f"未能停用：{why}"))
            st.rerun()
