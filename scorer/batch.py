"""Many applicants at once: claim files, zips of them, or one roster table (xlsx / CSV).

A file that cannot be read is listed with its error and skipped; it never stops
the batch. Archives are opened defensively: a member with an absolute or
``..`` path, or anything too large, refuses the archive with a clear message.

Roster template (one row per answer; 申报人/单位/评分表/申报级别/现职称取得日期 may be left
blank on the rows after an applicant's first):

| 申报人 | 单位 | 评分表 | 申报级别 | 现职称取得日期 | 类别 | 编号 | 值 | 级别 | 角色 | 排名 | 日期 | 名称 | 佐证材料 | 标记 |

类别 is 条件 (a gate; 编号 ``gate`` or ``gate.field``), 否决 (a veto), 项目 (an answer; 编号
``item`` or ``item.field``) or 业绩 (one entry of an entries item: 级别 … 佐证材料, and
标记 such as ``filed=是``). 值 takes 是/否, numbers, or an option's text.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path, PurePosixPath
from typing import Any

from .checks import Checked, applicant_flags, lead_conflicts, rank_rows
from .claims import draft_claims
from .engine import score
from .entry import ENTRY_KEYS as _ENTRY_FIELDS
from .errors import ClaimError
from .model import FieldSpec, Gate, Sheet
from .safeyaml import ParseError, parse_text

MAX_FILE_BYTES = 10 * 1024 * 1024  # one claim file, roster or archive member
MAX_ARCHIVE_BYTES = 50 * 1024 * 1024
MAX_ARCHIVE_TOTAL = 200 * 1024 * 1024  # all members, uncompressed
MAX_MEMBERS = 20_000
CLAIM_SUFFIXES = (".yaml", ".yml", ".json")
ROSTER_SUFFIXES = (".xlsx", ".csv")
ENTRY_KEYS = set(_ENTRY_FIELDS)
ROSTER_COLUMNS = ["申报人", "单位", "评分表", "申报级别", "现职称取得日期", "类别", "编号", "值",
                  "级别", "角色", "排名", "日期", "名称", "佐证材料", "标记"]
ENTRY_COLUMNS = (("级别", "level"), ("角色", "role"), ("排名", "rank"), ("日期", "date"), ("名称", "title"))

YES = {"是", "true", "True", "TRUE", "1", "Y", "y", "√"}
NO = {"否", "false", "False", "FALSE", "0", "N", "n", "×"}


class InputError(ValueError):
    """A whole input (archive, roster) refused, with the reason in words."""


@dataclass
class BatchError:
    source: str
    lines: list[str]


@dataclass
class Batch:
    rows: list[Checked] = field(default_factory=list)
    errors: list[BatchError] = field(default_factory=list)


@dataclass
class Source:
    """One thing to score: claim text from a file, or claim data built from roster rows."""

    name: str
    text: str | None = None
    data: dict[str, Any] | None = None


# --- reading inputs --------------------------------------------------------------------------------------------


def _too_big(name: str, size: int, limit: int = MAX_FILE_BYTES) -> str | None:
    if size > limit:
        return f"{name}：文件过大（{size / 1024 / 1024:.1f} MB），单个文件不能超过 {limit // 1024 // 1024} MB"
    return None


def _decode(name: str, raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("gb18030")  # what Chinese Excel writes as "CSV"; a superset of GBK
    except UnicodeDecodeError:
        raise InputError(f"{name}：无法识别文字编码，请另存为 UTF-8 或 GBK") from None


def read_archive(name: str, raw: bytes) -> list[tuple[str, bytes]]:
    """Members of a zip, or InputError naming the member that makes it unsafe."""
    if (msg := _too_big(name, len(raw), MAX_ARCHIVE_BYTES)) is not None:
        raise InputError(msg)
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
    except zipfile.BadZipFile:
        raise InputError(f"{name}：不是有效的 zip 压缩包") from None
    members = [m for m in archive.infolist() if not m.is_dir()]
    if len(members) > MAX_MEMBERS:
        raise InputError(f"{name}：压缩包内文件过多（{len(members)} 个，最多 {MAX_MEMBERS} 个）")
    total = 0
    for member in archive.infolist():
        path = PurePosixPath(member.filename.replace("\\", "/"))
        if path.is_absolute() or ".." in path.parts or (path.parts and path.parts[0].endswith(":")):
            raise InputError(f"{name}：压缩包内有不安全的路径「{member.filename}」（绝对路径或 ..），已拒绝整个压缩包")
        if (msg := _too_big(f"{name}/{member.filename}", member.file_size)) is not None:
            raise InputError(msg + "，已拒绝整个压缩包")
        total += member.file_size
    if total > MAX_ARCHIVE_TOTAL:
        raise InputError(f"{name}：解压后总大小超过 {MAX_ARCHIVE_TOTAL // 1024 // 1024} MB，已拒绝")
    out = []
    for member in members:
        with archive.open(member) as handle:
            data = handle.read(MAX_FILE_BYTES + 1)  # never trust the header's size alone
        if (msg := _too_big(f"{name}/{member.filename}", len(data))) is not None:
            raise InputError(msg + "，已拒绝整个压缩包")
        out.append((f"{name}/{member.filename}", data))
    return out


def sources_from_bytes(name: str, raw: bytes, sheets: dict[str, Sheet]) -> tuple[list[Source], list[BatchError]]:
    """What one uploaded or named file holds; errors are returned, never raised."""
    lower = name.lower()
    try:
        if lower.endswith(".zip"):
            sources: list[Source] = []
            errors: list[BatchError] = []
            for member, data in read_archive(name, raw):
                if member.lower().endswith(CLAIM_SUFFIXES + ROSTER_SUFFIXES):
                    s, e = sources_from_bytes(member, data, sheets)
                    sources += s
                    errors += e
            return sources, errors
        if (msg := _too_big(name, len(raw))) is not None:
            raise InputError(msg)
        if lower.endswith(".csv"):
            return roster_sources(name, csv_rows(name, raw), sheets)
        if lower.endswith(".xlsx"):
            return roster_sources(name, xlsx_rows(name, raw), sheets)
        if lower.endswith(CLAIM_SUFFIXES):
            return [Source(name, text=_decode(name, raw))], []
        raise InputError(f"{name}：不支持的文件类型（可用 .yaml .yml .json .zip .xlsx .csv）")
    except InputError as exc:
        return [], [BatchError(name, [str(exc)])]


def sources_from_paths(paths: Iterable[str | Path], sheets: dict[str, Sheet]) -> tuple[list[Source], list[BatchError]]:
    sources: list[Source] = []
    errors: list[BatchError] = []
    for raw_path in paths:
        path = Path(raw_path)
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for file in files:
            if path.is_dir() and not file.name.lower().endswith(CLAIM_SUFFIXES + ROSTER_SUFFIXES + (".zip",)):
                continue
            try:
                size = file.stat().st_size
                if (msg := _too_big(str(file), size, MAX_ARCHIVE_BYTES if file.suffix == ".zip" else MAX_FILE_BYTES)):
                    errors.append(BatchError(str(file), [msg]))
                    continue
                raw = file.read_bytes()
            except OSError as exc:
                errors.append(BatchError(str(file), [f"{file}：无法读取（{exc.strerror}）"]))
                continue
            s, e = sources_from_bytes(str(file), raw, sheets)
            sources += s
            errors += e
    return sources, errors


# --- roster tables ----------------------------------------------------------------------------------------------


def csv_rows(name: str, raw: bytes) -> list[dict[str, Any]]:
    text = _decode(name, raw)
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in ("评分表", "类别", "编号") if c not in (reader.fieldnames or [])]
    if missing:
        raise InputError(f"{name}：缺少列 {'、'.join(missing)}；请使用名册模板的表头：{'、'.join(ROSTER_COLUMNS)}")
    return list(reader)


def xlsx_rows(name: str, raw: bytes) -> list[dict[str, Any]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise InputError(f"{name}：无法打开 Excel 文件（{type(exc).__name__}）") from None
    sheet = book.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = [str(h).strip() if h is not None else "" for h in next(rows, [])]
    missing = [c for c in ("评分表", "类别", "编号") if c not in header]
    if missing:
        raise InputError(f"{name}：缺少列 {'、'.join(missing)}；请使用名册模板的表头：{'、'.join(ROSTER_COLUMNS)}")
    return [dict(zip(header, row, strict=False)) for row in rows if any(v not in (None, "") for v in row)]


def _cell(value: Any) -> Any:
    """A table cell as claim data: Excel floats back to their decimal text, datetimes to dates."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, float):
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


