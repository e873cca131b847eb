"""Yongjia's recommendation list (scorer.ranking): per 申报专业, an exam cut of at least 10%, then rank by total.

Generated groups of 10, 11 and 1 applicants, ties exactly at the cut, an applicant with no exam
score; every eliminated count is the hand count ceil(10% x examined), widened to ties at the cut.
"""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import openpyxl
import pytest
from helpers import make_sheet, one_item

from scorer import SheetError, SheetLibrary
from scorer.batch import Source, run_batch
from scorer.publicity import LIST_COLUMNS, recommendation_xlsx
from scorer.ranking import ABSENT, ELIMINATED, eliminated_count, exam_cut

YONGJIA = "yongjia-construction-junior-2021"
D = Decimal


@pytest.fixture(scope="module")
def library() -> SheetLibrary:
    return SheetLibrary()


def applicant(name: str, specialty: str, exam: str | None, years: int = 0) -> Source:
    """中专 (15) + 从事本专业年限 + the exam: (score - 60) x 0.25, at most 10."""
    answers: dict[str, Any] = {"education": "中专", "years_in_specialty": years}
    if exam is not None:
        answers["exam_score"] = exam
    data = {"sheet": YONGJIA, "applicant": {"name": name, "unit": "永嘉某建设公司"},
            "gates": {"specialty_in_catalogue": {"specialty": specialty, "employer_type": "企业"}},
            "answers": answers}
    return Source(f"{name}.yaml", data=data)


def run(library: SheetLibrary, sources: list[Source]) -> Any:
    batch = run_batch(sources, library.sheets)
    assert not batch.errors, batch.errors
    return batch


def by_name(batch: Any) -> dict[str, Any]:
    return {r.name: r for r in batch.rows}


@pytest.mark.parametrize(("examined", "out"), [(0, 0), (1, 1), (2, 1), (9, 1), (10, 1), (11, 2), (20, 2), (21, 3)])
def test_at_least_ten_percent_rounded_up(examined: int, out: int) -> None:
    assert eliminated_count(examined, D("0.1")) == out


def test_ties_at_the_cut_are_eliminated_together() -> None:
    assert exam_cut([D(70), D(70), D(80), D(85)], D("0.1")) == D(70)  # one needed; both 70s share it


def test_a_group_of_ten_loses_its_lowest_exam_score(library: SheetLibrary) -> None:
    sources = [applicant(f"甲{n}", "建筑施工", str(60 + n), years=n) for n in range(10)]
    batch = run(library, sources)
    rows = by_name(batch)
    assert rows["甲0"].place.status == ELIMINATED and rows["甲0"].rank is None
    assert [r.name for r in batch.rows if r.place.status == ELIMINATED] == ["甲0"]
    (group,) = batch.ranked[0].groups
    assert (group.applicants, group.examined, group.eliminated, group.required, group.cut_score) == (10, 10, 1, 1, D(60))
    # the other nine ranked by total: 甲9 has the most years and the best exam
    assert [rows[f"甲{n}"].rank for n in range(9, 0, -1)] == list(range(1, 10))


def test_a_group_of_eleven_loses_two_and_groups_are_cut_apart(library: SheetLibrary) -> None:
    sources = [applicant(f"乙{n}", "给排水", str(70 + n)) for n in range(11)]
    sources += [applicant(f"丙{n}", "建筑施工", str(90 - n)) for n in range(3)]
    batch = run(library, sources)
    groups = {g.group: g for g in batch.ranked[0].groups}
    assert (groups["给排水"].eliminated, groups["给排水"].cut_score) == (2, D(71))
    assert (groups["建筑施工"].eliminated, groups["建筑施工"].cut_score) == (1, D(88))  # ceil(0.3) = 1
    eliminated = sorted(r.name for r in batch.rows if r.place.status == ELIMINATED)
    assert eliminated == ["丙2", "乙0", "乙1"]
    assert by_name(batch)["丙0"].rank == 1 and by_name(batch)["乙10"].rank == 1  # ranked within each group


def test_a_group_of_one_loses_its_only_applicant(library: SheetLibrary) -> None:
    batch = run(library, [applicant("丁", "白蚁防治", "95")])
    row = batch.rows[0]
    assert row.place.status == ELIMINATED and row.rank is None
    assert batch.ranked[0].groups[0].required == 1


