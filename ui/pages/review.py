"""推荐专家: review one applicant's claims -- accept, change or reject each, with a reason.

The claims arrive by an uploaded claim file or by the applicant's review link
(``?link=…``, read only: an applicant's edit link is refused). The review is
kept with the claim file (a ``review`` block) and saved as its own draft
(``?review=…``), so the applicant's answers are never overwritten and a
refresh loses nothing. All numbers come from scorer.review.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

import pandas as pd
import streamlit as st

from scorer import ClaimError, score
from scorer.claims import Claims, _Checker, claims_from_data
from scorer.drafts import DraftStoreError
from scorer.export import review_html, review_xlsx
from scorer.model import Gate
from scorer.numbers import answer_text, fmt
from scorer.result import GATE_STATUS_TEXT
from scorer.review import ACTION_TEXT, parse_review, review_claims, side_by_side
from scorer.rules.conditions import answers_text
from scorer.serialize import store_form, to_yaml
from ui import attach, rules, state, widgets
from ui.common import sheet_header
from ui.streamlit_words import file_uploader
from ui.upload import MAX_UPLOAD_MB, UPLOAD_HELP, read_claims, shown_problems
from ui.viewer import document_viewer

ACTIONS = {text: code for code, text in ACTION_TEXT.items()}
SLOT = state.REVIEW
KEY = SLOT.key
REJECTED = "review_rejected"  # a loaded review block that failed validation, kept as it was (never used)
UNFINISHED = "review_unfinished"  # verdicts being written (修改 without its new value yet...): seeds the inputs only
NOT_FILLED = "（未填写）"

st.title("专家复核")
st.caption(
    "载入申报人的申报文件，对每一项、每一条业绩作出“接受 / 修改 / 驳回”的复核结论并写明理由。复核结论单独保存，不改动申报内容。"
)


def load(data: dict[str, Any], source: str, documents_of: str | None = None, via: str | None = None) -> None:
    """A new review draft with the applicant's claims (and any review block they carry, checked below);
    opened through a review link (``via``), the applicant's documents are copied to the review draft (never
    shared), and revoking that link -- or deleting the applicant's draft -- deletes this review too."""
    created = state.create(SLOT, store_form(data), via=via)
    if documents_of is not None and created.version > 0:  # an unsaved review draft gets no copies to leave behind
        try:
            attach.store().copy(documents_of, created.id, attach.referenced(data), reader=via, by=created.link)
        except DraftStoreError as exc:
            st.warning(f"申报人的佐证材料文件未能载入：{exc.message}")
    st.session_state["rv-source"] = source
    state.reset_widgets(SLOT)


def load_link(text: str) -> str | None:
    """Start a review from a review link the applicant sent; None when it is loaded, else why not."""
    found, why = state.find_for_review(text)
    if found is None:
        return why
    name = (found.data.get("applicant") or {}).get("name") or "申报人"
    load(found.data, f"{name}的复核链接", documents_of=found.id, via=found.link)
    return None


draft = state.restore(SLOT)
other_kind = st.session_state.pop(f"{KEY}:other-kind", None)
if other_kind:  # an applicant's review link in ?review=: offer to copy it into a new review draft
    st.session_state["rv-link"] = other_kind
MAX_REVIEWS_PER_LINK = 5  # a reopened link offers the earlier review first: a leaked link cannot fill the store
arrived = st.query_params.get("link")
if arrived and (draft is None or draft.via != arrived):
    # the link the applicant sent (…/review?link=…): a new review draft, then the URL names that instead --
    # unless reviews were made through it before: then the expert picks up the last one, or starts again
    earlier = state.reviews_via(arrived)
    if not earlier:
        del st.query_params["link"]
        problem = load_link(arrived)
        if problem is None:
            st.rerun()
        st.session_state["rv-link-problem"] = problem
    else:
        with st.container(border=True):
            st.markdown(f"通过这个复核链接已建立过 {len(earlier)} 份复核草稿，最近一份保存于 {earlier[0][1][:10]}。")
            left, right = st.columns(2)
            if left.button("继续最近一次的复核", type="primary", key="rv-continue", width="stretch"):
                del st.query_params["link"]
                state.open_link(SLOT, earlier[0][0])
                st.rerun()
            full = len(earlier) >= MAX_REVIEWS_PER_LINK
            if right.button("另建一份新的复核", key="rv-new", width="stretch", disabled=full):
                del st.query_params["link"]
                problem = load_link(arrived)
                if problem is None:
                    st.rerun()
                st.session_state["rv-link-problem"] = problem
            if full:
                st.caption(f"一个复核链接最多建立 {MAX_REVIEWS_PER_LINK} 份复核草稿；请继续已有的复核，"
                           "或请申报人重新生成复核链接。")
        if draft is None:
            st.stop()

