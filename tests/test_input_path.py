"""The input path (issue 9): numbers, dates and text that once froze, crashed or slipped through.

Each test names the input that misbehaved and asserts what happens now: a Chinese refusal with its
file:line:column, at once, or an exact score.
"""

from __future__ import annotations

import io
import json
import time
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from helpers import SHEETS_DIR, make_sheet, one_item

from scorer import ClaimError, SheetLibrary, claims_from_text, score
from scorer.cells import CELL_LIMIT, safe_text
from scorer.export import to_xlsx
from scorer.loader import SheetLibrary as Library
from scorer.numbers import fmt

MINING = "zhejiang-mining-senior-2021"
D = Decimal


def refused(text: str, library: SheetLibrary, filename: str = "c.yaml") -> list[str]:
    started = time.perf_counter()
    with pytest.raises(ClaimError) as info:
        claims_from_text(text, filename, library.sheets)
    assert time.perf_counter() - started < 2, "a refusal must come at once"
    return info.value.lines


def one_line(text: str, library: SheetLibrary, filename: str = "c.yaml") -> str:
    (line,) = refused(text, library, filename)
    return line


PROJECT = "answers:\n  research_projects:\n    - {{level: 省部级, rank: {rank}, date: 2019-01-01, title: 甲}}\n"


@pytest.mark.parametrize(("rank", "message"), [("1e999999999", "科学计数法"), ("1.0e+5000", "不能超过 999"),
                                              ("1000", "不能超过 999")])
def test_a_huge_rank_is_refused_at_once_with_the_bound(rank: str, message: str, library: SheetLibrary) -> None:
    line = one_line(f"sheet: {MINING}\n" + PROJECT.format(rank=rank), library)
    assert line.startswith("c.yaml:4:26: answers.research_projects[0].rank: ")
    assert message in line


def test_a_huge_json_rank_is_refused_at_once(library: SheetLibrary) -> None:
    text = (f'{{"sheet": "{MINING}", "answers": {{"research_projects": [{{"level": "省部级", "rank": 1e999999999, '
            '"date": "2019-01-01"}]}}')
    assert "不能超过 999（填写了 1E+999999999）" in one_line(text, library, "c.json")


def test_a_huge_number_of_years_is_refused_with_the_sheets_bound(library: SheetLibrary) -> None:
    line = one_line(f"sheet: {MINING}\nanswers:\n  years_in_title: 1.0e+999999999\n", library)
    assert line == "c.yaml:3:19: answers.years_in_title: 任现职年限不能超过 60（填写了 1.0E+999999999）"


def test_a_5000_digit_integer_is_refused_by_the_reader(library: SheetLibrary) -> None:
    line = one_line(f"sheet: {MINING}\nanswers:\n  years_in_title: {'9' * 5000}\n", library)
    assert line == "c.yaml:3:19: 数字位数过多（5000 位）；若是编号或文字请加引号"


def test_json_nested_50000_deep_is_refused_with_a_position(library: SheetLibrary) -> None:
    text = '{{"sheet": "{}", "answers": {{"x": {}{}}}}}'.format(MINING, "[" * 50000, "]" * 50000)
    line = one_line(text, library, "c.json")
    assert line.startswith("c.json:1:") and "嵌套层级过深" in line


def test_json_refusals_carry_line_and_column(library: SheetLibrary) -> None:
    text = f'{{\n  "sheet": "{MINING}",\n  "answers": {{"years_in_title": "十年"}}\n}}'
    assert one_line(text, library, "c.json") == 'c.json:3:33: answers.years_in_title: 任现职年限应填数字，实际为「十年」'


@pytest.mark.parametrize("title", ["[a, b]", "{a: 1}"])
def test_a_title_must_be_text(title: str, library: SheetLibrary) -> None:
    text = f"sheet: {MINING}\nanswers:\n  papers:\n    - {{level: 核心期刊, rank: 1, date: 2019-01-01, title: {title}}}\n"
    assert "名称应为文字" in one_line(text, library)


@pytest.mark.parametrize("value", ["0", "20200315", "2018-W37-1", '"2014/07/01"'])
def test_a_current_title_date_is_yyyy_mm_dd_only(value: str, library: SheetLibrary) -> None:
    line = one_line(f"sheet: {MINING}\napplicant: {{current_title_date: {value}}}\nanswers: {{}}\n", library)
    assert "applicant.current_title_date" in line and "YYYY-MM-DD" in line


