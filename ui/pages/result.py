"""Step 3: the verdict, what bit, where the next points are, the evidence checklist, and the exports."""

from __future__ import annotations

import datetime as dt

import altair as alt
import pandas as pd
import streamlit as st

from scorer.attachments import FileRef
from scorer.drafts import retention_days
from scorer.evidence import checklist
from scorer.export import to_html, to_xlsx
from scorer.gaps import find_gaps
from scorer.numbers import fmt
from scorer.packet import binder_pdf, catalogue, packet_zip, self_check
from scorer.proof import unbacked
from scorer.ranking import what_it_means
from scorer.result import GATE_STATUS_TEXT
from scorer.serialize import to_json, to_yaml
from ui import attach, state
from ui.common import proof_line, require_sheet, sheet_header, total_metrics
from ui.links import links_section
from ui.upload import claim_upload


def expiry_text(updated: str) -> str:
    """When an untouched draft is purged (the retention the deployment set), said to its applicant."""
    days = retention_days()
    try:
        last = dt.datetime.fromisoformat(updated)
    except ValueError:
        return f"连续 {days} 天未修改的草稿会被删除。"
    until = (last + dt.timedelta(days=days)).date()
    return f"最后保存于 {last.date()}；连续 {days} 天未修改将被删除（约 {until} 之后）。"


sheet, draft = require_sheet()
claims, result, problems = state.evaluate(sheet)
# the claim file (download, packet) holds what was typed: with problems, the draft as it stands (nothing dropped)
claim_data = claims.to_data() if not problems else {k: v for k, v in draft.data.items() if k != "review"}
sheet_header(sheet, claims.level)
total_metrics(result)
# a document the claim file lists but the store does not hold (a claim file loaded from elsewhere) proves nothing here
stored_documents = attach.held()


def kept(ref: FileRef) -> bool:
    return ref.sha256 in stored_documents


proof_line(sheet, claims, result, kept)
if problems:
    st.warning("以下填写不完整，暂不计分：\n\n" + "\n".join(f"- {p}" for p in problems))

if (cut := what_it_means(sheet)) is not None:
    st.info(cut, icon=":material/school:")  # the exam cut is known only for the whole specialty

failed = [g for g in result.gates if g.status != "met"]
if failed:
    st.markdown("**申报条件**：" + "；".join(f"{g.question}（{GATE_STATUS_TEXT[g.status]}）" for g in failed))
for title, lines in result.note_groups():
    if lines:
        with st.expander(f"{title}（{len(lines)}）", expanded=title in ("未计分的业绩", "待确认")):
            st.markdown("\n".join(f"- {line}" for line in lines))

if result.kind == "count":
    st.subheader("各项条件")
    rows = [{"部分": i.label, "得分": 1.0 if i.met else 0.0, "最高": 1.0, "显示": "满足" if i.met else "未满足"}
            for i in result.items.values()]
    x_axis = None
else:
    st.subheader("各部分得分")
    rows = [
        {"部分": s.title, "得分": float(s.subtotal), "最高": float(s.max_points if s.max_points is not None else s.subtotal),
         "显示": f"{fmt(s.subtotal)} / {fmt(s.max_points)}"}
        for s in result.sections
    ]
    x_axis = alt.Axis(title="分数")
frame = pd.DataFrame(rows)  # floats for drawing only; every number shown is the Decimal text
base = alt.Chart(frame).encode(y=alt.Y("部分:N", sort=None, title=None, axis=alt.Axis(labelLimit=420)))
chart = (
    base.mark_bar(color="#e4e8ee").encode(x=alt.X("最高:Q", axis=x_axis))
    + base.mark_bar(color="#3b6ea5").encode(x="得分:Q", tooltip=["部分", "显示"])
    + base.mark_text(align="left", dx=4).encode(x="最高:Q", text="显示:N")
).properties(height=34 * len(rows) + 40)
st.altair_chart(chart, width="stretch")

st.subheader("每项得分")
table = pd.DataFrame(
    [{"项目": i.label, "申报": i.claimed,
      "得分": ("满足" if i.met else "未满足") if result.kind == "count" else fmt(i.points),
      "封顶": fmt(i.cap) if i.cap is not None else "",
      "说明": "；".join(i.explanation)} for i in result.items.values()]
)
st.table(table, hide_index=True)  # every row shown, long labels wrapped: no box that hides rows at phone width

proofless = unbacked(result, kept)
if proofless:
    st.subheader("先补佐证")
    st.caption("无证明材料的不予评分：下列计分业绩还没有附上证明文件，附上即可确保这些分数（在“逐项填写”的该条业绩下上传）。")
    st.table(pd.DataFrame([{"项目": u.item, "业绩": u.entry, "分值": fmt(u.points) + u.cap_note,
                            "现状": "仅列名称" if u.listed else "无佐证"} for u in proofless]), hide_index=True)

st.subheader("提分空间")
if result.reaches and result.kind != "rank":
    st.caption("已达到分数线；下列为仍可加分的项目，可用于留出余量。")
gaps = find_gaps(sheet, claims, result)
if gaps:
    st.table(
        pd.DataFrame([{"项目": g.label, "部分": g.section, "现得分": fmt(g.points), "下一步": g.step,
                       "可加": fmt(g.gain), "最多一步可加": f"{fmt(g.best_gain)}（{g.best_step}）"} for g in gaps]),
        hide_index=True,
    )
else:
    st.caption("各项均已封顶或无法再加分。")

