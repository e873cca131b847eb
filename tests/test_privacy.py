"""Nothing personal outside the store: not in the server's log, not in a URL (issue 15).

The unit tests hold the one place that logs a failure on purpose (the batch);
the browser test serves the app with Streamlit's most talkative log level, types
an applicant's name and unit through the IME, shares a review link, opens it as
the expert would and downloads the claim file -- then reads every line the
server wrote and every URL the browser asked for.
"""

from __future__ import annotations

import logging
import re
import urllib.parse
from pathlib import Path

import pytest
from browserkit import ARGS, CHROMIUM, needs_chromium, patient_expect, served_process, settle

from scorer.batch import Source, checked_or_error
from scorer.privatelog import log_failure

NAME, UNIT, REVIEWER = "欧阳明月", "温州市青石工程设计院", "司马长风"
CIXI = "cixi-engineering-junior-2021"


def test_a_failure_is_logged_by_type_and_place_never_by_its_message(caplog: pytest.LogCaptureFixture) -> None:
    log = logging.getLogger("zhicheng.test")
    with caplog.at_level(logging.ERROR, logger="zhicheng.test"):
        try:
            raise ValueError(f"申报人 {NAME} 的单位 {UNIT} 无法解析")
        except ValueError:
            log_failure(log, "unexpected failure in a test")
    text = caplog.text
    assert "ValueError" in text and "test_privacy.py" in text and "unexpected failure in a test" in text
    assert NAME not in text and UNIT not in text


def test_an_unexpected_batch_failure_names_no_file_in_the_log(caplog: pytest.LogCaptureFixture,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    import scorer.batch as batch

    def broken(source: Source, *args: object) -> None:
        raise RuntimeError(f"cannot score {source.name}")

    monkeypatch.setattr(batch, "check_source", broken)
    with caplog.at_level(logging.ERROR):
        failed = checked_or_error(Source(f"{NAME}-申报文件.yaml", text="sheet: x"), {})
    assert f"{NAME}-申报文件.yaml：计分时出现意外错误" in failed.lines[0]  # type: ignore[union-attr]  # told to the user
    assert "RuntimeError" in caplog.text and NAME not in caplog.text  # not to the log


@needs_chromium
def test_no_name_reaches_the_server_log_or_a_url(tmp_path: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    patient_expect()
    log = tmp_path / "server.log"
    asked: list[str] = []
    with served_process(tmp_path / "drafts.sqlite3", log=log, options=("--logger.level", "debug")) as (server, _), \
            sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = browser.new_context(viewport={"width": 1440, "height": 900}, accept_downloads=True)
        context.on("request", lambda r: asked.append(r.url))
        page = context.new_page()
        page.set_default_timeout(30_000)
        cdp = context.new_cdp_session(page)

        def ime_text(target: object, label: str, steps: list[str], text: str) -> None:
            box = target.get_by_label(label, exact=True)  # type: ignore[attr-defined]
            box.click()
            for step in steps:
                cdp.send("Input.imeSetComposition", {"text": step, "selectionStart": len(step), "selectionEnd": len(step)})
                page.wait_for_timeout(50)
            cdp.send("Input.insertText", {"text": text})
            box.press("Enter")
            settle(page)

        page.goto(server)
        page.locator(f".st-key-pick-{CIXI} button").click()
        expect(page.get_by_text("基本信息", exact=True)).to_be_visible()
        ime_text(page, "姓名", ["ou", "ouyang", "欧阳ming", "欧阳mingyue"], NAME)
        ime_text(page, "工作单位", ["wen", "温州", "温州市qingshi"], UNIT)
        page.get_by_role("link", name="结果与导出").click()
        settle(page)
        page.get_by_text("填写链接与复核链接", exact=True).click()
        page.get_by_role("button", name="生成复核链接").click()
        settle(page)
        shown = page.locator("[data-testid='stCode']").filter(has_text="/review?link=")
        expect(shown).to_be_visible()
        review_link = re.search(r"https?://\S+/review\?link=[A-Za-z0-9_-]+", shown.inner_text())
        assert review_link is not None
        with page.expect_download() as fetched:
            page.get_by_role("button", name="下载申报文件（YAML）").click()
        download = fetched.value
        assert download.suggested_filename == f"{NAME}-申报文件.yaml"  # named by the applicant, when they ask
        assert NAME in Path(download.path()).read_text(encoding="utf-8")

        expert = context.new_page()  # the expert opens the link the applicant sent
        page, cdp = expert, context.new_cdp_session(expert)
        expert.set_default_timeout(30_000)
        expert.goto(review_link.group(0))
        expect(expert.get_by_text(f"申报人：{NAME}")).to_be_visible()
        assert "link=" not in expert.url and "review=" in expert.url  # now the expert's own review draft
        ime_text(expert, "复核专家", ["sima", "司马", "司马changfeng"], REVIEWER)
        browser.close()

    written = log.read_text(encoding="utf-8", errors="replace")
    # the debug log is talkative (sessions, reruns, messages): an empty log would prove nothing
    assert written.count("\n") > 50 and "Runtime state" in written, written
    for personal in (NAME, UNIT, REVIEWER):
        assert personal not in written, f"「{personal}」 in the server log"
        for url in asked:
            assert personal not in urllib.parse.unquote(url), f"「{personal}」 in {url}"
    opened = {urllib.parse.urlsplit(url).query for url in asked if url.startswith(server)}
    params = {key for query in opened for key in urllib.parse.parse_qs(query)}
    assert params <= {"draft", "review", "link", "step", "title"}, params  # opaque ids only
