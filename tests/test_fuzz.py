"""Fuzzing the input path: mutated claim files and sheets never give a traceback, a hang or a silent accept.

Every worked example is a valid claim file; hypothesis mutates its text (characters dropped, repeated or
inserted, scalars replaced by extreme or odd values) and its data (a value swapped for another type).
Whatever comes out is either scored, or refused with Chinese messages that each carry file:line:column.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from helpers import CASES_DIR, SHEETS_DIR
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scorer import ClaimError, SheetError, SheetLibrary, claims_from_text, score
from scorer.cases import case_claims, load_case_file
from scorer.loader import sheet_from_text
from scorer.serialize import to_json, to_yaml

LIBRARY = SheetLibrary(SHEETS_DIR)
POSITIONED = re.compile(r"^c\.(yaml|json):\d+:\d+: ")
CJK = re.compile(r"[\u4e00-\u9fff]")


def _examples() -> list[dict[str, Any]]:
    out = []
    for path in sorted(CASES_DIR.glob("*.yaml")):
        case_file, parsed = load_case_file(path)
        out += [case_claims(case_file, parsed, i).data for i in range(len(case_file.cases))]
    return out


EXAMPLES = _examples()
ODD_SCALARS = ["1e999999999", "1.0e+999999999", "-1", "9" * 60, "NaN", ".inf", "null", "[]", "{}", "''", "0x1F",
               "012", "1_000", "１２", "2018-W37-1", "20200315", "2021-02-30", '"\\x01"', "~", "yes", "是", "-0", "1:30"]


def _mutate_data(data: Any, draw: st.DrawFn) -> Any:
    """One value somewhere in the data replaced by a value of another kind."""
    if isinstance(data, dict) and data:
        key = draw(st.sampled_from(sorted(data)))
        if draw(st.booleans()):
            return {**data, key: _mutate_data(data[key], draw)}
        return {**data, key: draw(st.sampled_from([None, [], {}, "x" * 3, -5, 10**40, True, [1, [2]], {"a": {}}]))}
    if isinstance(data, list) and data:
        i = draw(st.integers(0, len(data) - 1))
        return [*data[:i], _mutate_data(data[i], draw), *data[i + 1:]]
    return draw(st.sampled_from([None, [], {}, "", "文字", -1, 10**35, True, "2021-13-01"]))


@st.composite
def mutated_claim_text(draw: st.DrawFn) -> tuple[str, str]:
    data = draw(st.sampled_from(EXAMPLES))
    as_json = draw(st.booleans())
    if draw(st.booleans()):
        data = _mutate_data(data, draw)
    try:
        text = to_json(data) if as_json else to_yaml(data)
    except (TypeError, ValueError):
        text = json.dumps(str(data))
    kind = draw(st.sampled_from(["none", "delete", "insert", "scalar", "duplicate"]))
    if kind != "none" and text:
        at = draw(st.integers(0, len(text) - 1))
        if kind == "delete":
            text = text[:at] + text[at + draw(st.integers(1, 20)):]
        elif kind == "insert":
            noise = draw(st.text(st.sampled_from(list("{}[]:,\"'-#&*!|>% \n\t0123456789eE.年")), max_size=8))
            text = text[:at] + noise + text[at:]
        elif kind == "duplicate":
            text = text[:at] + text[at:at + 40] + text[at:]
        else:
            scalars = [m for m in re.finditer(r"(?<=: )[^\n,{}\[\]]+", text)]
            if scalars:
                m = draw(st.sampled_from(scalars))
                text = text[: m.start()] + draw(st.sampled_from(ODD_SCALARS)) + text[m.end():]
    return text, "c.json" if as_json else "c.yaml"


def _check_refusal(lines: list[str]) -> None:
    assert lines
    for line in lines:
        assert POSITIONED.match(line), line
        assert CJK.search(line), line


SETTINGS = settings(max_examples=300, deadline=3000, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(mutated_claim_text())
def test_mutated_claim_files_are_scored_or_refused_with_positions(sample: tuple[str, str]) -> None:
    text, filename = sample
    try:
        sheet, claims = claims_from_text(text, filename, LIBRARY.sheets)
    except ClaimError as exc:
        _check_refusal(exc.lines)
        return
    result = score(sheet, claims)  # whatever is accepted scores without error
    assert result.total >= 0 or any(getattr(i, "points_per_unit", 1) < 0 for i in sheet.items.values())
    assert result.max_total is None or result.total <= result.max_total


SHEET_TEXTS = [(p.name, p.read_text(encoding="utf-8")) for p in sorted(SHEETS_DIR.glob("*.yaml"))
               if not re.search(r"[{\s]use:", p.read_text(encoding="utf-8"))]  # sheet_from_text takes no references


@st.composite
def mutated_sheet_text(draw: st.DrawFn) -> str:
    _, text = draw(st.sampled_from(SHEET_TEXTS))
    scalars = [m for m in re.finditer(r"(?<=: )[^\n,{}\[\]#]+", text)]
    for _ in range(draw(st.integers(1, 3))):
        if not scalars:
            break
        m = draw(st.sampled_from(scalars))
        text = text[: m.start()] + draw(st.sampled_from([*ODD_SCALARS, "1e999999999", "-6", "abc"])) + text[m.end():]
        scalars = [m for m in re.finditer(r"(?<=: )[^\n,{}\[\]#]+", text)]
    return text


@settings(max_examples=120, deadline=5000, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_sheet_text())
def test_mutated_sheets_load_or_are_refused_with_positions(text: str) -> None:
    try:
        sheet = sheet_from_text(text, "c.yaml")
    except SheetError as exc:
        _check_refusal(exc.lines)
        return
    from scorer.maxima import sheet_max

    sheet_max(sheet)  # an accepted sheet works through the engine's own walks


@pytest.mark.parametrize("text", ["", "   \n", "---\n...\n", "[]", "42", "sheet: [", '{"sheet": 1}'])
def test_degenerate_claim_files(text: str) -> None:
    for filename in ("c.yaml", "c.json"):
        with pytest.raises(ClaimError) as info:
            claims_from_text(text, filename, LIBRARY.sheets)
        _check_refusal(info.value.lines)


CLI_INPUTS = {
    "deep.json": '{"sheet": "x", "answers": ' + "[" * 5000 + "]" * 5000 + "}",
    "huge.yaml": "sheet: zhejiang-mining-senior-2021\nanswers:\n  years_in_title: " + "9" * 5000 + "\n",
    "rank.yaml": "sheet: zhejiang-mining-senior-2021\nanswers:\n  research_projects:\n"
                 "    - {level: 省部级, rank: 1.0e+999999999, date: 2019-01-01}\n",
    "binary.yaml": "sheet: \x00\x01\x02",
    "tab.yaml": "sheet: zhejiang-mining-senior-2021\nanswers:\n\teducation: 本科\n",
    "bom.json": "\ufeff{\"sheet\": \"zhejiang-mining-senior-2021\", \"answers\": {\"education\": \"本科\",}}",
}


def test_the_cli_never_shows_a_traceback(tmp_path: Any) -> None:
    import subprocess
    import sys

    from helpers import ROOT

    for name, text in CLI_INPUTS.items():
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        done = subprocess.run([sys.executable, "-m", "scorer", "score", str(path)], capture_output=True, text=True,
                              cwd=ROOT, timeout=30, check=False)
        assert done.returncode == 1, (name, done.stdout, done.stderr)
        assert "Traceback" not in done.stderr, (name, done.stderr)
        for line in done.stderr.strip().splitlines():
            assert re.match(rf"^{re.escape(str(path))}:\d+:\d+: ", line) and CJK.search(line), (name, line)