@pytest.mark.parametrize("value", ['"20200315"', '"2018-W37-1"', "20200315"])
def test_an_entry_date_is_yyyy_mm_dd_only(value: str, library: SheetLibrary) -> None:
    text = f"sheet: {MINING}\nanswers:\n  papers:\n    - {{level: 核心期刊, rank: 1, date: {value}, title: 甲}}\n"
    assert "请写成 YYYY-MM-DD" in one_line(text, library)


@pytest.mark.parametrize(("given", "message"), [
    ('"012"', "有前导 0"),
    ('"1_000"', "应填数字"),
    ('"１２"', "请用半角阿拉伯数字填写"),
    ('"١٢"', "请用半角阿拉伯数字填写"),
])
def test_numbers_in_strings_are_read_as_yaml_reads_them(given: str, message: str, library: SheetLibrary) -> None:
    as_yaml = one_line(f"sheet: {MINING}\nanswers:\n  years_in_title: {given}\n", library)
    as_json = one_line(f'{{"sheet": "{MINING}", "answers": {{"years_in_title": {given}}}}}', library, "c.json")
    assert message in as_yaml and message in as_json
    assert as_yaml.split(": ", 2)[2] == as_json.split(": ", 2)[2]  # the same words in YAML and JSON


def test_unquoted_yaml_numbers_with_leading_zeros_are_refused_as_before(library: SheetLibrary) -> None:
    assert "前导 0" in one_line(f"sheet: {MINING}\nanswers:\n  years_in_title: 012\n", library)


PRECISION = """\
- id: base
  label: 基本分
  rule: linear
  input: {label: 基本分, max: 100}
  points_per_unit: 1
  cap: 100
- id: tiny
  label: 加分
  rule: linear
  input: {label: 加分, max: 1}
  points_per_unit: 0.1
  cap: 1
"""


def test_precision_is_wide_enough_that_79_point_99_stays_below_80() -> None:
    from helpers import claims_for

    sheet = make_sheet(one_item(PRECISION), "threshold: {kind: total, min: 80}")
    claims = claims_for(sheet, {"answers": {"base": "79.98", "tiny": "0.19999999999999999999999999999"}})
    result = score(sheet, claims)
    # 79.98 + 0.1 x 0.19999999999999999999999999999 = 79.999999999999999999999999999999, by hand
    assert result.total == D("79.999999999999999999999999999999")
    assert fmt(result.total) == "79.999999999999999999999999999999"
    assert result.verdict == "未达到"


def test_more_than_30_significant_digits_are_refused(library: SheetLibrary) -> None:
    line = one_line(f"sheet: {MINING}\nanswers:\n  years_in_title: 9.{'9' * 30}\n", library)
    assert "位数过多" in line


@pytest.mark.parametrize("tiny", ["1.0e-999999999", "1.5E-31", f"0.{'0' * 30}1"])
def test_more_than_30_decimal_places_are_refused(library: SheetLibrary, tiny: str) -> None:
    """One significant digit, but a billion places (1.0e-999999999: a gigabyte to write out, and a sum that no
    context of 200 digits holds exactly): refused before anything adds or writes it."""
    assert "小数位数过多（最多 30 位小数）" in one_line(f"sheet: {MINING}\nanswers:\n  years_in_title: {tiny}\n", library)


def test_30_decimal_places_are_taken(library: SheetLibrary) -> None:
    from helpers import claims_for

    claims = claims_for(library.sheets[MINING], {"answers": {"years_in_title": f"0.{'0' * 29}1"}})
    assert claims.answers["years_in_title"] == D("1E-30")


CONTROL_CASES = [
    "applicant: {name: \"张\\x01三\"}\nanswers: {}\n",
    "answers:\n  papers:\n    - {level: 核心期刊, rank: 1, date: 2019-01-01, title: \"甲\\0乙\"}\n",
]


@pytest.mark.parametrize("where", CONTROL_CASES)
def test_control_characters_are_refused_at_input(where: str, library: SheetLibrary) -> None:
    assert "控制字符" in one_line(f"sheet: {MINING}\n{where}", library)


