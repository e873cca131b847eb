"""The registry of rule shapes: every shape has an input, every optional key changes something, no key is ignored.

THE EVERY-KEY-HAS-EFFECT TEST: for every optional field of every shape (display-only fields aside) the
table below holds a base item, a variant value for that one key, and a claim, such that scoring the claim
under the base item and under the variant differs: in points, or (for keys that only bound inputs) the claim
is accepted under the base and refused under the variant, or (for keys that are advice by design) in the
findings or notices. The set of keys is computed from the models, so a key added later without a row here
fails this test.
"""

from __future__ import annotations

import importlib
import importlib.util
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

import pytest
from helpers import make_sheet, one_item, run

from scorer import ClaimError, SheetError
from scorer.model import Sheet
from scorer.rules import SHAPES
from scorer.rules.base import NumberInput
from scorer.rules.entries import AGGREGATE_KEYS, EntriesItem

D = Decimal
DATE = "2020-01-01"

# fields that change no number by design: names, words, sources and the labels of an input
DISPLAY_ONLY = {
    "id", "label", "evidence", "source_text", "source", "fidelity", "note", "question", "field_labels", "row_label",
    "landmark_finding", "entry_may_exceed_cap",
}
INPUT_DISPLAY_ONLY = {"label", "unit"}
Effect = Literal["points", "refused", "finding", "notice"]


def optional_keys() -> set[tuple[str, str]]:
    """(shape, key) for every optional field of every registered shape; ``input.x`` for a number input's fields."""
    out: set[tuple[str, str]] = set()
    input_keys = {k for k, f in NumberInput.model_fields.items() if not f.is_required()} - INPUT_DISPLAY_ONLY
    for name, shape in SHAPES.items():
        for key, spec in shape.model_fields.items():
            if key == "input" and spec.annotation is NumberInput:
                out |= {(name, f"input.{sub}") for sub in input_keys}
            if not spec.is_required() and key not in DISPLAY_ONLY:
                out.add((name, key))
    return out


@dataclass(frozen=True)
class KeyCase:
    item: dict[str, str]  # the base item "x": key -> its value as YAML flow text (id, label and rule are added)
    variant: str  # the new value of the key under test, as YAML flow text (for input.x: the whole input)
    answer: Any  # the claim for "x"
    effect: Effect = "points"
    others: str = ""  # more items (YAML list elements), e.g. the 学历 a tiers_by row is read from
    answers: dict[str, Any] = field(default_factory=dict)  # their answers
    sheet: str = ""  # sheet-level YAML appended (a window)


def entry(**fields: Any) -> dict[str, Any]:
    return {"date": DATE, **fields}


TIERS = {"input": "{label: 年限}", "tiers": "[{min: 5, points: 5}]"}
LINEAR = {"input": "{label: 学时}", "points_per_unit": "1", "cap": "100"}
RECORD = {"fields": "{years: {label: 年限, type: number, min: 10}}"}
ROWS = {"input": "{label: 年限}", "rows": "{本科: [{min: 5, points: 5}], 大专: [{min: 8, points: 5}]}"}
EDU = "- {id: edu, label: 学历, rule: choice, options: {本科: 1, 大专: 1}}\n"
EDU_LONG = "- {id: edu, label: 学历, rule: choice, options: {本科学历: 1, 大专学历: 1}}\n"
INDICATORS = {"indicators": "[甲, 乙, 丙]", "tiers": "[{min: 2, points: 10}, {min: 1, points: 5}]"}
SUM = {"aggregate": "sum", "level_points": "{A: 5, B: 3}", "cap": "20"}
COUNT = {"aggregate": "count", "level_points": "{A: 1, B: 1}", "min_count": "1"}
REP = {"aggregate": "representative_plus_bonus", "start": "{A: 10, B: 6}", "bonus": "{A: 2, B: 1}", "cap": "20"}
REP_ROLES = {**REP, "role_coefficients": "{主持: 1, 参与: 0.5}"}
REP_LRB = {"aggregate": "representative_plus_bonus", "start": "{A: 10, B: 6}",
           "level_role_bonus": "{A: {主持: 2}, B: {主持: 1}}", "cap": "20"}

A, B = entry(level="A"), entry(level="B")

