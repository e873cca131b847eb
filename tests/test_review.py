"""Expert review: verdicts change the reviewed score exactly as a person computes, never the claims."""

from __future__ import annotations

import copy
import dataclasses
import io
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from helpers import CASES_DIR, ROOT

from scorer import ClaimError, SheetLibrary, claims_from_text, score
from scorer.cases import case_claims, load_case_file
from scorer.export import review_html, review_xlsx
from scorer.numbers import fmt
from scorer.review import parse_review, review_claims, side_by_side
from scorer.serialize import to_yaml

MINING = "zhejiang-mining-senior-2021"


def mining_case0() -> dict[str, Any]:
    case_file, parsed = load_case_file(CASES_DIR / f"{MINING}.yaml")
    return copy.deepcopy(case_claims(case_file, parsed, 0).data)  # 80 points, 达到


def reviewed(data: dict[str, Any], verdicts: list[dict[str, Any]], library: SheetLibrary):  # type: ignore[no-untyped-def]
    data = {**data, "review": {"reviewer": "李专家", "date": "2022-03-01", "verdicts": verdicts}}
    sheet, claims = claims_from_text(to_yaml(data), "r.yaml", library.sheets)
    return sheet, claims, review_claims(sheet, claims, parse_review(claims.review, sheet, claims, "r.yaml"))


def test_review_changes_totals_as_a_person_computes(library: SheetLibrary) -> None:
    verdicts = [
        {"target": "answers.education", "action": "change", "value": "大专", "reason": "学历证书为大专"},
        {"target": "answers.mine_projects[1]", "action": "change", "role": "参与", "reason": "人员名单中为参与"},
        {"target": "answers.papers[0]", "action": "reject", "reason": "刊物非核心期刊"},
        {"target": "answers.awards[0]", "action": "accept"},
    ]
    _, claims, outcome = reviewed(mining_case0(), verdicts, library)
    # 学历 6 -> 4; 项目 30 + 4x0.5 + 3 = 35 (section still capped at 45); 论文 -4: 19-2 + 45 + 16-4 = 74
    assert (fmt(outcome.claimed.total), fmt(outcome.reviewed.total)) == ("80", "74")
    assert (outcome.claimed.verdict, outcome.reviewed.verdict) == ("达到", "未达到")
    rows = {r["label"]: (fmt(r["claimed"]), fmt(r["reviewed"])) for r in side_by_side(outcome)}
    assert rows["学历学位"] == ("6", "4")
    assert rows["主持或参与的矿山工程项目"] == ("36.2", "35")
    assert rows["工作业绩"] == ("45", "45")
    assert rows["论文著作"] == ("4", "0")
    assert [c.action for c in outcome.changes] == ["修改", "修改", "驳回", "接受"]
    assert outcome.changes[1].detail == "角色 技术负责 → 参与"
    # the applicant's claims are untouched
    assert claims.answers["education"] == "本科"
    assert claims.answers["mine_projects"][1].role == "技术负责"
    assert len(claims.answers["papers"]) == 1


def test_rank_and_level_changes(library: SheetLibrary) -> None:
    verdicts = [
        {"target": "answers.research_projects[0]", "action": "change", "rank": 3, "reason": "立项书中排名第三"},
        {"target": "answers.awards[0]", "action": "change", "level": "市厅级一等奖", "reason": "证书为市厅级"},
    ]
    _, _, outcome = reviewed(mining_case0(), verdicts, library)
    # 科研 8x0.7 + 3x0.8 = 8 (was 10.4 -> 10): 工作业绩 36.2 + 8 = 44.2; 奖励 8: 16 -> 12; 19 + 44.2 + 12 = 75.2
    assert fmt(outcome.reviewed.items["research_projects"].points) == "8"
    assert fmt(outcome.reviewed.total) == "75.2"


def test_rejecting_a_scalar_answer(library: SheetLibrary) -> None:
    _, _, outcome = reviewed(
        mining_case0(), [{"target": "answers.qualification", "action": "reject", "reason": "无证书"}], library
    )
    assert fmt(outcome.delta) == "-2"


