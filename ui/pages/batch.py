"""用人单位: check many applicants at once and see who needs a second look before the committee does."""

from __future__ import annotations

import re
import string
from decimal import Decimal
from typing import Any

import altair as alt
import pandas as pd
import streamlit as st
from pydantic import ValidationError

from scorer.batch import (
    MAX_ARCHIVE_BYTES,
    MB,
    ROSTER_COLUMNS,
    Source,
    histogram,
    roster_csv,
    run_batch,
    sources_from_bytes,
    template_claims,
)
from scorer.cells import exact_number
from scorer.checks import reflag
from scorer.export import batch_xlsx, roster_xlsx
from scorer.flags import DEFAULT_SETTINGS, FLAG_KINDS, FlagSettings, settings_problems
from scorer.numbers import fmt
from scorer.publicity import recommendation_xlsx
from scorer.ranking import listed_verdict, status_text, what_it_means
from ui import state, widgets
from ui.streamlit_words import file_uploader, filter_select

_MD_SPECIAL = re.compile(f"([{re.escape(string.punctuation)}])")  # all ASCII punctuation: CommonMark escapes each
_LINE_BREAKS = re.compile(r"\s*[\r\n\u0085\u2028\u2029]+\s*")


def md(text: Any) -> str:
    """User text for Markdown (st.markdown, expander labels, progress text): shown as typed, never rendered.

    Every ASCII punctuation character is backslash-escaped (CommonMark shows an escaped one as
    itself), so links, images, emphasis, math, :color[...] directives, HTML, entities and tables
    in a name or a file name are never rendered;
    line breaks become spaces so text cannot start a heading or a list.
    """
    return _MD_SPECIAL.sub(r"\\\1", _LINE_BREAKS.sub(" ", str(text)))


st.title("单位批量复核")
st.caption(
    "用人单位需对自评分进行复核：一次载入多名申报人的申报文件（可多选，或打包成 zip），"
    "或按名册模板填写的 Excel / CSV（UTF-8、带 BOM 的 UTF-8 或 GBK 均可）。"
)
st.caption(
    "也可载入申报人的**申报材料包**（结果页下载的“附件压缩包”：申报文件和按编号命名的佐证文件），"
    "直接上传，或每人一个放进同一个 zip。材料包中的每份文件都与申报文件所列的 SHA-256 和大小逐一核对"
    "（文件只做比对，不打开）：缺少或不符的标为“附件不符”，并当作未附；计入总分却没有经核对佐证文件的分数标为"
    "“无佐证计分”。单独的申报文件和名册没有附带文件，不作这两项核查与标记。"
)


@st.cache_data
def template() -> bytes:
    """The roster template, filled with one worked example of every sheet (consistent as it stands)."""
    return roster_csv(template_claims(state.sheets()))


@st.cache_data
def template_xlsx() -> bytes:
    """The same template as an Excel workbook, laid out to print on A4."""
    return roster_xlsx(template_claims(state.sheets()))


c1, c2 = st.columns([3, 1])
uploads = file_uploader(
    c1,
    "上传申报文件、zip 或名册",
    accept_multiple_files=True,  # no `type=`: a file of another kind is listed with a Chinese reason, not refused in English
    key="batch-upload",
    max_mb=MAX_ARCHIVE_BYTES // MB,
    help="申报文件（.yaml、.yml、.json）、zip 压缩包（可以是申报材料包，或装有多个材料包）或名册（.xlsx、.xlsm、.csv）；"
         "压缩包不超过 50 MB",
)
c2.download_button("下载名册模板（CSV）", template(), "职称自评分名册模板.csv", "text/csv", width="stretch")
c2.download_button("下载名册模板（Excel）", template_xlsx(), "职称自评分名册模板.xlsx",
                   "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", width="stretch")
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
        bar.progress((i + 1) / len(uploads) * 0.2, text=f"读取 {md(upload.name)}")

    def progress(done: int, total: int) -> None:
        if done % 25 == 0 or done == total:
            bar.progress(0.2 + 0.8 * done / total, text=f"计分与核查 {done} / {total}")

    batch = run_batch(sources, state.sheets(), progress)
    batch.errors = errors + batch.errors
    bar.empty()
    st.session_state["batch"] = batch
    st.session_state["batch-signature"] = signature
    st.session_state["batch-flagged-with"] = DEFAULT_SETTINGS
batch = st.session_state["batch"]