TABLE: dict[tuple[str, str], KeyCase] = {
    # choice / band / flag / record
    ("choice", "cap"): KeyCase({"options": "{甲: 5}"}, "3", "甲"),  # 5 → 3
    ("band", "cap"): KeyCase({"bands": "{好: 20-16}"}, "15", {"band": "好", "points": 18}),  # 18 → 15
    ("flag", "cap"): KeyCase({"points": "4"}, "2", True),  # 4 → 2
    ("flag", "points"): KeyCase({}, "3", True),  # 1 → 3
    ("record", "cap"): KeyCase({**RECORD, "points": "3"}, "2", {"years": 12}),  # 3 → 2
    ("record", "paths"): KeyCase(RECORD, "[{label: 十五年, when: {years: {min: 15}}}]", {"years": 12}),  # 1 → 0
    ("record", "points"): KeyCase(RECORD, "3", {"years": 12}),  # 1 → 3
    # tiers
    ("tiers", "cap"): KeyCase(TIERS, "2", 6),  # 5 → 2
    ("tiers", "otherwise"): KeyCase(TIERS, "1", 3),  # 0 → 1
    ("tiers", "input.integer"): KeyCase(TIERS, "{label: 年限, integer: true}", "5.5", "refused"),
    ("tiers", "input.max"): KeyCase(TIERS, "{label: 年限, max: 60}", 61, "refused"),
    # linear
    ("linear", "cap"): KeyCase(LINEAR, "10", 50),  # 50 → 10
    ("linear", "unit"): KeyCase(LINEAR, "10", 50),  # 50 → 5
    ("linear", "offset"): KeyCase(LINEAR, "20", 50),  # 50 → 30
    ("linear", "whole_units"): KeyCase({**LINEAR, "unit": "10"}, "true", 55),  # 5.5 → 5
    ("linear", "floor"): KeyCase({"input": "{label: 次数}", "points_per_unit": "-2"}, "-5", 5),  # -10 → -5
    ("linear", "base"): KeyCase(LINEAR, "10", 50),  # 50 → 60
    ("linear", "below_offset"): KeyCase({**LINEAR, "offset": "10"}, "0", 5),  # (5 − 10) = -5 → 0
    ("linear", "input.integer"): KeyCase(LINEAR, "{label: 学时, integer: true}", "5.5", "refused"),
    ("linear", "input.max"): KeyCase(LINEAR, "{label: 学时, max: 60}", 61, "refused"),
    # tiers_by
    ("tiers_by", "cap"): KeyCase(ROWS, "2", {"value": 6, "row": "本科"}),  # 5 → 2
    ("tiers_by", "otherwise"): KeyCase(ROWS, "1", {"value": 6, "row": "大专"}),  # 6 < 8: 0 → 1
    ("tiers_by", "by"): KeyCase(ROWS, "answers.edu", {"value": 6, "row": "本科"}, others=EDU,
                                answers={"edu": "大专"}),  # 5 → 0 (the row contradicts 学历 大专: pending)
    ("tiers_by", "by_map"): KeyCase({**ROWS, "by": "answers.edu", "by_map": "{本科学历: 本科, 大专学历: 大专}"},
                                    "{本科学历: 大专, 大专学历: 大专}", 6, others=EDU_LONG,
                                    answers={"edu": "本科学历"}),  # 本科 row 5 → 大专 row 0
    ("tiers_by", "input.integer"): KeyCase(ROWS, "{label: 年限, integer: true}", {"value": "5.5", "row": "本科"}, "refused"),
    ("tiers_by", "input.max"): KeyCase(ROWS, "{label: 年限, max: 60}", {"value": 61, "row": "本科"}, "refused"),
    # indicators
    ("indicators", "cap"): KeyCase(INDICATORS, "6", ["甲", "乙"]),  # 10 → 6
    ("indicators", "indicators"): KeyCase(INDICATORS, "[甲, 乙]", ["甲", "丙"], "refused"),
    ("indicators", "max_count"): KeyCase({"max_count": "3", "tiers": INDICATORS["tiers"]}, "2", ["a", "b", "c"], "refused"),
    ("indicators", "otherwise"): KeyCase(INDICATORS, "1", []),  # none: 0 → 1
    # entries: the tables
    ("entries", "cap"): KeyCase(SUM, "6", [A, B]),  # 8 → 6
    ("entries", "level_points"): KeyCase(SUM, "{A: 6, B: 3}", [A, B]),  # 8 → 9
    ("entries", "role_points"): KeyCase({"aggregate": "sum", "role_points": "{主持: 3, 参与: 1}", "cap": "20"},
                                        "{主持: 4, 参与: 1}", [entry(role="主持")]),  # 3 → 4
    ("entries", "level_role_points"): KeyCase({"aggregate": "sum", "level_role_points": "{A: {主持: 3}}", "cap": "20"},
                                              "{A: {主持: 4}}", [entry(level="A", role="主持")]),  # 3 → 4
    ("entries", "category_level_role_points"): KeyCase(
        {"aggregate": "sum", "category_level_role_points": "{甲类: {A: {主持: 3}}}", "cap": "20"},
        "{甲类: {A: {主持: 4}}}", [entry(category="甲类", level="A", role="主持")]),  # 3 → 4
    ("entries", "entry_points"): KeyCase({"aggregate": "sum", "entry_points": "2", "cap": "20"}, "3", [entry()]),  # 2 → 3
    # entries: the coefficients
    ("entries", "role_coefficients"): KeyCase({**SUM, "level_points": "{A: 10}", "role_coefficients": "{主持: 1, 参与: 0.5}"},
                                              "{主持: 1, 参与: 0.8}", [entry(level="A", role="参与")]),  # 5 → 8
    ("entries", "rank_coefficients"): KeyCase({**SUM, "level_points": "{A: 10}"}, "[1, 0.5]",
                                              [entry(level="A", rank=2)]),  # 10 → 5
    # entries: representative plus bonus
    ("entries", "start"): KeyCase(REP, "{A: 12, B: 6}", [A, B]),  # 10 + 1 → 12 + 1
    ("entries", "bonus"): KeyCase(REP, "{A: 2, B: 2}", [A, B]),  # 10 + 1 → 10 + 2
    ("entries", "level_role_bonus"): KeyCase(REP_LRB, "{A: {主持: 2}, B: {主持: 1.5}}",
                                             [entry(level="A", role="主持"), entry(level="B", role="主持")]),  # 11 → 11.5
    ("entries", "role_on_start"): KeyCase(REP_ROLES, "true", [entry(level="A", role="参与")]),  # 10 → 10 × 0.5
    # entries: count
    ("entries", "min_count"): KeyCase(COUNT, "2", [A]),  # 1 → 0
    ("entries", "points"): KeyCase(COUNT, "3", [A]),  # 1 → 3
    # entries: sum details
    ("entries", "group_size"): KeyCase({**SUM, "level_points": "{A: 5, B: 0.5}"}, "{B: 2}", [B]),  # 0.5 → 0 (1 of 2)
    ("entries", "level_caps"): KeyCase(SUM, "{A: 5}", [A, A]),  # 10 → 5
    ("entries", "max_entries"): KeyCase(SUM, "1", [A, B], "refused"),
    ("entries", "entry_flags"): KeyCase(SUM, "{filed: {label: 已备案, counts_when: true}}", [A]),  # 5 → 0 (not filed)
    ("entries", "windowed"): KeyCase(SUM, "false", [A], sheet="window: {label: 近一年, from: 2021-01-01}\n"),  # 0 → 5
    # entries: advice by design -- the points stay, a finding or notice is added
    ("entries", "level_notes"): KeyCase(SUM, "{A: 须附验收报告}", [A], "notice"),
    ("entries", "landmark_levels"): KeyCase(SUM, "[A]", [A], "finding"),
}


