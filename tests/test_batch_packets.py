"""Issue 10, the packet in the unit's batch: a packet zip (claim file + documents) is scored, every listed
document checked by SHA-256 and size, and the points without a checked document flagged (无佐证计分).

The packets are the mining worked example's first case (80 points; tests/packetkit.py) with six documents.
The hand count, by the sheet and the proof split's rule (scorer/proof.py):

- 经历与能力 19: 学历 6 backed (1-1-1 毕业证书); 任现职 5 + 一线 4 + 继续教育 2 + 执业资格 2 = 13 with nothing
  (未列佐证).
- 工作业绩: 矿山项目 36.2 = 第1条 30 (2-1-1 合同, 2-1-2 人员名单) + 第3条 3 (2-1-3 立项书) backed, 第2条 3.2 with
  only 合同.pdf typed (仅列名称); 科研 10.4 → 10, names typed only; the section's cap of 45 takes 1.2 from the
  unproven (none) then from the listed: backed 33, listed 3.2 + 10 − 1.2 = 12.
- 成果与影响 16: 奖项 12 backed (3-1-1 获奖证书.png), 论文 4 listed.

Backed 6 + 33 + 12 = 51, so 无佐证计分 = 80 − 51 = 29 (仅列名称 16, 未列佐证 13). A document that fails its
check counts as not attached: the award's PNG changed → its 12 points are only listed: 29 + 12 = 41; the
first project's two files gone → its 30 points are listed: 29 + 30 = 59; only 人员名单 gone → 合同 still backs
the project, 29 stays (and 附件不符 names the missing file).
"""

from __future__ import annotations

import copy
import hashlib
import io
import subprocess
import sys
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from helpers import CASES_DIR, ROOT, zipped
from packetkit import Built, mining_packet, one_byte_changed, rezip

from scorer import SheetLibrary
from scorer.batch import NESTED_ZIP, Source, run_batch, sources_from_bytes, sources_from_paths
from scorer.cases import case_claims, load_case_file
from scorer.checks import Checked, reflag
from scorer.export import batch_xlsx
from scorer.flags import FlagSettings
from scorer.packetload import Budget
from scorer.serialize import to_yaml

D = Decimal


@pytest.fixture(scope="module")
def packet(library: SheetLibrary) -> Built:
    return mining_packet(library, "甲")


def checked(library: SheetLibrary, name: str, raw: bytes, settings: FlagSettings | None = None) -> list[Checked]:
    sources, errors = sources_from_bytes(name, raw, library.sheets)
    assert errors == []
    return run_batch(sources, library.sheets, settings=settings or FlagSettings()).rows


def flag(row: Checked, code: str) -> Any:
    found = [f for f in row.flags if f.code == code]
    return found[0] if found else None


def test_an_intact_packet_is_one_applicant_whose_unchecked_points_are_the_hand_count(library: SheetLibrary,
                                                                                    packet: Built) -> None:
    (row,) = checked(library, "甲-附件.zip", packet.archive)
    assert row.source == "甲-附件.zip/申报文件.yaml" and row.name == "甲" and row.result.total == 80
    assert row.packet is not None and [d.number for d in row.packet.documents] == [
        "0-0-1", "1-1-1", "2-1-1", "2-1-2", "2-1-3", "3-1-1"]
    assert row.packet.failed == [] and row.packet.unlisted == ()
    assert row.packet.summary() == "佐证文件 6 份，核对一致 6 份"
    assert flag(row, "packet_mismatch") is None
    unbacked = flag(row, "unbacked")
    assert unbacked.tag() == "无佐证计分 29 分"
    assert unbacked.reason == ("计入总分的 29 分没有经核对的佐证文件：仅列名称 16 分、未列佐证 13 分"
                               "（有佐证 51 分；下列各项合计 30.2 分，部分封顶扣去其中 1.2 分）")
    assert unbacked.entries == [
        "任现职年限 5 分", "矿山一线工作年限 4 分", "近三年专业科目继续教育超出规定学时 2 分", "执业资格 2 分",
        "主持或参与的矿山工程项目 3.2 分：第2条「某石灰石矿技改工程」",
        "科研项目 10 分：第1条「深凹露天矿边坡稳定研究」、第2条「小型矿山安全监测」",
        "论文著作 4 分：第1条「露天矿爆破振动控制」"]
    assert unbacked.text().startswith("无佐证计分 29 分：计入总分的 29 分")


