"""Worked examples: claims in, the numbers a clerk computes by hand out.

A case file holds the cases of one sheet; each case names the expected total,
verdict, subtotals and item points, so every sheet is proved by examples that
run in the test suite (``python -m scorer test``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path as FsPath
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .claims import Claims, claims_from_parsed
from .engine import score
from .errors import ClaimError, DataError, Problem, problems_from_validation
from .model import Sheet
from .numbers import fmt
from .safeyaml import Parsed, ParseError, read_file


class Expect(BaseModel):
    model_config = ConfigDict(extra="forbid")

    total: Decimal | None = None
    verdict: str | None = None
    margin: Decimal | None = None
    threshold: Decimal | None = None
    sections: dict[str, Decimal] = {}
    items: dict[str, Decimal] = {}
    warnings: int | None = None  # how many entries were ignored, each with a warning
    caps: int | None = None  # how many caps bit
    failed_gates: list[str] | None = None
    pending: int | None = None
    notices: int | None = None
    findings: int | None = None  # 标志性成果 findings beside the verdict
    contradictions: int | None = None  # consistency rules broken
    reviewed_total: Decimal | None = None  # with the case's review block applied (expert changes, 专家酌定)
    reviewed_items: dict[str, Decimal] = {}


class Case(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1)
    note: str | None = None  # the hand computation, for the reader
    claims: dict[str, Any]
    expect: Expect


class CaseFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    sheet: str
    common: dict[str, Any] = {}  # claim keys shared by every case (applicant, gates...); a case's own keys win
    cases: list[Case] = Field(min_length=1)


@dataclass
class CaseOutcome:
    file: str
    name: str
    mismatches: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.mismatches


def _compare(label: str, expected: Any, actual: Any, out: list[str]) -> None:
    if expected is not None and expected != actual:
        shown = fmt(actual) if isinstance(actual, Decimal) else actual
        wanted = fmt(expected) if isinstance(expected, Decimal) else expected
        out.append(f"{label}: 期望 {wanted}，实际 {shown}")


def case_claims(case_file: CaseFile, parsed: Parsed, index: int) -> Parsed:
    """The claim data of one case (common keys merged in), with positions into the case file."""
    case = case_file.cases[index]
    data = {"sheet": case_file.sheet, **case_file.common, **case.claims}
    positions = {k[1:]: v for k, v in parsed.positions.items() if k[:1] == ("common",)}
    prefix = ("cases", index, "claims")
    positions.update({k[3:]: v for k, v in parsed.positions.items() if k[:3] == prefix})
    return Parsed(data, parsed.filename, positions)


def run_case(sheet: Sheet, case: Case, sub: Parsed) -> list[str]:
    """Score one case; the list of mismatches is empty when it passes."""
    try:
        _, claims = claims_from_parsed(sub, {sheet.id: sheet})
    except ClaimError as exc:
        return [f"申报数据有误：{line}" for line in exc.lines]
    result = score(sheet, claims)
    e = case.expect
    out: list[str] = []
    _compare("total", e.total, result.total, out)
    _compare("verdict", e.verdict, result.verdict, out)
    _compare("margin", e.margin, result.margin, out)
    _compare("threshold", e.threshold, result.threshold, out)
    sections = {s.id: s.subtotal for s in result.sections}
    for key, value in e.sections.items():
        _compare(f"sections.{key}", value, sections.get(key, "（无此部分）"), out)
    for key, value in e.items.items():
        item = result.items.get(key)
        _compare(f"items.{key}", value, item.points if item else "（无此项）", out)
    _compare("warnings", e.warnings, len(result.warnings), out)
    _compare("caps", e.caps, len(result.caps), out)
    _compare("pending", e.pending, len(result.pending), out)
    _compare("notices", e.notices, len(result.notices), out)
    _compare("findings", e.findings, len(result.findings), out)
    _compare("contradictions", e.contradictions, len(result.contradictions), out)
    if e.failed_gates is not None:
        _compare("failed_gates", sorted(e.failed_gates), sorted(g.id for g in result.failed_gates), out)
    if e.reviewed_total is not None or e.reviewed_items:
        out += _reviewed(sheet, claims, e, sub.filename)
    return out


def _reviewed(sheet: Sheet, claims: Claims, e: Expect, filename: str) -> list[str]:
    from .review import parse_review, review_claims

    if claims.review is None:
        return ["reviewed_total: 案例没有 review 复核块"]
    try:
        outcome = review_claims(sheet, claims, parse_review(claims.review, sheet, claims, filename))
    except ClaimError as exc:
        return [f"复核有误：{line}" for line in exc.lines]
    out: list[str] = []
    _compare("reviewed_total", e.reviewed_total, outcome.reviewed.total, out)
    for key, value in e.reviewed_items.items():
        item = outcome.reviewed.items.get(key)
        _compare(f"reviewed_items.{key}", value, item.points if item else "（无此项）", out)
    return out


def load_case_file(path: str | os.PathLike[str]) -> tuple[CaseFile, Parsed]:
    try:
        parsed = read_file(str(path))
    except ParseError as exc:
        raise DataError.from_parse_error(exc) from None
    try:
        return CaseFile.model_validate(parsed.data), parsed
    except ValidationError as exc:
        raise DataError.from_problems(parsed, problems_from_validation(exc, parsed.data)) from None


def run_case_file(path: str | os.PathLike[str], sheets: dict[str, Sheet]) -> list[CaseOutcome]:
    case_file, parsed = load_case_file(path)
    sheet = sheets.get(case_file.sheet)
    if sheet is None:
        raise DataError.from_problems(parsed, [Problem(("sheet",), f"未知的评分表「{case_file.sheet}」")])
    return [
        CaseOutcome(str(path), case.name, run_case(sheet, case, case_claims(case_file, parsed, i)))
        for i, case in enumerate(case_file.cases)
    ]


def case_files(folder: str | os.PathLike[str]) -> list[FsPath]:
    return sorted(FsPath(folder).glob("*.yaml"))
