"""An applicant's packet in a unit's batch: recognised, its documents hashed, checked against the claim file.

A packet is the zip ``scorer.packet.packet_zip`` makes (the result page's 附件压缩包): the claim file and
the proof documents named by catalogue number (``2-1-3_立项书.pdf``). A batch takes one as an upload of
its own, or inside the batch's zip as one member per applicant (never deeper: a zip inside a packet
makes it no packet). A zip is read as a packet when it holds exactly one claim file and at least one
other file, no roster and no zip, and its claim file lists documents (``files:`` on an entry, or
``attachments:``); a claim file that cannot be parsed counts as listing them, so the packet's own
error is reported once rather than each of its documents as "not read". Any other zip is a batch.

The documents are not trusted: each is only hashed (SHA-256, a chunk at a time; never parsed, never
kept), within the archive limits (``scorer.archives``). A packet inside the batch's zip costs its
unpacked size against the batch's ``Budget``, so a zip of small zips cannot unpack without bound.

``verify`` then compares, once the claim file is read against its sheet: a listed document is **held**
when some member has its SHA-256 and size (whatever its name: a renamed copy is the same document).
Otherwise the member under the name the packet gives it (or under its own file name) tells what is
wrong: missing, unreadable, changed (the expected and the found SHA-256's first 12 digits), or of
another size. A document not held counts as not attached (``scorer.proof``'s ``kept``).
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from .archives import (
    MAX_ARCHIVE_TOTAL,
    MAX_DOCUMENT_BYTES,
    MB,
    InputError,
    base_name,
    decode_text,
    hash_member,
    is_litter,
    kind_of,
    read_member,
    refuse,
)
from .attachments import FileRef
from .catalogue import Document, catalogue, safe_name
from .claims import Claims
from .errors import short
from .model import Sheet
from .safeyaml import ParseError, parse_text

HASH_SHOWN = 12  # hex digits of a SHA-256 a message shows
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f]")


def shown(name: str) -> str:
    """A file name as a message quotes it: a name from a zip or a claim file is not trusted, so no control
    character or line break reaches a terminal or a page, and a long one is cut."""
    return short(_UNPRINTABLE.sub("?", name), 80)


class Budget:
    """What the packets inside one upload may unpack to, together: each costs its documents' sizes."""

    def __init__(self, total: int = MAX_ARCHIVE_TOTAL) -> None:
        self.total = total
        self.left = total

    def spend(self, name: str, size: int) -> None:
        if size > self.left:
            raise refuse(name, f"与同一压缩包中的其他申报材料包解压后合计超过 {self.total // MB} MB，此材料包未读取；"
                               "请把材料包分成几批上传")
        self.left -= size


@dataclass(frozen=True)
class Member:
    """One file of a packet besides its claim file, as hashed: never its bytes."""

    name: str  # its path in the zip
    size: int
    sha256: str = ""  # empty when it could not be read
    problem: str = ""  # why it could not be read


@dataclass(frozen=True)
class Manifest:
    """What a packet holds besides its claim file (small and plain: it travels to the batch's workers)."""

    archive: str
    members: tuple[Member, ...]


@dataclass(frozen=True)
class PacketRead:
    claim_name: str  # archive/member, the batch's source name
    text: str
    data: dict[str, Any] | None  # the claim file parsed (read here already), None when it is no mapping
    manifest: Manifest


def _parsed(text: str, name: str) -> dict[str, Any] | None:
    """The claim file's data, or None when it cannot be parsed or is no mapping (its error is the batch's to say)."""
    try:
        data = parse_text(text, name).data
    except ParseError:
        return None
    return data if isinstance(data, dict) else None


def _lists_documents(data: dict[str, Any] | None) -> bool:
    """Whether a claim file lists attached documents; one that cannot be parsed is taken to (see the module)."""
    if data is None:
        return True
    if data.get("attachments"):
        return True
    answers = data.get("answers")
    for value in answers.values() if isinstance(answers, dict) else ():
        if isinstance(value, list) and any(isinstance(e, dict) and e.get("files") for e in value):
            return True
    return False


def _hashed(archive: zipfile.ZipFile, member: zipfile.ZipInfo, name: str) -> Member:
    path = f"{name}/{member.filename}"
    try:
        size, sha256 = hash_member(archive, member, path, MAX_DOCUMENT_BYTES)
    except InputError as exc:
        return Member(member.filename, member.file_size, problem=exc.reason)
    return Member(member.filename, size, sha256)


def packet_parts(names: Sequence[str]) -> tuple[int, list[int]] | None:
    """Where a packet's claim file and documents are among ``names`` (a zip's members, the files of a folder):
    exactly one claim file and at least one other file, and nothing a batch reads besides (no roster, no
    zip); None when these are no packet's. Litter (Thumbs.db and the like) is no part of it."""
    claim: int | None = None
    others: list[int] = []
    for i, name in enumerate(names):  # stops at a second claim file: a folder of a batch's 100,000 is none
        if is_litter(name):
            continue
        kind = kind_of(name)
        if kind is None:
            others.append(i)
        elif kind != "claim" or claim is not None:
            return None
        else:
            claim = i
    return (claim, others) if claim is not None and others else None


