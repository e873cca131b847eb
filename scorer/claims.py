"""An applicant's claim file, checked against its sheet before anything is scored.

The file is what an applicant exports, an expert reviews and a unit collects,
so every mistake in it is reported in Chinese with its line, and all mistakes
are reported at once rather than the first only.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, ValidationError, field_validator

from .attachments import FileRef
from .entry import Entry
from .errors import ClaimError, Problem, dotted, problems_from_validation, short
from .model import Gate, ScoredItem, Sheet
from .rules.answers import CONTROL_CHARS, AnswerChecker
from .rules.conditions import check_record
from .safeyaml import Parsed, ParseError, Path, parse_text, read_file

CLAIM_FORMAT = 1
PHOTO = "applicant.photo"  # the ID photo's attachment target (seed 001, seed 002 附件1)


class Applicant(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(default=None, max_length=100)
    unit: str | None = Field(default=None, max_length=200)
    current_title_date: dt.date | None = None
    # 本人述职: the notice allows 1000 characters; a longer one is kept (and flagged by the 材料自检), never cut
    statement: str | None = Field(default=None, max_length=20_000)

    @field_validator("name", "unit", "statement", mode="before")
    @classmethod
    def _plain_text(cls, value: Any) -> Any:
        if value is None:
            return None
        if not isinstance(value, str):
            raise ValueError(f"应为文字，实际为「{short(value)}」")
        if CONTROL_CHARS.search(value):
            raise ValueError("含有不可见的控制字符，请删除后重新输入")
        return value

    @field_validator("current_title_date", mode="before")
    @classmethod
    def _iso_date(cls, value: Any) -> Any:
        """YYYY-MM-DD only: 0 is not 1970-01-01, 20200315 and 2018-W37-1 are not dates a clerk writes."""
        if value is None or (isinstance(value, dt.date) and not isinstance(value, dt.datetime)):
            return value
        if not isinstance(value, str) or not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value.strip()):
            raise ValueError(f"日期「{short(value)}」无法识别，请写成 YYYY-MM-DD（如 2014-07-01）")
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            raise ValueError(f"「{value}」不是存在的日期，请核对年月日") from None


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
    # proof documents of what is not an entry: answers.<item>, gates.<gate>, applicant.photo (证件照)
    attachments: dict[str, Any] = {}
    review: dict[str, Any] | None = None  # an expert's review (scorer.review); never changes the answers


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
    attachments: dict[str, tuple[FileRef, ...]] = field(default_factory=dict)  # target -> documents
    # an expert's lower points per item (专家酌定), set by a review only, never read from a claim file
    item_ceilings: dict[str, Decimal] = field(default_factory=dict)
    sheet: Sheet | None = field(default=None, repr=False, compare=False)  # the sheet the answers fit

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
        items = self.sheet.items if self.sheet is not None else {}
        for key, value in self.answers.items():
            item = items.get(key)
            if item is not None:
                answers[key] = item.answer_data(value)
            else:
                answers[key] = [e.to_data() for e in value] if isinstance(value, list) else value
        out["answers"] = answers
        if self.attachments:
            out["attachments"] = {k: [f.to_data() for f in v] for k, v in self.attachments.items()}
        if self.review is not None:
            out["review"] = self.review
        return out


class _Checker(AnswerChecker):
    """The claim file's checker: gates here, each item through its own shape."""

    def gate(self, gate: Gate, value: Any, path: Path) -> Any:
        if gate.type == "flag":
            return self.flag(value, path)
        if gate.type == "number":
            return self.number(value, path, integer=gate.integer, maximum=gate.max)
        return check_record(self, value, gate.fields or {}, path)

    def answer(self, item: ScoredItem, value: Any, path: Path) -> Answer | None:
        return item.check_answer(value, path, self)


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
    attachments = _attachments(sheet, outer.attachments, checker)
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
        attachments=attachments,
        sheet=sheet,
    )
    return claims, checker.problems


def attachment_targets(sheet: Sheet) -> dict[str, str]:
    """Where a document may be attached outside an entry: target -> what a person calls it."""
    out = {PHOTO: "证件照"}
    out.update({f"gates.{g.id}": g.question for g in sheet.gates})
    out.update({f"answers.{i.id}": i.label for i in sheet.items.values() if not i.reviewed_by_row})
    return out


