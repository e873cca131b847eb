"""The safe parser: YAML 1.1 surprises, duplicates and aliases are refused with their position."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import yaml

from scorer import safeyaml
from scorer.safeyaml import ParseError, parse_json, parse_yaml


@pytest.mark.parametrize("word", ["NO", "no", "Yes", "on", "OFF", "Off"])
def test_yaml11_booleans_are_refused_with_position(word: str) -> None:
    with pytest.raises(ParseError) as info:
        parse_yaml(f"a: 1\nanswer: {word}\n", "f.yaml")
    assert str(info.value).startswith("f.yaml:2:9: ")
    assert "布尔值" in str(info.value) and word in str(info.value)


@pytest.mark.parametrize("text", ["0012", "0x1F", "1:30", "0b101", "-017"])
def test_surprising_integers_are_refused(text: str) -> None:
    with pytest.raises(ParseError) as info:
        parse_yaml(f"code: {text}\n", "f.yaml")
    assert "f.yaml:1:7" in str(info.value)
    assert "加引号" in str(info.value)


def test_quoted_surprises_are_plain_text() -> None:
    data = parse_yaml('a: "NO"\nb: "0012"\nc: \'on\'\n').data
    assert data == {"a": "NO", "b": "0012", "c": "on"}


def test_true_false_and_numbers() -> None:
    data = parse_yaml("a: true\nb: false\nc: 12\nd: 0.25\ne: -3\nf: 0\n").data
    assert data == {"a": True, "b": False, "c": 12, "d": Decimal("0.25"), "e": -3, "f": 0}
    assert isinstance(data["d"], Decimal)


def test_decimals_are_exact() -> None:
    data = parse_yaml("x: 0.1\ny: 0.2\n").data
    assert data["x"] + data["y"] == Decimal("0.3")


def test_duplicate_key_names_both_lines() -> None:
    with pytest.raises(ParseError) as info:
        parse_yaml("id: a\ntitle: x\nid: b\n", "s.yaml")
    assert str(info.value).startswith("s.yaml:3:1: ")
    assert "第一次在第 1 行" in str(info.value)


def test_duplicate_option_label_has_pointed_message() -> None:
    with pytest.raises(ParseError) as info:
        parse_yaml("options:\n  本科: 5\n  大专: 3\n  本科: 4\n", "s.yaml")
    assert "s.yaml:4:3" in str(info.value)
    assert "同一选项标签只能写一次" in str(info.value)


def test_aliases_are_refused() -> None:
    with pytest.raises(ParseError, match="锚点与别名"):
        parse_yaml("a: &x [1, 2]\nb: *x\n")


def test_billion_laughs_is_refused_quickly() -> None:
    text = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8)
    )
    with pytest.raises(ParseError, match="锚点与别名"):
        parse_yaml(text)


@pytest.mark.parametrize("text", ["a: !!python/object:os.system {}\n", "a: !!python/name:os.system ''\n", "a: !custom 1\n"])
def test_unknown_tags_are_refused(text: str) -> None:
    with pytest.raises(ParseError, match="不支持的 YAML 标签"):
        parse_yaml(text)


def test_merge_keys_are_refused() -> None:
    with pytest.raises(ParseError):
        parse_yaml("base: {a: 1}\nb:\n  <<: {a: 2}\n")


def test_keys_are_the_text_typed() -> None:
    assert parse_yaml("2019: 18\nNO: 1\n").data == {"2019": 18, "NO": 1}


def test_dates() -> None:
    assert parse_yaml("d: 2018-05-01\n").data == {"d": dt.date(2018, 5, 1)}
    with pytest.raises(ParseError, match="只写日期"):
        parse_yaml("d: 2018-05-01 10:00:00\n")
    with pytest.raises(ParseError, match="不是存在的日期"):
        parse_yaml("d: 2021-02-30\n")


def test_syntax_error_has_position() -> None:
    with pytest.raises(ParseError) as info:
        parse_yaml("a: [1, 2\nb: 3\n", "bad.yaml")
    assert str(info.value).startswith("bad.yaml:")
    assert "YAML 语法错误" in str(info.value)


def test_positions_are_recorded() -> None:
    parsed = parse_yaml("a:\n  b:\n    - x\n    - y: 1\n")
    assert parsed.position_of(("a", "b", 1, "y")) == safeyaml.Position(4, 10)
    assert parsed.position_of(("a", "b", 1, "missing")) == safeyaml.Position(4, 7)


def test_folded_chinese_text_has_no_stray_spaces() -> None:
    data = parse_yaml("note: >-\n  评分细目系重建，\n  以官方附件为准。GB 6722\n  分级\n").data
    assert data["note"] == "评分细目系重建，以官方附件为准。GB 6722 分级"


def test_pure_python_and_libyaml_composers_agree() -> None:
    text = "a: true\nb: '1'\nc: 1.5\nd: [x, {e: 2019-01-02}]\nf: null\n"
    fast = parse_yaml(text).data
    original = safeyaml._Loader
    try:
        safeyaml._Loader = yaml.SafeLoader  # type: ignore[misc]
        slow = parse_yaml(text).data
    finally:
        safeyaml._Loader = original  # type: ignore[misc]
    assert fast == slow == {"a": True, "b": "1", "c": Decimal("1.5"), "d": ["x", {"e": dt.date(2019, 1, 2)}], "f": None}


def test_json_numbers_are_decimal_and_duplicates_refused() -> None:
    assert parse_json('{"a": 0.25, "b": 3}').data == {"a": Decimal("0.25"), "b": 3}
    with pytest.raises(ParseError, match="重复"):
        parse_json('{"a": 1, "a": 2}', "c.json")
    with pytest.raises(ParseError, match="不支持 NaN"):
        parse_json('{"a": NaN}')
    with pytest.raises(ParseError) as info:
        parse_json('{"a": 1,\n "b": }', "c.json")
    assert str(info.value).startswith("c.json:2:")


def test_empty_document() -> None:
    with pytest.raises(ParseError, match="空的"):
        parse_yaml("")
