"""One rerun after a single input change: the app's fill page vs a bare script with the same widgets.

Both run under Streamlit's AppTest in the same process, interleaved, so machine
noise hits both alike. AppTest reruns the whole script, so this is the worst
case for the app (in a browser a change inside a section reruns only that
section's fragment). AppTest also builds a new ScriptCache on every run, so it
recompiles each page file every time, which a server never does (its runtime
holds one ScriptCache for its lifetime). Both scripts here share one cache, as
on a server; ``--no-shared-cache`` shows AppTest's raw numbers.
Usage:  python bench/bench_rerun.py [--reps 30] [--no-shared-cache]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import streamlit.testing.v1.app_test as app_test_module  # noqa: E402
from streamlit.runtime.scriptrunner.script_cache import ScriptCache  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

from scorer.cases import case_claims, load_case_file  # noqa: E402
from scorer.drafts import open_store  # noqa: E402

SHEET = "zhejiang-mining-senior-2021"  # the largest: 12 items, 5 gates, 2 vetoes

# the same widgets the app shows on each step of the mining sheet
STEPS = {
    # numbers are typed into text inputs (exact text, no float round trip)
    "基本信息与申报条件": {"text_input": 7, "date_input": 1, "radio": 5, "selectbox": 0, "data_editor": 0},
    "经历与能力": {"selectbox": 3, "text_input": 3},
    "成果与影响": {"data_editor": 4},
}


def bare_script(widgets: dict[str, int]) -> str:
    lines = ["import streamlit as st", "import pandas as pd", "import datetime as dt",
             "st.segmented_control('步骤', ['a', 'b', 'c', 'd'], key='step')",
             "st.selectbox('changed', ['本科', '硕士'], key='changed')"]
    for i in range(widgets.get("text_input", 0)):
        lines.append(f"st.text_input('t{i}', key='t{i}')")
    for i in range(widgets.get("date_input", 0)):
        lines.append(f"st.date_input('d{i}', value=dt.date(2014, 7, 1), key='d{i}')")
    for i in range(widgets.get("radio", 0)):
        lines.append(f"st.radio('r{i}', ['是', '否'], index=0, key='r{i}')")
    for i in range(widgets.get("number_input", 0)):
        lines.append(f"st.number_input('n{i}', value=1.0, key='n{i}')")
    for i in range(widgets.get("selectbox", 0) - 1):
        lines.append(f"st.selectbox('s{i}', ['a', 'b'], key='s{i}')")
    for i in range(widgets.get("data_editor", 0)):
        lines.append(
            f"st.data_editor(pd.DataFrame({{'级别': ['省部级'], '本人排名': [1], '日期': [dt.date(2020, 1, 1)],"
            f" '名称': ['x'], '佐证材料': ['y']}}), key='e{i}', num_rows='dynamic')"
        )
    for _ in range(3):
        lines.append("st.metric('m', '1')")
    return "\n".join(lines)


def app_for(step: str, draft_id: str) -> tuple[AppTest, str]:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["draft"] = draft_id
    at.run()
    at.switch_page("ui/pages/fill.py").run()
    at.session_state[f"step:{SHEET}"] = step
    at.run()
    if step == "经历与能力":
        return at, f"{SHEET}.education"
    if step == "基本信息与申报条件":
        return at, f"{SHEET}.applicant.name"
    return at, f"{SHEET}.awards"


def change(at: AppTest, key: str, i: int) -> None:
    if key.endswith(".education"):
        at.selectbox(key=key).set_value("硕士" if i % 2 else "本科")
    elif key.endswith(".name"):
        at.text_input(key=key).set_value(f"申报人{i}")
    else:  # a new row in an entries table, through its edit state
        row = {"级别": "省部级二等奖", "本人排名": 1, "日期": "2020-01-01", "名称": f"奖{i}"}
        at.session_state[key] = {"edited_rows": {}, "added_rows": [row] * (i % 2), "deleted_rows": []}


def timed(at: AppTest, key: str, i: int) -> float:
    change(at, key, i)
    start = time.perf_counter()
    at.run()
    elapsed = time.perf_counter() - start
    assert not at.exception, [e.value for e in at.exception]
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reps", type=int, default=30)
    parser.add_argument("--no-shared-cache", action="store_true")
    args = parser.parse_args()
    if not args.no_shared_cache:
        shared = ScriptCache()
        app_test_module.ScriptCache = lambda: shared  # type: ignore[assignment,misc]
    os.environ["ZHICHENG_DRAFTS_DB"] = str(Path(tempfile.mkdtemp()) / "bench.sqlite3")
    case_file, parsed = load_case_file(ROOT / f"scoresheets/cases/{SHEET}.yaml")
    draft = open_store().create(case_claims(case_file, parsed, 0).data)
    print(f"{'step':<20}{'app ms':>10}{'bare ms':>10}{'ratio':>8}")
    for step, widgets in STEPS.items():
        at, key = app_for(step, draft.id)
        bare = AppTest.from_string(bare_script(widgets), default_timeout=60).run()
        app_times, bare_times = [], []
        for i in range(args.reps):
            app_times.append(timed(at, key, i))
            bare.selectbox(key="changed").set_value("硕士" if i % 2 else "本科")
            start = time.perf_counter()
            bare.run()
            bare_times.append(time.perf_counter() - start)
        a, b = statistics.median(app_times) * 1000, statistics.median(bare_times) * 1000
        print(f"{step:<20}{a:>10.1f}{b:>10.1f}{a / b:>8.2f}")


if __name__ == "__main__":
    main()
