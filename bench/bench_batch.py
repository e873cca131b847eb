"""Scoring and flagging 10,000 generated claim files, against merely reading and parsing them.

Both are measured in the same run on the same files, once as YAML and once as
JSON (the app exports both). Usage:  python bench/bench_batch.py [--n 10000]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from batchgen import population  # noqa: E402

from scorer import SheetLibrary  # noqa: E402
from scorer.batch import run_batch, sources_from_paths  # noqa: E402
from scorer.safeyaml import parse_text  # noqa: E402
from scorer.serialize import to_json, to_yaml  # noqa: E402


def write_files(folder: Path, n: int, suffix: str) -> None:
    templates = [data for _, data in population()]
    dump = to_yaml if suffix == ".yaml" else to_json
    for i in range(n):
        data = templates[i % len(templates)]
        text = dump(data).replace(data["applicant"]["name"], f"{data['applicant']['name']}-{i}")
        (folder / f"{i:05d}{suffix}").write_text(text, encoding="utf-8")


def measure(n: int, suffix: str, library: SheetLibrary) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        write_files(folder, n, suffix)
        files = sorted(folder.glob(f"*{suffix}"))

        start = time.perf_counter()
        for path in files:
            parse_text(path.read_text(encoding="utf-8"), str(path))
        parse_s = time.perf_counter() - start

        start = time.perf_counter()
        sources, errors = sources_from_paths([folder], library.sheets)
        batch = run_batch(sources, library.sheets)
        full_s = time.perf_counter() - start

    flagged = sum(1 for row in batch.rows if row.flags)
    print(f"{suffix[1:].upper()}: {n} files, scored {len(batch.rows)}, flagged {flagged}, "
          f"unreadable {len(errors) + len(batch.errors)}")
    print(f"  parse only     : {parse_s:6.2f} s  ({n / parse_s:8.0f} files/s)")
    print(f"  score and flag : {full_s:6.2f} s  ({n / full_s:8.0f} claims/s)")
    print(f"  ratio          : {full_s / parse_s:6.2f} x parsing")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=10_000)
    args = parser.parse_args()
    library = SheetLibrary()
    for suffix in (".yaml", ".json"):
        measure(args.n, suffix, library)


if __name__ == "__main__":
    main()
