"""Pieces several pages show: the sheet's header with its provenance, and the verdict metrics."""

from __future__ import annotations

import streamlit as st

from scorer.claims import Claims
from scorer.describe import FIDELITY_TEXT, describe_threshold
from scorer.drafts import Draft
from scorer.maxima import sheet_max
from scorer.model import Sheet
from scorer.numbers import fmt
from scorer.proof import BACKED, LISTED, UNPROVEN, Kept, proof_tally
from scorer.result import Result


def require_sheet() -> tuple[Sheet, Draft]:
    """The draft's sheet, or a pointer to the chooser and an end to this page."""
    from ui import state

    sheet, draft = state.current_sheet(), state.draft()
    if sheet is None or draft is None:
        st.info("请先选择评分表。")
        st.page_link("ui/pages/choose.py", label="去选择评分表", icon=":material/checklist:")
        st.stop()
    return sheet, draft


def sheet_header(sheet: Sheet, level: str | None = None) -> None:
    st.markdown(f"### {sheet.title}")
    bits = [sheet.region, sheet.specialty, sheet.route, f"{sheet.version}年版", describe_threshold(sheet)]
    if sheet.threshold.kind != "count":
        bits.append(f"满分 {fmt(sheet_max(sheet))}")
    if level:
        bits.insert(0, f"申报级别：{level}")
    st.caption("　·　".join(bits))
    if sheet.fidelity == "reconstructed":
        st.warning(f"**本表为重建版本，以官方附件为准。** {sheet.fidelity_note}", icon=":material/warning:")
    else:
        st.info(f"{FIDELITY_TEXT[sheet.fidelity]}：{sheet.fidelity_note}", icon=":material/description:")


def sources_text(sheet: Sheet) -> str:
    lines = []
    for src in sheet.sources:
        parts = [f"**{src.doc}**", src.title or "", src.clause or "", f"（{src.note}）" if src.note else ""]
        lines.append("- " + " ".join(p for p in parts if p))
    return "\n".join(lines)


def total_metrics(result: Result, *, section_id: str | None = None) -> None:
    """Live numbers: this section's subtotal, the total against the line, and the verdict."""
    # one row that wraps (not columns, which stack one per screen line on a phone)
    row = st.container(horizontal=True, gap="large", key=f"metrics-{section_id or 'total'}")
    columns = [row.container(width="content") for _ in range(3 if section_id else 2)]
    i = 0
    if section_id:
        section = next(s for s in result.sections if s.id == section_id)
        cap = f" / {fmt(section.cap)}" if section.cap is not None else ""
        columns[0].metric("本部分小计", f"{fmt(section.subtotal)}{cap}")
        i = 1
    if result.kind == "count":
        columns[i].metric("已满足条件", f"{fmt(result.total)} / 需 {fmt(result.threshold)} 项")
    elif result.kind == "rank":
        columns[i].metric("总分（按总分排名）", f"{fmt(result.total)} / {fmt(result.max_total)}")
    elif result.kind == "none":
        columns[i].metric("总分（不设分数线）", f"{fmt(result.total)} / {fmt(result.max_total)}")
    else:
        delta = None
        if result.margin is not None:
            delta = f"超出 {fmt(result.margin)}" if result.margin >= 0 else f"还差 {fmt(-result.margin)}"
        below = result.margin is not None and result.margin < 0
        columns[i].metric("总分 / 分数线", f"{fmt(result.total)} / {fmt(result.threshold)}", delta=delta,
                          delta_color="red" if below else "green", delta_arrow="down" if below else "up")
    columns[i + 1].metric("结论", result.verdict)
    if vetoed := [v.question for v in result.vetoes if v.vetoed]:
        st.error("**一票否决**：" + "；".join(vetoed), icon=":material/block:")
    if result.contradictions:
        st.error("**填写矛盾，请核对**：" + "；".join(result.contradictions), icon=":material/error:")
    if result.findings:
        st.success("**标志性成果**：" + "；".join(result.findings), icon=":material/workspace_premium:")


def proof_line(sheet: Sheet, claims: Claims, result: Result, kept: Kept | None = None) -> None:
    """How much of the total is backed by an attached document (scorer.proof), beside the total; ``kept``: which
    listed documents count (the result page: those the attachment store holds)."""
    tally = proof_tally(sheet, claims, result, kept)
    parts = tally.total.parts
    colors = {BACKED: "green", LISTED: "orange", UNPROVEN: "red"}
    st.markdown("　".join(f":{colors[k]}-badge[{k} {fmt(v)} {tally.unit}]" for k, v in parts.items()),
                help="有佐证：已附上证明文件；仅列名称：只写了材料名称；无佐证：都没有。无证明材料的不予评分。")
