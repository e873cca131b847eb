"""The new rule shapes in a real browser: Debian Chromium driven by Playwright, on the Hangzhou 环保 sheet.

Through the UI, as a person fills it: a band (档次 + 分值 inside the range), the
tiers_by years with the extra 行 picker that 大专及以下 opens, and one award
row with its 申报分值, whose 名称 is typed through IME composition (pinyin, then
the Chinese text committed), the way a Chinese user types. The total on the page
must be the one computed by hand from the sheet, and stay the same after a
reload of the same URL. Skipped, with the reason shown, only where Chromium is
not installed.

Streamlit's data_editor draws its cells on a canvas: a cell is reached by
clicking its row and arrowing across while glide's accessible table reports
which cell is selected; Enter opens the cell's editor, Enter commits.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browserkit import ARGS, CHROMIUM, needs_chromium, served_app

SHEET = "hangzhou-env-engineer-selfeval"
ROW_H = 35  # data_editor header and row height (px)

pytestmark = needs_chromium


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


class Grid:
    """One st.data_editor (num_rows="dynamic": column 0 is the row marker)."""

    def __init__(self, b: Browser, item_label: str) -> None:
        self.b = b
        self.page = b.page
        self.loc = b.item(item_label).locator("[data-testid='stDataFrame']")

    def _row_point(self, row: int) -> tuple[float, float]:
        self.loc.scroll_into_view_if_needed()
        self.page.wait_for_timeout(200)
        box = self.loc.bounding_box()
        assert box is not None
        return box["x"] + 60, box["y"] + ROW_H * (row + 1) + ROW_H / 2  # x: inside column 1

    def cell(self, row: int, col: int) -> Any:
        """The cell in glide's accessible table (the canvas has no text to read)."""
        return self.loc.locator(f"#glide-cell-{col}-{row}")

    def selected(self) -> tuple[int, int] | None:
        ids = self.loc.locator("td[aria-selected=true]").evaluate_all("es => es.map(e => e.id)")
        if len(ids) != 1:
            return None
        _, _, col, row = ids[0].split("-")
        return int(col), int(row)

    def _close_editor(self) -> None:
        if self.page.evaluate("() => ['INPUT', 'TEXTAREA'].includes(document.activeElement.tagName)"):
            self.page.keyboard.press("Escape")  # a click on the selected cell opened its editor
            self.page.wait_for_timeout(200)

    def add_row(self, rows_now: int) -> None:
        """Click the trailing empty row: a row is added and its first cell's editor opens."""
        x, y = self._row_point(rows_now)
        self.page.mouse.click(x, y)
        self.page.wait_for_timeout(600)

    def go(self, row: int, col: int) -> None:
        """Select a cell: click the row (the grid takes the keyboard), then arrow across to the column."""
        x, y = self._row_point(row)
        at = None
        for _ in range(8):
            if at is None or at[1] != row:
                self.page.mouse.click(x, y)
                self.page.wait_for_timeout(300)
                self._close_editor()
            at = self.selected()
            if at == (col, row):
                return
            if at is None or at[1] != row:
                continue
            key = "ArrowRight" if at[0] < col else "ArrowLeft"
            for _ in range(abs(col - at[0])):
                self.page.keyboard.press(key)
                self.page.wait_for_timeout(60)
            self.page.wait_for_timeout(350)
            before, at = at, self.selected()
            if at == before:
                at = None  # the keys went elsewhere: click the row again
        raise AssertionError(f"cannot select cell (col {col}, row {row}); selected: {self.selected()}")

    def pick(self, option: str) -> None:
        """In an open select cell: click the option."""
        self.page.get_by_role("option").filter(has_text=re.compile(f"^{re.escape(option)}$")).click()
        self.b.settle(400)

    def type_in(self, row: int, col: int, keys: str | None = None, ime: tuple[list[str], str] | None = None) -> None:
        self.go(row, col)
        self.page.keyboard.press("Enter")  # open the cell's editor
        self.page.wait_for_timeout(400)
        if ime is not None:
            self.b.ime(*ime)
        else:
            self.page.keyboard.type(str(keys), delay=40)
        self.page.wait_for_timeout(200)
        self.page.keyboard.press("Enter")  # commit
        self.b.settle(400)


def test_band_tiers_by_row_and_range_entry(server: str) -> None:
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

        # 二、one 市(厅)级 award (30-0) asking 20, its 名称 typed through the IME.
        b.step("二、工作业绩")
        awards = Grid(b, "专业奖项")  # columns: 1 级别, 2 申报分值, 3 日期, 4 名称, 5 佐证材料
        awards.add_row(0)
        awards.pick("市(厅)级")
        awards.type_in(0, 2, keys="20")
        awards.type_in(0, 4, ime=(["h", "hang", "hangzhou", "杭州"], "杭州市科技进步奖"))
        for col, shown in ((1, "市(厅)级"), (2, "20"), (4, "杭州市科技进步奖")):
            expect(awards.cell(0, col)).to_have_text(shown)  # the IME text committed, no pinyin left over
        expect(b.item("专业奖项")).to_contain_text("第1条「杭州市科技进步奖」：市(厅)级（区间 30-0）申报 20 分")

        # by hand: 学历 0 + 基层年限 5 + 综合表现 18 + 专业奖项 20 = 43 of 230; the form has no pass line
        expect(b.metric("总分")).to_have_text("43 / 230")
        expect(b.metric("结论")).to_have_text("不设分数线")
        assert "draft=" in page.url

        assert "step=" in page.url
        page.reload()  # same URL: the draft comes back from the store, on the step the person was on
        expect(page.get_by_text("本部分小计", exact=True)).to_be_visible()
        b.settle(400)
        expect(b.metric("总分")).to_have_text("43 / 230")
        page.get_by_role("link", name="结果与导出").click()
        b.settle(400)
        expect(b.metric("总分")).to_have_text("43 / 230")
        expect(b.metric("结论")).to_have_text("不设分数线")
        browser.close()