st.subheader("佐证材料清单")
st.caption("每一项计分都须有证明材料，无证明材料的不予评分。备好后勾选；勾选会随草稿保存并写入导出文件。")
rows_e = checklist(sheet, result)
changed = False
for er in rows_e:
    key = state.widget_key("ready", er.key)
    if key not in st.session_state:
        st.session_state[key] = bool(draft.ready.get(er.key))
    provided = f"（已列：{'、'.join(er.provided)}）" if er.provided else ""
    ticked = st.checkbox(f"{er.item} · {er.claim} —— {'；'.join(er.documents) or '—'}{provided}", key=key)
    if bool(draft.ready.get(er.key)) != ticked:
        draft.ready[er.key] = ticked
        changed = True
if changed:
    state.save()
done = sum(1 for er in rows_e if draft.ready.get(er.key))
st.progress(done / len(rows_e) if rows_e else 1.0, text=f"已备好 {done} / {len(rows_e)}")

st.subheader("申报材料包")
attach.forget_unused()
checks = self_check(sheet, claims, result, attach.fetch)
st.markdown("**材料自检**（依据通知对证件照、本人述职的要求，以及“无证明材料的不予评分”）")
st.markdown("\n".join(f"- {':green[✓]' if c.ok else ':red[✗]'} {c.what}：{c.detail}" for c in checks))
docs = catalogue(sheet, claims)
st.caption(f"已附文件 {len(docs)} 份，共 {sum(d.ref.pages for d in docs)} 页。装订本：封面、"
           "自评分表（含佐证目录与得分符合情况描述）、目录（含页码）、全部文件按目录顺序，每页页眉印有编号、项目与业绩名称。")
p1, p2 = st.columns(2)
if p1.button("生成装订本（PDF）", key="make-binder", width="stretch", disabled=not docs):
    with st.spinner("正在装订……"):
        binder, left_out = binder_pdf(sheet, claims, result, attach.fetch, problems)
    st.session_state["binder"] = (draft.id, draft.version, binder, left_out)
made = st.session_state.get("binder")
if made and made[0] == draft.id and made[1] == draft.version:
    for line in made[3]:
        st.warning(line)
    p1.download_button("下载装订本（PDF）", made[2], f"{claims.applicant.name or '申报人'}-申报材料.pdf",
                       "application/pdf", key="dl:binder", width="stretch")
elif made:
    st.caption("草稿已改动：请重新生成装订本。")
if docs:
    stored = stored_documents  # which documents are there, without reading them: the zip is made on the click
    for d in docs:
        if d.ref.sha256 not in stored:
            st.warning(f"{d.number} {d.ref.name}：附件库中找不到该文件，压缩包与装订本中将缺少它，请重新上传")
    # made on a click, like the binder: reading every document on each rerun of this page would be slow
    if p2.button("生成附件压缩包（按编号命名）", key="make-zip", width="stretch"):
        claim_file = to_yaml(claim_data).encode("utf-8")  # as downloaded: a row left out here is the batch's to flag
        st.session_state["archive"] = (draft.id, draft.version, packet_zip(sheet, claims, attach.fetch, claim_file)[0])
    packed = st.session_state.get("archive")
    if packed and packed[:2] == (draft.id, draft.version):
        p2.download_button("下载附件压缩包", packed[2], f"{claims.applicant.name or '申报人'}-附件.zip",
                           "application/zip", key="dl:zip", width="stretch")

st.subheader("导出与保存")
name = claims.applicant.name or "申报人"
if problems:
    st.warning("下载的申报文件保留了全部填写内容，其中有未通过检查的部分（见页首）：自评分表与打印版在结论下列出这些未计分的"
               "填写；重新导入或交专家复核时，申报文件会被拒绝并逐条列出这些问题，请先改正。", icon=":material/info:")
c1, c2, c3, c4 = st.columns(4)
form_xlsx = to_xlsx(sheet, claims, result, draft.ready, problems)
c1.download_button("下载自评分表（Excel）", form_xlsx, f"{name}-{sheet.short_title}.xlsx",
                   "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key="dl:xlsx", width="stretch")
c2.download_button("下载打印版（HTML）", to_html(sheet, claims, result, draft.ready, problems).encode("utf-8"),
                   f"{name}-{sheet.short_title}.html", "text/html", key="dl:html", width="stretch")
c3.download_button("下载申报文件（YAML）", to_yaml(claim_data).encode("utf-8"), f"{name}-申报文件.yaml",
                   "application/x-yaml", key="dl:yaml", width="stretch")
c4.download_button("下载申报文件（JSON）", to_json(claim_data).encode("utf-8"), f"{name}-申报文件.json",
                   "application/json", key="dl:json", width="stretch")
if state.is_saved():
    st.caption(f"草稿已自动保存：保留本页链接即可随时回来继续。{expiry_text(draft.updated)}")
    links_section(len(problems))
else:
    st.warning("草稿暂未保存到服务器：请先下载申报文件（YAML 或 JSON）保存好已填写的内容。", icon=":material/cloud_off:")
with st.expander("上传申报文件（替换当前草稿）"):
    claim_upload("result")
with st.expander("删除草稿"):
    st.markdown("删除后，草稿内容、所附的全部佐证材料文件、推荐专家据复核链接建立的复核草稿（及其文件副本）都从服务器上"
                "删除，不能恢复；填写链接与复核链接都将显示“已删除”。"
                "如需留底，请先下载申报文件与附件压缩包。")
    sure = st.checkbox("我已下载需要保留的内容，确认删除这份草稿", key="delete-sure")
    if st.button("删除草稿", type="primary", disabled=not sure, key="delete-draft", icon=":material/delete_forever:"):
        why = state.delete_current(state.APPLICANT)
        if why is None:
            st.session_state["deleted-notice"] = True
            st.switch_page("ui/pages/choose.py")
        st.error(f"未能删除：{why}")
