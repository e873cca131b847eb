"""Issue 9, batch inputs: nothing a clerk uploads stops a batch, each refusal says why in Chinese.

Every malformed input below is scored in one batch beside a good claim file: the good one is
scored, the bad one is listed with a Chinese reason. An xlsx is a zip and gets the archive
limits; the CLI checks a file's size before it reads it.
"""

from __future__ import annotations

import io
import os
import re
import resource
import struct
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from batchgen import clean
from helpers import ROOT, zipped

from scorer import SheetLibrary
from scorer.batch import (
    MAX_XLSX_PART_BYTES,
    InputError,
    read_limited,
    roster_rows,
    run_batch,
    sources_from_bytes,
    sources_from_paths,
)
from scorer.serialize import to_yaml

SHEET = "cixi-engineering-junior-2021"
CJK = re.compile(r"[\u4e00-\u9fff]")


def good_claim() -> tuple[str, bytes]:
    return "好.yaml", to_yaml(clean(SHEET, "好人")).encode()


def _patch_headers(raw: bytes, local_offset: int, central_offset: int, fmt: str, value: int) -> bytes:
    """Set one field of the (single) member's local header and central directory entry."""
    out = bytearray(raw)
    struct.pack_into(fmt, out, raw.index(b"PK\x03\x04") + local_offset, value)
    struct.pack_into(fmt, out, raw.rindex(b"PK\x01\x02") + central_offset, value)
    return bytes(out)


def one_member_zip(name: str, data: bytes) -> bytes:
    return zipped({name: data}, zipfile.ZIP_STORED)


def bad_crc_zip() -> bytes:
    raw = bytearray(one_member_zip("坏.yaml", to_yaml(clean(SHEET, "坏人")).encode()))
    at = bytes(raw).index("坏人".encode())
    raw[at] ^= 0x01  # the stored bytes no longer match the CRC in the headers
    return bytes(raw)


def encrypted_zip() -> bytes:
    raw = one_member_zip("密.yaml", b"sheet: x\n")
    return _patch_headers(raw, 6, 8, "<H", 0x1)  # general purpose bit 0: encrypted


def odd_method_zip() -> bytes:
    raw = one_member_zip("怪.yaml", b"sheet: x\n")
    return _patch_headers(raw, 8, 10, "<H", 99)  # compression method 99 (AES and the like)


def roster_book(value: object = "大专", extra: Callable[[openpyxl.Workbook], None] | None = None) -> bytes:
    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["申报人", "评分表", "类别", "编号", "值"])
    ws.append(["张三", SHEET, "项目", "education", value])
    if extra:
        extra(book)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def rewrite(raw: bytes, part: str, change: Callable[[bytes], bytes | None]) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(raw))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == part:
                changed = change(data)
                if changed is None:
                    continue
                data = changed
            out.writestr(info.filename, data)
    return buf.getvalue()


def with_cell(xml: str, kind: str | None = None) -> Callable[[bytes], bytes]:
    """Replace the 值 cell (E2) of the roster sheet with ``<c t=kind><v>xml</v></c>``."""
    def change(data: bytes) -> bytes:
        text = data.decode()
        start = text.index('<c r="E2"')
        end = text.index("</c>", start) + 4
        t = f' t="{kind}"' if kind else ""
        return (text[:start] + f'<c r="E2"{t}><v>{xml}</v></c>' + text[end:]).encode()
    return change


SHEET_XML = "xl/worksheets/sheet1.xml"


def no_worksheet() -> bytes:
    raw = rewrite(roster_book(), SHEET_XML, lambda d: None)
    raw = rewrite(raw, "xl/workbook.xml", lambda d: re.sub(rb"<sheets>.*</sheets>", b"<sheets/>", d))
    return raw


def xlsm() -> bytes:
    """What Excel saves as .xlsm: the workbook's content type is the macro-enabled one."""
    raw = roster_book()
    return rewrite(raw, "[Content_Types].xml", lambda d: d.replace(
        b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
        b"application/vnd.ms-excel.sheet.macroEnabled.main+xml"))


