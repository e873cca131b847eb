"""Issue 11: the CLI's pooled batch (compact rows from worker processes, cross checks in the parent) gives
exactly what scoring every file one after another gives: the same table, flags, errors, ranks and places."""

from __future__ import annotations

import copy
import io
import pickle
import subprocess
import sys
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from batchgen import MAIN_ITEM, clean, hard_population, lead_pair, population
from helpers import ROOT
from packetkit import mining_packet, one_byte_changed, rezip

from scorer import SheetLibrary
from scorer.batch import Batch, PathReader, Source, run_batch, sources_from_bytes
from scorer.batchpool import SERIAL_BELOW, run_rows
from scorer.batchrow import compact
from scorer.checks import LeadConflict
from scorer.export import batch_table, batch_xlsx
from scorer.flags import FlagSettings
from scorer.serialize import to_yaml

YONGJIA = "yongjia-construction-junior-2021"
SHARED_TITLE = "瓯北镇共同牵头示范工程"


def _claims(hard: bool = True) -> list[dict[str, Any]]:
    """Every generated applicant three times over (names kept apart), so one shared title has six claimants of
    its own plus the pair's; one yongjia applicant per 申报专业 group is not enough for a cut, so there are many."""
    out: list[dict[str, Any]] = []
    for copy_no in range(3):
        for _, data in population():
            out.append(_renamed(data, f"-{copy_no}"))
        for *_, data in hard_population() if hard else []:
            out.append(_renamed(data, f"-{copy_no}"))
    # eight applicants leading one title: each flag names five others and says how many more
    for i in range(4):
        pair = lead_pair(YONGJIA, f"共同甲{i}", f"共同乙{i}")
        assert pair is not None
        for data in pair:
            data["answers"][MAIN_ITEM[YONGJIA]][0]["title"] = SHARED_TITLE
        out += pair
    return out


def _renamed(data: dict[str, Any], suffix: str) -> dict[str, Any]:
    """The same claim under another name (its titles stay as they are: the copies share achievements)."""
    out = copy.deepcopy(data)
    out["applicant"]["name"] += suffix
    return out


def _packets(library: SheetLibrary) -> dict[str, bytes]:
    """Applicants' packets: one intact, one with a document changed by a byte, one with a document missing."""
    packets = {name: mining_packet(library, name).archive for name in ("包甲", "包乙", "包丙")}
    packets["包乙"] = rezip(packets["包乙"], lambda n, d: one_byte_changed(d) if n.startswith("2-1-3") else d)
    packets["包丙"] = rezip(packets["包丙"], lambda n, d: None if n.startswith("3-1-1") else d)
    return {f"{name}-附件.zip": raw for name, raw in packets.items()}


def _sources(claims: list[dict[str, Any]], library: SheetLibrary) -> list[Source]:
    sources = [Source(f"申报{i:04d}.yaml", text=to_yaml(d)) for i, d in enumerate(claims)]
    sources.insert(7, Source("坏文件.yaml", text="sheet: [未闭合"))
    sources.insert(50, Source("未知表.json", text='{"sheet": "no-such-sheet"}'))
    for at, (name, raw) in zip((3, 70, 140), _packets(library).items(), strict=True):
        packet, errors = sources_from_bytes(name, raw, library.sheets)
        assert errors == [] and packet[0].packet is not None
        sources[at:at] = packet  # in different chunks of the pool
    return sources


def _view(batch: Batch[Any]) -> tuple[Any, ...]:
    rows = [(r.source, r.name, r.person, r.unit, r.level, r.sheet.id, r.rank, r.place, r.rank_facts(), r.packet,
             [(f.code, f.label, f.reason, f.entries, f.text(), f.tag()) for f in r.flags]) for r in batch.rows]
    ranked = [(x.sheet_id, sorted(x.places.values(), key=repr), x.groups) for x in batch.ranked]
    return rows, batch_table(batch.rows), [(e.source, e.lines) for e in batch.errors], ranked


@pytest.fixture(scope="module")
def runs(library: SheetLibrary) -> dict[str, Batch[Any]]:
    sources = _sources(_claims(), library)
    assert len(sources) > SERIAL_BELOW  # the pool really starts
    return {"full": run_batch(sources, library.sheets), "serial": run_rows(sources, library.sheets, workers=1),
            "pooled": run_rows(sources, library.sheets, workers=2)}


