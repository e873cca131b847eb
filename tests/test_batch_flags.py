"""Issue 12: the batch flags what a careful HR clerk flags, on a planted set across the six sheets, and no
clean applicant, including look-alikes whose titles read alike but name different projects."""

from __future__ import annotations

import copy
import io
import subprocess
import sys
from collections import Counter
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from batchgen import HARD_KINDS, PADDING_OVER_RAW, SHEETS, clean, hard_population, lookalike, planted_hard
from helpers import ROOT
from pydantic import ValidationError

from scorer import SheetLibrary
from scorer.batch import Source, run_batch
from scorer.checks import reflag
from scorer.export import batch_xlsx
from scorer.flags import FLAG_CODES, FLAG_HELP, FlagSettings, SettingsError, settings_from_text, settings_problems
from scorer.numbers import fmt
from scorer.serialize import to_yaml


def _run(claims: list[dict], library: SheetLibrary, settings: FlagSettings | None = None):  # type: ignore[no-untyped-def]
    sources = [Source(f"申报{i}.yaml", data=d) for i, d in enumerate(claims)]
    batch = run_batch(sources, library.sheets, settings=settings or FlagSettings())
    assert not batch.errors
    return batch


@pytest.fixture(scope="module")
def planted(library: SheetLibrary):  # type: ignore[no-untyped-def]
    pop = hard_population()
    return pop, _run([d for *_, d in pop], library).rows


def tally(pop, rows) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """Planted, caught, false alarms (a clean file flagged) and stray flags (a planted file flagged for another kind)."""
    out = Counter()
    for (kind, code, _), row in zip(pop, rows, strict=True):
        codes = {f.code for f in row.flags}
        if kind:
            out["planted"] += 1
            out["caught"] += code in codes
            out["stray"] += bool(codes - {code})
        else:
            out["clean"] += 1
            out["false_alarms"] += bool(codes)
    return dict(out)


def test_the_planted_set_covers_every_case_and_sheet(planted) -> None:  # type: ignore[no-untyped-def]
    pop, _ = planted
    assert {d["sheet"] for *_, d in pop} == set(SHEETS)
    assert {kind for kind, *_ in pop} == {"", *HARD_KINDS}
    assert Counter(kind for kind, *_ in pop) == {
        "": 32, "dup_suffix": 18, "dup_quotes": 6, "dup_near": 6, "placeholder": 18, "padding_over": 5,
        "impossible": 6, "count_exact": 3, "lead_suffix": 10, "lead_near": 10,
    }


def test_every_planted_problem_is_caught_and_nothing_else(planted) -> None:  # type: ignore[no-untyped-def]
    pop, rows = planted
    for (kind, code, data), row in zip(pop, rows, strict=True):
        codes = [f.code for f in row.flags]
        if kind:
            assert codes.count(code) == 1 and set(codes) == {code}, (kind, data["sheet"], [f.text() for f in row.flags])
        else:
            assert codes == [], (data["applicant"]["name"], [f.text() for f in row.flags])
    assert tally(pop, rows) == {"planted": 82, "caught": 82, "stray": 0, "clean": 32, "false_alarms": 0}


def _flag(rows, name: str, code: str):  # type: ignore[no-untyped-def]
    row = next(r for r in rows if r.name == name)
    return next(f for f in row.flags if f.code == code)


def test_duplicates_show_both_titles_and_why(planted) -> None:  # type: ignore[no-untyped-def]
    _, rows = planted
    suffix = _flag(rows, "埋0dup_suffix0", "duplicate")
    assert suffix.reason == ("同一项业绩申报了 2 次：「小型矿山（埋0dup_suffix0）」与「小型矿山【埋0dup_suffix0】项目」"
                             "（去掉通用后缀（工程、项目、课题等）后名称相同）")
    assert [e.split("「")[0] for e in suffix.entries] == ["主持或参与的矿山工程项目第3条", "主持或参与的矿山工程项目第4条"]
    quotes = _flag(rows, "埋3dup_quotes0", "duplicate")
    assert quotes.reason == ("同一项业绩申报了 2 次：「“埋3dup_quotes0矿区”技改」与「「埋3dup_quotes0矿区」技改」"
                             "（名称只差全半角、大小写、空格、标点或引号括号）")
    near = _flag(rows, "埋2dup_near0", "duplicate")  # 24 characters each once brackets and _ go, 23 matched
    assert "「瑞安市某某石料矿开采方案设计（埋2dup_near0）」与「瑞安市某某石料矿开采方案设汁（埋2dup_near0）」" in near.reason
    assert "名称几乎相同（相似度 0.95，达到 0.90；数字与序号一致）" in near.reason  # 2·23/48 = 0.958…, cut to 0.95


