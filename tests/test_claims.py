"""Claim files: every mistake is refused in Chinese with its line, all at once."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scorer import ClaimError, SheetLibrary, claims_from_text, load_claims, score

MINING = "zhejiang-mining-senior-2021"


def _errors(text: str, library: SheetLibrary, filename: str = "c.yaml") -> list[str]:
    with pytest.raises(ClaimError) as info:
        claims_from_text(text, filename, library.sheets)
    return info.value.lines


def test_issue_example_claim_loads(library: SheetLibrary) -> None:
    text = """\
sheet: zhejiang-mining-senior-2021
level: 高级工程师
applicant: {name: 张三, current_title_date: 2014-07-01}
gates: {annual_review: true, social_insurance: 12,
        ce_hours_2021: {total: 96, public: 20, professional: 70}}
vetoes: {false_material: false}
answers:
  education: 本科
  years_in_title: 7
  mine_projects:
    - {level: 大型, role: 主持, date: 2018-05-01, title: 某矿技改工程, evidence: [合同.pdf]}
"""
    sheet, claims = claims_from_text(text, "c.yaml", library.sheets)
    result = score(sheet, claims)
    assert result.total == 6 + 3 + 30
    # not_civil_servant, years_as_engineer and one veto are unanswered: never reported as met
    assert result.verdict == "待确认"
    statuses = {g.id: g.status for g in result.gates}
    assert statuses["not_civil_servant"] == "unanswered"
    assert statuses["years_as_engineer"] == "unanswered"
    assert len(result.pending) == 3


def test_unknown_sheet(library: SheetLibrary) -> None:
    (line,) = _errors("sheet: no-such-sheet\nanswers: {}\n", library)
    assert line.startswith("c.yaml:1:8: sheet: 未知的评分表「no-such-sheet」；可用：")
    assert MINING in line


def test_unknown_item_lists_the_items(library: SheetLibrary) -> None:
    (line,) = _errors(f"sheet: {MINING}\nanswers:\n  educaton: 本科\n", library)
    assert line.startswith("c.yaml:3:13: answers.educaton: 本表没有项目「educaton」；可填：education、")


def test_option_not_in_sheet(library: SheetLibrary) -> None:
    (line,) = _errors(f"sheet: {MINING}\nanswers:\n  education: 研究生\n", library)
    assert line == "c.yaml:3:14: answers.education: 「研究生」不是本项的选项；可选：博士、硕士、本科、大专、中专及以下"


def test_negative_years(library: SheetLibrary) -> None:
    (line,) = _errors(f"sheet: {MINING}\nanswers:\n  years_in_title: -3\n", library)
    assert line == "c.yaml:3:19: answers.years_in_title: 任现职年限不能为负数（填写了 -3）"


def test_date_that_does_not_parse(library: SheetLibrary) -> None:
    text = f"sheet: {MINING}\nanswers:\n  mine_projects:\n    - {{level: 大型, role: 主持, date: 2018-13-45, title: 甲}}\n"
    (line,) = _errors(text, library)
    assert line.startswith("c.yaml:4:") and "2018-13-45" in line


def test_date_in_json_that_does_not_parse(library: SheetLibrary) -> None:
    data = {"sheet": MINING, "answers": {"mine_projects": [{"level": "大型", "role": "主持", "date": "2018/5/1"}]}}
    text = json.dumps(data, ensure_ascii=False)
    (line,) = _errors(text, library, "c.json")
    column = text.index('"2018/5/1"') + 1  # JSON refusals carry line:column like YAML ones
    assert line == (
        f"c.json:1:{column}: answers.mine_projects[0].date: 日期「2018/5/1」无法识别，请写成 YYYY-MM-DD（如 2018-05-01）"
    )


def test_wrong_level(library: SheetLibrary) -> None:
    (line,) = _errors("sheet: wenzhou-mining-exception-2021\nlevel: 高级工程师\nanswers: {}\n", library)
    assert line == "c.yaml:2:8: level: 申报级别「高级工程师」不在本表中；可选：助理工程师、工程师"


def test_missing_level_on_a_sheet_with_levels(library: SheetLibrary) -> None:
    (line,) = _errors("sheet: wenzhou-mining-exception-2021\nanswers: {}\n", library)
    assert "请填写 level：助理工程师、工程师" in line


def test_level_on_a_single_level_sheet(library: SheetLibrary) -> None:
    (line,) = _errors(f"sheet: {MINING}\nlevel: 工程师\nanswers: {{}}\n", library)
    assert "本表只用于 高级工程师" in line


def test_missing_rank_names_the_entry(library: SheetLibrary) -> None:
    text = f"sheet: {MINING}\nanswers:\n  papers:\n    - {{level: 核心期刊, date: 2019-01-01, title: 某论文}}\n"
    (line,) = _errors(text, library)
    assert "papers[0]" in line and "第1条「某论文」缺少 rank" in line


def test_level_and_role_must_be_known(library: SheetLibrary) -> None:
    text = f"sheet: {MINING}\nanswers:\n  mine_projects:\n    - {{level: 特大型, role: 指导, date: 2019-01-01}}\n"
    lines = _errors(text, library)
    assert any("「特大型」不是本项的级别；可选：大型、中型、小型" in line for line in lines)
    assert any("「指导」不是本项的角色；可选：主持、技术负责、参与" in line for line in lines)


def test_unknown_entry_key_and_flag(library: SheetLibrary) -> None:
    text = f"sheet: {MINING}\nanswers:\n  influence:\n    - {{level: 省级, date: 2019-01-01, filed: true}}\n"
    (line,) = _errors(text, library)
    assert "有未知字段「filed」" in line
    text = (
        "sheet: zhejiang-blasting-senior-2021\nanswers:\n  blasting_projects:\n"
        "    - {level: A级, role: 主持, date: 2019-01-01, filed: 是}\n"
    )
    (line,) = _errors(text, library)
    assert "blasting_projects[0].filed: 应填 true（是）或 false（否），实际为「是」" in line


def test_gate_answers_are_typed(library: SheetLibrary) -> None:
    text = f"sheet: {MINING}\ngates:\n  annual_review: '是'\n  social_insurance: 十二\n  nosuch: true\nanswers: {{}}\n"
    lines = _errors(text, library)
    assert len(lines) == 3
    assert "gates.annual_review: 应填 true（是）或 false（否）" in lines[0]
    assert "gates.social_insurance: 应填数字，实际为「十二」" in lines[1]
    assert "gates.nosuch: 本表没有申报条件「nosuch」" in lines[2]


def test_unknown_top_level_key(library: SheetLibrary) -> None:
    (line,) = _errors(f"sheet: {MINING}\nanswer: {{}}\n", library)
    assert "answer: 未知字段" in line


def test_yaml11_surprise_in_claims(library: SheetLibrary) -> None:
    (line,) = _errors(f"sheet: {MINING}\ngates: {{annual_review: yes}}\n", library)
    assert line.startswith("c.yaml:2:24: ") and "布尔值" in line


def test_all_problems_reported_at_once(library: SheetLibrary) -> None:
    text = f"sheet: {MINING}\nanswers:\n  education: 研究生\n  years_in_title: -1\n  grassroots: 省会\n"
    assert len(_errors(text, library)) == 3


def test_json_claim_file_round_trip(library: SheetLibrary, tmp_path: Path) -> None:
    case = tmp_path / "claim.json"
    data = {
        "sheet": "cixi-engineering-junior-2021",
        "answers": {"education": "大专", "professional_ce_hours": 45.5, "review_excellent": 1},
    }
    case.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    sheet, claims = load_claims(str(case), library.sheets)
    assert score(sheet, claims).total == 25 + 4 + 5
    again = claims_from_text(json.dumps(claims.to_data(), ensure_ascii=False, default=str), "x.json", library.sheets)[1]
    assert again.answers == claims.answers


def test_claim_file_not_utf8(library: SheetLibrary, tmp_path: Path) -> None:
    path = tmp_path / "gbk.yaml"
    path.write_bytes(f"sheet: {MINING}\nanswers: {{education: 本科}}\n".encode("gbk"))
    with pytest.raises(ClaimError, match="不是 UTF-8 编码"):
        load_claims(str(path), library.sheets)


def test_integer_input_refuses_fractions(library: SheetLibrary) -> None:
    (line,) = _errors("sheet: cixi-engineering-junior-2021\nanswers: {review_excellent: 1.5}\n", library)
    assert "应填整数" in line
