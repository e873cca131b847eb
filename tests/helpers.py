"""Helpers for tests: tiny sheets built from YAML snippets, and scoring them in one call."""

from __future__ import annotations

import io
import textwrap
import zipfile
from pathlib import Path
from typing import Any

from scorer import Claims, Result, claims_from_data, score
from scorer.loader import sheet_from_text
from scorer.model import Sheet

ROOT = Path(__file__).resolve().parent.parent
SHEETS_DIR = ROOT / "scoresheets"
CASES_DIR = SHEETS_DIR / "cases"

HEADER = """\
id: test-sheet
title: 测试表
short_title: 测试
region: 浙江省
series: 工程
specialty: 测试
levels: [工程师]
route: 自评分申报
version: 2021
effective: {from: 2021-01-01}
fidelity: reconstructed
fidelity_note: 测试用
sources: [{doc: 测试文件}]
"""


def sheet_yaml(body: str, threshold: str = "threshold: {kind: total, min: 10}") -> str:
    return HEADER + threshold + "\n" + textwrap.dedent(body)


def make_sheet(body: str, threshold: str = "threshold: {kind: total, min: 10}") -> Sheet:
    return sheet_from_text(sheet_yaml(body, threshold), "test-sheet.yaml")


def one_item(item: str, cap: str = "") -> str:
    """A sheet body with one section holding the given item (indented YAML of one list element)."""
    return "sections:\n  - id: s\n    title: 部分\n" + cap + "    items:\n" + textwrap.indent(textwrap.dedent(item), "      ")


def run(sheet: Sheet, answers: dict[str, Any] | None = None, **rest: Any) -> Result:
    data: dict[str, Any] = {"sheet": sheet.id, "answers": answers or {}, **rest}
    _, claims = claims_from_data(data, {sheet.id: sheet})
    return score(sheet, claims)


def claims_for(sheet: Sheet, data: dict[str, Any]) -> Claims:
    return claims_from_data({"sheet": sheet.id, **data}, {sheet.id: sheet})[1]


def zipped(members: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    """A zip of these members, as a clerk's archiver writes one."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()
