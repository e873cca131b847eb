"""The application packet (scorer.proof, scorer.catalogue, scorer.packet) built from a worked example.

The mining example's first case (80 points) with documents made here: a photo, a scan on 学历, two
files on the first project and a three-page one on the third. The binder is read back with pypdf:
its pages, the 目录's lines and page numbers, the stamp on a chosen page, the embedded font.
"""

from __future__ import annotations

import copy
import io
import re
import subprocess
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from fpdf import FPDF
from helpers import CASES_DIR
from PIL import Image
from printkit import PDFTOTEXT
from pypdf import PdfReader, PdfWriter

from scorer import SheetLibrary, claims_from_data, score
from scorer.attachments import inspect
from scorer.cases import case_claims, load_case_file
from scorer.catalogue import catalogue
from scorer.export import to_xlsx
from scorer.packet import binder_pdf, packet_zip, photo_checks, self_check
from scorer.proof import BACKED, LISTED, UNPROVEN, proof_tally, unbacked

MINING = "zhejiang-mining-senior-2021"
D = Decimal


def pdf(pages: int, label: str) -> bytes:
    doc = FPDF()
    doc.set_font("helvetica", size=24)
    for n in range(pages):
        doc.add_page()
        doc.cell(text=f"{label} page {n + 1}")
    return bytes(doc.output())


def jpeg(size: tuple[int, int], noisy: bool = True) -> bytes:
    image = Image.effect_noise(size, 60).convert("RGB") if noisy else Image.new("RGB", size, "white")
    out = io.BytesIO()
    image.save(out, "JPEG", quality=95)
    return out.getvalue()


class Packet:
    """The example with its documents, and the store they would be fetched from."""

    def __init__(self, library: SheetLibrary) -> None:
        case_file, parsed = load_case_file(CASES_DIR / f"{MINING}.yaml")
        data: dict[str, Any] = copy.deepcopy(case_claims(case_file, parsed, 0).data)
        self.blobs: dict[str, bytes] = {}
        data["attachments"] = {"applicant.photo": [self.add("证件照.jpg", jpeg((300, 420)))],
                               "answers.education": [self.add("毕业证书.pdf", pdf(1, "diploma"))]}
        projects = data["answers"]["mine_projects"]
        projects[0]["files"] = [self.add("合同.pdf", pdf(2, "contract")), self.add("人员名单.pdf", pdf(1, "staff"))]
        projects[2]["files"] = [self.add("立项书.pdf", pdf(3, "approval"))]
        data["applicant"]["statement"] = "任现职以来主持矿山工程项目三项。"
        self.sheet, self.claims = claims_from_data(data, library.sheets)
        self.result = score(self.sheet, self.claims)

    def add(self, name: str, data: bytes) -> dict[str, Any]:
        attachment = inspect(name, data)
        self.blobs[attachment.ref.sha256] = attachment.data
        return attachment.ref.to_data()


@pytest.fixture(scope="module")
def packet(library: SheetLibrary) -> Packet:
    return Packet(library)


@pytest.fixture(scope="module")
def binder(packet: Packet) -> PdfReader:
    data, missing = binder_pdf(packet.sheet, packet.claims, packet.result, packet.blobs.get)
    assert missing == []
    return PdfReader(io.BytesIO(data))


def page_texts(reader: PdfReader, tmp: Path) -> list[str]:
    """The pages as a reader sees them (poppler's pdftotext, as laid out: a 目录 line stays one line)."""
    assert PDFTOTEXT, "需要 pdftotext（apt-get install poppler-utils，见 .ci/run）"
    path = tmp / "binder.pdf"
    out = io.BytesIO()
    writer = PdfWriter(clone_from=reader)
    writer.write(out)
    path.write_bytes(out.getvalue())
    text = subprocess.run([PDFTOTEXT, "-layout", str(path), "-"], capture_output=True, text=True, check=True,
                          timeout=60).stdout
    return text.split("\f")[: len(reader.pages)]


