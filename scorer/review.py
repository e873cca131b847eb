"""A recommending expert's review: accept, change or reject each claimed answer and entry, with a reason.

The review travels with the claim file as a ``review`` block and never touches
the applicant's own answers; the reviewed score comes from applying the
verdicts to a copy and scoring that copy with the same engine.

    review:
      reviewer: 李专家
      date: 2022-03-01
      verdicts:
        - {target: answers.education, action: change, value: 大专, reason: 学历证书为大专}
        - {target: answers.mine_projects[1], action: change, level: 中型, reason: 合同金额达不到大型}
        - {target: answers.papers[0], action: reject, reason: 刊物非核心期刊}
        - {target: answers.overall, action: change, points: 14, reason: 专家按难度、效益综合确定}

A change may give a new answer (``value``), new entry fields (``level``, ``role``,
``rank``, ``category``, or ``points`` inside a range), or lower points at the
expert's discretion (``points`` on an item or on a fixed-value entry: 专家酌定).
What a reviewer may change is each shape's own business (``scorer.rules``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .claims import Claims, _Checker
from .engine import score
from .entry import Entry
from .errors import ClaimError, Problem, problems_from_validation
from .model import Sheet
from .numbers import answer_text, exact
from .result import Result
from .safeyaml import Path

ACTION_TEXT = {"accept": "接受", "change": "修改", "reject": "驳回"}
_TARGET = re.compile(r"^answers\.([a-z][a-z0-9_]*)(?:\[(\d+)\])?$")


class Verdict(BaseModel):
    model_config = ConfigDict(extra="forbid")

    target: str = Field(pattern=_TARGET.pattern)
    action: Literal["accept", "change", "reject"]
    value: Any = None  # a changed answer (years, an option, ...)
    category: str | None = None  # a changed entry
    level: str | None = None
    role: str | None = None
    rank: int | None = Field(default=None, ge=1, le=999)
    points: Decimal | None = Field(default=None, ge=0, allow_inf_nan=False)  # 专家酌定, or a value inside a range
    # documents of the entry the expert does not accept (SHA-256 of each): the entry is rejected for them
    refused: list[Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]] = []
    reason: str | None = None

    def entry_change(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in ("category", "level", "role", "rank", "points") if getattr(self, k) is not None}


class Review(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reviewer: str = Field(min_length=1)
    date: dt.date
    verdicts: list[Verdict] = []


@dataclass
class Change:
    target: str
    what: str  # the item and entry in words
    action: str  # 接受 / 修改 / 驳回
    detail: str  # what changed
    reason: str


@dataclass
class ReviewOutcome:
    claimed: Result
    reviewed: Result
    reviewed_claims: Claims
    changes: list[Change]

    @property
    def delta(self) -> Decimal:
        with exact():
            return self.reviewed.total - self.claimed.total


def parse_review(data: Any, sheet: Sheet, claims: Claims, filename: str = "") -> Review:
    """The review block, checked against the sheet and the claims it reviews (ClaimError in Chinese)."""
    from .safeyaml import Parsed

    parsed = Parsed({"review": data}, filename, {})
    bounds = _bounded_points(data)
    if bounds:  # before pydantic turns 1e999999999 into a Decimal that any arithmetic or printing would blow up
        raise ClaimError.from_problems(parsed, bounds)
    try:
        review = Review.model_validate(data)
    except ValidationError as exc:
        problems = [Problem(("review", *p.path), p.message) for p in problems_from_validation(exc, data)]
        raise ClaimError.from_problems(parsed, problems) from None
    problems = []
    checker = _Checker()
    seen: set[str] = set()
    claimed = score(sheet, claims) if any(v.points is not None for v in review.verdicts) else None
    for i, verdict in enumerate(review.verdicts):
        where = ("review", "verdicts", i)
        item_id, index = _target(verdict.target)
        item = sheet.items.get(item_id)
        if verdict.target in seen:
            problems.append(Problem((*where, "target"), f"「{verdict.target}」复核了两次"))
        seen.add(verdict.target)
        if verdict.action != "accept" and not (verdict.reason or "").strip():
            problems.append(Problem((*where, "reason"), "修改或驳回必须写明理由"))
        if item is None:
            problems.append(Problem((*where, "target"), f"本表没有项目「{item_id}」"))
            continue
        answer = claims.answers.get(item_id)
        if index is not None:
            if not item.reviewed_by_row or not isinstance(answer, list) or index >= len(answer):
                problems.append(Problem((*where, "target"), f"申报中没有第{index + 1}条「{item.label}」业绩"))
                continue
            if verdict.refused:
                held = {f.sha256 for f in answer[index].files}
                if verdict.action != "reject":
                    problems.append(Problem((*where, "refused"), "材料不认可时本条应为“驳回”（action: reject）"))
                if set(verdict.refused) - held:
                    problems.append(Problem((*where, "refused"), "不认可的材料不是本条业绩所附的文件"))
            if verdict.action == "change":
                if not item.review_row_fields():
                    problems.append(Problem(where, "本项逐条只能接受或驳回"))
                elif not verdict.entry_change():
                    problems.append(Problem(where, "修改业绩须给出新的类别、级别、角色、排名或分值（至少一项与申报不同）"))
                else:
                    new = item.review_entry(answer[index], verdict.entry_change(), where, checker)
                    if new == answer[index]:
                        problems.append(Problem(where, "修改后的业绩与申报相同：如不修改，请选“接受”"))
                    problems += _discretion_problems(verdict, claimed, item_id, index, where)
        else:
            if answer is None:
                problems.append(Problem((*where, "target"), f"申报人没有填写「{item.label}」，无可复核"))
            elif verdict.action == "change":
                if item.reviewed_by_row and verdict.points is None:
                    problems.append(Problem((*where, "target"), "业绩请逐条复核：target 写成 answers.项目[序号]"))
                elif verdict.value is None and verdict.points is None:
                    problems.append(Problem(where, "修改须给出新的答案（value）或专家酌定分（points）"))
                elif verdict.value is not None and not item.reviewer_may_change:
                    problems.append(Problem((*where, "value"), "此项只能接受、驳回或酌定分值（points）"))
                elif verdict.value is not None:
                    after = checker.answer(item, verdict.value, (*where, "value"))
                    if after == answer and verdict.points is None:
                        problems.append(Problem((*where, "value"), "改为的答案与申报相同：如不修改，请选“接受”"))
                    if after is None:
                        continue  # the value is refused (said above): there is no changed score to lower
                    if verdict.points is not None and after != answer:
                        # the ceiling lowers what the changed answer scores, not what was claimed
                        changed = dataclasses.replace(claims, answers={**claims.answers, item_id: after})
                        problems += _discretion_problems(verdict, score(sheet, changed), item_id, None, where,
                                                         changed=True)
                        continue
                problems += _discretion_problems(verdict, claimed, item_id, None, where)
    problems += [Problem(p.path, p.message) for p in checker.problems]
    if problems:
        raise ClaimError.from_problems(parsed, problems)
    return review


def _bounded_points(data: Any) -> list[Problem]:
    """Every verdict's ``points`` checked as a claimed number is: bounded, at most 30 digits, a plain decimal."""
    if not isinstance(data, dict) or not isinstance(data.get("verdicts"), list):
        return []
    checker = _Checker()
    for i, verdict in enumerate(data["verdicts"]):
        if isinstance(verdict, dict) and verdict.get("points") is not None:
            checker.number(verdict["points"], ("review", "verdicts", i, "points"), what="酌定分")
    return [Problem(p.path, p.message) for p in checker.problems]


