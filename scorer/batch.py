"""Many applicants at once: claim files, zips of them, or one roster table (xlsx / xlsm / CSV).

Nothing stops a batch: a file, an archive member or a roster row that cannot be read is
listed with its reason in Chinese (what to fix) and the rest is scored. Archives are opened
defensively (``scorer.archives``): a member with an absolute or ``..`` path, too many members, or
anything too large by the zip directory refuses the archive; an encrypted, damaged or oddly
compressed member, a zip inside the zip that is not an applicant's packet and a file that is neither
a claim nor a roster are each listed as not read. An applicant's packet (the claim file with its
proof documents, ``scorer.packetload``), uploaded on its own or inside the batch's zip, is one
applicant whose documents are checked against the claim file. An xlsx is a zip too and gets the
same directory checks before openpyxl reads a byte of it. OS litter (``__MACOSX/``, ``.DS_Store``,
``Thumbs.db``) and hidden files in folders are skipped.

Roster template (one row per answer; 申报人/单位/评分表/申报级别/现职称取得日期 may be left
blank on the rows after an applicant's first; title rows above the header are skipped):

| 申报人 | 单位 | 评分表 | 申报级别 | 现职称取得日期 | 类别 | 编号 | 值 | 级别 | 角色 | 排名 | 日期 | 名称 | 佐证材料 | 标记 |

评分表 is the sheet's id, short title or title. 类别 is 条件 (a gate; 编号 ``gate`` or
``gate.field``), 否决 (a veto), 项目 (an answer; 编号 ``item`` or ``item.field``) or 业绩 (one entry
of an entries item: 级别 … 佐证材料, and 标记 such as ``filed=是；points=25``). In 编号 each part
may be the id or the sheet's own words (a gate's question, a veto's question, an item's label, a
field's label), matched after removing spaces. 值 takes 是/否, numbers, or an option's text. A row
that starts a new applicant (a new 申报人 or 评分表) takes its applicant columns from itself only:
nothing is carried over from the applicant before.
"""

from __future__ import annotations

import copy
import csv
import datetime as dt
import errno
import gc
import hashlib
import io
import logging
import math
import os
import stat
import warnings
import zipfile
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal, localcontext
from pathlib import Path
from typing import Any, Generic, TypeVar

from .archives import (
    HASH_CHUNK,
    MAX_ARCHIVE_BYTES,
    MAX_ARCHIVE_TOTAL,
    MAX_DOCUMENT_BYTES,
    MAX_FILE_BYTES,
    MB,
    InputError,
    decode_text,
    is_litter,
    kind_of,
    mb_text,
    member_limit,
    open_archive,
    read_member,
    refuse,
    suffix_of,
    too_big,
)
from .checks import Checked, Listed, applicant_flags, batch_flags, rank_rows
from .claims import draft_claims_split
from .engine import score
from .entry import ENTRY_KEYS as _ENTRY_FIELDS
from .errors import ClaimError, DataError
from .flags import DEFAULT_SETTINGS, FlagSettings
from .model import FieldSpec, Gate, Sheet
from .numbers import fmt
from .packetload import Budget, Manifest, Member, packet_of, packet_parts, read_packet, verify
from .privatelog import log_failure
from .ranking import RankedList
from .safeyaml import ParseError, parse_text

log = logging.getLogger(__name__)

MAX_XLSX_PART_BYTES = 50 * MB  # one part of an xlsx (a worksheet's XML), uncompressed: ~100,000 roster rows
MAX_XLSX_PARTS = 1_000  # a roster workbook has a dozen
HEADER_SEARCH_ROWS = 20  # title rows a roster may have above its header
SUFFIX_HINT = "可用 .yaml .yml .json（申报文件）、.xlsx .xlsm .csv（名册）、.zip（打包）"
ENTRY_KEYS = set(_ENTRY_FIELDS)
ROSTER_COLUMNS = ["申报人", "单位", "评分表", "申报级别", "现职称取得日期", "类别", "编号", "值",
                  "级别", "角色", "排名", "日期", "名称", "佐证材料", "标记"]
APPLICANT_COLUMNS = ("申报人", "单位", "评分表", "申报级别", "现职称取得日期")
REQUIRED_COLUMNS = ("评分表", "类别", "编号")
ENTRY_COLUMNS = (("级别", "level"), ("角色", "role"), ("排名", "rank"), ("日期", "date"), ("名称", "title"))
_COLUMN_FIELDS = {f for _, f in ENTRY_COLUMNS} | {"evidence"}  # entry fields with a column of their own
STRAY = ""  # where a row keeps cells that stand under no header

YES = {"是", "true", "True", "TRUE", "1", "Y", "y", "√"}
NO = {"否", "false", "False", "FALSE", "0", "N", "n", "×"}
KINDS = {"条件": "条件", "申报条件": "条件", "否决": "否决", "否决项": "否决", "一票否决": "否决",
         "项目": "项目", "评分项": "项目", "业绩": "业绩"}

_OTHER_SUFFIXES = {
    ".xls": "旧版 Excel 文件（.xls）无法读取，请在 Excel 中另存为 .xlsx",
    ".xlsb": "Excel 二进制工作簿（.xlsb）无法读取，请在 Excel 中另存为 .xlsx",
    ".et": "WPS 表格文件（.et）无法读取，请在 WPS 中另存为 .xlsx",
    ".ods": "OpenDocument 表格（.ods）无法读取，请另存为 .xlsx",
    ".rar": "只能读取 zip 压缩包，请改用 zip 格式打包",
    ".7z": "只能读取 zip 压缩包，请改用 zip 格式打包",
    ".txt": "文本文件不是申报文件或名册；名册请另存为 .csv 或 .xlsx，申报文件请用 .yaml 或 .json",
}
_OS_REASONS = {errno.ENOENT: "文件不存在", errno.EACCES: "没有读取权限", errno.EPERM: "没有读取权限",
               errno.EISDIR: "这是一个目录", errno.ELOOP: "符号链接循环", errno.ENAMETOOLONG: "文件名过长",
               errno.EIO: "磁盘读取出错"}


@dataclass
class BatchError:
    source: str
    lines: list[str]


R = TypeVar("R", bound=Listed)


@dataclass
class Batch(Generic[R]):
    """Scored applicants (full ``Checked`` rows, or compact ``BatchRow`` ones from ``scorer.batchpool``),
    the files that could not be scored, and the ranked lists."""

    rows: list[R] = field(default_factory=list)
    errors: list[BatchError] = field(default_factory=list)
    ranked: list[RankedList] = field(default_factory=list)  # sheets with a ranking: groups, exam cut, summary


