"""Redraw docs/binder.png: the first pages of a binder built from the mining example (cover, 打分表, 目录, a
stamped document page), side by side. Needs pdftoppm (poppler-utils). Usage: python docs/binder_picture.py"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from PIL import Image  # noqa: E402
from test_packet import Packet  # noqa: E402

from scorer import SheetLibrary  # noqa: E402
from scorer.packet import binder_pdf  # noqa: E402


def main() -> None:
    packet = Packet(SheetLibrary())
    data, _ = binder_pdf(packet.sheet, packet.claims, packet.result, packet.blobs.get)
    with tempfile.TemporaryDirectory() as tmp:
        pdf = Path(tmp) / "binder.pdf"
        pdf.write_bytes(data)
        subprocess.run(["pdftoppm", "-png", "-r", "45", str(pdf), str(Path(tmp) / "p")], check=True)
        pages = sorted(Path(tmp).glob("p-*.png"))
        chosen = [Image.open(p).convert("RGB") for p in (pages[0], pages[1], pages[2], pages[8])]
        width = sum(i.width for i in chosen) + 10 * (len(chosen) - 1)
        strip = Image.new("RGB", (width, max(i.height for i in chosen)), "#d8d8d8")
        x = 0
        for image in chosen:
            strip.paste(image, (x, 0))
            x += image.width + 10
        strip.save(ROOT / "docs" / "binder.png")


if __name__ == "__main__":
    main()
