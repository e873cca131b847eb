"""Sheet loading: every sheet loads, and each kind of authoring mistake is named at its line."""

from __future__ import annotations

import re
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from helpers import SHEETS_DIR, make_sheet, one_item, sheet_yaml

from scorer import SheetError, load_sheet
from scorer.loader import SheetLibrary
from scorer.maxima import sheet_max

LINE = re.compile(r"^test-sheet\.yaml:\d+:\d+: \S+: .+$")

EXPECTED_SHEETS = {
    # id: (maximum the items add up to, threshold text)
    "wenzhou-mining-exception-2021": Decimal(100),
    "zhejiang-mining-senior-2021": Decimal(100),
    "zhejiang-blasting-senior-2021": Decimal(100),
    "cixi-engineering-junior-2021": Decimal(195),
    "yongjia-construction-junior-2021": Decimal(90),
    "shaoxing-forestry-engineer-exception-2020": Decimal(6),
    # the two real tables (shared/reference/real): the sums of the rows' 合计 as printed
    "hangzhou-env-engineer-selfeval": Decimal(230),
    "zhejiang-construction-engineer-review": Decimal(137),  # 125 legible + 12 by the reading of 经历与能力
}
TRANSCRIBED = {"shaoxing-forestry-engineer-exception-2020", "hangzhou-env-engineer-selfeval",
               "zhejiang-construction-engineer-review"}


def test_all_sheets_load(library: SheetLibrary) -> None:
    assert set(library.sheets) == set(EXPECTED_SHEETS)
    for sheet_id, maximum in EXPECTED_SHEETS.items():
        assert sheet_max(library.sheets[sheet_id]) == maximum, sheet_id


def test_thresholds_match_the_reference(library: SheetLibrary) -> None:
    s = library.sheets
    assert s["zhejiang-mining-senior-2021"].threshold_for("高级工程师") == 80
    assert s["zhejiang-blasting-senior-2021"].threshold_for("高级工程师") == 80
    assert s["cixi-engineering-junior-2021"].threshold_for("助理工程师") == 120
    assert s["wenzhou-mining-exception-2021"].threshold_for("助理工程师") == 50
    assert s["wenzhou-mining-exception-2021"].threshold_for("工程师") == 60
    assert s["shaoxing-forestry-engineer-exception-2020"].threshold.kind == "count"
    assert s["shaoxing-forestry-engineer-exception-2020"].threshold.min == 3
    assert s["yongjia-construction-junior-2021"].threshold.kind == "rank"


def test_fidelity_is_stated(library: SheetLibrary) -> None:
    for sheet_id, sheet in library.sheets.items():
        assert sheet.fidelity == ("transcribed" if sheet_id in TRANSCRIBED else "reconstructed"), sheet_id
        assert sheet.fidelity_note


def test_blasting_reuses_mining_items_written_once(library: SheetLibrary) -> None:
    mining = library.sheets["zhejiang-mining-senior-2021"]
    blasting = library.sheets["zhejiang-blasting-senior-2021"]
    for item_id in ("research_projects", "awards", "papers", "patents_standards", "influence"):
        assert blasting.items[item_id] == mining.items[item_id]
    text = (SHEETS_DIR / "zhejiang-blasting-senior-2021.yaml").read_text(encoding="utf-8")
    assert "省部级一等奖" not in text  # the numbers live in the mining file only


def _error_lines(body: str, threshold: str = "threshold: {kind: total, min: 10}") -> list[str]:
    with pytest.raises(SheetError) as info:
        make_sheet(body, threshold)
    for line in info.value.lines:
        assert LINE.match(line), line
    return info.value.lines


def test_unknown_key_names_file_line_and_field() -> None:
    lines = _error_lines(one_item("- id: a\n  label: 学历\n  rule: choice\n  optoins: {本科: 5}\n"))
    expected = "test-sheet.yaml:22:18: sections[0].items[0].optoins: 未知字段（可能是拼写错误）；请删除或改成本表允许的字段名"
    assert expected in lines
    assert any("options" in line and "缺少必填字段" in line for line in lines)


def test_unknown_rule_lists_the_rules() -> None:
    (line,) = _error_lines(one_item("- id: a\n  label: 学历\n  rule: choise\n  options: {本科: 5}\n"))
    assert "rule 应为" in line and "choice" in line and "choise" in line


def test_cap_lower_than_one_entry_is_refused() -> None:
    (line,) = _error_lines(
        one_item("- id: p\n  label: 论文\n  rule: entries\n  aggregate: sum\n  level_points: {核心: 6}\n  cap: 5\n")
    )
    assert "sections[0].items[0].cap" in line and "封顶 5 低于单条最高分 6" in line


