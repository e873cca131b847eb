"""The applicant's app, driven through its widgets with Streamlit's AppTest.

Each sheet's first worked example is typed in through the real inputs (list answers
row by row); the app's total must equal the engine's and
the hand-computed expectation. Then a refresh, a bad upload and an export.
"""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from helpers import CASES_DIR, ROOT
from streamlit.testing.v1 import AppTest

from scorer import SheetLibrary, claims_from_data, score
from scorer.cases import case_claims, load_case_file
from scorer.drafts import SqliteDraftStore
from scorer.export import to_xlsx
from scorer.model import Sheet
from scorer.numbers import fmt
from scorer.rules import SHAPES
from ui.rules import entries as entries_input
from ui.rules import indicators as indicators_input

APP = str(ROOT / "app.py")
TIMEOUT = 60


def new_app(draft_id: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    if draft_id:
        at.query_params["draft"] = draft_id
    return at.run()


def no_exceptions(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


def first_case(sheet_id: str) -> dict[str, Any]:
    path = CASES_DIR / f"{sheet_id}.yaml"
    case_file, parsed = load_case_file(path)
    return case_claims(case_file, parsed, 0).data


def _set_number(at: AppTest, key: str, value: Any, integer: bool = False) -> None:
    """Numbers are typed as text (exact, never a float round trip)."""
    at.text_input(key=key).set_value(str(value))


def _set_flag(at: AppTest, key: str, value: bool) -> None:
    at.radio(key=key).set_value("是" if value else "否")


def _set_record(at: AppTest, prefix: str, fields: dict[str, Any], answer: dict[str, Any]) -> None:
    for name, value in answer.items():
        spec = fields[name]
        key = f"{prefix}.{name}"
        if spec.type == "number":
            _set_number(at, key, value)
        elif spec.type == "flag":
            _set_flag(at, key, value)
        else:
            at.selectbox(key=key).set_value(value)


def fill_rows(at: AppTest, key: str, lines: Any, answer: list[Any]) -> None:
    """List answers, one row of inputs per entry: 添加一条, then each input as a person sets it."""
    for raw in answer:
        entry = raw if isinstance(raw, dict) else {"indicator": raw}
        at.button(key=f"{key}.add").click().run()
        uid = at.session_state[f"{key}.rows"][-1]
        for field in (f for line in lines for f in line):
            value = entry.get(field.name)
            if value is None:
                continue
            wkey = f"{key}.{uid}.{field.name}"
            if field.kind == "select":
                at.selectbox(key=wkey).set_value(value)
            elif field.kind == "yes_no":
                at.radio(key=wkey).set_value("是" if value else "否")
            elif field.kind == "tick":
                at.checkbox(key=wkey).set_value(bool(value))
            elif field.kind == "list":
                at.text_input(key=wkey).set_value("；".join(value))
            else:
                at.text_input(key=wkey).set_value(str(value))
        at.run()


def fill(at: AppTest, sheet: Sheet, data: dict[str, Any]) -> AppTest:
    """Type a claim into the app as an applicant would, step by step."""
    if len(sheet.levels) > 1:
        at.radio(key=f"level-{sheet.id}").set_value(data["level"]).run()
    at.button(key=f"pick-{sheet.id}").click().run()
    no_exceptions(at)
    sid = sheet.id
    applicant = data.get("applicant", {})
    if applicant.get("name"):
        at.text_input(key=f"{sid}.applicant.name").set_value(applicant["name"])
    if applicant.get("current_title_date"):
        at.date_input(key=f"{sid}.applicant.current_title_date").set_value(applicant["current_title_date"])
    gates = {g.id: g for g in sheet.gates}
    for gate_id, answer in data.get("gates", {}).items():
        gate = gates[gate_id]
        key = f"{sid}.gates.{gate_id}"
        if gate.type == "flag":
            _set_flag(at, key, answer)
        elif gate.type == "number":
            _set_number(at, key, answer)
        else:
            _set_record(at, key, gate.fields or {}, answer)
    for veto_id, answer in data.get("vetoes", {}).items():
        _set_flag(at, f"{sid}.vetoes.{veto_id}", answer)
    at.run()
    no_exceptions(at)
    answers = data.get("answers", {})
    for section in sheet.sections:
        at.session_state[f"step:{sid}"] = section.title
        at.run()
        for item in section.scored_items():
            if item.id not in answers:
                continue
            FILLERS[item.rule](at, item, f"{sid}.{item.id}", answers[item.id])
            at.run()  # a later widget may appear only after this answer (tiers_by's row picker)
        at.run()
        no_exceptions(at)
    return at


def _fill_band(at: AppTest, item: Any, key: str, answer: Any) -> None:
    answer = answer if isinstance(answer, dict) else {"band": answer}
    at.selectbox(key=f"{key}.band").set_value(answer["band"]).run()
    if "points" in answer:
        _set_number(at, f"{key}.points", answer["points"])


def _fill_tiers_by(at: AppTest, item: Any, key: str, answer: Any) -> None:
    answer = answer if isinstance(answer, dict) else {"value": answer}
    _set_number(at, f"{key}.value", answer["value"], item.input.integer)
    if "row" in answer:
        at.run()
        at.selectbox(key=f"{key}.row").set_value(answer["row"])


# one way to answer each rule shape through its widgets; a shape without one fails test_every_shape_can_be_filled
FILLERS: dict[str, Any] = {
    "choice": lambda at, item, key, answer: at.selectbox(key=key).set_value(answer),
    "tiers": lambda at, item, key, answer: _set_number(at, key, answer, item.input.integer),
    "linear": lambda at, item, key, answer: _set_number(at, key, answer, item.input.integer),
    "flag": lambda at, item, key, answer: _set_flag(at, key, answer),
    "record": lambda at, item, key, answer: _set_record(at, key, item.fields, answer),
    "entries": lambda at, item, key, answer: fill_rows(at, key, entries_input.fields(item), answer),
    "indicators": lambda at, item, key, answer: fill_rows(at, key, indicators_input.fields(item), answer),
    "band": _fill_band,
    "tiers_by": _fill_tiers_by,
}


def test_every_shape_can_be_filled() -> None:
    assert set(FILLERS) == set(SHAPES)


def draft_id(at: AppTest) -> str:
    value = at.query_params["draft"]
    return value[0] if isinstance(value, list) else value


def engine_total(library: SheetLibrary, store_path: Path, draft: str) -> Decimal:
    data = SqliteDraftStore(store_path).load(draft).data  # type: ignore[union-attr]
    sheet, claims = claims_from_data(data, library.sheets)
    return score(sheet, claims).total


def shown_total(at: AppTest) -> str:
    metric = next(m for m in at.metric if m.label in ("总分 / 分数线", "已满足条件", "总分（按总分排名）", "总分（不设分数线）"))
    return str(metric.value)


SHEET_IDS = sorted(SheetLibrary().sheets)  # every sheet on disk, the two real tables included


@pytest.mark.parametrize("sheet_id", SHEET_IDS)
def test_fill_each_sheet_through_the_widgets(sheet_id: str, library: SheetLibrary, store_path: Path) -> None:
    sheet = library.sheets[sheet_id]
    data = first_case(sheet_id)
    at = fill(new_app(), sheet, data)
    _, expected_claims = claims_from_data(data, library.sheets)
    expected = score(sheet, expected_claims).total  # equals the hand computation (test_cases checks that)
    draft = draft_id(at)
    assert engine_total(library, store_path, draft) == expected
    at.switch_page("ui/pages/result.py").run()
    no_exceptions(at)
    assert shown_total(at).split(" / ")[0] == fmt(expected)
    # every answer made it into the stored draft, equal to the claim file's
    stored = SqliteDraftStore(store_path).load(draft).data  # type: ignore[union-attr]
    assert claims_from_data(stored, library.sheets)[1].answers == expected_claims.answers


def test_refresh_finds_every_answer_back(library: SheetLibrary, store_path: Path) -> None:
    sheet_id = "zhejiang-mining-senior-2021"
    sheet = library.sheets[sheet_id]
    data = first_case(sheet_id)
    first = fill(new_app(), sheet, data)
    draft = draft_id(first)
    # a browser refresh is a new session with the same draft id in the URL
    again = new_app(draft)
    no_exceptions(again)
    again.switch_page("ui/pages/fill.py").run()
    assert again.text_input(key=f"{sheet_id}.applicant.name").value == data["applicant"]["name"]
    assert again.date_input(key=f"{sheet_id}.applicant.current_title_date").value == data["applicant"]["current_title_date"]
    assert again.radio(key=f"{sheet_id}.gates.annual_review").value == "是"
    assert again.text_input(key=f"{sheet_id}.gates.social_insurance").value == "12"
    again.session_state[f"step:{sheet_id}"] = "经历与能力"
    again.run()
    assert again.selectbox(key=f"{sheet_id}.education").value == "本科"
    assert again.text_input(key=f"{sheet_id}.years_in_title").value == "10"
    again.session_state[f"step:{sheet_id}"] = "工作业绩"
    again.run()
    key = f"{sheet_id}.mine_projects"
    rows = again.session_state[f"{key}.rows"]
    assert [again.text_input(key=f"{key}.{uid}.title").value for uid in rows] == [
        e["title"] for e in data["answers"]["mine_projects"]]
    assert [again.selectbox(key=f"{key}.{uid}.role").value for uid in rows] == ["主持", "技术负责", "主持"]
    again.switch_page("ui/pages/result.py").run()
    assert shown_total(again) == "80 / 80"


def test_bad_upload_is_refused_and_the_draft_is_untouched(library: SheetLibrary, store_path: Path) -> None:
    sheet = library.sheets["cixi-engineering-junior-2021"]
    at = fill(new_app(), sheet, first_case(sheet.id))
    draft = draft_id(at)
    before = SqliteDraftStore(store_path).load(draft).data  # type: ignore[union-attr]
    at.switch_page("ui/pages/result.py").run()
    bad = "sheet: cixi-engineering-junior-2021\nanswers:\n  education: 研究生\n  years_in_specialty: -2\n".encode()
    at.file_uploader(key="upload:result").upload("bad.yaml", bad, "application/x-yaml").run()
    no_exceptions(at)
    errors = " ".join(e.value for e in at.error)
    assert "申报文件有误，未载入，当前草稿未改动" in errors
    assert "「研究生」不是本项的选项" in errors and "不能为负数" in errors
    assert "第 3 行：学历：「研究生」不是本项的选项" in errors and "第 4 行：" in errors  # by line and item, not bad.yaml:3:14
    assert SqliteDraftStore(store_path).load(draft).data == before  # type: ignore[union-attr]
    assert shown_total(at) == "120 / 120"


def test_upload_of_a_valid_claim_file_replaces_the_draft(library: SheetLibrary, store_path: Path) -> None:
    at = new_app()
    text = "sheet: yongjia-construction-junior-2021\nanswers: {education: 大专, exam_score: 80}\n"
    at.file_uploader(key="upload:choose").upload("claim.yaml", text.encode(), "application/x-yaml").run()
    no_exceptions(at)
    stored = SqliteDraftStore(store_path).load(draft_id(at)).data  # type: ignore[union-attr]
    assert stored["answers"] == {"education": "大专", "exam_score": "80"}
    at.switch_page("ui/pages/result.py").run()
    assert shown_total(at) == "23 / 90"  # 大专18 + (80 − 60) × 0.25 = 5


def test_export_xlsx_of_the_draft_reads_back(library: SheetLibrary, store_path: Path) -> None:
    sheet = library.sheets["wenzhou-mining-exception-2021"]
    at = fill(new_app(), sheet, first_case(sheet.id))
    at.switch_page("ui/pages/result.py").run()
    no_exceptions(at)
    labels = [b.label for b in at.get("download_button")]
    assert "下载自评分表（Excel）" in labels
    stored = SqliteDraftStore(store_path).load(draft_id(at))
    sheet, claims = claims_from_data(stored.data, library.sheets)  # type: ignore[union-attr]
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx(sheet, claims, score(sheet, claims), stored.ready)))  # type: ignore[union-attr]
    rows = list(book["自评分表"].iter_rows(values_only=True))
    assert rows[0][0] == sheet.title
    total = next(r for r in rows if r[1] == "合计")
    assert total[4] == 60
    assert any(r[0] and str(r[0]).startswith("结论") is False and "结论：达到" in str(r[0]) for r in rows)


