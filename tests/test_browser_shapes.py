"""The new rule shapes in a real browser: Debian Chromium driven by Playwright, on the Hangzhou 环保 sheet.

Through the UI, as a person fills it: a band (档次 + 分值 inside the range), the
tiers_by years with the extra 行 picker that 大专及以下 opens, and one award
row with its 申报分值, whose 名称 is typed through IME composition (pinyin, then
the Chinese text committed), the way a Chinese user types. The total on the page
must be the one computed by hand from the sheet, and stay the same after a
reload of the same URL. Skipped, with the reason shown, only where Chromium is
not installed.

An entry is one row of ordinary inputs (级别, 申报分值, 日期, 名称, 佐证材料 ...)
added with 添加一条: a mistyped date keeps its text and gets a red message under
its row, a row added by mistake is deleted, and after a reload every value is
back in its input and in the downloaded claim file.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from browserkit import ARGS, CHROMIUM, needs_chromium, patient_expect, served_app

SHEET = "hangzhou-env-engineer-selfeval"

pytestmark = needs_chromium
patient_expect()


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    with served_app(tmp_path / "drafts.sqlite3") as url:
        yield url


class Browser:
    """The few moves a person makes on the fill page, each waiting for Streamlit to settle."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.cdp = page.context.new_cdp_session(page)

    def settle(self, ms: int = 200) -> None:
        """Wait until the rerun an input caused has finished (the status widget goes away)."""
        self.page.wait_for_timeout(ms)
        self.page.locator("[data-testid='stStatusWidget']").wait_for(state="hidden", timeout=30_000)

    def item(self, label: str) -> Any:
        """The bordered box of one item: the innermost block holding its bold label."""
        return self.page.locator("[data-testid='stVerticalBlock']").filter(
            has=self.page.locator("strong").get_by_text(label, exact=True)).last

    def step(self, name: str) -> None:
        self.page.get_by_role("radio", name=name, exact=True).click()
        self.settle(400)

    def select(self, scope: Any, label: str, option: str) -> None:
        box = scope.get_by_label(label, exact=True)
        box.click()
        box.fill(option)
        box.press("Enter")
        self.settle()

    def number(self, scope: Any, label: str, value: str) -> None:
        box = scope.get_by_label(label, exact=True)
        box.fill(value)
        box.press("Enter")
        self.settle()

    def text(self, scope: Any, label: str, value: str) -> None:
        box = scope.get_by_label(label, exact=True)
        box.fill(value)
        box.press("Enter")
        self.settle()

    def ime_text(self, scope: Any, label: str, compositions: list[str], value: str) -> None:
        """Click into a text input and type through the IME, then Enter (Streamlit applies the text)."""
        box = scope.get_by_label(label, exact=True)
        box.click()
        self.ime(compositions, value)
        box.press("Enter")
        self.settle()

    def ime(self, compositions: list[str], text: str) -> None:
        """Type as through a pinyin IME: the composition grows, then the chosen text is committed."""
        for c in compositions:
            self.cdp.send("Input.imeSetComposition", {"text": c, "selectionStart": len(c), "selectionEnd": len(c)})
            self.page.wait_for_timeout(50)
        self.cdp.send("Input.insertText", {"text": text})
        self.page.wait_for_timeout(100)

    def metric(self, name: str) -> Any:
        """The value of the metric whose label starts with name."""
        return (self.page.locator("[data-testid='stMetric']").filter(has_text=name).first
                .locator("[data-testid='stMetricValue']"))