def _setting(box: Any, label: str, key: str, default: Decimal | int, low: str, high: str, *,
             integer: bool = False) -> Decimal | None:
    """One number of the settings, typed as exact text (never a float widget): its value, or None with the
    reason under the box."""
    widgets.seed(key, fmt(default) if isinstance(default, Decimal) else str(default))
    _, got = widgets.exact_number(label, key, integer=integer, min_value=Decimal(low), max_value=Decimal(high),
                                  placeholder="请填写", container=box)
    return got


def settings_form() -> FlagSettings:
    """The unit's flag settings as the page shows them; an invalid entry is said so and the last valid ones kept."""
    with st.expander("标记说明与设置（可关闭某类标记；设置随复核总表一起导出）"):
        enabled = []
        for code, (label, words) in FLAG_KINDS.items():
            left, right = st.columns([1, 4])
            if left.checkbox(label, value=DEFAULT_SETTINGS.on(code), key=f"batch-flag-on-{code}"):
                enabled.append(code)
            right.caption(words)
        n1, n2, n3 = st.columns(3)
        d = DEFAULT_SETTINGS
        similarity = _setting(n1, "名称相似度（达到即视为同一项业绩）", "batch-similarity", d.similarity, "0.75", "1")
        padding_min = _setting(n2, "凑满封顶：至少几条业绩", "batch-padding-min", d.padding_min_entries, "2", "100",
                               integer=True)
        cap_margin = _setting(n3, "凑满封顶：距封顶不足几分也算", "batch-cap-margin", d.cap_margin, "0", "1000")
        n4, n5, n6 = st.columns(3)
        near_line = _setting(n4, "刚过分数线：超出不超过几分", "batch-near-line", d.near_line, "0", "1000")
        near_count = _setting(n5, "刚过分数线（按项数的表）：超出不超过几项", "batch-near-count", d.near_line_count, "0",
                              "100", integer=True)
        unbacked = _setting(n6, "无佐证计分：超过几分才标记（材料包）", "batch-unbacked", d.unbacked_points, "0", "1000")
        t1, t2 = st.columns(2)
        placeholders = t1.text_area("视为未列佐证的占位词（每行一个，可增补）", "\n".join(DEFAULT_SETTINGS.placeholders),
                                    key="batch-placeholders", height=160)
        suffixes = t2.text_area("比对名称时去掉的通用后缀（每行一个）", "\n".join(DEFAULT_SETTINGS.generic_suffixes),
                                key="batch-suffixes", height=160)
        numbers = (similarity, padding_min, cap_margin, near_line, near_count, unbacked)
        if any(n is None for n in numbers):  # the reason is under its box; the flags stand as they were
            st.error("标记设置有误（见上方红字），仍按上一次的设置标记。")
            return st.session_state.get("batch-flagged-with", DEFAULT_SETTINGS)
        try:
            return FlagSettings(
                enabled=tuple(enabled), similarity=similarity, padding_min_entries=int(padding_min),  # type: ignore[arg-type]
                cap_margin=cap_margin, near_line=near_line, near_line_count=int(near_count),  # type: ignore[arg-type]
                unbacked_points=unbacked, placeholders=placeholders, generic_suffixes=suffixes,
            )
        except ValidationError as exc:
            st.error("标记设置有误，仍按上一次的设置标记：" + "；".join(md(p) for p in settings_problems(exc)))
            return st.session_state.get("batch-flagged-with", DEFAULT_SETTINGS)


settings = settings_form()
if st.session_state.get("batch-flagged-with") != settings:  # only the flags are redone: the scores stand
    reflag(batch.rows, settings)
    st.session_state["batch-flagged-with"] = settings

rows = batch.rows
flagged = sum(1 for r in rows if r.flags)
packets = [r.packet for r in rows if r.packet is not None]
m1, m2, m3, *m4 = st.columns(4 if packets else 3)
m1.metric("申报人", len(rows))
m2.metric("有标记", flagged)
m3.metric("未能读取的文件", len(batch.errors))
if packets:  # shown once a packet is loaded: the rest are bare claim files or roster rows, their documents not checked
    m4[0].metric("申报材料包", len(packets), help="附有佐证文件、逐份核对过的申报人；其余为单独的申报文件或名册，不核查佐证文件")
if batch.errors:
    with st.expander(f"未能读取的文件（{len(batch.errors)}）", expanded=True):
        st.markdown("\n".join(f"- **{md(e.source)}**：{md('；'.join(e.lines))}" for e in batch.errors))
