"""indicators: 量化表现 6-7项 20、5项 18、4项 16、3项 12、2项 10、1项 5、无 0 -- each ticked indicator with its proof."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from helpers import claims_for, make_sheet, one_item, run

from scorer import ClaimError
from scorer.model import Sheet
from scorer.review import parse_review, review_claims
from scorer.rules import GapContext

D = Decimal
NAMES = ["主持项目", "获奖", "论文", "专利", "标准", "工法", "培养人才"]
TIERS = (
    "  tiers: [{min: 6, points: 20}, {min: 5, points: 18}, {min: 4, points: 16}, {min: 3, points: 12},"
    " {min: 2, points: 10}, {min: 1, points: 5}]\n"
)
LISTED = "- id: perf\n  label: 量化表现\n  rule: indicators\n  indicators: [" + ", ".join(NAMES) + "]\n" + TIERS
UNLISTED = (
    "- id: perf\n  label: 量化表现\n  rule: indicators\n  max_count: 3\n  tiers: [{min: 3, points: 12}, {min: 1, points: 5}]\n"
)


@pytest.fixture(scope="module")
def listed() -> Sheet:
    return make_sheet(one_item(LISTED))


def refused(sheet: Sheet, answers: dict[str, Any]) -> list[str]:
    with pytest.raises(ClaimError) as exc:
        run(sheet, answers)
    return exc.value.lines


def ticked(n: int) -> list[dict[str, Any]]:
    return [{"indicator": name, "evidence": [f"{name}.pdf"]} for name in NAMES[:n]]


@pytest.mark.parametrize(("count", "points"), [(7, 20), (6, 20), (5, 18), (4, 16), (3, 12), (2, 10), (1, 5), (0, 0)])
def test_points_by_how_many_indicators_hold(listed: Sheet, count: int, points: int) -> None:
    assert run(listed, {"perf": ticked(count)}).items["perf"].points == points


def test_explanation_names_the_count_and_the_tier(listed: Sheet) -> None:
    assert run(listed, {"perf": ticked(7)}).items["perf"].explanation == ["满足 7 项（≥ 6 项）→ 20 分"]
    assert run(listed, {"perf": []}).items["perf"].explanation == ["满足 0 项 → 0 分"]


def test_only_listed_indicators_can_be_ticked(listed: Sheet) -> None:
    lines = refused(listed, {"perf": ["论文", "其他贡献"]})
    assert lines == ["<申报数据>: answers.perf[1].indicator: 「其他贡献」不是本项的指标；可选：" + "、".join(NAMES)]


def test_duplicates_are_refused(listed: Sheet) -> None:
    assert refused(listed, {"perf": ["论文", {"indicator": "论文", "evidence": ["b.pdf"]}]}) == [
        "<申报数据>: answers.perf[1].indicator: 指标「论文」重复填写"
    ]


def test_malformed_rows_are_refused(listed: Sheet) -> None:
    assert "未知字段「level」" in refused(listed, {"perf": [{"indicator": "论文", "level": "省级"}]})[0]
    assert "应填所满足的指标列表" in refused(listed, {"perf": "论文"})[0]
    assert "每条应写成 {indicator: 指标名称" in refused(listed, {"perf": [{"evidence": ["a.pdf"]}]})[0]


def test_without_a_list_max_count_bounds_the_count() -> None:
    sheet = make_sheet(one_item(UNLISTED))
    assert run(sheet, {"perf": ["甲", "乙", "丙"]}).items["perf"].points == 12
    assert run(sheet, {"perf": ["甲"]}).items["perf"].points == 5
    assert refused(sheet, {"perf": ["甲", "乙", "丙", "丁"]}) == ["<申报数据>: answers.perf: 本项最多 3 项指标（填写了 4 项）"]


def test_each_ticked_indicator_is_an_entry_with_its_evidence(listed: Sheet) -> None:
    patent = {"indicator": "专利", "evidence": ["专利证书.pdf", "说明.pdf"], "note": "发明"}
    item = run(listed, {"perf": ["论文", patent]}).items["perf"]
    assert [(e.entry.title, e.entry.evidence, e.entry.note) for e in item.entries] == [
        ("论文", (), None),
        ("专利", ("专利证书.pdf", "说明.pdf"), "发明"),
    ]
    assert all(e.counted and e.points == 0 for e in item.entries)  # the points belong to the count, not to a row
    assert item.points == 10


def test_answer_data_round_trips(listed: Sheet) -> None:
    claims = claims_for(listed, {"answers": {"perf": [{"indicator": "专利", "evidence": ["a.pdf"]}, "论文"]}})
    assert claims.to_data()["answers"]["perf"] == [{"indicator": "专利", "evidence": ["a.pdf"]}, {"indicator": "论文"}]


def test_reviewer_rejects_one_indicator_and_the_count_drops(listed: Sheet) -> None:
    claims = claims_for(listed, {"answers": {"perf": ticked(3)}})
    review = parse_review(
        {"reviewer": "李专家", "date": "2022-03-01",
         "verdicts": [{"target": "answers.perf[1]", "action": "reject", "reason": "获奖证书不符"}]},
        listed, claims,
    )
    outcome = review_claims(listed, claims, review)
    assert (outcome.claimed.items["perf"].points, outcome.reviewed.items["perf"].points) == (12, 10)  # 3 → 2 项


def test_maximum_only_counts_reachable_tiers() -> None:
    assert make_sheet(one_item(LISTED)).items["perf"].raw_max() == 20
    two = make_sheet(one_item("- id: p\n  label: 表现\n  rule: indicators\n  indicators: [甲, 乙]\n" + TIERS))
    assert two.items["p"].raw_max() == 10  # only 2 indicators exist: 2项 10


def test_describe(listed: Sheet) -> None:
    assert listed.items["perf"].describe() == (
        "按满足的指标项数（共 7 项）：6项及以上 20；5项及以上 18；4项及以上 16；3项及以上 12；2项及以上 10；1项及以上 5；其余 0"
    )


def test_gap_step_names_the_next_free_indicator(listed: Sheet) -> None:
    claims = claims_for(listed, {"answers": {"perf": ticked(2)}})
    steps = listed.items["perf"].gap_steps(claims.answers["perf"], GapContext(dt.date(2021, 1, 1)))
    assert [text for text, _ in steps] == ["再满足一项指标「论文」"]
    full = claims_for(listed, {"answers": {"perf": ticked(7)}})
    assert listed.items["perf"].gap_steps(full.answers["perf"], GapContext(dt.date(2021, 1, 1))) == []


def test_reviewer_can_only_accept_or_reject_an_indicator(listed: Sheet) -> None:
    claims = claims_for(listed, {"answers": {"perf": ticked(3)}})
    with pytest.raises(ClaimError) as exc:
        parse_review(
            {"reviewer": "李专家", "date": "2022-03-01",
             "verdicts": [{"target": "answers.perf[0]", "action": "change", "level": "省级", "reason": "x"}]},
            listed, claims,
        )
    assert "本项逐条只能接受或驳回" in exc.value.lines[0]