def _discretion_problems(verdict: Verdict, claimed: Result | None, item_id: str, index: int | None,
                         where: Path, *, changed: bool = False) -> list[Problem]:
    """专家酌定 only lowers: a ceiling at or above the computed points would change nothing, so it is refused.

    An entry's ``points`` on a range level is a new value inside the range (checked by the shape);
    only on a fixed level, and without a new level or role, is it a ceiling on the computed points.
    ``changed``: ``claimed`` is the result with the reviewer's changed answer (the words say 改后的计算分).
    """
    if verdict.points is None or claimed is None:
        return []
    item = claimed.items[item_id]
    if index is None:
        computed = item.capped
    else:
        if verdict.level is not None or verdict.role is not None or verdict.category is not None or verdict.rank is not None:
            return []
        er = next((e for e in item.entries if e.index == index), None)
        if er is None or er.entry.points is not None:  # a range entry: the shape checks the new value
            return []
        computed = er.points
    if verdict.points >= computed:
        what = "改后的计算分" if changed else "计算分"
        text = f"酌定分 {answer_text(verdict.points)} 不低于{what} {answer_text(computed)}：专家酌定只能调低"
        return [Problem((*where, "points"), text)]
    return []


def _target(target: str) -> tuple[str, int | None]:
    match = _TARGET.match(target)
    assert match is not None  # the model's pattern guarantees it
    return match.group(1), (int(match.group(2)) if match.group(2) is not None else None)


