"""The command line: output, JSON shape and exit codes (0 ok, 1 a data problem, 2 usage)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from helpers import CASES_DIR, ROOT, SHEETS_DIR

CLAIM = """\
sheet: zhejiang-mining-senior-2021
applicant: {name: 张三, current_title_date: 2014-07-01}
gates: {annual_review: true, social_insurance: 12, not_civil_servant: true, years_as_engineer: 8,
        ce_hours_2021: {total: 96, public: 20, professional: 70}}
vetoes: {false_material: false, accident_liability: false}
answers:
  education: 本科
  years_in_title: 7
  mine_projects:
    - {level: 大型, role: 主持, date: 2018-05-01, title: 某矿技改工程, evidence: [合同.pdf]}
    - {level: 小型, role: 主持, date: 2012-05-01, title: 旧项目}
  awards:
    - {level: 省部级一等奖, rank: 1, date: 2019-01-01, title: 奖甲}
    - {level: 省部级二等奖, rank: 2, date: 2020-01-01, title: 奖乙}
"""


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "scorer", *args], capture_output=True, text=True, cwd=ROOT, timeout=60, check=False
    )


def _counts() -> tuple[int, int, int]:
    """Sheets, case files and cases on disk, counted from the files themselves (not from the CLI)."""
    sheets = len(list(SHEETS_DIR.glob("*.yaml")))
    case_paths = list((SHEETS_DIR / "cases").glob("*.yaml"))
    cases = sum(len(re.findall(r"^  - name:", p.read_text(encoding="utf-8"), flags=re.M)) for p in case_paths)
    return sheets, len(case_paths), cases


def test_lint_prints_only_a_summary() -> None:
    done = cli("lint", str(SHEETS_DIR))
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    sheets, files, cases = _counts()
    assert done.stdout.strip().splitlines() == [f"检查了 {sheets} 张评分表、{files} 个案例文件（{cases} 个案例）：全部通过"]


def test_lint_reports_a_broken_sheet(tmp_path: Path) -> None:
    bad = tmp_path / "bad-sheet.yaml"
    bad.write_text("id: bad-sheet\ntitle: 坏表\nversion: 2021\nnosuch: 1\n", encoding="utf-8")
    done = cli("lint", str(bad))
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert f"{bad}:4:9: nosuch: 未知字段" in done.stderr
    assert "发现" in done.stdout


def test_score_json(tmp_path: Path) -> None:
    claim = tmp_path / "claim.yaml"
    claim.write_text(CLAIM, encoding="utf-8")
    done = cli("score", str(claim), "--json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    # 本科6 + 任现职7年3 = 9; 大型主持30 (小型 2012 before the title date: ignored); awards 15 + 12x0.8=9.6 -> cap 15
    assert data["total"] == "54"
    assert (data["sheet"], data["threshold"], data["verdict"], data["margin"]) == (
        "zhejiang-mining-senior-2021", "80", "未达到", "-26"
    )
    assert [(s["id"], s["subtotal"], s["cap"]) for s in data["sections"]] == [
        ("experience", "9", "25"), ("performance", "30", "45"), ("achievements", "15", "30")
    ]
    assert {i["id"]: i["points"] for i in data["items"]}["awards"] == "15"
    assert len(data["warnings"]) == 1 and "旧项目" in data["warnings"][0]


def test_score_text_report_in_chinese(tmp_path: Path) -> None:
    claim = tmp_path / "claim.yaml"
    claim.write_text(CLAIM, encoding="utf-8")
    done = cli("score", str(claim))
    assert done.returncode == 0
    assert "总分 54 / 分数线 80" in done.stdout
    assert "结论：未达到（还差 26）" in done.stdout
    assert "【注意】" in done.stdout  # reconstructed sheet says so


def test_score_bad_claim_exit_1_without_traceback(tmp_path: Path) -> None:
    claim = tmp_path / "claim.yaml"
    claim.write_text(CLAIM.replace("education: 本科", "education: 研究生"), encoding="utf-8")
    done = cli("score", str(claim))
    assert done.returncode == 1
    assert done.stdout == ""
    assert "Traceback" not in done.stderr
    assert "answers.education: 「研究生」不是本项的选项" in done.stderr


def test_score_missing_file_exit_1(tmp_path: Path) -> None:
    done = cli("score", str(tmp_path / "none.yaml"))
    assert done.returncode == 1
    assert "无法读取文件" in done.stderr


def test_usage_errors_exit_2() -> None:
    assert cli().returncode == 2
    assert cli("frobnicate").returncode == 2
    assert cli("lint", "/no/such/path").returncode == 2


def test_test_command_reports_counts() -> None:
    done = cli("test")
    assert done.returncode == 0, done.stdout
    assert done.stdout.strip().splitlines()[-1] == f"{_counts()[2]} passed, 0 failed"


def test_test_command_fails_on_a_wrong_case(tmp_path: Path) -> None:
    text = (CASES_DIR / "cixi-engineering-junior-2021.yaml").read_text(encoding="utf-8")
    bad = tmp_path / "cases" / "cixi.yaml"
    bad.parent.mkdir()
    bad.write_text(text.replace("      total: 120\n", "      total: 121\n", 1), encoding="utf-8")
    done = cli("test", str(bad), "--sheets", str(SHEETS_DIR))
    assert done.returncode == 1
    assert "total: 期望 121，实际 120" in done.stdout
    assert done.stdout.strip().splitlines()[-1] == "4 passed, 1 failed"


def test_explain_prints_the_sheet() -> None:
    done = cli("explain", "zhejiang-blasting-senior-2021")
    assert done.returncode == 0
    assert "代表业绩起评：A级 30、B级 24、C级 18、D级 10" in done.stdout
    assert "省部级一等奖 15" in done.stdout  # reused mining item shown in full
    assert cli("explain", "nope").returncode == 1


def test_score_writes_exports(tmp_path: Path) -> None:
    claim = tmp_path / "claim.yaml"
    claim.write_text(CLAIM, encoding="utf-8")
    paths = {ext: tmp_path / f"out.{ext}" for ext in ("xlsx", "html", "csv")}
    done = cli("score", str(claim), *[a for ext, p in paths.items() for a in (f"--{ext}", str(p))])
    assert done.returncode == 0, done.stderr
    assert paths["csv"].read_bytes().startswith("\ufeff序号".encode())
    assert "总分 54，分数线 80，还差 26。结论：未达到" in paths["html"].read_text(encoding="utf-8")
    assert paths["xlsx"].stat().st_size > 0
