"""Every word a result shows, for every worked example and every generated batch applicant, against a snapshot.

Scoring writes its sentences (each item's and each entry's explanation, a gate's detail, the caps,
warnings, notices) only when they are read, so a batch that needs totals and flags does not pay for
them. Deferring a sentence must never change it: this test holds the text the result page, the
exports and ``python -m scorer score`` read (``render_result`` prints each of them), the reviewed
result of every case with a review block, and every flag's words, as it was when all of it was
written eagerly (``tests/snapshots/shown_text.json``, made by the eager code).

When a change of wording is intended, write the snapshot again and read its diff before committing:
``PYTHONPATH=. python tests/test_shown_text.py --write``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from batchgen import population
from helpers import CASES_DIR, SHEETS_DIR

from scorer import SheetLibrary
from scorer.cases import case_claims, case_files, load_case_file
from scorer.checks import applicant_flags
from scorer.claims import claims_from_parsed, draft_claims_split
from scorer.engine import score
from scorer.report import render_result
from scorer.result import Result

SNAPSHOT = Path(__file__).resolve().parent / "snapshots" / "shown_text.json"
KEPT: dict[str, Any] = json.loads(SNAPSHOT.read_text(encoding="utf-8")) if SNAPSHOT.exists() else {}


def _shown(result: Result, text: str) -> dict[str, Any]:
    """The CLI's report: every item's and entry's sentence, each gate's detail, every note beside the total."""
    return {"report": text.splitlines()}


def shown_text(library: SheetLibrary) -> dict[str, Any]:
    """What a reader is shown, by case (file:name) and by generated applicant (its name)."""
    from scorer.review import parse_review, review_claims

    out: dict[str, Any] = {}
    for path in case_files(CASES_DIR):
        case_file, parsed = load_case_file(path)
        sheet = library.sheets[case_file.sheet]
        for i, case in enumerate(case_file.cases):
            _, claims = claims_from_parsed(case_claims(case_file, parsed, i), library.sheets)
            result = score(sheet, claims)
            shown = _shown(result, render_result(result, sheet, claims.applicant.name))
            if claims.review is not None:
                reviewed = review_claims(sheet, claims, parse_review(claims.review, sheet, claims, path.name)).reviewed
                shown["reviewed"] = _shown(reviewed, render_result(reviewed, sheet, claims.applicant.name))
            out[f"{path.stem}:{case.name}"] = shown
    for _, data in population():
        sheet = library.sheets[data["sheet"]]
        claims, problems, impossible = draft_claims_split(data, sheet, "generated")
        result = score(sheet, claims)
        shown = _shown(result, render_result(result, sheet, claims.applicant.name))
        shown["flags"] = [flag.text() for flag in applicant_flags(sheet, claims, result, problems, impossible)]
        out[data["applicant"]["name"]] = shown
    return out


@pytest.fixture(scope="module")
def now(library: SheetLibrary) -> dict[str, Any]:
    return json.loads(json.dumps(shown_text(library), ensure_ascii=False))


def test_the_snapshot_covers_every_case_and_applicant(now: dict[str, Any]) -> None:
    assert sorted(now) == sorted(KEPT)
    assert len(now) >= 49 + 53


@pytest.mark.parametrize("name", sorted(KEPT))
def test_shown_text_is_unchanged(name: str, now: dict[str, Any]) -> None:
    assert now[name] == KEPT[name]


def test_every_sentence_kind_is_in_the_snapshot() -> None:
    """The snapshot is only a guard if it holds each kind of sentence the shapes write (not only empty lists)."""
    text = json.dumps(KEPT, ensure_ascii=False)
    for words in ("封顶", "已忽略", "系数", "代表业绩", "按最高一项计分", "专家酌定", "要求 ≥", "→", "每满", "小计"):
        assert words in text, words


if __name__ == "__main__" and sys.argv[1:] == ["--write"]:
    library = SheetLibrary(SHEETS_DIR)
    SNAPSHOT.parent.mkdir(exist_ok=True)
    SNAPSHOT.write_text(json.dumps(shown_text(library), ensure_ascii=False, indent=1, sort_keys=True) + "\n",
                        encoding="utf-8")
    print(f"wrote {SNAPSHOT}")