with st.expander("载入申报文件", expanded=draft is None):
    upload = file_uploader(st, "上传申报人的申报文件（YAML 或 JSON）", key="rv-upload", max_mb=MAX_UPLOAD_MB,
                           help=UPLOAD_HELP)
    if upload is not None and st.session_state.get("rv-upload-done") != upload.file_id:
        loaded = read_claims(upload, "当前复核未改动。")
        if loaded is not None:
            load(loaded.to_data(), upload.name)
            st.session_state["rv-upload-done"] = upload.file_id
            st.rerun()
    pasted = st.text_input("或粘贴申报人发来的复核链接", key="rv-link",
                           placeholder="申报人在“结果与导出”页生成的复核链接（只读），整条粘贴即可")
    if st.session_state.get("rv-link-problem"):
        st.error(st.session_state.pop("rv-link-problem"))
    if st.button("载入", key="rv-load-link", disabled=not pasted):
        problem = load_link(pasted)
        if problem is None:
            st.rerun()
        st.error(problem)
    st.caption("复核链接只能查看申报内容；复核结论另存为您自己的复核草稿，不会改动申报人的草稿。"
               "申报人停用复核链接或删除草稿时，据此建立的复核草稿也一并删除，请及时下载含复核的申报文件。")

if draft is None:
    st.stop()
try:
    sheet, claims = claims_from_data(
        {k: v for k, v in draft.data.items() if k not in ("review", REJECTED, UNFINISHED)}, state.sheets())
except ClaimError as exc:
    st.error("申报内容有误，无法复核；请申报人在“逐项填写”中改正后再发复核链接：\n\n"
             + "\n".join(f"- {x}" for x in shown_problems(exc)))
    st.stop()
sheet_header(sheet, claims.level)
st.markdown(f"申报人：**{claims.applicant.name or '—'}**　单位：{claims.applicant.unit or '—'}")
COUNT = sheet.threshold.kind == "count"


def _block_text(block: Any) -> str:
    try:
        return to_yaml({"review": block})
    except Exception:  # whatever it is, show it rather than lose it
        return repr(block)


def _block_problems(block: Any) -> list[str]:
    """The CLI's own check (``python -m scorer review``): the problems, one line each; [] when it is valid."""
    try:
        parse_review(block, sheet, claims, st.session_state.get("rv-source") or f"复核草稿 {draft.id}")
    except ClaimError as exc:
        return exc.lines
    return []


# the review this draft carries, checked as the CLI checks it; a bad one is set aside (kept), never used
saved_review = None
rejected = draft.data.get(REJECTED)
if draft.data.get("review") is not None:
    bad = _block_problems(draft.data["review"])
    if bad:
        rejected = draft.data["review"]
    else:
        saved_review = parse_review(draft.data["review"], sheet, claims, "复核")
if rejected is not None:
    with st.container(border=True):
        problems = _block_problems(rejected)
        st.error(
            "载入的复核内容有误，未采用，本页从空白复核开始：\n\n"
            + "\n".join(f"- {x}" for x in problems or ["（与本申报不符）"])
            + "\n\n原复核内容保留在下方，未被改动或删除；可照此重新填写，或修改原文件后重新上传。",
            icon=":material/error:",
        )
        with st.expander("原复核内容（未采用）"):
            st.code(_block_text(rejected), language="yaml")
        if st.button("已核对，删除这段原复核内容", key="rv-drop-rejected"):
            draft.data = {k: v for k, v in draft.data.items() if k != REJECTED}
            if draft.data.get("review") is rejected:
                del draft.data["review"]
            state.persist(SLOT)
            st.rerun()

checker = _Checker()


def _old_verdict(verdict: Any) -> dict[str, Any]:
    """A saved verdict as the widgets are seeded: its value in the same form as the claimed answer."""
    old = verdict.model_dump(exclude_none=True)
    if "value" in old and verdict.target.startswith("answers."):
        item = sheet.items.get(verdict.target.removeprefix("answers."))
        if item is not None:
            old["value"] = checker.answer(item, verdict.value, ("review",))
    return old