def roster_sources(name: str, rows: list[dict[str, Any]], sheets: dict[str, Sheet]) -> tuple[list[Source], list[BatchError]]:
    """Group roster rows into one claim per applicant (fill-forward of the applicant columns)."""
    claims: dict[tuple[str, str, str], dict[str, Any]] = {}
    errors: list[BatchError] = []
    current: dict[str, Any] = {}
    for number, raw in enumerate(rows, start=2):  # row 1 is the header
        row = {k: _cell(v) for k, v in raw.items() if k}
        for column in ("申报人", "单位", "评分表", "申报级别", "现职称取得日期"):
            if row.get(column) is not None:
                current[column] = row[column]
            elif column in ("申报人", "评分表"):
                row[column] = current.get(column)
        person, unit = str(current.get("申报人") or ""), str(current.get("单位") or "")
        sheet_id = str(current.get("评分表") or "")
        where = f"{name} 第{number}行"
        sheet = sheets.get(sheet_id)
        if not person or sheet is None:
            errors.append(BatchError(where, [f"{where}：{'缺少申报人' if not person else f'未知的评分表「{sheet_id}」'}"]))
            continue
        data = claims.setdefault((person, unit, sheet_id), {"sheet": sheet_id, "applicant": {"name": person}, "answers": {}})
        if unit:
            data["applicant"]["unit"] = unit
        if current.get("现职称取得日期"):
            data["applicant"]["current_title_date"] = current["现职称取得日期"]
        if current.get("申报级别"):
            data["level"] = current["申报级别"]
        kind, key, value = row.get("类别"), str(row.get("编号") or ""), row.get("值")
        ident, _, sub = key.partition(".")
        if kind == "条件":
            gate = next((g for g in sheet.gates if g.id == ident), None)
            target = data.setdefault("gates", {})
            typed = _typed(value, _gate_kind(gate, sub))
            if sub:
                target.setdefault(ident, {})[sub] = typed
            else:
                target[ident] = typed
        elif kind == "否决":
            data.setdefault("vetoes", {})[ident] = _typed(value, "flag")
        elif kind == "项目":
            item = sheet.items.get(ident)
            kind_of = item.roster_kind(sub) if item is not None else "text"
            if sub:
                data["answers"].setdefault(ident, {})[sub] = _typed(value, kind_of)
            else:
                data["answers"][ident] = _typed(value, kind_of)
        elif kind == "业绩":
            item = sheet.items.get(ident)
            entry: dict[str, Any] = {}
            for column, field_name in ENTRY_COLUMNS:
                if row.get(column) is not None:
                    entry[field_name] = row[column]
            if row.get("佐证材料"):
                entry["evidence"] = [p.strip() for p in str(row["佐证材料"]).replace(";", "；").split("；") if p.strip()]
            for mark in str(row.get("标记") or "").replace(";", "；").split("；"):
                flag_id, _, flag_value = mark.partition("=")
                if flag_id.strip():
                    entry[flag_id.strip()] = _typed(flag_value.strip(), "flag")
            data["answers"].setdefault(ident, []).append(entry)
        else:
            errors.append(BatchError(where, [f"{where}：类别应为 条件 / 否决 / 项目 / 业绩，实际为「{kind}」"]))
    sources = [Source(f"{name}：{person}", data=data) for (person, _, _), data in claims.items()]
    return sources, errors


