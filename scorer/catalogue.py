"""The catalogue of an applicant's proof documents: every attached file numbered as the binder holds it.

``section-item-n`` (``2-1-3``: the third document of the first item of section 二), ``0-g-n`` for the
documents of the g-th 申报条件 and ``0-0-n`` for the ID photo. Its own module because the filled form
(``scorer.export``, column 佐证目录) and the binder (``scorer.packet``) both number documents, the same way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .attachments import FileRef
from .claims import PHOTO, Claims
from .model import Sheet


@dataclass(frozen=True)
class Document:
    number: str
    target: str  # answers.<item>[i], answers.<item>, gates.<gate>, applicant.photo
    where: str  # the item, gate or 证件照, as the sheet names it
    entry: str  # the entry as a person names it (第1条「某矿」), or ""
    ref: FileRef

    def heading(self) -> str:
        return " · ".join(p for p in (self.number, self.where, self.entry) if p)

    def filename(self) -> str:
        """Its name in the packet's zip (``2-1-3_立项书.pdf``): what ``scorer.packet.packet_zip`` writes and
        ``scorer.packetload`` looks for."""
        return f"{self.number}_{safe_name(self.ref.name)}"


def safe_name(name: str) -> str:
    """A member name that unpacks anywhere: no folders, no control or reserved characters."""
    cleaned = re.sub(r'[\x00-\x1f\x7f/\\:*?"<>|]+', "_", name).strip(" .") or "附件"
    return cleaned[:120]


def catalogue(sheet: Sheet, claims: Claims) -> list[Document]:
    """Every attached document, numbered in the order the binder holds them."""
    docs: list[Document] = []
    for n, ref in enumerate(claims.attachments.get(PHOTO, ()), 1):
        docs.append(Document(f"0-0-{n}", PHOTO, "证件照", "", ref))
    for g, gate in enumerate(sheet.gates, 1):
        for n, ref in enumerate(claims.attachments.get(f"gates.{gate.id}", ()), 1):
            docs.append(Document(f"0-{g}-{n}", f"gates.{gate.id}", gate.question, "", ref))
    for s, section in enumerate(sheet.sections, 1):
        for i, item in enumerate(section.scored_items(), 1):
            n = 0
            for ref in claims.attachments.get(f"answers.{item.id}", ()):
                n += 1
                docs.append(Document(f"{s}-{i}-{n}", f"answers.{item.id}", item.label, "", ref))
            answer = claims.answers.get(item.id)
            for index, entry in enumerate(answer if isinstance(answer, list) else []):
                for ref in entry.files:
                    n += 1
                    docs.append(Document(f"{s}-{i}-{n}", f"answers.{item.id}[{index}]", item.label,
                                         entry.describe(index), ref))
    return docs


def numbers_of(docs: list[Document], target: str, *, whole_item: bool = False) -> str:
    """The catalogue numbers behind one target (an item with its entries when ``whole_item``): 2-1-1、2-1-2."""
    return "、".join(d.number for d in docs if d.target == target or (whole_item and d.target.startswith(target + "[")))
