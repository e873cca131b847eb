"""Building the application binder for 50 documents / 200 pages, against merely concatenating the same PDFs.

Both with pypdf in the same process on the same documents, interleaved, medians of ``--runs``. The
binder adds the cover, the 打分表, the 目录 and a stamp on every page (one fpdf2 document for all the
stamps, so the Chinese font is subset once). Usage:  python bench/bench_binder.py [--runs 5]
"""

from __future__ import annotations

import argparse
import copy
import io
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from fpdf import FPDF  # noqa: E402
from helpers import CASES_DIR  # noqa: E402
from pypdf import PdfReader, PdfWriter  # noqa: E402

from scorer import SheetLibrary, claims_from_data, score  # noqa: E402
from scorer.attachments import inspect  # noqa: E402
from scorer.cases import case_claims, load_case_file  # noqa: E402
from scorer.packet import binder_pdf  # noqa: E402

DOCS, PAGES = 50, 200


def document(pages: int, n: int) -> bytes:
    doc = FPDF()
    doc.set_font("helvetica", size=14)
    for k in range(pages):
        doc.add_page()
        doc.multi_cell(0, 8, f"document {n} page {k + 1}\n" + "lorem ipsum dolor sit amet " * 40)
    return bytes(doc.output())


def build() -> tuple[object, object, object, dict[str, bytes], list[bytes]]:
    library = SheetLibrary()
    case_file, parsed = load_case_file(CASES_DIR / "zhejiang-mining-senior-2021.yaml")
    data = copy.deepcopy(case_claims(case_file, parsed, 0).data)
    blobs: dict[str, bytes] = {}
    files = [document(PAGES // DOCS, n) for n in range(DOCS)]
    entries = [e for key in ("mine_projects", "research_projects", "awards", "papers") for e in data["answers"][key]]
    for n, raw in enumerate(files):
        attachment = inspect(f"材料{n + 1}.pdf", raw)
        blobs[attachment.ref.sha256] = attachment.data
        entries[n % len(entries)].setdefault("files", []).append(attachment.ref.to_data())
    sheet, claims = claims_from_data(data, library.sheets)
    return sheet, claims, score(sheet, claims), blobs, files


def concatenate(files: list[bytes]) -> bytes:
    writer = PdfWriter()
    for raw in files:
        for page in PdfReader(io.BytesIO(raw)).pages:
            writer.add_page(page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    sheet, claims, result, blobs, files = build()
    binder_times, concat_times = [], []
    pages = 0
    for _ in range(args.runs):
        started = time.perf_counter()
        concatenate(files)
        concat_times.append(time.perf_counter() - started)
        started = time.perf_counter()
        data, missing = binder_pdf(sheet, claims, result, blobs.get)  # type: ignore[arg-type]
        binder_times.append(time.perf_counter() - started)
        assert not missing
        pages = len(PdfReader(io.BytesIO(data)).pages)
    b, c = statistics.median(binder_times), statistics.median(concat_times)
    print(f"{DOCS} documents, {PAGES} pages; binder {pages} pages")
    print(f"concatenate (pypdf): median {c:.2f} s")
    print(f"binder: median {b:.2f} s  ({b / c:.1f}x concatenating)")


if __name__ == "__main__":
    main()