@dataclass
class Source:
    """One thing to score: claim text from a file, or claim data (built from roster rows, or a packet's claim file
    parsed already when the packet was recognised); with ``packet``, the hashes of the documents its packet held
    beside the claim file (checked once the claim is read)."""

    name: str
    text: str | None = None
    data: dict[str, Any] | None = None
    packet: Manifest | None = None


# --- reading inputs --------------------------------------------------------------------------------------------


def _os_reason(exc: OSError) -> str:
    return _OS_REASONS.get(exc.errno or 0, f"系统错误（错误号 {exc.errno}）" if exc.errno else "系统错误")


def _size_refusal(name: str, size: int, limit: int, what: str) -> InputError | None:
    """The refusal of a file over its limit, None within it; the reason alone, whatever a path holds (2024年：第一批)."""
    message = too_big(name, size, limit, what)
    return None if message is None else InputError(message, message.removeprefix(f"{name}："))


@contextmanager
def _opened(name: str, limit: int, what: str) -> Iterator[tuple[int, int]]:
    """A regular file opened for reading (its descriptor, and its size as fstat gave it), that size checked
    against ``limit`` first.

    InputError for a file over the limit (naming it), for anything that is not a regular file (a device such
    as /dev/zero, a pipe: their size says nothing) and for a file that cannot be read.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)  # a pipe must not block
    try:
        fd = os.open(name, flags)
    except OSError as exc:
        raise refuse(name, f"无法读取文件（{_os_reason(exc)}）") from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise refuse(name, "无法读取文件（这是一个目录）")
        if not stat.S_ISREG(info.st_mode):
            raise refuse(name, "不是普通文件（设备、管道或套接字），无法读取；请指定申报文件、名册、zip 或目录")
        if (refusal := _size_refusal(name, info.st_size, limit, what)) is not None:
            raise refusal
        yield fd, info.st_size
    except OSError as exc:
        raise refuse(name, f"无法读取文件（{_os_reason(exc)}）") from None
    finally:
        os.close(fd)


def read_limited(path: str | Path, limit: int = MAX_FILE_BYTES, what: str = "单个文件") -> bytes:
    """A file's bytes, never more than ``limit`` + 1 of them read: the size is checked (fstat) first.

    InputError for a file over the limit (naming it), for anything that is not a regular file
    (a device such as /dev/zero, a pipe: their size says nothing) and for a file that cannot be read.
    """
    name = str(path)
    with _opened(name, limit, what) as (fd, size):
        data = _read_upto(fd, min(size, limit) + 1, limit + 1)
    if (refusal := _size_refusal(name, len(data), limit, what)) is not None:  # it grew after the check
        raise refusal
    return data


def hash_limited(path: str, limit: int = MAX_DOCUMENT_BYTES) -> tuple[int, str]:
    """(size, SHA-256) of a proof document on disk, read a chunk at a time (never held whole, never parsed), or
    InputError as ``read_limited`` gives: a packet's document is only compared with what its claim file lists."""
    digest, size = hashlib.sha256(), 0
    with _opened(path, limit, "单个佐证文件") as (fd, _):
        while chunk := os.read(fd, HASH_CHUNK):
            size += len(chunk)
            if (refusal := _size_refusal(path, size, limit, "单个佐证文件")) is not None:  # it grew after the check
                raise refusal
            digest.update(chunk)
    return size, digest.hexdigest()


def _read_upto(fd: int, size: int, limit: int) -> bytes:
    """At most ``limit`` bytes of an open file, asking first for ``size`` (its stated size and one more).

    A first read that returns exactly the stated size is the whole file, so a small file is one read. Any
    other answer reads on until the end (``b""``) or the limit: a file that grew after its size was taken,
    one that shrank, and the files that give short reads before their end (procfs, which states size 0;
    FUSE and network mounts)."""
    chunks: list[bytes] = []
    got = 0
    while got < limit:
        chunk = os.read(fd, min(size if not chunks else 1 << 16, limit - got))
        if not chunk:
            break
        chunks.append(chunk)
        got += len(chunk)
        if len(chunks) == 1 and got == size - 1:
            break
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


def _unsupported(name: str) -> str:
    advice = _OTHER_SUFFIXES.get(suffix_of(name), f"不是申报文件或名册（{SUFFIX_HINT}）")
    return f"{name}：未读取。{advice}"


def read_archive(name: str, raw: bytes) -> tuple[list[tuple[str, bytes]], list[BatchError]]:
    """The readable members of a zip, and the members that could not be read (each with its reason).

    A zip inside it is read as bytes (at most MAX_ARCHIVE_BYTES): whether it is an applicant's packet,
    the one kind of zip a batch's zip may hold, is for ``sources_from_bytes`` to tell.
    InputError when the archive as a whole is refused (unsafe path, too large, not a zip).
    """
    return _read_members(name, *open_archive(name, raw))


def _read_members(name: str, archive: zipfile.ZipFile,
                  members: list[zipfile.ZipInfo]) -> tuple[list[tuple[str, bytes]], list[BatchError]]:
    out: list[tuple[str, bytes]] = []
    errors: list[BatchError] = []
    for member in members:
        path = f"{name}/{member.filename}"
        if is_litter(member.filename):
            continue
        kind = kind_of(member.filename)
        if kind is None:
            errors.append(BatchError(path, [_unsupported(path)]))
            continue
        try:
            out.append((path, read_member(archive, member, path, member_limit(member.filename)[0])))
        except InputError as exc:
            errors.append(BatchError(path, [str(exc)]))
    return out, errors


NESTED_ZIP = ("压缩包里的压缩包不会展开，未读取；请解压后把其中的文件直接放进同一个 zip，或逐个上传"
              "（只有申报材料包可以放在压缩包里：一个申报文件和它所列的佐证文件）")


def _archive_sources(name: str, raw: bytes, sheets: dict[str, Sheet], budget: Budget | None,
                     nested: bool) -> tuple[list[Source], list[BatchError]]:
    """An applicant's packet (one source), or a batch's zip: its members, each read in turn (a packet among
    them costs its unpacked size against the one budget of the upload). Inside a zip only a packet is read."""
    budget = budget or Budget()
    archive, members = open_archive(name, raw)
    packet = read_packet(name, archive, members, budget)
    if packet is not None:
        return [Source(packet.claim_name, text=packet.text, data=packet.data, packet=packet.manifest)], []
    if nested:
        raise refuse(name, NESTED_ZIP)
    found, errors = _read_members(name, archive, members)
    sources: list[Source] = []
    for member, data in found:
        s, e = sources_from_bytes(member, data, sheets, budget=budget, nested=True)
        sources += s
        errors += e
    return sources, errors


