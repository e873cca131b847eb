"""Applicants' packets for the batch tests: the mining worked example's first case (80 points) with documents
made here (small real PDFs and PNGs), zipped by ``scorer.packet.packet_zip`` as the result page zips them.

Documents: a photo (PNG, 0-0-1), the diploma on 学历 (1-1-1), two files on the first mine project (2-1-1 合同,
2-1-2 人员名单), one on the third (2-1-3 立项书) and a PNG certificate on the award (3-1-1 获奖证书).
"""

from __future__ import annotations

import copy
import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from helpers import CASES_DIR
from PIL import Image
from test_packet import pdf

from scorer import SheetLibrary, claims_from_data
from scorer.attachments import inspect
from scorer.cases import case_claims, load_case_file
from scorer.packet import packet_zip
from scorer.serialize import to_yaml

MINING = "zhejiang-mining-senior-2021"


def png(size: tuple[int, int] = (120, 160)) -> bytes:
    out = io.BytesIO()
    Image.effect_noise(size, 60).convert("RGB").save(out, "PNG")
    return out.getvalue()


@dataclass
class Built:
    """One applicant's packet: the claim data (with the documents' references), the claim file, the zip."""

    data: dict[str, Any]
    claim_file: bytes
    archive: bytes
    refs: dict[str, dict[str, Any]]  # catalogue number -> the reference the claim file lists


def mining_packet(library: SheetLibrary, name: str = "示例申报人") -> Built:
    case_file, parsed = load_case_file(CASES_DIR / f"{MINING}.yaml")
    data: dict[str, Any] = copy.deepcopy(case_claims(case_file, parsed, 0).data)
    data["applicant"]["name"] = name
    blobs: dict[str, bytes] = {}
    refs: dict[str, dict[str, Any]] = {}
    who = name.encode("unicode_escape").decode("ascii")  # in the PDFs' text: each applicant's files differ

    def add(number: str, file_name: str, raw: bytes) -> dict[str, Any]:
        attachment = inspect(file_name, raw)
        blobs[attachment.ref.sha256] = attachment.data
        refs[number] = attachment.ref.to_data()
        return refs[number]

    data["attachments"] = {"applicant.photo": [add("0-0-1", "证件照.png", png((300, 420)))],
                           "answers.education": [add("1-1-1", "毕业证书.pdf", pdf(1, f"{who} diploma"))]}
    answers = data["answers"]
    answers["mine_projects"][0]["files"] = [add("2-1-1", "合同.pdf", pdf(2, f"{who} contract")),
                                            add("2-1-2", "人员名单.pdf", pdf(1, f"{who} staff"))]
    answers["mine_projects"][2]["files"] = [add("2-1-3", "立项书.pdf", pdf(3, f"{who} approval"))]
    answers["awards"][0]["files"] = [add("3-1-1", "获奖证书.png", png())]
    sheet, claims = claims_from_data(data, library.sheets)
    claim_file = to_yaml(claims.to_data()).encode("utf-8")
    archive, missing = packet_zip(sheet, claims, blobs.get, claim_file)
    assert missing == []
    return Built(claims.to_data(), claim_file, archive, refs)


def rezip(archive: bytes, change: Callable[[str, bytes], bytes | None]) -> bytes:
    """The same zip with each member passed through ``change`` (None drops it)."""
    src = zipfile.ZipFile(io.BytesIO(archive))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            data = change(info.filename, src.read(info))
            if data is not None:
                out.writestr(info.filename, data)
    return buf.getvalue()


def one_byte_changed(data: bytes) -> bytes:
    out = bytearray(data)
    out[len(out) // 2] ^= 0x01
    return bytes(out)