def _attachments(sheet: Sheet, raw: dict[str, Any], checker: AnswerChecker) -> dict[str, tuple[FileRef, ...]]:
    targets = attachment_targets(sheet)
    out = {}
    for target, value in raw.items():
        if target not in targets:
            checker.problem(("attachments", target), f"「{target}」不是可以附加材料的项目；业绩的附件写在该条业绩的 files 中")
            continue
        files = checker.files(value, ("attachments", target), targets[target])
        if files:
            out[target] = files
    return out


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
    claims, problems = _draft(data, sheet, filename)
    return claims, [readable_problem(sheet, p) for p in problems]


def draft_claims_split(data: dict[str, Any], sheet: Sheet, filename: str = "") -> tuple[Claims, list[str], list[str]]:
    """As ``draft_claims``, with the problems in two lists: values the sheet does not allow (a level, a
    role, an unreadable number), and values beyond a bound the sheet states (4 年度优秀 in 近三年 where
    the input's ``max`` is 3): the batch flags the first 超出表内取值 and the second 填写矛盾."""
    claims, problems = _draft(data, sheet, filename)
    return (claims, [readable_problem(sheet, p) for p in problems if not p.beyond_bound],
            [readable_problem(sheet, p) for p in problems if p.beyond_bound])


def _draft(data: dict[str, Any], sheet: Sheet, filename: str) -> tuple[Claims, list[Problem]]:
    parsed = Parsed(data, filename, {})
    outer = _outer(parsed)
    claims, problems = check_claims(sheet, outer, lenient=True)
    assert claims is not None
    return claims, problems


_APPLICANT_FIELDS = {"name": "姓名", "unit": "工作单位", "current_title_date": "现职称取得日期"}
_ENTRY_FIELDS = {"level": "级别", "role": "角色", "rank": "本人排名", "date": "日期", "title": "名称", "evidence": "佐证材料",
                 "points": "申报分值", "category": "类别", "note": "备注", "representative": "代表性成果",
                 "indicator": "指标", "band": "档次", "value": "数值", "row": "行"}


def readable_problem(sheet: Sheet, problem: Problem) -> str:
    """A problem as the applicant reads it on the page: the item's label and the row, not ``answers.x[0].date``."""
    path = problem.path
    where: list[str] = []
    if path[:1] == ("answers",) and len(path) > 1:
        item = sheet.items.get(str(path[1]))
        where.append(item.label if item is not None else str(path[1]))
        rest = path[2:]
        if rest and isinstance(rest[0], int):
            if not problem.message.startswith("第"):
                where.append(f"第{rest[0] + 1}条")
            rest = rest[1:]
        if rest and isinstance(rest[0], str):
            fields = getattr(item, "fields", None) or {}
            spec = fields.get(rest[0]) if isinstance(fields, dict) else None
            label = spec.label if spec is not None else _ENTRY_FIELDS.get(rest[0], rest[0])
            if label not in problem.message:
                where.append(label)
    elif path[:1] == ("gates",) and len(path) > 1:
        gate = next((g for g in sheet.gates if g.id == path[1]), None)
        where.append(gate.question if gate is not None else str(path[1]))
        if len(path) > 2 and gate is not None and gate.fields and path[2] in gate.fields:
            where.append(gate.fields[str(path[2])].label)
    elif path[:1] == ("vetoes",) and len(path) > 1:
        veto = next((v for v in sheet.vetoes if v.id == path[1]), None)
        where.append(veto.question if veto is not None else str(path[1]))
    elif path[:1] == ("applicant",) and len(path) > 1:
        where.append(_APPLICANT_FIELDS.get(str(path[1]), str(path[1])))
    elif path[:1] == ("level",):
        where.append("申报级别")
    elif path:
        where.append(dotted(path))
    if where and problem.message.startswith(where[-1]):
        where = where[:-1]  # the message already names it (任现职年限不能为负数)
    return f"{' · '.join(where)}：{problem.message}" if where else problem.message


def load_claims(path: str, sheets: dict[str, Sheet]) -> tuple[Sheet, Claims]:
    try:
        parsed = read_file(path)
    except ParseError as exc:
        raise ClaimError.from_parse_error(exc) from None
    return claims_from_parsed(parsed, sheets)
