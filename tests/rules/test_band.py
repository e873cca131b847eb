"""band: grades, each a fixed value or a range the value is chosen inside (职业道德 好 20-16 / 较好 15-11 ...)."""

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

ETHICS = """\
- id: ethics
  label: 职业道德
  rule: band
  bands: {好: 20-16, 较好: 15-11, 一般: 10-5, 较差: 0}
"""


def refused(sheet: Sheet, answers: dict[str, Any]) -> list[str]:
    with pytest.raises(ClaimError) as exc:
        run(sheet, answers)
    return exc.value.lines


@pytest.fixture(scope="module")
def ethics() -> Sheet:
    return make_sheet(one_item(ETHICS))


@pytest.mark.parametrize(
    ("answer", "points"),
    [
        ({"band": "较好", "points": 13}, D(13)),
        ({"band": "好", "points": 20}, D(20)),  # both ends of a range are inside it
        ({"band": "好", "points": 16}, D(16)),
        ({"band": "好", "points": "16.5"}, D("16.5")),
        ({"band": "一般", "points": 5}, D(5)),
    ],
)
def test_range_band_takes_the_points_claimed_inside_it(ethics: Sheet, answer: dict[str, Any], points: Decimal) -> None:
    item = run(ethics, {"ethics": answer}).items["ethics"]
    assert item.points == points


def test_range_band_explanation_names_the_range(ethics: Sheet) -> None:
    item = run(ethics, {"ethics": {"band": "较好", "points": 13}}).items["ethics"]
    assert item.explanation == ["「较好」（15-11 分）取 13 分"]
    assert item.claimed == "较好 13"


def test_fixed_band(ethics: Sheet) -> None:
    item = run(ethics, {"ethics": {"band": "较差"}}).items["ethics"]
    assert (item.points, item.explanation) == (D(0), ["「较差」→ 0 分"])


def test_fixed_band_with_its_own_value_written_is_accepted() -> None:
    sheet = make_sheet(one_item("- {id: edu, label: 学历, rule: band, bands: {博士: 5-4, 硕士: 3-2, 本科: 1}}\n"))
    assert run(sheet, {"edu": {"band": "本科", "points": 1}}).items["edu"].points == 1


@pytest.mark.parametrize("points", [21, 10, "15.5"])
def test_points_outside_the_range_are_refused_with_the_range_named(ethics: Sheet, points: Any) -> None:
    lines = refused(ethics, {"ethics": {"band": "好", "points": points}})
    assert len(lines) == 1
    assert "answers.ethics.points" in lines[0]
    assert f"分值 {points} 不在「好」档 20-16 分内" in lines[0]


def test_range_band_without_points_is_pending_not_guessed(ethics: Sheet) -> None:
    result = run(ethics, {"ethics": {"band": "较好"}})
    assert result.items["ethics"].points == 0
    assert result.verdict == "待确认"
    assert result.pending == ["职业道德：已选「较好」档，请在 15-11 分内填写分值（points）"]


def test_points_on_a_fixed_band_that_differ_are_refused() -> None:
    sheet = make_sheet(one_item("- {id: edu, label: 学历, rule: band, bands: {博士: 5-4, 硕士: 3-2, 本科: 1}}\n"))
    lines = refused(sheet, {"edu": {"band": "本科", "points": 2}})
    assert lines == ["<申报数据>: answers.edu.points: 「本科」档固定为 1 分，不能填 2"]


def test_unknown_or_missing_band_is_refused(ethics: Sheet) -> None:
    assert "「极好」不是本项的档次；可选：好、较好、一般、较差" in refused(ethics, {"ethics": {"band": "极好"}})[0]
    assert "缺少 band（档次）" in refused(ethics, {"ethics": {"points": 3}})[0]
    assert "应写成 {band: 档次, points: 分值}" in refused(ethics, {"ethics": {"band": "好", "points": 18, "note": 1}})[0]


