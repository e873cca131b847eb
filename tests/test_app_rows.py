"""List answers on the fill page, one row of inputs per entry (ui/rules/_rows.py), through AppTest.

What a person types in a row is kept as typed -- a mistyped date, a note from an uploaded
file, a level the sheet no longer lists -- shown with its reason under its own row, and
exported as it is; rows are added and deleted without touching the other rows' values.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import AppTest
from test_app import first_case, new_app, no_exceptions

from scorer import SheetLibrary, claims_from_data, score
from scorer.drafts import SqliteDraftStore

MINING = "zhejiang-mining-senior-2021"
KEY = f"{MINING}.mine_projects"


def on_step(at: AppTest, sheet_id: str, step: str) -> AppTest:
    at.session_state[f"step:{sheet_id}"] = step
    at.run()
    no_exceptions(at)
    return at


def with_draft(store: Path, data: dict[str, Any], step: str) -> tuple[AppTest, str]:
    """A stored draft opened as a refresh would (its id in the URL), on one step of the fill page."""
    draft = SqliteDraftStore(store).create(data)
    at = new_app(draft.id)
    at.switch_page("ui/pages/fill.py").run()
    return on_step(at, str(data["sheet"]), step), draft.id


def stored(store: Path, draft: str) -> dict[str, Any]:
    return SqliteDraftStore(store).load(draft).data  # type: ignore[union-attr]


def texts(at: AppTest) -> str:
    return "\n".join(str(m.value) for m in at.markdown)


def rows(at: AppTest, key: str = KEY) -> list[str]:
    return list(at.session_state[f"{key}.rows"])


def mining_case() -> dict[str, Any]:
    return first_case(MINING)


def test_deleting_the_middle_row_keeps_the_others_as_typed(store_path: Path) -> None:
    data = mining_case()
    at, draft = with_draft(store_path, data, "工作业绩")
    first, middle, last = rows(at)
    at.button(key=f"{KEY}.{middle}.delete").click().run()
    no_exceptions(at)
    assert rows(at) == [first, last]
    assert at.text_input(key=f"{KEY}.{last}.title").value == "某矿山边坡治理工程"
    kept = stored(store_path, draft)["answers"]["mine_projects"]
    assert [e["title"] for e in kept] == ["某铁矿露天转地下开采工程", "某矿山边坡治理工程"]
    # by hand: 大型 主持 as the representative 30, plus 中型 主持 3 x 1 = 33 (the 大型 技术负责 3.2 is gone)
    library = SheetLibrary()
    sheet, claims = claims_from_data(stored(store_path, draft), library.sheets)
    assert score(sheet, claims).items["mine_projects"].points == Decimal(33)
    assert "得分 33" in texts(at)


def test_a_mistyped_date_is_kept_shown_under_its_row_and_exported(store_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    files: dict[str, bytes] = {}
    load = MemoryMediaFileStorage.load_and_get_id

    def keep(self: Any, path_or_data: Any, mimetype: str, kind: Any, filename: str | None = None) -> str:
        if filename and isinstance(path_or_data, bytes):
            files[filename] = path_or_data
        return load(self, path_or_data, mimetype, kind, filename)

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", keep)
    at, draft = with_draft(store_path, mining_case(), "工作业绩")
    second = rows(at)[1]
    at.text_input(key=f"{KEY}.{second}.date").set_value("20180910").run()
    no_exceptions(at)
    assert at.text_input(key=f"{KEY}.{second}.date").value == "20180910"
    assert "日期「20180910」无法识别，请写成 YYYY-MM-DD（如 2018-05-01）" in texts(at)
    assert "**第 2 条**" in texts(at)
    assert stored(store_path, draft)["answers"]["mine_projects"][1]["date"] == "20180910"
    at.switch_page("ui/pages/result.py").run()
    no_exceptions(at)
    assert any("保留了全部填写内容" in w.value for w in at.warning)
    claim = yaml.safe_load(next(v for k, v in files.items() if k.endswith("申报文件.yaml")).decode("utf-8"))
    entry = claim["answers"]["mine_projects"][1]
    assert entry["date"] == "20180910" and entry["title"] == "某石灰石矿技改工程"


def test_an_empty_row_is_not_numbered_and_later_rows_keep_their_numbers(store_path: Path) -> None:
    at, draft = with_draft(store_path, mining_case(), "工作业绩")
    at.button(key=f"{KEY}.add").click().run()
    new = rows(at)[-1]
    assert "新的一条（尚未填写，不计入）" in texts(at)
    assert len(stored(store_path, draft)["answers"]["mine_projects"]) == 3  # an empty row is not an entry
    at.selectbox(key=f"{KEY}.{new}.level").set_value("小型").run()
    # 第4条 has a level but no role: its own message, under it, with its own number
    assert "**第 4 条**" in texts(at)
    assert any("第4条缺少 role" in m.value for m in at.markdown)


def test_fields_without_an_input_and_options_no_longer_listed_are_kept(store_path: Path) -> None:
    data = mining_case()
    data["answers"]["mine_projects"][0] = {**data["answers"]["mine_projects"][0], "level": "特大型", "note": "合同见附件"}
    at, draft = with_draft(store_path, data, "工作业绩")
    first = rows(at)[0]
    box = at.selectbox(key=f"{KEY}.{first}.level")
    assert box.value is None and "原填写「特大型」不是可选项" in box.proto.placeholder
    at.text_input(key=f"{KEY}.{first}.title").set_value("某铁矿地下开采工程").run()
    no_exceptions(at)
    entry = stored(store_path, draft)["answers"]["mine_projects"][0]
    assert entry["level"] == "特大型" and entry["note"] == "合同见附件" and entry["title"] == "某铁矿地下开采工程"
    assert any("「特大型」" in m.value for m in at.markdown)
    at.selectbox(key=f"{KEY}.{first}.level").set_value("大型").run()
    assert stored(store_path, draft)["answers"]["mine_projects"][0]["level"] == "大型"


def test_a_refused_value_is_not_called_unanswered(store_path: Path) -> None:
    at, _ = with_draft(store_path, mining_case(), "经历与能力")
    at.text_input(key=f"{MINING}.years_in_title").set_value("-3").run()
    no_exceptions(at)
    assert at.text_input(key=f"{MINING}.years_in_title").value == "-3"
    lines = texts(at)
    assert "所填内容有误（见上方红字），暂不计分" in lines
    assert "不能为负数" in lines


def test_a_2099_title_date_is_saved_and_flagged_while_filling(store_path: Path) -> None:
    import datetime as dt

    at, draft = with_draft(store_path, mining_case(), "基本信息与申报条件")
    at.date_input(key=f"{MINING}.applicant.current_title_date").set_value(dt.date(2099, 1, 1)).run()
    no_exceptions(at)
    assert stored(store_path, draft)["applicant"]["current_title_date"] == "2099-01-01"
    assert any("现职称取得日期晚于本表的截止日，请核对（2099-01-01 > 2021-12-31）" in e.value for e in at.error)
    on_step(at, MINING, "经历与能力")
    assert any("现职称取得日期晚于本表的截止日" in e.value for e in at.error)  # on every step, beside the total


def test_an_indicator_list_stops_at_its_limit(store_path: Path) -> None:
    sheet_id = "hangzhou-env-engineer-selfeval"
    key = f"{sheet_id}.ability_indicators"
    data = {"sheet": sheet_id, "answers": {"ability_indicators": [{"indicator": f"指标{n}"} for n in range(1, 7)]}}
    at, draft = with_draft(store_path, data, "一、工作经历与能力")
    assert not at.button(key=f"{key}.add").disabled
    at.button(key=f"{key}.add").click().run()
    assert at.button(key=f"{key}.add").disabled  # 最多 7 项
    at.text_input(key=f"{key}.{rows(at, key)[-1]}.indicator").set_value("指标7").run()
    assert [r["indicator"] for r in stored(store_path, draft)["answers"]["ability_indicators"]][-1] == "指标7"


def test_ticking_a_second_representative_clears_the_first(store_path: Path) -> None:
    at, draft = with_draft(store_path, mining_case(), "工作业绩")
    first, _, third = rows(at)
    at.checkbox(key=f"{KEY}.{first}.representative").check().run()
    at.checkbox(key=f"{KEY}.{third}.representative").check().run()
    no_exceptions(at)
    assert not at.checkbox(key=f"{KEY}.{first}.representative").value
    marked = [e.get("representative") for e in stored(store_path, draft)["answers"]["mine_projects"]]
    assert marked == [None, None, True]
    # by hand: 中型 主持 as the representative: start 24, plus 大型 主持 4 x 1 + 大型 技术负责 4 x 0.8 = 31.2,
    # but a 中型 representative caps the item at 30 (不超过上一级别起评分)
    assert "**得分 30** / 封顶 40" in texts(at)


def test_back_from_the_result_page_returns_to_the_step_left(store_path: Path) -> None:
    at, _ = with_draft(store_path, mining_case(), "工作业绩")
    at.query_params.pop("step", None)
    at.switch_page("ui/pages/result.py").run()
    at.query_params.pop("step", None)  # switching pages drops the step from the URL, as a browser does
    at.switch_page("ui/pages/fill.py").run()
    no_exceptions(at)
    assert at.session_state[f"step:{MINING}"] == "工作业绩"


def test_a_step_saves_its_changes_once_after_drawing_its_totals(store_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """Two answers changed in one run: one save, at the end of the step (ui.state.saves_at_end); without it,
    each answer saved on its own, before the totals were drawn."""
    import ui.state

    at, draft = with_draft(store_path, mining_case(), "经历与能力")
    saves: list[Any] = []
    real = ui.state.persist

    def counted(slot: Any, *, redraw: bool = True) -> bool:
        saves.append(slot)
        return real(slot, redraw=redraw)

    monkeypatch.setattr(ui.state, "persist", counted)
    before = SqliteDraftStore(store_path).load(draft).version  # type: ignore[union-attr]
    at.text_input(key=f"{MINING}.years_in_title").set_value("6")
    at.text_input(key=f"{MINING}.frontline_years").set_value("3")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    after = SqliteDraftStore(store_path).load(draft)
    assert after is not None and after.version == before + 1 and len(saves) == 1
    assert (after.data["answers"]["years_in_title"], after.data["answers"]["frontline_years"]) == ("6", "3")