BAD_INPUTS: dict[str, tuple[str, Callable[[], bytes], str]] = {
    # id: (file name, bytes, words the reason must contain)
    "zip-bad-crc": ("包.zip", bad_crc_zip, "校验和不符"),
    "zip-corrupt": ("包.zip", lambda: zipped({"a.yaml": b"sheet: x\n"})[:-30], "不是有效的 zip 压缩包"),
    "zip-bad-local-header": ("包.zip", lambda: one_member_zip("a.yaml", b"sheet: x\n").replace(b"PK\x03\x04", b"PK\x00\x00", 1),
                             "文件已损坏（压缩数据有误）"),
    "zip-garbage": ("包.zip", lambda: b"PK\x03\x04" + os.urandom(200), "不是有效的 zip 压缩包"),
    "zip-encrypted-member": ("包.zip", encrypted_zip, "已加密"),
    "zip-unknown-method": ("包.zip", odd_method_zip, "不支持的压缩方式（编号 99）"),
    "csv-field-over-limit": ("名册.csv", lambda: ("申报人,评分表,类别,编号,值\n张三," + SHEET + ",项目,education,\""
                                                + "长" * 140_000 + "\"\n").encode(), "超过 131072 个字符"),
    "csv-unclosed-quote": ("名册.csv", lambda: ("申报人,评分表,类别,编号,值\n张三," + SHEET + ",项目,education,\"大专\n"
                                              + "李四,x,项目,a,b\n" * 20_000).encode(), "引号"),
    "xlsx-1E400": ("名册.xlsx", lambda: rewrite(roster_book(), SHEET_XML, with_cell("1E400")), "超出可表示的范围"),
    "xlsx-NaN": ("名册.xlsx", lambda: rewrite(roster_book(), SHEET_XML, with_cell("NaN")), "第2行"),
    "xlsx-date-2021-02-30": ("名册.xlsx", lambda: rewrite(roster_book(), SHEET_XML, with_cell("2021-02-30", "d")),
                             "不存在的日期"),
    "xlsx-truncated-xml": ("名册.xlsx", lambda: rewrite(roster_book(), SHEET_XML, lambda d: d[: len(d) // 2]),
                           "文件内容不完整"),
    "xlsx-no-worksheet": ("名册.xlsx", no_worksheet, "没有工作表"),
    "xlsx-not-a-zip": ("名册.xlsx", lambda: b"\xd0\xcf\x11\xe0" + b"\0" * 500, "设置了打开密码"),
    "zip-in-zip": ("包.zip", lambda: zipped({"里面.zip": zipped({"a.yaml": b"sheet: x\n"})}), "压缩包里的压缩包不会展开"),
    "txt-in-zip": ("包.zip", lambda: zipped({"说明.txt": "请查收".encode()}), "未读取"),
    "unknown-suffix-in-zip": ("包.zip", lambda: zipped({"证明.pdf": b"%PDF-1.4"}), "不是申报文件或名册"),
    "xls": ("名册.xls", lambda: b"\xd0\xcf\x11\xe0", "另存为 .xlsx"),
}


@pytest.mark.parametrize("case", list(BAD_INPUTS), ids=list(BAD_INPUTS))
def test_a_bad_input_is_listed_and_the_batch_goes_on(case: str, library: SheetLibrary) -> None:
    name, make, words = BAD_INPUTS[case]
    sources, errors = [], []
    for file_name, raw in (good_claim(), (name, make()), ("也好.yaml", to_yaml(clean(SHEET, "也好")).encode())):
        s, e = sources_from_bytes(file_name, raw, library.sheets)
        sources += s
        errors += e
    batch = run_batch(sources, library.sheets)
    errors += batch.errors
    assert sorted(r.name for r in batch.rows if r.name in ("好人", "也好")) == ["也好", "好人"]
    assert errors, case
    text = " ".join(line for e in errors for line in e.lines)
    assert words in text, text[:500]
    for error in errors:
        assert all(CJK.search(line) for line in error.lines), error.lines
        assert "Traceback" not in " ".join(error.lines)


def test_zip_member_errors_spare_the_other_members(library: SheetLibrary) -> None:
    """A damaged member is listed; the good claim beside it in the same zip is still scored; litter is skipped."""
    raw = bytearray(zipped({"好.yaml": good_claim()[1], "坏.yaml": to_yaml(clean(SHEET, "坏人")).encode(),
                            "说明.txt": b"x", "__MACOSX/._good.yaml": b"\0\5\26\7"}, zipfile.ZIP_STORED))
    raw[bytes(raw).index("坏人".encode())] ^= 0x01
    sources, errors = sources_from_bytes("全部.zip", bytes(raw), library.sheets)
    assert [s.name for s in sources] == ["全部.zip/好.yaml"]
    assert [e.source for e in errors] == ["全部.zip/坏.yaml", "全部.zip/说明.txt"]
    assert errors[0].lines == ["全部.zip/坏.yaml：文件已损坏（校验和不符），无法读取；请重新打包后上传"]


def test_xlsm_is_read_as_a_roster(library: SheetLibrary) -> None:
    sources, errors = sources_from_bytes("名册.xlsm", xlsm(), library.sheets)
    assert errors == []
    assert [s.data["answers"] for s in sources if s.data] == [{"education": "大专"}]


def test_an_xlsx_cell_of_1e400_names_its_row_and_column(library: SheetLibrary) -> None:
    raw = rewrite(roster_book(), SHEET_XML, with_cell("1E400"))
    errors = sources_from_bytes("名册.xlsx", raw, library.sheets)[1]
    assert errors[0].lines == ["名册.xlsx 第2行：「值」列的数字超出可表示的范围（如 1E400）；请改为普通数字"]


def test_a_folder_lists_what_it_cannot_read(tmp_path: Path, library: SheetLibrary) -> None:
    (tmp_path / "a.yaml").write_bytes(good_claim()[1])
    (tmp_path / "说明.txt").write_text("x", encoding="utf-8")
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "x.yaml").write_text("sheet: [", encoding="utf-8")
    sources, errors = sources_from_paths([tmp_path], library.sheets)
    assert [Path(s.name).name for s in sources] == ["a.yaml"]
    assert [Path(e.source).name for e in errors] == ["说明.txt"]


# --- item 2: an xlsx is a zip too ---------------------------------------------------------------------------------


def padded_xlsx(pad_bytes: int) -> bytes:
    """A real roster whose worksheet holds a cell padded to ``pad_bytes`` of text (a few MB compressed)."""
    raw = roster_book()
    src = zipfile.ZipFile(io.BytesIO(raw))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as out:
        for info in src.infolist():
            data = src.read(info)
            if info.filename != SHEET_XML:
                out.writestr(info.filename, data)
                continue
            head, _, tail = data.partition(b"</sheetData>")
            with out.open(SHEET_XML, "w", force_zip64=True) as handle:
                handle.write(head + b'<row r="3"><c r="A3" t="inlineStr"><is><t>')
                chunk = b"x" * (1 << 20)
                for _ in range(pad_bytes // len(chunk)):
                    handle.write(chunk)
                handle.write(b"</t></is></c></row></sheetData>" + tail)
    return buf.getvalue()


@pytest.fixture(scope="module")
def gigabyte_xlsx() -> bytes:
    return padded_xlsx(1200 * 1024 * 1024)


def test_an_xlsx_padded_to_gigabytes_is_refused_from_its_directory(gigabyte_xlsx: bytes, library: SheetLibrary) -> None:
    assert len(gigabyte_xlsx) < 10 * 1024 * 1024  # small enough to be uploaded
    started = time.perf_counter()
    sources, errors = sources_from_bytes("名册.xlsx", gigabyte_xlsx, library.sheets)
    assert time.perf_counter() - started < 2  # refused from the zip directory: nothing was inflated
    assert sources == []
    limit = MAX_XLSX_PART_BYTES // 1024 // 1024
    assert "解压后有 1200.0 MB" in errors[0].lines[0] and f"超过 {limit} MB 的上限" in errors[0].lines[0]


def test_an_xlsx_whose_directory_lies_is_read_no_further_than_it_says(library: SheetLibrary) -> None:
    """The directory says 1 KB; the data inflates to 40 MB. The read stops at 1 KB and the file is refused."""
    raw = bytearray(padded_xlsx(40 * 1024 * 1024))
    at = zipfile.ZipFile(io.BytesIO(bytes(raw))).start_dir  # type: ignore[attr-defined]
    while True:  # find the worksheet's central directory entry and shrink its declared size
        size, extra, comment = struct.unpack_from("<HHH", raw, at + 28)
        if bytes(raw[at + 46: at + 46 + size]) == SHEET_XML.encode():
            break
        at += 46 + size + extra + comment
    if struct.unpack_from("<I", raw, at + 24)[0] == 0xFFFFFFFF:  # zip64: the size is in the extra field
        zip64 = bytes(raw).index(b"\x01\x00", at + 46 + size)
        struct.pack_into("<Q", raw, zip64 + 4, 1024)
    else:
        struct.pack_into("<I", raw, at + 24, 1024)
    assert zipfile.ZipFile(io.BytesIO(bytes(raw))).getinfo(SHEET_XML).file_size == 1024
    started = time.perf_counter()
    sources, errors = sources_from_bytes("名册.xlsx", bytes(raw), library.sheets)
    assert time.perf_counter() - started < 2
    assert sources == [] and CJK.search(errors[0].lines[0]), errors


def test_an_xlsx_with_too_many_parts_is_refused(library: SheetLibrary) -> None:
    raw = roster_book()
    src = zipfile.ZipFile(io.BytesIO(raw))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as out:
        for info in src.infolist():
            out.writestr(info.filename, src.read(info))
        for i in range(1001):
            out.writestr(f"xl/media/image{i}.png", b"")
    errors = sources_from_bytes("名册.xlsx", buf.getvalue(), library.sheets)[1]
    assert "部件过多（1010 个，最多 1000 个）" in errors[0].lines[0]


def test_a_normal_roster_still_reads(library: SheetLibrary) -> None:
    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["2021年度职称申报名册"])  # a title row above the header is skipped
    rows = roster_rows(clean(SHEET, "甲"))
    ws.append(list(rows[0]))
    for row in rows:
        ws.append(list(row.values()))
    buf = io.BytesIO()
    book.save(buf)
    sources, errors = sources_from_bytes("名册.xlsx", buf.getvalue(), library.sheets)
    assert errors == [] and len(sources) == 1


# --- item 3: the CLI checks the size before it reads ------------------------------------------------------------


def _limited(limit: int) -> Callable[[], None]:
    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    return apply


def cli(*args: str, memory: int = 1024 * 1024 * 1024) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "scorer", *args], capture_output=True, text=True, cwd=ROOT,
                          timeout=120, check=False, preexec_fn=_limited(memory))


