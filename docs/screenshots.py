"""Regenerate the README pictures: the mining sheet's first worked example, filled and scored.

Run by hand with the app served on localhost:8599 against a store that holds the draft:
    ZHICHENG_DRAFTS_DB=/tmp/shots.sqlite3 python docs/screenshots.py
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

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
            page.goto(f"http://localhost:8599/fill?draft={draft.id}")
            page.get_by_role("radio", name="工作业绩", exact=True).click()  # the step control
            time.sleep(4)
            page.screenshot(path=str(ROOT / "docs/fill.png"))
            page.goto(f"http://localhost:8599/result?draft={draft.id}")
            time.sleep(5)
            page.screenshot(path=str(ROOT / "docs/result.png"))
            browser.close()
    finally:
        server.terminate()


if __name__ == "__main__":
    main()
