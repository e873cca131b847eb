"""Exports of the applicant's sheet: laid out like the form, exact, and safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import openpyxl
import pytest
from helpers import CASES_DIR

from scorer import SheetLibrary, claims_from_data, score
from scorer.cases import case_claims, load_case_file
from scorer.cells import FORMULA_STARTS, exact_number, number_format, safe_text
from scorer.export import form_csv, form_rows, to_html, to_xlsx


@pytest.mark.parametrize("start", FORMULA_STARTS)
def test_safe_text_neutralises_every_formula_start(start: str) -> None:
    assert safe_text(f"{start}SUM(A1)") == f"'{start}SUM(A1)"
    assert safe_text(f"a{start}b") == f"a{start}b"


def _mining(library: SheetLibrary, evil: str):  # type: ignore[no-untyped-def]
    case_file, parsed = load_case_file(CASES_DIR / "zhejiang-mining-senior-2021.yaml")
    data = case_claims(case_file, parsed, 0).data
    data["applicant"] = {**data["applicant"], "name": evil, "unit": "@unit"}
    data["answers"]["mine_projects"][0]["title"] = evil
    data["answers"]["mine_projects"][0]["evidence"] = ["-1+1", "\tTAB"]
    sheet, claims = claims_from_data(data, library.sheets)
    return sheet, claims, score(sheet, claims)


def test_xlsx_reads_back_like_the_form_and_is_formula_safe(library: SheetLibrary) -> None:
    evil = '=HYPERLINK("http://example.invalid","点我")'
    sheet, claims, result = _mining(library, evil)
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx(sheet, claims, result, {"education|": True})))
    rows = list(book["自评分表"].iter_rows(values_only=True))
    assert rows[0][0] == sheet.title
    assert any("本表为重建版本" in str(r[0]) for r in rows[:6])
    sections = [(r[1], r[4], r[5]) for r in rows if r[0] in ("一", "二", "三")]
    assert sections == [("经历与能力", 19, 25), ("工作业绩", 45, 45), ("成果与影响", 16, 30)]
    assert next(r for r in rows if r[1] == "合计")[4] == 80
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    assert not cell.value.startswith(FORMULA_STARTS), (ws.title, cell.value)
    assert any(f"「{evil}」" in str(v) for r in rows for v in r)  # inside a cell: harmless, kept as typed
    assert "'-1+1、\tTAB" in [r[6] for r in rows]  # a cell that starts with "-" gets the apostrophe
    ticks = list(book["佐证清单"].iter_rows(values_only=True))
    assert any(r[1] == "学历学位" and r[-1] == "是" for r in ticks)


def test_csv_is_formula_safe_with_bom(library: SheetLibrary) -> None:
    sheet, _, result = _mining(library, "+cmd|' /C calc'!A0")
    raw = form_csv(sheet, result)
    assert raw.startswith("\ufeff".encode())
    cells = [c for row in csv.reader(io.StringIO(raw.decode("utf-8-sig"))) for c in row]
    assert "'-1+1、\tTAB" in cells
    assert all(not c.startswith(FORMULA_STARTS) for c in cells if c)


def test_html_escapes_everything(library: SheetLibrary) -> None:
    sheet, claims, result = _mining(library, "<script>alert(1)</script>")
    page = to_html(sheet, claims, result)
    assert "<script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "结论：达到" in page


def test_roster_template_xlsx_reads_back_as_the_csv_does(library: SheetLibrary) -> None:
    """The Excel template is the CSV's rows in a workbook: uploaded unchanged, every example scores the same."""
    from scorer.batch import ROSTER_COLUMNS, roster_csv, run_batch, sources_from_bytes, template_claims
    from scorer.export import roster_xlsx

    examples = template_claims(library.sheets)
    raw = roster_xlsx(examples)
    header = next(openpyxl.load_workbook(io.BytesIO(raw)).active.iter_rows(values_only=True))
    assert list(header) == ROSTER_COLUMNS
    from_xlsx, errors = sources_from_bytes("名册模板.xlsx", raw, library.sheets)
    assert errors == []
    from_csv, _ = sources_from_bytes("名册模板.csv", roster_csv(examples), library.sheets)
    scored = [(r.sheet.id, r.result.total, r.result.verdict) for r in run_batch(from_xlsx, library.sheets).rows]
    assert scored == [(r.sheet.id, r.result.total, r.result.verdict) for r in run_batch(from_csv, library.sheets).rows]
    assert len(scored) == len(library.sheets)


