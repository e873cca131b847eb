"""The evidence checklist: every claim that counts, with the documents that prove it.

No point is given without proof (seed 001 说明1: 无证明材料的不予评分), so the
checklist lists each counted entry and each answered item or gate, and keys
each row stably so an applicant's ticks survive reloads.
"""

from __future__ import annotations

from dataclasses import dataclass

from .model import Sheet
from .numbers import fmt
from .result import Result


@dataclass
class EvidenceRow:
    key: str  # stable across reloads: item, entry title and date
    section: str
    item: str
    claim: str
    documents: list[str]  # what the sheet asks for
    provided: list[str]  # what the applicant listed
    points: str


def entry_key(item_id: str, title: str | None, date: object, index: int) -> str:
    return f"{item_id}|{title or f'#{index + 1}'}|{date or ''}"


def checklist(sheet: Sheet, result: Result) -> list[EvidenceRow]:
    rows: list[EvidenceRow] = []
    gates = {g.id: g for g in sheet.gates}
    for gate in result.gates:
        if gate.status == "met" and gates[gate.id].evidence:
            rows.append(EvidenceRow(f"gate|{gate.id}", "申报条件", gate.question, gate.detail, gates[gate.id].evidence, [], "—"))
    titles = {s.id: s.title for s in sheet.sections}
    for item in result.items.values():
        section = titles[item.section_id]
        if item.entries:
            for er in item.entries:
                if not er.counted:
                    continue
                rows.append(
                    EvidenceRow(
                        entry_key(item.id, er.entry.title, er.entry.date, er.index),
                        section,
                        item.label,
                        er.name + (f"（{er.entry.date}）" if er.entry.date else ""),
                        er.evidence_needed,
                        list(er.entry.evidence),
                        fmt(er.points) + item.entry_cap_note,
                    )
                )
        elif item.points > 0:
            rows.append(EvidenceRow(f"{item.id}|", section, item.label, item.claimed, item.evidence, [], fmt(item.points)))
    return rows
