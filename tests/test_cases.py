"""Every worked example beside the sheets runs as its own test."""

from __future__ import annotations

from collections import Counter

import pytest
from helpers import CASES_DIR

from scorer import SheetLibrary
from scorer.cases import case_claims, case_files, load_case_file, run_case

ALL_CASES = [
    pytest.param(path, i, id=f"{path.stem}:{case.name}")
    for path in case_files(CASES_DIR)
    for i, case in enumerate(load_case_file(path)[0].cases)
]


@pytest.mark.parametrize(("path", "index"), ALL_CASES)
def test_worked_example(path, index: int, library: SheetLibrary) -> None:  # type: ignore[no-untyped-def]
    case_file, parsed = load_case_file(path)
    sheet = library.sheets[case_file.sheet]
    mismatches = run_case(sheet, case_file.cases[index], case_claims(case_file, parsed, index))
    assert not mismatches, "\n".join(mismatches)


def test_every_sheet_has_at_least_four_cases(library: SheetLibrary) -> None:
    counts = Counter(load_case_file(p)[0].sheet for p in case_files(CASES_DIR) for _ in load_case_file(p)[0].cases)
    assert set(counts) == set(library.sheets)
    assert min(counts.values()) >= 4, counts


def test_cases_cover_the_required_situations(library: SheetLibrary) -> None:
    """Per sheet: a cap that bites, a window-ignored entry, a veto or failed gate, the exact line."""
    for path in case_files(CASES_DIR):
        case_file, _ = load_case_file(path)
        expects = [c.expect for c in case_file.cases]
        sheet = library.sheets[case_file.sheet]
        can_ignore = sheet.window is not None or any(getattr(i, "entry_flags", None) for i in sheet.items.values())
        if can_ignore:
            assert any(e.warnings for e in expects), path.name
        if sheet.gates or sheet.vetoes:
            assert any(e.verdict in ("否决", "不符合申报条件") for e in expects), path.name
        if sheet.threshold.kind != "count":
            assert any(e.caps for e in expects), path.name
        if sheet.threshold.kind in ("total", "count"):
            assert any(e.margin == 0 for e in expects), path.name
            assert any(e.margin is not None and -1 <= e.margin < 0 for e in expects), path.name
        if sheet.exclusive_groups:
            assert any(any(v == 0 for v in e.items.values()) for e in expects)


def test_a_wrong_expectation_fails(library: SheetLibrary) -> None:
    path = CASES_DIR / "cixi-engineering-junior-2021.yaml"
    case_file, parsed = load_case_file(path)
    case = case_file.cases[0].model_copy(update={"expect": case_file.cases[0].expect.model_copy(update={"total": 121})})
    mismatches = run_case(library.sheets[case_file.sheet], case, case_claims(case_file, parsed, 0))
    assert mismatches == ["total: 期望 121，实际 120"]
