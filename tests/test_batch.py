"""Unit batch check: planted problems are flagged, clean applicants are not; inputs are read safely."""

from __future__ import annotations

import io
import subprocess
import sys
from collections import Counter
from pathlib import Path

import openpyxl
import pytest
from batchgen import SHEETS, clean, population
from helpers import ROOT, zipped

from scorer import SheetLibrary
from scorer.batch import (
    MAX_FILE_BYTES,
    InputError,
    Source,
    read_archive,
    roster_csv,
    roster_rows,
    run_batch,
    sources_from_bytes,
)
from scorer.export import batch_xlsx
from scorer.numbers import fmt
from scorer.serialize import to_json, to_yaml


@pytest.fixture(scope="module")
def checked(library: SheetLibrary):  # type: ignore[no-untyped-def]
    pop = population()
    batch = run_batch([Source(f"申报{i}.yaml", data=d) for i, (_, d) in enumerate(pop)], library.sheets)
    assert not batch.errors
    return pop, batch


def test_population_covers_every_sheet_and_problem(checked) -> None:  # type: ignore[no-untyped-def]
    pop, _ = checked
    assert len(pop) >= 30
    assert {d["sheet"] for _, d in pop} == set(SHEETS)
    kinds = Counter(kind for kind, _ in pop)
    assert set(kinds) == {"", "ignored", "no_evidence", "duplicate", "invalid", "padding", "just_over", "contradiction",
                          "lead_conflict"}


def test_every_planted_problem_is_flagged(checked) -> None:  # type: ignore[no-untyped-def]
    pop, batch = checked
    for (kind, data), row in zip(pop, batch.rows, strict=True):
        if kind:
            assert kind in [f.code for f in row.flags], (kind, data["applicant"]["name"], [f.text() for f in row.flags])


def test_no_clean_applicant_is_flagged(checked) -> None:  # type: ignore[no-untyped-def]
    pop, batch = checked
    for (kind, data), row in zip(pop, batch.rows, strict=True):
        if not kind:
            assert row.flags == [], (data["sheet"], [f.text() for f in row.flags])


def test_flags_name_the_entries(checked) -> None:  # type: ignore[no-untyped-def]
    _, batch = checked
    by_name = {row.name: row for row in batch.rows}
    dup = next(f for f in by_name["问题0-2"].flags if f.code == "duplicate")
    assert len(dup.entries) == 2 and all("大型矿山" in e for e in dup.entries)
    lead = next(f for f in by_name["负责甲0"].flags if f.code == "lead_conflict")
    assert "负责甲0、负责乙0" in lead.reason and "某县重点生态修复工程" in lead.entries[0]
    late = next(f for f in by_name["问题0-0"].flags if f.code == "ignored")
    assert "晚于截止日 2021-12-31" in late.entries[0]


def test_rank_sheet_ranks_with_shared_ties(library: SheetLibrary) -> None:
    a, b, c = (clean("yongjia-construction-junior-2021", n) for n in ("甲", "乙", "丙"))
    b["answers"]["exam_score"] = 100  # (100 − 60) × 0.25 = 10 instead of 5
    batch = run_batch([Source(n, data=d) for n, d in zip("甲乙丙", (a, b, c), strict=True)], library.sheets)
    # one specialty of three sat the exam: ceil(10% x 3) = 1 must go, and 甲 and 丙 share the lowest score (80),
    # so both are eliminated (scorer.ranking); 乙 is first. Equal totals sharing a rank: tests/test_ranking.py
    assert [(r.name, fmt(r.result.total), r.rank) for r in batch.rows] == [("甲", "69", None), ("乙", "74", 1),
                                                                        ("丙", "69", None)]
    assert [r.place.status for r in batch.rows] == ["考试淘汰", None, "考试淘汰"]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_roster_csv_in_each_encoding(encoding: str, library: SheetLibrary) -> None:
    claims = [clean(s, f"名册{i}") for i, s in enumerate(SHEETS)]
    raw = roster_csv(claims, encoding)
    if encoding == "utf-8-sig":
        assert raw.startswith(b"\xef\xbb\xbf")
    sources, errors = sources_from_bytes("名册.csv", raw, library.sheets)
    assert errors == []
    batch = run_batch(sources, library.sheets)
    direct = run_batch([Source(c["applicant"]["name"], data=c) for c in claims], library.sheets)
    assert [r.result.total for r in batch.rows] == [r.result.total for r in direct.rows]
    assert [r.name for r in batch.rows] == [f"名册{i}" for i in range(6)]


def test_roster_xlsx(library: SheetLibrary) -> None:
    book = openpyxl.Workbook()
    ws = book.active
    rows = [row for i, s in enumerate(SHEETS) for row in roster_rows(clean(s, f"表{i}"))]
    ws.append(list(rows[0]))
    for row in rows:
        ws.append([int(v) if v.isdigit() else v for v in row.values()])  # numbers as Excel numbers
    buf = io.BytesIO()
    book.save(buf)
    sources, errors = sources_from_bytes("名册.xlsx", buf.getvalue(), library.sheets)
    assert errors == []
    totals = [fmt(r.result.total) for r in run_batch(sources, library.sheets).rows]
    assert totals == ["93.6", "96", "76", "155", "69", "5"]


