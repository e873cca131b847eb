"""Uploaded files and zip archives, read defensively: the limits, the refusals in Chinese, the kinds by name.

Shared by the batch (``scorer.batch``: claim files, rosters and zips of them) and the packet reader
(``scorer.packetload``: an applicant's claim file with its proof documents), so both refuse the same
archives the same way. A member with an absolute or ``..`` path, too many members, or anything too
large by the zip directory refuses the archive; an encrypted, damaged or oddly compressed member is
refused on its own. (The standard library never inflates a member past the size the directory gives,
so checking the directory bounds every read.)
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import PurePosixPath

from . import attachments

MB = 1024 * 1024
MAX_FILE_BYTES = 10 * MB  # one claim file or roster, on its own or as an archive member
MAX_DOCUMENT_BYTES = max(MAX_FILE_BYTES, attachments.MAX_FILE_BYTES)  # one proof document inside a packet
MAX_ARCHIVE_BYTES = 50 * MB  # one archive, compressed (a batch's zip, or one applicant's packet inside it)
MAX_ARCHIVE_TOTAL = 200 * MB  # all members, uncompressed (an archive, or the parts of one xlsx)
MAX_MEMBERS = 20_000
HASH_CHUNK = MB  # a document is hashed a chunk at a time: never held whole
CLAIM_SUFFIXES = (".yaml", ".yml", ".json")
ROSTER_SUFFIXES = (".xlsx", ".xlsm", ".csv")
ARCHIVE_SUFFIXES = (".zip",)
READABLE_SUFFIXES = CLAIM_SUFFIXES + ROSTER_SUFFIXES + ARCHIVE_SUFFIXES

ZIP_METHODS = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA}
LITTER = {".ds_store", "thumbs.db", "desktop.ini"}


class InputError(ValueError):
    """A whole input (file, archive, member, roster) refused, with the reason in words.

    ``str()`` names the input (``name：reason``); ``reason`` is the words alone.
    """

    def __init__(self, message: str, reason: str | None = None):
        super().__init__(message)
        self.reason = reason or message


def mb_text(size: int) -> str:
    return f"{size / MB:.1f}"


def too_big(name: str, size: int, limit: int = MAX_FILE_BYTES, what: str = "单个文件") -> str | None:
    if size > limit:
        return f"{name}：文件过大（{mb_text(size)} MB），{what}不能超过 {limit // MB} MB"
    return None


def refuse(name: str, reason: str) -> InputError:
    return InputError(f"{name}：{reason}", reason)


def decode_text(name: str, raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("gb18030")  # what Chinese Excel writes as "CSV"; a superset of GBK
    except UnicodeDecodeError:
        raise refuse(name, "无法识别文字编码，请另存为 UTF-8 或 GBK") from None


def suffix_of(filename: str) -> str:
    base = base_name(filename).lower()
    return "." + base.rpartition(".")[2] if "." in base else ""


def base_name(filename: str) -> str:
    """A member's file name without its folders (a zip written on Windows may use ``\\``)."""
    name = filename.replace("\\", "/").rpartition("/")[2]
    if name in ("", "."):  # a trailing / or /. : the folder's name, as PurePosixPath reads it
        return PurePosixPath(filename.replace("\\", "/")).name
    return name  # what PurePosixPath(...).name gives for every other name, at a tenth of its cost


def kind_of(filename: str) -> str | None:
    """claim, csv, xlsx or zip by the name's suffix; None for anything else."""
    suffix = suffix_of(filename)
    if suffix in CLAIM_SUFFIXES:
        return "claim"
    if suffix == ".csv":
        return "csv"
    if suffix in (".xlsx", ".xlsm"):
        return "xlsx"
    if suffix in ARCHIVE_SUFFIXES:
        return "zip"
    return None


def is_litter(filename: str) -> bool:
    """What an OS leaves in a folder or zip (``__MACOSX/``, ``.DS_Store``, ``Thumbs.db``): never read, never listed."""
    return "__MACOSX" in filename.replace("\\", "/").split("/") or base_name(filename).lower() in LITTER


