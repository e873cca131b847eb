"""How much of a total is backed by proof: 有佐证 (a document attached), 仅列名称 (only a name typed), 无佐证.

"无证明材料的不予评分" (seed 001 (三)1): the split tells an applicant which points are still only
asserted, and an expert which to look at first. The rule, so a person can count it by hand:

- an entry counts as **backed** when a document is attached to it, **listed** when only evidence
  names are typed, **unproven** otherwise; an item's points are filled from its backed entries
  first, then the listed ones, then the rest (a cap takes away unproven points first);
- an item without entries (a choice, years, a yes/no) is backed by documents attached to it, and
  unproven without;
- a section cap that bites takes the points it removes from the unproven first, then the listed;
- on a count sheet (六项满足三项) each condition met counts one, classed the same way.

The three parts add up to the total exactly (Decimal).

``kept`` (optional, everywhere here) says which attached documents count: a unit's batch passes the
documents its packet holds as listed (``scorer.packetload``), so one missing or changed counts as not attached.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from .attachments import FileRef
from .claims import Claims
from .model import Sheet
from .numbers import exact, fmt
from .result import ItemResult, Result

ZERO = Decimal(0)
BACKED, LISTED, UNPROVEN = "有佐证", "仅列名称", "无佐证"
KINDS = (BACKED, LISTED, UNPROVEN)


@dataclass
class Split:
    parts: dict[str, Decimal] = field(default_factory=lambda: dict.fromkeys(KINDS, ZERO))

    def total(self) -> Decimal:
        with exact():
            return sum(self.parts.values(), ZERO)

    def add(self, other: Split) -> None:
        with exact():
            for k in KINDS:
                self.parts[k] += other.parts[k]

    def take(self, amount: Decimal, order: tuple[str, ...] = (UNPROVEN, LISTED, BACKED)) -> None:
        """Remove ``amount`` (a cap that bit), from the least proven first."""
        with exact():
            for k in order:
                cut = min(amount, self.parts[k])
                self.parts[k] -= cut
                amount -= cut

    def text(self, unit: str = "分") -> str:
        return " · ".join(f"{k} {fmt(v)} {unit}" for k, v in self.parts.items())


@dataclass
class ProofTally:
    items: dict[str, Split]
    total: Split
    unit: str  # 分, or 项 on a count sheet


Kept = Callable[[FileRef], bool]  # whether an attached document counts (default: every one does)


def entry_kind(files: tuple[object, ...], evidence: tuple[str, ...]) -> str:
    return BACKED if files else LISTED if evidence else UNPROVEN


def _files(files: tuple[FileRef, ...], kept: Kept | None) -> tuple[FileRef, ...]:
    return files if kept is None else tuple(f for f in files if kept(f))


def _item_split(item: ItemResult, claims: Claims, count: bool, kept: Kept | None = None) -> Split:
    split = Split()
    amount = (Decimal(1) if item.met else ZERO) if count else item.points
    if amount <= 0:
        return split
    with exact():
        if item.entries:
            offered = dict.fromkeys(KINDS, ZERO)
            for er in item.entries:
                if er.counted and er.points > 0:
                    offered[entry_kind(_files(er.entry.files, kept), er.entry.evidence)] += er.points
            if count:  # a condition met: classed by its best-proven entry
                best = next((k for k in KINDS if offered[k] > 0), UNPROVEN)
                split.parts[best] = amount
                return split
            left = amount
            for k in KINDS:
                part = min(left, offered[k])
                split.parts[k] = part
                left -= part
            split.parts[UNPROVEN] += left  # points not carried by any entry (a start value, a bonus)
            return split
        kind = BACKED if _files(claims.attachments.get(f"answers.{item.id}", ()), kept) else UNPROVEN
        split.parts[kind] = amount
    return split


def proof_tally(sheet: Sheet, claims: Claims, result: Result, kept: Kept | None = None) -> ProofTally:
    count = result.kind == "count"
    items: dict[str, Split] = {}
    total = Split()
    for section in result.sections:
        in_section = Split()
        for item_id in section.item_ids:
            items[item_id] = _item_split(result.items[item_id], claims, count, kept)
            in_section.add(items[item_id])
        if not count:
            with exact():
                over = in_section.total() - section.subtotal
            if over > 0:
                in_section.take(over)
        total.add(in_section)
    return ProofTally(items, total, "项" if count else "分")


@dataclass(frozen=True)
class Unbacked:
    item: str
    entry: str
    points: Decimal
    listed: bool  # evidence names typed, no document attached
    cap_note: str = ""  # the item's cap took from its entries' sum (ItemResult.entry_cap_note)


def unbacked(result: Result, kept: Kept | None = None) -> list[Unbacked]:
    """Counted entries with no document attached, most points first: attaching proof secures them first."""
    out = [Unbacked(r.label, er.name, er.points, bool(er.entry.evidence), r.entry_cap_note)
           for r in result.items.values() for er in r.entries
           if er.counted and er.points > 0 and not _files(er.entry.files, kept)]
    return sorted(out, key=lambda u: u.points, reverse=True)
