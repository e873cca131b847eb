"""tiers_by: 基层专业工作年限 scored by a row chosen by 学历 (another item's answer), or named in the answer."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from helpers import make_sheet, one_item, run

from scorer import ClaimError, SheetError
from scorer.model import Sheet
from scorer.rules import GapContext

D = Decimal

ROWS = """\
  rows:
    博士: [{min: 5, points: 10}, {min: 1, points: 5}]
    硕士: [{min: 8, points: 10}, {min: 3, points: 5}]
    本科: [{min: 12, points: 10}, {min: 5, points: 5}]
    大专: [{min: 15, points: 10}, {min: 8, points: 5}]
    中专以下: [{min: 20, points: 10}, {min: 10, points: 5}]
"""

BY_EDU = """\
- id: edu
  label: 学历
  rule: choice
  options: {博士研究生: 10, 硕士研究生: 8, 本科: 6, 大专及以下: 3}
- id: years
  label: 基层专业工作年限
  rule: tiers_by
  input: {label: 工作年限, unit: 年, max: 60}
  row_label: 学历
  by: answers.edu
  by_map: {博士研究生: 博士, 硕士研究生: 硕士, 大专及以下: [大专, 中专以下]}
""" + ROWS

NO_BY = """\
- id: years
  label: 基层专业工作年限
  rule: tiers_by
  input: {label: 工作年限, unit: 年}
  row_label: 学历
  otherwise: 1