def test_the_proof_split_is_the_hand_count(packet: Packet) -> None:
    # 经历与能力 19: 学历 6 backed (a scan), 任现职 5 + 一线 4 + 继续教育 2 + 执业资格 2 = 13 unproven.
    # 工作业绩: 矿山项目 36.2 = 30 + 3 backed (files) + 3.2 listed (合同.pdf typed); 科研 10 listed (10.4 capped);
    #   the section cap of 45 takes 1.2 from the listed (no unproven there): backed 33, listed 12.
    # 成果与影响 16: 奖项 12 + 论文 4, names typed only: listed 16.
    tally = proof_tally(packet.sheet, packet.claims, packet.result)
    assert tally.total.parts == {BACKED: D(39), LISTED: D(28), UNPROVEN: D(13)}
    assert tally.total.total() == packet.result.total == D(80)
    assert tally.items["mine_projects"].parts == {BACKED: D(33), LISTED: D("3.2"), UNPROVEN: D(0)}
    assert [u.entry for u in unbacked(packet.result)][:2] == ["第1条「矿山安全科技奖」", "第1条「深凹露天矿边坡稳定研究」"]


def test_documents_are_numbered_by_section_item_and_order(packet: Packet) -> None:
    numbers = [(d.number, d.ref.name) for d in catalogue(packet.sheet, packet.claims)]
    assert numbers == [("0-0-1", "证件照.jpg"), ("1-1-1", "毕业证书.pdf"), ("2-1-1", "合同.pdf"), ("2-1-2", "人员名单.pdf"),
                       ("2-1-3", "立项书.pdf")]


def test_the_binder_holds_cover_form_contents_then_every_page(binder: PdfReader, tmp_path: Path) -> None:
    texts = page_texts(binder, tmp_path)
    contents = next(i for i, t in enumerate(texts) if re.search(r"目\s+录", t))
    front = contents + 1
    assert "职称申报材料" in texts[0] and "有佐证 39 分" in re.sub(r"\s+", " ", texts[0]) and "重建版本" in texts[0]
    assert "佐证目录" in texts[1] and "得分符合情况描述" in texts[1]
    assert len(binder.pages) == front + 1 + 1 + 2 + 1 + 3  # photo, diploma, contract, staff list, approval
    # the 目录: each document with the page it starts on
    starts = {"0-0-1": front + 1, "1-1-1": front + 2, "2-1-1": front + 3, "2-1-2": front + 5, "2-1-3": front + 6}
    for number, start in starts.items():
        line = next(x for x in texts[contents].splitlines() if x.startswith(number))
        assert line.rstrip().endswith(str(start)), line
    # the stamp on the approval's second page, and its own text kept under it
    page = re.sub(r"\s+", " ", texts[front + 6])
    assert "2-1-3 · 主持或参与的矿山工程项目 · 第3条「某矿山边坡治理工程」 · 本件第 2/3 页 · 装订页 " + str(front + 7) in page
    assert "approval page 2" in page
    assert all(abs(float(p.mediabox.width) - 595.28) < 1 for p in binder.pages[:front])  # A4
    assert [o.title for o in binder.outline][:2] == ["0-0-1 · 证件照", "1-1-1 · 学历学位"]


def test_the_chinese_font_is_embedded(binder: PdfReader) -> None:
    fonts = binder.pages[0]["/Resources"]["/Font"]
    descriptor = next(iter(fonts.values())).get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"]
    assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))


def test_a_missing_stored_file_is_named_and_the_binder_goes_on(packet: Packet) -> None:
    gone = next(d.ref for d in catalogue(packet.sheet, packet.claims) if d.number == "2-1-2")
    blobs = {k: v for k, v in packet.blobs.items() if k != gone.sha256}
    data, missing = binder_pdf(packet.sheet, packet.claims, packet.result, blobs.get)
    assert missing == ["2-1-2 人员名单.pdf：附件库中找不到该文件，未装订"]
    assert PdfReader(io.BytesIO(data)).pages


def test_the_zip_names_files_by_number_beside_the_claim_file(packet: Packet) -> None:
    archive, missing = packet_zip(packet.sheet, packet.claims, packet.blobs.get, b"sheet: x\n")
    names = zipfile.ZipFile(io.BytesIO(archive)).namelist()
    assert missing == [] and names == ["0-0-1_证件照.jpg", "1-1-1_毕业证书.pdf", "2-1-1_合同.pdf", "2-1-2_人员名单.pdf",
                                       "2-1-3_立项书.pdf", "申报文件.yaml"]


