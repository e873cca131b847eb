"""The application packet: every proof document numbered in a 目录, and one A4 PDF binder.

Seed 001 asks that the scoring sheet handed in give "系统佐证目录及得分符合情况描述" beside each
score ((二)13) and that the written materials be bound in one volume in the order of a 目录 ((四)).
So each attached document gets a catalogue number ``section-item-n`` (``2-1-3``: the third document
of the first item of section 二; ``0-g-n`` for the documents of the g-th 申报条件, ``0-0-1`` for the ID
photo), and the binder holds, in order:

1. a cover: applicant, unit, sheet, total and verdict, the proof split (``scorer.proof``), and the
   reconstructed-sheet warning where it applies;
2. the filled 打分表 with two more columns: 佐证目录 (the numbers behind each score) and
   得分符合情况描述 (how the points were reached);
3. the 目录, each document with the page it starts on;
4. every document in 目录 order (a photo on a page of its own), each page stamped in its top margin
   with its catalogue number, item, entry and the binder's page number.

The Chinese text is Noto Sans SC, embedded (subset), so the binder prints the same on any machine.
``packet_zip`` gives the same documents named by catalogue number, for the online platform's uploads.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from .attachments import FileRef, size_text
from .catalogue import Document, catalogue
from .claims import PHOTO, Claims
from .export import UNSCORED, form_rows
from .model import Sheet
from .numbers import fmt
from .proof import proof_tally, unbacked
from .result import Result

Fetch = Callable[[str], bytes | None]  # sha256 -> the stored bytes (None: missing)
A4_W, A4_H = 595.28, 841.89  # points
STAMP_PT = 7.5


def form_with_proof(sheet: Sheet, claims: Claims, result: Result) -> list[list[str]]:
    """The 打分表 as the binder prints it: 序号, 评分项目, 申报内容, 自评分, 佐证目录, 得分符合情况描述."""
    rows = []
    for row in form_rows(sheet, result, claims):
        points = fmt(row.points) if row.points is not None else ("不计" if row.kind == "entry" else "")
        rows.append([row.number, row.label, row.claim, points, row.proof, row.note])
    rows.append(["", "合计", "", fmt(result.total), "", result.verdict])
    return rows


# --- the PDF -------------------------------------------------------------------------------------


def _pdf() -> Any:
    from fpdf import FPDF
    from pylopdf_fonts_zh_cn import sans_path

    doc = FPDF(unit="pt", format="A4")
    doc.set_auto_page_break(True, margin=42)
    doc.set_margins(42, 42, 42)
    doc.add_font("noto", fname=str(sans_path()))
    doc.set_font("noto", size=10)
    doc.set_creator("职称自评分计算器")
    return doc


def _cover(doc: Any, sheet: Sheet, claims: Claims, result: Result, docs: list[Document], pages: int) -> None:
    doc.add_page()
    doc.set_font("noto", size=20)
    doc.ln(90)
    doc.multi_cell(0, 30, "职称申报材料", align="C", new_x="LMARGIN", new_y="NEXT")
    doc.set_font("noto", size=13)
    doc.ln(10)
    doc.multi_cell(0, 20, sheet.title, align="C", new_x="LMARGIN", new_y="NEXT")
    doc.ln(30)
    doc.set_font("noto", size=11)
    who = claims.applicant
    tally = proof_tally(sheet, claims, result)
    lines = [f"申报人：{who.name or '—'}", f"工作单位：{who.unit or '—'}", f"申报级别：{claims.level or '—'}",
             f"{'已满足条件' if result.kind == 'count' else '自评总分'}：{fmt(result.total)}"
             f"{' 项' if result.kind == 'count' else ' 分'}　结论：{result.verdict}",
             f"佐证情况：{tally.total.text(tally.unit)}",
             f"附件：{len(docs)} 份，共 {pages} 页（见目录）"]
    for line in lines:
        doc.multi_cell(0, 20, line, align="L", new_x="LMARGIN", new_y="NEXT")
    if sheet.fidelity == "reconstructed":
        doc.ln(16)
        doc.set_text_color(150, 60, 0)
        doc.multi_cell(0, 16, f"注意：本表为重建版本，以官方附件为准。{sheet.fidelity_note}", new_x="LMARGIN", new_y="NEXT")
        doc.set_text_color(0, 0, 0)


def _form(doc: Any, sheet: Sheet, claims: Claims, result: Result, unscored: Sequence[str] = ()) -> None:
    from fpdf.fonts import FontFace

    doc.add_page()
    doc.set_font("noto", size=13)
    doc.multi_cell(0, 20, f"{sheet.title}（自评分表）", align="C", new_x="LMARGIN", new_y="NEXT")
    doc.ln(6)
    doc.set_font("noto", size=8)
    heading = FontFace(fill_color=(221, 231, 240))
    with doc.table(col_widths=(26, 88, 120, 38, 62, 177), headings_style=heading, line_height=11,
                   repeat_headings=1, text_align=("CENTER", "LEFT", "LEFT", "RIGHT", "LEFT", "LEFT")) as table:
        table.row(["序号", "评分项目", "申报内容", "自评分", "佐证目录", "得分符合情况描述"])
        for values in form_with_proof(sheet, claims, result):
            table.row(values)
    if unscored:  # what the draft holds but does not score, as the form's other exports say it
        doc.ln(4)
        doc.multi_cell(0, 11, f"{UNSCORED}：" + "；".join(unscored), new_x="LMARGIN", new_y="NEXT")


def _contents(doc: Any, docs: list[Document], starts: list[int]) -> None:
    from fpdf.fonts import FontFace

    doc.add_page()
    doc.set_font("noto", size=13)
    doc.multi_cell(0, 20, "目　录", align="C", new_x="LMARGIN", new_y="NEXT")
    doc.ln(6)
    doc.set_font("noto", size=9)
    with doc.table(col_widths=(48, 150, 170, 100, 43), line_height=12, repeat_headings=1,
                   headings_style=FontFace(fill_color=(221, 231, 240)),
                   text_align=("LEFT", "LEFT", "LEFT", "LEFT", "RIGHT")) as table:
        table.row(["编号", "项目", "业绩", "文件", "页码"])
        for d, start in zip(docs, starts, strict=True):
            table.row([d.number, d.where, d.entry, f"{d.ref.name}（{d.ref.pages} 页）", str(start)])


def _front(sheet: Sheet, claims: Claims, result: Result, docs: list[Document], starts: list[int],
           pages: int, unscored: Sequence[str] = ()) -> Any:
    """Cover, 打分表 and 目录 laid out (not yet written: writing subsets the font, the slow part)."""
    doc = _pdf()
    _cover(doc, sheet, claims, result, docs, pages)
    _form(doc, sheet, claims, result, unscored)
    _contents(doc, docs, starts)
    return doc


def _image_page(data: bytes) -> bytes:
    """A photo on an A4 page of its own, as large as the margins allow."""
    from fpdf import FPDF
    from PIL import Image

    with Image.open(io.BytesIO(data)) as image:
        width, height = image.size
    page = FPDF(unit="pt", format="A4")
    page.set_auto_page_break(False)
    page.add_page()
    box_w, box_h = A4_W - 84, A4_H - 110
    scale = min(box_w / width, box_h / height)
    w, h = width * scale, height * scale
    page.image(io.BytesIO(data), x=(A4_W - w) / 2, y=60 + (box_h - h) / 2, w=w, h=h)
    return bytes(page.output())


def _stamps(doc: Any, sizes: list[tuple[float, float]], texts: list[str]) -> None:
    """One overlay page per document page after the front matter, its text in the top margin: one
    document, so the font is subset once for the whole binder."""
    doc.set_auto_page_break(False)
    doc.set_font("noto", size=STAMP_PT)
    doc.set_text_color(90, 90, 90)
    for (w, h), text in zip(sizes, texts, strict=True):
        doc.add_page(format=(w, h))
        doc.set_xy(24, 10)
        doc.cell(w - 48, 10, text, align="R")


def binder_pdf(sheet: Sheet, claims: Claims, result: Result, fetch: Fetch,
               unscored: Sequence[str] = ()) -> tuple[bytes, list[str]]:
    """(the binder, the documents left out with why): a missing or unreadable stored file is named, not fatal;
    ``unscored``: the draft's rows the claim check left out, said under the 打分表 (``export.to_xlsx``)."""
    from pypdf import PdfReader, PdfWriter

    docs, readers, missing = [], [], []
    for d in catalogue(sheet, claims):
        data = fetch(d.ref.sha256)
        if data is None:
            missing.append(f"{d.number} {d.ref.name}：附件库中找不到该文件，未装订")
            continue
        try:
            readers.append(PdfReader(io.BytesIO(data if d.ref.kind == "pdf" else _image_page(data))))
            docs.append(d)
        except Exception:  # stored bytes that no longer open: named, the binder goes on
            missing.append(f"{d.number} {d.ref.name}：文件无法打开，未装订")
    counts = [len(r.pages) for r in readers]
    pages = sum(counts)
    front_pages = _front(sheet, claims, result, docs, [0] * len(docs), pages, unscored).pages_count
    while True:  # the 目录's page numbers depend on how many pages come before them: settle it
        starts = [front_pages + 1 + sum(counts[:i]) for i in range(len(counts))]
        doc = _front(sheet, claims, result, docs, starts, pages, unscored)
        if doc.pages_count == front_pages:
            break
        front_pages = doc.pages_count
    sizes, texts = [], []
    for d, reader, start in zip(docs, readers, starts, strict=True):
        for k, page in enumerate(reader.pages):
            box = page.mediabox
            sizes.append((float(box.width), float(box.height)))
            texts.append(f"{d.heading()} · 本件第 {k + 1}/{len(reader.pages)} 页 · 装订页 {start + k}")
    _stamps(doc, sizes, texts)
    made = PdfReader(io.BytesIO(bytes(doc.output())))
    writer = PdfWriter()
    for page in made.pages[:front_pages]:
        writer.add_page(page)
    n = front_pages
    for d, reader in zip(docs, readers, strict=True):
        first = len(writer.pages)
        for page in reader.pages:
            writer.add_page(page).merge_page(made.pages[n])  # merged once in the writer (pypdf 7)
            n += 1
        writer.add_outline_item(title=d.heading(), page_number=first)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue(), missing


