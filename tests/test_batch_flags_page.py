"""Issue 12, the batch page: each flag kind with its one-line explanation and a switch; the settings redo the
flags (not the scores); an invalid setting is said so in Chinese and the last valid settings stay."""

from __future__ import annotations

from pathlib import Path

from batchgen import hard_population
from streamlit.testing.v1 import AppTest
from test_batch_page import batch_page

from scorer.flags import FLAG_KINDS
from scorer.serialize import to_yaml


def _page() -> AppTest:
    pop = hard_population()
    picked = [d for kind, _, d in pop if kind in ("dup_near", "placeholder")][:8] + [d for kind, _, d in pop if not kind][:4]
    files = [(f"{i}.yaml", to_yaml(d).encode(), "application/x-yaml") for i, d in enumerate(picked)]
    return batch_page(files, timeout=90)


def _flagged(at: AppTest) -> str:
    return next(m.value for m in at.metric if m.label == "有标记")


def test_kinds_are_explained_and_switch_off(store_path: Path) -> None:
    at = _page()
    captions = [c.value for c in at.caption]
    for label, words in FLAG_KINDS.values():
        assert at.checkbox(key=next(f"batch-flag-on-{c}" for c, (lb, _) in FLAG_KINDS.items() if lb == label)).label == label
        assert words in captions
    assert _flagged(at) == "8"
    table = at.dataframe[0].value
    assert set(table["标记"]) == {"重复申报", "未列佐证", ""}
    at.checkbox(key="batch-flag-on-duplicate").uncheck().run()
    assert _flagged(at) == "6"  # the placeholder files: 待补, 见附件, 无 on two sheets
    assert "重复申报" not in set(at.dataframe[0].value["标记"])
    at.text_input(key="batch-similarity").set_value("1").run()
    at.checkbox(key="batch-flag-on-duplicate").check().run()
    assert _flagged(at) == "6"  # near-identical titles are no longer the same at 1.00
    at.text_area(key="batch-placeholders").set_value("待补").run()
    assert _flagged(at) == "2"  # 见附件 and 无 are taken as names now: only 待补 is a placeholder


def test_an_invalid_setting_keeps_the_last_valid_ones(store_path: Path) -> None:
    at = _page()
    at.text_area(key="batch-suffixes").set_value("工程\n" + "很长" * 20).run()
    assert not at.exception
    assert any(e.value.startswith("标记设置有误，仍按上一次的设置标记：比对名称时去掉的通用后缀") for e in at.error)
    assert _flagged(at) == "8"


def test_a_setting_is_typed_as_exact_text_and_a_wrong_one_stays_with_its_reason(store_path: Path) -> None:
    at = _page()
    assert not at.number_input  # no float widget decides a threshold
    at.text_input(key="batch-similarity").set_value("0.9a").run()
    assert not at.exception
    assert at.text_input(key="batch-similarity").value == "0.9a"  # kept as typed
    assert any("名称相似度" in m.value and "数字" in m.value for m in at.markdown)
    assert any(e.value.startswith("标记设置有误（见上方红字）") for e in at.error)
    assert _flagged(at) == "8"
    at.text_input(key="batch-similarity").set_value("1.5").run()  # out of range: said, the last settings stay
    assert any("不能超过 1（填写了 1.5）" in m.value for m in at.markdown) and _flagged(at) == "8"
    at.text_input(key="batch-similarity").set_value("1.00").run()
    assert _flagged(at) == "6" and not any(e.value.startswith("标记设置有误") for e in at.error)  # 1.00 taken
