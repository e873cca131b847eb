"""One real-browser run: Debian Chromium driven by Playwright against the app served on localhost.

Fill the Shaoxing sheet to a passing count (its conditions and gates are plain
inputs), reload the page and find the same result, download the xlsx and read
it back. Skipped, with the reason shown, only where Chromium is not installed.
"""

from __future__ import annotations

import io
import os
import re
import time
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
from browserkit import ARGS, CHROMIUM, needs_chromium, patient_expect, served_app
from helpers import ROOT

pytestmark = needs_chromium
patient_expect()


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    with served_app(tmp_path / "drafts.sqlite3") as url:
        yield url


def test_fill_reload_download(server: str, tmp_path: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1440, "height": 900}, accept_downloads=True)
        page.set_default_timeout(30_000)
        outside: list[str] = []  # the app must work with no internet: nothing fetched from another host
        page.on("request", lambda r: None if r.url.startswith((server, "data:", "blob:")) else outside.append(r.url))
        page.goto(server)
        page.locator(".st-key-pick-shaoxing-forestry-engineer-exception-2020 button").click()
        expect(page.get_by_text("基本信息", exact=True)).to_be_visible()

        def settle() -> None:
            """Wait until the rerun an input caused has finished (the status widget goes away)."""
            page.wait_for_timeout(300)
            page.locator("[data-testid='stStatusWidget']").wait_for(state="hidden", timeout=30_000)

        def radio(question: str | re.Pattern[str], answer: str) -> None:
            group = page.get_by_role("radiogroup", name=question)
            for _ in range(3):  # a click landing while a rerun redraws the group is lost: look, and click again
                group.get_by_text(answer, exact=True).click()
                settle()
                if group.get_by_role("radio", name=answer, exact=True).is_checked():
                    return
            raise AssertionError(f"{question}: {answer} not taken")

        def number(label: str, value: str) -> None:
            box = page.get_by_label(label, exact=True)
            for _ in range(3):  # typed while a rerun redrew the box: the value is gone, type it again
                box.fill(value)
                box.press("Enter")
                settle()
                if box.input_value() == value:
                    return
            raise AssertionError(f"{label}: {value} not kept")

        radio("具备规定学历", "否")
        number("担任助理工程师职务年限（年）", "5")
        for year in ("2017", "2018", "2019", "2020"):
            number(f"{year}年一般公需（学时）", "18")
        number("在绍连续缴纳社保月数（个月）", "24")
        radio("当前正常参保缴费", "是")
        radio("非公务员（含参照公务员法管理的工作人员）", "是")
        radio("伪造、编造证件或提交虚假申报材料", "否")
        radio("任现职期间受记过以上处分或为技术责任事故直接责任者（延迟2年申报）", "否")

        page.get_by_role("radio", name="破格条件（具备其中三项）", exact=True).click()  # the step control
        settle()
        radio(re.compile("^担任大中型企业"), "是")  # long questions: match their start
        radio(re.compile("^在开发高层次"), "是")
        select = page.get_by_label("学历", exact=True)
        select.click()
        select.fill("中专")
        select.press("Enter")
        settle()
        number("从事专业技术工作年限（年）", "16")
        metric = page.locator("[data-testid='stMetric']").filter(has_text="已满足条件")
        expect(metric).to_contain_text("3 / 需 3 项")
        expect(page.get_by_text("达到", exact=True).first).to_be_visible()

        page.reload()
        page.get_by_role("link", name="结果与导出").click()
        expect(page.locator("[data-testid='stMetric']").filter(has_text="已满足条件")).to_contain_text("3 / 需 3 项")
        assert "draft=" in page.url
        time.sleep(2)  # let the chart draw before the picture
        shot = ROOT / "docs" / "browser-result.png" if os.environ.get("UPDATE_SCREENSHOTS") else tmp_path / "result.png"
        page.screenshot(path=str(shot))

        with page.expect_download() as download_info:
            page.get_by_role("button", name="下载自评分表（Excel）").click()
        path = tmp_path / "export.xlsx"
        download_info.value.save_as(path)
        icon = page.locator("link[rel*='icon']").first.get_attribute("href") or ""
        browser.close()
    assert outside == []
    assert not icon.startswith("http") or icon.startswith(server)

    book = openpyxl.load_workbook(io.BytesIO(path.read_bytes()))
    rows = list(book["自评分表"].iter_rows(values_only=True))
    assert rows[0][0] == "绍兴市林业专业工程师破格晋升条件"
    assert next(r for r in rows if r[1] == "合计")[4] == 3
    assert any(r[0] and "结论：达到" in str(r[0]) for r in rows)



def test_phone_width_nothing_scrolls_sideways_and_every_row_shows(server: str) -> None:
    """At 390 px (a phone): the verdict fits the first screen, tables wrap instead of scrolling, no row is hidden."""
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 390, "height": 844}, is_mobile=True)
        page.set_default_timeout(30_000)
        page.goto(server)
        page.locator(".st-key-pick-zhejiang-mining-senior-2021 button").click()
        expect(page.get_by_text("基本信息", exact=True)).to_be_visible()
        page.goto(server + "/result?" + page.url.split("?", 1)[1])
        table = page.locator("[data-testid='stTable']").first
        expect(table).to_contain_text("行业影响（专家库、学会任职）")  # the last item of the sheet, drawn
        metric = page.locator("[data-testid='stMetric']").filter(has_text="结论")
        box = metric.bounding_box()
        assert box is not None and box["y"] + box["height"] < 844  # the verdict on the first screen
        overflow = page.evaluate("""() => [...document.querySelectorAll('[data-testid="stMain"] *')]
            .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1
                         && getComputedStyle(e).position !== 'fixed').map(e => e.getAttribute('data-testid') || e.tagName)""")
        browser.close()
    assert overflow == []