saved_verdicts = {v.target: _old_verdict(v) for v in saved_review.verdicts} if saved_review else {}
for raw in draft.data.get(UNFINISHED) or []:  # our own scratch: used to seed the inputs, checked again on every run
    if isinstance(raw, dict) and isinstance(raw.get("target"), str):
        saved_verdicts.setdefault(raw["target"], raw)
c1, c2 = st.columns(2)
shown_reviewer = saved_review.reviewer if saved_review and saved_review.reviewer != NOT_FILLED else ""
reviewer = c1.text_input("复核专家", value=shown_reviewer, key="rv.reviewer")
date = c2.date_input("复核日期", value=saved_review.date if saved_review else dt.date.today(), key="rv.date",
                     format="YYYY-MM-DD")


def points_text(points: Decimal) -> str:
    """An item's points as this sheet counts them: 满足 / 未满足 on a count sheet, else N 分."""
    if COUNT:
        return "满足" if points > 0 else "未满足"
    return f"{fmt(points)} 分"


def scalar_verdict(item: Any, claimed: Claims, points: Decimal) -> dict[str, Any] | None:
    target = f"answers.{item.id}"
    old = saved_verdicts.get(target, {})
    cols = st.columns([3, 2, 2, 2, 3])
    answer = claimed.answers[item.id]
    cols[0].markdown(f"**{item.label}**  \n:gray[申报：{item.claimed_text(answer)}，{points_text(points)}]")
    # a count sheet counts conditions, not points: an answer the reviewer may not change is accepted or rejected
    discretion = not COUNT or old.get("points") is not None
    codes = [c for c in ACTIONS.values() if c != "change" or item.reviewer_may_change or discretion]
    if old.get("action", "accept") not in codes:
        codes = list(ACTIONS.values())
    action = cols[1].selectbox(
        "结论", [ACTION_TEXT[c] for c in codes], index=codes.index(old.get("action", "accept")), key=f"rv.{item.id}.action"
    )
    value: Any = None
    ceiling: Decimal | None = None
    if ACTIONS[action] == "change":
        if item.reviewer_may_change:
            value = rules.review_value(item, answer, old.get("value"), cols[2])
            unit = getattr(getattr(item, "input", None), "unit", None)
            if unit:
                cols[2].caption(f"单位：{unit}")
            if value is not None and same_answer(item, value, answer):
                value = None  # the claimed answer left as it was: only a discretionary ceiling, if any, is a change
        else:
            cols[2].caption("此项的答案以材料为准，只能酌定分值")
    if ACTIONS[action] == "change" and discretion:
        key = f"rv.{item.id}.points"
        widgets.seed(key, "" if old.get("points") is None else str(old["points"]))
        # a changed answer scores anew: its points bound the ceiling, checked with the review (parse_review)
        _, ceiling = widgets.exact_number("酌定分（低于计算分）", key, min_value=Decimal(0),
                                          max_value=points if value is None else None,
                                          placeholder="不酌定", help="专家按难度、效益综合确定，只能调低",
                                          container=cols[3])
    reason = cols[4].text_input("理由", value=old.get("reason", ""), key=f"rv.{item.id}.reason")
    if ACTIONS[action] == "accept" and not reason:
        return None
    verdict: dict[str, Any] = {"target": target, "action": ACTIONS[action], "reason": reason}
    if value is not None:
        verdict["value"] = value
    if ceiling is not None:
        verdict["points"] = ceiling
    return verdict


def same_answer(item: Any, value: Any, answer: Any) -> bool:
    """Whether a reviewer's value is the applicant's own answer (read by the same claim check)."""
    return checker.answer(item, store_form(value), ("review",)) == answer


def _entry_columns(item: Any) -> list[tuple[str, str, list[str] | None]]:
    """(field, column title, options) a reviewer may change on one row of this item."""
    fields = item.review_row_fields()  # [] for indicators: accept or reject only
    if COUNT:  # a count sheet asks only whether the condition holds: no points to review
        fields = [f for f in fields if f[0] != "points"]
    return fields