def test_band_tiers_by_row_and_range_entry(server: str, tmp_path: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1440, "height": 900})
        page.set_default_timeout(30_000)
        b = Browser(page)
        page.goto(server)
        page.locator(f".st-key-pick-{SHEET} button").click()
        expect(page.get_by_text("基本信息", exact=True)).to_be_visible()
        b.settle(400)

        # 一、学历 大专及以下 (0, and it opens the 行 picker of the years), 行 中专以下, 16 years;
        # 综合表现 好 with 18 inside 20-16.
        b.step("一、工作经历与能力")
        education = b.item("学历及学位")
        b.select(education, "档次", "大专及以下")
        expect(education).to_contain_text("「大专及以下」→ 0 分")
        years = b.item("基层专业工作年限")
        b.select(years, "按哪一行计分（学历）", "中专以下")
        expect(years.get_by_label("按哪一行计分（学历）", exact=True)).to_have_value("中专以下")
        b.number(years, "基层专业工作年限（年）", "16")
        expect(years).to_contain_text("按中专以下：16年 ≥ 10年 → 5 分")  # the 大专 row would give 10
        overall = b.item("综合表现（工作经历与能力）")
        b.select(overall, "档次", "好")
        b.number(overall, "分值（20-16）", "18")
        expect(overall).to_contain_text("得分 18")
        expect(b.metric("本部分小计")).to_have_text("23")

        # 二、one 市(厅)级 award (30-0) asking 20, its 名称 and 佐证材料 typed through the IME.
        b.step("二、工作业绩")
        awards = b.item("专业奖项")
        awards.get_by_role("button", name="＋ 添加一条").click()
        b.settle(400)
        row = page.locator(f".st-key-row-{SHEET}-awards-r0")
        b.select(row, "级别", "市(厅)级")
        b.text(row, "申报分值", "20")
        b.text(row, "日期", "20200601")  # no dashes: kept as typed, refused under the row
        expect(row).to_contain_text("日期「20200601」无法识别，请写成 YYYY-MM-DD")
        expect(row.get_by_label("日期", exact=True)).to_have_value("20200601")
        b.text(row, "日期", "2020-06-01")
        b.ime_text(row, "名称", ["h", "hang", "hangzhou", "杭州"], "杭州市科技进步奖")
        b.ime_text(row, "佐证材料", ["zheng", "zhengshu"], "获奖证书.pdf")
        expect(row.get_by_label("名称", exact=True)).to_have_value("杭州市科技进步奖")  # no pinyin left over
        expect(awards).to_contain_text("第1条「杭州市科技进步奖」：市(厅)级（区间 30-0）申报 20 分")
        expect(row).not_to_contain_text("无法识别")
        awards.get_by_role("button", name="＋ 添加一条").click()  # a second row, added by mistake
        b.settle(400)
        expect(awards).to_contain_text("新的一条（尚未填写，不计入）")
        page.locator(f".st-key-row-{SHEET}-awards-r1").get_by_role("button", name="删除此条").click()
        b.settle(400)
        expect(awards).not_to_contain_text("新的一条")

        # by hand: 学历 0 + 基层年限 5 + 综合表现 18 + 专业奖项 20 = 43 of 230; the form has no pass line
        expect(b.metric("总分")).to_have_text("43 / 230")
        expect(b.metric("结论")).to_have_text("不设分数线")
        assert "draft=" in page.url

        assert "step=" in page.url
        page.reload()  # same URL: the draft comes back from the store, on the step the person was on
        expect(page.get_by_text("本部分小计", exact=True)).to_be_visible()
        b.settle(400)
        expect(b.metric("总分")).to_have_text("43 / 230")
        b.step("二、工作业绩")
        row = page.locator(f".st-key-row-{SHEET}-awards-r0")
        for label, shown in (("级别", "市(厅)级"), ("申报分值", "20"), ("日期", "2020-06-01"),
                             ("名称", "杭州市科技进步奖"), ("佐证材料", "获奖证书.pdf")):
            expect(row.get_by_label(label, exact=True)).to_have_value(shown)
        page.get_by_role("link", name="结果与导出").click()
        b.settle(400)
        expect(b.metric("总分")).to_have_text("43 / 230")
        expect(b.metric("结论")).to_have_text("不设分数线")
        with page.expect_download() as download_info:
            page.get_by_role("button", name="下载申报文件（YAML）").click()
        claim = tmp_path / "claim.yaml"
        download_info.value.save_as(claim)
        browser.close()
    data = yaml.safe_load(claim.read_text(encoding="utf-8"))
    assert data["answers"]["awards"] == [{"level": "市(厅)级", "points": 20, "date": dt.date(2020, 6, 1),
                                          "title": "杭州市科技进步奖", "evidence": ["获奖证书.pdf"]}]