def member_limit(filename: str) -> tuple[int, str]:
    """How large a member may be by its kind: a claim file or roster, a packet inside the batch's zip, or
    anything else (a proof document of a packet: only ever hashed)."""
    kind = kind_of(filename)
    if kind == "zip":
        return MAX_ARCHIVE_BYTES, "压缩包内的申报材料包"
    if kind is not None:
        return MAX_FILE_BYTES, "单个文件"
    return MAX_DOCUMENT_BYTES, "单个佐证文件"


def open_archive(name: str, raw: bytes) -> tuple[zipfile.ZipFile, list[zipfile.ZipInfo]]:
    """A zip and its file members, after the checks that refuse the whole archive (InputError)."""
    if (msg := too_big(name, len(raw), MAX_ARCHIVE_BYTES, "压缩包")) is not None:
        raise InputError(msg)
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
        infos = archive.infolist()
    except Exception:  # BadZipFile, and the odd ValueError / OSError / EOFError of a damaged directory
        raise refuse(name, "不是有效的 zip 压缩包（文件已损坏或不完整），请重新打包后上传") from None
    members = [m for m in infos if not m.is_dir()]
    if len(members) > MAX_MEMBERS:
        raise refuse(name, f"压缩包内文件过多（{len(members)} 个，最多 {MAX_MEMBERS} 个）")
    total = 0
    for member in infos:
        path = PurePosixPath(member.filename.replace("\\", "/"))
        if path.is_absolute() or ".." in path.parts or (path.parts and path.parts[0].endswith(":")):
            raise refuse(name, f"压缩包内有不安全的路径「{member.filename}」（绝对路径或 ..），已拒绝整个压缩包")
        if (msg := too_big(f"{name}/{member.filename}", member.file_size, *member_limit(member.filename))) is not None:
            raise InputError(msg + "，已拒绝整个压缩包")
        total += member.file_size
    if total > MAX_ARCHIVE_TOTAL:
        raise refuse(name, f"解压后总大小超过 {MAX_ARCHIVE_TOTAL // MB} MB，已拒绝")
    return archive, members


def _readable(member: zipfile.ZipInfo, name: str) -> None:
    if member.flag_bits & 0x1:
        raise refuse(name, "文件已加密（设置了密码），无法读取；请去掉密码后重新打包")
    if member.compress_type not in ZIP_METHODS:
        raise refuse(name, f"使用了不支持的压缩方式（编号 {member.compress_type}），无法解压；"
                           "请用常见的 zip 格式（Deflate）重新打包")


@contextmanager
def _inflating(name: str) -> Iterator[None]:
    """A damaged member's errors, whatever the decompressor raises, as one Chinese refusal."""
    try:
        yield
    except InputError:
        raise
    except zipfile.BadZipFile as exc:
        damage = "校验和不符" if "CRC" in str(exc) else "压缩数据有误"
        raise refuse(name, f"文件已损坏（{damage}），无法读取；请重新打包后上传") from None
    except Exception:  # zlib.error, EOFError, lzma / bz2 errors of a truncated or damaged member
        raise refuse(name, "无法解压（压缩数据已损坏或不完整），请重新打包后上传") from None


def read_member(archive: zipfile.ZipFile, member: zipfile.ZipInfo, name: str, limit: int = MAX_FILE_BYTES) -> bytes:
    """One member's bytes (at most ``limit`` + 1 read), or InputError saying why it cannot be read."""
    _readable(member, name)
    with _inflating(name), archive.open(member) as handle:
        data = handle.read(limit + 1)
    if (msg := too_big(name, len(data), limit)) is not None:
        raise InputError(msg)
    return data


def hash_member(archive: zipfile.ZipFile, member: zipfile.ZipInfo, name: str,
                limit: int = MAX_DOCUMENT_BYTES) -> tuple[int, str]:
    """(size, SHA-256) of one member, read a chunk at a time and never parsed: a proof document in a
    packet is only compared with what the claim file lists. InputError when it cannot be read."""
    _readable(member, name)
    digest, size = hashlib.sha256(), 0
    with _inflating(name), archive.open(member) as handle:
        while chunk := handle.read(HASH_CHUNK):
            size += len(chunk)
            if size > limit:
                raise InputError(too_big(name, size, limit, "单个佐证文件") or name)
            digest.update(chunk)
    return size, digest.hexdigest()
