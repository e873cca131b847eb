"""用人单位: check many applicants at once and see who needs a second look before the committee does."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from scorer.batch import ROSTER_COLUMNS, Source, roster_csv, run_batch, sources_from_bytes
from scorer.cases import case_claims, case_files, load_case_file
from scorer.checks import FLAG_LABELS
from scorer.export import batch_xlsx
from scorer.loader import sheets_dir
from scorer.numbers import fmt
from ui import state

st.title("单位批量复核")
st.caption(
    "用人单位需对自评分进行复核：一次载入多名申报人的申报文件（可多选，或打包成 zip），"
    "或按名册模板填写的 Excel / CSV（UTF-8、带 BOM 的 UTF-8 或 GBK 均可）。"
)


@st.cache_data
def template() -> bytes:
    """The roster template, filled with the first worked example of every sheet."""
    examples = []
    for path in case_files(sheets_dir() / "cases"):
        case_file, parsed = load_case_file(path)
        examples.append(case_claims(case_file, parsed, 0).data)
    return roster_csv(examples)


c1, c2 = st.columns([3, 1])
uploads = c1.file_uploader(
    "上传申报文件、zip 或名册", type=["yaml", "yml", "json", "zip", "xlsx", "csv"], accept_multiple_files=True, key="batch-upload"
)
c2.download_button("下载名册模板（CSV）", template(), "职称自评分名册模板.csv", "text/csv", width="stretch")
c2.caption("列：" + "、".join(ROSTER_COLUMNS))

if not uploads:
    st.info("请上传文件。")
    st.stop()

signature = tuple(u.file_id for u in uploads)
if st.session_state.get("batch-signature") != signature:
    sources: list[Source] = []
    errors = []
    bar = st.progress(0.0, text="读取文件…")
    for i, upload in enumerate(uploads):
        s, e = sources_from_bytes(upload.name, upload.getvalue(), state.sheets())
        sources += s
        errors += e
        bar.progress((i + 1) / len(uploads) * 0.2, text=f"读取 {upload.name}")

    def progress(done: int, total: int) -> None:
        if done % 25 == 0 or done == total:
            bar.progress(0.2 + 0.8 * done / total, text=f"计分与核查 {done} / {total}")

    batch = run_batch(sources, state.sheets(), progress)
    batch.errors = errors + batch.errors
    bar.empty()
    st.session_state["batch"] = batch
    st.session_state["batch-signature"] = signature
batch = st.session_state["batch"]

rows = batch.rows
flagged = sum(1 for r in rows if r.flags)
m1, m2, m3 = st.columns(3)
m1.metric("申报人", len(rows))
m2.metric("有标记", flagged)
m3.metric("未能读取的文件", len(batch.errors))
if batch.errors:
    with st.expander(f"未能读取的文件（{len(batch.errors)}）", expanded=True):
        st.markdown("\n".join(f"- **{e.source}**：{'；'.join(e.lines)}" for e in batch.errors))
if not rows:
    st.stop()

f1, f2, f3, f4 = st.columns(4)
sheet_names = sorted({r.sheet.short_title for r in rows})
chosen_sheets = f1.multiselect("评分表", sheet_names, placeholder="全部")
verdicts = f2.multiselect("结论", sorted({r.result.verdict for r in rows}), placeholder="全部")
flag_kinds = f3.multiselect("标记类别", list(FLAG_LABELS.values()), placeholder="全部")
only_flagged = f4.toggle("只看有标记的", value=False)
shown = [
    r
    for r in rows
    if (not chosen_sheets or r.sheet.short_title in chosen_sheets)
    and (not verdicts or r.result.verdict in verdicts)
    and (not flag_kinds or any(f.label in flag_kinds for f in r.flags))
    and (not only_flagged or r.flags)
]
table = pd.DataFrame(
    [
        {
            "申报人": r.name,
            "单位": r.claims.applicant.unit or "",
            "评分表": r.sheet.short_title,
            "自评总分": float(r.result.total),
            "分数线": {"rank": "排名", "none": "不设"}.get(r.result.kind) or fmt(r.result.threshold),
            "结论": r.result.verdict,
            "超出/差距": fmt(r.result.margin) if r.result.margin is not None else "",
            "排名": str(r.rank) if r.rank else "",
            "标记": "、".join(dict.fromkeys(f.label for f in r.flags)),
            "标志性成果": "；".join(r.result.findings),
            "来源": r.source,
        }
        for r in shown
    ]
)
RIGHT = st.column_config.TextColumn(alignment="right")  # exact decimal text, aligned like numbers
st.dataframe(  # sortable by clicking a header; the total column is numeric for sorting, shown with its exact text
    table,
    hide_index=True,
    width="stretch",
    column_config={
        "自评总分": st.column_config.NumberColumn(format="%g"),
        "分数线": RIGHT,
        "超出/差距": RIGHT,
        "排名": RIGHT,
    },
)

st.subheader("标记明细")
for r in shown:
    if r.flags:
        with st.expander(
            f"{r.name}（{r.sheet.short_title}，{fmt(r.result.total)} 分，{r.result.verdict}）：{len(r.flags)} 项标记"
        ):
            for flag in r.flags:
                st.markdown(f"- **{flag.label}**：{flag.reason}")
                for entry in flag.entries:
                    st.markdown(f"    - {entry}")

st.subheader("总分分布")
chart_sheet = st.selectbox("评分表", sheet_names, key="batch-chart-sheet")
group = [r for r in rows if r.sheet.short_title == chart_sheet]
frame = pd.DataFrame({"总分": [float(r.result.total) for r in group]})  # floats for drawing only
bars = (
    alt.Chart(frame)
    .mark_bar(color="#3b6ea5")
    .encode(x=alt.X("总分:Q", bin=alt.Bin(maxbins=20), title="自评总分"), y=alt.Y("count():Q", title="人数"))
)
layers = [bars]
line = group[0].result.threshold if group and group[0].result.kind == "total" else None
if line is not None:
    layers.append(
        alt.Chart(pd.DataFrame({"分数线": [float(line)]})).mark_rule(color="#c0392b", strokeWidth=2).encode(x="分数线:Q")
    )
st.altair_chart(alt.layer(*layers).properties(height=260), width="stretch")
if line is not None:
    st.caption(f"红线为分数线 {fmt(line)} 分。")

st.download_button(
    "下载复核总表（Excel，含标记明细）",
    batch_xlsx(rows, batch.errors),
    "单位复核总表.xlsx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    type="primary",
)
