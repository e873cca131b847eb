"""Issue 9, roster template: Chinese titles and labels accepted beside ids; the template's own
examples come back as they went out (no 填写矛盾, nothing carried from one applicant to the next)."""

from __future__ import annotations

from typing import Any

import pytest
from batchgen import SHEETS, clean

from scorer import SheetLibrary
from scorer.batch import (
    ROSTER_COLUMNS,
    Source,
    roster_csv,
    roster_rows,
    run_batch,
    sources_from_bytes,
    template_claims,
)
from scorer.cases import case_claims, case_files, load_case_file
from scorer.loader import sheets_dir
from scorer.model import Sheet
from scorer.numbers import fmt


def csv_of(rows: list[dict[str, Any]]) -> bytes:
    lines = [",".join(ROSTER_COLUMNS)]
    for row in rows:
        lines.append(",".join(str(row.get(c, "")).replace(",", "，") for c in ROSTER_COLUMNS))
    return ("\r\n".join(lines) + "\r\n").encode("utf-8-sig")


def _sub_words(obj: Any, sub: str) -> str:
    fields = getattr(obj, "fields", None)
    if isinstance(fields, dict) and sub in fields:
        return fields[sub].label
    if getattr(obj, "rule", None) == "band":
        return {"band": "档次", "points": "分值"}[sub]
    if getattr(obj, "rule", None) == "tiers_by":
        return {"value": obj.input.label, "row": obj.row_label}[sub]
    return sub


def in_words(rows: list[dict[str, Any]], sheet: Sheet) -> list[dict[str, Any]]:
    """The same roster as a clerk writes it: the sheet's short title and every 编号 in the sheet's words."""
    gates = {g.id: g for g in sheet.gates}
    vetoes = {v.id: v for v in sheet.vetoes}
    out = []
    for n, row in enumerate(rows):
        row = dict(row)
        if row["评分表"]:
            row["评分表"] = " " + sheet.short_title + " "
        ident, _, sub = row["编号"].partition(".")
        dot = "．" if n % 2 else "."  # the full-width dot a Chinese input method types works too
        if row["类别"] == "条件":
            row["编号"] = gates[ident].question + (dot + _sub_words(gates[ident], sub) if sub else "")
        elif row["类别"] == "否决":
            row["编号"] = vetoes[ident].question
        else:
            item = sheet.items[ident]
            words = item.label + (dot + _sub_words(item, sub) if sub else "")
            row["编号"] = " ".join(words) if n % 3 == 0 else words  # spaces are ignored
        out.append(row)
    return out


@pytest.mark.parametrize("sheet_id", SHEETS)
def test_roster_in_the_sheets_own_words_scores_as_with_ids(sheet_id: str, library: SheetLibrary) -> None:
    sheet = library.sheets[sheet_id]
    claim = clean(sheet_id, "张三")
    rows = roster_rows(claim)
    by_id = sources_from_bytes("名册.csv", csv_of(rows), library.sheets)
    by_words = sources_from_bytes("名册.csv", csv_of(in_words(rows, sheet)), library.sheets)
    assert by_id[1] == [] and by_words[1] == [], [e.lines for e in by_words[1]]
    assert by_words[0][0].data == by_id[0][0].data
    direct = run_batch([Source("张三", data=claim)], library.sheets).rows[0]
    row = run_batch(by_words[0], library.sheets).rows[0]
    assert fmt(row.result.total) == fmt(direct.result.total)
    assert [f.code for f in row.flags] == [f.code for f in direct.flags] == []


def test_the_title_and_the_gate_question_with_field_label(library: SheetLibrary) -> None:
    sheet = library.sheets["cixi-engineering-junior-2021"]
    text = (
        "申报人,评分表,类别,编号,值\n"
        f"张三,{sheet.title},条件,2019、2020、2021年每年一般公需科目学时.2019年一般公需,20\n"
        ",,条件,public_ce_hours.2020,18\n"  # ids and words mixed in one roster
        ",,项目,学历,大专\n"
    )
    sources, errors = sources_from_bytes("名册.csv", text.encode(), library.sheets)
    assert errors == []
    assert sources[0].data == {"sheet": sheet.id, "applicant": {"name": "张三"},
                               "gates": {"public_ce_hours": {"2019": "20", "2020": "18"}},
                               "answers": {"education": "大专"}}