def sources_from_bytes(name: str, raw: bytes, sheets: dict[str, Sheet], *, budget: Budget | None = None,
                       nested: bool = False) -> tuple[list[Source], list[BatchError]]:
    """What one uploaded or named file holds; errors are returned, never raised. ``nested``: a member of a zip."""
    try:
        kind = kind_of(name)
        if kind == "zip":
            return _archive_sources(name, raw, sheets, budget, nested)
        if kind is None:
            raise InputError(_unsupported(name))
        if (msg := too_big(name, len(raw))) is not None:
            raise InputError(msg)
        if kind == "csv":
            return roster_sources(name, csv_rows(name, raw), sheets)
        if kind == "xlsx":
            return roster_sources(name, xlsx_rows(name, raw), sheets)
        return [Source(name, text=decode_text(name, raw))], []
    except InputError as exc:
        return [], [BatchError(name, [str(exc)])]
    except Exception:  # a batch never stops: whatever else went wrong is this file's, and said so
        log_failure(log, "unexpected failure reading an uploaded file")
        return [], [BatchError(name, [f"{name}：读取时出现意外错误，未能读取；请检查文件是否完整，或把它交给维护人员"])]


def sources_from_paths(paths: Iterable[str | Path], sheets: dict[str, Sheet]) -> tuple[list[Source], list[BatchError]]:
    """Files, folders (walked; hidden files skipped) and archives named on the command line."""
    reader = PathReader(paths, sheets)
    return list(reader), reader.errors


class PathReader:
    """The sources of files, folders and archives, read one file at a time as they are iterated (a batch of
    100,000 files never holds them all); what cannot be read is kept in ``errors``, in the order met."""

    def __init__(self, paths: Iterable[str | Path], sheets: dict[str, Sheet]):
        self.paths = list(paths)
        self.sheets = sheets
        self.errors: list[BatchError] = []

    def __iter__(self) -> Iterator[Source]:
        for raw_path in self.paths:
            path = Path(raw_path)
            files = _walked(path) if path.is_dir() else [str(path)]
            layouts = _packet_layouts(files) if path.is_dir() else {}
            taken: dict[str, bool] = {}  # a packet-shaped folder, once read: whether it was a packet
            for file in files:
                folder = os.path.dirname(file) if layouts else ""
                if folder in layouts:  # read when its first file comes up: one packet in memory at a time
                    if folder not in taken:
                        found = _folder_packet(*layouts[folder])
                        taken[folder] = found is not None
                        if isinstance(found, Source):
                            yield found
                        elif isinstance(found, BatchError):
                            self.errors.append(found)
                    if taken[folder]:
                        continue  # the packet's claim file or one of its documents, read with it
                kind = kind_of(file)
                if kind is None:  # not read at all: nothing in it could be used
                    self.errors.append(BatchError(file, [_unsupported(file)]))
                    continue
                limit, what = (MAX_ARCHIVE_BYTES, "压缩包") if kind == "zip" else (MAX_FILE_BYTES, "单个文件")
                try:
                    raw = read_limited(file, limit, what)
                except InputError as exc:
                    self.errors.append(BatchError(file, [str(exc)]))
                    continue
                s, e = sources_from_bytes(file, raw, self.sheets)
                self.errors += e
                yield from s


def _packet_layouts(files: list[str]) -> dict[str, tuple[str, list[str]]]:
    """The folders among a walked folder's files laid out as a packet zip is (``packet_parts``: a unit that
    unzipped its applicants' packets), by their names alone: folder -> (claim file, documents). A folder with
    walked files below it is none: as a zip holding a zip is no packet, a batch's folder holding one loose
    claim file, a notice and its applicants' packet folders is a batch."""
    by_folder: dict[str, list[str]] = defaultdict(list)
    for file in files:
        by_folder[os.path.dirname(file)].append(file)
    above: set[str] = set()  # every folder with a walked folder below it
    for folder in by_folder:
        child, parent = folder, os.path.dirname(folder)
        while parent and parent != child and parent not in above:
            above.add(parent)
            child, parent = parent, os.path.dirname(parent)
    out: dict[str, tuple[str, list[str]]] = {}
    for folder, inside in by_folder.items():
        parts = None if folder in above else packet_parts([os.path.basename(f) for f in inside])
        if parts is not None:
            out[folder] = (inside[parts[0]], [inside[i] for i in parts[1]])
    return out


def _folder_packet(claim: str, documents: list[str]) -> Source | BatchError | None:
    """A packet folder read as its zip would be: its source (the documents hashed into it), or the one error said
    for the whole packet when its claim file cannot be read; None when the claim file lists no documents (its
    files are then a batch's, each read on its own)."""
    folder = os.path.dirname(claim)
    try:
        text = decode_text(claim, read_limited(claim))
        packet = packet_of(claim, text, lambda: Manifest(folder, tuple(_document(f) for f in documents)))
    except InputError as exc:
        return BatchError(claim, [str(exc)])
    except Exception:  # one packet never stops the batch
        log_failure(log, "unexpected failure reading a packet folder")
        return BatchError(claim, [f"{claim}：读取申报材料包时出现意外错误，未能读取；请检查文件是否完整，或把它交给维护人员"])
    if packet is None:
        return None
    return Source(claim, text=packet.text, data=packet.data, packet=packet.manifest)


def _document(path: str) -> Member:
    """One document of a packet folder, hashed, named as in its packet (its file name)."""
    name = os.path.basename(path)
    try:
        size, sha256 = hash_limited(path, MAX_DOCUMENT_BYTES)
    except InputError as exc:
        return Member(name, 0, problem=exc.reason)
    return Member(name, size, sha256)


