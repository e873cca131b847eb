"""One listed achievement (业绩): a project, paper, award... as the claim file gives it.

Its own module because the claims, the rule shapes and the results all speak of
entries, and none of them should import the others to do so.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from .attachments import FileRef
from .numbers import answer_text

# the fields an entry may carry besides the sheet's own entry flags
ENTRY_KEYS = ("category", "level", "role", "rank", "points", "representative", "date", "title", "evidence", "note",
              "files")


@dataclass(frozen=True)
class Entry:
    level: str | None = None
    role: str | None = None
    rank: int | None = None
    date: dt.date | None = None
    title: str | None = None
    evidence: tuple[str, ...] = ()
    note: str | None = None
    flags: dict[str, bool] = field(default_factory=dict)
    category: str | None = None  # the first dimension of a three-way table (类别 x 复杂程度 x 角色)
    points: Decimal | None = None  # points asked for inside a range the assessor fixes ("30-0")
    representative: bool = False  # the applicant names this entry as the 代表性成果
    reviewed_points: Decimal | None = None  # set by an expert's review only (专家酌定), never by the applicant
    row: int | None = None  # 0-based position in the claim file's list, kept when an earlier row was left out
    files: tuple[FileRef, ...] = ()  # the attached proof documents (scorer.attachments): the entry is backed

    def describe(self, index: int) -> str:
        """How a person names this entry in a message: 第2条「某矿技改工程」 -- its row as the applicant listed it."""
        n = (self.row if self.row is not None else index) + 1
        return f"第{n}条「{self.title}」" if self.title else f"第{n}条"

    def field_facts(self, fields: Iterable[tuple[str, str, Any]]) -> list[str]:
        """「级别：大型」 for each of an item's row fields ``(name, title, options)`` this entry has a value for:
        what it was scored on, as the printed form and the review page show it."""
        return [f"{title}：{answer_text(getattr(self, name))}" for name, title, _ in fields
                if getattr(self, name, None) is not None]

    def to_data(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key in ("category", "level", "role", "rank", "points", "date", "title"):
            value = getattr(self, key)
            if value is not None:
                out[key] = value
        if self.representative:
            out["representative"] = True
        out.update(self.flags)
        if self.evidence:
            out["evidence"] = list(self.evidence)
        if self.files:
            out["files"] = [f.to_data() for f in self.files]
        if self.note:
            out["note"] = self.note
        return out
