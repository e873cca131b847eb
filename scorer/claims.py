"""An applicant's claim file, checked against its sheet before anything is scored.

The file is what an applicant exports, an expert reviews and a unit collects,
so every mistake in it is reported in Chinese with its line, and all mistakes
are reported at once rather than the first only.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, ValidationError

from .errors import ClaimError, Problem, dotted, problems_from_validation
from .model import (
    ChoiceItem,
    EntriesItem,
    FieldSpec,
    FlagItem,
    Gate,
    LinearItem,
    RecordItem,
    ScoredItem,
    Sheet,
    TiersItem,
)
from .safeyaml import Parsed, ParseError, Path, parse_text, read_file

CLAIM_FORMAT = 1


class Applicant(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str | None = None
    unit: str | None = None
    current_title_date: dt.date | None = None


class ClaimFile(BaseModel):
    """The outer shape; per-item answers are checked against the sheet afterwards."""

    model_config = ConfigDict(extra="forbid")

    format: Literal[1] = CLAIM_FORMAT
    sheet: str = Field(min_length=1)
    version: int | None = None
    level: str | None = None
    applicant: Applicant = Applicant()
    gates: dict[str, Any] = {}
    vetoes: dict[str, StrictBool | None] = {}
    answers: dict[str, Any] = {}
    review: dict[str, Any] | None = None  # an expert's review (scorer.review); never changes the answers


@dataclass(frozen=True)
class Entry:
    """One listed achievement (业绩): a project, paper, award..."""

    level: str | None = None
    role: str | None = None
    rank: int | None = None
    date: dt.date | None = None
    title: str | None = None
    evidence: tuple[str, ...] = ()
    note: str | None = None
    flags: dict[str, bool] = field(default_factory=dict)

    def describe(self, index: int) -> str:
        """How a person names this entry in a message: 第2条「某矿技改工程」."""
        return f"第{index + 1}条「{self.title}」" if self.title else f"第{index + 1}条"

    def to_data(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key in ("level", "role", "rank", "date", "title"):
            value = getattr(self, key)
            if value is not None:
                out[key] = value
        out.update(self.flags)
        if self.evidence:
            out["evidence"] = list(self.evidence)
        if self.note:
            out["note"] = self.note
        return out


Answer = str | Decimal | bool | dict[str, Any] | list[Entry]


@dataclass
class Claims:
    """A claim file that fits its sheet: every answer has the type its item needs."""

    sheet_id: str
    level: str | None
    applicant: Applicant
    gates: dict[str, Any]
    vetoes: dict[str, bool | None]
    answers: dict[str, Answer]
    version: int | None = None
    review: dict[str, Any] | None = None  # kept as written; scorer.review checks and applies it

    def to_data(self) -> dict[str, Any]:
        """Plain data for YAML/JSON export; parses back to equal Claims."""
        out: dict[str, Any] = {"format": CLAIM_FORMAT, "sheet": self.sheet_id}
        if self.version is not None:
            out["version"] = self.version
        if self.level is not None:
            out["level"] = self.level
        applicant = self.applicant.model_dump(exclude_none=True)
        if applicant:
            out["applicant"] = applicant
        if self.gates:
            out["gates"] = dict(self.gates)
        if self.vetoes:
            out["vetoes"] = dict(self.vetoes)
        answers: dict[str, Any] = {}
        for key, value in self.answers.items():
            answers[key] = [e.to_data() for e in value] if isinstance(value, list) else value
        out["answers"] = answers
        if self.review is not None:
            out["review"] = self.review
        return out


_ENTRY_KEYS = {"level", "role", "rank", "date", "title", "evidence", "note"}


class _Checker:
    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def problem(self, path: Path, message: str) -> None:
        self.problems.append(Problem(path, message))

    # --- scalars -------------------------------------------------------------------------
    def number(self, value: Any, path: Path, *, integer: bool = False) -> Decimal | None:
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (int, Decimal, str)):
            self.problem(path, f"应填数字，实际为「{value}」")
            return None
        try:
            number = Decimal(str(value).strip())
        except InvalidOperation:
            self.problem(path, f"应填数字，实际为「{value}」")
            return None
        if not number.is_finite():
            self.problem(path, f"应填有限的数字，实际为「{value}」")
            return None
        if number < 0:
            self.problem(path, f"不能为负数（填写了 {value}）")
            return None
        if integer and number != number.to_integral_value():
            self.problem(path, f"应填整数，实际为「{value}」")
            return None
        return number

    def flag(self, value: Any, path: Path) -> bool | None:
        if value is None or isinstance(value, bool):
            return value
        self.problem(path, f"应填 true（是）或 false（否），实际为「{value}」")
        return None

    def option(self, value: Any, options: list[str], path: Path, what: str = "选项") -> str | None:
        if value is None:
            return None
        text = str(value)
        if text not in options:
            self.problem(path, f"「{text}」不是本项的{what}；可选：{'、'.join(options)}")
            return None
        return text

    def date(self, value: Any, path: Path) -> dt.date | None:
        if value is None or isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value).strip())
        except ValueError:
            self.problem(path, f"日期「{value}」无法识别，请写成 YYYY-MM-DD（如 2018-05-01）")
            return None

    # --- records (multi-field gates and conditions) -----------------------------------------
    def record(self, value: Any, fields: dict[str, FieldSpec], path: Path) -> dict[str, Any] | None:
        if value is None:
            return None
        if not isinstance(value, dict):
            names = "、".join(f"{k}（{f.label}）" for k, f in fields.items())
            self.problem(path, f"应填多个字段：{names}")
            return None
        out: dict[str, Any] = {}
        for key, raw in value.items():
            spec = fields.get(key)
            where = (*path, key)
            if spec is None:
                self.problem(where, f"未知字段「{key}」；可填：{'、'.join(fields)}")
            elif spec.type == "number":
                out[key] = self.number(raw, where)
            elif spec.type == "flag":
                out[key] = self.flag(raw, where)
            else:
                out[key] = self.option(raw, spec.options or [], where)
        return out

    def gate(self, gate: Gate, value: Any, path: Path) -> Any:
        if gate.type == "flag":
            return self.flag(value, path)
        if gate.type == "number":
            return self.number(value, path)
        return self.record(value, gate.fields or {}, path)

    # --- items -----------------------------------------------------------------------------
    def answer(self, item: ScoredItem, value: Any, path: Path) -> Answer | None:
        if isinstance(item, ChoiceItem):
            return self.option(value, list(item.options), path)
        if isinstance(item, (TiersItem, LinearItem)):
            return self.number(value, path, integer=item.input.integer)
        if isinstance(item, FlagItem):
            return self.flag(value, path)
        if isinstance(item, RecordItem):
            return self.record(value, item.fields, path)
        return self.entries(item, value, path)

    def entries(self, item: EntriesItem, value: Any, path: Path) -> list[Entry] | None:
        if value is None:
            return None
        if not isinstance(value, list):
            self.problem(path, "应填业绩列表（每条以 - 开头）")
            return None
        return [e for i, raw in enumerate(value) if (e := self.entry(item, raw, (*path, i), i)) is not None]

    def entry(self, item: EntriesItem, raw: Any, path: Path, index: int) -> Entry | None:
        if not isinstance(raw, dict):
            self.problem(path, "每条业绩应写成键值对，如 {level: …, date: …, title: …}")
            return None
        before = len(self.problems)
        title = raw.get("title")
        name = f"第{index + 1}条「{title}」" if title else f"第{index + 1}条"
        flags: dict[str, bool] = {}
        for key in raw:
            if key in _ENTRY_KEYS:
                continue
            if key in item.entry_flags:
                got = self.flag(raw[key], (*path, key))
                if got is not None:
                    flags[key] = got
            else:
                allowed = sorted(_ENTRY_KEYS | set(item.entry_flags))
                self.problem((*path, key), f"{name}有未知字段「{key}」；可填：{'、'.join(allowed)}")
        level = role = None
        if item.levels:
            if raw.get("level") is None:
                self.problem((*path, "level"), f"{name}缺少 level（级别）；可选：{'、'.join(item.levels)}")
            else:
                level = self.option(raw["level"], item.levels, (*path, "level"), "级别")
        elif raw.get("level") is not None:
            self.problem((*path, "level"), f"{name}：本项不分级别，请删除 level")
        if item.roles:
            if raw.get("role") is None:
                self.problem((*path, "role"), f"{name}缺少 role（角色）；可选：{'、'.join(item.roles)}")
            else:
                role = self.option(raw["role"], item.roles, (*path, "role"), "角色")
        elif raw.get("role") is not None:
            self.problem((*path, "role"), f"{name}：本项不分角色，请删除 role")
        rank = None
        if raw.get("rank") is not None:
            got = self.number(raw["rank"], (*path, "rank"), integer=True)
            if got is not None and got < 1:
                self.problem((*path, "rank"), f"{name}的排名应从 1 开始")
            elif got is not None:
                rank = int(got)
        elif item.rank_coefficients:
            self.problem((*path, "rank"), f"{name}缺少 rank（本人排名，第一作者/完成人填 1）；本项按排名系数计分")
        evidence = raw.get("evidence")
        if evidence is None:
            evidence_list: tuple[str, ...] = ()
        elif isinstance(evidence, str):
            evidence_list = (evidence,) if evidence.strip() else ()
        elif isinstance(evidence, list) and all(isinstance(e, str) for e in evidence):
            evidence_list = tuple(e for e in evidence if e.strip())
        else:
            self.problem((*path, "evidence"), f"{name}的 evidence 应为文件名或说明的列表")
            evidence_list = ()
        date = self.date(raw.get("date"), (*path, "date"))
        if len(self.problems) > before:
            return None
        note = raw.get("note")
        return Entry(
            level, role, rank, date,
            None if title is None else str(title),  # `title: 2019` is a title, not a number
            evidence_list,
            None if note is None else str(note),
            flags,
        )


def check_claims(sheet: Sheet, outer: ClaimFile, *, lenient: bool = False) -> tuple[Claims | None, list[Problem]]:
    """Claims that fit the sheet, and the problems found.

    Strict (files): any problem means no claims.  Lenient (a draft being typed): answers and
    entries with problems are left out of the claims, and the problems are returned to show.
    """
    checker = _Checker()
    level = outer.level
    if len(sheet.levels) > 1:
        if level is None:
            checker.problem(("level",), f"本表分级别申报，请填写 level：{'、'.join(sheet.levels)}")
        elif level not in sheet.levels:
            checker.problem(("level",), f"申报级别「{level}」不在本表中；可选：{'、'.join(sheet.levels)}")
    elif level is not None and level not in sheet.levels:
        checker.problem(("level",), f"本表只用于 {sheet.levels[0]}，不能填「{level}」")
    if outer.version is not None and outer.version != sheet.version:
        checker.problem(("version",), f"申报文件对应 {outer.version} 版，当前评分表为 {sheet.version} 版")
    gates_by_id = {g.id: g for g in sheet.gates}
    gates: dict[str, Any] = {}
    for key, value in outer.gates.items():
        gate = gates_by_id.get(key)
        if gate is None:
            checker.problem(("gates", key), f"本表没有申报条件「{key}」；可填：{'、'.join(gates_by_id)}")
            continue
        gates[key] = checker.gate(gate, value, ("gates", key))
    veto_ids = {v.id for v in sheet.vetoes}
    for key in outer.vetoes:
        if key not in veto_ids:
            known = "、".join(veto_ids) or "（本表无否决项）"
            checker.problem(("vetoes", key), f"本表没有否决项「{key}」；可填：{known}")
    answers: dict[str, Answer] = {}
    for key, value in outer.answers.items():
        item = sheet.items.get(key)
        if item is None:
            checker.problem(("answers", key), f"本表没有项目「{key}」；可填：{'、'.join(sheet.items)}")
            continue
        got = checker.answer(item, value, ("answers", key))
        if got is not None:
            answers[key] = got
    if checker.problems and not lenient:
        return None, checker.problems
    claims = Claims(
        sheet_id=sheet.id,
        level=level if level is not None else (sheet.levels[0] if len(sheet.levels) == 1 else None),
        applicant=outer.applicant,
        gates=gates,
        vetoes={k: v for k, v in outer.vetoes.items() if k in veto_ids},
        answers=answers,
        version=outer.version,
        review=outer.review,
    )
    return claims, checker.problems


def _outer(parsed: Parsed) -> ClaimFile:
    if not isinstance(parsed.data, dict):
        raise ClaimError.from_problems(parsed, [Problem((), "申报文件应是键值对（sheet: …、answers: … 等）")])
    try:
        return ClaimFile.model_validate(parsed.data)
    except ValidationError as exc:
        raise ClaimError.from_problems(parsed, problems_from_validation(exc, parsed.data)) from None


def claims_from_parsed(parsed: Parsed, sheets: dict[str, Sheet]) -> tuple[Sheet, Claims]:
    """Validate parsed claim data against the sheet it names; raise ClaimError with every problem."""
    outer = _outer(parsed)
    sheet = sheets.get(outer.sheet)
    if sheet is None:
        known = "、".join(sorted(sheets)) or "（无）"
        raise ClaimError.from_problems(parsed, [Problem(("sheet",), f"未知的评分表「{outer.sheet}」；可用：{known}")])
    claims, problems = check_claims(sheet, outer)
    if problems or claims is None:
        raise ClaimError.from_problems(parsed, problems)
    return sheet, claims


def claims_from_text(text: str, filename: str, sheets: dict[str, Sheet]) -> tuple[Sheet, Claims]:
    try:
        parsed = parse_text(text, filename)
    except ParseError as exc:
        raise ClaimError.from_parse_error(exc) from None
    return claims_from_parsed(parsed, sheets)


def claims_from_data(data: dict[str, Any], sheets: dict[str, Sheet], filename: str = "<申报数据>") -> tuple[Sheet, Claims]:
    """For data built in code (the app, generated cases): no line numbers, same checks."""
    return claims_from_parsed(Parsed(data, filename, {}), sheets)


def draft_claims(data: dict[str, Any], sheet: Sheet, filename: str = "") -> tuple[Claims, list[str]]:
    """A draft as far as it goes: what fits is scored, what does not is listed (path: message).

    Raises ClaimError only when the outer shape is wrong (unknown top-level keys and the like).
    """
    parsed = Parsed(data, filename, {})
    outer = _outer(parsed)
    claims, problems = check_claims(sheet, outer, lenient=True)
    assert claims is not None
    return claims, [f"{dotted(p.path)}: {p.message}" for p in problems]


def load_claims(path: str, sheets: dict[str, Sheet]) -> tuple[Sheet, Claims]:
    try:
        parsed = read_file(path)
    except ParseError as exc:
        raise ClaimError.from_parse_error(exc) from None
    return claims_from_parsed(parsed, sheets)