def apply_review(sheet: Sheet, claims: Claims, review: Review) -> tuple[Claims, list[Change]]:
    """A reviewed copy of the claims, and every change in words; the original is not modified."""
    answers: dict[str, Any] = {k: (list(v) if isinstance(v, list) else v) for k, v in claims.answers.items()}
    removed: dict[str, set[int]] = {}
    ceilings: dict[str, Decimal] = dict(claims.item_ceilings)
    changes: list[Change] = []
    checker = _Checker()
    for verdict in review.verdicts:
        item_id, index = _target(verdict.target)
        item = sheet.items[item_id]
        action = ACTION_TEXT[verdict.action]
        reason = (verdict.reason or "").strip()
        if index is not None:
            entry: Entry = claims.answers[item_id][index]  # type: ignore[index]
            what = f"{item.label}{entry.describe(index)}"
            if verdict.action == "reject":
                removed.setdefault(item_id, set()).add(index)
                names = [f"「{f.name}」" for f in entry.files if f.sha256 in verdict.refused]
                detail = f"材料{'、'.join(names)}不认可，不计分" if names else "不计分"
                changes.append(Change(verdict.target, what, action, detail, reason))
            elif verdict.action == "change" and item.review_row_fields():
                new = item.review_entry(entry, verdict.entry_change(), ("review",), checker)
                assert new is not None  # parse_review checked it
                answers[item_id][index] = new
                parts = [f"{name} {_shown(old)} → {_shown(got)}" for name, old, got in (
                    ("类别", entry.category, new.category), ("级别", entry.level, new.level),
                    ("角色", entry.role, new.role), ("排名", entry.rank, new.rank),
                    ("申报分值", entry.points, new.points), ("专家酌定", None, new.reviewed_points),
                ) if old != got]
                changes.append(Change(verdict.target, what, action, "；".join(parts) or "无变化", reason))
            else:
                changes.append(Change(verdict.target, what, action, "", reason))
            continue
        before = claims.answers[item_id]
        if verdict.action == "reject":
            del answers[item_id]
            changes.append(Change(verdict.target, item.label, action, f"「{item.claimed_text(before)}」不计分", reason))
        elif verdict.action == "change":
            parts = []
            if verdict.value is not None:
                after = checker.answer(item, verdict.value, ("review",))
                answers[item_id] = after
                parts.append(f"{item.claimed_text(before)} → {item.claimed_text(after)}")
            if verdict.points is not None:
                ceilings[item_id] = verdict.points
                parts.append(f"专家酌定不超过 {answer_text(verdict.points)} 分")
            changes.append(Change(verdict.target, item.label, action, "；".join(parts), reason))
        else:
            changes.append(Change(verdict.target, item.label, action, "", reason))
    for item_id, indexes in removed.items():
        answers[item_id] = [e for i, e in enumerate(answers[item_id]) if i not in indexes]
    return dataclasses.replace(claims, answers=answers, item_ceilings=ceilings), changes


def _shown(value: Any) -> str:
    return "—" if value is None else answer_text(value)


def review_claims(sheet: Sheet, claims: Claims, review: Review) -> ReviewOutcome:
    reviewed_claims, changes = apply_review(sheet, claims, review)
    return ReviewOutcome(score(sheet, claims), score(sheet, reviewed_claims), reviewed_claims, changes)


def side_by_side(outcome: ReviewOutcome) -> list[dict[str, Any]]:
    """Rows for the claimed-vs-reviewed table: each section, then its items."""
    with exact():
        return _side_by_side(outcome)


def _side_by_side(outcome: ReviewOutcome) -> list[dict[str, Any]]:
    rows = []
    reviewed_sections = {s.id: s for s in outcome.reviewed.sections}
    for section in outcome.claimed.sections:
        after = reviewed_sections[section.id]
        rows.append({"kind": "section", "label": section.title, "claimed": section.subtotal,
                     "reviewed": after.subtotal, "delta": after.subtotal - section.subtotal})
        for item_id in section.item_ids:
            a, b = outcome.claimed.items[item_id], outcome.reviewed.items[item_id]
            rows.append({"kind": "item", "label": a.label, "claimed": a.points, "reviewed": b.points,
                         "delta": b.points - a.points})
    rows.append({"kind": "total", "label": "合计", "claimed": outcome.claimed.total,
                 "reviewed": outcome.reviewed.total, "delta": outcome.delta})
    return rows