def row_verdicts(item: Any, claimed: Claims) -> list[dict[str, Any]]:
    """One line of inputs per entry (or ticked indicator): 接受 / 修改 / 驳回, the changed fields, the reason.

    Ordinary inputs, not a grid: a reason is typed in Chinese through an input method, and the
    new level or rank appears only once 修改 is chosen, so nothing typed under 接受 is ignored.
    """
    st.markdown(f"**{item.label}**")
    changeable = _entry_columns(item)
    codes = list(ACTIONS.values()) if changeable else ["accept", "reject"]
    out = []
    for i, entry in enumerate(claimed.answers[item.id]):  # type: ignore[union-attr]
        target = f"answers.{item.id}[{i}]"
        old = saved_verdicts.get(target, {})
        key = f"rv.{item.id}.{i}"
        left, pick, rest = st.columns([4, 2, 6], vertical_alignment="bottom")
        left.markdown(f"{entry.describe(i)}  \n:gray[:small[{'　'.join(_entry_facts(entry, changeable))}]]")
        start = old.get("action", "accept")
        action = ACTIONS[pick.selectbox("复核", [ACTION_TEXT[c] for c in codes], key=f"{key}.action",
                                        index=codes.index(start) if start in codes else 0)]
        reason = rest.text_input("理由", value=old.get("reason", ""), key=f"{key}.reason",
                                 placeholder="修改或驳回必须写明理由")
        verdict: dict[str, Any] = {"target": target, "action": action}
        if action == "change":  # the new values on a line of their own, as wide as the page allows
            _, *boxes = st.columns([1] + [3] * len(changeable) + [max(1, 6 - len(changeable))])
            for (name, title, options), box in zip(changeable, boxes, strict=False):
                got = _new_field(item, entry, name, title, options, old.get(name), f"{key}.{name}", box)
                if got is not None and got != getattr(entry, name):
                    verdict[name] = got
        refused = documents(entry, key, set(old.get("refused") or []))
        if refused:  # a document not accepted: the entry does not count, whatever was picked above
            verdict = {"target": target, "action": "reject", "refused": refused}
            st.caption(":red[材料不认可：本条按“驳回”计，请在理由中说明]")
        if verdict["action"] == "accept" and not reason:
            continue
        verdict["reason"] = reason
        out.append(verdict)
    return out


def documents(entry: Any, key: str, refused_before: set[str]) -> list[str]:
    """The entry's attached documents, each to read in the page (查看, paged), to open (download) and to mark
    不认可; the refused ones' SHA-256."""
    return [ref.sha256 for n, ref in enumerate(entry.files)
            if document_line(ref, f"{key}.doc{n}", refusable=True, refused=ref.sha256 in refused_before)]


def document_line(ref: Any, key: str, *, refusable: bool = False, refused: bool = False) -> bool:
    """One attached document: its name, 打开 (download), 查看 (in the page) and -- on an entry -- 不认可;
    whether it is marked 不认可."""
    name, get, bad = st.columns([6, 2, 2], vertical_alignment="center")
    data = attach.fetch(ref.sha256, draft.id)
    missing = "" if data is not None else " :gray[:small[（文件未随申报提供）]]"
    name.markdown(f":material/attach_file: :small[{ref.label()}]{missing}")
    if data is not None:
        get.download_button("打开", data, ref.name, key=f"{key}.open", width="stretch",
                            mime="application/pdf" if ref.kind == "pdf" else f"image/{ref.kind}")
    marked = refusable and bad.checkbox("不认可", value=refused, key=f"{key}.refuse")
    if data is not None:
        document_viewer(ref, data, key)
    return bool(marked)


def target_documents(target: str, key: str) -> None:
    """The documents attached to an answer or a gate (no 不认可 of their own: the expert rejects the answer)."""
    for n, ref in enumerate(claims.attachments.get(target, ())):
        document_line(ref, f"{key}.doc{n}")


def _entry_facts(entry: Any, changeable: list[tuple[str, str, Any]]) -> list[str]:
    """What the expert checks against the documents: the fields, the date, the evidence listed, the note."""
    facts = entry.field_facts(changeable)
    if entry.date:
        facts.append(f"日期：{entry.date}")
    if entry.evidence:
        facts.append(f"佐证：{'、'.join(entry.evidence)}")
    if entry.note:
        facts.append(f"备注：{entry.note}")
    return facts