def test_an_entry_row_says_what_it_was_scored_on(library: SheetLibrary) -> None:
    """The 申报内容 of an entry: its date, the item's own field titles (级别, 角色, 本人排名) and the note."""
    case_file, parsed = load_case_file(CASES_DIR / "zhejiang-mining-senior-2021.yaml")
    data = case_claims(case_file, parsed, 0).data
    data["answers"]["mine_projects"][1]["note"] = "合同见附件"
    sheet, claims = claims_from_data(data, library.sheets)
    result = score(sheet, claims)
    rows = list(openpyxl.load_workbook(io.BytesIO(to_xlsx(sheet, claims, result)))["自评分表"].iter_rows(values_only=True))
    claimed = [r[3] for r in rows if isinstance(r[3], str) and r[3].startswith("第")]
    assert claimed[:2] == ["第1条「某铁矿露天转地下开采工程」（2016-04-01；级别：大型；角色：主持）",
                           "第2条「某石灰石矿技改工程」（2018-09-10；级别：大型；角色：技术负责；备注：合同见附件）"]
    assert "第1条「深凹露天矿边坡稳定研究」（2019-01-01；级别：省部级；本人排名：1）" in claimed
    assert "第1条「某铁矿露天转地下开采工程」（2016-04-01；级别：大型；角色：主持）" in to_html(sheet, claims, result)


# --- numbers kept whole ----------------------------------------------------------------------------------------

LONG = "4.12345678901234567891"  # 21 significant digits: the schema takes 30, a workbook's number holds 16


def _construction(library: SheetLibrary, ethics: str):  # type: ignore[no-untyped-def]
    """A construction review claim whose 职业道德 points (a band the applicant states inside 0〜5) are ``ethics``;
    the rest: 本科以上 10 and 4 papers 10, so the total is 20 + ethics."""
    data = {"format": 1, "sheet": "zhejiang-construction-engineer-review", "applicant": {"name": "精确"},
            "gates": {"moral": True, "annual_review": True, "continuing_education": True, "theory": True},
            "answers": {"education": "本科以上", "papers": 4, "ethics": {"band": "其他", "points": Decimal(ethics)}}}
    sheet, claims = claims_from_data(data, library.sheets)
    return sheet, claims, score(sheet, claims)


@pytest.mark.parametrize(("value", "kept"), [
    ("80", Decimal(80)), ("87.5", Decimal("87.5")), ("4.12345678901234", Decimal("4.12345678901234")),  # 15 digits
    ("93.6", Decimal("93.6")),  # written 93.59999999999999: the same double, read back as 93.6
    ("0.1", Decimal("0.1")), ("-2.50", Decimal("-2.50")), ("80.000000", Decimal("80.000000")), ("1E+2", Decimal(100)),
    ("4.123456789012345", "4.123456789012345"),  # 16 digits: a spreadsheet shows 15 (4.12345678901235)
    ("79.99999999999999", "79.99999999999999"),  # 16 digits: a number cell shows 80
    ("4.1234567890123456", "4.1234567890123456"), ("79.99999999999999999", "79.99999999999999999"), (LONG, LONG),
    ("0.30000000000000004", "0.30000000000000004"),
    ("1E-30", Decimal("1E-30")), ("5E-31", "0.0000000000000000000000000000005"),  # a format shows 30 places at most
])
def test_a_number_a_workbook_cannot_hold_whole_is_written_as_its_digits(value: str, kept: object) -> None:
    got = exact_number(Decimal(value))
    assert got == kept and type(got) is type(kept)


@pytest.mark.parametrize(("value", "shown"), [("10", "0"), ("10.0", "0"), ("87.5", "0.#"), ("21.8125", "0.####"),
                                              ("0", "0"), ("0.000", "0"), ("1E+2", "0")])
def test_a_points_cell_shows_every_decimal_it_has(value: str, shown: str) -> None:
    assert number_format(Decimal(value)) == shown


def test_the_form_and_the_batch_table_keep_every_digit_of_a_long_number(library: SheetLibrary) -> None:
    from scorer.batch import Source, check_source
    from scorer.batchrow import compact
    from scorer.export import batch_xlsx

    sheet, claims, result = _construction(library, LONG)
    total = "24.12345678901234567891"  # 10 + 10 + 4.12345678901234567891, by hand
    assert str(result.total) == total
    rows = list(openpyxl.load_workbook(io.BytesIO(to_xlsx(sheet, claims, result)))["自评分表"].iter_rows(values_only=True))
    ethics = next(r for r in rows if r[1] == "职业道德" and r[0] != "五")
    assert ethics[3] == f"其他 {LONG}" and ethics[4] == LONG  # the points cell as the claim's own words say it
    assert next(r for r in rows if r[1] == "合计")[4] == total
    row = compact(check_source(Source("精确.yaml", data=claims.to_data()), library.sheets))
    table = openpyxl.load_workbook(io.BytesIO(batch_xlsx([row.attach(library.sheets)], [])))["复核总表"]
    assert [c.value for c in table[2]][5] == total