if not rows:
    st.stop()

f1, f2, f3, f4 = st.columns(4)
sheet_names = sorted({r.sheet.short_title for r in rows})
chosen_sheets = filter_select(f1, "评分表", sheet_names)
verdicts = filter_select(f2, "结论", sorted({listed_verdict(r.result.verdict, r.place) for r in rows}))
flag_kinds = filter_select(f3, "标记类别", [FLAG_KINDS[c][0] for c in settings.enabled])
only_flagged = f4.toggle("只看有标记的", value=False)
shown = [
    r
    for r in rows
    if (not chosen_sheets or r.sheet.short_title in chosen_sheets)
    and (not verdicts or listed_verdict(r.result.verdict, r.place) in verdicts)
    and (not flag_kinds or any(f.label in flag_kinds for f in r.flags))
    and (not only_flagged or r.flags)
]
summaries = {(ranked.sheet_id, g.group): g for ranked in batch.ranked for g in ranked.groups}
ranking_shown = any(r.place is not None for r in shown)


def ranking_columns(r: Any) -> dict[str, str]:
    """申报专业, 考试成绩, 考试: empty for an applicant of a sheet without an exam cut."""
    p = r.place
    if p is None:
        return {"申报专业": "", "考试成绩": "", "考试": ""}
    return {"申报专业": p.group, "考试成绩": fmt(p.exam) if p.exam is not None else "",
            "考试": status_text(p, summaries.get((r.sheet.id, p.group)))}


# the total column is a number (it sorts as one, shown with the double's shortest text); a total no double holds
# (more digits than a spreadsheet number keeps: exports write it as text) also gets its exact digits beside it
beyond_float = any(isinstance(exact_number(r.result.total), str) for r in shown)
table = pd.DataFrame(
    [
        {
            "申报人": r.name,
            "单位": r.claims.applicant.unit or "",
            "评分表": r.sheet.short_title,
            "自评总分": float(r.result.total),
            **({"总分精确值": fmt(r.result.total)} if beyond_float else {}),
            "分数线": {"rank": "排名", "none": "不设"}.get(r.result.kind) or fmt(r.result.threshold),
            "结论": listed_verdict(r.result.verdict, r.place),
            "标记": "、".join(dict.fromkeys(f.tag() for f in r.flags)),  # early: a wide table cuts the right end
            "超出/差距": fmt(r.result.margin) if r.result.margin is not None else "",
            "排名": str(r.rank) if r.rank else "",
            **(ranking_columns(r) if ranking_shown else {}),
            **({"佐证核对": r.packet.summary() if r.packet else "未载入材料包"} if packets else {}),
            "标志性成果": "；".join(r.result.findings),
            "来源": r.source,
        }
        for r in shown
    ]
)
OPTIONAL = ("单位", "排名", "申报专业", "考试成绩", "考试", "标志性成果")  # left out when no row shown has one
table = table.drop(columns=[c for c in OPTIONAL if c in table and not table[c].astype(bool).any()])
RIGHT = st.column_config.TextColumn(alignment="right")  # exact decimal text, aligned like numbers
st.dataframe(  # sortable by clicking a header; the total column is a number (see beyond_float above)
    table,
    hide_index=True,
    width="stretch",
    height="content" if len(table) <= 50 else 700,  # a short list whole, not in a box that hides its last rows
    column_config={
        "自评总分": st.column_config.NumberColumn(format="%g"),
        "总分精确值": RIGHT,
        "分数线": RIGHT,
        "超出/差距": RIGHT,
        "排名": RIGHT,
        "标记": st.column_config.TextColumn(
            width="large", help="；".join(f"{label}：{words}" for label, words in FLAG_KINDS.values())),
    },
)