def test_a_document_changed_by_one_byte_is_named_and_counts_as_not_attached(library: SheetLibrary,
                                                                           packet: Built) -> None:
    changed: dict[str, bytes] = {}

    def change(name: str, data: bytes) -> bytes:
        if name == "3-1-1_获奖证书.png":
            changed[name] = one_byte_changed(data)
            return changed[name]
        return data

    (row,) = checked(library, "甲-附件.zip", rezip(packet.archive, change))
    found = hashlib.sha256(changed["3-1-1_获奖证书.png"]).hexdigest()
    expected = packet.refs["3-1-1"]["sha256"]
    mismatch = flag(row, "packet_mismatch")
    assert mismatch.tag() == "附件不符 1 份"
    assert mismatch.entries == [f"3-1-1 获奖证书.png（科技奖励 第1条「矿山安全科技奖」）：「3-1-1_获奖证书.png」"
                                f"与申报文件所列不符（内容已改动或换过）：SHA-256 应为 {expected[:12]}…，实际为 {found[:12]}…"]
    assert flag(row, "unbacked").tag() == "无佐证计分 41 分"  # 29 + the award's 12
    assert row.result.total == 80  # a flag never changes a score


def test_missing_documents_are_named_and_their_entry_loses_its_proof(library: SheetLibrary, packet: Built) -> None:
    both = rezip(packet.archive, lambda name, data: None if name.startswith(("2-1-1", "2-1-2")) else data)
    (row,) = checked(library, "甲-附件.zip", both)
    where = "（主持或参与的矿山工程项目 第1条「某铁矿露天转地下开采工程」）：材料包中没有这份文件"
    assert flag(row, "packet_mismatch").entries == [f"2-1-1 合同.pdf{where}（应为「2-1-1_合同.pdf」）",
                                                    f"2-1-2 人员名单.pdf{where}（应为「2-1-2_人员名单.pdf」）"]
    assert flag(row, "unbacked").tag() == "无佐证计分 59 分"  # 29 + the first project's 30
    assert row.packet is not None and row.packet.summary() == "佐证文件 6 份，核对一致 4 份，缺少或不符 2 份"
    one = rezip(packet.archive, lambda name, data: None if name.startswith("2-1-2") else data)
    (row,) = checked(library, "甲-附件.zip", one)
    assert flag(row, "packet_mismatch").tag() == "附件不符 1 份"
    assert flag(row, "unbacked").tag() == "无佐证计分 29 分"  # 合同 still backs the first project


def test_a_renamed_copy_is_the_same_document_and_an_extra_file_proves_nothing(library: SheetLibrary,
                                                                            packet: Built) -> None:
    src = zipfile.ZipFile(io.BytesIO(packet.archive))
    members = {("合同（扫描件）.pdf" if n == "2-1-1_合同.pdf" else n): src.read(n) for n in src.namelist()}
    members["说明.txt"] = "材料说明".encode()
    (row,) = checked(library, "甲-附件.zip", zipped(members))
    assert row.packet is not None and row.packet.failed == [] and row.packet.unlisted == ("说明.txt",)
    assert flag(row, "unbacked").tag() == "无佐证计分 29 分"
    assert "另有 1 份未在申报文件中列出（不作为佐证）" in row.packet.summary()


def test_a_size_that_differs_from_the_listed_one_is_a_mismatch(library: SheetLibrary, packet: Built) -> None:
    text = packet.claim_file.decode()
    size = packet.refs["1-1-1"]["size"]
    claim = text.replace(f"size: {size}\n", f"size: {size + 1}\n", 1).encode()
    assert claim != packet.claim_file
    (row,) = checked(library, "甲-附件.zip", rezip(packet.archive, lambda n, d: claim if n == "申报文件.yaml" else d))
    assert flag(row, "packet_mismatch").entries == [
        f"1-1-1 毕业证书.pdf（学历学位）：「1-1-1_毕业证书.pdf」的大小应为 {size + 1} 字节，实际为 {size} 字节"
        "（SHA-256 相同，申报文件所列大小有误）"]
    assert flag(row, "unbacked").tag() == "无佐证计分 35 分"  # 学历's 6 points without a checked document


