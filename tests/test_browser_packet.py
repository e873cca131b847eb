"""The packet in a real browser (Debian Chromium, Playwright): two documents attached to an entry through the
page's own file input, a reload, then the binder downloaded and read back with pdftotext."""

from __future__ import annotations

import re
import subprocess
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browserkit import ARGS, CHROMIUM, needs_chromium, patient_expect, served_app, settle
from printkit import PDFTOTEXT
from test_packet import jpeg, pdf

pytestmark = needs_chromium
patient_expect()
SHEET = "zhejiang-mining-senior-2021"


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    with served_app(tmp_path / "drafts.sqlite3") as url:
        yield url


def _on_step(browser: Any, server: str, step: str) -> Any:
    """A new page that has started the mining sheet and gone to one of its steps."""
    from playwright.sync_api import expect

    page = browser.new_page(viewport={"width": 1440, "height": 900}, accept_downloads=True)
    page.set_default_timeout(30_000)
    page.goto(server)
    page.locator(f".st-key-pick-{SHEET} button").click()
    expect(page.get_by_text("基本信息", exact=True)).to_be_visible()
    settle(page)
    page.get_by_role("radio", name=step, exact=True).click()
    settle(page)
    return page


def test_attach_reload_and_download_the_binder(server: str, tmp_path: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    (tmp_path / "合同.pdf").write_bytes(pdf(2, "contract"))
    (tmp_path / "证书.jpg").write_bytes(jpeg((300, 400)))
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = _on_step(browser, server, "工作业绩")
        page.get_by_role("button", name="＋ 添加一条").first.click()
        settle(page)
        row = page.locator(f".st-key-row-{SHEET}-mine_projects-r0")
        for label, option in (("级别", "大型"), ("角色", "主持")):
            box = row.get_by_label(label, exact=True)
            box.click()
            box.fill(option)
            box.press("Enter")
            settle(page)
        for label, value in (("日期", "2019-05-01"), ("名称", "某铁矿工程")):
            row.get_by_label(label, exact=True).fill(value)
            row.get_by_label(label, exact=True).press("Enter")
            settle(page)
        row.locator("input[type=file]").set_input_files([str(tmp_path / "合同.pdf"), str(tmp_path / "证书.jpg")])
        expect(row).to_contain_text("合同.pdf（PDF，")
        expect(row).to_contain_text("证书.jpg（JPG，")
        settle(page)
        page.reload()  # the same URL: the draft and its documents come back
        row = page.locator(f".st-key-row-{SHEET}-mine_projects-r0")
        expect(row).to_contain_text("合同.pdf（PDF，")
        expect(row).to_contain_text("证书.jpg（JPG，")
        page.get_by_role("link", name="结果与导出").click()
        page.get_by_role("button", name="生成装订本（PDF）").click()
        with page.expect_download() as download:
            page.get_by_role("button", name="下载装订本（PDF）").click()
        binder = tmp_path / "binder.pdf"
        download.value.save_as(binder)
        page.get_by_role("button", name="生成附件压缩包（按编号命名）").click()  # made on the click, like the binder
        with page.expect_download() as download:
            page.get_by_role("button", name="下载附件压缩包").click()
        archive = tmp_path / "附件.zip"
        download.value.save_as(archive)
        browser.close()
    assert zipfile.ZipFile(archive).namelist() == ["2-1-1_合同.pdf", "2-1-2_证书.jpg", "申报文件.yaml"]
    text = subprocess.run([PDFTOTEXT, "-layout", str(binder), "-"], capture_output=True, text=True, check=True).stdout
    pages = text.split("\f")
    contents = next(i for i, t in enumerate(pages) if re.search(r"目\s+录", t))
    assert re.search(r"2-1-1\s+主持或参与的矿山工程项目.*合同\.pdf（2 页）\s+" + str(contents + 2), pages[contents])
    assert "contract page 2" in pages[contents + 2] and "2-1-1 · 主持或参与的矿山工程项目" in pages[contents + 2]
    assert "2-1-2 · 主持或参与的矿山工程项目 · 第1条「某铁矿工程」" in pages[contents + 3]  # the photo on its own page


def test_an_items_documents_are_drawn_when_its_expander_opens(server: str, tmp_path: Path) -> None:
    """The folded uploader of an item (issue 11: nothing sent while closed) still takes and keeps documents."""
    from playwright.sync_api import expect, sync_playwright

    (tmp_path / "毕业证.jpg").write_bytes(jpeg((300, 400)))
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = _on_step(browser, server, "经历与能力")
        folded = page.locator("[data-testid='stExpander']").filter(has_text="佐证材料文件（可选").first
        expect(folded).to_be_visible()
        assert folded.locator("input[type=file]").count() == 0  # closed: no uploader sent
        folded.locator("summary").click()
        settle(page)
        expect(folded.locator("input[type=file]")).to_have_count(1)
        folded.locator("input[type=file]").set_input_files(str(tmp_path / "毕业证.jpg"))
        expect(folded).to_contain_text("毕业证.jpg（JPG，")
        settle(page)
        page.reload()
        folded = page.locator("[data-testid='stExpander']").filter(has_text="佐证材料文件（可选").first
        folded.locator("summary").click()
        settle(page)
        expect(folded).to_contain_text("毕业证.jpg（JPG，")
        browser.close()


def test_the_expert_pages_through_a_document_in_the_page(tmp_path: Path) -> None:
    """Through the applicant's review link: an entry's two-page PDF read in the page, page 2 picked."""
    from playwright.sync_api import expect, sync_playwright
    from test_app_rows import mining_case

    from scorer.attachment_store import AttachmentStore
    from scorer.attachments import inspect
    from scorer.drafts import VIEW, SqliteDraftStore

    db = tmp_path / "drafts.sqlite3"
    contract = inspect("合同.pdf", pdf(2, "contract"))
    data = mining_case()
    data["answers"]["mine_projects"][0]["files"] = [contract.ref.to_data()]
    store = SqliteDraftStore(db)
    draft = store.create(data)
    AttachmentStore(db).put(draft.id, contract)
    token = store.reissue(draft.id, VIEW)
    with served_app(db) as server, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1440, "height": 900})
        page.set_default_timeout(30_000)
        page.goto(f"{server}/review?link={token}")
        viewer = page.locator("[data-testid='stExpander']").filter(has_text="查看「合同.pdf」")
        expect(viewer).to_be_visible()
        assert viewer.locator("img").count() == 0  # closed: no page drawn or sent
        viewer.locator("summary").click()
        expect(viewer.get_by_text("合同.pdf · 第 1 页 / 共 2 页")).to_be_visible()
        picker = viewer.get_by_label("页码")
        for _ in range(3):  # an option list redrawn by a rerun under the click: look, and pick again
            picker.click()
            picker.fill("第 2 页")
            picker.press("Enter")
            settle(page)
            if viewer.get_by_text("合同.pdf · 第 2 页 / 共 2 页").count():
                break
        expect(viewer.get_by_text("合同.pdf · 第 2 页 / 共 2 页")).to_be_visible()
        image = viewer.locator("img").first
        expect(image).to_be_visible()
        width = image.evaluate("img => img.naturalWidth")
        assert width >= 800  # drawn at a readable size (A4 at 1.4 x 72 dpi: 833 px)
        browser.close()