def test_lead_conflicts_show_the_other_title_and_why(planted) -> None:  # type: ignore[no-untyped-def]
    _, rows = planted
    first = _flag(rows, "lead_suffix甲0", "lead_conflict")
    assert first.reason == ("同一项业绩被 lead_suffix甲0、lead_suffix乙0 都申报为主持/负责人：本人「湖州县重点生态修复工程」，"
                            "lead_suffix乙0「“湖州县重点生态修复”项目」：去掉通用后缀（工程、项目、课题等）后名称相同")
    assert first.entries == ["主持或参与的矿山工程项目第1条「湖州县重点生态修复工程」（主持）"]
    near = _flag(rows, "lead_near乙4", "lead_conflict")
    assert near.reason.startswith("同一项业绩被 lead_near甲4、lead_near乙4 都申报为主持/负责人："
                                  "本人「永嘉县瓯北镇江滨路提升改建」，")
    assert "lead_near甲4「永嘉县瓯北镇江滨路提升改造」：名称几乎相同（相似度 0.92" in near.reason  # 2·12/26


def test_placeholder_evidence_is_no_evidence(planted) -> None:  # type: ignore[no-untyped-def]
    _, rows = planted
    flag = _flag(rows, "埋0placeholder2", "no_evidence")
    assert flag.reason == "1 条计分业绩没有列出佐证材料（其中 1 条只写了占位词，不算佐证），无证明材料的不予评分"
    assert flag.entries == ["主持或参与的矿山工程项目第1条「大型矿山（埋0placeholder2）」：佐证只写了「无」"]
    spaced = _flag(rows, "埋1placeholder1", "no_evidence")  # 见附件
    assert spaced.entries[0].endswith("佐证只写了「见附件」")


@pytest.mark.parametrize("sheet", sorted(PADDING_OVER_RAW))
def test_padding_far_beyond_the_cap_gives_raw_and_cap(sheet: str, planted) -> None:  # type: ignore[no-untyped-def]
    pop, rows = planted
    row = next(r for (kind, _, d), r in zip(pop, rows, strict=True) if kind == "padding_over" and d["sheet"] == sheet)
    raw, cap = PADDING_OVER_RAW[sheet]
    flag = next(f for f in row.flags if f.code == "padding")
    over = fmt(Decimal(raw) - Decimal(cap))
    assert f"条业绩原始合计 {raw} 分，超过封顶 {cap} 分 {over} 分（只计 {cap} 分）" in flag.reason
    item = next(i for i in row.result.items.values() if i.label in flag.entries)
    assert (fmt(item.raw), fmt(item.points)) == (raw, cap)


def test_impossible_values_are_contradictions_and_left_out(planted) -> None:  # type: ignore[no-untyped-def]
    pop, rows = planted
    by_sheet = {d["sheet"]: r for (kind, _, d), r in zip(pop, rows, strict=True) if kind == "impossible"}
    cixi = by_sheet["cixi-engineering-junior-2021"]
    flag = next(f for f in cixi.flags if f.code == "contradiction")
    assert flag.reason == "填写了超出本表上限、不可能的数值（未计分）"
    assert flag.entries == ["近三年年度考核获优秀次数：获优秀次数不能超过 3（填写了 4）"]
    assert fmt(cixi.result.total) == "150"  # the clean 155 less 1 × 5 for the refused count
    yongjia = next(f for f in by_sheet["yongjia-construction-junior-2021"].flags if f.code == "contradiction")
    assert yongjia.entries == ["建设工程专业理论考试成绩：考试成绩不能超过 100（填写了 101）"]
    assert all(not any(f.code == "invalid" for f in r.flags) for r in by_sheet.values())


