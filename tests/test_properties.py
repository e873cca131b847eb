"""Properties over random claims on every real sheet: caps hold, sums add up, more never scores less."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from helpers import SHEETS_DIR
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scorer import SheetLibrary, claims_from_data, score
from scorer.model import ChoiceItem, EntriesItem, FieldSpec, FlagItem, LinearItem, RecordItem, Sheet, TiersItem

LIBRARY = SheetLibrary(SHEETS_DIR)
SHEET_IDS = sorted(LIBRARY.sheets)

numbers = st.decimals(min_value=0, max_value=400, places=1, allow_nan=False, allow_infinity=False)
dates = st.dates(min_value=dt.date(2008, 1, 1), max_value=dt.date(2023, 12, 31))


def entry_strategy(item: EntriesItem) -> st.SearchStrategy[dict[str, Any]]:
    fields: dict[str, st.SearchStrategy[Any]] = {"date": dates, "title": st.text(min_size=1, max_size=6)}
    if item.levels:
        fields["level"] = st.sampled_from(item.levels)
    if item.roles:
        fields["role"] = st.sampled_from(item.roles)
    if item.rank_coefficients:
        fields["rank"] = st.integers(min_value=1, max_value=9)
    for flag in item.entry_flags:
        fields[flag] = st.booleans()
    return st.fixed_dictionaries(fields)


def field_strategy(spec: FieldSpec) -> st.SearchStrategy[Any]:
    if spec.type == "number":
        return numbers
    if spec.type == "flag":
        return st.booleans()
    return st.sampled_from(spec.options or [""])


def answer_strategy(item: Any) -> st.SearchStrategy[Any]:
    if isinstance(item, ChoiceItem):
        return st.sampled_from(list(item.options))
    if isinstance(item, (TiersItem, LinearItem)):
        return st.integers(0, 400) if item.input.integer else numbers
    if isinstance(item, FlagItem):
        return st.booleans()
    if isinstance(item, RecordItem):
        return st.fixed_dictionaries({k: field_strategy(v) for k, v in item.fields.items()})
    return st.lists(entry_strategy(item), max_size=7)


@st.composite
def claim_data(draw: st.DrawFn, sheet: Sheet) -> dict[str, Any]:
    answers = {}
    for item_id, item in sheet.items.items():
        if draw(st.booleans()) or isinstance(item, EntriesItem):
            answers[item_id] = draw(answer_strategy(item))
    data: dict[str, Any] = {"sheet": sheet.id, "answers": answers}
    data["applicant"] = {"current_title_date": draw(dates)}
    if len(sheet.levels) > 1:
        data["level"] = draw(st.sampled_from(sheet.levels))
    return data


def _score(data: dict[str, Any]) -> Any:
    sheet, claims = claims_from_data(data, LIBRARY.sheets)
    return sheet, score(sheet, claims)


SETTINGS = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.mark.parametrize("sheet_id", SHEET_IDS)
@SETTINGS
@given(data=st.data())
def test_no_item_or_section_exceeds_its_cap(sheet_id: str, data: st.DataObject) -> None:
    sheet, result = _score(data.draw(claim_data(LIBRARY.sheets[sheet_id])))
    for item in result.items.values():
        if item.cap is not None:
            assert item.points <= item.cap, item.id
        if item.max_points is not None:
            assert item.points <= item.max_points, item.id
    for section in result.sections:
        if section.cap is not None:
            assert section.subtotal <= section.cap
    assert result.max_total is not None and result.total <= result.max_total
    del sheet


@pytest.mark.parametrize("sheet_id", SHEET_IDS)
@SETTINGS
@given(data=st.data())
def test_total_is_the_sum_of_section_subtotals(sheet_id: str, data: st.DataObject) -> None:
    _, result = _score(data.draw(claim_data(LIBRARY.sheets[sheet_id])))
    if result.kind == "count":
        assert result.total == sum(1 for i in result.items.values() if i.met)
    else:
        assert result.total == sum((s.subtotal for s in result.sections), Decimal(0))
    for section in result.sections:
        assert section.raw == sum((result.items[i].points for i in section.item_ids), Decimal(0))


ENTRY_ITEMS = [  # sum and max as the issue asks; count and representative_plus_bonus hold the same property
    (sheet_id, item_id)
    for sheet_id in SHEET_IDS
    for item_id, item in LIBRARY.sheets[sheet_id].items.items()
    if isinstance(item, EntriesItem)
]


@pytest.mark.parametrize(("sheet_id", "item_id"), ENTRY_ITEMS)
@settings(max_examples=20, deadline=None)
@given(data=st.data())
def test_adding_an_entry_never_lowers_an_entries_item(sheet_id: str, item_id: str, data: st.DataObject) -> None:
    sheet = LIBRARY.sheets[sheet_id]
    item = sheet.items[item_id]
    assert isinstance(item, EntriesItem)
    base = data.draw(claim_data(sheet))
    entries = list(base["answers"].get(item_id, []))
    extra = data.draw(entry_strategy(item))
    position = data.draw(st.integers(0, len(entries)))
    more = {**base, "answers": {**base["answers"], item_id: [*entries[:position], extra, *entries[position:]]}}
    _, before = _score(base)
    _, after = _score(more)
    assert after.items[item_id].capped >= before.items[item_id].capped
    assert after.total >= before.total