for ranked in batch.ranked:  # a sheet with an exam cut per 申报专业 (永嘉: 淘汰率不低于10%, then rank by total)
    ranked_sheet = state.sheets()[ranked.sheet_id]
    st.subheader(f"{ranked_sheet.short_title}：按申报专业考试淘汰后排名")
    st.caption(what_it_means(ranked_sheet) or "")
    st.table(pd.DataFrame([{"申报专业": g.group, "人数": g.applicants, "参加考试": g.examined, "考试淘汰": g.eliminated,
                            "至少应淘汰": g.required,
                            "淘汰线": f"{fmt(g.cut_score)} 分及以下" if g.cut_score is not None else "—",
                            "缺考": g.absent} for g in ranked.groups]), hide_index=True)
    st.download_button(f"下载推荐名单（公示格式，{ranked_sheet.short_title}）",
                       recommendation_xlsx(rows, ranked, ranked_sheet.short_title),
                       f"{ranked_sheet.short_title}-推荐名单.xlsx",
                       "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                       key=f"dl-list-{ranked.sheet_id}")

st.subheader("标记明细")
for r in shown:
    if r.flags:
        verdict = listed_verdict(r.result.verdict, r.place)
        with st.expander(
            f"{md(r.name)}（{md(r.sheet.short_title)}，{md(fmt(r.result.total))} 分，{md(verdict)}）："
            f"{len(r.flags)} 项标记"
        ):
            for flag in r.flags:  # one block per flag, so the entries it concerns are listed under it
                st.markdown("\n".join([f"- **{md(flag.tag())}**：{md(flag.reason)}"]
                                      + [f"    - {md(entry)}" for entry in flag.entries]))

st.subheader("总分分布")


def line_of(r: Any) -> Decimal | None:
    return r.result.threshold if r.result.kind in ("total", "count") else None


def chart_key(r: Any, split: set[str]) -> str:
    """Sheet, and its line when applicants of one sheet have different lines (分数线 by 申报级别)."""
    if r.sheet.short_title not in split:
        return r.sheet.short_title
    line = line_of(r)
    return f"{r.sheet.short_title}（{r.result.level or ''}分数线 {fmt(line)}）" if line is not None else r.sheet.short_title


if not shown:
    st.info("没有符合筛选条件的申报人。")
else:
    lines_by_sheet: dict[str, set[Any]] = {}
    for r in shown:
        lines_by_sheet.setdefault(r.sheet.short_title, set()).add(line_of(r))
    split = {title for title, lines in lines_by_sheet.items() if len(lines) > 1}
    keys = list(dict.fromkeys(chart_key(r, split) for r in sorted(shown, key=lambda r: r.sheet.short_title)))
    chart_sheet = st.selectbox("评分表", keys, key="batch-chart-sheet")
    group = [r for r in shown if chart_key(r, split) == chart_sheet]
    line = line_of(group[0]) if group else None
    unit = "项" if group and group[0].result.kind == "count" else "分"
    # which bar a total falls in is decided with Decimal; floats are only the bars' drawn positions
    bins = histogram([r.result.total for r in group], line)
    frame = pd.DataFrame(
        {
            "起点": [float(b.start) for b in bins],
            "终点": [float(b.end) for b in bins],
            "区间": [f"{b.label}（含 {fmt(b.start)}，不含 {fmt(b.end)}）" for b in bins],
            "人数": [b.count for b in bins],
        }
    )
    width = bins[0].end - bins[0].start
    low = min([bins[0].start] + ([line] if line is not None else [])) - width
    high = max([bins[-1].end] + ([line] if line is not None else [])) + width
    x_scale = alt.Scale(domain=[float(low), float(high)], nice=False, zero=False)
    bars = (
        alt.Chart(frame)
        .mark_bar(color="#3b6ea5", stroke="white", strokeWidth=1)
        .encode(
            x=alt.X("起点:Q", scale=x_scale, title=f"自评总分（每格 {fmt(width)} {unit}）"),
            x2="终点:Q",
            y=alt.Y("人数:Q", title="人数", axis=alt.Axis(tickMinStep=1, format="d"), scale=alt.Scale(domainMin=0)),
            y2=alt.datum(0),  # with x and x2 given, a bar is filled down to 0 only when y2 says so
            tooltip=["区间:N", "人数:Q"],
        )
    )
    layers = [bars]
    if line is not None:
        layers.append(
            alt.Chart(pd.DataFrame({"分数线": [float(line)]}))
            .mark_rule(color="#c0392b", strokeWidth=2)
            .encode(x=alt.X("分数线:Q", scale=x_scale))
        )
    st.altair_chart(alt.layer(*layers).properties(height=260), width="stretch")
    caption = f"{len(group)} 名申报人（随上方筛选）。每格含左端、不含右端。"
    if line is not None:
        caption += f"红线为分数线 {md(fmt(line))} {unit}：总分等于分数线的落在红线右侧的一格。"
    st.caption(caption)

st.download_button(
    "下载复核总表（Excel，含标记明细）",
    batch_xlsx(rows, batch.errors, settings),
    "单位复核总表.xlsx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    type="primary",
)