def test_a_count_sheet_met_exactly_is_just_over(planted, library: SheetLibrary) -> None:  # type: ignore[no-untyped-def]
    _, rows = planted
    flag = _flag(rows, "埋5count_exact0", "just_over")
    assert flag.reason == "满足 3 项，恰好达到要求的 3 项，任何一项不成立就达不到，请逐项复核"
    four = clean("shaoxing-forestry-engineer-exception-2020", "四项")
    del four["answers"]["innovation"]  # 4 of the 3 needed
    assert _run([four], library).rows[0].flags == []
    one_over = _run([four], library, FlagSettings(near_line_count=1)).rows[0].flags
    assert [f.reason for f in one_over] == ["满足 4 项，只超出 1 项，要求的 3 项，任何一项不成立就达不到，请逐项复核"]


def test_look_alikes_are_not_flagged(library: SheetLibrary) -> None:
    data = lookalike("zhejiang-mining-senior-2021", "相似")
    titles = [e["title"] for e in data["answers"]["mine_projects"]]
    assert titles == ["相似家园一期工程", "相似家园二期工程", "相似家园3号楼工程"]
    assert _run([data], library).rows[0].flags == []


def test_each_kind_can_be_switched_off_and_back(planted, library: SheetLibrary) -> None:  # type: ignore[no-untyped-def]
    pop, _ = planted
    batch = _run([d for *_, d in pop], library)
    results = [r.result for r in batch.rows]
    for code in FLAG_CODES:
        reflag(batch.rows, FlagSettings(enabled=tuple(c for c in FLAG_CODES if c != code)))
        assert all(f.code != code for r in batch.rows for f in r.flags)
        assert any(f.code for r in batch.rows for f in r.flags)
        assert all(r.result is kept for r, kept in zip(batch.rows, results, strict=True))  # never rescored
    reflag(batch.rows, FlagSettings())
    assert tally(pop, batch.rows)["caught"] == 82


def test_settings_change_what_is_flagged(library: SheetLibrary) -> None:
    near = planted_hard("dup_near", "zhejiang-mining-senior-2021", "阈值")
    suffix = planted_hard("dup_suffix", "zhejiang-mining-senior-2021", "后缀")
    strict = FlagSettings(similarity=Decimal(1))
    rows = _run([near, suffix], library, strict).rows
    assert [f.code for f in rows[0].flags] == [] and [f.code for f in rows[1].flags] == ["duplicate"]
    unit_words = copy.deepcopy(clean("cixi-engineering-junior-2021", "档案"))
    unit_words["answers"]["projects"][0]["evidence"] = ["资料在档案室"]
    assert _run([unit_words], library).rows[0].flags == []
    extended = FlagSettings(placeholders=(*FlagSettings().placeholders, "资料在档案室"))
    assert [f.code for f in _run([unit_words], library, extended).rows[0].flags] == ["no_evidence"]
    no_suffixes = FlagSettings(generic_suffixes=())
    assert [f.code for f in _run([suffix], library, no_suffixes).rows[0].flags] == []


def test_cap_margin_and_entry_count(library: SheetLibrary) -> None:
    """Mining 论文著作 (cap 10): four 一般公开刊物 at 2 are 8, two short of the cap."""
    data = clean("zhejiang-mining-senior-2021", "差二分")
    data["answers"]["papers"] = [{"level": "一般公开刊物", "rank": 1, "date": "2019-06-01", "title": f"刊物{i}",
                                  "evidence": ["x.pdf"]} for i in range(4)]
    assert _run([data], library).rows[0].flags == []
    flags = _run([data], library, FlagSettings(cap_margin=Decimal(2))).rows[0].flags
    assert [f.reason for f in flags] == ["「论文著作」4 条业绩原始合计 8 分，距封顶 10 分不足 2 分"]
    assert _run([data], library, FlagSettings(cap_margin=Decimal(2), padding_min_entries=5)).rows[0].flags == []