def test_the_xlsx_form_gains_the_two_columns(packet: Packet, library: SheetLibrary) -> None:
    ws = openpyxl.load_workbook(io.BytesIO(to_xlsx(packet.sheet, packet.claims, packet.result)))["自评分表"]
    rows = list(ws.iter_rows(values_only=True))
    header = next(r for r in rows if r and r[0] == "序号")
    proof, described = header.index("佐证目录"), header.index("得分符合情况描述")
    item = next(r for r in rows if r[1] == "主持或参与的矿山工程项目")
    assert item[proof] == "2-1-1、2-1-2、2-1-3"
    entries = [r for r in rows if r[3] and str(r[3]).startswith(("第1条「某铁矿", "第2条「某石灰石"))]
    assert [r[proof] for r in entries] == ["2-1-1、2-1-2", "—"]
    assert "代表" in str(entries[0][described])  # how the 30 points were reached
    # a form with no document attached keeps its width: no column of dashes
    plain = claims_from_data({k: v for k, v in packet.claims.to_data().items() if k != "attachments"}
                             | {"answers": {"education": "本科"}}, library.sheets)[1]
    bare = openpyxl.load_workbook(io.BytesIO(to_xlsx(packet.sheet, plain, score(packet.sheet, plain))))["自评分表"]
    assert "佐证目录" not in [c for r in bare.iter_rows(values_only=True) for c in r]


@pytest.mark.parametrize(
    ("make", "kind", "failed"),
    [
        (lambda: jpeg((300, 420)), "jpeg", []),  # 0.71, well over 30 KB
        (lambda: jpeg((300, 420), noisy=False), "jpeg", ["证件照大小"]),  # a blank photo is a few KB
        (lambda: jpeg((200, 280)), "jpeg", ["证件照像素"]),
        (lambda: jpeg((378, 420)), "jpeg", ["证件照宽高比"]),  # 0.9
        (lambda: jpeg((1500, 2000)), "jpeg", ["证件照大小"]),  # noisy and large: over 1 MB
    ],
)
def test_the_photo_check(make: Any, kind: str, failed: list[str]) -> None:
    attachment = inspect("照片.jpg", make())
    checks = photo_checks(attachment.ref, attachment.data)
    assert attachment.ref.kind == kind
    assert [c.what for c in checks if not c.ok] == failed


def test_a_png_photo_and_a_long_statement_fail_the_self_check(packet: Packet, library: SheetLibrary) -> None:
    out = io.BytesIO()
    Image.effect_noise((300, 420), 60).convert("RGB").save(out, "PNG")
    png = inspect("照片.png", out.getvalue())
    assert [c.what for c in photo_checks(png.ref, png.data) if not c.ok] == ["证件照格式"]
    data = packet.claims.to_data()
    data["applicant"]["statement"] = "字" * 1001
    sheet, claims = claims_from_data(data, library.sheets)
    checks = {c.what: c for c in self_check(sheet, claims, score(sheet, claims), packet.blobs.get)}
    assert not checks["本人述职"].ok and checks["本人述职"].detail.startswith("1001 字")
    assert checks["证件照格式"].ok
    assert not checks["计分业绩均附材料"].ok and "第2条「某石灰石矿技改工程」" in checks["计分业绩均附材料"].detail


def test_the_self_check_without_a_photo_says_what_is_needed(tmp_path: Path, library: SheetLibrary) -> None:
    (check,) = photo_checks(None, None)
    assert not check.ok and "至少 215×300 像素" in check.detail


def test_the_binders_form_says_what_the_draft_holds_but_does_not_score(packet: Packet, tmp_path: Path) -> None:
    from scorer.export import UNSCORED

    said = "主持或参与的矿山工程项目 · 第2条：「2019-13-45」不是存在的日期，请核对年月日"
    data, _ = binder_pdf(packet.sheet, packet.claims, packet.result, packet.blobs.get, [said])
    text = "".join(page_texts(PdfReader(io.BytesIO(data)), tmp_path)).replace(" ", "").replace("\n", "")
    assert f"{UNSCORED}：{said}".replace(" ", "") in text
    plain = "".join(page_texts(PdfReader(io.BytesIO(binder_pdf(packet.sheet, packet.claims, packet.result,
                                                                packet.blobs.get)[0])), tmp_path))
    assert UNSCORED not in plain