def _walked(root: Path) -> list[str]:
    """The files under a folder, as ``sorted(root.rglob("*"))`` keeps them (by their parts; folders that are
    symbolic links not entered, unreadable folders skipped, a link to a file kept) less the hidden ones,
    each named as ``str(root / ...)`` names it: listed with ``os.scandir``, without a Path per file."""
    base = str(root)
    prefix = "" if base == "." else base if base.endswith("/") else base + "/"
    found: list[tuple[tuple[str, ...], str]] = []

    def walk(folder: str, parts: tuple[str, ...]) -> None:
        try:
            with os.scandir(folder) as it:
                entries = list(it)
        except PermissionError:
            return
        for entry in entries:
            here = (*parts, entry.name)
            try:
                if entry.is_dir() and not entry.is_symlink():
                    walk(entry.path, here)
                    continue
                is_file = entry.is_file()
            except OSError:
                continue
            if is_file and not any(p.startswith(".") for p in here) and not is_litter("/".join(here)):
                found.append((here, prefix + "/".join(here)))

    walk(base, ())
    found.sort()
    return [name for _, name in found]


# --- roster tables ----------------------------------------------------------------------------------------------

Row = tuple[int, dict[str, Any]]  # the row's number in the table as the clerk sees it, and its cells by header


def _header_text(value: Any) -> str:
    return "".join(str(value).replace("\ufeff", "").split()) if value is not None else ""


def _missing_columns(name: str, first: list[str] | None) -> InputError:
    missing = [c for c in REQUIRED_COLUMNS if c not in (first or [])]
    return refuse(name, f"缺少列 {'、'.join(missing)}；请使用名册模板的表头：{'、'.join(ROSTER_COLUMNS)}")


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _table(rows: Iterator[tuple[int, list[Any]]]) -> tuple[list[Row] | None, list[str] | None]:
    """Rows under the header (the first row naming 评分表, 类别 and 编号), or None and the first row."""
    first: list[str] | None = None
    header: list[str] | None = None
    for seen, (_, cells) in enumerate(rows):
        texts = [_header_text(c) for c in cells]
        if not any(texts):
            continue
        first = first or texts
        if all(c in texts for c in REQUIRED_COLUMNS):
            header = texts
            break
        if seen >= HEADER_SEARCH_ROWS:
            break
    if header is None:
        return None, first
    out: list[Row] = []
    for number, cells in rows:
        if all(_blank(v) for v in cells):
            continue
        record: dict[str, Any] = {}
        for i, value in enumerate(cells):
            column = header[i] if i < len(header) else ""
            if column:
                record[column] = value
            elif not _blank(value):
                record.setdefault(STRAY, value)
        out.append((number, record))
    return out, first


def csv_rows(name: str, raw: bytes) -> list[Row]:
    text = decode_text(name, raw)
    reader = csv.reader(io.StringIO(text, newline=""))

    def numbered() -> Iterator[tuple[int, list[Any]]]:
        start = 1
        for cells in reader:
            yield start, cells
            start = reader.line_num + 1

    try:
        table, first = _table(numbered())
    except csv.Error as exc:
        where = f"{name} 第{reader.line_num}行附近"
        if "field larger than field limit" in str(exc):
            raise refuse(where, f"有一格超过 {csv.field_size_limit()} 个字符（CSV 单格的上限）；多半是某格的引号（\"）"
                                 "没有配对，后面的内容都被当成了这一格。请检查该行附近的引号后重新保存") from None
        raise refuse(where, "CSV 格式有误，无法读取；请在 Excel 中打开后重新另存为 CSV") from None
    if table is None:
        raise _missing_columns(name, first)
    return table


def _xlsx_parts_checked(name: str, raw: bytes) -> None:
    """The archive limits, from the xlsx's zip directory, before openpyxl reads anything."""
    try:
        parts = zipfile.ZipFile(io.BytesIO(raw)).infolist()
    except Exception:
        raise refuse(name, "不是有效的 Excel 文件（文件已损坏、不完整，或设置了打开密码）；"
                            "请在 Excel 中打开后另存为 .xlsx（不设密码）") from None
    if len(parts) > MAX_XLSX_PARTS:
        raise refuse(name, f"Excel 文件内部的部件过多（{len(parts)} 个，最多 {MAX_XLSX_PARTS} 个），不像是名册；"
                            "请只保留名册工作表后另存为 .xlsx")
    total = 0
    for part in parts:
        if part.file_size > MAX_XLSX_PART_BYTES:
            raise refuse(name, f"Excel 文件内部的「{part.filename}」解压后有 {mb_text(part.file_size)} MB，"
                                f"超过 {MAX_XLSX_PART_BYTES // MB} MB 的上限，已拒绝；请删去多余的工作表、图片和格式，"
                                "只保留名册内容后另存为 .xlsx")
        total += part.file_size
    if total > MAX_ARCHIVE_TOTAL:
        raise refuse(name, f"Excel 文件解压后共 {mb_text(total)} MB，超过 {MAX_ARCHIVE_TOTAL // MB} MB 的上限，已拒绝；"
                            "请只保留名册内容后另存为 .xlsx")


def xlsx_rows(name: str, raw: bytes) -> list[Row]:
    """The roster of an .xlsx / .xlsm workbook: the first worksheet with the template's header."""
    from openpyxl import load_workbook

    _xlsx_parts_checked(name, raw)
    with warnings.catch_warnings():  # openpyxl warns in English about styles, extensions, bad dates
        warnings.simplefilter("ignore")
        try:
            book = load_workbook(io.BytesIO(raw), read_only=True, data_only=True, keep_vba=False)
        except Exception:  # openpyxl raises many kinds for a damaged file
            raise refuse(name, "无法打开 Excel 文件（文件已损坏或不完整，或设置了打开密码）；"
                                "请在 Excel 中打开后另存为 .xlsx") from None
        try:
            return _workbook_rows(name, book)
        finally:
            book.close()


def _workbook_rows(name: str, book: Any) -> list[Row]:
    try:
        worksheets = list(book.worksheets)
    except Exception:
        worksheets = []
    if not worksheets:
        raise refuse(name, "Excel 文件中没有工作表；请把名册放在第一个工作表中，另存为 .xlsx")
    first_row: list[str] | None = None
    for ws in worksheets:
        at = [0]

        def numbered(ws: Any = ws, at: list[int] = at) -> Iterator[tuple[int, list[Any]]]:
            ws.reset_dimensions()  # a wrong <dimension> must not cut columns off
            for number, cells in enumerate(ws.iter_rows(values_only=True), start=1):
                at[0] = number
                yield number, list(cells)

        try:
            table, first = _table(numbered())
        except Exception:
            raise refuse(f"{name} 工作表「{ws.title}」第{at[0] + 1}行", "有无法读取的单元格（如不存在的日期 2021-02-30、"
                          "NaN、超出范围的数字），或文件内容不完整；请在 Excel 中改正后另存为 .xlsx") from None
        if table is not None:
            return table
        first_row = first_row or first
    raise _missing_columns(name, first_row)


