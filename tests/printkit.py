"""What the print tests share: every export of the worked examples, printed to PDF as a clerk would print
it (LibreOffice Calc headless for the xlsx, Chromium for the HTML), and read back page by page."""

from __future__ import annotations

import copy
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from helpers import CASES_DIR

from scorer import SheetLibrary, claims_from_data, score
from scorer.batch import Source, run_batch, template_claims
from scorer.cases import case_claims, case_files, load_case_file
from scorer.export import _item_groups, batch_xlsx, form_rows, review_html, review_xlsx, roster_xlsx, to_html, to_xlsx
from scorer.publicity import recommendation_xlsx
from scorer.review import parse_review, review_claims

SOFFICE = shutil.which("soffice")
PDFTOTEXT = shutil.which("pdftotext")
PDFINFO = shutil.which("pdfinfo")
A4_POINTS = (595.28, 841.89)
FOOTER = re.compile(r"第\s*(\d+)\s*页\s*共\s*(\d+)\s*页[ \t]*(\S[^\n]*)?")


@dataclass
class Page:
    width: float
    height: float
    text: str  # pdftotext -raw: each cell's lines together, in the order they are drawn

    @property
    def flat(self) -> str:
        return squash(self.text)

    @property
    def footer(self) -> re.Match[str] | None:
        return FOOTER.search(self.text)

    def is_a4(self) -> bool:
        size = sorted((self.width, self.height))
        return abs(size[0] - A4_POINTS[0]) < 1.5 and abs(size[1] - A4_POINTS[1]) < 1.5


def squash(text: Any) -> str:
    """Text without any whitespace: a wrapped cell reads the same as the cell's own text."""
    return "".join(str(text).split())


def pdf_pages(pdf: Path) -> list[Page]:
    info = subprocess.run([PDFINFO, str(pdf)], capture_output=True, text=True, check=True, timeout=60).stdout
    count = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))  # type: ignore[union-attr]
    sizes = subprocess.run([PDFINFO, "-f", "1", "-l", str(count), str(pdf)], capture_output=True, text=True,
                           check=True, timeout=60).stdout
    dims = [(float(w), float(h)) for w, h in re.findall(r"^Page\s+\d+\s+size:\s+([\d.]+) x ([\d.]+)", sizes, re.M)]
    text = subprocess.run([PDFTOTEXT, "-raw", str(pdf), "-"], capture_output=True, text=True, check=True,
                          timeout=60).stdout
    texts = text.split("\f")[:count]
    return [Page(w, h, t) for (w, h), t in zip(dims, texts, strict=True)]


def soffice_to_pdf(files: list[Path], outdir: Path) -> dict[str, Path]:
    """Every file converted by one headless LibreOffice (one start-up), with a private profile so that
    parallel runs do not share (and lock) a user installation."""
    with tempfile.TemporaryDirectory(prefix="lo-profile-") as profile:
        subprocess.run(
            [SOFFICE, f"-env:UserInstallation={Path(profile).as_uri()}", "--headless", "--norestore",
             "--convert-to", "pdf", "--outdir", str(outdir), *map(str, files)],
            capture_output=True, check=True, timeout=600,
        )
    return {f.stem: outdir / f"{f.stem}.pdf" for f in files}


# --- the exports ----------------------------------------------------------------------------------------------


def _worked_examples() -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for path in case_files(CASES_DIR):
        case_file, parsed = load_case_file(path)
        out[case_file.sheet] = [case_claims(case_file, parsed, i).data for i in range(len(case_file.cases))]
    return out


def _rows(result: Any) -> int:
    return sum(1 + len(item.entries) for item in result.items.values())


@dataclass
class Export:
    name: str
    kind: str  # applicant, review, batch, roster
    content: bytes | str
    who: str  # what the footer names beside the page numbers
    groups: list[tuple[str, str]] = field(default_factory=list)  # per item of the form: its first and last row's text


def exports(library: SheetLibrary) -> list[Export]:
    """Per sheet, the applicant's xlsx and HTML of its largest worked example (the most rows: the hardest
    to fit) and the review of its first reviewed example; the unit's batch of every worked example; the
    roster template."""
    out: list[Export] = []
    everyone: list[Source] = []
    for sheet_id, examples in _worked_examples().items():
        scored = []
        for i, data in enumerate(examples):
            everyone.append(Source(f"{sheet_id}-{i}.yaml", data=copy.deepcopy(data)))
            sheet, claims = claims_from_data(copy.deepcopy(data), library.sheets)
            scored.append((sheet, claims, score(sheet, claims)))
        sheet, claims, result = max(scored, key=lambda s: _rows(s[2]))
        who = f"申报人：{claims.applicant.name}"
        out.append(Export(f"applicant-{sheet_id}", "applicant", to_xlsx(sheet, claims, result), who))
        groups = [(g[0].number + g[0].label, g[-1].claim or g[-1].label)
                  for g in _item_groups(form_rows(sheet, result)) if len(g) > 1]
        out.append(Export(f"applicant-{sheet_id}", "applicant-html", to_html(sheet, claims, result), who, groups))
        reviewed = next((d for d in examples if d.get("review")), None)
        if reviewed is not None:
            sheet, claims = claims_from_data(copy.deepcopy(reviewed), library.sheets)
            review = parse_review(claims.review, sheet, claims, "review.yaml")
            outcome = review_claims(sheet, claims, review)
            who = f"申报人：{claims.applicant.name}"
            out.append(Export(f"review-{sheet_id}", "review",
                              review_xlsx(sheet, claims, outcome, review.reviewer, review.date), who))
            out.append(Export(f"review-{sheet_id}", "review-html",
                              review_html(sheet, claims, outcome, review.reviewer, review.date), who))
    batch = run_batch(everyone, library.sheets)
    out.append(Export("batch", "batch", batch_xlsx(batch.rows, batch.errors), f"共 {len(batch.rows)} 名申报人"))
    for ranked in batch.ranked:  # a sheet with an exam cut per specialty: its 推荐名单
        title = library.sheets[ranked.sheet_id].short_title
        out.append(Export(f"list-{ranked.sheet_id}", "list", recommendation_xlsx(batch.rows, ranked, title), title))
    examples = template_claims(library.sheets)
    out.append(Export("roster", "roster", roster_xlsx(examples), f"共 {len(examples)} 名申报人"))
    return out