@pytest.fixture
def huge_file(tmp_path: Path) -> Path:
    path = tmp_path / "大文件.yaml"
    with path.open("wb") as handle:
        handle.truncate(1200 * 1024 * 1024)  # sparse: takes no disk
    return path


@pytest.mark.parametrize("command", ["score", "review"])
def test_cli_refuses_a_1_2_gb_claim_before_reading_it(command: str, huge_file: Path) -> None:
    done = cli(command, str(huge_file))
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr and "MemoryError" not in done.stderr
    assert "文件过大（1200.0 MB），单个文件不能超过 10 MB" in done.stderr


def test_cli_batch_refuses_a_device_and_a_huge_file(huge_file: Path, tmp_path: Path) -> None:
    zero = tmp_path / "zero.yaml"
    zero.symlink_to("/dev/zero")  # its size says 0: only a bounded read keeps memory
    good = tmp_path / "好.yaml"
    good.write_bytes(good_claim()[1])
    done = cli("batch", str(zero), str(huge_file), str(good))
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == "共 1 名申报人，0 名有标记；2 个文件未能读取"
    assert "不是普通文件" in done.stderr and "单个文件不能超过 10 MB" in done.stderr
    assert "Traceback" not in done.stderr


def test_read_limited_reads_at_most_the_limit_plus_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "grows.yaml"
    path.write_bytes(b"#" * 5000)
    real_fstat = os.fstat
    reads: list[int] = []

    def fstat_says_empty(fd: int) -> os.stat_result:  # the file grew after its size was checked
        st = list(real_fstat(fd))
        st[6] = 0
        return os.stat_result(st)

    real_read = os.read

    def spy(fd: int, n: int) -> bytes:
        reads.append(n)
        return real_read(fd, n)

    monkeypatch.setattr(os, "fstat", fstat_says_empty)
    monkeypatch.setattr(os, "read", spy)
    with pytest.raises(InputError, match="文件过大"):
        read_limited(path, 100)
    assert reads == [1, 100]  # the stated size and one more, then on to the limit and one more: never 5000