def test_settings_are_validated_in_chinese() -> None:
    assert FlagSettings(enabled=("重复申报", "lead_conflict")).enabled == ("duplicate", "lead_conflict")
    assert FlagSettings(similarity=0.95).similarity == Decimal("0.95")  # type: ignore[arg-type]
    assert FlagSettings(placeholders="待补、暂无\n 见附件 ").placeholders == ("待补", "暂无", "见附件")  # type: ignore[arg-type]
    with pytest.raises(ValidationError) as info:
        FlagSettings(similarity=Decimal("0.5"))
    assert settings_problems(info.value)[0].startswith("名称相似度达到此值视为同一项业绩：")
    with pytest.raises(SettingsError) as refused:
        settings_from_text("similarity: 0.9\nbogus: 1\n", "设置.yaml")
    assert refused.value.lines[0].startswith("设置.yaml:2:8: bogus: 未知字段")
    assert settings_from_text("near_line: 2.5\n", "设置.yaml").near_line == Decimal("2.5")
    assert all(FLAG_HELP[c] for c in FLAG_CODES)


def test_the_export_keeps_the_settings(planted, library: SheetLibrary) -> None:  # type: ignore[no-untyped-def]
    pop, _ = planted
    settings = FlagSettings(similarity=Decimal("0.95"), enabled=tuple(c for c in FLAG_CODES if c != "padding"))
    batch = _run([d for *_, d in pop], library, settings)
    book = openpyxl.load_workbook(io.BytesIO(batch_xlsx(batch.rows, batch.errors, settings)))
    rows = {r[0]: r[1:] for r in book["标记设置"].iter_rows(min_row=2, values_only=True)}
    assert rows["名称相似度"][0] == "0.95"
    assert rows["标记：凑满封顶"][0] == "关闭" and rows["标记：重复申报"] == ("启用", FLAG_HELP["duplicate"])
    assert "待补" in rows["占位词"][0].split("、")
    detail = list(book["标记明细"].iter_rows(values_only=True))
    assert detail[0][-1] == "说明" and all(r[-1] for r in detail[1:])
    assert not any(r[2] == "凑满封顶" for r in detail[1:])


def test_cli_batch_reads_a_settings_file(tmp_path: Path) -> None:
    folder = tmp_path / "申报"
    folder.mkdir()
    near = planted_hard("dup_near", "zhejiang-mining-senior-2021", "命令行")
    (folder / "a.yaml").write_text(to_yaml(near), encoding="utf-8")
    (tmp_path / "设置.yaml").write_text("similarity: 1\n", encoding="utf-8")
    run = [sys.executable, "-m", "scorer", "batch", str(folder)]
    default = subprocess.run(run, capture_output=True, text=True, cwd=ROOT, timeout=120, check=False)
    assert default.stdout.splitlines()[0] == "共 1 名申报人，1 名有标记；0 个文件未能读取"
    strict = subprocess.run([*run, "--settings", str(tmp_path / "设置.yaml")], capture_output=True, text=True, cwd=ROOT,
                            timeout=120, check=False)
    assert strict.returncode == 0 and strict.stdout.splitlines()[0] == "共 1 名申报人，0 名有标记；0 个文件未能读取"
    (tmp_path / "坏.yaml").write_text("similarity: 2\n", encoding="utf-8")
    bad = subprocess.run([*run, "--settings", str(tmp_path / "坏.yaml")], capture_output=True, text=True, cwd=ROOT,
                         timeout=120, check=False)
    assert bad.returncode == 1 and "坏.yaml:1:13: similarity:" in bad.stderr and "Traceback" not in bad.stderr


def test_counts_beyond_a_stated_bound_are_impossible_not_out_of_table(library: SheetLibrary) -> None:
    """杭州 量化表现 names at most 7 indicators (max_count); an 8th is impossible, a bad level is not."""
    from scorer.claims import draft_claims_split

    sheet = library.sheets["hangzhou-env-engineer-selfeval"]
    data = {"sheet": sheet.id, "answers": {
        "ability_indicators": [{"indicator": f"指标{i}", "evidence": ["a.pdf"]} for i in range(8)],
        "awards": [{"level": "乡镇级", "date": "2020-01-01", "title": "奖", "evidence": ["b.pdf"]}],
    }}
    _, problems, impossible = draft_claims_split(data, sheet)
    assert impossible == ["量化表现（工作经历与能力）：本项最多 7 项指标（填写了 8 项）"]
    assert len(problems) == 1 and "乡镇级" in problems[0]
    flags = _run([data], library).rows[0].flags
    assert {f.code: f.entries for f in flags if f.code in ("contradiction", "invalid")} == {
        "contradiction": impossible, "invalid": problems}
