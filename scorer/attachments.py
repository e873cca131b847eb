"""Proof documents an applicant attaches (PDF, JPG, PNG): checked by content, never trusted by name.

"无证明材料的不予评分" (seed 001 (三)1): a point counts only with its proof, so the app keeps the
documents themselves, not only their names. A file is read for what it is:

- its kind from its first bytes (``%PDF-``, JPEG's ``FF D8 FF``, PNG's signature), not its extension;
- an image is decoded and encoded again (the phone's rotation applied, metadata and anything
  appended to the pixels dropped), with a limit on its pixels so a small file cannot unpack to gigabytes;
- a PDF is opened with pypdf: an encrypted, broken or empty one is refused, and so is one that carries
  JavaScript, a launch action or an embedded file -- a binder that runs code prints nothing a clerk can trust.

Every refusal is an :class:`AttachmentRefused` with a Chinese message that says what to do instead.
What is kept is an :class:`Attachment`: the bytes to store and the reference the claim file lists
(name, size, SHA-256, pages), so an expert can tell the packet they got is the one that was scored.
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
import re
import warnings
from dataclasses import dataclass
from typing import Any, Literal

from .errors import short

logging.getLogger("pypdf").setLevel(logging.ERROR)  # a damaged file is refused in Chinese, not logged in English

MB = 1024 * 1024
MAX_FILE_BYTES = int(os.environ.get("ZHICHENG_MAX_FILE_MB", "20")) * MB  # one document (settings: env)
MAX_DRAFT_BYTES = int(os.environ.get("ZHICHENG_MAX_DRAFT_MB", "200")) * MB  # all documents of one draft
MAX_PIXELS = 60_000_000  # a 60-megapixel photo; more is a decompression bomb, not a certificate
MAX_PDF_PAGES = 500
Kind = Literal["pdf", "jpeg", "png"]
KIND_TEXT = {"pdf": "PDF", "jpeg": "JPG", "png": "PNG"}
_SHA = re.compile(r"^[0-9a-f]{64}$")
# names in a PDF that make it act rather than show: scripts, launching programs, files inside it
_ACTIVE = (b"/JavaScript", b"/JS", b"/Launch", b"/EmbeddedFile", b"/RichMedia", b"/XFA")


class AttachmentRefused(ValueError):
    """A file that is not kept; ``message`` says in Chinese why and what to do."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class FileRef:
    """What the claim file lists of one document: enough to tell it is the same file."""

    name: str
    size: int
    sha256: str
    kind: Kind
    pages: int

    def to_data(self) -> dict[str, Any]:
        return {"name": self.name, "size": self.size, "sha256": self.sha256, "kind": self.kind, "pages": self.pages}

    def label(self) -> str:
        return f"{self.name}（{KIND_TEXT[self.kind]}，{size_text(self.size)}，{self.pages} 页）"


@dataclass(frozen=True)
class Attachment:
    ref: FileRef
    data: bytes


def size_text(size: int) -> str:
    return f"{size / MB:.1f} MB" if size >= MB else f"{max(1, round(size / 1024))} KB"


def sniff(data: bytes) -> Kind | None:
    head = data[:1024]
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if b"%PDF-" in head:  # the header may follow a few bytes of junk; readers accept it within the first 1 KB
        return "pdf"
    return None


def inspect(name: str, data: bytes, limit: int = MAX_FILE_BYTES) -> Attachment:
    """The document to keep, or :class:`AttachmentRefused` saying why not."""
    shown = short(name) or "文件"
    if len(data) > limit:
        raise AttachmentRefused(f"「{shown}」有 {size_text(len(data))}，超过单个文件 {size_text(limit)} 的上限；"
                                "请压缩或拆分后再上传")
    if not data:
        raise AttachmentRefused(f"「{shown}」是空文件")
    kind = sniff(data)
    if kind is None:
        raise AttachmentRefused(f"「{shown}」不是 PDF、JPG 或 PNG 文件（按文件内容判断，而非扩展名）；"
                                "Word、压缩包等请先另存为 PDF 再上传")
    if kind == "pdf":
        pages = _check_pdf(shown, data)
        kept = data
    else:
        kept, pages = _reencode(shown, data, kind), 1
    return Attachment(FileRef(name, len(kept), hashlib.sha256(kept).hexdigest(), kind, pages), kept)