def test_pooled_batch_gives_exactly_the_serial_table_flags_errors_and_ranks(runs: dict[str, Batch[Any]]) -> None:
    full, serial, pooled = (_view(runs[k]) for k in ("full", "serial", "pooled"))
    assert serial == full
    assert pooled == serial
    rows, _, errors, ranked = pooled
    assert [e[0] for e in errors] == ["坏文件.yaml", "未知表.json"]
    assert any(place is not None and place.status for *_, place, _, _, _ in rows)  # the exam cut ran
    assert ranked and all(groups for *_, groups in ranked)
    codes = {code for *_, flags in rows for code, *_ in flags}
    assert codes == {"ignored", "no_evidence", "duplicate", "lead_conflict", "padding", "just_over", "contradiction",
                     "invalid", "unbacked", "packet_mismatch"}
    tags = {name: [tag for code, *_, tag in flags if code in ("unbacked", "packet_mismatch")]
            for _, name, *_, packet, flags in rows if packet is not None}
    assert tags == {"包甲": ["无佐证计分 29 分"], "包乙": ["附件不符 1 份", "无佐证计分 32 分"],
                    "包丙": ["附件不符 1 份", "无佐证计分 41 分"]}  # tests/test_batch_packets.py counts them


def test_the_batch_xlsx_of_compact_rows_is_the_one_of_full_rows(runs: dict[str, Batch[Any]]) -> None:
    def cells(data: bytes) -> list[list[list[Any]]]:
        book = openpyxl.load_workbook(io.BytesIO(data))
        return [[list(r) for r in ws.iter_rows(values_only=True)] for ws in book.worksheets]

    full, pooled = runs["full"], runs["pooled"]
    assert cells(batch_xlsx(pooled.rows, pooled.errors)) == cells(batch_xlsx(full.rows, full.errors))


def test_a_title_led_by_many_lists_them_once_and_each_flag_names_five_others(runs: dict[str, Batch[Any]]) -> None:
    by_name = {r.name: r for r in runs["pooled"].rows}
    flags = [f for i in range(4) for who in ("甲", "乙") for f in by_name[f"共同{who}{i}"].flags
             if f.code == "lead_conflict"]
    assert len(flags) == 8 and all(isinstance(f, LeadConflict) for f in flags)
    assert len({id(f.shared) for f in flags}) == 1  # one finding for the title, every row pointing to it
    first = by_name["共同甲0"]
    entry = flags[0].entries[0]
    title = SHARED_TITLE
    others = "；".join(f"{who}「{title}」：名称相同" for who in ("共同乙0", "共同甲1", "共同乙1", "共同甲2", "共同乙2"))
    assert flags[0].reason == (f"同一项业绩被 共同甲0、共同乙0、共同甲1、共同乙1、共同甲2、共同乙2 等 8 人 都申报为主持/负责人："
                               f"本人「{title}」，{others}；另有 2 条")
    assert flags[0].text() == f"负责人冲突：{flags[0].reason}（{entry}）"
    assert first.flags[-1] is flags[0]


def test_a_compact_row_travels_without_its_sheet(library: SheetLibrary) -> None:
    row = compact(run_batch([Source("a.yaml", data=clean("cixi-engineering-junior-2021", "甲"))], library.sheets).rows[0])
    back = pickle.loads(pickle.dumps(row))
    assert back.sheet is None and len(pickle.dumps(row)) < 2_000
    assert back.attach(library.sheets) == row and back.sheet is library.sheets["cixi-engineering-junior-2021"]


def test_settings_reach_the_workers(library: SheetLibrary) -> None:
    sources = _sources(_claims(), library)
    only = FlagSettings(enabled=("lead_conflict",))
    pooled = run_rows(sources, library.sheets, only, workers=2)
    assert {f.code for r in pooled.rows for f in r.flags} == {"lead_conflict"}
    assert _view(pooled) == _view(run_batch(sources, library.sheets, settings=only))


def test_cli_prints_the_same_with_one_process_or_two(tmp_path: Path, library: SheetLibrary) -> None:
    folder = tmp_path / "claims"
    folder.mkdir()
    claims = _claims(hard=False)
    assert len(claims) > SERIAL_BELOW
    for i, data in enumerate(claims):
        (folder / f"{i:04d}.yaml").write_text(to_yaml(data), encoding="utf-8")
    (folder / "坏.json").write_text("{", encoding="utf-8")
    for name, raw in _packets(library).items():
        (folder / name).write_bytes(raw)
    outputs = []
    for workers in ("1", "2"):
        done = subprocess.run([sys.executable, "-m", "scorer", "batch", str(folder), "--workers", workers,
                               "--xlsx", str(tmp_path / f"{workers}.xlsx")],
                              cwd=ROOT, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
        outputs.append((done.stdout.replace(f"{workers}.xlsx", "X.xlsx"), done.stderr))
    assert outputs[0] == outputs[1]
    assert "坏.json" in outputs[0][1] and "负责人冲突" in outputs[0][0]
    assert "申报材料包 3 个：佐证文件 18 份，核对一致 16 份，缺少或不符 2 份" in outputs[0][0]
    assert "    - 无佐证计分 32 分：" in outputs[0][0]
    reader = PathReader([folder], SheetLibrary().sheets)
    assert len(list(reader)) == len(claims) + 1 + 3 and reader.errors == []  # 坏.json is read, then refused by the parser