def test_evidence_ticks_are_saved(library: SheetLibrary, store_path: Path) -> None:
    sheet = library.sheets["shaoxing-forestry-engineer-exception-2020"]
    at = fill(new_app(), sheet, first_case(sheet.id))
    at.switch_page("ui/pages/result.py").run()
    boxes = [c for c in at.checkbox if c.key and c.key.startswith(f"{sheet.id}.ready.")]
    assert boxes
    boxes[0].check().run()
    no_exceptions(at)
    ready = SqliteDraftStore(store_path).load(draft_id(at)).ready  # type: ignore[union-attr]
    assert list(ready.values()).count(True) == 1


def test_a_number_is_kept_exactly_as_typed(library: SheetLibrary, store_path: Path) -> None:
    """9.99999999999999999 years is not 10 (a float widget rounded it and moved 79 to 80); -3 stays with its reason."""
    sheet_id = "zhejiang-mining-senior-2021"
    at = new_app()
    at.button(key=f"pick-{sheet_id}").click().run()
    at.session_state[f"step:{sheet_id}"] = "经历与能力"
    at.run()
    at.text_input(key=f"{sheet_id}.years_in_title").set_value("9.99999999999999999").run()
    no_exceptions(at)
    draft = draft_id(at)
    stored = SqliteDraftStore(store_path).load(draft).data  # type: ignore[union-attr]
    assert stored["answers"]["years_in_title"] == "9.99999999999999999"
    sheet, claims = claims_from_data(stored, library.sheets)
    assert score(sheet, claims).items["years_in_title"].points == 4  # >= 8 but < 10: 4, by the sheet's tiers
    at.text_input(key=f"{sheet_id}.years_in_title").set_value("-3").run()
    no_exceptions(at)
    assert at.text_input(key=f"{sheet_id}.years_in_title").value == "-3"  # what was typed stays on screen
    assert any("任现职年限不能为负数（填写了 -3）" in m.value for m in at.markdown)
    stored = SqliteDraftStore(store_path).load(draft).data  # type: ignore[union-attr]
    assert stored["answers"]["years_in_title"] == "-3"  # kept in the draft, not replaced by the last valid value


