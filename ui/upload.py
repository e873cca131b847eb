"""Upload a claim file: refused with the problems in Chinese, or loaded -- the draft untouched on failure."""

from __future__ import annotations

import streamlit as st
from streamlit.runtime.uploaded_file_manager import UploadedFile

from scorer import ClaimError, claims_from_text
from scorer.claims import Claims, readable_problem
from ui import state
from ui.streamlit_words import file_uploader

MAX_UPLOAD_MB = 2  # the uploader's own limit (Streamlit's MB: 2**20 bytes), the same one checked below
MAX_UPLOAD_BYTES = MAX_UPLOAD_MB * 1024 * 1024
SUFFIXES = (".yaml", ".yml", ".json")
UPLOAD_HELP = "YAML 或 JSON 申报文件（.yaml、.yml、.json），不超过 2 MB"


def read_claims(uploaded: UploadedFile, untouched: str) -> Claims | None:
    """The claims in an uploaded file, or None after showing what to fix (``untouched``: what stays as it was)."""
    if not uploaded.name.lower().endswith(SUFFIXES):
        # checked here, not by the uploader's `type=`: its refusal is English ("text/plain files are not allowed")
        st.error(f"「{uploaded.name}」不是申报文件：只能上传 YAML 或 JSON 文件（.yaml、.yml、.json）。{untouched}")
        return None
    raw = uploaded.getvalue()
    if len(raw) > MAX_UPLOAD_BYTES:
        st.error(f"文件过大（{len(raw) // 1024} KB），申报文件不应超过 {MAX_UPLOAD_MB} MB。{untouched}")
        return None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        st.error(f"文件不是 UTF-8 编码，请另存为 UTF-8 后再上传。{untouched}")
        return None
    try:
        return claims_from_text(text, uploaded.name, state.sheets())[1]
    except ClaimError as exc:
        st.error(f"申报文件有误，未载入，{untouched}请修改后重新上传：\n\n" + "\n".join(f"- {x}" for x in shown_problems(exc)))
        return None


def shown_problems(exc: ClaimError) -> list[str]:
    """The problems of a refused claim file as a person reads them: its line, the item's name and the row
    (第 20 行：主持或参与的矿山工程项目第2条日期：…), not ``answers.mine_projects[1].date``; as printed when
    its sheet is unknown (the sheet itself is the problem) or nothing was located."""
    sheet = state.sheets().get(str(exc.data.get("sheet"))) if isinstance(exc.data, dict) else None
    if sheet is None or not exc.located:
        return exc.lines
    return [(f"第 {line} 行：" if line else "") + readable_problem(sheet, problem) for line, problem in exc.located]


def claim_upload(where: str) -> None:
    uploaded = file_uploader(st, "上传申报文件", key=f"upload:{where}", max_mb=MAX_UPLOAD_MB, help=UPLOAD_HELP)
    if uploaded is None:
        return
    if st.session_state.get(f"done:{where}") == uploaded.file_id:
        st.success(f"已载入 {uploaded.name}")
        return
    claims = read_claims(uploaded, "当前草稿未改动。")
    if claims is None:
        return
    state.replace_data(claims.to_data())
    st.session_state[f"done:{where}"] = uploaded.file_id
    st.success(f"已载入 {uploaded.name}")
    st.rerun()