def test_ties_exactly_at_the_cut_and_an_absent_applicant(library: SheetLibrary) -> None:
    scores = ["70", "70", "75", "80", "81", "82", "83", "84", "85", "86"]
    sources = [applicant(f"戊{n}", "建筑结构", s) for n, s in enumerate(scores)]
    sources.append(applicant("己", "建筑结构", None, years=20))
    batch = run(library, sources)
    rows = by_name(batch)
    assert rows["戊0"].place.status == rows["戊1"].place.status == ELIMINATED  # both at the cut score 70
    assert rows["戊2"].place.status is None
    assert rows["己"].place.status == ABSENT and rows["己"].rank is None  # 缺考: not examined, not ranked
    (group,) = batch.ranked[0].groups
    assert (group.applicants, group.examined, group.eliminated, group.absent, group.required) == (11, 10, 2, 1, 1)


def test_equal_totals_share_a_rank(library: SheetLibrary) -> None:
    sources = [applicant(f"庚{n}", "燃气工程", s) for n, s in enumerate(["60", "80", "80", "90"])]
    rows = by_name(run(library, sources))
    # 庚0 eliminated (ceil 0.4 = 1); 庚3 90 -> 7.5 first, 庚1 and 庚2 80 -> 5 share 2nd
    assert [rows[f"庚{n}"].rank for n in (3, 1, 2)] == [1, 2, 2]


def test_the_recommendation_list_exports_as_a_publicity_list(library: SheetLibrary) -> None:
    sources = [applicant(f"辛{n}", "建筑施工", str(60 + n)) for n in range(10)]
    sources.append(applicant("=HYPERLINK(\"http://x\")", "建筑施工", "99"))
    sources.append(applicant("壬", "建筑施工", None))
    batch = run(library, sources)
    book = openpyxl.load_workbook(io.BytesIO(recommendation_xlsx(batch.rows, batch.ranked[0], "永嘉助工")))
    listed = list(book["推荐名单"].iter_rows(values_only=True))
    assert list(listed[0]) == LIST_COLUMNS
    assert listed[1][1] == "'=HYPERLINK(\"http://x\")" and listed[1][7] == 1  # formula-safe, first by total
    assert len(listed) == 1 + 9  # 11 examined, ceil(1.1) = 2 eliminated (辛0, 辛1), 壬 absent: 9 listed
    out = list(book["考试淘汰与缺考"].iter_rows(values_only=True))
    assert [(r[1], r[5], r[6]) for r in out[1:]] == [("辛0", ELIMINATED, "61"), ("辛1", ELIMINATED, "61"),
                                                    ("壬", ABSENT, None)]
    ws = book["推荐名单"]
    assert ws.page_setup.paperSize == 9 and ws.print_title_rows == "$1:$1" and ws.sheet_properties.pageSetUpPr.fitToPage


def test_a_ranking_needs_a_ranked_sheet_and_a_choice_to_group_by() -> None:
    items = one_item("- {id: grade, label: 档次, rule: choice, options: {甲: 2, 乙: 1}}\n"
                     "- {id: score, label: 考试, rule: linear, input: {label: 成绩, max: 100}, points_per_unit: 1}\n")
    with pytest.raises(SheetError) as exc:
        make_sheet(items + "ranking: {group_by: answers.grade, exam: {item: score, eliminate_share: 0.1}}\n")
    assert "只有按总分排名的评分表" in str(exc.value)
    with pytest.raises(SheetError) as exc:
        make_sheet(items + "ranking: {group_by: answers.score, exam: {item: grade, eliminate_share: 0.1}}\n",
                   threshold="threshold: {kind: rank, of: 3}")
    assert "「answers.score」不是本表的选择题" in str(exc.value) and "「grade」不是本表中填写分数的项目" in str(exc.value)