def roster_rows(data: dict[str, Any]) -> list[dict[str, Any]]:
    """One claim as roster rows (the template's layout); the applicant columns only on the first row."""
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
                marks = "；".join(f"{k}={_text(v)}" for k, v in e.items() if k not in ENTRY_KEYS)
                add(类别="业绩", 编号=item_id, 级别=e.get("level", ""), 角色=e.get("role", ""), 排名=e.get("rank", ""),
                    日期=e.get("date", ""), 名称=e.get("title", ""), 佐证材料="；".join(e.get("evidence", [])), 标记=marks)
        elif isinstance(value, dict):
            for sub, v in value.items():
                add(类别="项目", 编号=f"{item_id}.{sub}", 值=v)
        else:
            add(类别="项目", 编号=item_id, 值=value)
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


# --- scoring -----------------------------------------------------------------------------------------------------


def check_source(source: Source, sheets: dict[str, Sheet]) -> Checked:
    """Score and flag one applicant; ClaimError when the file cannot be read as a claim at all."""
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
    claims, problems = draft_claims(data, sheet, source.name)
    result = score(sheet, claims)
    return Checked(source.name, sheet, claims, result, applicant_flags(sheet, claims, result, problems))


def run_batch(
    sources: list[Source], sheets: dict[str, Sheet], progress: Callable[[int, int], None] | None = None
) -> Batch:
    batch = Batch()
    for i, source in enumerate(sources):
        try:
            batch.rows.append(check_source(source, sheets))
        except ClaimError as exc:
            batch.errors.append(BatchError(source.name, exc.lines))
        if progress is not None:
            progress(i + 1, len(sources))
    lead_conflicts(batch.rows)
    rank_rows(batch.rows)
    return batch