def _new_field(item: Any, entry: Any, name: str, title: str, options: list[str] | None, old: Any, key: str,
               box: Any) -> Any:
    """One field a reviewer changes on an entry: a pick from the sheet's options, or an exact number."""
    if options:
        current = old if old in options else getattr(entry, name)
        return box.selectbox(f"新{title}", options, index=options.index(current) if current in options else None,
                             key=key, placeholder="不改")
    if name == "rank":
        widgets.seed(key, "" if old is None else str(old))
        return widgets.exact_number(f"新{title}", key, integer=True, min_value=Decimal(1), max_value=Decimal(999),
                                    placeholder="不改", container=box)[1]
    widgets.seed(key, "" if old is None else str(old))
    help_text = "区间内的级别：改为较低的分值；固定分值：专家酌定，只能调低"
    return widgets.exact_number(title, key, min_value=Decimal(0), placeholder="不改", help=help_text, container=box)[1]


def gate_answer(gate: Gate, value: Any) -> str:
    """The applicant's answer to a gate in words: field labels and units, never the sheet's field names."""
    if value is None:
        return "未填写"
    if gate.type == "record" and isinstance(value, dict):
        return answers_text(gate.fields or {}, value) or "未填写"
    return f"{answer_text(value)}{gate.unit or ''}" if gate.type == "number" else answer_text(value)


def count_rows(outcome: Any) -> list[dict[str, str]]:
    """A count sheet's 申报与复核对照: 满足 / 未满足 per condition, 满足 N 项 per section and in all."""

    def met(result: Any, ids: list[str]) -> int:
        return sum(1 for i in ids if result.items[i].met)

    def change(before: int, after: int) -> str:
        return "" if before == after else (f"少 {before - after} 项" if after < before else f"多 {after - before} 项")

    rows = []
    for section in outcome.claimed.sections:
        a, b = met(outcome.claimed, section.item_ids), met(outcome.reviewed, section.item_ids)
        rows.append({"项目": section.title, "申报": f"满足 {a} 项", "复核": f"满足 {b} 项", "变化": change(a, b)})
        for item_id in section.item_ids:
            x, y = outcome.claimed.items[item_id], outcome.reviewed.items[item_id]
            rows.append({"项目": "　" + x.label, "申报": points_text(x.points), "复核": points_text(y.points),
                         "变化": "" if x.met == y.met else ("改为满足" if y.met else "改为未满足")})
    every = list(outcome.claimed.items)
    a, b = met(outcome.claimed, every), met(outcome.reviewed, every)
    rows.append({"项目": "合计", "申报": f"满足 {a} 项", "复核": f"满足 {b} 项", "变化": change(a, b)})
    return rows


claimed_result = score(sheet, claims)
if sheet.gates or sheet.vetoes:
    st.subheader("申报条件与否决项")
    st.caption("只读：由申报人声明，不计分，复核不改动；条件不符合或有否决项时，复核结论随之为“不符合申报条件”或“否决”。"
               "如有异议，请在复核意见中说明。")
    gates = {g.id: g for g in sheet.gates}
    if claimed_result.gates:
        st.table(
            pd.DataFrame([{"申报条件": g.question, "申报人填写": gate_answer(gates[g.id], claims.gates.get(g.id)),
                           "状态": GATE_STATUS_TEXT[g.status],
                           "说明": "" if g.detail == gate_answer(gates[g.id], claims.gates.get(g.id)) else g.detail}
                          for g in claimed_result.gates]),
            hide_index=True,
        )
    for gate in sheet.gates:
        if claims.attachments.get(f"gates.{gate.id}"):
            st.markdown(f":small[**{gate.question}** 的证明材料：]")
            target_documents(f"gates.{gate.id}", f"rv.gate.{gate.id}")
    if claimed_result.vetoes:
        st.table(
            pd.DataFrame([{"否决项": v.question,
                           "申报人声明": {True: "是", False: "否", None: "未声明"}[v.vetoed],
                           "状态": {True: "否决", False: "不否决", None: "未声明（待确认）"}[v.vetoed]}
                          for v in claimed_result.vetoes]),
            hide_index=True,
        )

st.subheader("逐项复核")
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
            target_documents(f"answers.{item.id}", f"rv.{item.id}")

FIELD_TEXT = {"reviewer": "复核专家", "date": "复核日期", "reason": "理由", "value": "改为", "target": "",
              "action": "结论"}
