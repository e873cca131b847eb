"""A result's words are written when read: the same words, fixed when their step was taken, never before."""

from __future__ import annotations

import copy
import pickle
from decimal import Decimal

from helpers import make_sheet, one_item, run

PROJECTS = one_item(
    "- id: proj\n  label: 项目\n  rule: entries\n  aggregate: max\n"
    "  level_points: {大型: 10, 中型: 6}\n  rank_coefficients: [1, 0.6]\n  cap: 10\n"
)
HOURS = "gates:\n  - {id: hours, question: 继续教育学时, type: number, min: 90, unit: 学时}\n"
GATED = make_sheet(HOURS + PROJECTS, threshold="threshold: {kind: total, min: 5}")
ANSWERS = {"proj": [{"level": "中型", "rank": 2, "title": "甲"}, {"level": "大型", "rank": 1, "title": "乙"}]}


def _unwritten(parts: list[object]) -> int:
    return sum(1 for p in parts if isinstance(p, tuple))


def test_scoring_writes_no_sentence_until_one_is_read() -> None:
    result = run(GATED, ANSWERS, gates={"hours": 96})
    item = result.items["proj"]
    assert _unwritten(item.said) == 1 and all(_unwritten(e.said) == 1 for e in item.entries)
    assert isinstance(result.gates[0].words, tuple)
    assert result.total == 10 and item.entries[0].points == 0  # every number is there already


def test_the_words_are_those_of_the_step_even_after_a_later_step_changed_the_points() -> None:
    """The second project is the best: the first keeps its own price (3.6) in its sentence, though it counts 0."""
    item = run(GATED, ANSWERS, gates={"hours": 96}).items["proj"]
    assert item.entries[0].explanation == "中型 6 × 第2名系数 0.6 = 3.6 分（按最高一项计分，不累计）"
    assert item.entries[1].explanation == "大型 10 × 第1名系数 1 = 10 分"
    assert item.explanation == ["按最高一项计分：第2条「乙」 10 分"]
    assert item.claimed == "2 条"
    assert _unwritten(item.said) == 0 and item.said == item.explanation  # written once, kept


def test_a_gate_detail_is_written_on_read() -> None:
    gate = run(GATED, {}, gates={"hours": 80}).gates[0]
    assert (gate.status, gate.detail) == ("unmet", "80学时，要求 ≥ 90学时")


def test_appending_to_the_explanation_read_adds_a_sentence() -> None:
    item = run(GATED, ANSWERS).items["proj"]
    item.explanation.append("另注")
    assert item.explanation[-1] == "另注" and len(item.explanation) == 2


def test_equality_pickles_and_copies_see_the_words() -> None:
    a, b = run(GATED, ANSWERS, gates={"hours": 96}), run(GATED, ANSWERS, gates={"hours": 96})
    a.items["proj"].explanation  # noqa: B018  # one side read, the other not
    assert a.items["proj"] == b.items["proj"] and a.gates == b.gates
    back = pickle.loads(pickle.dumps(b))
    assert _unwritten(back.items["proj"].said) == 0
    assert back.items["proj"].entries[0].explanation == a.items["proj"].entries[0].explanation
    twin = copy.deepcopy(run(GATED, ANSWERS, gates={"hours": 96}))
    assert twin.gates[0].detail == "96学时，要求 ≥ 90学时"
    changed = run(GATED, {"proj": [{"level": "中型", "rank": 1, "title": "甲"}]}, gates={"hours": 96})
    assert changed.items["proj"] != b.items["proj"]


def test_a_sentence_is_written_in_the_exact_context_scoring_ran_in() -> None:
    """A whole-units sentence multiplies again when written (units x points per unit): outside ``exact()`` the
    29 significant digits of 3 x 1.0000000000000000000000000001 would be rounded to 28."""
    sheet = make_sheet(one_item("- id: x\n  label: 数\n  rule: linear\n  input: {label: 数}\n  whole_units: true\n"
                                "  points_per_unit: 1.0000000000000000000000000001\n  cap: 10\n"))
    item = run(sheet, {"x": 3}).items["x"]
    assert item.points == Decimal("3.0000000000000000000000000003")
    assert item.explanation == ["每满 1 计 1.0000000000000000000000000001 分：3 满 3 个 → 3.0000000000000000000000000003 分"]