""" + ROWS


@pytest.fixture(scope="module")
def by_edu() -> Sheet:
    return make_sheet(one_item(BY_EDU))


@pytest.fixture(scope="module")
def no_by() -> Sheet:
    return make_sheet(one_item(NO_BY))


def refused(sheet: Sheet, answers: dict[str, Any]) -> list[str]:
    with pytest.raises(ClaimError) as exc:
        run(sheet, answers)
    return exc.value.lines


@pytest.mark.parametrize(
    ("edu", "years", "points"),
    [
        ("本科", 12, 10),  # 本科 row: ≥12 → 10
        ("本科", 11, 5),  # ≥5 → 5
        ("本科", 5, 5),
        ("本科", 4, 0),  # below every tier → otherwise 0
        ("博士研究生", 1, 5),  # by_map 博士研究生 → 博士: ≥1 → 5
        ("博士研究生", 5, 10),
        ("硕士研究生", 7, 5),  # 硕士: ≥3 → 5, 7 < 8
        ("硕士研究生", 8, 10),
    ],
)
def test_row_comes_from_the_by_answer_through_by_map(by_edu: Sheet, edu: str, years: int, points: int) -> None:
    result = run(by_edu, {"edu": edu, "years": years})
    assert result.items["years"].points == points
    assert result.pending == []


def test_explanation_names_the_row(by_edu: Sheet) -> None:
    item = run(by_edu, {"edu": "博士研究生", "years": 1}).items["years"]
    assert item.explanation == ["按博士：1年 ≥ 1年 → 5 分"]


def test_ambiguous_map_without_row_is_pending(by_edu: Sheet) -> None:
    result = run(by_edu, {"edu": "大专及以下", "years": 16})
    assert result.items["years"].points == 0
    assert result.verdict == "待确认"
    assert result.pending == ["基层专业工作年限：学历「大专及以下」对应 大专、中专以下，请注明 row"]


@pytest.mark.parametrize(("row", "points"), [("大专", 10), ("中专以下", 5)])  # 16 ≥ 15 → 10; 16 ≥ 10 → 5
def test_ambiguous_map_with_row_scores_that_row(by_edu: Sheet, row: str, points: int) -> None:
    result = run(by_edu, {"edu": "大专及以下", "years": {"value": 16, "row": row}})
    assert result.items["years"].points == points
    assert result.pending == []


def test_row_contradicting_the_by_answer_is_pending(by_edu: Sheet) -> None:
    result = run(by_edu, {"edu": "本科", "years": {"value": 12, "row": "硕士"}})
    assert result.items["years"].points == 0  # not 10 by 本科, not 10 by 硕士: undecided
    assert result.verdict == "待确认"
    assert "填写的「硕士」与之不符" in result.items["years"].explanation[0]


def test_row_agreeing_with_the_by_answer_is_scored(by_edu: Sheet) -> None:
    assert run(by_edu, {"edu": "本科", "years": {"value": 12, "row": "本科"}}).items["years"].points == 10


def test_by_unanswered_is_pending(by_edu: Sheet) -> None:
    result = run(by_edu, {"years": 12})
    assert result.items["years"].points == 0
    assert result.verdict == "待确认"
    assert result.pending == ["基层专业工作年限：请先填写学历"]


def test_without_by_the_row_is_required(no_by: Sheet) -> None:
    assert refused(no_by, {"years": 7}) == [
        "<申报数据>: answers.years.row: 缺少 row（学历）；可选：博士、硕士、本科、大专、中专以下"
    ]
    assert "缺少 row" in refused(no_by, {"years": {"value": 7}})[0]


def test_without_by_the_named_row_is_scored(no_by: Sheet) -> None:
    assert run(no_by, {"years": {"value": 8, "row": "大专"}}).items["years"].points == 5
    assert run(no_by, {"years": {"value": 20, "row": "中专以下"}}).items["years"].points == 10


def test_below_every_tier_is_otherwise(no_by: Sheet) -> None:
    item = run(no_by, {"years": {"value": 7, "row": "大专"}}).items["years"]  # 7 < 8
    assert item.points == 1
    assert item.explanation == ["按大专：7年 < 8年 → 1 分"]


def test_unknown_row_and_missing_value_are_refused(no_by: Sheet) -> None:
    assert "「研究生」不是本项的学历" in refused(no_by, {"years": {"value": 5, "row": "研究生"}})[0]
    assert refused(no_by, {"years": {"row": "本科"}}) == ["<申报数据>: answers.years.value: 缺少 value（工作年限）"]
    assert "未知字段「years」" in refused(no_by, {"years": {"years": 5, "row": "本科"}})[0]


def test_input_max_is_refused_above(by_edu: Sheet) -> None:
    assert refused(by_edu, {"edu": "本科", "years": 61}) == ["<申报数据>: answers.years.value: 工作年限不能超过 60（填写了 61）"]
    assert run(by_edu, {"edu": "本科", "years": 60}).items["years"].points == 10


def test_row_from_a_gate_record_field() -> None:
    sheet = make_sheet(
        "gates:\n"
        "  - id: basic\n    question: 学历与资历\n    type: record\n"
        "    fields:\n      education: {label: 学历, type: choice, options: [本科, 大专], in: [本科, 大专]}\n"
        + one_item(
            "- id: years\n  label: 年限\n  rule: tiers_by\n  input: {label: 工作年限, unit: 年}\n  row_label: 学历\n"
            "  by: gates.basic.education\n"
            "  rows:\n    本科: [{min: 5, points: 5}]\n    大专: [{min: 8, points: 5}]\n"
        )
    )
    assert run(sheet, {"years": 6}, gates={"basic": {"education": "本科"}}).items["years"].points == 5
    assert run(sheet, {"years": 6}, gates={"basic": {"education": "大专"}}).items["years"].points == 0  # 6 < 8


def test_row_from_a_band_answer() -> None:
    sheet = make_sheet(
        one_item(
            "- {id: edu, label: 学历, rule: band, bands: {本科: 3-2, 大专: 1}}\n"
            "- id: years\n  label: 年限\n  rule: tiers_by\n  input: {label: 工作年限, unit: 年}\n  by: answers.edu\n"
            "  rows:\n    本科: [{min: 5, points: 5}]\n    大专: [{min: 8, points: 5}]\n"
        )
    )
    assert run(sheet, {"edu": {"band": "本科", "points": 2}, "years": 5}).items["years"].points == 5


def test_maximum_and_describe(by_edu: Sheet) -> None:
    item = by_edu.items["years"]
    assert item.raw_max() == 10
    text = item.describe()
    assert text.startswith("按学历：博士 ≥5年 10；≥1年 5；硕士 ≥8年 10")
    assert text.endswith("其余 0（学历按本表已填写的相应答案确定）")


def test_gap_steps_follow_the_by_row(by_edu: Sheet) -> None:
    item = by_edu.items["years"]
    ctx = GapContext(dt.date(2021, 1, 1), {"edu": "本科"})
    assert [a for _, a in item.gap_steps({"value": D(4)}, ctx)] == [{"value": D(5)}, {"value": D(12)}]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ("  by_map: {本科: 研究生}\n", "「研究生」不是本项的行"),
        ("  by: answers.nothing\n", "「answers.nothing」不是本表的项目或申报条件字段"),
    ],
)
def test_lint_refuses_a_row_that_does_not_exist(change: str, message: str) -> None:
    body = "- id: years\n  label: 年限\n  rule: tiers_by\n  input: {label: 年限}\n  rows:\n    本科: [{min: 5, points: 5}]\n"
    if "by_map" in change:
        body += "  by: answers.edu\n"
        body = "- {id: edu, label: 学历, rule: choice, options: {本科: 1}}\n" + body
    with pytest.raises(SheetError) as exc:
        make_sheet(one_item(body + change))
    assert message in str(exc.value)


def test_lint_refuses_a_by_label_without_a_row() -> None:
    body = (
        "- {id: edu, label: 学历, rule: choice, options: {本科: 1, 研究生: 2}}\n"
        "- id: years\n  label: 年限\n  rule: tiers_by\n  input: {label: 年限}\n  by: answers.edu\n"
        "  rows:\n    本科: [{min: 5, points: 5}]\n"
    )
    with pytest.raises(SheetError) as exc:
        make_sheet(one_item(body))
    assert "选项「研究生」对应不到本项的行" in str(exc.value)
