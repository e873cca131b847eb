"""One applicant of a large batch in the few plain fields the table, the CLI and the exports show.

A full row (``scorer.checks.Checked``) keeps the claims and the whole result, with every explanation:
what the batch page needs to redo the flags under new settings. A batch of 10,000 files needs none
of it once a file is scored, and sending full results back from worker processes costs more than
scoring them (measured: slower than serial). So a worker scores a file, flags it on its own
(``applicant_flags``) and sends back a ``BatchRow``: the table's cells, the flags, and the facts the
checks across applicants need (the entries claimed as led, for 负责人冲突; the 申报专业 and exam score,
for the exam cut and the rank), and for an applicant loaded from a packet, its documents as checked.
Only our own plain rows pass between our own processes.

A ``BatchRow`` has the face of a ``Checked`` that ``scorer.checks.Listed`` names, so ``batch_flags``,
``rank_rows``, ``batch_table`` / ``batch_xlsx``, the 推荐名单 and the CLI take either.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from .checks import Checked, Flag, Lead
from .flags import DEFAULT_SETTINGS, FlagSettings
from .model import Sheet
from .packetload import PacketCheck
from .ranking import Placed
from .titles import title_key


@dataclass
class Outcome:
    """The part of a ``Result`` a batch shows: kind, total, line, verdict, margin, level and 标志性成果."""

    kind: str
    total: Decimal
    threshold: Decimal | None
    verdict: str
    margin: Decimal | None
    level: str | None
    findings: list[str]


@dataclass
class BatchRow:
    """One applicant, compact: who, which sheet, the outcome, the flags and what the cross checks need.

    ``sheet`` is not sent between processes (every process has the library); the receiving side
    gives it back with ``attach``.
    """

    source: str
    sheet_id: str
    person: str
    unit: str
    level: str
    result: Outcome
    flags: list[Flag]
    led: list[Lead] = field(default_factory=list)
    facts: tuple[str | None, Decimal | None] = (None, None)
    rank: int | None = None
    place: Placed | None = None
    packet: PacketCheck | None = None  # loaded from a packet: its documents as checked (a few per applicant)
    sheet: Sheet = field(default=None, repr=False, compare=False)  # type: ignore[assignment]  # see attach

    @property
    def name(self) -> str:
        return self.person or self.source

    def leads(self) -> list[Lead]:
        return self.led

    def rank_facts(self) -> tuple[str | None, Decimal | None]:
        return self.facts

    def attach(self, sheets: dict[str, Sheet]) -> BatchRow:
        self.sheet = sheets[self.sheet_id]
        return self

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state["sheet"] = None
        return state


def compact(row: Checked, settings: FlagSettings = DEFAULT_SETTINGS) -> BatchRow:
    """A full row as the batch lists it (its per-file flags as they are; the cross checks come later), its led
    titles' keys made here with ``settings``' suffixes, so a worker, not the parent, does that work."""
    r = row.result
    outcome = Outcome(r.kind, r.total, r.threshold, r.verdict, r.margin, r.level, list(r.findings))
    suffixes = settings.generic_suffixes
    led = [Lead(lead.entry, lead.title, title_key(lead.title, suffixes), suffixes) for lead in row.leads()]
    return BatchRow(row.source, row.sheet.id, row.person, row.unit, row.level, outcome, list(row.flags), led,
                    row.rank_facts(), row.rank, row.place, row.packet, row.sheet)