def test_shorthand_string_answer_is_the_band(ethics: Sheet) -> None:
    assert run(ethics, {"ethics": "较差"}).items["ethics"].points == 0
    # a range band still needs its value: the shorthand names only the grade, and the value is pending
    assert "请在 20-16 分内填写分值" in run(ethics, {"ethics": "好"}).pending[0]


def test_single_range_band() -> None:
    sheet = make_sheet(one_item("- {id: other, label: 职业道德, rule: band, bands: {其他: 0〜5}}\n"))
    assert run(sheet, {"other": {"band": "其他", "points": "3.5"}}).items["other"].points == D("3.5")
    assert run(sheet, {"other": {"band": "其他", "points": 0}}).items["other"].points == 0
    assert "不在「其他」档 0〜5 分内" in refused(sheet, {"other": {"band": "其他", "points": 6}})[0]


def test_ranked_levels_with_ranges() -> None:
    sheet = make_sheet(one_item("- {id: edu, label: 学历, rule: band, bands: {博士: 5-4, 硕士: 3-2, 本科: 1}}\n"))
    assert run(sheet, {"edu": {"band": "博士", "points": "4.5"}}).items["edu"].points == D("4.5")
    assert run(sheet, {"edu": "本科"}).items["edu"].points == 1
    assert "不在「硕士」档 3-2 分内" in refused(sheet, {"edu": {"band": "硕士", "points": 4}})[0]


def test_maximum_is_the_top_of_the_best_band(ethics: Sheet) -> None:
    assert ethics.items["ethics"].raw_max() == 20
    assert run(ethics, {}).items["ethics"].max_points == 20
    capped = make_sheet(one_item(ETHICS + "  cap: 18\n"))
    assert run(capped, {"ethics": {"band": "好", "points": 20}}).items["ethics"].points == 18
    assert run(capped, {}).items["ethics"].max_points == 18


def test_describe_names_every_band_and_range(ethics: Sheet) -> None:
    text = ethics.items["ethics"].describe()
    assert text == "档次：好 20-16、较好 15-11、一般 10-5、较差 0"


def test_gap_steps_go_up_to_the_top_of_each_higher_band(ethics: Sheet) -> None:
    item = ethics.items["ethics"]
    steps = item.gap_steps({"band": "一般", "points": D(7)}, GapContext(dt.date(2021, 1, 1)))
    # the top of the own band (10 > 7) first, then each band whose top is higher, lowest first
    assert [answer for _, answer in steps] == [
        {"band": "一般", "points": D(10)},
        {"band": "较好", "points": D(15)},
        {"band": "好", "points": D(20)},
    ]
    assert steps[1][0] == "评为「较好」（15-11 分）"
    assert item.gap_steps({"band": "好", "points": D(20)}, GapContext(dt.date(2021, 1, 1))) == []


def test_gap_steps_from_nothing_include_fixed_bands(ethics: Sheet) -> None:
    steps = ethics.items["ethics"].gap_steps(None, GapContext(dt.date(2021, 1, 1)))
    assert steps[0][1] == {"band": "较差"}
    assert len(steps) == 4


def test_landmark_band_gives_no_points_and_a_finding() -> None:
    sheet = make_sheet(one_item("- {id: std, label: 标准, rule: band, bands: {国家标准: 标志性成果, 行业标准: 20-16}}\n"))
    result = run(sheet, {"std": "国家标准"})
    assert result.items["std"].points == 0
    assert result.findings == ["标准「国家标准」：标志性成果，以评委会认定为准"]


def test_bad_range_text_is_refused_by_the_sheet() -> None:
    with pytest.raises(SheetError) as exc:
        make_sheet(one_item("- {id: b, label: 档, rule: band, bands: {好: 二十}}\n"))
    assert "分值应为数字、区间（如 20-16、30-0）或「标志性成果」，实际为「二十」" in str(exc.value)