def test_cap_lower_than_one_entry_is_allowed_with_a_reason() -> None:
    sheet = make_sheet(
        one_item(
            "- id: p\n  label: 奖\n  rule: entries\n  aggregate: sum\n  level_points: {国家级: 20}\n  cap: 15\n"
            "  entry_may_exceed_cap: 原表如此\n"
        )
    )
    assert sheet.items["p"].cap == 15


def test_exclusive_group_naming_unknown_item() -> None:
    body = one_item("- id: a\n  label: 甲\n  rule: flag\n") + (
        "exclusive_groups:\n  - id: g\n    label: 取高\n    items: [a, nosuch]\n"
    )
    (line,) = _error_lines(body)
    assert "exclusive_groups[0].items[1]" in line and "不存在的项目「nosuch」" in line


def test_option_label_used_twice() -> None:
    with pytest.raises(SheetError) as info:
        make_sheet(one_item("- id: a\n  label: 学历\n  rule: choice\n  options:\n    本科: 5\n    本科: 4\n"))
    (line,) = info.value.lines
    assert line.startswith("test-sheet.yaml:24:11:") and "同一选项标签只能写一次" in line


@pytest.mark.parametrize("surprise", ["NO", "0012"])
def test_yaml11_surprise_in_sheet(surprise: str) -> None:
    with pytest.raises(SheetError) as info:
        make_sheet(one_item(f"- id: a\n  label: 学历\n  rule: choice\n  options: {{本科: {surprise}}}\n"))
    assert info.value.lines[0].startswith("test-sheet.yaml:22:23:")


def test_duplicate_item_ids() -> None:
    lines = _error_lines(one_item("- id: a\n  label: 甲\n  rule: flag\n- id: a\n  label: 乙\n  rule: flag\n"))
    assert any("id「a」重复" in line for line in lines)


def test_sum_without_cap_and_two_point_tables() -> None:
    lines = _error_lines(
        one_item(
            "- id: p\n  label: 论文\n  rule: entries\n  aggregate: sum\n  level_points: {核心: 6}\n  entry_points: 2\n"
        )
    )
    assert any("须写且只写一个分值表" in line for line in lines)


def test_path_testing_unknown_field() -> None:
    body = "gates:\n  - id: g\n    question: 条件\n    type: record\n    fields:\n      years: {label: 年限, type: number}\n"
    body += "    paths:\n      - label: 路径\n        when: {yaers: {min: 3}}\n"
    body += one_item("- id: a\n  label: 甲\n  rule: flag\n")
    (line,) = _error_lines(body)
    assert "gates[0].paths[0].when.yaers" in line and "未定义的字段" in line


def test_threshold_by_level_must_match_levels() -> None:
    lines = _error_lines(
        one_item("- id: a\n  label: 甲\n  rule: flag\n"), "threshold: {kind: total, by_level: {助理工程师: 50}}"
    )
    assert any("threshold.by_level" in line for line in lines)


def test_stated_maximum_must_add_up() -> None:
    item = one_item("- id: a\n  label: 甲\n  rule: flag\n  points: 5\n")
    lines = _error_lines(item, "threshold: {kind: total, min: 3, of: 10}")
    assert any("写明满分 10，但各项按封顶合计为 5" in line for line in lines)


def test_broken_sheet_file_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "test-sheet.yaml"
    path.write_text(sheet_yaml("sections: []\n"), encoding="utf-8")
    with pytest.raises(SheetError) as info:
        load_sheet(path)
    assert info.value.lines[0].startswith(f"{path}:")


def test_file_name_must_match_id(tmp_path: Path) -> None:
    path = tmp_path / "other-name.yaml"
    path.write_text(sheet_yaml(one_item("- id: a\n  label: 甲\n  rule: flag\n")), encoding="utf-8")
    with pytest.raises(SheetError, match="文件名应与 id 一致"):
        load_sheet(path)


def test_reference_to_unknown_item(tmp_path: Path) -> None:
    shutil.copy(SHEETS_DIR / "zhejiang-mining-senior-2021.yaml", tmp_path)
    body = one_item("- use: zhejiang-mining-senior-2021#no_such_item\n")
    (tmp_path / "test-sheet.yaml").write_text(sheet_yaml(body), encoding="utf-8")
    with pytest.raises(SheetError) as info:
        load_sheet(tmp_path / "test-sheet.yaml")
    assert "没有项目「no_such_item」" in info.value.lines[0] and ":19:14:" in info.value.lines[0]


def test_library_keeps_going_past_a_broken_sheet(tmp_path: Path) -> None:
    shutil.copy(SHEETS_DIR / "cixi-engineering-junior-2021.yaml", tmp_path)
    (tmp_path / "broken.yaml").write_text("id: broken\ntitle: [\n", encoding="utf-8")
    library = SheetLibrary(tmp_path)
    assert list(library.sheets) == ["cixi-engineering-junior-2021"]
    assert len(library.errors) == 1
