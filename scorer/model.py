"""The scoring-sheet schema: what a sheet YAML may say, and nothing else (extra keys are refused).

Cross-field rules (caps against entry points, exclusive groups naming real
items, threshold levels) live in ``sheetcheck`` so each problem can point at
its own line; this module only fixes the shape of each field.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import cached_property
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Discriminator, Field, StrictBool, Tag

Points = Annotated[Decimal, Field(allow_inf_nan=False)]
NonNegative = Annotated[Decimal, Field(allow_inf_nan=False, ge=0)]
Text = Annotated[str, Field(min_length=1)]
Ident = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]
Fidelity = Literal["transcribed", "reconstructed"]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


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
    kind: Literal["total", "count", "rank"]
    min: NonNegative | None = None
    by_level: dict[str, NonNegative] | None = None
    of: NonNegative | None = None  # the stated maximum ("80 of 100"), checked against the computed maximum
    of_note: str | None = None  # why the stated maximum differs from what the items add up to
    label: str | None = None


class Condition(Strict):
    """One test on one answered field; a path holds when all its conditions hold."""

    min: NonNegative | None = None
    is_: StrictBool | None = Field(default=None, alias="is")
    in_: list[Text] | None = Field(default=None, alias="in")


class FieldSpec(Strict):
    label: Text
    type: Literal["flag", "number", "choice"]
    options: list[Text] | None = None
    unit: str | None = None
    # an inline condition, used when the gate or item has no explicit paths
    min: NonNegative | None = None
    is_: StrictBool | None = Field(default=None, alias="is")
    in_: list[Text] | None = Field(default=None, alias="in")

    @property
    def condition(self) -> Condition | None:
        if self.min is None and self.is_ is None and self.in_ is None:
            return None
        return Condition(min=self.min, is_=self.is_, in_=self.in_)


class PathSpec(Strict):
    label: Text
    when: dict[str, Condition]
    source_text: str | None = None


class Gate(Strict):
    """A prerequisite (申报条件): earns no points, blocks the application when unmet."""

    id: Ident
    question: Text
    type: Literal["flag", "number", "record"]
    min: NonNegative | None = None  # for type number
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


class NumberInput(Strict):
    label: Text
    unit: str | None = None
    integer: bool = False


class Tier(Strict):
    min: NonNegative
    points: Points


class ItemBase(Strict):
    id: Ident
    label: Text
    cap: NonNegative | None = None
    evidence: list[Text] = []
    source_text: str | None = None
    source: str | None = None  # clause reference, e.g. "seed 003 二、（二）"
    fidelity: Fidelity | None = None
    note: str | None = None


class ChoiceItem(ItemBase):
    rule: Literal["choice"]
    options: dict[str, Points]


class TiersItem(ItemBase):
    rule: Literal["tiers"]
    input: NumberInput
    tiers: list[Tier] = Field(min_length=1)
    otherwise: Points = Decimal(0)


class LinearItem(ItemBase):
    rule: Literal["linear"]
    input: NumberInput
    unit: Annotated[Decimal, Field(gt=0, allow_inf_nan=False)] = Decimal(1)
    points_per_unit: Points
    offset: Points = Decimal(0)
    whole_units: bool = False  # 每满 N 学时计 1 分: only full units count
    floor: Points | None = None


class FlagItem(ItemBase):
    rule: Literal["flag"]
    question: str | None = None
    points: Points = Decimal(1)


class RecordItem(ItemBase):
    rule: Literal["record"]
    fields: dict[str, FieldSpec]
    paths: list[PathSpec] | None = None
    points: Points = Decimal(1)


class EntryFlag(Strict):
    label: Text
    counts_when: StrictBool


class EntriesItem(ItemBase):
    rule: Literal["entries"]
    aggregate: Literal["sum", "max", "count", "representative_plus_bonus"]
    level_points: dict[str, Points] | None = None
    role_points: dict[str, Points] | None = None
    level_role_points: dict[str, dict[str, Points]] | None = None
    entry_points: Points | None = None
    role_coefficients: dict[str, NonNegative] | None = None
    rank_coefficients: list[NonNegative] | None = None
    start: dict[str, Points] | None = None  # representative_plus_bonus, levels high -> low
    bonus: dict[str, Points] | None = None
    min_count: Annotated[int, Field(ge=1)] | None = None  # count
    points: Points | None = None  # count: points when min_count is reached
    entry_flags: dict[Ident, EntryFlag] = {}
    windowed: bool = True
    level_notes: dict[str, Text] = {}
    entry_may_exceed_cap: str | None = None  # why a single entry may score above the cap

    @cached_property
    def levels(self) -> list[str]:
        for table in (self.start, self.level_role_points, self.level_points):
            if table:
                return list(table)
        return []

    @cached_property
    def roles(self) -> list[str]:
        if self.level_role_points:
            return list(next(iter(self.level_role_points.values())))
        for table in (self.role_points, self.role_coefficients):
            if table:
                return list(table)
        return []

    @cached_property
    def level_caps(self) -> dict[str, Decimal]:
        """Representative-plus-bonus: a total may not pass the next level's start (top level: item cap)."""
        if not self.start:
            return {}
        levels = list(self.start)
        caps: dict[str, Decimal] = {}
        for i, level in enumerate(levels):
            above = self.start[levels[i - 1]] if i > 0 else self.cap
            caps[level] = above if above is not None else self.start[level]
        return caps

    def base_points(self, level: str | None, role: str | None) -> Decimal | None:
        """Points of one entry before rank and role coefficients; None when the level/role is not scored."""
        if self.level_role_points is not None:
            return self.level_role_points.get(level or "", {}).get(role or "")
        if self.level_points is not None:
            return self.level_points.get(level or "")
        if self.role_points is not None:
            return self.role_points.get(role or "")
        return self.entry_points

    def max_entry_points(self) -> Decimal:
        """The most a single entry can score (rank 1, best role)."""
        if self.aggregate == "representative_plus_bonus":
            return max(self.start.values()) if self.start else Decimal(0)
        if self.aggregate == "count":
            return self.points if self.points is not None else Decimal(1)
        if self.level_role_points:
            bases = [p for row in self.level_role_points.values() for p in row.values()]
        elif self.level_points:
            bases = list(self.level_points.values())
        elif self.role_points:
            bases = list(self.role_points.values())
        else:
            bases = [self.entry_points or Decimal(0)]
        role_max = max(self.role_coefficients.values()) if self.role_coefficients else Decimal(1)
        rank_max = max(self.rank_coefficients) if self.rank_coefficients else Decimal(1)
        return max(bases) * role_max * rank_max