@pytest.mark.parametrize(
    ("verdict", "message"),
    [
        ({"target": "answers.papers[0]", "action": "reject"}, "修改或驳回必须写明理由"),
        ({"target": "answers.papers[5]", "action": "reject", "reason": "x"}, "申报中没有第6条「论文著作」业绩"),
        ({"target": "answers.nosuch", "action": "reject", "reason": "x"}, "本表没有项目「nosuch」"),
        ({"target": "answers.education", "action": "change", "value": "博士后", "reason": "x"}, "「博士后」不是本项的选项"),
        (
            {"target": "answers.mine_projects[0]", "action": "change", "level": "特大型", "reason": "x"},
            "「特大型」不是本项的级别",
        ),
        ({"target": "answers.influence", "action": "reject", "reason": "x"}, "申报人没有填写「行业影响"),
        ({"target": "answers.papers[0]", "action": "downgrade", "reason": "x"}, "应为"),
    ],
)
def test_review_errors_are_named(verdict: dict[str, Any], message: str, library: SheetLibrary) -> None:
    with pytest.raises(ClaimError) as info:
        reviewed(mining_case0(), [verdict], library)
    assert message in "\n".join(info.value.lines)
    assert all(line.startswith("r.yaml: review.") for line in info.value.lines)


def test_review_exports(library: SheetLibrary) -> None:
    verdicts = [{"target": "answers.papers[0]", "action": "reject", "reason": "=非核心期刊"}]
    sheet, claims, outcome = reviewed(mining_case0(), verdicts, library)
    book = openpyxl.load_workbook(io.BytesIO(review_xlsx(sheet, claims, outcome, "李专家", "2022-03-01")))
    rows = list(book["复核对照"].iter_rows(values_only=True))
    total = next(r for r in rows if r[0] == "合计")
    assert total[1:] == (80, 76, -4)
    opinions = list(book["复核意见"].iter_rows(values_only=True))
    assert opinions[1][3] == "'=非核心期刊"
    page = review_html(sheet, claims, outcome, "李专家", "2022-03-01")
    assert "复核总分 76（未达到）" in page and "=非核心期刊" in page


def test_reviewed_claim_file_round_trips(library: SheetLibrary) -> None:
    verdicts = [{"target": "answers.papers[0]", "action": "reject", "reason": "非核心"}]
    _, claims, _ = reviewed(mining_case0(), verdicts, library)
    again = claims_from_text(to_yaml(claims.to_data()), "again.yaml", library.sheets)[1]
    assert again.review == claims.review and again.answers == claims.answers