def test_a_date_the_upload_accepts_the_fill_page_shows(library: SheetLibrary, store_path: Path) -> None:
    """A current-title date before 1970 (accepted by the claim check) once raised StreamlitAPIException."""
    sheet_id = "zhejiang-mining-senior-2021"
    draft = SqliteDraftStore(store_path).create({"sheet": sheet_id, "applicant": {"current_title_date": "1965-03-01"},
                                           "answers": {}})
    at = new_app(draft.id)
    at.switch_page("ui/pages/fill.py").run()
    no_exceptions(at)
    import datetime as dt

    assert at.date_input(key=f"{sheet_id}.applicant.current_title_date").value == dt.date(1965, 3, 1)


def test_a_reload_returns_to_the_step_the_person_was_on(store_path: Path) -> None:
    sheet_id = "zhejiang-mining-senior-2021"
    at = new_app()
    at.button(key=f"pick-{sheet_id}").click().run()
    at.session_state[f"step:{sheet_id}"] = "工作业绩"
    at.run()
    draft = draft_id(at)
    step = at.query_params["step"]
    again = new_app(draft)
    again.query_params["step"] = step[0] if isinstance(step, list) else step
    again.switch_page("ui/pages/fill.py").run()
    no_exceptions(again)
    assert again.session_state[f"step:{sheet_id}"] == "工作业绩"