_FILE_KEY = re.compile(r"（(?:value|points|target|action|reason|refused)）")  # the review file's keys, nothing typed
_LINE = re.compile(r"^本页复核(?::\d+:\d+)?: review(?:\.verdicts\[(\d+)\])?(?:\.(\w+))?: (.*)$", re.S)


def readable(line: str, verdicts: list[dict[str, Any]]) -> str:
    """A problem with this page's own review, named as the page shows it (「学历」理由：…), not review.verdicts[0]."""
    match = _LINE.match(line)
    if match is None:
        return line
    index, field_name, message = match.groups()
    where = ""
    if index is not None and int(index) < len(verdicts):
        item_id, _, row = verdicts[int(index)]["target"].removeprefix("answers.").partition("[")
        item = sheet.items.get(item_id)
        where = f"「{item.label if item else item_id}」" + (f"第{int(row.rstrip(']')) + 1}条" if row else "")
        if field_name in ("points",):
            field_name = "酌定分" if not row else "复核分值"
        elif item is not None and (title := dict((n, t) for n, t, _ in item.review_row_fields()).get(field_name or "")):
            field_name = "新" + title
    label = FIELD_TEXT.get(field_name or "", field_name or "")
    message = _FILE_KEY.sub("", message)  # 专家酌定分（points）: the review file's key, of no use on this page
    return f"{where}{label}：{message}" if where or label else message


def complete(verdicts: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(the verdicts that pass the CLI's check one by one, the rest): an unfinished one holds up no other."""
    done, unfinished = [], []
    for verdict in verdicts:
        try:
            parse_review({"reviewer": NOT_FILLED, "date": date, "verdicts": [verdict]}, sheet, claims, "本页复核")
        except ClaimError:
            unfinished.append(verdict)
        else:
            done.append(verdict)
    return done, unfinished


review_data = {"reviewer": reviewer.strip() or NOT_FILLED, "date": date, "verdicts": verdicts}
unfinished: list[dict[str, Any]] = []
try:
    review = parse_review(review_data, sheet, claims, "本页复核")
except ClaimError as exc:
    st.warning("以下复核意见尚未完成，暂未计入对照与导出（已填写的内容已保存）：\n\n"
               + "\n".join(f"- {readable(x, verdicts)}" for x in exc.lines))
    done, unfinished = complete(verdicts)
    review_data = {**review_data, "verdicts": done}
    try:
        review = parse_review(review_data, sheet, claims, "本页复核")
    except ClaimError:
        st.stop()  # the finished ones contradict each other as a whole: nothing sound to compare yet
new_data = {k: v for k, v in draft.data.items() if k not in ("review", REJECTED, UNFINISHED)}
new_data["review"] = store_form(review_data)
if unfinished:
    new_data[UNFINISHED] = store_form(unfinished)  # kept so a reload shows them again; never part of the review
if rejected is not None:
    new_data[REJECTED] = rejected  # set aside as it was loaded, shown above until the reviewer deletes it
if new_data != draft.data:
    draft.data = new_data
    state.persist(SLOT)

outcome = review_claims(sheet, claims, review)
st.subheader("申报与复核对照")
m1, m2, m3 = st.columns(3)
if COUNT:
    need = fmt(outcome.claimed.threshold)
    m1.metric("申报满足条件", f"{fmt(outcome.claimed.total)} / 需 {need} 项", help=outcome.claimed.verdict)
    m2.metric("复核满足条件", f"{fmt(outcome.reviewed.total)} / 需 {need} 项",
              delta=f"{fmt(outcome.delta)} 项" if outcome.delta else None)
    m3.metric("复核结论", outcome.reviewed.verdict)
    st.table(pd.DataFrame(count_rows(outcome)), hide_index=True)
else:
    m1.metric("申报总分", fmt(outcome.claimed.total), help=outcome.claimed.verdict)
    m2.metric("复核总分", fmt(outcome.reviewed.total), delta=fmt(outcome.delta) if outcome.delta else None)
    m3.metric("复核结论", outcome.reviewed.verdict)
    st.table(
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
if state.status(SLOT) is None and not st.session_state.get(state.STORE_PROBLEM) and draft.version > 0:
    st.caption("复核已自动保存：保留本页链接即可随时回来继续。")
else:
    st.caption("复核尚未保存到草稿库（见页面顶部的提示），请下载含复核的申报文件保存。")
