"""Sheet-level settings the shapes rely on: a sheet with no line (kind: none) and a free-text region."""

from __future__ import annotations

import pytest
from helpers import make_sheet, one_item, run, sheet_yaml

from scorer import SheetError
from scorer.describe import describe_threshold
from scorer.loader import sheet_from_text

ITEM = one_item("- {id: a, label: 甲, rule: band, bands: {好: 20-16, 一般: 10}}\n")


def test_kind_none_has_no_line() -> None:
    sheet = make_sheet(ITEM, "threshold: {kind: none}")
    result = run(sheet, {"a": {"band": "好", "points": 17}})
    assert (result.verdict, result.threshold, result.reaches, result.margin) == ("不设分数线", None, None, None)
    assert result.total == 17
    assert describe_threshold(sheet) == "不设分数线（总分报评委会）"


def test_kind_none_still_waits_for_what_is_pending() -> None:
    sheet = make_sheet("gates:\n  - {id: ok, question: 考核合格, type: flag}\n" + ITEM, "threshold: {kind: none}")
    assert run(sheet, {"a": "一般"}).verdict == "待确认"
    assert run(sheet, {"a": "一般"}, gates={"ok": True}).verdict == "不设分数线"
    assert run(sheet, {"a": "一般"}, gates={"ok": False}).verdict == "不符合申报条件"


def test_kind_none_refuses_a_line() -> None:
    with pytest.raises(SheetError) as exc:
        make_sheet(ITEM, "threshold: {kind: none, min: 60}")
    assert "kind: none 不设分数线，不能写 min 或 by_level" in str(exc.value)


@pytest.mark.parametrize("region", ["杭州市", "任意县", "温州市瓯海区"])
def test_region_is_free_text(region: str) -> None:
    text = sheet_yaml(ITEM).replace("region: 浙江省", f"region: {region}")
    assert sheet_from_text(text, "test-sheet.yaml").region == region