def packet_of(claim_path: str, text: str, manifest: Callable[[], Manifest]) -> PacketRead | None:
    """The packet whose claim file (``text``) lists documents, its ``manifest`` then made (hashing them); None
    when the claim file lists none (its folder or zip is then read as files of a batch)."""
    data = _parsed(text, claim_path)
    if not _lists_documents(data):
        return None
    return PacketRead(claim_path, text, data, manifest())


def read_packet(name: str, archive: zipfile.ZipFile, members: list[zipfile.ZipInfo], budget: Budget) -> PacketRead | None:
    """The packet an opened zip is (its claim file's text and its documents' hashes), or None when it is not one.

    InputError when it is a packet that cannot be read: its claim file is damaged, or the upload's
    budget is spent.
    """
    parts = packet_parts([m.filename for m in members])
    if parts is None:
        return None
    claim, others = members[parts[0]], [members[i] for i in parts[1]]
    claim_path = f"{name}/{claim.filename}"
    text = decode_text(claim_path, read_member(archive, claim, claim_path))

    def manifest() -> Manifest:
        budget.spend(name, sum(m.file_size for m in others))
        return Manifest(name, tuple(_hashed(archive, m, name) for m in others))

    return packet_of(claim_path, text, manifest)


# --- checking the documents against the claim file ------------------------------------------------------------


@dataclass(frozen=True)
class DocumentCheck:
    """One document the claim file lists, and what the packet showed of it (``problem`` empty: held)."""

    number: str
    ref: FileRef
    where: str  # the item or gate and the entry, as a person names them
    problem: str = ""

    @property
    def held(self) -> bool:
        return not self.problem

    def line(self) -> str:
        return f"{self.number} {shown(self.ref.name)}（{self.where}）：{self.problem}"


@dataclass(frozen=True)
class PacketCheck:
    """A packet's documents checked: each listed one held or not, and the files no listed one matched."""

    archive: str
    documents: tuple[DocumentCheck, ...]
    unlisted: tuple[str, ...]  # member names: not proof of anything listed
    kept_keys: frozenset[tuple[str, int]]  # (SHA-256, size) of every document held

    def kept(self, ref: FileRef) -> bool:
        """Whether an attached document counts: the packet holds it as listed."""
        return (ref.sha256, ref.size) in self.kept_keys

    @property
    def failed(self) -> list[DocumentCheck]:
        return [d for d in self.documents if not d.held]

    def summary(self) -> str:
        """One line for a person: how many documents were listed, held, and what else the packet held."""
        failed = len(self.failed)
        text = f"佐证文件 {len(self.documents)} 份，核对一致 {len(self.documents) - failed} 份"
        if failed:
            text += f"，缺少或不符 {failed} 份"
        if self.unlisted:
            text += f"；另有 {len(self.unlisted)} 份未在申报文件中列出（不作为佐证）"
        return text


def _where(d: Document) -> str:
    return " ".join(p for p in (d.where, d.entry) if p)


def _problem(d: Document, found: Member | None) -> str:
    ref = d.ref
    if found is None:
        return f"材料包中没有这份文件（应为「{shown(d.filename())}」）"
    name = shown(found.name)
    if found.problem:
        return f"材料包中的「{name}」无法读取：{found.problem}"
    size = f"大小应为 {ref.size} 字节，实际为 {found.size} 字节"
    if found.sha256 != ref.sha256:
        changed = (f"「{name}」与申报文件所列不符（内容已改动或换过）：SHA-256 应为 {ref.sha256[:HASH_SHOWN]}…，"
                   f"实际为 {found.sha256[:HASH_SHOWN]}…")
        return changed + (f"；{size}" if found.size != ref.size else "")
    return f"「{name}」的{size}（SHA-256 相同，申报文件所列大小有误）"


def verify(manifest: Manifest, sheet: Sheet, claims: Claims) -> PacketCheck:
    """Every document the claim file lists (``scorer.catalogue``), checked against what the packet holds."""
    held = {(m.sha256, m.size) for m in manifest.members if m.sha256}
    by_name: dict[str, Member] = {}
    for m in manifest.members:
        by_name.setdefault(base_name(m.name), m)
    used: set[str] = set()
    checks = []
    for d in catalogue(sheet, claims):
        if (d.ref.sha256, d.ref.size) in held:
            checks.append(DocumentCheck(d.number, d.ref, _where(d)))
            continue
        found = by_name.get(d.filename()) or by_name.get(safe_name(d.ref.name))
        if found is not None:
            used.add(found.name)
        checks.append(DocumentCheck(d.number, d.ref, _where(d), _problem(d, found)))
    listed = {(c.ref.sha256, c.ref.size) for c in checks}
    unlisted = tuple(m.name for m in manifest.members if m.name not in used and (m.sha256, m.size) not in listed)
    kept = frozenset(k for k in listed if k in held)
    return PacketCheck(manifest.archive, tuple(checks), unlisted, kept)
