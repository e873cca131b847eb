"""What scoring produces: every number with the words that explain it.

Plain dataclasses: the app, the CLI, exports and batch checks only read them.
``to_data`` gives JSON-ready data with points as decimal strings ("87.5").

The words are written when they are first read. The applicant's page, the exports and the CLI's
report read every item's and every entry's sentence and each gate's detail; a batch of 10,000 files
reads totals, flags and a few reasons, and writing a dozen formatted numbers per entry it never
shows was most of its scoring time. So a step of scoring hands over how to write its sentence -- a
module-level function and the values it needs, fixed when the step is taken (numbers are immutable
Decimals) -- as a ``Later``, and ``explanation`` / ``detail`` / ``claimed`` write it on first read,
the same text as before (tests/test_shown_text.py holds it). Equality and pickling see the text.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal, TypeAlias

from .entry import Entry
from .numbers import exact, fmt

VERDICT_PASS = "达到"
VERDICT_FAIL = "未达到"
VERDICT_INELIGIBLE = "不符合申报条件"
VERDICT_VETOED = "否决"
VERDICT_PENDING = "待确认"
VERDICT_RANKED = "按总分排名"
VERDICT_NO_LINE = "不设分数线"  # kind: none -- the total goes to the committee as it stands

GateStatus = Literal["met", "unmet", "unanswered"]
GATE_STATUS_TEXT = {"met": "符合", "unmet": "不符合", "unanswered": "未填写"}

Later: TypeAlias = tuple[Any, ...]  # (write, *values): the words ``write(*values)``, not written yet
Words: TypeAlias = "str | Later"


def later(write: Callable[..., str], *values: Any) -> Later:
    """The words ``write(*values)`` will give when they are read (``write`` a module-level function, so a result
    stays picklable; ``values`` immutable, or copied, as they are now)."""
    return (write, *values)


def written(words: Words) -> str:
    """The words as text; written in the exact context scoring ran in (a sentence may do a sum)."""
    if type(words) is str:
        return words
    with exact():
        return words[0](*words[1:])  # type: ignore[no-any-return]


def written_all(parts: list[Words]) -> list[str]:
    """The parts as text, each written in place (so once): the same list, every element now a string."""
    for i, part in enumerate(parts):
        if type(part) is not str:
            parts[i] = written(part)
    return parts  # type: ignore[return-value]


class _WrittenOnRead:
    """Equality, pickles and copies of a result see its words, never the functions that write them."""

    def _write_all(self) -> None:
        raise NotImplementedError

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        self._write_all()
        other._write_all()  # type: ignore[attr-defined]
        return self.__dict__ == other.__dict__

    __hash__ = None  # type: ignore[assignment]  # mutable, as a dataclass with eq would be

    def __getstate__(self) -> dict[str, Any]:
        self._write_all()
        return self.__dict__


@dataclass(eq=False)
class EntryResult(_WrittenOnRead):
    index: int
    entry: Entry
    points: Decimal  # what this entry adds to the item before the item cap
    counted: bool
    said: list[Words]  # the explanation's parts, in order (``explanation`` joins them)
    evidence_needed: list[str]
    ignored: str | None = None  # why it was left out: "window", "no_date" or "flag"

    @property
    def name(self) -> str:
        return self.entry.describe(self.index)

    @property
    def explanation(self) -> str:
        return "".join(written_all(self.said))

    @explanation.setter
    def explanation(self, text: str) -> None:
        self.said = [text]

    def add(self, words: Words) -> None:
        """More words at the end of the explanation (``；专家酌定 …``, ``（按最高一项计分，不累计）``)."""
        self.said.append(words)

    def _write_all(self) -> None:
        written_all(self.said)


@dataclass(eq=False)
class ItemResult(_WrittenOnRead):
    id: str
    label: str
    section_id: str
    rule: str
    answered: bool
    claim: Words  # the applicant's input in words (``claimed``)
    raw: Decimal  # from the rule, before the item cap
    capped: Decimal  # after the item cap
    points: Decimal  # after the exclusive group: what enters the section subtotal
    cap: Decimal | None
    max_points: Decimal | None
    said: list[Words] = field(default_factory=list)  # the explanation, one sentence each
    entries: list[EntryResult] = field(default_factory=list)
    evidence: list[str] = field(default_factory=list)
    excluded_by: str | None = None  # label of the exclusive group that dropped it
    cap_note: str | None = None  # a rule's own limit that bit (代表业绩 may not pass the next level's start)
    sub_caps: list[str] = field(default_factory=list)  # 小计 per level inside the item that bit, one line each

    @property
    def met(self) -> bool:
        return self.points > 0

    @property
    def cap_bit(self) -> bool:
        return self.capped < self.raw

    @property
    def entry_cap_note(self) -> str:
        """Said beside one entry's points where the item's cap took from their sum (本项合计 20 分，封顶只计 15 分):
        an entry keeps its own points, the item counts only up to its cap."""
        over = self.cap is not None and self.raw > self.cap  # the item's cap, not an expert's lower ceiling
        return f"（本项合计 {fmt(self.raw)} 分，封顶只计 {fmt(self.cap)} 分）" if over else ""

    @property
    def explanation(self) -> list[str]:
        """Each sentence, written now if not yet (the list itself: appending to it adds a sentence)."""
        return written_all(self.said)

    def say(self, words: Words) -> None:
        self.said.append(words)

    @property
    def claimed(self) -> str:
        if type(self.claim) is not str:
            self.claim = written(self.claim)
        return self.claim  # type: ignore[return-value]

    @claimed.setter
    def claimed(self, words: Words) -> None:
        self.claim = words

    def _write_all(self) -> None:
        self.claimed  # noqa: B018  # written in place
        written_all(self.said)


@dataclass
class SectionResult:
    id: str
    title: str
    raw: Decimal
    subtotal: Decimal
    cap: Decimal | None
    max_points: Decimal | None
    item_ids: list[str]

    @property
    def cap_bit(self) -> bool:
        return self.subtotal < self.raw


@dataclass(eq=False)
class GateResult(_WrittenOnRead):
    id: str
    question: str
    status: GateStatus
    words: Words  # ``detail``

    @property
    def detail(self) -> str:
        if type(self.words) is not str:
            self.words = written(self.words)
        return self.words  # type: ignore[return-value]

    def _write_all(self) -> None:
        self.detail  # noqa: B018  # written in place


@dataclass
class VetoResult:
    id: str
    question: str
    vetoed: bool | None  # None: not answered


@dataclass
class Result:
    sheet_id: str
    sheet_version: int
    sheet_title: str
    kind: str
    level: str | None
    total: Decimal
    max_total: Decimal | None
    threshold: Decimal | None
    reaches: bool | None  # the score alone against the line; None for rank sheets
    verdict: str
    margin: Decimal | None
    sections: list[SectionResult]
    items: dict[str, ItemResult]
    gates: list[GateResult]
    vetoes: list[VetoResult]
    warnings: list[str]  # entries ignored (window, missing date, unfiled...) with the reason
    caps: list[str]  # every cap that bit, in words
    pending: list[str]  # what must still be answered before the verdict is final
    notices: list[str]  # advice that changes no number (e.g. 标志性业绩直接申报)
    findings: list[str] = field(default_factory=list)  # 标志性成果: a finding beside the verdict
    contradictions: list[str] = field(default_factory=list)  # consistency rules the answers break

    @property
    def failed_gates(self) -> list[GateResult]:
        return [g for g in self.gates if g.status == "unmet"]

    def note_groups(self) -> list[tuple[str, list[str]]]:
        """The lists a reader must see beside the total, titled as the reports show them."""
        return [
            ("标志性成果", self.findings),
            ("填写矛盾", self.contradictions),
            ("封顶", self.caps),
            ("未计分的业绩", self.warnings),
            ("待确认", self.pending),
            ("提示", self.notices),
        ]

    def to_data(self) -> dict[str, Any]:
        return {
            "sheet": self.sheet_id,
            "version": self.sheet_version,
            "title": self.sheet_title,
            "kind": self.kind,
            "level": self.level,
            "total": fmt(self.total),
            "max_total": None if self.max_total is None else fmt(self.max_total),
            "threshold": None if self.threshold is None else fmt(self.threshold),
            "reaches": self.reaches,
            "verdict": self.verdict,
            "margin": None if self.margin is None else fmt(self.margin),
            "sections": [
                {
                    "id": s.id,
                    "title": s.title,
                    "raw": fmt(s.raw),
                    "subtotal": fmt(s.subtotal),
                    "cap": None if s.cap is None else fmt(s.cap),
                    "cap_bit": s.cap_bit,
                }
                for s in self.sections
            ],
            "items": [
                {
                    "id": i.id,
                    "label": i.label,
                    "section": i.section_id,
                    "claimed": i.claimed,
                    "raw": fmt(i.raw),
                    "points": fmt(i.points),
                    "cap": None if i.cap is None else fmt(i.cap),
                    "cap_bit": i.cap_bit,
                    "excluded_by": i.excluded_by,
                    "explanation": i.explanation,
                    "entries": [
                        {
                            "index": e.index,
                            "title": e.entry.title,
                            "points": fmt(e.points),
                            "counted": e.counted,
                            "explanation": e.explanation,
                            "evidence": list(e.entry.evidence),
                            "evidence_needed": e.evidence_needed,
                        }
                        for e in i.entries
                    ],
                }
                for i in self.items.values()
            ],
            "gates": [{"id": g.id, "question": g.question, "status": g.status, "detail": g.detail} for g in self.gates],
            "vetoes": [{"id": v.id, "question": v.question, "vetoed": v.vetoed} for v in self.vetoes],
            "warnings": self.warnings,
            "caps": self.caps,
            "pending": self.pending,
            "notices": self.notices,
            "findings": self.findings,
            "contradictions": self.contradictions,
        }
