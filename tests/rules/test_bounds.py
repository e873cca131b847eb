"""Bounds stated by the sheet (years <= 60, a percentage <= 100) refuse values above them, the bound named in Chinese."""

from __future__ import annotations

from typing import Any

import pytest
from helpers import make_sheet, one_item, run

from scorer import ClaimError, SheetError
from scorer.model import Sheet


def refused(sheet: Sheet, answers: dict[str, Any], **rest: Any) -> list[str]:
    with pytest.raises(ClaimError) as exc:
        run(sheet, answers, **rest)
    return exc.value.lines


TIERS = (
    "- {id: years, label: 工作年限, rule: tiers, input: {label: 工作年限, unit: 年, max: 60},"
    " tiers: [{min: 10, points: 5}]}\n"
)
LINEAR = (
    "- {id: rate, label: 合格率, rule: linear, input: {label: 合格率, unit: '%', max: 100, integer: true},"
    " points_per_unit: 0.1}\n"
)


def test_number_input_max_on_tiers() -> None:
    sheet = make_sheet(one_item(TIERS))
    assert run(sheet, {"years": 60}).items["years"].points == 5
    assert refused(sheet, {"years": 61}) == ["<申报数据>: answers.years: 工作年限不能超过 60（填写了 61）"]
    assert refused(sheet, {"years": "60.5"}) == ["<申报数据>: answers.years: 工作年限不能超过 60（填写了 60.5）"]


def test_number_input_max_on_linear_also_bounds_its_maximum() -> None:
    sheet = make_sheet(one_item(LINEAR))  # no cap: max 100 × 0.1 = 10 is the most
    assert run(sheet, {"rate": 100}).items["rate"].points == 10
    assert run(sheet, {}).items["rate"].max_points == 10
    assert refused(sheet, {"rate": 101}) == ["<申报数据>: answers.rate: 合格率不能超过 100（填写了 101）"]
    assert refused(sheet, {"rate": "99.5"}) == ["<申报数据>: answers.rate: 合格率应填整数，实际为「99.5」"]


def test_numbers_are_never_negative_or_text() -> None:
    sheet = make_sheet(one_item(TIERS))
    assert refused(sheet, {"years": -1}) == ["<申报数据>: answers.years: 工作年限不能为负数（填写了 -1）"]
    assert refused(sheet, {"years": "十年"}) == ["<申报数据>: answers.years: 工作年限应填数字，实际为「十年」"]


RECORD = """\
- id: svc
  label: 长期从业
  rule: record
  fields:
    years: {label: 从业年限, type: number, max: 60, min: 15}
    share: {label: 本人占比, type: number, max: 100}
"""


def test_field_spec_max_on_a_record_item() -> None:
    sheet = make_sheet(one_item(RECORD))
    assert run(sheet, {"svc": {"years": 60, "share": 100}}).items["svc"].points == 1
    assert refused(sheet, {"svc": {"years": 61, "share": 101}}) == [
        "<申报数据>: answers.svc.years: 从业年限不能超过 60（填写了 61）",
        "<申报数据>: answers.svc.share: 本人占比不能超过 100（填写了 101）",
    ]


GATES = """\
gates:
  - {id: months, question: 社保缴纳月数, type: number, min: 3, max: 600, integer: true, unit: 个月}
  - id: ce
    question: 继续教育
    type: record
    fields:
      total: {label: 总学时, type: number, min: 90, max: 1000}
""" + one_item("- {id: a, label: 甲, rule: flag, points: 10}\n")


def test_gate_max_and_gate_field_max() -> None:
    sheet = make_sheet(GATES)
    assert run(sheet, {"a": True}, gates={"months": 600, "ce": {"total": 1000}}).verdict == "达到"
    lines = refused(sheet, {"a": True}, gates={"months": 601, "ce": {"total": 1001}})
    assert lines == [
        "<申报数据>: gates.months: 不能超过 600（填写了 601）",
        "<申报数据>: gates.ce.total: 总学时不能超过 1000（填写了 1001）",
    ]
    assert refused(sheet, {"a": True}, gates={"months": "3.5"}) == ["<申报数据>: gates.months: 应填整数，实际为「3.5」"]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            "gates:\n  - {id: ok, question: 考核, type: flag, max: 3}\n",
            "gates[0].type: min / max / integer 只用于 type: number 的条件",
        ),
        (
            one_item("- id: r\n  label: 记录\n  rule: record\n  fields:\n    y: {label: 年限, type: number, min: 70, max: 60}\n"),
            "max 小于达标条件 min，此字段永远无法达标",
        ),
        (
            one_item(
                "- id: r\n  label: 记录\n  rule: record\n  fields:\n"
                "    e: {label: 学历, type: choice, options: [本科], in: [本科], max: 3}\n"
            ),
            "max / integer 只能用于 type: number 的字段",
        ),
    ],
)
def test_lint_refuses_bounds_that_cannot_apply(body: str, message: str) -> None:
    if not body.startswith("sections"):
        body += one_item("- {id: a, label: 甲, rule: flag, points: 10}\n")
    with pytest.raises(SheetError) as exc:
        make_sheet(body)
    assert message in str(exc.value)