def test_roster_bad_rows_are_listed_not_fatal(library: SheetLibrary) -> None:
    text = (
        "申报人,单位,评分表,类别,编号,值\n张三,甲,nope-sheet,项目,education,本科\n"
        "李四,乙,cixi-engineering-junior-2021,项目,education,大专\n"
    )
    sources, errors = sources_from_bytes("r.csv", text.encode(), library.sheets)
    assert len(sources) == 1 and "未知的评分表「nope-sheet」" in errors[0].lines[0]
    missing = sources_from_bytes("r.csv", "姓名,分数\n张三,1\n".encode(), library.sheets)[1]
    assert "缺少列 评分表、类别、编号" in missing[0].lines[0]


def test_zip_of_claim_files(library: SheetLibrary) -> None:
    members = {f"申报/{i}.yaml": to_yaml(clean(s, f"压缩{i}")).encode() for i, s in enumerate(SHEETS)}
    members["申报/坏文件.yaml"] = b"sheet: [unclosed\n"
    members["说明.txt"] = b"ignored"
    sources, errors = sources_from_bytes("全部.zip", zipped(members), library.sheets)
    batch = run_batch(sources, library.sheets)
    assert len(batch.rows) == 6
    assert [e.source for e in errors] == ["全部.zip/说明.txt"]  # listed as not read, with the reason
    assert "未读取" in errors[0].lines[0] and ".csv" in errors[0].lines[0]
    assert len(batch.errors) == 1 and "坏文件.yaml" in batch.errors[0].source
    assert "YAML 语法错误" in batch.errors[0].lines[0]


@pytest.mark.parametrize("evil", ["../../etc/passwd.yaml", "/abs/claim.yaml", "ok/../../x.yaml", "..\\\\win.yaml"])
def test_zip_with_path_traversal_is_refused(evil: str, library: SheetLibrary) -> None:
    raw = zipped({"fine.yaml": b"sheet: x\n", evil: b"sheet: x\n"})
    with pytest.raises(InputError, match="不安全的路径"):
        read_archive("evil.zip", raw)
    sources, errors = sources_from_bytes("evil.zip", raw, library.sheets)
    assert sources == [] and "已拒绝整个压缩包" in errors[0].lines[0]


def test_a_50_mb_file_is_refused(library: SheetLibrary, tmp_path: Path) -> None:
    big = b"#" * (50 * 1024 * 1024)
    assert len(big) > MAX_FILE_BYTES
    errors = sources_from_bytes("big.yaml", big, library.sheets)[1]
    assert "文件过大（50.0 MB）" in errors[0].lines[0]
    bomb = zipped({"big.yaml": big})  # compresses to almost nothing: the member's real size decides
    errors = sources_from_bytes("bomb.zip", bomb, library.sheets)[1]
    assert "文件过大" in errors[0].lines[0] and "已拒绝整个压缩包" in errors[0].lines[0]


def test_batch_xlsx_is_formula_safe_and_reads_back(library: SheetLibrary) -> None:
    data = clean("cixi-engineering-junior-2021", "=HYPERLINK(\"http://x\",\"点我\")")
    data["answers"]["projects"][0]["title"] = "+cmd|' /C calc'!A0"
    data["answers"]["projects"][0]["evidence"] = []
    batch = run_batch([Source("a.yaml", data=data)], library.sheets)
    book = openpyxl.load_workbook(io.BytesIO(batch_xlsx(batch.rows, batch.errors)))
    main = list(book["复核总表"].iter_rows(values_only=True))
    assert main[1][0] == "'=HYPERLINK(\"http://x\",\"点我\")"
    assert main[1][5] == 155  # titles and evidence change no points
    flags = list(book["标记明细"].iter_rows(values_only=True))
    assert all(not str(v).startswith(("=", "+", "-", "@")) for row in flags for v in row if v is not None)
    assert any("+cmd" in str(row[4]) for row in flags)


def test_cli_batch(tmp_path: Path) -> None:
    folder = tmp_path / "claims"
    folder.mkdir()
    for i, (_, data) in enumerate(population()[:9]):
        (folder / f"{i}.json").write_text(to_json(data), encoding="utf-8")
    (folder / "broken.json").write_text("{not json", encoding="utf-8")
    out = tmp_path / "out.xlsx"
    done = subprocess.run([sys.executable, "-m", "scorer", "batch", str(folder), "--xlsx", str(out)],
                          capture_output=True, text=True, cwd=ROOT, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    # the first nine: the clean mining claim, its seven planted variants, and half of a lead-conflict pair
    assert done.stdout.splitlines()[0] == "共 9 名申报人，7 名有标记；1 个文件未能读取"
    assert "broken.json" in done.stderr and "JSON 语法错误" in done.stderr
    book = openpyxl.load_workbook(out)
    assert book["复核总表"].max_row == 10