@pytest.mark.parametrize(("ethics", "places"), [("4.25", "0.##"), ("0.56", "0.##")])  # 0.56: 0.5600000000000001 as written
def test_an_ordinary_number_stays_a_number_shown_with_its_decimals(library: SheetLibrary, ethics: str,
                                                                   places: str) -> None:
    from scorer.batch import Source, check_source
    from scorer.batchrow import compact
    from scorer.export import batch_xlsx

    sheet, claims, result = _construction(library, ethics)
    ws = openpyxl.load_workbook(io.BytesIO(to_xlsx(sheet, claims, result)))["自评分表"]
    row = next(r for r in ws.iter_rows() if r[1].value == "职业道德" and r[0].value != "五")
    assert (row[4].value, row[4].number_format) == (float(ethics), places)
    assert (row[5].value, row[5].number_format) == (5, "0")
    total = float(20 + Decimal(ethics))  # 20.56 is no binary fraction: a number all the same, the double of 20.56
    cell = next(r for r in ws.iter_rows() if r[1].value == "合计")[4]
    assert (cell.value, cell.number_format) == (total, places)  # never General: it rounds to the column's width
    listed = compact(check_source(Source("普通.yaml", data=claims.to_data()), library.sheets))
    table = openpyxl.load_workbook(io.BytesIO(batch_xlsx([listed.attach(library.sheets)], [])))["复核总表"]
    assert (table[2][5].value, table[2][5].number_format) == (total, places)


def test_an_item_an_exclusive_group_took_out_says_so_once(library: SheetLibrary) -> None:
    """The mining example's 基层工作地点 loses to 一线年限 (one of the two): its note names the group once, in
    the sentence that says what was kept (the group's name is not added after it again)."""
    case_file, parsed = load_case_file(CASES_DIR / "zhejiang-mining-senior-2021.yaml")
    sheet, claims = claims_from_data(case_claims(case_file, parsed, 0).data, library.sheets)
    result = score(sheet, claims)
    (item,) = [r for r in result.items.values() if r.excluded_by]
    (row,) = [r for r in form_rows(sheet, result, claims) if r.kind == "item" and r.label == item.label]
    assert row.note == f"「乡镇矿山」→ 4 分；{item.excluded_by}：取「矿山一线工作年限」4 分，本项不计"
    assert row.note.count(item.excluded_by) == 1


def test_a_drafts_unscored_rows_are_said_under_the_verdict(library: SheetLibrary) -> None:
    """A draft's row the claim check left out (a date no calendar has) is not scored, and the exports say so
    under the verdict, in the words the page uses: no typed row vanishes from the printed form unsaid."""
    from scorer.claims import draft_claims
    from scorer.export import UNSCORED

    case_file, parsed = load_case_file(CASES_DIR / "zhejiang-mining-senior-2021.yaml")
    data = case_claims(case_file, parsed, 0).data
    data["answers"]["mine_projects"][1]["date"] = "2019-13-45"
    sheet = library.sheets["zhejiang-mining-senior-2021"]
    claims, problems = draft_claims(data, sheet)
    said = "主持或参与的矿山工程项目 · 第2条：「2019-13-45」不是存在的日期，请核对年月日"
    assert problems == [said] and len(claims.answers["mine_projects"]) == 2  # of three rows typed
    result = score(sheet, claims)
    rows = [r[0] for r in openpyxl.load_workbook(io.BytesIO(to_xlsx(sheet, claims, result, unscored=problems)))
            ["自评分表"].iter_rows(values_only=True)]
    assert f"{UNSCORED}：{said}" in rows
    assert f"<li>{said}</li>" in to_html(sheet, claims, result, unscored=problems)
    assert UNSCORED not in to_html(sheet, claims, result)  # nothing said when nothing was left out


def test_an_entry_of_a_capped_item_says_the_cap_beside_its_points(library: SheetLibrary) -> None:
    """The mining example's 科研项目: 8 + 2.4 = 10.4, capped at 10. Each entry keeps its own points in the
    佐证清单 and 先补佐证, with the cap beside them, so the two lists add up to what the item counts."""
    from scorer.evidence import checklist
    from scorer.proof import unbacked

    case_file, parsed = load_case_file(CASES_DIR / "zhejiang-mining-senior-2021.yaml")
    sheet, claims = claims_from_data(case_claims(case_file, parsed, 0).data, library.sheets)
    result = score(sheet, claims)
    note = "（本项合计 10.4 分，封顶只计 10 分）"
    assert [r.points for r in checklist(sheet, result) if r.item == "科研项目"] == [f"8{note}", f"2.4{note}"]
    assert {u.cap_note for u in unbacked(result) if u.item == "科研项目"} == {note}
    assert all(r.points.replace(".", "").isdigit() for r in checklist(sheet, result) if r.item == "论文著作")  # uncapped
