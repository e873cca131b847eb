"""Issue 10, the batch page with packets: a packet zip uploaded beside a bare claim file and a batch zip of
packets; the table shows 无佐证计分 with its figure and each row's document check, the details name the
changed document, the page says the flag is for packets only, and the threshold setting redoes the flag.
The figures are the hand counts of tests/test_batch_packets.py (29, and 29 + 3 with 立项书 changed)."""

from __future__ import annotations

from pathlib import Path

from helpers import zipped
from packetkit import mining_packet, one_byte_changed, rezip
from streamlit.testing.v1 import AppTest
from test_batch_page import batch_page

from scorer import SheetLibrary


def _page(library: SheetLibrary) -> AppTest:
    intact = mining_packet(library, "甲")
    other = mining_packet(library, "乙")
    tampered = rezip(other.archive, lambda n, d: one_byte_changed(d) if n.startswith("2-1-3") else d)
    files = [("甲-附件.zip", intact.archive, "application/zip"),
             ("丙.yaml", mining_packet(library, "丙").claim_file, "application/x-yaml"),
             ("其他人.zip", zipped({"乙-附件.zip": tampered}), "application/zip")]
    return batch_page(files, timeout=90)


def test_the_table_shows_the_figure_and_the_check_for_packets_only(store_path: Path, library: SheetLibrary) -> None:
    at = _page(library)
    assert next(m.value for m in at.metric if m.label == "申报材料包") == "2"
    assert next(m.value for m in at.metric if m.label == "未能读取的文件") == "0"
    table = at.dataframe[0].value.set_index("申报人")
    assert "无佐证计分 29 分" in table.loc["甲", "标记"].split("、")
    assert {"附件不符 1 份", "无佐证计分 32 分"} <= set(table.loc["乙", "标记"].split("、"))
    assert not {"无佐证计分", "附件不符"} & {t.split(" ")[0] for t in table.loc["丙", "标记"].split("、")}
    assert table.loc["甲", "佐证核对"] == "佐证文件 6 份，核对一致 6 份"
    assert table.loc["乙", "佐证核对"] == "佐证文件 6 份，核对一致 5 份，缺少或不符 1 份"
    assert table.loc["丙", "佐证核对"] == "未载入材料包"
    assert table.loc["乙", "来源"] == "其他人.zip/乙-附件.zip/申报文件.yaml"
    captions = " ".join(c.value for c in at.caption)
    assert "单独的申报文件和名册没有附带文件，不作这两项核查与标记" in captions
    details = " ".join(m.value for m in at.markdown)
    assert "2\\-1\\-3 立项书\\.pdf（主持或参与的矿山工程项目 第3条「某矿山边坡治理工程」）" in details
    assert "SHA\\-256 应为" in details


def test_the_threshold_redoes_the_flag(store_path: Path, library: SheetLibrary) -> None:
    at = _page(library)
    at.text_input(key="batch-unbacked").set_value("30").run()
    assert not at.exception
    table = at.dataframe[0].value.set_index("申报人")
    assert "无佐证计分" not in table.loc["甲", "标记"]  # 29 is not over 30
    assert "无佐证计分 32 分" in table.loc["乙", "标记"].split("、")
    at.checkbox(key="batch-flag-on-packet_mismatch").uncheck().run()
    assert "附件不符" not in at.dataframe[0].value.set_index("申报人").loc["乙", "标记"]
