"""The most each item, section and sheet can give: used by lint, explain, and the gap analysis."""

from __future__ import annotations

from decimal import Decimal

from .model import ScoredItem, Sheet
from .numbers import ZERO


def _capped(value: Decimal, cap: Decimal | None) -> Decimal:
    return value if cap is None else min(value, cap)


_ITEM_CACHE: dict[int, tuple[ScoredItem, Decimal | None]] = {}


def item_max(item: ScoredItem) -> Decimal | None:
    """None when the item is unbounded (a sum or linear item without a cap; lint refuses those)."""
    hit = _ITEM_CACHE.get(id(item))
    if hit is None or hit[0] is not item:
        raw = item.raw_max()
        hit = _ITEM_CACHE[id(item)] = (item, item.cap if raw is None else _capped(raw, item.cap))
    return hit[1]


_CACHE: dict[int, tuple[Sheet, dict[str, Decimal | None]]] = {}


def section_maxima(sheet: Sheet) -> dict[str, Decimal | None]:
    """Section maxima with exclusive groups applied; computed once per (immutable) sheet."""
    hit = _CACHE.get(id(sheet))
    if hit is None or hit[0] is not sheet:
        hit = _CACHE[id(sheet)] = (sheet, _section_maxima(sheet))
    return dict(hit[1])


def _section_maxima(sheet: Sheet) -> dict[str, Decimal | None]:
    out: dict[str, Decimal | None] = {}
    for section in sheet.sections:
        total: Decimal | None = ZERO
        seen_groups: set[str] = set()
        for item in section.scored_items():
            group = sheet.group_of.get(item.id)
            if group is not None:
                if group.id in seen_groups:
                    continue
                seen_groups.add(group.id)
                members = [item_max(sheet.items[i]) for i in group.items if i in sheet.items]
                value = None if any(m is None for m in members) else max(m for m in members if m is not None)
            else:
                value = item_max(item)
            total = None if total is None or value is None else total + value
        out[section.id] = section.cap if total is None else _capped(total, section.cap)
    return out


def sheet_max(sheet: Sheet) -> Decimal | None:
    """Maximum total; for a count sheet, the number of conditions."""
    if sheet.threshold.kind == "count":
        return Decimal(len(sheet.items))
    total: Decimal | None = ZERO
    for value in section_maxima(sheet).values():
        total = None if total is None or value is None else total + value
    return total