def test_exports_drop_control_characters_and_say_when_a_cell_is_cut(library: SheetLibrary) -> None:
    assert safe_text("甲\x01乙\x00") == "甲乙"
    long = safe_text("字" * 40_000)
    assert len(long) == CELL_LIMIT and long.endswith("（内容过长，已截断；原文共 40000 个字符）")
    # a name that slipped past the claim check (built in code) still gives a whole workbook
    _, claims = claims_from_text(f"sheet: {MINING}\napplicant: {{name: 张三}}\nanswers: {{}}\n", "c.yaml", library.sheets)
    sheet = library.sheets[MINING]
    claims.applicant.name = "张\x01三"
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx(sheet, claims, score(sheet, claims))))
    assert any("申报人：张三" in str(c.value) for row in book.active.iter_rows() for c in row if c.value)


# --- sheets ---------------------------------------------------------------------------------------------------


def _lint(tmp_path: Path, old: str, new: str, sheet_id: str = MINING) -> list[str]:
    for path in SHEETS_DIR.glob("*.yaml"):
        (tmp_path / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    target = tmp_path / f"{sheet_id}.yaml"
    text = target.read_text(encoding="utf-8")
    assert old in text
    target.write_text(text.replace(old, new, 1), encoding="utf-8")
    library = Library(tmp_path)
    return [line for exc in library.errors.values() for line in exc.lines if f"{sheet_id}.yaml" in line.split(": ")[0]]


def test_lint_refuses_negative_option_points(tmp_path: Path) -> None:
    (line,) = _lint(tmp_path, "本科: 6,", "本科: -6,")
    assert "sections[0].items[0].options.本科" in line and "不能为负数" in line


def test_lint_refuses_a_line_above_the_stated_maximum(tmp_path: Path) -> None:
    (line,) = _lint(tmp_path, "  min: 80\n", "  min: 1000\n")
    assert "threshold.min: 分数线 1000 高于写明的满分 100" in line


def test_lint_refuses_an_end_before_the_start(tmp_path: Path) -> None:
    (line,) = _lint(tmp_path, "effective: {from: 2021-01-01, to: 2021-12-31}", "effective: {from: 2021-01-01, to: 2020-12-31}")
    assert "effective.to: 有效期截止 2020-12-31 早于起始 2021-01-01" in line


def test_a_sheet_with_a_huge_cap_hides_no_other_sheet(tmp_path: Path) -> None:
    lines = _lint(tmp_path, "    cap: 25\n", "    cap: 1e999999999\n")
    assert lines and "sections[0].cap" in lines[0] and "数字过大" in lines[0]
    library = Library(tmp_path)
    # only the broken sheet and the one that reuses its items are missing
    assert set(SheetLibrary(SHEETS_DIR).sheets) - set(library.sheets) == {MINING, "zhejiang-blasting-senior-2021"}


def test_json_and_yaml_give_the_same_claims(library: SheetLibrary) -> None:
    data = {"sheet": MINING, "applicant": {"current_title_date": "2014-07-01"},
            "answers": {"years_in_title": "7.5", "papers": [{"level": "核心期刊", "rank": 1, "date": "2019-01-01"}]}}
    _, from_json = claims_from_text(json.dumps(data, ensure_ascii=False), "c.json", library.sheets)
    yaml_text = (f"sheet: {MINING}\napplicant: {{current_title_date: 2014-07-01}}\nanswers:\n  years_in_title: 7.5\n"
                 "  papers:\n    - {level: 核心期刊, rank: 1, date: 2019-01-01}\n")
    _, from_yaml = claims_from_text(yaml_text, "c.yaml", library.sheets)
    assert from_json.answers == from_yaml.answers and from_json.applicant == from_yaml.applicant


def test_draft_problems_name_the_item_and_row_not_the_internal_path(library: SheetLibrary) -> None:
    from scorer.claims import draft_claims

    sheet = library.sheets[MINING]
    data = {"sheet": MINING, "answers": {"papers": [
        {"level": "核心期刊", "rank": 1, "date": "2018/05/01", "title": "甲"},
        {"level": "核心期刊", "rank": 1, "date": "2019-05-01", "title": "乙"},
    ]}, "applicant": {"current_title_date": "2014-07-01"}}
    claims, problems = draft_claims(data, sheet)
    assert problems == ["论文著作 · 第1条：日期「2018/05/01」无法识别，请写成 YYYY-MM-DD（如 2018-05-01）"]
    assert not any("answers." in p for p in problems)
    # the valid row keeps its own number: table row 2 is 第2条, not 第1条
    result = score(sheet, claims)
    assert [er.name for er in result.items["papers"].entries] == ["第2条「乙」"]
