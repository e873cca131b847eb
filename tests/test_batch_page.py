"""Issue 9, the batch page: user text is never rendered as Markdown; the histogram bins exactly,
with the line as a bin edge inside the chart, whole-person ticks, and follows the table's filters."""

from __future__ import annotations

import json
import re
import string
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyarrow as pa
from batchgen import population
from helpers import CASES_DIR, ROOT
from streamlit.testing.v1 import AppTest

from scorer.batch import Bin, bin_start, bin_width, histogram
from scorer.cases import case_claims, load_case_file
from scorer.serialize import to_yaml

APP = str(ROOT / "app.py")


def batch_page(files: list[tuple[str, bytes, str]], timeout: int = 60) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=timeout)
    at.run()
    at.switch_page("ui/pages/batch.py").run()
    at.file_uploader(key="batch-upload").set_value(files).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def escaped(text: str) -> str:
    """What the page must show for user text: every ASCII punctuation character backslash-escaped."""
    return re.sub(f"([{re.escape(string.punctuation)}])", r"\\\1", text)


# --- item 4: no user text rendered as Markdown ------------------------------------------------------------------

NASTY = ["![x](http://example.com/a.png)", "**粗体**_斜体_", "[点我](http://example.com)", "$x^2$ 与 `代码`",
         "<img src=x onerror=alert(1)>", ":red[红字] :material/home:", "# 标题 | 表格 |"]


def test_names_and_file_names_are_escaped(store_path: Path) -> None:
    flagged = [d for kind, d in population() if kind in ("no_evidence", "duplicate", "ignored")][: len(NASTY)]
    files = []
    for name, data in zip(NASTY, flagged, strict=True):
        data["applicant"]["name"] = name
        files.append((f"{len(files)}.yaml", to_yaml(data).encode(), "application/x-yaml"))
    files.append(("[坏](http://example.com/x).yaml", b"sheet: [", "application/x-yaml"))
    at = batch_page(files)
    labels = [e.proto.label for e in at.expander]
    shown = labels + [m.value for m in at.markdown] + [c.value for c in at.caption]
    for name in NASTY:
        assert any(label.startswith(escaped(name) + "（") for label in labels), (name, labels)
    assert any(escaped("[坏](http://example.com/x).yaml") in m.value for m in at.markdown)
    for text in shown:  # nothing a browser would turn into an image, a link, HTML, math or colour
        unescaped = re.sub(r"\\.", "", text)
        for raw in ("![", "](", "<img", ":red[", "$x", "`", "粗体**"):  # the page's own **bold** is fine
            assert raw not in unescaped, (raw, text)
    table = at.dataframe[0].value  # the table shows the names as typed
    assert set(NASTY) <= set(table["申报人"])


# --- item 5: the histogram ---------------------------------------------------------------------------------------


def test_bins_are_decided_exactly_with_the_line_as_an_edge() -> None:
    line, one = Decimal(80), Decimal(1)
    assert bin_start(Decimal("79.5"), line, one) == 79
    assert bin_start(Decimal(80), line, one) == 80  # a total equal to the line: the bin that starts at the line
    nearly = Decimal("79.99999999999999999999999999999")
    assert float(nearly) == 80.0  # a float (what Vega would bin) puts it on the line ...
    assert bin_start(nearly, line, one) == 79  # ... Decimal keeps it below
    assert bin_start(Decimal("80.00000000000000000000000000001"), line, one) == 80
    assert bin_start(Decimal("84.99"), line, Decimal(5)) == 80 and bin_start(Decimal("79.99"), line, Decimal(5)) == 75
    assert bin_start(Decimal("0.5"), Decimal(0), one) == 0 and bin_start(Decimal("-0.5"), Decimal(0), one) == -1
    assert bin_start(Decimal("123.456"), Decimal("37.5"), Decimal(10)) == Decimal("117.5")
    assert histogram([Decimal("79.5"), Decimal(80), Decimal("80.5"), nearly], line) == [
        Bin(Decimal(79), Decimal(80), 2), Bin(Decimal(80), Decimal(81), 2)]
    assert bin_width([Decimal(0), Decimal(30)]) == 1 and bin_width([Decimal(0), Decimal(100)]) == 5
    assert bin_width([Decimal(0), Decimal(230)]) == 10


def _chart(at: AppTest) -> tuple[dict[str, Any], list[dict[str, list[Any]]]]:
    proto = at.get("vega_lite_chart")[0].proto
    data = [pa.ipc.open_stream(ds.data.data).read_all().to_pydict() for ds in proto.datasets]
    return json.loads(proto.spec), data


