"""Streamlit's own English words on screen, shown in Chinese by the page's style sheet.

Streamlit 1.67 draws a few words itself and offers no setting for them: the uploader's button
("Upload") and its limit ("2MB per file"), and the hint under a text box while one types ("Press
Enter to apply"; "Press Ctrl+Enter to apply" in a text area). The style sheet here shrinks each of
those words to nothing and puts the Chinese after it (a ``::after`` box in the same place, the same
size as the words it covers); the English stays in the page, unseen, so nothing Streamlit's own
scripts read changes. ``tests/test_browser_words.py`` reads what a browser shows: should an upgrade
draw these otherwise, a test fails instead of the English coming back unnoticed. What remains English
(the date picker, the app menu, the labels only a screen reader reads) is listed in the README.
A multiselect's "Select all" has a setting: ``filter_select`` turns it off (an empty filter is 全部 already).
"""

from __future__ import annotations

import json
import re
from typing import Any

import streamlit as st

UPLOAD_BUTTON = "选择文件"
ENTER_HINT = "按回车键确认"
CTRL_ENTER_HINT = "按 Ctrl+回车键确认"  # a Mac shows ⌘ for Ctrl; the Chinese names the key most people have


def limit_words(megabytes: int) -> str:
    return f"每个文件不超过 {megabytes} MB"


def _covered(selector: str, words: str, size: str) -> str:
    """CSS that shows ``words`` in place of the text of ``selector`` (``size``: the size the text had)."""
    return (f"{selector} {{ font-size: 0; }} "
            f"{selector}::after {{ content: {json.dumps(words, ensure_ascii=False)}; font-size: {size}; }}")


_BUTTON = '[data-testid="stFileUploaderDropzone"] [data-testid="stBaseButton-secondary"] [data-testid="stMarkdownContainer"] p'
# the hint is the first span of a box's instructions once it has been changed; a box with max_chars shows its count
# alone before that, a chat input never shows the hint and a form's says "submit form": the app has none of
# these (tests/test_app_words.py checks), and the rule is kept to the boxes that show the hint as said
_HINT = '[data-testid="InputInstructions"] > span:first-child'
PAGE_CSS = " ".join([
    _covered(_BUTTON, UPLOAD_BUTTON, "0.875rem"),
    *(_covered(f"{box} {_HINT}", ENTER_HINT, "0.75rem") for box in (".stTextInput", ".stNumberInput", ".stTimeInput")),
    _covered(f".stTextArea {_HINT}", CTRL_ENTER_HINT, "0.75rem"),
])


def page_words() -> None:
    """The style sheet, drawn once per run (style-only HTML takes no room on the page)."""
    st.html(f"<style>{PAGE_CSS}</style>")


def key_class(key: str) -> str:
    """The CSS class Streamlit gives the element of a widget with ``key`` (st-key-, then the key with every
    character outside a-z, A-Z, 0-9, _ and - written as -)."""
    return "st-key-" + re.sub(r"[^a-zA-Z0-9_-]", "-", key.strip())


def file_uploader(container: Any, label: str, *, key: str, max_mb: int, **options: Any) -> Any:
    """``container.file_uploader`` with the limit the app enforces (``max_mb``, Streamlit's MB) shown in Chinese.

    Streamlit's own check is left at the server's limit (``server.maxUploadSize``, the largest of the app's):
    a file over the app's smaller limit reaches the app, which refuses it in Chinese, where the browser would
    answer "File must be 2.0MB or smaller". Nor is a ``type=`` passed: the app checks the kind of file itself
    (Streamlit's refusal is English), and the limit's words would hide the list of kinds."""
    if "type" in options or "max_upload_size" in options:
        raise TypeError("file_uploader: the app checks kinds and sizes itself (see ui.streamlit_words)")
    instructions = f'.{key_class(key)} [data-testid="stFileUploaderDropzoneInstructions"] span'
    st.html(f"<style>{_covered(instructions, limit_words(max_mb), '0.875rem')}</style>")
    return container.file_uploader(label, key=key, max_upload_size=st.get_option("server.maxUploadSize"), **options)


def filter_select(container: Any, label: str, options: Any) -> list[Any]:
    """A filter of several choices: empty means 全部, no "Select all" entry (Streamlit's English) in its list, and the
    chosen ones wrapped onto more rows (in a column they would scroll out of sight in one row)."""
    return list(container.multiselect(label, options, placeholder="全部", select_all=False, wrap=True))  # every chip seen