class ItemRef(Strict):
    """Reuse an item written once in another sheet: ``use: other-sheet-id#item_id``."""

    use: Annotated[str, Field(pattern=r"^[a-z0-9-]+#[a-z][a-z0-9_]*$")]


ScoredItem = ChoiceItem | TiersItem | LinearItem | FlagItem | RecordItem | EntriesItem


def _item_kind(value: Any) -> str | None:
    """One tag per item so a mistake is reported against one shape, not against every shape."""
    if isinstance(value, BaseModel):
        return "ref" if isinstance(value, ItemRef) else value.rule  # type: ignore[attr-defined]
    if isinstance(value, dict):
        return "ref" if "use" in value else value.get("rule")
    return None


SectionItem = Annotated[
    Annotated[ChoiceItem, Tag("choice")]
    | Annotated[TiersItem, Tag("tiers")]
    | Annotated[LinearItem, Tag("linear")]
    | Annotated[FlagItem, Tag("flag")]
    | Annotated[RecordItem, Tag("record")]
    | Annotated[EntriesItem, Tag("entries")]
    | Annotated[ItemRef, Tag("ref")],
    Discriminator(
        _item_kind,
        custom_error_type="invalid_rule",
        custom_error_message="rule 应为 choice / tiers / linear / entries / flag / record 之一（或用 use: 引用其他表的项目）",
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
    ``right`` may also be a number.
    """

    message: Text
    left: Text
    op: Literal["<=", ">="]
    right: Text | NonNegative
    when: dict[str, Text] = {}


class Sheet(Strict):
    id: Annotated[str, Field(pattern=r"^[a-z0-9-]+$")]
    title: Text
    short_title: Text
    region: Literal["温州市", "浙江省", "慈溪市", "永嘉县", "绍兴市"]
    series: Text
    specialty: Text
    specialties: list[Text] = []
    levels: list[Literal["技术员", "助理工程师", "工程师", "高级工程师"]] = Field(min_length=1)
    route: Literal["破格申报", "自评分申报", "量化评价"]
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
