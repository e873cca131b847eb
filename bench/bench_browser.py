"""What a person feels: one change on the largest sheet, in Chromium, against a bare script with the same widgets.

The app is served with a stored draft of the mining sheet (the worked example),
on its 经历与能力 step; a bare script is served beside it by another
Streamlit process and draws the same widgets in the same layout -- the step
bar, six bordered items each with its label and three lines of text, three
selects and three text inputs, a files expander per item, a result line per
item, the three metrics, the two buttons -- inside a fragment like the app's,
and its metric is the sum of what was typed. Nothing else: no scoring, no save.
Two bare scripts: ``bare`` draws each expander's uploader always (as the app
did before), ``bare-folded`` only while the expander is open (as it does now).

A change is: type a number into 任现职年限 (6 or 11 in turn, so the 5-point
and 3-point tiers alternate), press Enter, and wait until the first metric's
text changes (a MutationObserver in the page, timed with performance.now()).
Frames and bytes the server sends over the websocket per change are counted too.
Rounds alternate between the two pages (app, bare, app, bare...), after
warm-up changes, so machine noise hits both alike; medians of ``--reps``.

``--before DIR`` also serves another checkout of the app (e.g. ``git worktree add DIR <commit>``) in the
same rounds, with its own copy of the draft, so a change is measured against the code before it.

Usage:  python bench/bench_browser.py [--reps 20] [--before DIR] [--json out.json]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import statistics
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from browserkit import ARGS, CHROMIUM, served_process  # noqa: E402

from scorer.cases import case_claims, load_case_file  # noqa: E402
from scorer.drafts import Draft, SqliteDraftStore  # noqa: E402

SHEET = "zhejiang-mining-senior-2021"
STEP = 1  # 经历与能力
VALUES = ("6", "11")  # 任现职年限: 3 points, then 5 (the total changes every time)

BARE = '''
import streamlit as st

FOLDED = {folded}

st.set_page_config(page_title="bare", layout="wide")
st.title("浙江省矿业工程专业高级工程师评价")
st.caption("申报级别 · 浙江省 · 2021年版 · ≥ 80 分")
st.segmented_control("步骤", ["基本信息与申报条件", "经历与能力", "工作业绩", "成果与影响"], key="step",
                     default="经历与能力", label_visibility="collapsed")
ITEMS = [("学历", "select"), ("任现职年限", "text"), ("矿山一线工作年限", "text"), ("基层工作地点", "select"),
         ("近三年专业科目继续教育超出规定学时", "text"), ("执业资格", "select")]


@st.fragment
def step() -> None:
    summary = st.container()
    st.caption("本部分封顶 20 分")
    slots = []
    total = 0
    for i, (label, kind) in enumerate(ITEMS):
        with st.container(border=True):
            st.markdown(f"**{label}**　:gray[封顶 5]  \\n:small[:gray[计分：按所填数值分档]]  \\n"
                        ":small[:gray[佐证材料：聘任文件]]  \\n:small[:gray[原文：……]]")
            if kind == "select":
                st.selectbox(label, ["（未填写）", "本科", "硕士"], key=f"s{i}")
            else:
                value = st.text_input(f"{label}（年）", key=f"t{i}")
                total += int(value) if value.isdigit() else 0
            if FOLDED:  # as the app now: the uploader drawn only while its expander is open
                box = st.expander("佐证材料文件（可选：附上即计为“有佐证”）", key=f"x{i}", on_change="rerun")
                if box.open:
                    with box:
                        st.file_uploader("附上文件", accept_multiple_files=True, key=f"f{i}")
            else:
                with st.expander("佐证材料文件（可选：附上即计为“有佐证”）"):
                    st.file_uploader("附上文件", accept_multiple_files=True, key=f"f{i}")
            slots.append(st.empty())
    for slot in slots:
        slot.markdown(f"**得分 {total}** / 封顶 5　按所填数值分档")
    with summary:
        row = st.container(horizontal=True, gap="large")
        row.container(width="content").metric("本部分小计", f"{total} / 20")
        row.container(width="content").metric("总分 / 分数线", f"{total} / 80")
        row.container(width="content").metric("结论", "达到")
        st.markdown(":small[有佐证 0 分 · 仅列名称 0 分 · 无佐证 0 分]")


step()
left, _, right = st.columns([1, 3, 1])
left.button("← 基本信息与申报条件", width="stretch")
right.button("工作业绩 →", width="stretch", type="primary")
'''

WAIT_FOR_CHANGE = """
() => { window.__changed = new Promise(resolve => {
  const read = () => (document.querySelector("[data-testid='stMetricValue']") || {}).innerText;
  const before = read();
  const t0 = performance.now();
  const seen = new MutationObserver(() => {
    if (read() !== before) { seen.disconnect(); resolve(performance.now() - t0); }
  });
  seen.observe(document.body, {subtree: true, childList: true, characterData: true});
}); }
"""


@dataclass
class Page:
    """One served page in the browser and what it was sent."""

    name: str
    page: Any
    label: str
    frames: int = 0
    bytes: int = 0
    times: list[float] = field(default_factory=list)
    per_change: list[tuple[int, int]] = field(default_factory=list)

    def listen(self) -> None:
        def on_socket(ws: Any) -> None:
            ws.on("framereceived", self._frame)

        self.page.on("websocket", on_socket)

    def _frame(self, payload: Any) -> None:
        self.frames += 1
        self.bytes += len(payload)

    def settle(self) -> None:
        self.page.wait_for_timeout(250)
        self.page.locator("[data-testid='stStatusWidget']").wait_for(state="hidden", timeout=30_000)

    def change(self, value: str, record: bool) -> None:
        box = self.page.get_by_label(self.label, exact=True)
        box.fill(value)
        self.page.evaluate(WAIT_FOR_CHANGE)
        frames, size = self.frames, self.bytes
        box.press("Enter")
        elapsed = self.page.evaluate("() => window.__changed")
        self.settle()
        if record:
            self.times.append(float(elapsed))
            self.per_change.append((self.frames - frames, self.bytes - size))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reps", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--before", type=Path, help="another checkout of the app, served and measured alongside")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    work = Path(tempfile.mkdtemp(prefix="bench-browser-"))
    (work / "bare.py").write_text(BARE.replace("{folded}", "False"), encoding="utf-8")
    (work / "bare_folded.py").write_text(BARE.replace("{folded}", "True"), encoding="utf-8")
    db = work / "drafts.sqlite3"
    case_file, parsed = load_case_file(ROOT / f"scoresheets/cases/{SHEET}.yaml")
    draft = SqliteDraftStore(db).create(case_claims(case_file, parsed, 0).data)
    os.environ.pop("ZHICHENG_DRAFTS_URL", None)
    served = [("app", db, "app.py")] + ([("before", work / "before.sqlite3", str(args.before / "app.py"))]
                                       if args.before else [])
    if args.before:
        SqliteDraftStore(served[1][1]).save(Draft(draft.id, dict(draft.data)))  # the same draft, its own file
    with contextlib.ExitStack() as stack, sync_playwright() as p:
        urls = [(name, stack.enter_context(served_process(path, script=script))[0]) for name, path, script in served]
        bares = [(name, stack.enter_context(served_process(script=str(work / f"{name.replace('-', '_')}.py")))[0])
                 for name in ("bare", "bare-folded")]
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        pages = []
        targets = [(name, f"{url}/fill?draft={draft.link}&step={STEP}") for name, url in urls] + bares
        for name, url in targets:
            page = browser.new_page(viewport={"width": 1440, "height": 900})
            page.set_default_timeout(30_000)
            one = Page(name, page, "任现职年限（年）")
            one.listen()
            page.goto(url)
            page.get_by_label(one.label, exact=True).wait_for()
            one.settle()
            pages.append(one)
        for i in range(args.warmup + args.reps):
            for one in pages if i % 2 == 0 else reversed(pages):
                one.change(VALUES[i % 2], record=i >= args.warmup)
        browser.close()
    report: dict[str, Any] = {"reps": args.reps, "load": os.getloadavg()[0]}
    for one in pages:
        report[one.name] = {
            "median_ms": statistics.median(one.times),
            "p90_ms": sorted(one.times)[int(0.9 * (len(one.times) - 1))],
            "frames": statistics.median(f for f, _ in one.per_change),
            "kib": statistics.median(b for _, b in one.per_change) / 1024,
        }
        r = report[one.name]
        print(f"{one.name:>6}: median {r['median_ms']:6.1f} ms (p90 {r['p90_ms']:6.1f}); "
              f"{r['frames']:.0f} frames, {r['kib']:.1f} KiB per change")
    for name, floor in (("app", "bare"), ("app", "bare-folded"), ("before", "bare")):
        if name in report:
            ratio = report[f"{name}/{floor}"] = report[name]["median_ms"] / report[floor]["median_ms"]
            print(f"{name} / {floor} = {ratio:.2f}" + (" (target <= 1.2)" if name == "app" else ""))
    print(f"load {report['load']:.1f} on {os.cpu_count()} cores")
    if args.json:
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