def item_yaml(fields: dict[str, str]) -> str:
    return "- " + "\n  ".join(f"{k}: {v}" for k, v in fields.items()) + "\n"


def build(shape: str, case: KeyCase, key: str | None) -> Sheet:
    fields = {"id": "x", "label": "测试项", "rule": shape, **case.item}
    if key is not None:
        fields[key.split(".")[0]] = case.variant
    return make_sheet(one_item(case.others + item_yaml(fields)) + case.sheet)


def outcome(sheet: Sheet, case: KeyCase) -> tuple[str, Any]:
    try:
        result = run(sheet, {**case.answers, "x": case.answer})
    except ClaimError as exc:
        return "refused", exc.lines
    return "scored", result


def test_the_table_covers_every_optional_key() -> None:
    expected = optional_keys()
    missing = sorted(expected - set(TABLE))
    stale = sorted(set(TABLE) - expected)
    assert not missing, f"optional keys without an every-key-has-effect row: {missing}"
    assert not stale, f"rows for keys that no longer exist (or are display-only): {stale}"


@pytest.mark.parametrize(("shape", "key"), sorted(TABLE), ids=[f"{s}.{k}" for s, k in sorted(TABLE)])
def test_every_key_has_effect(shape: str, key: str) -> None:
    case = TABLE[(shape, key)]
    base, variant = build(shape, case, None), build(shape, case, key)

    # the variant changes this key and nothing else
    before, after = base.items["x"].model_dump(), variant.items["x"].model_dump()
    top, _, sub = key.partition(".")
    assert {k for k in before if before[k] != after[k]} == {top}
    if sub:
        assert {k for k in before[top] if before[top][k] != after[top][k]} == {sub}

    kind_base, base_result = outcome(base, case)
    assert kind_base == "scored", f"the claim must be accepted under the base item: {base_result}"
    kind_variant, variant_result = outcome(variant, case)
    if case.effect == "refused":
        assert kind_variant == "refused", f"{key}: the claim should be refused under the variant"
        return
    assert kind_variant == "scored", f"the claim must be accepted under the variant: {variant_result}"
    if case.effect == "points":
        assert base_result.items["x"].points != variant_result.items["x"].points
    elif case.effect == "finding":
        assert base_result.items["x"].points == variant_result.items["x"].points
        assert (base_result.findings, len(variant_result.findings)) == ([], 1)
    else:
        assert base_result.items["x"].points == variant_result.items["x"].points
        assert (base_result.notices, len(variant_result.notices)) == ([], 1)


