"""Regenerate the README pictures: the mining sheet's first worked example, filled and scored; the unit's
batch page with two applicants' packets (one with a changed and a missing document) and the worked examples.

Run by hand with the app served on localhost:8599 against a store that holds the draft:
    ZHICHENG_DRAFTS_DB=/tmp/shots.sqlite3 python docs/screenshots.py
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scorer.cases import case_claims, load_case_file  # noqa: E402
from scorer.drafts import open_store  # noqa: E402

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]


def main() -> None:
    os.environ.setdefault("ZHICHENG_DRAFTS_DB", "/tmp/shots.sqlite3")
    case_file, parsed = load_case_file(ROOT / "scoresheets/cases/zhejiang-mining-senior-2021.yaml")
    draft = open_store().create(case_claims(case_file, parsed, 0).data)
    server = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", "8599"], cwd=ROOT,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        time.sleep(6)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            page = browser.new_page(viewport={"width": 1440, "height": 1000})
            page.goto(f"http://localhost:8599/fill?draft={draft.link}")
            page.get_by_role("radio", name="工作业绩", exact=True).click()  # the step control
            time.sleep(4)
            page.screenshot(path=str(ROOT / "docs/fill.png"))
            page.goto(f"http://localhost:8599/result?draft={draft.link}")
            time.sleep(5)
            page.screenshot(path=str(ROOT / "docs/result.png"))
            batch_picture(page)
            browser.close()
    finally:
        server.terminate()


def batch_picture(page: Any) -> None:
    """单位批量复核 with a zip of two packets (the second with one document changed and one left out) and every
    worked example's claim file."""
    sys.path.insert(0, str(ROOT / "tests"))
    from helpers import zipped
    from packetkit import mining_packet, one_byte_changed, rezip

    from scorer import SheetLibrary
    from scorer.cases import load_case_file as load
    from scorer.serialize import to_yaml

    library = SheetLibrary()
    intact = mining_packet(library, "王工")
    other = mining_packet(library, "李工")
    damaged = rezip(other.archive, lambda name, data: None if name.startswith("2-1-3") else
                    (one_byte_changed(data) if name.startswith("3-1-1") else data))
    members = {"王工-材料包.zip": intact.archive, "李工-材料包.zip": damaged}
    for path in sorted((ROOT / "scoresheets/cases").glob("*.yaml"))[:6]:
        case_file, parsed = load(path)
        for n in range(len(case_file.cases))[:2]:
            members[f"{path.stem}-{n + 1}.yaml"] = to_yaml(case_claims(case_file, parsed, n).data).encode("utf-8")
    upload = Path("/tmp/shots-batch.zip")
    upload.write_bytes(zipped(members))
    page.goto("http://localhost:8599/batch")
    time.sleep(3)
    page.locator("input[type=file]").first.set_input_files(str(upload))
    time.sleep(8)
    page.screenshot(path=str(ROOT / "docs/batch.png"))


if __name__ == "__main__":
    main()
