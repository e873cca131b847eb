"""linear with a base: "年均应缴税额390元得10分，每增加1500元增加1分，最高20分，不足390元0分"."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from helpers import claims_for, make_sheet, one_item, run

from scorer.describe import describe_rule
from scorer.gaps import find_gaps
from scorer.rules import GapContext

D = Decimal

TAX = """\
- id: tax
  label: 年均应缴税额
  rule: linear
  input: {label: 年均应缴税额, unit: 元}
  offset: 390
  base: 10
  unit: 1500
  points_per_unit: 1
  whole_units: true
  below_offset: 0
  cap: 20
"""


@pytest.mark.parametrize(
    ("paid", "raw", "points"),
    [
        (389, 0, 0),  # 不足390元 → 0
        (390, 10, 10),  # 390元得10分
        (1889, 10, 10),  # 1499 more: not yet a whole 1500
        (1890, 11, 11),  # one whole 1500 → 10 + 1
        (15390, 20, 20),  # ten whole 1500s → 10 + 10 = 20, exactly the cap
        (99999, 76, 20),  # (99999 − 390) / 1500 = 66.4 → 66 whole → 10 + 66 = 76, capped at 20
    ],
)
def test_offset_base_whole_units_below_offset_and_cap(paid: int, raw: int, points: int) -> None:
    item = run(make_sheet(one_item(TAX)), {"tax": paid}).items["tax"]
    assert (item.raw, item.points) == (D(raw), D(points))
    assert item.cap_bit is (raw > 20)


def test_explanations_name_the_base_and_the_offset() -> None:
    sheet = make_sheet(one_item(TAX))
    assert run(sheet, {"tax": 389}).items["tax"].explanation == ["389元 不足 390元 → 0 分"]
    assert run(sheet, {"tax": 1890}).items["tax"].explanation == ["每满 1500元 计 1 分：(1890 − 390) 满 1 个 → 10 + 1 = 11 分"]


def test_decimal_payment_is_exact() -> None:
    sheet = make_sheet(one_item(TAX))
    assert run(sheet, {"tax": "1889.99"}).items["tax"].points == 10
    assert run(sheet, {"tax": "389.99"}).items["tax"].points == 0


def test_describe() -> None:
    item = make_sheet(one_item(TAX)).items["tax"]
    assert item.describe() == "390元 得 10 分，每增加满 1500元 加 1 分；不足 390元 得 0 分"
    assert describe_rule(item) == "390元 得 10 分，每增加满 1500元 加 1 分；不足 390元 得 0 分；封顶 20"


def test_maximum_is_the_cap() -> None:
    sheet = make_sheet(one_item(TAX))
    assert run(sheet, {"tax": 0}).items["tax"].max_points == 20


def test_gap_step_below_the_offset_is_the_offset() -> None:
    item = make_sheet(one_item(TAX)).items["tax"]
    steps = item.gap_steps(D(389), GapContext(dt.date(2021, 1, 1)))
    # first the 390 that earns the base 10, then the value at which the item is full: 390 + (20 − 10) × 1500
    assert [value for _, value in steps] == [D(390), D(15390)]
    assert steps[0][0] == "年均应缴税额达到 390元"


def test_gap_step_when_unanswered_is_also_the_offset() -> None:
    item = make_sheet(one_item(TAX)).items["tax"]
    steps = item.gap_steps(None, GapContext(dt.date(2021, 1, 1)))
    assert [value for _, value in steps] == [D(390), D(15390)]


def test_gap_step_above_the_offset_is_the_next_whole_unit() -> None:
    item = make_sheet(one_item(TAX)).items["tax"]
    steps = item.gap_steps(D(1890), GapContext(dt.date(2021, 1, 1)))
    assert [value for _, value in steps] == [D(3390), D(15390)]  # 390 + 2 × 1500


def test_gap_analysis_from_nothing_suggests_the_base_first() -> None:
    sheet = make_sheet(one_item(TAX))
    claims = claims_for(sheet, {"answers": {}})
    gap = find_gaps(sheet, claims)[0]
    assert (gap.gain, gap.step) == (D(10), "年均应缴税额达到 390元")
    assert (gap.best_gain, gap.best_step) == (D(20), "年均应缴税额达到 15390元")