# exact numbers for a few rows, computed from the rows' comments (the table test only asks for "different")
@pytest.mark.parametrize(
    ("shape", "key", "base", "variant"),
    [
        ("linear", "whole_units", "5.5", "5"),
        ("linear", "below_offset", "-5", "0"),
        ("linear", "floor", "-10", "-5"),
        ("entries", "role_on_start", "10", "5"),
        ("entries", "group_size", "0.5", "0"),
        ("entries", "level_role_bonus", "11", "11.5"),
        ("tiers_by", "by_map", "5", "0"),
        ("record", "paths", "1", "0"),
    ],
)
def test_some_rows_exactly(shape: str, key: str, base: str, variant: str) -> None:
    case = TABLE[(shape, key)]
    got = [outcome(build(shape, case, k), case)[1].items["x"].points for k in (None, key)]
    assert got == [D(base), D(variant)]


# --- (i) every shape has an input in the app --------------------------------------------------------------


def test_every_shape_has_a_ui_input() -> None:
    if importlib.util.find_spec("ui.rules") is None:
        pytest.skip("ui/rules is not written yet: no per-shape inputs to check")
    ui_rules = importlib.import_module("ui.rules")
    inputs = ui_rules.INPUTS
    assert set(SHAPES) <= set(inputs), f"shapes without an input: {sorted(set(SHAPES) - set(inputs))}"
    for name in SHAPES:
        assert callable(getattr(inputs[name], "answer_input", None)), f"ui.rules.{name} has no answer_input"
        assert callable(getattr(inputs[name], "review_value", None)), f"ui.rules.{name} has no review_value"


def test_shapes_register_by_their_rule_name() -> None:
    assert {"band", "choice", "entries", "flag", "indicators", "linear", "record", "tiers", "tiers_by"} <= set(SHAPES)
    for name, shape in SHAPES.items():
        assert shape.model_fields["rule"].annotation.__args__ == (name,)


# --- (iii) lint refuses keys an aggregate ignores ----------------------------------------------------------

AGGREGATE_BASES = {
    "sum": SUM,
    "max": {"aggregate": "max", "level_points": "{A: 5, B: 3}", "cap": "5"},
    "count": COUNT,
    "representative_plus_bonus": REP,
}


def lint_problems(fields: dict[str, str]) -> str:
    with pytest.raises(SheetError) as exc:
        make_sheet(one_item(item_yaml({"id": "x", "label": "测试项", "rule": "entries", **fields})))
    return str(exc.value)


@pytest.mark.parametrize(
    ("aggregate", "key", "value"),
    [
        ("sum", "start", "{A: 10, B: 6}"),
        ("max", "min_count", "2"),
        ("count", "group_size", "{A: 2}"),
        ("representative_plus_bonus", "level_caps", "{A: 5}"),
    ],
)
def test_lint_refuses_a_key_the_aggregate_ignores(aggregate: str, key: str, value: str) -> None:
    message = lint_problems({**AGGREGATE_BASES[aggregate], key: value})
    assert f"sections[0].items[0].{key}: aggregate: {aggregate} 不使用 {key}；请删除，或换用使用它的计分方式" in message


def test_the_aggregate_bases_are_clean() -> None:
    for fields in AGGREGATE_BASES.values():
        make_sheet(one_item(item_yaml({"id": "x", "label": "测试项", "rule": "entries", **fields})))


def _entries_optional() -> set[str]:
    return {key for shape, key in optional_keys() if shape == "entries"}


def _ignored_pairs() -> list[tuple[str, str]]:
    return sorted(
        (aggregate, key)
        for aggregate, allowed in AGGREGATE_KEYS.items()
        for key in _entries_optional() - {"cap"}
        if key not in allowed
    )


@pytest.mark.parametrize(("aggregate", "key"), _ignored_pairs(), ids=[f"{a}-{k}" for a, k in _ignored_pairs()])
def test_lint_refuses_every_key_each_aggregate_ignores(aggregate: str, key: str) -> None:
    value = TABLE[("entries", key)].variant  # a valid value for the key, taken from the every-key table
    message = lint_problems({**AGGREGATE_BASES[aggregate], key: value})
    assert f"aggregate: {aggregate} 不使用 {key}" in message


def test_aggregate_keys_name_real_fields() -> None:
    every = set().union(*AGGREGATE_KEYS.values())
    assert every <= set(EntriesItem.model_fields), sorted(every - set(EntriesItem.model_fields))
    # every optional entries key is read by at least one aggregate
    assert _entries_optional() - {"cap"} <= every
