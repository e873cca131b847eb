"""What Streamlit's collection after every run costs, and what turning it off costs in memory.

Streamlit calls ``gc.collect(2)`` after each script run unless ``runner.postScriptGC`` is false, as the
app's ``.streamlit/config.toml`` sets it. This serves the app twice side by side, with the collection
(``--runner.postScriptGC true``) and without, and measures:

1. CPU per change: one session (``bench/stclient.py``) starts the mining sheet and types ``--changes``
   answers with a short pause between them; the server process's CPU (/proc) over the whole session is
   divided by the runs it asked for. Rounds alternate between the two servers; medians, with the latency.
2. Memory: waves of 10 concurrent sessions of 12 changes each, the server's resident memory after each.
3. A unit's batch, which does leave cyclic garbage: 2,000 generated claim files scored with their
   workbook, the result replaced eight times in one process (as a unit re-uploading), once with a forced
   collection after each and once leaving it to Python's collector; resident memory after each.

Loopback only, SQLite drafts in a temporary folder.
Usage:  python bench/bench_collect.py [--rounds 3] [--changes 30] [--waves 6]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "bench"))
from bench_load import cpu_seconds  # noqa: E402
from browserkit import served_process  # noqa: E402
from stclient import Session  # noqa: E402

SHEET = "zhejiang-mining-senior-2021"
LABELS = ["姓名", "工作单位", "总学时（学时）", "一般公需科目（学时）", "专业科目（学时）"]

def rss_mb(pid: int) -> int:
    line = next(x for x in Path(f"/proc/{pid}/status").read_text().splitlines() if x.startswith("VmRSS"))
    return int(line.split()[1]) // 1024


async def one_session(url: str, changes: int, n: int, pause: float) -> tuple[int, list[float]]:
    """Runs asked for, and the latency of each change."""
    client = Session(url)
    times: list[float] = []
    try:
        await client.open()
        await client.click("选择此表", key=f"pick-{SHEET}")
        for i in range(changes):
            run = await client.change(LABELS[i % len(LABELS)], str(n * 1000 + i))
            times.append(run.seconds)
            await asyncio.sleep(pause)
    finally:
        await client.close()
    return 2 + changes, times


def batch_memory(forced: bool) -> list[int]:
    """Resident MB after each of eight batches of 2,000 generated files replaced one another (a fresh process)."""
    code = f"""
import gc, sys, tempfile
from pathlib import Path
sys.path[:0] = [{str(ROOT)!r}, {str(ROOT / "bench")!r}]
from bench_batch import write_files
from scorer.batch import PathReader, run_batch
from scorer.export import batch_xlsx
from scorer.loader import SheetLibrary
folder = Path(tempfile.mkdtemp(prefix="zhicheng-collect-"))
write_files(folder, 2000, ".json")
lib = SheetLibrary(None)
sources = list(PathReader([str(folder)], lib.sheets))
kept = {{}}
for _ in range(8):
    batch = run_batch(sources, lib.sheets)
    kept["batch"] = (batch, batch_xlsx(batch.rows, batch.errors, None))
    del batch
    if {forced}:
        gc.collect(2)
    print(int(next(x for x in open("/proc/self/status") if x.startswith("VmRSS")).split()[1]) // 1024)
"""
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout
    return [int(x) for x in out.split()]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--changes", type=int, default=30)
    parser.add_argument("--waves", type=int, default=6)
    args = parser.parse_args()
    if not 1 <= args.rounds <= 20 or not 1 <= args.changes <= 200 or not 1 <= args.waves <= 20:
        parser.error("--rounds 1..20, --changes 1..200, --waves 1..20")
    with tempfile.TemporaryDirectory() as tmp, \
            served_process(Path(tmp) / "on.db", options=("--runner.postScriptGC", "true")) as (on_url, on_pid), \
            served_process(Path(tmp) / "off.db", options=("--runner.postScriptGC", "false")) as (off_url, off_pid):
        servers = {"collect after each run": (on_url, on_pid), "no collection (the app's)": (off_url, off_pid)}
        asyncio.run(one_session(on_url, 3, 0, 0.05))  # warm-up: imports, sheet library
        asyncio.run(one_session(off_url, 3, 0, 0.05))
        cpu: dict[str, list[float]] = {name: [] for name in servers}
        latency: dict[str, list[float]] = {name: [] for name in servers}
        for r in range(args.rounds):
            for name, (url, pid) in servers.items():
                before = cpu_seconds(pid)
                runs, times = asyncio.run(one_session(url, args.changes, r + 1, 0.05))
                cpu[name].append((cpu_seconds(pid) - before) / runs)
                latency[name] += times
        print(f"1. one session, {args.changes} changes, {args.rounds} rounds alternating (server CPU per run asked for):")
        for name in servers:
            print(f"   {name:<28} CPU {statistics.median(cpu[name]) * 1000:5.0f} ms per run;"
                  f" latency median {statistics.median(latency[name]) * 1000:5.0f} ms")
        names = list(servers)
        print(f"   ratio without / with: {statistics.median(cpu[names[1]]) / statistics.median(cpu[names[0]]):.2f}")

        async def wave(url: str, w: int) -> None:
            await asyncio.gather(*(one_session(url, 12, w * 10 + k, 0.05) for k in range(10)))

        print("2. waves of 10 concurrent sessions x 12 changes, resident memory after each (MB):")
        rows: dict[str, list[int]] = {name: [] for name in servers}
        for w in range(args.waves):
            for name, (url, pid) in servers.items():
                asyncio.run(wave(url, w))
                rows[name].append(rss_mb(pid))
        for name in servers:
            print(f"   {name:<28} {rows[name]}")
    print("3. a batch of 2,000 claim files with its workbook, replaced eight times in one process (MB):")
    print(f"   {'forced collection after each':<28} {batch_memory(True)}")
    print(f"   {'Python collector only':<28} {batch_memory(False)}")


if __name__ == "__main__":
    main()