def test_unknown_labels_are_row_errors_naming_the_allowed_ones(library: SheetLibrary) -> None:
    text = (
        "申报人,评分表,类别,编号,值\n"
        "张三,慈溪工程初级量化评价,项目,学位,本科\n"
        ",,条件,2019、2020、2021年每年一般公需科目学时.2018年一般公需,20\n"
        ",,否决,从未违法,否\n"
        ",,项目,学历,大专\n"
        "李四,慈溪工程初级,项目,学历,大专\n"
    )
    sources, errors = sources_from_bytes("名册.csv", text.encode(), library.sheets)
    assert [s.data["answers"] for s in sources if s.data] == [{"education": "大专"}]  # the good row is kept
    lines = [e.lines[0] for e in errors]
    assert lines[0].startswith("名册.csv 第2行：编号「学位」不是本表的评分项；可填编号或名称：")
    assert "学历（education）" in lines[0]
    assert lines[1].startswith("名册.csv 第3行：申报条件「2019、2020、2021年每年一般公需科目学时」没有「2018年一般公需」这一栏；")
    assert "2019年一般公需（2019）" in lines[1]
    assert lines[2].startswith("名册.csv 第4行：编号「从未违法」不是本表的否决项")
    assert lines[3].startswith("名册.csv 第6行：未知的评分表「慈溪工程初级」；可填编号或表名：") and \
        "慈溪工程初级量化评价（cixi-engineering-junior-2021）" in lines[3]


def test_ambiguous_labels_are_row_errors(library: SheetLibrary) -> None:
    cixi = library.sheets["cixi-engineering-junior-2021"]
    gates = [g.model_copy(update={"question": "同一问题"}) if g.id in ("annual_review", "not_civil_servant") else g
             for g in cixi.gates]
    twin = cixi.model_copy(update={"id": "cixi-engineering-junior-2022", "gates": gates})
    sheets = {**library.sheets, twin.id: twin}
    text = (
        "申报人,评分表,类别,编号,值\n"
        "张三,慈溪工程初级量化评价,项目,学历,大专\n"
        "李四,cixi-engineering-junior-2022,条件,同一问题,是\n"
        ",,条件,annual_review,是\n"  # the id still works
    )
    sources, errors = sources_from_bytes("名册.csv", text.encode(), sheets)
    lines = [e.lines[0] for e in errors]
    assert lines[0] == ("名册.csv 第2行：评分表「慈溪工程初级量化评价」有歧义，可指 cixi-engineering-junior-2021、"
                        "cixi-engineering-junior-2022；请改填评分表编号")
    assert lines[1] == ("名册.csv 第3行：编号「同一问题」有歧义，可指 同一问题（annual_review）、同一问题（not_civil_servant）；"
                        "请改填编号")
    assert [s.data.get("gates") for s in sources if s.data] == [{"annual_review": True}]


def test_applicant_columns_are_not_carried_to_the_next_applicant(library: SheetLibrary) -> None:
    text = (
        "申报人,单位,评分表,申报级别,现职称取得日期,类别,编号,值\n"
        "张三,甲公司,wenzhou-mining-exception-2021,工程师,2014-07-01,项目,education,大专\n"
        ",,,,,项目,years_in_specialty,8\n"
        "李四,,zhejiang-mining-senior-2021,,,项目,education,本科\n"
        "李四,,,,,项目,years_in_title,3\n"  # the name repeated on every row is the same applicant
    )
    sources, errors = sources_from_bytes("名册.csv", text.encode(), library.sheets)
    assert errors == []
    first, second = (s.data for s in sources)
    assert first["applicant"] == {"name": "张三", "unit": "甲公司", "current_title_date": "2014-07-01"}
    assert first["level"] == "工程师" and first["answers"] == {"education": "大专", "years_in_specialty": "8"}
    assert second == {"sheet": "zhejiang-mining-senior-2021", "applicant": {"name": "李四"},
                      "answers": {"education": "本科", "years_in_title": "3"}}


