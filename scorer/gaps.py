"""Gap analysis: where the next points are, ranked by what one more realistic step adds to the total.

Every gain is measured by scoring the claims again with one change, so caps,
exclusive groups and section caps are all taken into account -- no separate
arithmetic that could disagree with the engine.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal

from .claims import Claims, Entry
from .engine import score
from .model import ChoiceItem, EntriesItem, FlagItem, LinearItem, RecordItem, ScoredItem, Sheet, TiersItem
from .numbers import ZERO, fmt
from .result import Result


@dataclass
class Gap:
    item_id: str
    label: str
    section: str
    points: Decimal  # what the item gives now
    gain: Decimal  # total gain of the realistic next step
    step: str  # the next step in words
    best_gain: Decimal  # total gain of the best single step
    best_step: str


def _with(claims: Claims, item_id: str, answer: object) -> Claims:
    return dataclasses.replace(claims, answers={**claims.answers, item_id: answer})


def _entry_date(sheet: Sheet, claims: Claims) -> dt.date:
    """A date inside the window, for a hypothetical new entry."""
    window = sheet.window
    if window is None:
        return sheet.effective.start
    if window.until is not None:
        return window.until
    start = window.start or claims.applicant.current_title_date
    return start or sheet.effective.start


def _candidate_entries(item: EntriesItem, when: dt.date) -> list[tuple[str, Entry]]:
    """Every kind of entry the item scores, from the lowest level and role up."""
    levels = list(reversed(item.levels)) or [None]
    roles = list(reversed(item.roles)) or [None]
    flags = {flag_id: flag.counts_when for flag_id, flag in item.entry_flags.items()}
    out = []
    for level in levels:
        for role in roles:
            rank = 1 if item.rank_coefficients else None
            words = "·".join(p for p in (level, role) if p) or "一条"
            text = f"再添一条{words}" + ("（本人排名第1）" if rank else "")
            out.append((text, Entry(level=level, role=role, rank=rank, date=when, title="（假设）", flags=flags)))
    return out


def _candidates(item: ScoredItem, claims: Claims, sheet: Sheet) -> list[tuple[str, object]]:
    """Possible next answers for one item, most attainable first, with the words for each."""
    current = claims.answers.get(item.id)
    if isinstance(item, ChoiceItem):
        now = item.options.get(current) if isinstance(current, str) else None
        better = [(k, v) for k, v in item.options.items() if now is None or v > now]
        better.sort(key=lambda kv: kv[1])
        return [(f"改选「{k}」", k) for k, v in better]
    if isinstance(item, TiersItem):
        value = current if isinstance(current, Decimal) else ZERO
        higher = sorted(t.min for t in item.tiers if t.min > value)
        unit = item.input.unit or ""
        return [(f"{item.input.label}达到 {fmt(m)}{unit}", m) for m in higher]
    if isinstance(item, LinearItem):
        if item.points_per_unit <= 0:
            return []  # a deduction: no points to gain
        value = current if isinstance(current, Decimal) else item.offset
        if item.whole_units:  # the next full unit
            done = ((value - item.offset) / item.unit).to_integral_value(rounding=ROUND_FLOOR)
            target = item.offset + (done + 1) * item.unit
        else:
            target = value + item.unit
        unit = item.input.unit or ""
        steps: list[tuple[str, object]] = [(f"{item.input.label}达到 {fmt(target)}{unit}", target)]
        if item.cap is not None:  # the value at which the item is full
            full = item.offset + item.cap / item.points_per_unit * item.unit
            if full > target:
                steps.append((f"{item.input.label}达到 {fmt(full)}{unit}", full))
        return steps
    if isinstance(item, FlagItem):
        return [] if current is True else [(f"满足：{item.question or item.label}", True)]
    if isinstance(item, RecordItem):
        return []  # a record (e.g. years of service) changes with time, not with one more step
    entries = list(current) if isinstance(current, list) else []
    return [(text, [*entries, entry]) for text, entry in _candidate_entries(item, _entry_date(sheet, claims))]


def find_gaps(sheet: Sheet, claims: Claims, result: Result | None = None) -> list[Gap]:
    """Items that can still add to the total, best realistic gain first."""
    base = result or score(sheet, claims)
    section_title = {s.id: s.title for s in sheet.sections}
    gaps: list[Gap] = []
    for item_id, item in sheet.items.items():
        realistic: tuple[Decimal, str] | None = None
        best: tuple[Decimal, str] | None = None
        for text, answer in _candidates(item, claims, sheet):
            gain = score(sheet, _with(claims, item_id, answer)).total - base.total
            if gain <= 0:
                continue
            if realistic is None:
                realistic = (gain, text)  # the first candidate that helps is the most attainable
            if best is None or gain > best[0]:
                best = (gain, text)
        if realistic is None or best is None:
            continue
        gaps.append(
            Gap(
                item_id,
                item.label,
                section_title[sheet.item_section[item_id]],
                base.items[item_id].points,
                realistic[0],
                realistic[1],
                best[0],
                best[1],
            )
        )
    gaps.sort(key=lambda g: (-g.gain, -g.best_gain))
    return gaps