def packet_zip(sheet: Sheet, claims: Claims, fetch: Fetch, claim_file: bytes | None = None) -> tuple[bytes, list[str]]:
    """The documents named by catalogue number (``2-1-3_合同.pdf``), and the claim file beside them."""
    buf, missing = io.BytesIO(), []
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        for d in catalogue(sheet, claims):
            data = fetch(d.ref.sha256)
            if data is None:
                missing.append(f"{d.number} {d.ref.name}：附件库中找不到该文件")
                continue
            archive.writestr(d.filename(), data)
        if claim_file is not None:
            archive.writestr("申报文件.yaml", claim_file)
    return buf.getvalue(), missing


# --- 材料自检 ---------------------------------------------------------------------------------------

PHOTO_MIN_BYTES, PHOTO_MAX_BYTES = 30 * 1024, 1024 * 1024  # seed 001 / seed 002 附件1: over 30 KB, under 1 MB
PHOTO_MIN_SIZE = (215, 300)
PHOTO_RATIO = (0.65, 0.8)
STATEMENT_LIMIT = 1000  # 本人述职 at most 1000 characters


@dataclass(frozen=True)
class Check:
    ok: bool
    what: str
    detail: str


def photo_checks(ref: FileRef | None, data: bytes | None) -> list[Check]:
    """The ID photo as the platform takes it: JPG/JPEG, over 30 KB and under 1 MB, 215x300 px or more,
    width/height between 0.65 and 0.8."""
    if ref is None or data is None:
        return [Check(False, "证件照", "未上传（JPG，30 KB–1 MB，至少 215×300 像素，宽高比 0.65–0.8）")]
    from PIL import Image

    with Image.open(io.BytesIO(data)) as image:
        width, height = image.size
    ratio = width / height
    return [
        Check(ref.kind == "jpeg", "证件照格式", "JPG" if ref.kind == "jpeg" else f"{ref.kind.upper()}，须为 JPG/JPEG"),
        Check(PHOTO_MIN_BYTES < ref.size < PHOTO_MAX_BYTES, "证件照大小",
              f"{size_text(ref.size)}（须大于 30 KB、小于 1 MB）"),
        Check(width >= PHOTO_MIN_SIZE[0] and height >= PHOTO_MIN_SIZE[1], "证件照像素",
              f"{width}×{height}（至少 215×300）"),
        Check(PHOTO_RATIO[0] <= ratio <= PHOTO_RATIO[1], "证件照宽高比", f"{ratio:.2f}（须在 0.65–0.8 之间）"),
    ]


def self_check(sheet: Sheet, claims: Claims, result: Result, fetch: Fetch) -> list[Check]:
    """The 材料自检 before download: the photo, the 本人述职's length, and every counted entry backed."""
    photos = claims.attachments.get(PHOTO, ())
    checks = photo_checks(photos[0] if photos else None, fetch(photos[0].sha256) if photos else None)
    text = claims.applicant.statement or ""
    checks.append(Check(0 < len(text) <= STATEMENT_LIMIT, "本人述职",
                        f"{len(text)} 字（不超过 {STATEMENT_LIMIT} 字）" if text else "未填写（不超过 1000 字）"))
    bare = [f"{u.item}{u.entry}" for u in unbacked(result)]
    checks.append(Check(not bare, "计分业绩均附材料", "全部已附" if not bare else "未附材料：" + "；".join(bare)))
    return checks
