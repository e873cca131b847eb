"""Gap analysis: where the next points are, ranked by what one more realistic step adds to the total.

Every gain is measured by scoring the claims again with one change, so caps,
exclusive groups and section caps are all taken into account -- no separate
arithmetic that could disagree with the engine.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from .claims import Claims
from .engine import score
from .model import Sheet
from .numbers import exact
from .result import Result
from .rules import GapContext


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


def find_gaps(sheet: Sheet, claims: Claims, result: Result | None = None) -> list[Gap]:
    """Items that can still add to the total, best realistic gain first."""
    base = result or score(sheet, claims)
    section_title = {s.id: s.title for s in sheet.sections}
    ctx = GapContext(_entry_date(sheet, claims), claims.answers)
    gaps: list[Gap] = []
    for item_id, item in sheet.items.items():
        realistic: tuple[Decimal, str] | None = None
        best: tuple[Decimal, str] | None = None
        for text, answer in item.gap_steps(claims.answers.get(item_id), ctx):
            with exact():
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
