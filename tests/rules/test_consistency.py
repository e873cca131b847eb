"""Consistency rules: answers of two items that must agree; a broken rule is a contradiction, never a score change."""

from __future__ import annotations

from typing import Any

import pytest
from helpers import make_sheet, one_item, run

from scorer import SheetError
from scorer.model import Sheet

ITEMS = one_item("""\
- {id: degree, label: 学历, rule: choice, options: {博士研究生: 10, 硕士研究生: 8, 本科: 6, 大专及以下: 3}}
- {id: edu2, label: 学历（基层）, rule: band, bands: {博士: 5-4, 硕士: 3, 本科: 2, 大专: 1, 中专以下: 0}}
- {id: degree2, label: 学历（复核）, rule: choice, options: {博士研究生: 0, 硕士研究生: 0, 本科: 0, 大专及以下: 0}}
- {id: work, label: 工作年限, rule: tiers, input: {label: 工作年限, unit: 年}, tiers: [{min: 10, points: 5}]}
- {id: title, label: 任现职年限, rule: tiers, input: {label: 任现职年限, unit: 年}, tiers: [{min: 5, points: 5}]}
- id: base_years
  label: 基层年限
  rule: tiers_by
  input: {label: 基层年限, unit: 年}
  rows: {本科: [{min: 5, points: 5}], 大专: [{min: 8, points: 5}]}
""")
RULES = """\
consistency:
  - message: 两处学历应一致
    left: answers.degree
    op: "=="
    right: answers.edu2
    map: {博士研究生: 博士, 硕士研究生: 硕士, 大专及以下: [大专, 中专以下]}
  - {message: 学历前后应一致, left: answers.degree, op: "==", right: answers.degree2}
  - {message: 任现职年限应少于工作年限, left: answers.title, op: "<", right: answers.work}
  - {message: 工作年限应多于3年, left: answers.work, op: ">", right: 3}
  - {message: 基层年限不应超过工作年限, left: answers.base_years, op: "<=", right: answers.work}
"""


@pytest.fixture(scope="module")
def sheet() -> Sheet:
    return make_sheet(ITEMS + RULES)


@pytest.mark.parametrize(
    ("degree", "edu2"),
    [("博士研究生", {"band": "博士", "points": 5}), ("本科", "本科"), ("大专及以下", "大专"), ("大专及以下", "中专以下")],
)
def test_equal_labels_through_map_agree(sheet: Sheet, degree: str, edu2: Any) -> None:
    assert run(sheet, {"degree": degree, "edu2": edu2}).contradictions == []


@pytest.mark.parametrize(
    ("degree", "edu2", "message"),
    [
        ("本科", "大专", "两处学历应一致（本科 ≠ 大专）"),
        ("大专及以下", "本科", "两处学历应一致（大专及以下 ≠ 本科）"),
        ("博士研究生", "硕士", "两处学历应一致（博士研究生 ≠ 硕士）"),
    ],
)
def test_unequal_labels_are_a_contradiction(sheet: Sheet, degree: str, edu2: str, message: str) -> None:
    result = run(sheet, {"degree": degree, "edu2": edu2})
    assert result.contradictions == [message]


def test_equal_between_two_choices_without_map(sheet: Sheet) -> None:
    assert run(sheet, {"degree": "本科", "degree2": "本科"}).contradictions == []
    assert run(sheet, {"degree": "本科", "degree2": "大专及以下"}).contradictions == ["学历前后应一致（本科 ≠ 大专及以下）"]


@pytest.mark.parametrize(
    ("title", "work", "broken"),
    [
        (5, 10, []),
        ("9.5", 10, []),
        (10, 10, ["任现职年限应少于工作年限（10 ≥ 10）"]),
        (12, 10, ["任现职年限应少于工作年限（12 ≥ 10）"]),
    ],
)
def test_less_than(sheet: Sheet, title: Any, work: int, broken: list[str]) -> None:
    assert run(sheet, {"title": title, "work": work}).contradictions == broken


@pytest.mark.parametrize(
    ("work", "broken"), [(3, ["工作年限应多于3年（3 ≤ 3）"]), ("3.5", []), (2, ["工作年限应多于3年（2 ≤ 3）"])]
)
def test_greater_than_a_number(sheet: Sheet, work: Any, broken: list[str]) -> None:
    assert run(sheet, {"work": work}).contradictions == broken


def test_tiers_by_answer_is_compared_by_its_value(sheet: Sheet) -> None:
    result = run(sheet, {"base_years": {"value": 12, "row": "本科"}, "work": 11})
    assert result.contradictions == ["基层年限不应超过工作年限（12 > 11）"]


def test_a_contradiction_changes_no_score(sheet: Sheet) -> None:
    result = run(sheet, {"title": 12, "work": 10})
    assert result.total == 10  # 任现职 ≥5 → 5, 工作 ≥10 → 5
    assert result.verdict == "达到"
    assert len(result.contradictions) == 1


def test_unanswered_side_breaks_nothing(sheet: Sheet) -> None:
    assert run(sheet, {"title": 12}).contradictions == []
    assert run(sheet, {"degree": "本科"}).contradictions == []


def test_when_limits_a_rule_to_one_choice() -> None:
    rules = (
        "consistency:\n  - {message: 本科时任现职年限应少于工作年限, left: answers.title, op: \"<\", right: answers.work,"
        " when: {answers.degree: 本科}}\n"
    )
    sheet = make_sheet(ITEMS + rules)
    broken = run(sheet, {"degree": "本科", "title": 12, "work": 10}).contradictions
    assert broken == ["本科时任现职年限应少于工作年限（12 ≥ 10）"]
    assert run(sheet, {"degree": "大专及以下", "title": 12, "work": 10}).contradictions == []


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ("{message: m, left: answers.title, op: \"<\", right: answers.nothing}", "「answers.nothing」不是本表的答案"),
        ("{message: m, left: answers.title, op: \"<\", right: answers.work, map: {本科: 本科}}", "map 只用于 op: \"==\""),
        (
            "{message: m, left: answers.degree, op: \"==\", right: answers.edu2, map: {研究生: 博士}}",
            "「研究生」不是 answers.degree 的选项",
        ),
    ],
)
def test_lint_refuses_broken_rules(rule: str, message: str) -> None:
    with pytest.raises(SheetError) as exc:
        make_sheet(ITEMS + "consistency:\n  - " + rule + "\n")
    assert message in str(exc.value)


LATE = "现职称取得日期晚于本表的截止日，请核对（{} > 2021-12-31）"


@pytest.mark.parametrize(("date", "broken"), [("2021-12-31", []), ("2022-01-01", [LATE.format("2022-01-01")]),
                                              ("2099-01-01", [LATE.format("2099-01-01")])])
def test_a_current_title_after_the_closing_date_is_a_contradiction(date: str, broken: list[str]) -> None:
    from scorer import SheetLibrary, claims_from_data, score

    library = SheetLibrary()
    data = {"sheet": "zhejiang-mining-senior-2021", "applicant": {"current_title_date": date}, "answers": {}}
    sheet, claims = claims_from_data(data, library.sheets)
    assert sheet.window is not None and str(sheet.window.until) == "2021-12-31"  # 任现职以来（至2021年12月31日）
    assert score(sheet, claims).contradictions == broken