def test_a_small_file_is_one_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Its stated size and one more are asked for; the short answer is its end (no second read for b"")."""
    path = tmp_path / "申报.yaml"
    path.write_bytes("姓名: 张晓明\n".encode() * 300)
    real_read = os.read
    reads: list[int] = []

    def spy(fd: int, n: int) -> bytes:
        reads.append(n)
        return real_read(fd, n)

    monkeypatch.setattr(os, "read", spy)
    assert read_limited(path) == path.read_bytes()
    assert reads == [path.stat().st_size + 1]
    reads.clear()
    empty = tmp_path / "空.yaml"
    empty.write_bytes(b"")
    assert read_limited(empty) == b""
    assert reads == [1]


def test_a_file_that_reads_short_before_its_end_is_read_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """procfs states size 0 and FUSE or network mounts may answer a read with less than asked before the end:
    only a first read of exactly the stated size ends the reading, anything else reads on to b"" (or the limit)."""
    path = tmp_path / "远程.yaml"
    body = "姓名: 张晓明\n".encode() * 2000
    path.write_bytes(body)
    real_read = os.read

    def short(fd: int, n: int) -> bytes:  # at most 4096 bytes a read, as a FUSE mount may give
        return real_read(fd, min(n, 4096))

    monkeypatch.setattr(os, "read", short)
    assert read_limited(path) == body
    real_fstat = os.fstat

    def says_empty(fd: int) -> os.stat_result:  # as procfs does
        st = list(real_fstat(fd))
        st[6] = 0
        return os.stat_result(st)

    monkeypatch.setattr(os, "fstat", says_empty)
    assert read_limited(path) == body