def _reencode(shown: str, data: bytes, kind: Kind) -> bytes:
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        with warnings.catch_warnings():  # the pixel count is checked here, against our own limit
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            probe = Image.open(io.BytesIO(data))
        with probe:
            if probe.width * probe.height > MAX_PIXELS:
                raise AttachmentRefused(f"「{shown}」的像素过多（{probe.width}×{probe.height}），请缩小后再上传")
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            upright = ImageOps.exif_transpose(image)  # a phone photo shown the way it was held
            out = io.BytesIO()
            if kind == "jpeg":
                upright.convert("RGB").save(out, "JPEG", quality=90)
            else:
                keep = upright if upright.mode in ("1", "L", "LA", "P", "RGB", "RGBA") else upright.convert("RGBA")
                keep.save(out, "PNG", optimize=True)
            return out.getvalue()
    except AttachmentRefused:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise AttachmentRefused(f"「{shown}」的像素过多，请缩小后再上传") from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        raise AttachmentRefused(f"「{shown}」已损坏，无法作为图片打开；请重新拍照或导出后上传") from None


def _check_pdf(shown: str, data: bytes) -> int:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    if any(marker in data for marker in _ACTIVE):
        raise AttachmentRefused(f"「{shown}」含有脚本、自动动作或内嵌文件，不能装订；请用“打印为 PDF”另存一份再上传")
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise AttachmentRefused(f"「{shown}」已加密（设有密码），无法装订；请取消密码后另存再上传")
        count = len(reader.pages)
        if count == 0:
            raise AttachmentRefused(f"「{shown}」没有页面")
        if count > MAX_PDF_PAGES:
            raise AttachmentRefused(f"「{shown}」有 {count} 页，超过 {MAX_PDF_PAGES} 页的上限；请只上传证明所需的页")
        root = reader.trailer["/Root"]
        opening = root.get("/OpenAction")
        opening = opening.get_object() if opening is not None else None
        acts = isinstance(opening, dict) and opening.get("/S") != "/GoTo"  # a list is where to open, not an action
        if acts or "/AA" in root or "/JavaScript" in (root.get("/Names") or {}):
            raise AttachmentRefused(f"「{shown}」打开时会自动执行动作，不能装订；请用“打印为 PDF”另存一份再上传")
        for page in reader.pages:
            _ = page.mediabox  # every page must be readable
            if "/AA" in page:
                raise AttachmentRefused(f"「{shown}」含有自动动作，不能装订；请用“打印为 PDF”另存一份再上传")
            for annot in page.get("/Annots") or []:
                action = annot.get_object().get("/A")
                if action is not None and action.get_object().get("/S") not in (None, "/URI", "/GoTo"):
                    raise AttachmentRefused(f"「{shown}」含有可执行的链接动作，不能装订；请用“打印为 PDF”另存一份再上传")
        return count
    except AttachmentRefused:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, OSError, RecursionError, IndexError):
        raise AttachmentRefused(f"「{shown}」已损坏，无法作为 PDF 打开；请重新导出后上传") from None


def file_ref(value: Any) -> FileRef | None:
    """A reference read back from claim data (None when it is not one: the claim check says why)."""
    if not isinstance(value, dict) or set(value) - {"name", "size", "sha256", "kind", "pages"}:
        return None
    name, size, sha, kind, pages = (value.get(k) for k in ("name", "size", "sha256", "kind", "pages"))
    if not isinstance(name, str) or not name.strip() or not isinstance(sha, str) or not _SHA.match(sha):
        return None
    if kind not in KIND_TEXT:
        return None
    try:
        size_n, pages_n = int(str(size)), int(str(pages))
    except ValueError:
        return None
    if not (0 < size_n <= MAX_DRAFT_BYTES) or not (0 < pages_n <= MAX_PDF_PAGES):
        return None
    return FileRef(name, size_n, sha, kind, pages_n)