def test_cli_review(tmp_path: Path) -> None:
    data = mining_case0()
    data["review"] = {
        "reviewer": "李专家",
        "date": "2022-03-01",
        "verdicts": [{"target": "answers.papers[0]", "action": "reject", "reason": "非核心期刊"}],
    }
    path = tmp_path / "reviewed.yaml"
    path.write_text(to_yaml(data), encoding="utf-8")
    out = tmp_path / "review.xlsx"
    done = subprocess.run(
        [sys.executable, "-m", "scorer", "review", str(path), "--xlsx", str(out)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "合计：申报 80 → 复核 76（-4）" in done.stdout
    assert "结论：达到 → 未达到" in done.stdout
    assert "论文著作第1条「露天矿爆破振动控制」：驳回，不计分；理由：非核心期刊" in done.stdout
    assert out.exists()


@pytest.mark.parametrize(
    ("block", "message"),
    [
        ({"reviewer": "李专家", "date": "2021-13-01", "verdicts": []},
         "review.date: 应为日期（YYYY-MM-DD），实际为「2021-13-01」"),
        ({"reviewer": "李专家", "date": "2022-03-01", "verdicts": 5}, "review.verdicts: 应为列表"),
        ({"reviewer": "李专家", "date": "2022-03-01", "verdicts": [{"action": "reject", "reason": "x"}]},
         "review.verdicts[0].target: 缺少必填字段"),
        ({"reviewer": "李专家", "date": "2022-03-01", "verdicts": [
            {"target": "answers.years_in_title", "action": "change", "value": "abc", "reason": "x"}]},
         "review.verdicts[0].value: 任现职年限应填数字，实际为「abc」"),
        ("随便写的", "review: 应为键值对"),
        # a points value is bounded before any arithmetic: 1e999999999 once took 11 s and a 1 GB message
        ({"reviewer": "李专家", "date": "2022-03-01", "verdicts": [
            {"target": "answers.years_in_title", "action": "change", "points": "1e999999999", "reason": "x"}]},
         "review.verdicts[0].points: 酌定分「1e999999999」是科学计数法；请直接写出数字"),
        ({"reviewer": "李专家", "date": "2022-03-01", "verdicts": [
            {"target": "answers.years_in_title", "action": "change", "points": "1" * 5000, "reason": "x"}]},
         "review.verdicts[0].points: 酌定分位数过多（最多 30 位有效数字）"),
        # a change that changes nothing is refused: 接受 says it
        ({"reviewer": "李专家", "date": "2022-03-01", "verdicts": [
            {"target": "answers.education", "action": "change", "value": "本科", "reason": "x"}]},
         "review.verdicts[0].value: 改为的答案与申报相同：如不修改，请选“接受”"),
        ({"reviewer": "李专家", "date": "2022-03-01", "verdicts": [
            {"target": "answers.mine_projects[0]", "action": "change", "level": "大型", "reason": "x"}]},
         "review.verdicts[0]: 修改后的业绩与申报相同：如不修改，请选“接受”"),
    ],
)
def test_a_malformed_review_block_is_refused_in_chinese(block: Any, message: str, library: SheetLibrary) -> None:
    data = mining_case0()
    sheet, claims = claims_from_text(to_yaml(data), "r.yaml", library.sheets)
    with pytest.raises(ClaimError) as info:
        parse_review(block, sheet, claims, "r.yaml")
    assert any(message in line for line in info.value.lines), info.value.lines
    assert all(len(line) < 300 for line in info.value.lines)


def test_a_ceiling_on_a_changed_answer_is_checked_against_what_the_change_scores(library: SheetLibrary) -> None:
    """任现职年限 claimed 10 年 (5 分, the tier at 10); the expert changes it to 7.5 年, which scores 3 分 (the tier
    at 5): a ceiling of 3.5 would change nothing and is refused against those 3 分; 2.5 lowers them. (Checked
    against the claimed 5, 3.5 passed and the opinion read 专家酌定不超过 3.5 分 beside an item scoring 3.)"""
    from scorer.claims import claims_from_data

    case_file, parsed = load_case_file(CASES_DIR / "zhejiang-mining-senior-2021.yaml")
    sheet, claims = claims_from_data(case_claims(case_file, parsed, 0).data, library.sheets)
    claimed = score(sheet, claims).items["years_in_title"]
    assert (claims.answers["years_in_title"], claimed.points) == (Decimal(10), Decimal(5))

    def review(points: str) -> dict[str, object]:
        return {"reviewer": "李专家", "date": "2022-03-01", "verdicts": [
            {"target": "answers.years_in_title", "action": "change", "value": "7.5", "points": points, "reason": "核减"}]}

    changed = dataclasses.replace(claims, answers={**claims.answers, "years_in_title": Decimal("7.5")})
    assert score(sheet, changed).items["years_in_title"].points == 3
    with pytest.raises(ClaimError) as exc:
        parse_review(review("3.5"), sheet, claims, "r.yaml")
    assert "酌定分 3.5 不低于改后的计算分 3：专家酌定只能调低" in str(exc.value)
    outcome = review_claims(sheet, claims, parse_review(review("2.5"), sheet, claims, "r.yaml"))
    assert outcome.reviewed.items["years_in_title"].points == Decimal("2.5")


def test_a_ceiling_beside_a_refused_value_is_not_checked_against_the_claim(library: SheetLibrary) -> None:
    """value: abc is refused on its own; no 酌定分 message then speaks of a changed score there is none of."""
    from scorer.claims import claims_from_data

    case_file, parsed = load_case_file(CASES_DIR / "zhejiang-mining-senior-2021.yaml")
    sheet, claims = claims_from_data(case_claims(case_file, parsed, 0).data, library.sheets)
    data = {"reviewer": "李专家", "date": "2022-03-01", "verdicts": [
        {"target": "answers.years_in_title", "action": "change", "value": "abc", "points": "6", "reason": "核减"}]}
    with pytest.raises(ClaimError) as exc:
        parse_review(data, sheet, claims, "r.yaml")
    assert "应填数字" in str(exc.value) and "酌定分" not in str(exc.value)