def test_the_cli_prints_each_specialty_and_writes_the_list(tmp_path: Any) -> None:
    import subprocess
    import sys

    from helpers import ROOT

    from scorer.serialize import to_yaml

    for n, (specialty, exam) in enumerate([("建筑施工", "61"), ("建筑施工", "75"), ("给排水", "80")]):
        (tmp_path / f"{n}.yaml").write_text(to_yaml(applicant(f"癸{n}", specialty, exam).data), encoding="utf-8")
    target = tmp_path / "名单.xlsx"
    done = subprocess.run([sys.executable, "-m", "scorer", "batch", str(tmp_path), "--list", str(target)],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "建筑施工：2 人，参考 2 人，考试淘汰 1 人（至少 1 人），淘汰线 61 分及以下" in done.stdout
    assert "给排水：1 人，参考 1 人，考试淘汰 1 人（至少 1 人），淘汰线 80 分及以下" in done.stdout
    listed = list(openpyxl.load_workbook(target)["推荐名单"].iter_rows(values_only=True))
    assert [r[1] for r in listed[1:]] == ["癸1"]


def test_the_batch_page_shows_groups_the_cut_and_the_list(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from helpers import ROOT
    from streamlit.testing.v1 import AppTest

    from scorer.serialize import to_yaml

    monkeypatch.setenv("ZHICHENG_DRAFTS_DB", str(tmp_path / "drafts.sqlite3"))
    files = [(f"{n}.yaml", to_yaml(applicant(f"子{n}", "建筑施工", str(60 + n)).data).encode(), "application/x-yaml")
             for n in range(11)]
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    at.switch_page("ui/pages/batch.py").run()
    at.file_uploader(key="batch-upload").set_value(files).run()
    assert not at.exception, [e.value for e in at.exception]
    table = at.dataframe[0].value
    shown = dict(zip(table["申报人"], table["考试"], strict=True))
    assert shown["子0"] == shown["子1"] == "考试淘汰（本专业淘汰线 61 分）" and shown["子2"] == ""
    assert dict(zip(table["申报人"], table["排名"], strict=True))["子10"] == "1"
    verdicts = dict(zip(table["申报人"], table["结论"], strict=True))  # the 考试 column may be off the screen's edge
    assert verdicts["子0"] == verdicts["子1"] == "考试淘汰" and verdicts["子10"] == "待确认"  # its own verdict
    at.multiselect[1].set_value(["考试淘汰"]).run()  # the 结论 filter offers it too
    assert sorted(at.dataframe[0].value["申报人"]) == ["子0", "子1"]
    summary = next(t.value for t in at.table if "淘汰线" in t.value.columns)
    assert list(summary.iloc[0]) == ["建筑施工", 11, 11, 2, 2, "61 分及以下", 0]
    assert any("下载推荐名单" in b.label for b in at.get("download_button"))


def test_the_units_batch_workbook_says_which_group_a_rank_is_in(library: SheetLibrary) -> None:
    from scorer.export import PLACE_COLUMNS, batch_xlsx

    sources = [applicant(f"丑{n}", "建筑施工", str(70 + n)) for n in range(3)] + [applicant("寅", "给排水", "90")]
    batch = run(library, sources)
    book = openpyxl.load_workbook(io.BytesIO(batch_xlsx(batch.rows, batch.errors)))
    rows = list(book["按专业排名"].iter_rows(values_only=True))
    assert list(rows[0]) == PLACE_COLUMNS
    # 建筑施工: 3 sat, ceil(0.3) = 1 out (丑0, 70); 给排水: its only applicant out (ceil 0.1 = 1)
    assert [(r[0], r[3], r[5], r[6]) for r in rows[1:]] == [
        ("丑2", "建筑施工", "推荐", 1), ("丑1", "建筑施工", "推荐", 2), ("丑0", "建筑施工", "考试淘汰", None),
        ("寅", "给排水", "考试淘汰", None)]
    table = {r[0]: r for r in book["复核总表"].iter_rows(values_only=True)}
    assert table["丑0"][7] == table["寅"][7] == "考试淘汰" and table["丑2"][7] == "待确认"  # 结论: its own otherwise


def test_a_vetoed_or_ineligible_applicant_keeps_that_verdict_whatever_the_exam_said() -> None:
    from scorer.ranking import Placed, listed_verdict

    out = Placed("建筑施工", D(50), ELIMINATED)
    assert listed_verdict("按总分排名", out) == listed_verdict("待确认", out) == ELIMINATED
    assert listed_verdict("待确认", Placed("建筑施工", None, ABSENT)) == ABSENT
    assert listed_verdict("否决", out) == "否决" and listed_verdict("不符合申报条件", out) == "不符合申报条件"
    assert listed_verdict("按总分排名", Placed("建筑施工", D(90), None, 1)) == "按总分排名"
    assert listed_verdict("达到", None) == "达到"
