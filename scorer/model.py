"""The scoring-sheet schema: what a sheet YAML may say, and nothing else (extra keys are refused).

Cross-field rules (caps against entry points, exclusive groups naming real
items, threshold levels) live in ``sheetcheck`` so each problem can point at
its own line; this module only fixes the shape of each field.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import cached_property
from typing import Annotated, Any, Literal, Union

from pydantic import BaseModel, Discriminator, Field, Tag

from .ranking import Ranking
from .rules import SHAPES, ItemBase
from .rules.band import BandItem
from .rules.base import Fidelity, Ident, NonNegative, NumberInput, Points, Strict, Text
from .rules.choice import ChoiceItem
from .rules.conditions import Condition, FieldSpec, PathSpec
from .rules.entries import EntriesItem, EntryFlag
from .rules.flag import FlagItem
from .rules.indicators import IndicatorsItem
from .rules.linear import LinearItem
from .rules.record import RecordItem
from .rules.tiers import Tier, TiersItem
from .rules.tiers_by import TiersByItem

__all__ = [
    "BandItem",
    "ChoiceItem",
    "Condition",
    "EntriesItem",
    "EntryFlag",
    "Fidelity",
    "FieldSpec",
    "FlagItem",
    "Gate",
    "Ident",
    "IndicatorsItem",
    "ItemBase",
    "ItemRef",
    "LinearItem",
    "NonNegative",
    "NumberInput",
    "PathSpec",
    "Points",
    "RecordItem",
    "ScoredItem",
    "Section",
    "Sheet",
    "Strict",
    "Text",
    "Threshold",
    "Tier",
    "TiersByItem",
    "TiersItem",
    "Veto",
    "Window",
]

class Source(Strict):
    doc: Text  # 文号 or document title
    title: str | None = None
    clause: str | None = None
    seed: str | None = None  # file name under shared/seeds, when the notice is on file
    note: str | None = None


class Effective(Strict):
    start: dt.date = Field(alias="from")
    end: dt.date | None = Field(default=None, alias="to")


class Window(Strict):
    """Which achievements count. ``from_claim`` names an applicant field holding the start date."""

    label: Text
    start: dt.date | None = Field(default=None, alias="from")
    from_claim: Literal["current_title_date"] | None = None
    until: dt.date | None = None


class Threshold(Strict):
    """``total``: a line of points; ``count``: conditions met; ``rank``: ranked by total in a batch;
    ``none``: no line at all (an assessor's form whose total goes to the committee as it stands)."""

    kind: Literal["total", "count", "rank", "none"]
    min: NonNegative | None = None
    by_level: dict[str, NonNegative] | None = None
    of: NonNegative | None = None  # the stated maximum ("80 of 100"), checked against the computed maximum
    of_note: str | None = None  # why the stated maximum differs from what the items add up to
    label: str | None = None


class Gate(Strict):
    """A prerequisite (申报条件): earns no points, blocks the application when unmet."""

    id: Ident
    question: Text
    type: Literal["flag", "number", "record"]
    min: NonNegative | None = None  # for type number
    max: NonNegative | None = None  # for type number: the most anyone can have (refused above it)
    integer: bool = False  # for type number: whole numbers only (months, hours)
    unit: str | None = None
    fields: dict[str, FieldSpec] | None = None  # for type record
    paths: list[PathSpec] | None = None
    evidence: list[Text] = []
    source_text: str | None = None
    fidelity: Fidelity | None = None
    note: str | None = None


class Veto(Strict):
    """一票否决: a true answer fails the application whatever the score."""

    id: Ident
    question: Text
    consequence: str | None = None
    source_text: str | None = None


class ItemRef(Strict):
    """Reuse an item written once in another sheet: ``use: other-sheet-id#item_id``."""

    use: Annotated[str, Field(pattern=r"^[a-z0-9-]+#[a-z][a-z0-9_]*$")]


ScoredItem = ItemBase  # every registered shape is an ItemBase


def _item_kind(value: Any) -> str | None:
    """One tag per item so a mistake is reported against one shape, not against every shape."""
    if isinstance(value, BaseModel):
        return "ref" if isinstance(value, ItemRef) else value.rule  # type: ignore[attr-defined]
    if isinstance(value, dict):
        return "ref" if "use" in value else value.get("rule")
    return None


_TAGGED = tuple(Annotated[shape, Tag(name)] for name, shape in SHAPES.items())
SectionItem = Annotated[
    Union[(*_TAGGED, Annotated[ItemRef, Tag("ref")])],
    Discriminator(
        _item_kind,
        custom_error_type="invalid_rule",
        custom_error_message="rule 应为 " + " / ".join(SHAPES) + " 之一（或用 use: 引用其他表的项目）",
    ),
]


class Section(Strict):
    id: Ident
    title: Text
    cap: NonNegative | None = None
    items: list[SectionItem] = Field(min_length=1)

    def scored_items(self) -> list[ScoredItem]:
        """Items after references are resolved (the loader guarantees none are left)."""
        return [item for item in self.items if not isinstance(item, ItemRef)]


class ExclusiveGroup(Strict):
    id: Ident
    label: Text
    items: list[Ident] = Field(min_length=2)
    source_text: str | None = None


class ConsistencyRule(Strict):
    """Two answers that must agree (一致性): ``left op right``, optionally only ``when`` a choice is made.

    Paths: ``answers.<item>[.<field>]``, ``gates.<gate>[.<field>]``, or
    ``applicant.years_in_current_title`` (full years from the current title date to the window's end).
    ``right`` may also be a number. ``==`` compares numbers, or the labels of two answers (an option,
    a band's grade, a choice field); ``map`` translates the left label into the right one(s) when the
    two items word them differently (博士研究生 -> 博士; 大专及以下 -> [大专, 中专以下]).
    """

    message: Text
    left: Text
    op: Literal["<=", ">=", "<", ">", "=="]
    right: Text | NonNegative
    when: dict[str, Text] = {}
    map: dict[str, Text | list[Text]] = {}


class Sheet(Strict):
    id: Annotated[str, Field(pattern=r"^[a-z0-9-]+$")]
    title: Text
    short_title: Text
    region: Text  # 浙江省, 温州市, 杭州市, any county: free text
    series: Text
    specialty: Text
    specialties: list[Text] = []
    levels: list[Literal["技术员", "助理工程师", "工程师", "高级工程师"]] = Field(min_length=1)
    route: Literal["破格申报", "自评分申报", "量化评价", "评审"]
    version: Annotated[int, Field(ge=2000, le=2100)]
    effective: Effective
    fidelity: Fidelity
    fidelity_note: Text
    sources: list[Source] = Field(min_length=1)
    threshold: Threshold
    window: Window | None = None
    gates: list[Gate] = []
    vetoes: list[Veto] = []
    sections: list[Section] = Field(min_length=1)
    exclusive_groups: list[ExclusiveGroup] = []
    consistency: list[ConsistencyRule] = []
    ranking: Ranking | None = None  # a ranked sheet's exam cut and grouping (scorer.ranking)
    evidence_note: str | None = None

    @cached_property
    def items(self) -> dict[str, ScoredItem]:
        return {item.id: item for section in self.sections for item in section.scored_items()}

    @cached_property
    def item_section(self) -> dict[str, str]:
        return {item.id: section.id for section in self.sections for item in section.scored_items()}

    @cached_property
    def group_of(self) -> dict[str, ExclusiveGroup]:
        return {item_id: group for group in self.exclusive_groups for item_id in group.items}

    def threshold_for(self, level: str | None) -> Decimal | None:
        if self.threshold.by_level is not None:
            return self.threshold.by_level.get(level or "")
        return self.threshold.min
