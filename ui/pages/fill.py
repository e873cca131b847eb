"""Step 2: answer the gates, then walk the sections; every change re-scores and is saved at once.

Each step is a fragment, so a change redraws only that step -- its inputs, its
subtotal and the running total -- not the whole page.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import streamlit as st

from scorer.claims import PHOTO
from scorer.describe import describe_gate, describe_rule
from scorer.numbers import fmt
from scorer.packet import STATEMENT_LIMIT
from scorer.result import Result
from ui import attach, rules, state, widgets
from ui.common import proof_line, require_sheet, sheet_header, total_metrics

STATUS_BADGE = {"met": ":green-badge[符合]", "unmet": ":red-badge[不符合]", "unanswered": ":gray-badge[未填写]"}
BASICS = "基本信息与申报条件"

sheet, draft = require_sheet()
sheet_header(sheet, draft.data.get("level"))

steps = [BASICS] + [s.title for s in sheet.sections]
STEP_KEY = f"step:{sheet.id}"
LAST_KEY = f"last-step:{sheet.id}"  # not a widget key: kept while the person is on another page
if st.session_state.get(STEP_KEY) not in steps:
    # a reload starts where the person was: the step's number is in the URL (?step=…), nothing personal;
    # back from another page, the step they left
    from_url = st.query_params.get("step", "")
    if from_url.isdigit() and int(from_url) < len(steps):
        st.session_state[STEP_KEY] = steps[int(from_url)]
    else:
        st.session_state[STEP_KEY] = st.session_state.get(LAST_KEY) if st.session_state.get(LAST_KEY) in steps else BASICS
st.segmented_control("步骤", steps, key=STEP_KEY, label_visibility="collapsed")
step = st.session_state.get(STEP_KEY) or BASICS
st.session_state[LAST_KEY] = step
if st.query_params.get("step") != str(steps.index(step)):
    st.query_params["step"] = str(steps.index(step))


def applicant_inputs() -> None:
    c1, c2, c3 = st.columns(3)
    widgets.text("姓名", ("applicant", "name"), c1)
    widgets.text("工作单位", ("applicant", "unit"), c2)
    date_key = state.widget_key("applicant", "current_title_date")
    stored_text = state.get_value(("applicant", "current_title_date"))
    try:
        stored = dt.date.fromisoformat(stored_text) if stored_text else None
    except (TypeError, ValueError):
        stored = None  # a malformed draft value: the claim check names it; the picker starts empty
    if date_key not in st.session_state:
        st.session_state[date_key] = stored
    # whatever an upload accepted, the picker accepts too (its range always holds the stored date)
    low = min(dt.date(1900, 1, 1), stored or dt.date(1900, 1, 1))
    high = max(dt.date(2100, 12, 31), stored or dt.date(2100, 12, 31))
    picked = c3.date_input(
        "现职称取得日期", key=date_key, min_value=low, max_value=high,
        format="YYYY-MM-DD", help="“任现职以来”的业绩从这一天算起",
    )
    state.set_value(("applicant", "current_title_date"), picked if isinstance(picked, dt.date) else None)


def statement_input() -> None:
    """本人述职: the notice allows 1000 characters; the count is live and a longer text is kept, and flagged."""
    key = state.widget_key("applicant", "statement")
    widgets.seed(key, state.get_value(("applicant", "statement")) or "")
    text = st.text_area("本人述职（不超过 1000 字）", key=key, height=130,
                        placeholder="简述任现职以来的主要工作与业绩")
    state.set_value(("applicant", "statement"), text or None)
    over = len(text) > STATEMENT_LIMIT
    st.caption(f":{'red' if over else 'gray'}[已写 {len(text)} / {STATEMENT_LIMIT} 字"
               f"{'，超出 ' + str(len(text) - STATEMENT_LIMIT) + ' 字，请删减' if over else ''}]")


def gate_refused(taken: Any, typed: Any) -> bool:
    """Whether the draft holds something for a gate (or one of its fields) that the claim check left out."""
    if isinstance(typed, dict):
        return any(v is not None and (not isinstance(taken, dict) or taken.get(k) is None) for k, v in typed.items())
    return typed is not None and taken is None


def gate_status(result: Result, gate_id: str, refused: bool = False) -> str:
    """A gate's badge; ``refused``: something was typed that the claim check refused (its reason is shown in red
    above), so it is not 未填写."""
    gate = next(g for g in result.gates if g.id == gate_id)
    if refused:
        return ":red[所填内容有误（见上方红字），暂不能核对]"
    return f"{STATUS_BADGE[gate.status]} {gate.detail}" if gate.status != "unanswered" else STATUS_BADGE[gate.status]


@st.fragment
@state.saves_at_end
def basics_step() -> None:
    summary = st.container()
    st.markdown("#### 基本信息")
    applicant_inputs()
    photo, statement = st.columns([1, 2])
    with photo:
        attach.target_files(PHOTO, label="证件照（JPG，30 KB–1 MB，至少 215×300 像素）")
    with statement:
        statement_input()
    if sheet.window:
        st.caption(f"业绩时间范围：{sheet.window.label}")
    st.markdown("#### 申报条件（不计分；任何一项不符合即不能申报）")
    slots = {}
    for gate in sheet.gates:
        with st.container(border=True):
            widgets.gate_input(gate)
            slots[gate.id] = st.empty()
            attach.folded_files(f"gates.{gate.id}", "证明材料文件")
            about = [f"要求：{describe_gate(gate)}"]
            if gate.evidence:
                about.append(f"佐证：{'；'.join(gate.evidence)}")
            if gate.source_text:
                about.append(f"原文：{gate.source_text}")
            st.caption("  \n".join(about))
    if sheet.vetoes:
        st.markdown("#### 否决项（一票否决，请如实声明）")
        for veto in sheet.vetoes:
            widgets.yes_no(veto.question + (f"（{veto.consequence}）" if veto.consequence else ""), ("vetoes", veto.id))
    claims, result, problems = state.evaluate(sheet)
    for gate_id, slot in slots.items():
        slot.markdown(gate_status(result, gate_id, gate_refused(claims.gates.get(gate_id), state.get_value(("gates", gate_id)))))
    with summary:
        total_metrics(result)
        proof_line(sheet, claims, result)
        unmet = [g.question for g in result.gates if g.status == "unmet"]
        if unmet:
            st.error("不符合申报条件：" + "；".join(unmet))
        show_problems(problems)


def show_problems(problems: list[str]) -> None:
    if problems:
        st.warning("以下填写不完整，暂不计分：\n\n" + "\n".join(f"- {p}" for p in problems))


def item_detail(result: Result, item_id: str, refused: bool) -> str:
    r = result.items[item_id]
    cap = f" / 封顶 {fmt(r.cap)}" if r.cap is not None else ""
    # something was typed but the claim check refused it: not "未填写", the reason is shown in red above
    why = ":red[所填内容有误（见上方红字），暂不计分]" if refused else "；".join(r.explanation)
    return f"**得分 {fmt(r.points)}**{cap}　" + why


@st.fragment
@state.saves_at_end
def section_step(section_id: str) -> None:
    section = next(s for s in sheet.sections if s.id == section_id)
    summary = st.container()
    if section.cap is not None:
        st.caption(f"本部分封顶 {fmt(section.cap)} 分")
    slots = {}
    for item in section.scored_items():
        with st.container(border=True):
            cap = f"　:gray[封顶 {fmt(item.cap)}]" if item.cap is not None else ""
            about = [f"计分：{describe_rule(item)}", "佐证材料：" + ("；".join(item.evidence) or "—")]
            if item.source_text:
                about.append(f"原文：{item.source_text}")
            if item.note:
                about.append(f"说明：{item.note}")
            st.markdown(f"**{item.label}**{cap}  \n" + "  \n".join(f":small[:gray[{line}]]" for line in about))
            rules.answer_input(item)
            if not item.reviewed_by_row:  # entries take their documents row by row
                attach.folded_files(f"answers.{item.id}", "佐证材料文件（可选：附上即计为“有佐证”）")
            slots[item.id] = st.empty()
    groups = [g for g in sheet.exclusive_groups if sheet.item_section[g.items[0]] == section_id]
    for group in groups:
        st.caption(f"注：{group.label}")
    claims, result, problems = state.evaluate(sheet)
    for item_id, slot in slots.items():
        refused = item_id not in claims.answers and state.get_value(("answers", item_id)) is not None
        lines = [f":gray[{er.name}：{er.explanation}]" for er in result.items[item_id].entries]
        slot.markdown("  \n".join([item_detail(result, item_id, refused), *lines]))
    with summary:
        total_metrics(result, section_id=section_id)
        proof_line(sheet, claims, result)
        show_problems(problems)


if step == BASICS:
    basics_step()
else:
    section_step(next(s.id for s in sheet.sections if s.title == step))

index = steps.index(step)
prev_col, _, next_col = st.columns([1, 3, 1])


def go(to: str) -> None:
    st.session_state[STEP_KEY] = to


if index > 0:
    prev_col.button(f"← {steps[index - 1]}", on_click=go, args=(steps[index - 1],), width="stretch")
if index < len(steps) - 1:
    next_col.button(f"{steps[index + 1]} →", on_click=go, args=(steps[index + 1],), width="stretch", type="primary")
else:
    if next_col.button("查看结果 →", type="primary", width="stretch"):
        st.switch_page("ui/pages/result.py")