def test_entry_fields_without_a_column_go_through_the_mark_column(library: SheetLibrary) -> None:
    """points, category and the like travel in 标记; points=1 stays a number (not 是)."""
    case_file, parsed = load_case_file(sheets_dir() / "cases" / "hangzhou-env-engineer-selfeval.yaml")
    claim = case_claims(case_file, parsed, 0).data
    sources, errors = sources_from_bytes("名册.csv", roster_csv([claim]), library.sheets)
    assert errors == []
    row = run_batch(sources, library.sheets).rows[0]
    assert "invalid" not in [f.code for f in row.flags]
    assert fmt(row.result.total) == "226"
    awards = sources[0].data["answers"]["awards"]
    assert awards[0]["points"] == str(claim["answers"]["awards"][0]["points"])
    text = ("申报人,评分表,类别,编号,级别,日期,名称,佐证材料,标记\n"
            "张三,zhejiang-blasting-senior-2021,业绩,blasting_projects,A级,2019-01-01,甲,a.pdf,已在民爆信息系统备案=是；points=1\n")
    entry = sources_from_bytes("名册.csv", text.encode(), library.sheets)[0][0].data["answers"]["blasting_projects"][0]
    assert entry["filed"] is True and entry["points"] == "1"  # a flag by its words; a number left a number


def _old_template(sheets: dict[str, Sheet]) -> list[dict[str, Any]]:
    """What the page offered before: the first worked example of every sheet, as merged with ``common``."""
    out = []
    for path in case_files(sheets_dir() / "cases"):
        case_file, parsed = load_case_file(path)
        out.append(case_claims(case_file, parsed, 0).data)
    return out


def test_the_template_uploaded_unchanged_raises_no_contradiction(library: SheetLibrary) -> None:
    examples = template_claims(library.sheets)
    assert sorted(e["sheet"] for e in examples) == sorted(library.sheets)  # one example per sheet
    sources, errors = sources_from_bytes("职称自评分名册模板.csv", roster_csv(examples), library.sheets)
    assert errors == []
    batch = run_batch(sources, library.sheets)
    assert batch.errors == []
    assert [f.text() for r in batch.rows for f in r.flags if f.code in ("contradiction", "invalid")] == []
    direct = run_batch([Source(e["sheet"], data=e) for e in examples], library.sheets)
    assert [(r.sheet.id, r.result.total) for r in batch.rows] == [(r.sheet.id, r.result.total) for r in direct.rows]
    for row, example in zip(batch.rows, examples, strict=True):  # each example comes back as it went out
        applicant = example.get("applicant", {})
        assert (row.claims.applicant.unit or None) == applicant.get("unit")
        assert str(row.claims.applicant.current_title_date or "") == str(applicant.get("current_title_date") or "")
        assert row.claims.level == example.get("level", row.claims.level)


def test_the_worked_examples_contradict_themselves(library: SheetLibrary) -> None:
    """Why the old template was flagged: case 0 of the mining sheet claims 任现职 10 年 under a
    common current_title_date of 2014-07-01 (7 years to 2021); the template now takes a sound one."""
    old = [r for r in run_batch([Source(d["sheet"], data=d) for d in _old_template(library.sheets)],
                                library.sheets).rows if any(f.code == "contradiction" for f in r.flags)]
    assert "zhejiang-mining-senior-2021" in [r.sheet.id for r in old]
    mining = next(e for e in template_claims(library.sheets) if e["sheet"] == "zhejiang-mining-senior-2021")
    assert mining != _old_template(library.sheets)[-1]