def test_a_bare_claim_file_never_gets_the_packet_flags(library: SheetLibrary, packet: Built) -> None:
    """The same claim file, listing the same six documents, alone or in a zip without them: no packet, no flag."""
    for name, raw in (("甲.yaml", packet.claim_file), ("甲.zip", zipped({"甲.yaml": packet.claim_file}))):
        (row,) = checked(library, name, raw)
        assert row.packet is None
        assert {f.code for f in row.flags} & {"unbacked", "packet_mismatch"} == set()
        reflag([row], FlagSettings(unbacked_points=D(0)))  # the page redoes the flags: still none
        assert {f.code for f in row.flags} & {"unbacked", "packet_mismatch"} == set()


def test_the_threshold_and_the_switches_decide(library: SheetLibrary, packet: Built) -> None:
    rows = checked(library, "甲-附件.zip", packet.archive)
    reflag(rows, FlagSettings(unbacked_points=D(29)))
    assert flag(rows[0], "unbacked") is None  # 29 is not over 29
    reflag(rows, FlagSettings(unbacked_points=D("28.9999")))
    assert flag(rows[0], "unbacked").tag() == "无佐证计分 29 分"
    reflag(rows, FlagSettings(enabled=("no_evidence", "packet_mismatch", "just_over")))
    assert [f.code for f in rows[0].flags] == ["just_over"]  # 未列佐证 looks at typed names: every counted entry has one


def test_packets_nested_in_the_batch_zip_each_report_their_own(library: SheetLibrary, packet: Built) -> None:
    other = mining_packet(library, "乙")
    tampered = rezip(other.archive, lambda n, d: one_byte_changed(d) if n.startswith("2-1-3") else d)
    inner_zip = rezip(packet.archive, lambda n, d: d)
    deep = zipped({"申报文件.yaml": packet.claim_file, "2-1-1_合同.pdf": b"%PDF-1.4", "更深.zip": inner_zip})
    batch_zip = zipped({"甲-附件.zip": packet.archive, "各人/乙-附件.zip": tampered,
                        "丙.yaml": mining_packet(library, "丙").claim_file, "丁-附件.zip": deep,
                        "__MACOSX/._甲-附件.zip": b"\0\5\26\7"})
    sources, errors = sources_from_bytes("全部.zip", batch_zip, library.sheets)
    assert [s.name for s in sources] == ["全部.zip/甲-附件.zip/申报文件.yaml", "全部.zip/各人/乙-附件.zip/申报文件.yaml",
                                         "全部.zip/丙.yaml"]
    assert [(e.source, e.lines) for e in errors] == [("全部.zip/丁-附件.zip", [f"全部.zip/丁-附件.zip：{NESTED_ZIP}"])]
    rows = {r.name: r for r in run_batch(sources, library.sheets).rows}
    assert flag(rows["甲"], "unbacked").tag() == "无佐证计分 29 分" and flag(rows["甲"], "packet_mismatch") is None
    assert flag(rows["乙"], "unbacked").tag() == "无佐证计分 32 分"  # 29 + the third project's 3
    assert [e.split("：")[0] for e in flag(rows["乙"], "packet_mismatch").entries] == [
        "2-1-3 立项书.pdf（主持或参与的矿山工程项目 第3条「某矿山边坡治理工程」）"]
    assert rows["丙"].packet is None and flag(rows["丙"], "unbacked") is None


def test_a_nested_packet_with_an_unsafe_path_is_refused_and_the_others_go_on(library: SheetLibrary,
                                                                           packet: Built) -> None:
    evil = zipped({"申报文件.yaml": packet.claim_file, "../../etc/2-1-1_合同.pdf": b"x"})
    sources, errors = sources_from_bytes("全部.zip", zipped({"坏-附件.zip": evil, "甲-附件.zip": packet.archive}),
                                         library.sheets)
    assert [s.name for s in sources] == ["全部.zip/甲-附件.zip/申报文件.yaml"]
    assert errors[0].source == "全部.zip/坏-附件.zip" and "不安全的路径" in errors[0].lines[0]