def mining_files() -> list[tuple[str, bytes, str]]:
    case_file, parsed = load_case_file(CASES_DIR / "zhejiang-mining-senior-2021.yaml")
    files = []
    for i, name in ((0, "达线甲"), (1, "差半分乙")):  # 80 (达到) and 79.5 (未达到)
        data = case_claims(case_file, parsed, i).data
        data["applicant"] = {**data["applicant"], "name": name}
        files.append((f"{name}.yaml", to_yaml(data).encode(), "application/x-yaml"))
    return files


def test_histogram_separates_79_5_from_80_and_follows_the_filters(store_path: Path) -> None:
    at = batch_page(mining_files())
    spec, data = _chart(at)
    bars, rule = spec["layer"]
    counts = next(d for d in data if "人数" in d)
    assert counts["起点"] == [79.0, 80.0] and counts["终点"] == [80.0, 81.0] and counts["人数"] == [1, 1]
    assert counts["区间"] == ["79–80（含 79，不含 80）", "80–81（含 80，不含 81）"]
    assert "bin" not in bars["encoding"]["x"]  # bins are data, not Vega's float binning
    assert bars["encoding"]["x2"] == {"field": "终点"}
    assert bars["encoding"]["y"]["axis"] == {"format": "d", "tickMinStep": 1}
    low, high = bars["encoding"]["x"]["scale"]["domain"]
    assert next(d for d in data if "分数线" in d)["分数线"] == [80.0]
    assert low < 79 and high > 81 and low < 80 < high  # the line inside the chart, not on its edge
    assert rule["encoding"]["x"]["scale"]["domain"] == [low, high]
    at.multiselect[1].set_value(["达到"]).run()  # 结论 filter
    assert not at.exception
    assert len(at.dataframe[0].value) == 1
    counts = next(d for d in _chart(at)[1] if "人数" in d)
    assert counts["起点"] == [80.0] and counts["人数"] == [1]
    assert any("1 名申报人（随上方筛选）" in c.value for c in at.caption)


def test_histogram_with_nothing_shown_says_so(store_path: Path) -> None:
    at = batch_page(mining_files())
    at.multiselect[2].set_value(["未列佐证"]).run()  # nobody here lacks evidence
    assert not at.exception, [e.value for e in at.exception]
    assert not at.get("vega_lite_chart")
    assert any("没有符合筛选条件的申报人" in i.value for i in at.info)


def test_a_sheet_with_a_line_per_level_gets_a_chart_per_line(store_path: Path) -> None:
    """温州: 工程师 ≥ 60, 助理工程师 ≥ 50; one line drawn for both would misplace one of them."""
    case_file, parsed = load_case_file(CASES_DIR / "wenzhou-mining-exception-2021.yaml")
    files = []
    for i in (1, 2):  # 59.5 as 工程师 (未达到) and as 助理工程师 (达到)
        data = case_claims(case_file, parsed, i).data
        data["applicant"] = {**data["applicant"], "name": f"申报{i}"}
        files.append((f"{i}.yaml", to_yaml(data).encode(), "application/x-yaml"))
    at = batch_page(files)
    chart = at.selectbox(key="batch-chart-sheet")
    assert sorted(chart.options) == ["温州矿山破格自评赋分（助理工程师分数线 50）", "温州矿山破格自评赋分（工程师分数线 60）"]
    lines = {next(d for d in _chart(at)[1] if "分数线" in d)["分数线"][0]}
    chart.set_value(next(o for o in chart.options if o != chart.value)).run()
    assert not at.exception
    lines.add(next(d for d in _chart(at)[1] if "分数线" in d)["分数线"][0])
    assert lines == {50.0, 60.0}


def test_a_total_no_double_holds_is_shown_with_its_exact_digits_beside_the_number(store_path: Path) -> None:
    """The 自评总分 column is numeric, to sort; a total with more digits than a double holds (a claimed
    4.12345678901234567891) gets a 总分精确值 column beside it, so the page says what the export says."""
    case_file, parsed = load_case_file(CASES_DIR / "zhejiang-construction-engineer-review.yaml")

    def claim(name: str, ethics: str) -> tuple[str, bytes, str]:
        data = case_claims(case_file, parsed, 0).data
        data["applicant"] = {"name": name}
        data["answers"]["ethics"] = {"band": "其他", "points": Decimal(ethics)}
        return (f"{name}.yaml", to_yaml(data).encode(), "application/x-yaml")

    table = batch_page([claim("普通", "4")]).dataframe[0].value
    assert "总分精确值" not in table.columns and list(table["自评总分"]) == [136.0]
    table = batch_page([claim("普通", "4"), claim("精确", "4.12345678901234567891")]).dataframe[0].value
    exact = dict(zip(table["申报人"], table["总分精确值"], strict=True))
    assert exact == {"普通": "136", "精确": "136.12345678901234567891"}  # 137 with ethics 5, by hand
