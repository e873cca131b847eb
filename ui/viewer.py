"""The expert reads a document in the page: one page at a time, as a picture, paged through.

A PDF page is drawn with pdfium (the same library as the thumbnails) at a
readable size; a photo is shown as itself. Each page is drawn once per process
(cached by the document's SHA-256 and the page number), and only while the
viewer is open: the viewer is a stateful expander, so a closed one sends nothing.
"""

from __future__ import annotations

import io

import streamlit as st

from scorer.attachments import FileRef

SCALE = 1.4  # pdfium's scale of 72 dpi: an A4 page about 830 px wide, small print still legible


def render(data: bytes, kind: str, page: int = 0, *, scale: float = SCALE, box: int = 1600) -> bytes | None:
    """Page ``page`` (0-based) of a PDF at ``scale``, or a photo shrunk into ``box`` pixels, as PNG; None when
    it cannot be drawn (a picture is a convenience: the file itself was checked on upload)."""
    from PIL import Image

    try:
        if kind == "pdf":
            import pypdfium2 as pdfium

            image = pdfium.PdfDocument(data)[page].render(scale=scale).to_pil()
        else:
            image = Image.open(io.BytesIO(data))
            image.thumbnail((box, box))
        out = io.BytesIO()
        image.convert("RGB").save(out, "PNG")
        return out.getvalue()
    except Exception:  # a damaged page: said where it is shown, never raised
        return None


@st.cache_data(max_entries=64, show_spinner=False)
def page_png(sha256: str, page: int, _data: bytes, kind: str) -> bytes | None:
    """A page to read, drawn once per process for each document (by its SHA-256) and page."""
    return render(_data, kind, page)


def document_viewer(ref: FileRef, data: bytes, key: str) -> None:
    """查看: the document's pages in the page, with a page picker when it has more than one."""
    box = st.expander(f"查看「{ref.name}」", key=f"{key}.view", on_change="rerun", icon=":material/visibility:")
    if not box.open:
        return
    with box:
        pages = max(1, ref.pages if ref.kind == "pdf" else 1)
        page = 0
        if pages > 1:
            page = st.selectbox("页码", range(pages), format_func=lambda n: f"第 {n + 1} 页 / 共 {pages} 页",
                                key=f"{key}.page")
        picture = page_png(ref.sha256, page, data, ref.kind)
        if picture is None:
            st.warning("这一页无法显示，请点“打开”下载原文件查看。")
        else:
            st.image(picture, caption=f"{ref.name} · 第 {page + 1} 页 / 共 {pages} 页", width=800)
