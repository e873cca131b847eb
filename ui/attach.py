"""Attach proof documents to an entry, an item, a gate or the ID photo: upload, see, remove.

Each file is checked by ``scorer.attachments.inspect`` (kind by content, PDFs opened, photos
re-encoded) and kept in the draft's attachment store; the draft lists its reference (name, size,
SHA-256, kind, pages). A refused file is named with its Chinese reason and nothing else changes.
No scoring here: the page's proof split comes from ``scorer.proof``.
"""

from __future__ import annotations

import contextlib
from typing import Any

import streamlit as st

from scorer.attachment_store import AttachmentStore, PostgresAttachmentStore, attachments_for
from scorer.attachments import MAX_FILE_BYTES, MB, AttachmentRefused, file_ref, inspect
from scorer.drafts import DraftStoreError
from ui import state
from ui.streamlit_words import file_uploader
from ui.viewer import render

MAX_UPLOAD_MB = MAX_FILE_BYTES // MB
HELP = f"PDF、JPG 或 PNG（手机拍的证书照片即可），单个文件不超过 {MAX_UPLOAD_MB} MB，可一次选多个"


def store() -> AttachmentStore | PostgresAttachmentStore:
    """Beside the drafts: the same SQLite file, or the same PostgreSQL database (every app process sees it)."""
    return attachments_for(state.store())


def fetch(sha256: str, draft_id: str | None = None) -> bytes | None:
    """A document of the applicant's draft (or of ``draft_id``: an expert's review draft); None if absent."""
    if draft_id is None:
        current = state.draft()
        if current is None:
            return None
        draft_id = current.id
    try:
        return store().get(draft_id, sha256)
    except DraftStoreError:
        return None


@st.cache_data(max_entries=256, show_spinner=False)
def _thumbnail(data: bytes, kind: str) -> bytes | None:
    """A small picture of the first page (a photo as itself), for the list under the uploader."""
    return render(data, kind, 0, scale=0.18, box=160)


def referenced(data: dict[str, Any]) -> set[str]:
    """Every document the draft still names (entries' files and the attachments map)."""
    shas: set[str] = set()
    for value in (data.get("answers") or {}).values():
        for entry in value if isinstance(value, list) else []:
            for ref in (entry.get("files") or []) if isinstance(entry, dict) else []:
                if isinstance(ref, dict) and isinstance(ref.get("sha256"), str):
                    shas.add(ref["sha256"])
    for refs in (data.get("attachments") or {}).values():
        for ref in refs if isinstance(refs, list) else []:
            if isinstance(ref, dict) and isinstance(ref.get("sha256"), str):
                shas.add(ref["sha256"])
    return shas


def files_box(key: str, files: list[dict[str, Any]], container: Any = st, label: str = "佐证材料文件") -> list[dict[str, Any]]:
    """The documents of one target: an uploader, then the list (picture, name, size, pages, 移除); the new list."""
    current = state.draft()
    kept = [f for f in files if file_ref(f) is not None]
    listing = container.container()
    counter = f"{key}.uploads"
    st.session_state.setdefault(counter, 0)
    uploads = file_uploader(container, label, accept_multiple_files=True, key=f"{key}.upload{st.session_state[counter]}",
                            max_mb=MAX_UPLOAD_MB, help=HELP)
    if uploads and current is not None:
        for upload in uploads:
            try:
                attachment = inspect(upload.name, upload.getvalue())
                store().put(current.id, attachment, by=current.link)
            except AttachmentRefused as exc:
                listing.error(exc.message, icon=":material/block:")
                continue
            except DraftStoreError as exc:
                listing.error(f"「{upload.name}」未保存：{exc.message}", icon=":material/block:")
                continue
            if all(f.get("sha256") != attachment.ref.sha256 for f in kept):
                kept = [*kept, attachment.ref.to_data()]
        st.session_state[counter] += 1  # the next run draws a fresh uploader: the same files are not added twice
    shown = []
    for ref_data in kept:
        ref = file_ref(ref_data)
        assert ref is not None
        picture, words, remove = listing.columns([1, 6, 1], vertical_alignment="center")
        if remove.button("移除", key=f"{key}.remove.{ref.sha256[:16]}", type="tertiary", icon=":material/close:"):
            continue
        shown.append(ref_data)
        data = fetch(ref.sha256)
        thumb = _thumbnail(data, ref.kind) if data is not None else None
        if thumb is not None:
            picture.image(thumb, width=56)
        words.markdown(f":small[{ref.label()}]" if data is not None else
                       f":small[{ref.label()}] :red[:small[附件库中找不到该文件，请重新上传]]")
    return shown


def held() -> set[str]:
    """The documents the applicant's draft has stored (their SHA-256; empty when the store cannot say)."""
    current = state.draft()
    if current is None:
        return set()
    try:
        return store().held(current.id)
    except DraftStoreError:
        return set()


def forget_unused() -> None:
    """Delete from the store the draft's documents no reference names any more (after removals): once per
    saved version of the draft, not on every rerun of the page."""
    current = state.draft()
    if current is None or st.session_state.get("attach:tidied") == (current.id, current.version):
        return
    with contextlib.suppress(DraftStoreError):  # a blob left over is harmless: nothing shown depends on it
        stored = state.store().load(current.id)
        if stored is None or stored.version != current.version:  # a stale window: another one attached since
            return
        store().keep_only(current.id, referenced(stored.data), by=current.link)
        st.session_state["attach:tidied"] = (current.id, current.version)


def folded_files(target: str, label: str) -> None:
    """An item's or a gate's documents behind an expander whose uploader is drawn only while it is open.

    Closed (as it mostly is), the expander sends no uploader and no list on each change of the step, so
    a change redraws fewer elements (issue 11). The expander is a widget (``on_change="rerun"``): opening
    it reruns the step and draws the uploader. Its label is fixed, as the label is part of its identity.
    """
    box = st.expander(label, key=state.widget_key("attach-open", target.replace(".", "-")), on_change="rerun")
    if box.open:
        with box:
            target_files(target)


def target_files(target: str, container: Any = st, label: str = "佐证材料文件") -> None:
    """Documents of an item, a gate or the photo: kept in the draft's ``attachments`` map."""
    path = ("attachments", target)
    key = state.widget_key("attach", target.replace(".", "-"))
    before = state.get_value(path) or []
    after = files_box(key, before if isinstance(before, list) else [], container, label)
    if after != before:
        state.set_value(path, after or None)
