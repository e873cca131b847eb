"""Streamlit's own words read in Chinese in a real browser (``ui.streamlit_words``).

The uploader's button and limit and the hint under a text box are drawn by Streamlit in English; the
page's style sheet covers each with Chinese. What a reader sees is read here as the browser renders
it: the English shrunk to nothing, the Chinese in its place, at the size the English had, on every
page with an uploader, and still so after a fragment's rerun. A Streamlit upgrade that draws these
otherwise fails here. A file over the app's limit reaches the app, which refuses it in Chinese.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browserkit import ARGS, CHROMIUM, needs_chromium, patient_expect, served_app, settle

from ui.streamlit_words import CTRL_ENTER_HINT, ENTER_HINT, UPLOAD_BUTTON, limit_words

pytestmark = needs_chromium
patient_expect()

BUTTON = '[data-testid="stFileUploaderDropzone"] [data-testid="stMarkdownContainer"] p'
LIMIT = '[data-testid="stFileUploaderDropzoneInstructions"] span'
HINT = '[data-testid="InputInstructions"] > span:first-child'

SHOWN = """e => {
    const own = getComputedStyle(e), after = getComputedStyle(e, '::after');
    return {own: e.textContent, ownSize: own.fontSize, words: after.content, size: after.fontSize};
}"""


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    with served_app(tmp_path / "drafts.sqlite3") as url:
        yield url


def shown(box: Any) -> tuple[str, str]:
    """What a reader sees of a box (its own text shrunk to nothing, the ::after words), and their size."""
    seen = box.evaluate(SHOWN)
    assert seen["ownSize"] == "0px", f"Streamlit's own words are visible: {seen}"
    words = seen["words"]
    assert words.startswith('"') and words.endswith('"'), seen
    return words[1:-1], seen["size"]


def test_the_uploaders_and_the_typing_hint_read_in_chinese(server: str) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.set_default_timeout(30_000)
        page.goto(server)
        upload = page.locator(".st-key-upload-choose")
        upload.locator(LIMIT).wait_for()
        assert upload.locator(BUTTON).text_content() == "Upload"  # the English is still there, unseen
        assert shown(upload.locator(BUTTON)) == (UPLOAD_BUTTON, "14px")
        assert shown(upload.locator(LIMIT)) == (limit_words(2), "14px")

        too_big = {"name": "大.yaml", "mimeType": "application/x-yaml", "buffer": b"#" * (3 * 1024 * 1024)}
        upload.locator("input[type=file]").set_input_files(too_big)  # over the app's 2 MB, under the server's 50
        page.get_by_text("文件过大", exact=False).first.wait_for()
        assert "申报文件不应超过 2 MB" in page.locator("[data-testid=stAlert]").first.inner_text()
        assert "must be" not in page.locator(".st-key-upload-choose").inner_text()  # no "File must be 2.0MB or smaller"

        page.locator(".st-key-pick-zhejiang-mining-senior-2021 button").click()
        photo = page.locator("[class*='st-key-zhejiang-mining-senior-2021-attach-applicant-photo-upload']")
        photo.locator(LIMIT).wait_for()
        assert shown(photo.locator(LIMIT)) == (limit_words(20), "14px")

        name = page.get_by_label("姓名", exact=True)
        name.click()
        cdp = page.context.new_cdp_session(page)  # typed as a Chinese user types: composed, then committed
        cdp.send("Input.imeSetComposition", {"text": "li jian", "selectionStart": 7, "selectionEnd": 7})
        cdp.send("Input.insertText", {"text": "李建"})
        hint = page.locator(".stTextInput").filter(has=name).locator(HINT)
        assert shown(hint) == (ENTER_HINT, "12px")
        name.press("Enter")  # the basics fragment reruns
        settle(page)
        assert name.input_value() == "李建"
        assert shown(photo.locator(LIMIT)) == (limit_words(20), "14px")
        assert shown(photo.locator(BUTTON)) == (UPLOAD_BUTTON, "14px")

        statement = page.locator(".stTextArea textarea")
        statement.click()
        cdp.send("Input.insertText", {"text": "从事矿山技术工作"})
        assert shown(page.locator(f".stTextArea {HINT}")) == (CTRL_ENTER_HINT, "12px")

        page.get_by_role("link", name="单位批量复核").click()
        batch = page.locator(".st-key-batch-upload")
        batch.locator(LIMIT).wait_for()
        assert shown(batch.locator(LIMIT)) == (limit_words(50), "14px")
        assert shown(batch.locator(BUTTON)) == (UPLOAD_BUTTON, "14px")
        browser.close()