def test_a_refused_gate_value_is_not_called_unanswered_and_a_veto_is_named(store_path: Path) -> None:
    """A gate with a value the claim check refuses (-5 months, abc hours) says 所填内容有误 under its red reason,
    not 未填写; a veto answered 是 names itself beside the 否决 verdict."""
    sid = "wenzhou-mining-exception-2021"
    at = new_app()
    at.radio(key=f"level-{sid}").set_value("工程师").run()
    at.button(key=f"pick-{sid}").click().run()
    at.text_input(key=f"{sid}.gates.social_insurance").set_value("-5").run()
    at.text_input(key=f"{sid}.gates.ce_hours_2021.professional").set_value("abc").run()
    at.text_input(key=f"{sid}.gates.ce_hours_2021.total").set_value("120").run()
    no_exceptions(at)
    shown = [m.value for m in at.markdown]
    assert sum("所填内容有误（见上方红字），暂不能核对" in v for v in shown) == 2
    at.text_input(key=f"{sid}.gates.social_insurance").set_value("24").run()
    shown = [m.value for m in at.markdown]
    assert sum("所填内容有误（见上方红字），暂不能核对" in v for v in shown) == 1  # only the hours now
    sid = "zhejiang-mining-senior-2021"
    veto = SheetLibrary().sheets[sid].vetoes[0]
    at = new_app()
    at.button(key=f"pick-{sid}").click().run()
    _set_flag(at, f"{sid}.vetoes.{veto.id}", True)
    at.run()
    no_exceptions(at)
    assert any(m.value == "否决" for m in at.metric if m.label == "结论")
    assert any(e.value == f"**一票否决**：{veto.question}" for e in at.error)
