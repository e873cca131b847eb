"""Page 1 of each printed export as a picture (docs/print/*.png): the xlsx exports converted by headless
LibreOffice Calc, the HTML exports printed by Chromium, as the print tests do.

    python docs/print_screenshots.py
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from browserkit import ARGS, CHROMIUM  # noqa: E402
from helpers import SHEETS_DIR  # noqa: E402
from printkit import exports, soffice_to_pdf  # noqa: E402

from scorer import SheetLibrary  # noqa: E402

PICK = {  # export name and kind -> picture
    ("applicant-zhejiang-mining-senior-2021", "applicant"): "applicant-xlsx",
    ("applicant-zhejiang-mining-senior-2021", "applicant-html"): "applicant-html",
    ("review-zhejiang-construction-engineer-review", "review"): "review-xlsx",
    ("review-zhejiang-construction-engineer-review", "review-html"): "review-html",
    ("batch", "batch"): "batch-xlsx",
    ("roster", "roster"): "roster-xlsx",
}


def main() -> None:
    from playwright.sync_api import sync_playwright

    out = ROOT / "docs" / "print"
    out.mkdir(exist_ok=True)
    chosen = {PICK[(e.name, e.kind)]: e for e in exports(SheetLibrary(SHEETS_DIR)) if (e.name, e.kind) in PICK}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        books = []
        for picture, e in chosen.items():
            if isinstance(e.content, bytes):
                (folder / f"{picture}.xlsx").write_bytes(e.content)
                books.append(folder / f"{picture}.xlsx")
        pdfs = soffice_to_pdf(books, folder)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            page = browser.new_page()
            for picture, e in chosen.items():
                if isinstance(e.content, str):
                    (folder / f"{picture}.html").write_text(e.content, encoding="utf-8")
                    page.goto((folder / f"{picture}.html").as_uri())
                    pdfs[picture] = folder / f"{picture}.pdf"
                    page.pdf(path=str(pdfs[picture]), prefer_css_page_size=True, print_background=True)
            browser.close()
        for picture, pdf in pdfs.items():
            subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", str(pdf),
                            str(out / picture)], check=True, timeout=60)
            print(out / f"{picture}.png")


if __name__ == "__main__":
    main()
