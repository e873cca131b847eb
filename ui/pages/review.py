"""推荐专家: review one applicant's claims -- accept, change or reject each, with a reason.

The review is kept with the claim file (a ``review`` block) and saved as its own
draft (``?review=…``), so the applicant's answers are never overwritten and a
refresh loses nothing. All numbers come from scorer.review.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pandas as pd
import streamlit as st

from scorer import ClaimError, score
from scorer.claims import Claims, claims_from_data
from scorer.export import review_html, review_xlsx
from scorer.model import EntriesItem
from scorer.numbers import answer_text, fmt
from scorer.review import ACTION_TEXT, parse_review, review_claims, side_by_side
from scorer.serialize import store_form, to_yaml
from ui import rules, state
from ui.common import sheet_header
from ui.upload import read_claims

ACTIONS = {text: code for code, text in ACTION_TEXT.items()}
KEY = "review_draft"

st.title("专家复核")
st.caption(
    "载入申报人的申报文件，对每一项、每一条业绩作出“接受 / 修改 / 驳回”的复核结论并写明理由。复核结论单独保存，不改动申报内容。"
)


def load(data: dict[str, Any]) -> None:
    draft = state.store().create(store_form(data))
    st.session_state[KEY] = draft
    st.query_params["review"] = draft.id
    for key in [k for k in st.session_state if isinstance(k, str) and k.startswith("rv.")]:
        del st.session_state[key]


if KEY not in st.session_state:
    st.session_state[KEY] = state.store().load(st.query_params.get("review"))
draft = st.session_state[KEY]

with st.expander("载入申报文件", expanded=draft is None):
    upload = st.file_uploader("上传申报人的申报文件（YAML 或 JSON）", type=["yaml", "yml", "json"], key="rv-upload")
    if upload is not None and st.session_state.get("rv-upload-done") != upload.file_id:
        loaded = read_claims(upload, "当前复核未改动。")
        if loaded is not None:
            load(loaded.to_data())
            st.session_state["rv-upload-done"] = upload.file_id
            st.rerun()
    draft_id = st.text_input("或输入申报人草稿编号", key="rv-draft-id", placeholder="申报人结果页底部的草稿编号")
    if st.button("载入草稿", disabled=not draft_id):
        found = state.store().load(draft_id.strip())
        if found is None or not found.data.get("sheet"):
            st.error("找不到这个草稿编号，请核对后重试。")
        else:
            load(found.data)
            st.rerun()

if draft is None:
    st.stop()
try:
    sheet, claims = claims_from_data({k: v for k, v in draft.data.items() if k != "review"}, state.sheets())
except ClaimError as exc:
    st.error("申报内容有误：\n\n" + "\n".join(f"- {x}" for x in exc.lines))
    st.stop()
sheet_header(sheet, claims.level)
st.markdown(f"申报人：**{claims.applicant.name or '—'}**　单位：{claims.applicant.unit or '—'}")

saved = draft.data.get("review") or {}
saved_verdicts = {v["target"]: v for v in saved.get("verdicts", [])}
c1, c2 = st.columns(2)
reviewer = c1.text_input("复核专家", value=saved.get("reviewer", ""), key="rv.reviewer")
date = c2.date_input(
    "复核日期",
    value=dt.date.fromisoformat(saved["date"]) if saved.get("date") else dt.date.today(),
    key="rv.date",
    format="YYYY-MM-DD",
)


def _shown(value: Any) -> str:
    if isinstance(value, dict):
        return "；".join(f"{k} {answer_text(v)}" for k, v in value.items())
    return answer_text(value)


def scalar_verdict(item: Any, claimed: Claims, points: Decimal) -> dict[str, Any] | None:
    target = f"answers.{item.id}"
    old = saved_verdicts.get(target, {})
    cols = st.columns([3, 2, 2, 2, 3])
    answer = claimed.answers[item.id]
    cols[0].markdown(f"**{item.label}**  \n:gray[申报：{item.claimed_text(answer)}，{fmt(points)} 分]")
    action = cols[1].selectbox(
        "结论", list(ACTIONS), index=list(ACTIONS.values()).index(old.get("action", "accept")), key=f"rv.{item.id}.action"
    )
    value: Any = None
    ceiling: Decimal | None = None
    if ACTIONS[action] == "change":
        if item.reviewer_may_change:
            value = rules.review_value(item, answer, old.get("value"), cols[2])
        else:
            cols[2].caption("此项的答案以材料为准，只能酌定分值")
        got = cols[3].number_input(
            "酌定分（不高于计算分）", min_value=0.0, max_value=float(points), step=0.5, format="%g",
            value=None if old.get("points") is None else min(float(old["points"]), float(points)),
            key=f"rv.{item.id}.points", placeholder="不酌定", help="专家按难度、效益综合确定，只能调低",
        )
        ceiling = None if got is None else Decimal(str(got))
    reason = cols[4].text_input("理由", value=old.get("reason", ""), key=f"rv.{item.id}.reason")
    if ACTIONS[action] == "accept" and not reason:
        return None
    verdict: dict[str, Any] = {"target": target, "action": ACTIONS[action], "reason": reason}
    if value is not None:
        verdict["value"] = value
    if ceiling is not None:
        verdict["points"] = ceiling
    return verdict


def _entry_columns(item: Any) -> list[tuple[str, str, list[str] | None]]:
    """(field, column title, options) a reviewer may change on one row of this item."""
    if not isinstance(item, EntriesItem):
        return []  # indicators: accept or reject only
    out: list[tuple[str, str, list[str] | None]] = [
        (name, item.field_label(name), options)
        for name, options in (("category", item.categories), ("level", item.levels), ("role", item.roles))
        if options
    ]
    if item.rank_coefficients:
        out.append(("rank", item.field_label("rank"), None))
    out.append(("points", "复核分值", None))
    return out


def row_verdicts(item: Any, claimed: Claims) -> list[dict[str, Any]]:
    """One row per entry (or ticked indicator): 接受 / 修改 / 驳回, the changed fields, the reason."""
    st.markdown(f"**{item.label}**")
    changeable = _entry_columns(item)
    actions = list(ACTIONS) if changeable else [ACTION_TEXT["accept"], ACTION_TEXT["reject"]]
    rows = []
    for i, entry in enumerate(claimed.answers[item.id]):  # type: ignore[union-attr]
        old = saved_verdicts.get(f"answers.{item.id}[{i}]", {})
        row: dict[str, Any] = {"条目": entry.describe(i)}
        for name, title, _ in changeable:
            if name != "points":
                row[title] = getattr(entry, name)
        if any(name == "points" for name, _, _ in changeable):
            row["申报分值"] = None if entry.points is None else float(entry.points)
        row["复核"] = ACTION_TEXT[old.get("action", "accept")]
        for name, title, _ in changeable:
            value = old.get(name)
            row[f"新{title}" if name != "points" else title] = float(value) if name == "points" and value is not None else value
        row["理由"] = old.get("reason", "")
        rows.append(row)
    frame = pd.DataFrame(rows)
    config: dict[str, Any] = {
        "复核": st.column_config.SelectboxColumn("复核", options=actions, required=True),
        "理由": st.column_config.TextColumn("理由", width="large"),
    }
    for name, title, options in changeable:
        if name == "points":
            config[title] = st.column_config.NumberColumn(
                title, min_value=0, step=0.5, format="%g", help="区间内的级别：改为较低的分值；固定分值：专家酌定，只能调低")
            frame[title] = frame[title].astype("Float64")
        elif name == "rank":
            config[f"新{title}"] = st.column_config.NumberColumn(f"新{title}", min_value=1, step=1, format="%d")
            frame[title] = frame[title].astype("Int64")
            frame[f"新{title}"] = frame[f"新{title}"].astype("Int64")
        else:
            config[f"新{title}"] = st.column_config.SelectboxColumn(f"新{title}", options=options)
    if "申报分值" in frame:
        frame["申报分值"] = frame["申报分值"].astype("Float64")
    fixed = [c for c in frame.columns if c not in config and not c.startswith("新")]
    edited = st.data_editor(frame, key=f"rv.{item.id}.table", hide_index=True, width="stretch", disabled=fixed,
                            column_config=config)
    out = []
    for i, row in enumerate(edited.to_dict("records")):
        action = ACTIONS.get(row["复核"], "accept")
        reason = row["理由"] if isinstance(row["理由"], str) else ""
        if action == "accept" and not reason:
            continue
        verdict: dict[str, Any] = {"target": f"answers.{item.id}[{i}]", "action": action, "reason": reason}
        if action == "change":
            for name, title, _ in changeable:
                value = row.get(f"新{title}" if name != "points" else title)
                if value is None or pd.isna(value) or value == "":
                    continue
                verdict[name] = int(value) if name == "rank" else (Decimal(str(value)) if name == "points" else value)
        out.append(verdict)
    return out


st.subheader("逐项复核")
claimed_result = score(sheet, claims)
verdicts: list[dict[str, Any]] = []
for item in sheet.items.values():
    if item.id not in claims.answers:
        continue
    with st.container(border=True):
        if item.reviewed_by_row:
            verdicts += row_verdicts(item, claims)
        else:
            v = scalar_verdict(item, claims, claimed_result.items[item.id].points)
            if v:
                verdicts.append(v)

review_data = {"reviewer": reviewer.strip() or "（未填写）", "date": date, "verdicts": verdicts}
try:
    review = parse_review(review_data, sheet, claims, "复核")
except ClaimError as exc:
    st.warning("复核意见尚不完整：\n\n" + "\n".join(f"- {x}" for x in exc.lines))
    st.stop()
new_data = {**{k: v for k, v in draft.data.items() if k != "review"}, "review": store_form(review_data)}
if new_data != draft.data:
    draft.data = new_data
    state.store().save(draft)

outcome = review_claims(sheet, claims, review)
st.subheader("申报与复核对照")
m1, m2, m3 = st.columns(3)
m1.metric("申报总分", fmt(outcome.claimed.total), help=outcome.claimed.verdict)
m2.metric("复核总分", fmt(outcome.reviewed.total), delta=fmt(outcome.delta) if outcome.delta else None)
m3.metric("复核结论", outcome.reviewed.verdict)
RIGHT = st.column_config.TextColumn(alignment="right")
st.dataframe(
    pd.DataFrame(
        [
            {
                "项目": ("　" if r["kind"] == "item" else "") + r["label"],
                "申报分": fmt(r["claimed"]),
                "复核分": fmt(r["reviewed"]),
                "差额": fmt(r["delta"]) if r["delta"] else "",
            }
            for r in side_by_side(outcome)
        ]
    ),
    hide_index=True,
    width="stretch",
    column_config={"申报分": RIGHT, "复核分": RIGHT, "差额": RIGHT},
)
changed = [c for c in outcome.changes if c.action != "接受" or c.reason]
if changed:
    st.markdown("**复核意见**")
    st.markdown(
        "\n".join(f"- {c.what}：{c.action}{'，' + c.detail if c.detail else ''}；理由：{c.reason or '—'}" for c in changed)
    )

name = claims.applicant.name or "申报人"
e1, e2, e3 = st.columns(3)
e1.download_button(
    "下载复核表（Excel）",
    review_xlsx(sheet, claims, outcome, review.reviewer, review.date),
    f"{name}-专家复核.xlsx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    width="stretch",
)
e2.download_button(
    "下载复核打印页（HTML）",
    review_html(sheet, claims, outcome, review.reviewer, review.date).encode("utf-8"),
    f"{name}-专家复核.html",
    "text/html",
    width="stretch",
)
e3.download_button(
    "下载含复核的申报文件（YAML）",
    to_yaml({**claims.to_data(), "review": review_data}).encode("utf-8"),
    f"{name}-申报文件-已复核.yaml",
    "application/x-yaml",
    width="stretch",
)
st.caption(f"复核已自动保存，编号 `{draft.id}`。")