class _CellError(ValueError):
    pass


def _cell(value: Any) -> Any:
    """A table cell as claim data: Excel floats back to their decimal text, datetimes to dates."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, float):
        if math.isnan(value):
            raise _CellError("不是数字（NaN）")
        if math.isinf(value):
            raise _CellError("超出可表示的范围（如 1E400）")
        return Decimal(repr(value)).normalize() if value != int(value) else int(value)
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def _typed(value: Any, kind: str) -> Any:
    """是/否 to booleans for flag answers; everything else is left for the claim check to judge."""
    if kind == "flag" and isinstance(value, (str, int)) and str(value) in YES | NO:
        return str(value) in YES
    return value


def _field_kind(fields: dict[str, FieldSpec] | None, sub: str) -> str:
    spec = (fields or {}).get(sub)
    return spec.type if spec else "text"


def _gate_kind(gate: Gate | None, sub: str) -> str:
    if gate is None:
        return "text"
    return _field_kind(gate.fields, sub) if sub else gate.type


def _squash(text: Any) -> str:
    return "".join(str(text).split())


class Names:
    """Ids and the words a sheet uses for them, for a roster cell: the id, or the words without spaces."""

    def __init__(self, pairs: Iterable[tuple[str, str]]):
        self.pairs = list(dict.fromkeys(pairs))
        self.ids = {_squash(i): i for i, _ in self.pairs}
        self.words: dict[str, list[str]] = defaultdict(list)
        for ident, words in self.pairs:
            if ident not in self.words[_squash(words)]:
                self.words[_squash(words)].append(ident)

    def find(self, text: str, *, ids_only: bool = False) -> list[str]:
        key = _squash(text)
        if key in self.ids:
            return [self.ids[key]]
        return [] if ids_only else list(self.words.get(key, []))

    def words_of(self, ident: str) -> str:
        return next((w for i, w in self.pairs if i == ident), ident)

    def allowed(self) -> str:
        shown = dict.fromkeys(f"{self.words_of(i)}（{i}）" for i, _ in self.pairs)
        return "、".join(shown) or "（无）"


class RowError(ValueError):
    """One roster row that cannot be used, with the reason (and what may be written instead)."""


_SEPARATORS = ".．。"
_WHAT = {"条件": "申报条件", "否决": "否决项", "项目": "评分项", "业绩": "业绩项目"}


def resolve_key(key: str, heads: Names, subs: Callable[[str], Names | None], kind: str) -> tuple[str, str]:
    """The (id, field id) a 编号 cell means: ``id``, ``id.field``, or the sheet's words for either part.

    Ids are tried first, so every id keeps working; words are matched after removing spaces. An
    unknown or ambiguous cell is a RowError naming what may be written.
    """
    text = _squash(key)
    what = _WHAT[kind]
    if not text:
        raise RowError(f"未填编号；{what}可填编号或名称：{heads.allowed()}")
    splits = [("", text)] + [(text[i + 1:], text[:i]) for i, ch in enumerate(text) if ch in _SEPARATORS]
    unknown_field: tuple[str, str] | None = None
    for ids_only in (True, False):
        readings: list[tuple[str, str]] = []
        for sub_text, head_text in splits:
            if not head_text or (head_text != text and not sub_text):
                continue
            for ident in heads.find(head_text, ids_only=ids_only):
                if not sub_text:
                    readings.append((ident, ""))
                    continue
                fields = subs(ident)
                if fields is None:  # no named fields: the claim check judges what was written
                    readings.append((ident, sub_text))
                    continue
                found = fields.find(sub_text, ids_only=ids_only)
                readings += [(ident, f) for f in found]
                if not found:
                    unknown_field = (ident, sub_text)
        readings = list(dict.fromkeys(readings))
        if len(readings) == 1:
            return readings[0]
        if len(readings) > 1:
            meant = "、".join(f"{heads.words_of(i)}（{i}{'.' + s if s else ''}）" for i, s in readings)
            raise RowError(f"编号「{key}」有歧义，可指 {meant}；请改填编号")
    if unknown_field is not None:
        ident, sub_text = unknown_field
        fields = subs(ident)
        assert fields is not None
        raise RowError(f"{what}「{heads.words_of(ident)}」没有「{sub_text}」这一栏；可填：{fields.allowed()}")
    raise RowError(f"编号「{key}」不是本表的{what}；可填编号或名称：{heads.allowed()}")


def _sub_names(obj: Any) -> Names | None:
    """The named fields of a gate or item (record fields, a band's 档次/分值); None when it has none."""
    fields = getattr(obj, "fields", None)
    if isinstance(fields, dict) and fields:
        return Names((k, spec.label) for k, spec in fields.items())
    rule = getattr(obj, "rule", None)
    if rule == "band":
        return Names([("band", "档次"), ("points", "分值")])
    if rule == "tiers_by":
        return Names([("value", obj.input.label), ("row", obj.row_label)])
    return None


@dataclass
class _SheetWords:
    """A sheet's ids and words for the roster columns."""

    sheet: Sheet
    gates: Names
    vetoes: Names
    items: Names

    @classmethod
    def of(cls, sheet: Sheet) -> _SheetWords:
        return cls(sheet, Names((g.id, g.question) for g in sheet.gates), Names((v.id, v.question) for v in sheet.vetoes),
                   Names((i.id, i.label) for i in sheet.items.values()))

    def key(self, kind: str, text: str) -> tuple[str, str]:
        if kind == "条件":
            gates = {g.id: g for g in self.sheet.gates}
            return resolve_key(text, self.gates, lambda i: _sub_names(gates[i]), kind)
        if kind == "否决":
            return resolve_key(text, self.vetoes, lambda i: Names([]), kind)
        items = self.sheet.items
        return resolve_key(text, self.items, lambda i: _sub_names(items[i]) if kind == "项目" else Names([]), kind)

    def mark(self, item: Any, text: str) -> str:
        """An entry mark's key (``filed``, ``points``...), from its id or its words; kept as written otherwise."""
        pairs = [(k, f.label) for k, f in (getattr(item, "entry_flags", None) or {}).items()]
        if hasattr(item, "field_label"):
            pairs += [(k, item.field_label(k)) for k in ("category", "points", "rank", "level", "role")]
        pairs.append(("note", "备注"))
        found = Names(pairs).find(text)
        return found[0] if len(found) == 1 else text.strip()


def sheet_names(sheets: dict[str, Sheet]) -> Names:
    """What the 评分表 column may hold: a sheet's id, short title or title."""
    return Names([(s.id, s.short_title) for s in sheets.values()] + [(s.id, s.title) for s in sheets.values()])


def _errors_by_run(name: str, problems: list[tuple[int, int, str]]) -> list[BatchError]:
    """Row problems as batch errors; the same reason on consecutive rows is said once (第2–9行)."""
    runs: list[list[Any]] = []
    for index, number, message in problems:
        if runs and runs[-1][3] == message and runs[-1][0] == index - 1:
            runs[-1][0], runs[-1][2] = index, number
            runs[-1][4] += 1
        else:
            runs.append([index, number, number, message, 1])
    out = []
    for _, first, last, message, count in runs:
        where = f"{name} 第{first}行" if count == 1 else f"{name} 第{first}–{last}行（共 {count} 行）"
        out.append(BatchError(where, [f"{where}：{message}"]))
    return out


def _starts_applicant(row: dict[str, Any], current: dict[str, Any], titles: Names) -> bool:
    """A row with a 申报人 or 评分表 other than the current applicant's begins the next applicant.

    Sheets are compared by what they resolve to, so an id on one row and the short title on
    the next are the same applicant.
    """
    def same(column: str) -> bool:
        mine, theirs = row.get(column), current.get(column)
        if mine is None:
            return True
        if theirs is None:
            return False
        if column == "评分表":
            ours, yours = titles.find(str(mine)), titles.find(str(theirs))
            if ours and ours == yours:
                return True
        return _squash(mine) == _squash(theirs)

    return not (same("申报人") and same("评分表"))


def roster_sources(name: str, rows: list[Row], sheets: dict[str, Sheet]) -> tuple[list[Source], list[BatchError]]:
    """Group roster rows into one claim per applicant (fill-forward of the applicant columns)."""
    claims: dict[tuple[str, str, str], dict[str, Any]] = {}
    problems: list[tuple[int, int, str]] = []
    titles = sheet_names(sheets)
    words: dict[str, _SheetWords] = {}
    current: dict[str, Any] = {}
    for index, (number, raw) in enumerate(rows):
        row: dict[str, Any] = {}
        bad: list[str] = []
        for column, value in raw.items():
            try:
                row[column] = _cell(value)
            except _CellError as exc:
                row[column] = None
                bad.append(f"「{column or '表头以外'}」列的数字{exc}；请改为普通数字")
        if _starts_applicant(row, current, titles):
            person = row.get("申报人") if row.get("申报人") is not None else current.get("申报人")
            current = {c: row.get(c) for c in APPLICANT_COLUMNS} | {"申报人": person}
        else:
            current.update({c: row[c] for c in APPLICANT_COLUMNS if row.get(c) is not None})

        def problem(message: str, index: int = index, number: int = number) -> None:
            problems.append((index, number, message))

        if bad:
            problem("；".join(bad))
            continue
        if row.get(STRAY) is not None:
            problem(f"在没有表头的列里填了「{str(row[STRAY])[:40]}」；请移到对应的列中（表头：{'、'.join(ROSTER_COLUMNS)}）")
            continue
        person, unit = str(current.get("申报人") or ""), str(current.get("单位") or "")
        if not person:
            problem("缺少申报人；请在每名申报人的第一行填写申报人")
            continue
        if current.get("评分表") is None:
            problem(f"申报人「{person}」未填评分表；请在每名申报人的第一行填写评分表（编号或表名）")
            continue
        found = titles.find(str(current["评分表"]))
        if len(found) != 1:
            shown = str(current["评分表"])
            if found:
                problem(f"评分表「{shown}」有歧义，可指 {'、'.join(found)}；请改填评分表编号")
            else:
                problem(f"未知的评分表「{shown}」；可填编号或表名：{titles.allowed()}")
            continue
        sheet = sheets[found[0]]
        sheet_words = words.setdefault(sheet.id, _SheetWords.of(sheet))
        data = claims.setdefault((person, unit, sheet.id), {"sheet": sheet.id, "applicant": {"name": person}, "answers": {}})
        if unit:
            data["applicant"]["unit"] = unit
        if current.get("现职称取得日期"):
            data["applicant"]["current_title_date"] = current["现职称取得日期"]
        if current.get("申报级别"):
            data["level"] = current["申报级别"]
        kind_text, key, value = row.get("类别"), row.get("编号"), row.get("值")
        answer_cells = [row.get(c) for c in ("值", "级别", "角色", "排名", "日期", "名称", "佐证材料", "标记")]
        if kind_text is None and key is None and all(v is None for v in answer_cells):
            continue  # an applicant's row without an answer
        kind = KINDS.get(_squash(kind_text or ""))
        if kind is None:
            problem(f"类别应为 条件 / 否决 / 项目 / 业绩，实际为「{kind_text or '（空）'}」")
            continue
        try:
            ident, sub = sheet_words.key(kind, str(key or ""))
        except RowError as exc:
            problem(str(exc))
            continue
        if kind == "条件":
            gate = next((g for g in sheet.gates if g.id == ident), None)
            target = data.setdefault("gates", {})
            typed = _typed(value, _gate_kind(gate, sub))
            if sub:
                holder = target.setdefault(ident, {})
                if not isinstance(holder, dict):
                    problem(f"申报条件「{sheet_words.gates.words_of(ident)}」已按一个值填写，不能再分栏填写")
                    continue
                holder[sub] = typed
            else:
                target[ident] = typed
        elif kind == "否决":
            data.setdefault("vetoes", {})[ident] = _typed(value, "flag")
        elif kind == "项目":
            item = sheet.items[ident]
            value_kind = item.roster_kind(sub)
            if sub:
                holder = data["answers"].setdefault(ident, {})
                if not isinstance(holder, dict):
                    problem(f"评分项「{item.label}」已按一个值或业绩填写，不能再分栏填写")
                    continue
                holder[sub] = _typed(value, value_kind)
            else:
                data["answers"][ident] = _typed(value, value_kind)
        else:
            item = sheet.items[ident]
            entry: dict[str, Any] = {}
            for column, field_name in ENTRY_COLUMNS:
                if row.get(column) is not None:
                    entry[field_name] = row[column]
            if row.get("佐证材料"):
                entry["evidence"] = [p.strip() for p in str(row["佐证材料"]).replace(";", "；").split("；") if p.strip()]
            for mark in str(row.get("标记") or "").replace(";", "；").split("；"):
                mark_key, _, mark_value = mark.partition("=")
                if mark_key.strip():
                    flag_id = sheet_words.mark(item, mark_key)
                    flags = getattr(item, "entry_flags", None) or {}
                    entry[flag_id] = _typed(mark_value.strip(), "flag" if flag_id in flags or flag_id == "representative"
                                            else "text")
            holder = data["answers"].setdefault(ident, [])
            if not isinstance(holder, list):
                problem(f"评分项「{item.label}」已按一个值填写，不能再按业绩逐条填写")
                continue
            holder.append(entry)
    sources = [Source(f"{name}：{person}", data=data) for (person, _, _), data in claims.items()]
    return sources, _errors_by_run(name, problems)


def roster_rows(data: dict[str, Any]) -> list[dict[str, Any]]:
    """One claim as roster rows (the template's layout); the applicant columns only on the first row.

    Every entry field without a column of its own (a sheet's entry flags, category, points,
    representative, note, an indicator) goes into 标记 as ``key=value``, so nothing is left out.
    """
    person = data.get("applicant", {})
    head = {"申报人": person.get("name", ""), "单位": person.get("unit", ""), "评分表": data["sheet"],
            "申报级别": data.get("level", ""), "现职称取得日期": person.get("current_title_date", "")}
    rows: list[dict[str, Any]] = []

    def add(**cells: Any) -> None:
        row = {c: "" for c in ROSTER_COLUMNS}
        row.update(head if not rows else {})
        row.update({k: _text(v) for k, v in cells.items()})
        rows.append(row)

    for gate_id, value in data.get("gates", {}).items():
        if isinstance(value, dict):
            for sub, v in value.items():
                add(类别="条件", 编号=f"{gate_id}.{sub}", 值=v)
        else:
            add(类别="条件", 编号=gate_id, 值=value)
    for veto_id, value in data.get("vetoes", {}).items():
        add(类别="否决", 编号=veto_id, 值=value)
    for item_id, value in data.get("answers", {}).items():
        if isinstance(value, list):
            for e in value:
                marks = "；".join(f"{k}={_text(v)}" for k, v in e.items() if k not in _COLUMN_FIELDS)
                add(类别="业绩", 编号=item_id, 级别=e.get("level", ""), 角色=e.get("role", ""), 排名=e.get("rank", ""),
                    日期=e.get("date", ""), 名称=e.get("title", ""), 佐证材料="；".join(e.get("evidence", [])), 标记=marks)
        elif isinstance(value, dict):
            for sub, v in value.items():
                add(类别="项目", 编号=f"{item_id}.{sub}", 值=v)
        else:
            add(类别="项目", 编号=item_id, 值=value)
    if not rows:
        add()
    return rows


def _text(value: Any) -> str:
    if value is True:
        return "是"
    if value is False:
        return "否"
    return "" if value is None else str(value)


def roster_csv(claims: list[dict[str, Any]], encoding: str = "utf-8-sig") -> bytes:
    """A roster CSV (what the template looks like filled in); GBK or UTF-8 with or without BOM."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=ROSTER_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for data in claims:
        writer.writerows(roster_rows(data))
    return buf.getvalue().encode(encoding)


# --- the template's examples ------------------------------------------------------------------------------------


def _example_is_sound(sheet: Sheet, data: dict[str, Any]) -> bool:
    """An example a clerk may copy: consistent, every condition met, nothing out of the sheet's range."""
    try:
        checked = check_source(Source("示例", data=data), {sheet.id: sheet})
    except ClaimError:
        return False
    r = checked.result
    return not (r.contradictions or r.failed_gates or r.pending or any(v.vetoed for v in r.vetoes)
                or any(f.code in ("invalid", "contradiction") for f in checked.flags))


def _path_value(data: dict[str, Any], path: str) -> Any:
    node: Any = data
    for part in path.split("."):
        node = node.get(part) if isinstance(node, dict) else None
    return node


def _number(value: Any) -> Decimal | None:
    if isinstance(value, dict):
        value = value.get("value")
    if isinstance(value, bool) or value is None:
        return None
    try:
        number = Decimal(str(value))
    except ArithmeticError:
        return None
    return number if number.is_finite() else None


def _reconciled(sheet: Sheet, data: dict[str, Any]) -> dict[str, Any]:
    """An example whose ``<=`` / ``<`` consistency rules hold, by raising each broken rule's right side.

    The worked examples' ``common`` block (shared years, a current-title date) is merged under
    every case, and some cases claim more years than it allows; the score does not depend on
    these right-hand values (conditions and dates), so raising them keeps the example's points.
    """
    out = copy.deepcopy(data)
    for rule in sheet.consistency:
        if rule.op not in ("<=", "<") or rule.when or isinstance(rule.right, Decimal):
            continue
        left = _number(_path_value(out, rule.left))
        if left is None:
            continue
        needed = left if rule.op == "<=" else left + 1
        if rule.right == "applicant.years_in_current_title":
            end = (sheet.window.until if sheet.window else None) or sheet.effective.end or sheet.effective.start
            years = int(needed.to_integral_value(rounding=ROUND_CEILING))
            current = out.setdefault("applicant", {}).get("current_title_date")
            try:
                start = end.replace(year=end.year - years)
            except ValueError:  # 29 February
                start = end.replace(year=end.year - years, day=28)
            if current is None or str(current) > start.isoformat():
                out["applicant"]["current_title_date"] = start.isoformat()
            continue
        head, _, rest = rule.right.partition(".")
        name, _, sub = rest.partition(".")
        holder = out.setdefault(head, {})
        right = _number(_path_value(out, rule.right))
        if right is not None and right >= needed:
            continue
        value = int(needed) if needed == needed.to_integral_value() else needed
        if sub:
            target = holder.setdefault(name, {})
            if isinstance(target, dict):
                target[sub] = value
        elif isinstance(holder.get(name), dict) and "value" in holder[name]:
            holder[name]["value"] = value
        else:
            holder[name] = value
    return out


def template_claims(sheets: dict[str, Sheet], cases_dir: str | Path | None = None) -> list[dict[str, Any]]:
    """One example applicant per sheet, from its worked examples, for the roster template.

    The first worked example that a clerk could copy as it is (consistent, conditions met) is
    taken; where none is, the first one with its broken ``<=`` rules reconciled. Each example
    uploaded unchanged scores as its case and raises no 填写矛盾.
    """
    from .cases import case_claims, case_files, load_case_file
    from .loader import sheets_dir

    folder = Path(cases_dir) if cases_dir is not None else sheets_dir() / "cases"
    examples: list[dict[str, Any]] = []
    for path in case_files(folder):
        try:
            case_file, parsed = load_case_file(path)
        except DataError:
            continue
        sheet = sheets.get(case_file.sheet)
        if sheet is None:
            continue
        cases = [copy.deepcopy(case_claims(case_file, parsed, i).data) for i in range(len(case_file.cases))]
        chosen = next((c for c in cases if _example_is_sound(sheet, c)), None)
        if chosen is None:
            chosen = next((r for c in cases if _example_is_sound(sheet, r := _reconciled(sheet, c))), None)
        if chosen is not None:
            chosen.pop("review", None)  # an expert's review is not part of what HR fills in
            examples.append(chosen)
    return examples


# --- the histogram ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Bin:
    """One bar: totals ``start <= total < end`` (decided with Decimal), and how many there are."""

    start: Decimal
    end: Decimal
    count: int

    @property
    def label(self) -> str:
        return f"{fmt(self.start)}–{fmt(self.end)}"


def bin_width(totals: list[Decimal]) -> Decimal:
    """1, 5 or 10 points, so a sheet's spread of totals gives a few dozen bars at most."""
    spread = max(totals) - min(totals) if totals else Decimal(0)
    return Decimal(1) if spread <= 30 else Decimal(5) if spread <= 150 else Decimal(10)


def bin_start(total: Decimal, origin: Decimal, width: Decimal) -> Decimal:
    """The start of the bin that holds ``total``: bins of ``width`` with ``origin`` (the line) an edge.

    Exact for any total: a total equal to the line falls in the bin that starts at the line, and
    79.99999999999999999999999999999 (which is 80.0 as a float) in the bin below.
    """
    with localcontext() as ctx:
        exponents = [total.as_tuple().exponent, origin.as_tuple().exponent, width.as_tuple().exponent]
        low = min(e for e in exponents if isinstance(e, int))
        ctx.prec = max(28, max(total.adjusted(), origin.adjusted()) - low + 4)
        k = ((total - origin) / width).to_integral_value(rounding=ROUND_FLOOR)
        start = origin + k * width
        while total < start:  # comparisons are exact: any rounding above is put right here
            start -= width
        while total >= start + width:
            start += width
    return start


def histogram(totals: list[Decimal], line: Decimal | None, width: Decimal | None = None) -> list[Bin]:
    """Bars of totals aligned on the line (or on 0 without one), each with its count; empty bars left out."""
    if not totals:
        return []
    width = width or bin_width(totals)
    origin = line if line is not None else Decimal(0)
    counts = Counter(bin_start(t, origin, width) for t in totals)
    return [Bin(s, s + width, counts[s]) for s in sorted(counts)]


# --- scoring -----------------------------------------------------------------------------------------------------


def check_source(source: Source, sheets: dict[str, Sheet], settings: FlagSettings = DEFAULT_SETTINGS) -> Checked:
    """Score and flag one applicant on its own; ClaimError when the file cannot be read as a claim at all.

    Everything here depends on this one file only (checks across applicants come after, in
    ``batch_flags``), so files may be checked in any order or in parallel.
    """
    if source.data is not None:
        data = source.data
    else:
        try:
            data = parse_text(source.text or "", source.name).data
        except ParseError as exc:
            raise ClaimError([str(exc)]) from None
    if not isinstance(data, dict):
        raise ClaimError([f"{source.name}：申报文件应是键值对（sheet: …、answers: … 等）"])
    sheet = sheets.get(str(data.get("sheet")))
    if sheet is None:
        raise ClaimError([f"{source.name}：sheet: 未知的评分表「{data.get('sheet')}」"])
    claims, problems, impossible = draft_claims_split(data, sheet, source.name)
    result = score(sheet, claims)
    packet = verify(source.packet, sheet, claims) if source.packet is not None else None
    flags = applicant_flags(sheet, claims, result, problems, impossible, settings, packet)
    return Checked(source.name, sheet, claims, result, flags, problems=problems, impossible=impossible, packet=packet)


def checked_or_error(source: Source, sheets: dict[str, Sheet], settings: FlagSettings = DEFAULT_SETTINGS) -> Checked | BatchError:
    """One applicant scored and flagged on its own, or why not: a batch never stops at one file."""
    try:
        return check_source(source, sheets, settings)
    except ClaimError as exc:
        return BatchError(source.name, exc.lines)
    except Exception:  # one applicant's file never stops the others
        log_failure(log, "unexpected failure scoring one claim file")
        return BatchError(source.name, [f"{source.name}：计分时出现意外错误，此申报人未计分；请检查文件内容，或把它交给维护人员"])


FREEZE_EVERY = 500  # rows kept between two gc.freeze() calls


@contextmanager
def kept_rows() -> Iterator[Callable[[int], None]]:
    """While a batch keeps its rows: ``kept(n)`` after each row moves what is kept so far out of the
    collector's sight (gc.freeze), so the full collections that the many new objects set off do not
    walk every row kept before (measured: 2 s of 10,000 files). Everything is handed back at the end."""
    def kept(count: int) -> None:
        if count % FREEZE_EVERY == 0:
            gc.freeze()

    try:
        yield kept
    finally:
        gc.unfreeze()


def run_batch(
    sources: list[Source],
    sheets: dict[str, Sheet],
    progress: Callable[[int, int], None] | None = None,
    settings: FlagSettings = DEFAULT_SETTINGS,
) -> Batch[Checked]:
    """Full rows, in this process: what the batch page keeps (its uploads are at most 50 MB) so that it can
    redo the flags under new settings; the CLI's large batches use ``scorer.batchpool.run_rows``."""
    batch: Batch[Checked] = Batch()
    with kept_rows() as kept:
        for i, source in enumerate(sources):
            outcome = checked_or_error(source, sheets, settings)
            if isinstance(outcome, BatchError):
                batch.errors.append(outcome)
            else:
                batch.rows.append(outcome)
                kept(len(batch.rows))
            if progress is not None:
                progress(i + 1, len(sources))
        batch_flags(batch.rows, settings)
        batch.ranked = rank_rows(batch.rows)
    return batch
