"""What every rule shape has in common, and the protocol each one fills in.

A rule shape (choice, tiers, entries, ...) is one pydantic model in one module.
The model is the schema a sheet item is checked against, and its methods are
everything else the package needs to know about the shape: how a claimed answer
is validated, how it scores (with the sentences a clerk reads), its maximum, its
words, its next steps for the gap analysis, what a reviewer may change, and
which cross-field mistakes lint refuses. Shapes register by their ``rule:`` name
(``@register``), and the engine, lint, describe, maxima, gaps, review and batch
consult the registry instead of testing types -- as jsonschema's dialects map
keyword names to functions.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from ..errors import Problem
from ..numbers import answer_text
from ..safeyaml import Path

if TYPE_CHECKING:
    from ..result import ItemResult
    from .answers import AnswerChecker

# every number a sheet holds is bounded and short, so no arithmetic on it can overflow or round (numbers.EXACT)
SHEET_MAX = Decimal(10) ** 9
Points = Annotated[Decimal, Field(allow_inf_nan=False, ge=-SHEET_MAX, le=SHEET_MAX, max_digits=30)]
NonNegative = Annotated[Decimal, Field(allow_inf_nan=False, ge=0, le=SHEET_MAX, max_digits=30)]
Text = Annotated[str, Field(min_length=1)]
Ident = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]
Fidelity = Literal["transcribed", "reconstructed"]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


@dataclass(frozen=True)
class Window:
    """Which achievements count, resolved for one claim (the start may come from the applicant)."""

    start: dt.date | None
    until: dt.date | None
    label: str
    start_name: str  # how the start date is called in a warning

    def why_outside(self, date: dt.date) -> str | None:
        if self.start and date < self.start:
            return f"日期 {date} 早于{self.start_name} {self.start}"
        if self.until and date > self.until:
            return f"日期 {date} 晚于截止日 {self.until}"
        return None


@dataclass
class ScoreContext:
    """What scoring one item may need beyond its own answer; collects the sheet-wide notes."""

    window: Window | None
    answers: dict[str, Any] = field(default_factory=dict)  # every checked answer, for shapes keyed by another item
    gates: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)  # entries left out, with the reason
    notices: list[str] = field(default_factory=list)  # advice that changes no number
    findings: list[str] = field(default_factory=list)  # 标志性成果 and the like: a finding beside the verdict
    pending: list[str] = field(default_factory=list)  # what must be answered first (another item this one reads)


@dataclass(frozen=True)
class GapContext:
    """What a shape needs to propose a realistic next step."""

    entry_date: dt.date  # a date inside the window, for a hypothetical new entry
    answers: dict[str, Any] = field(default_factory=dict)


class ItemBase(Strict):
    """Fields every item has; the protocol methods below are filled in by each shape."""

    id: Ident
    label: Text
    cap: NonNegative | None = None
    evidence: list[Text] = []
    source_text: str | None = None
    source: str | None = None  # clause reference, e.g. "seed 003 二、（二）"
    fidelity: Fidelity | None = None
    note: str | None = None

    rule: str  # each shape narrows this to its Literal name

    # may a reviewer replace the whole answer with another value (not only accept or reject it)?
    reviewer_may_change: ClassVar[bool] = True
    # is the answer a list a reviewer judges row by row (``answers.item[2]``)?
    reviewed_by_row: ClassVar[bool] = False

    # --- claims -----------------------------------------------------------------------------------
    def check_answer(self, value: Any, path: Path, checker: AnswerChecker) -> Any:
        """The answer in the type scoring needs, or None with the problems recorded in ``checker``."""
        raise NotImplementedError

    def answer_data(self, answer: Any) -> Any:
        """The checked answer as plain claim-file data (the inverse of ``check_answer``)."""
        return answer

    def claimed_text(self, answer: Any) -> str:
        """The answer in words, as the result and the review page show it."""
        return answer_text(answer)

    # --- scoring ----------------------------------------------------------------------------------
    def score(self, answer: Any, ctx: ScoreContext, result: ItemResult) -> None:
        """Fill ``result.claimed``, ``result.raw`` and the explanation (the engine applies the cap)."""
        raise NotImplementedError

    def after_cap(self, result: ItemResult) -> None:
        """A last step after the item cap (a floor, for instance); most shapes have none."""

    def raw_max(self) -> Decimal | None:
        """The most the rule gives before the item cap; None when only the cap bounds it."""
        raise NotImplementedError

    # --- words, gaps, review, lint ------------------------------------------------------------------
    def describe(self) -> str:
        """The rule in words, as the paper form says it (the engine adds the cap)."""
        raise NotImplementedError

    def gap_steps(self, current: Any, ctx: GapContext) -> list[tuple[str, Any]]:
        """Possible next answers, most attainable first, each with its words."""
        return []

    def lint(self, path: Path) -> Iterator[Problem]:
        """Cross-field mistakes of this item that the schema alone cannot catch."""
        yield from ()

    def roster_kind(self, field_name: str) -> str:
        """How a roster cell for this item (or one of its fields) is typed: flag, number or text."""
        return "text"

    def field_names(self) -> list[str]:
        """The named fields of a multi-field answer (``answers.<item>.<field>`` in consistency rules)."""
        return []

    def answer_labels(self, field_name: str = "") -> list[str] | None:
        """The labels the answer (or one of its fields) can take; None when it is not a labelled answer."""
        return None

    def lint_in_sheet(self, path: Path, labels_of: Callable[[str], list[str] | None],
                      exists: Callable[[str], bool]) -> Iterator[Problem]:
        """Mistakes that need the rest of the sheet (an answer this item reads); most shapes have none."""
        yield from ()

    def review_row_fields(self) -> list[tuple[str, str, list[str] | None]]:
        """(field, title, options) a reviewer may change on one row of a row-reviewed answer; [] = accept or reject."""
        return []

    def review_entry(self, entry: Any, change: dict[str, Any], where: Path, checker: AnswerChecker) -> Any:
        """One row as a reviewer changed it, or None with the problems recorded."""
        checker.problem(where, "本项逐条只能接受或驳回")
        return None


ShapeT = TypeVar("ShapeT", bound=type[ItemBase])
SHAPES: dict[str, type[ItemBase]] = {}


def register(cls: ShapeT) -> ShapeT:
    """Make a shape known by its ``rule:`` name (taken from its ``rule`` Literal)."""
    annotation = cls.model_fields["rule"].annotation
    name = annotation.__args__[0]  # type: ignore[union-attr]
    if name in SHAPES:
        raise ValueError(f"rule shape {name!r} registered twice")
    SHAPES[name] = cls
    return cls


class NumberInput(Strict):
    """The number a tiers or linear item asks for, with its bounds (checked before anything is scored)."""

    label: Text
    unit: str | None = None
    integer: bool = False
    max: NonNegative | None = None  # the most anyone can have: years <= 60, a percentage <= 100

    def check(self, value: Any, path: Path, checker: AnswerChecker) -> Decimal | None:
        return checker.number(value, path, integer=self.integer, maximum=self.max, what=self.label)

    def shown(self, value: Decimal) -> str:
        from ..numbers import fmt

        return f"{fmt(value)}{self.unit or ''}"
