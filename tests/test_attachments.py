"""Proof documents (scorer.attachments, scorer.attachment_store): read by content, refused in Chinese, kept once.

Files are made here: PDFs with fpdf2 and pypdf, photos with Pillow, and the broken, encrypted,
scripted, oversize and wrong-kind files a real upload brings.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from fpdf import FPDF
from PIL import Image
from pypdf import PdfReader, PdfWriter
from pypdf.generic import DictionaryObject, NameObject, TextStringObject

from scorer import SheetLibrary, claims_from_data
from scorer.attachment_store import AttachmentStore, PostgresAttachmentStore, attachments_for
from scorer.attachments import MB, AttachmentRefused, inspect
from scorer.errors import ClaimError


def pdf(pages: int = 1) -> bytes:
    doc = FPDF()
    doc.set_font("helvetica")
    for n in range(pages):
        doc.add_page()
        doc.cell(text=f"page {n + 1}")
    return bytes(doc.output())


def photo(size: tuple[int, int] = (300, 400), kind: str = "JPEG", **save: object) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, "white").save(out, kind, **save)
    return out.getvalue()


def rewritten(data: bytes, change: object) -> bytes:
    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(data)))
    change(writer)  # type: ignore[operator]
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def refusal(name: str, data: bytes, **kw: int) -> str:
    with pytest.raises(AttachmentRefused) as info:
        inspect(name, data, **kw)
    return info.value.message


def test_a_pdf_and_photos_are_kept_with_their_pages_and_hash() -> None:
    ref = inspect("合同.pdf", pdf(3)).ref
    assert (ref.kind, ref.pages, len(ref.sha256)) == ("pdf", 3, 64)
    assert inspect("证书.jpg", photo()).ref.kind == "jpeg"
    assert inspect("截图.png", photo(kind="PNG")).ref.kind == "png"


def test_the_kind_is_read_from_the_content_not_the_name() -> None:
    assert inspect("看起来是图片.jpg", pdf()).ref.kind == "pdf"
    assert "不是 PDF、JPG 或 PNG 文件（按文件内容判断，而非扩展名）" in refusal("报告.pdf", b"PK\x03\x04word")


def test_a_photo_is_encoded_again_without_what_followed_it() -> None:
    original = photo() + b"<?php system($_GET['x']); ?>"
    kept = inspect("证书.jpg", original)
    assert b"<?php" not in kept.data
    assert Image.open(io.BytesIO(kept.data)).size == (300, 400)


def test_a_phone_photo_is_turned_upright() -> None:
    exif = Image.Exif()
    exif[0x0112] = 6  # rotated 90 degrees: the camera was held upright
    kept = inspect("竖拍.jpg", photo((400, 300), exif=exif.tobytes()))
    assert Image.open(io.BytesIO(kept.data)).size == (300, 400)


@pytest.mark.parametrize(
    ("name", "make", "message"),
    [
        ("加密.pdf", lambda: rewritten(pdf(), lambda w: w.encrypt("pw")), "已加密（设有密码）"),
        ("脚本.pdf", lambda: rewritten(pdf(), lambda w: w._root_object.__setitem__(
            NameObject("/OpenAction"), w._add_object(DictionaryObject({
                NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("app.alert(1)")})))),
         "含有脚本、自动动作或内嵌文件"),
        ("残缺.pdf", lambda: pdf()[:300], "已损坏，无法作为 PDF 打开"),
        ("坏图.jpg", lambda: b"\xff\xd8\xff\xe0" + b"\x00" * 50, "已损坏，无法作为图片打开"),
        ("空.pdf", lambda: b"", "是空文件"),
    ],
)
def test_broken_encrypted_and_scripted_files_are_refused(name: str, make: object, message: str) -> None:
    assert message in refusal(name, make())  # type: ignore[operator]


def test_an_oversize_file_is_refused_before_it_is_read() -> None:
    assert "超过单个文件 1.0 MB 的上限" in refusal("扫描件.pdf", b"%PDF-" + b"0" * (MB + 1), limit=MB)


def test_a_decompression_bomb_is_refused() -> None:
    bomb = io.BytesIO()
    Image.new("1", (10_000, 10_000)).save(bomb, "PNG")  # 100 megapixels in a few kilobytes
    assert "像素过多" in refusal("炸弹.png", bomb.getvalue())


@pytest.fixture(params=["sqlite", "postgresql"])
def documents(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[AttachmentStore | PostgresAttachmentStore]:
    """An empty attachment store beside each kind of drafts database (limit 10 KB a draft)."""
    if request.param == "sqlite":
        yield AttachmentStore(tmp_path / "drafts.sqlite3", limit=10_000)
        return
    from pgkit import fresh_schema, server_url

    from scorer.drafts import open_store

    with fresh_schema(server_url()) as url:
        drafts = open_store("postgresql", url)
        store = attachments_for(drafts)
        assert isinstance(store, PostgresAttachmentStore)
        store.limit = 10_000
        try:
            yield store
        finally:
            drafts.close()


def test_the_store_keeps_one_copy_and_refuses_past_the_draft_limit(
        documents: AttachmentStore | PostgresAttachmentStore) -> None:
    store = documents
    first = inspect("a.pdf", pdf())
    store.put("d1", first)
    store.put("d1", first)  # the same document attached twice is one row
    assert store.used("d1") == first.ref.size
    assert store.get("d1", first.ref.sha256) == first.data
    big = inspect("b.pdf", pdf(40))
    with pytest.raises(AttachmentRefused) as info:
        store.put("d1", big)
    assert "将超过 10 KB 的上限" in info.value.message
    assert store.get("d1", big.ref.sha256) is None and store.used("d1") == first.ref.size
    assert store.copy("d1", "review", {first.ref.sha256}) == 1  # an expert's review draft gets its own copy
    assert store.keep_only("d1", set()) == 1 and store.used("d1") == 0
    assert store.get("review", first.ref.sha256) == first.data
    store.delete_draft("review")
    assert store.used("review") == 0


def test_the_claim_file_lists_documents_and_refuses_made_up_ones(library: SheetLibrary) -> None:
    ref = inspect("合同.pdf", pdf(2)).ref.to_data()
    data = {"sheet": "zhejiang-mining-senior-2021",
            "answers": {"mine_projects": [{"level": "大型", "role": "主持", "date": "2019-01-01", "title": "某矿",
                                           "files": [ref]}]},
            "attachments": {"applicant.photo": [ref], "gates.annual_review": [ref]}}
    _, claims = claims_from_data(data, library.sheets)
    assert claims.answers["mine_projects"][0].files[0].pages == 2  # type: ignore[index,union-attr]
    assert claims.to_data()["attachments"]["applicant.photo"] == [ref]
    assert claims_from_data(claims.to_data(), library.sheets)[1] == claims
    bad = {**data, "attachments": {"answers.nothing": [ref], "applicant.photo": [{**ref, "sha256": "x"}]}}
    with pytest.raises(ClaimError) as info:
        claims_from_data(bad, library.sheets)
    text = "\n".join(info.value.lines)
    assert "「answers.nothing」不是可以附加材料的项目" in text and "请勿手工修改" in text