def test_packets_together_may_unpack_to_the_budget_only(library: SheetLibrary, packet: Built) -> None:
    documents = sum(zipfile.ZipFile(io.BytesIO(packet.archive)).getinfo(n).file_size
                    for n in zipfile.ZipFile(io.BytesIO(packet.archive)).namelist() if n != "申报文件.yaml")
    batch_zip = zipped({"甲-附件.zip": packet.archive, "甲2-附件.zip": packet.archive})
    sources, errors = sources_from_bytes("全部.zip", batch_zip, library.sheets, budget=Budget(documents * 3 // 2))
    assert [s.name for s in sources] == ["全部.zip/甲-附件.zip/申报文件.yaml"]
    assert errors[0].source == "全部.zip/甲2-附件.zip" and "合计超过" in errors[0].lines[0]


def test_a_damaged_document_is_reported_unreadable_not_fatal(library: SheetLibrary, packet: Built) -> None:
    src = zipfile.ZipFile(io.BytesIO(packet.archive))
    contract = src.read("2-1-1_合同.pdf")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as out:  # stored as it is, so its bytes can be found
        for n in src.namelist():
            out.writestr(n, src.read(n))
    raw = bytearray(buf.getvalue())
    raw[raw.index(contract) + len(contract) // 2] ^= 0x01  # the CRC in the zip no longer matches
    (row,) = checked(library, "甲-附件.zip", bytes(raw))
    assert flag(row, "packet_mismatch").entries == [
        "2-1-1 合同.pdf（主持或参与的矿山工程项目 第1条「某铁矿露天转地下开采工程」）：材料包中的「2-1-1_合同.pdf」无法读取："
        "文件已损坏（校验和不符），无法读取；请重新打包后上传"]
    assert flag(row, "unbacked").tag() == "无佐证计分 29 分"  # 人员名单 still backs the first project


def test_documents_are_only_hashed_never_opened(library: SheetLibrary, packet: Built,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    import PIL.Image
    import pypdf

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a packet's document was opened")

    monkeypatch.setattr(pypdf.PdfReader, "__init__", refuse)
    monkeypatch.setattr(PIL.Image, "open", refuse)
    monkeypatch.setattr("scorer.attachments.inspect", refuse)
    (row,) = checked(library, "甲-附件.zip", packet.archive)
    assert row.packet is not None and row.packet.failed == []


def test_the_batch_xlsx_shows_the_figure(library: SheetLibrary, packet: Built) -> None:
    sources, _ = sources_from_bytes("甲-附件.zip", packet.archive, library.sheets)
    sources.append(Source("丙.yaml", text=mining_packet(library, "丙").claim_file.decode()))
    batch = run_batch(sources, library.sheets)
    book = openpyxl.load_workbook(io.BytesIO(batch_xlsx(batch.rows, batch.errors)))
    table = list(book["复核总表"].iter_rows(values_only=True))
    column = table[0].index("标记")
    assert "无佐证计分 29 分：计入总分的 29 分没有经核对的佐证文件" in table[1][column]
    assert "无佐证计分" not in table[2][column]  # the bare claim file
    details = [r for r in book["标记明细"].iter_rows(values_only=True) if r[2] == "无佐证计分"]
    assert [(r[0], r[3].startswith("计入总分的 29 分没有经核对的佐证文件")) for r in details] == [("甲", True)]
    settings = {r[0]: r[1] for r in book["标记设置"].iter_rows(values_only=True)}
    assert settings["无佐证计分（超过）"] == "0" and settings["标记：无佐证计分"] == "启用"


def test_cli_reads_packets_in_a_folder(tmp_path: Path, library: SheetLibrary, packet: Built) -> None:
    folder = tmp_path / "材料"
    folder.mkdir()
    (folder / "甲-附件.zip").write_bytes(packet.archive)
    (folder / "乙-附件.zip").write_bytes(rezip(mining_packet(library, "乙").archive,
                                              lambda n, d: None if n.startswith("3-1-1") else d))
    (folder / "丙.yaml").write_bytes(mining_packet(library, "丙").claim_file)
    assert len(sources_from_paths([folder], library.sheets)[0]) == 3
    done = subprocess.run([sys.executable, "-m", "scorer", "batch", str(folder), "--workers", "1"],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "申报材料包 2 个：佐证文件 12 份，核对一致 11 份，缺少或不符 1 份（单独的申报文件不核查佐证文件）" in out
    assert "    - 无佐证计分 29 分：计入总分的 29 分" in out and "    - 无佐证计分 41 分：" in out
    assert "    - 附件不符 1 份：申报文件所列的 1 份佐证文件在材料包中缺少或不符" in out
    assert "3-1-1 获奖证书.png（科技奖励 第1条「矿山安全科技奖」）：材料包中没有这份文件（应为「3-1-1_获奖证书.png」）" in out
    lines = out.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("  丙（"))
    end = next(i for i in range(start + 1, len(lines)) if not lines[i].startswith("    - "))
    bare = lines[start + 1:end]  # the bare claim file's own flags, up to the next applicant
    assert bare and not any("无佐证计分" in line or "附件不符" in line for line in bare)


def test_a_file_name_never_brings_control_characters_into_a_message(library: SheetLibrary, packet: Built) -> None:
    data = copy.deepcopy(packet.data)
    data["answers"]["mine_projects"][0]["files"][0]["name"] = "合同\x1b[2J\n.pdf"  # clears a terminal, breaks a line
    claim = to_yaml(data).encode()
    raw = rezip(packet.archive, lambda n, d: claim if n == "申报文件.yaml" else None if n.startswith("2-1-1") else d)
    (row,) = checked(library, "甲-附件.zip", raw)
    assert flag(row, "packet_mismatch").entries == [
        "2-1-1 合同?[2J?.pdf（主持或参与的矿山工程项目 第1条「某铁矿露天转地下开采工程」）：材料包中没有这份文件"
        "（应为「2-1-1_合同_[2J_.pdf」）"]


def unzipped(archive: bytes, folder: Path) -> Path:
    """A packet as a unit leaves it after extracting the zip: its files in a folder of their own."""
    folder.mkdir(parents=True)
    zipfile.ZipFile(io.BytesIO(archive)).extractall(folder)
    return folder


def test_an_unzipped_packet_folder_is_read_as_its_zip(tmp_path: Path, library: SheetLibrary, packet: Built) -> None:
    """A folder holding what a packet zip holds is that applicant, its documents checked: the same row and the
    same flags as the zip gives, and none of its documents reported as a file the batch could not read."""
    batch = tmp_path / "批次"
    unzipped(packet.archive, batch / "甲-附件")
    unzipped(rezip(mining_packet(library, "乙").archive, lambda n, d: None if n.startswith("3-1-1") else d),
             batch / "乙-附件")
    (batch / "丙.yaml").write_bytes(mining_packet(library, "丙").claim_file)
    sources, errors = sources_from_paths([batch], library.sheets)
    assert errors == [] and [s.name for s in sources] == [
        str(batch / "丙.yaml"), str(batch / "乙-附件" / "申报文件.yaml"), str(batch / "甲-附件" / "申报文件.yaml")]
    rows = {row.name: row for row in run_batch(sources, library.sheets, settings=FlagSettings()).rows}
    assert rows["甲"].packet is not None and rows["甲"].packet.summary() == "佐证文件 6 份，核对一致 6 份"
    assert flag(rows["甲"], "unbacked").tag() == "无佐证计分 29 分"
    (alone,) = run_batch(sources_from_paths([batch / "甲-附件"], library.sheets)[0], library.sheets,
                         settings=FlagSettings()).rows  # the folder named on its own, as the zip is below
    (zipped,) = checked(library, "甲-附件.zip", packet.archive)
    assert alone.packet == rows["甲"].packet and alone.result.total == zipped.result.total == 80
    assert [f.text() for f in alone.flags] == [f.text() for f in zipped.flags]
    assert flag(rows["乙"], "packet_mismatch").entries == [
        "3-1-1 获奖证书.png（科技奖励 第1条「矿山安全科技奖」）：材料包中没有这份文件（应为「3-1-1_获奖证书.png」）"]
    assert rows["丙"].packet is None  # a claim file on its own: no packet, as before


def test_a_folder_that_is_no_packet_is_read_file_by_file(tmp_path: Path, library: SheetLibrary, packet: Built) -> None:
    """Two claim files beside a PDF, or a claim file that lists no documents beside one: no packet; the PDF is
    a file the batch does not read, said once, and each claim file is scored on its own."""
    two = tmp_path / "两份"
    two.mkdir()
    (two / "甲.yaml").write_bytes(packet.claim_file)
    (two / "乙.yaml").write_bytes(mining_packet(library, "乙").claim_file)
    (two / "说明.pdf").write_bytes(b"%PDF-1.4 not a claim")
    bare = tmp_path / "无附件"
    bare.mkdir()
    case_file, parsed = load_case_file(CASES_DIR / "zhejiang-mining-senior-2021.yaml")
    (bare / "丁.yaml").write_text(to_yaml(case_claims(case_file, parsed, 0).data), encoding="utf-8")
    (bare / "扫描件.pdf").write_bytes(b"%PDF-1.4 scan")
    sources, errors = sources_from_paths([two, bare], library.sheets)
    assert [s.packet for s in sources] == [None, None, None]
    assert {e.source for e in errors} == {str(bare / "扫描件.pdf"), str(two / "说明.pdf")}


def test_a_packet_folder_whose_claim_file_cannot_be_read_is_one_error(tmp_path: Path, library: SheetLibrary,
                                                                     packet: Built) -> None:
    folder = unzipped(packet.archive, tmp_path / "甲-附件")
    claim = folder / "申报文件.yaml"
    claim.write_bytes(claim.read_bytes() + b"#" * (10 * 1024 * 1024))  # over the 10 MB a claim file may have
    sources, errors = sources_from_paths([folder], library.sheets)
    assert sources == [] and [e.source for e in errors] == [str(claim)]  # its documents not listed one by one
    assert "文件过大" in errors[0].lines[0]


def test_a_packet_folder_document_over_the_limit_is_named_not_read(tmp_path: Path, library: SheetLibrary,
                                                                  packet: Built, monkeypatch: pytest.MonkeyPatch) -> None:
    import scorer.batch

    folder = unzipped(packet.archive, tmp_path / "甲-附件")
    monkeypatch.setattr(scorer.batch, "MAX_DOCUMENT_BYTES", 500)  # the diploma PDF is larger than this
    assert next(p for p in folder.iterdir() if p.name.startswith("1-1-1")).stat().st_size > 500
    (row,) = run_batch(sources_from_paths([folder], library.sheets)[0], library.sheets, settings=FlagSettings()).rows
    assert row.packet is not None
    (failed,) = [d for d in row.packet.failed if d.number == "1-1-1"]
    assert "文件过大" in failed.problem and "不能超过" in failed.problem


def test_a_batch_folder_with_one_loose_claim_file_is_no_packet(tmp_path: Path, library: SheetLibrary,
                                                               packet: Built) -> None:
    """批次/ holding 丙.yaml, a notice and 甲's packet folder is a batch, as the same files zipped are (a zip that
    holds a zip is no packet): 丙 is a claim file on its own, the notice is said unread, 甲 is its packet."""
    batch = tmp_path / "批次"
    unzipped(packet.archive, batch / "甲-附件")
    (batch / "丙.yaml").write_bytes(mining_packet(library, "丙").claim_file)
    (batch / "通知.pdf").write_bytes(b"%PDF-1.4 notice")
    sources, errors = sources_from_paths([batch], library.sheets)
    assert [(s.name, s.packet is not None) for s in sources] == [
        (str(batch / "丙.yaml"), False), (str(batch / "甲-附件" / "申报文件.yaml"), True)]
    assert [e.source for e in errors] == [str(batch / "通知.pdf")]


def test_a_document_in_a_folder_named_with_a_full_width_colon_keeps_its_whole_reason(
        tmp_path: Path, library: SheetLibrary, packet: Built, monkeypatch: pytest.MonkeyPatch) -> None:
    import scorer.batch

    folder = unzipped(packet.archive, tmp_path / "2024年：第一批" / "甲-附件")
    monkeypatch.setattr(scorer.batch, "MAX_DOCUMENT_BYTES", 500)
    (row,) = run_batch(sources_from_paths([folder], library.sheets)[0], library.sheets, settings=FlagSettings()).rows
    (failed,) = [d for d in row.packet.failed if d.number == "1-1-1"]  # type: ignore[union-attr]
    assert "第一批" not in failed.problem and failed.problem.startswith("材料包中的「1-1-1_毕业证书.pdf」无法读取：文件过大")
