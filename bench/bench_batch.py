"""The CLI's batch on 10,000 and 100,000 generated claim files, against merely reading and parsing them.

For each size and format (YAML, JSON) the files are written once, then every measurement runs in a
fresh child process, interleaved round by round (parse only, batch, batch with --xlsx, in a rotated
order), and the median of the rounds is reported with the ratio to the parse-only median of the same
run. ``--before TREE`` also runs another checkout (e.g. ``git archive main``) in the same rounds at the
small size, for before/after figures. Each child reports its own time (from the first file to the last
output; the interpreter's start is left out), its peak memory and that of its largest worker process.
The machine's load is printed with every figure: others' work on a shared machine slows both sides.

Usage:  python bench/bench_batch.py [--sizes 10000 100000] [--rounds 3] [--large-rounds 1] [--before DIR]
        [--before-rounds 1] [--formats .yaml .json]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def write_files(folder: Path, n: int, suffix: str) -> None:
    """``n`` claim files cycling through the generated population, each applicant's name made unique."""
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "tests"))
    from batchgen import population

    from scorer.serialize import to_json, to_yaml

    dump = to_yaml if suffix == ".yaml" else to_json
    templates = [(data["applicant"]["name"], dump(data)) for _, data in population()]
    for i in range(n):
        name, text = templates[i % len(templates)]
        (folder / f"{i:06d}{suffix}").write_text(text.replace(name, f"{name}-{i}"), encoding="utf-8")


# --- the child: one measurement in a fresh process ----------------------------------------------------------


def child(mode: str, tree: str, folder: str, out: str) -> None:
    import resource

    sys.path.insert(0, tree)
    if mode == "parse":
        from scorer.safeyaml import parse_text

        files = sorted(Path(folder).iterdir())
        start = time.perf_counter()
        for path in files:
            parse_text(path.read_text(encoding="utf-8"), str(path))
        seconds = time.perf_counter() - start
        output = 0
    else:
        from scorer.cli import main

        args = ["batch", folder] + (["--xlsx", str(Path(out) / "checked.xlsx")] if mode == "xlsx" else [])
        start = time.perf_counter()
        with open(Path(out) / "stdout.txt", "w", encoding="utf-8") as sink:
            saved, sys.stdout = sys.stdout, sink
            try:
                main(args)
            finally:
                sys.stdout = saved
        seconds = time.perf_counter() - start
        output = (Path(out) / "stdout.txt").stat().st_size
    import scorer

    assert str(Path(scorer.__file__).resolve()).startswith(str(Path(tree).resolve())), scorer.__file__
    print(json.dumps({"seconds": seconds, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                      "worker_peak_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
                      "output_bytes": output}))


# --- the parent: rounds, medians, ratios -------------------------------------------------------------------


def run_child(mode: str, tree: Path, folder: Path) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as out:
        load = os.getloadavg()[0]
        done = subprocess.run([sys.executable, __file__, "--child", mode, str(tree), str(folder), out],
                              cwd=tree, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise SystemExit(f"{mode} in {tree} failed:\n{done.stderr}")
        result = json.loads(done.stdout.strip().splitlines()[-1])
        result["load"] = (load + os.getloadavg()[0]) / 2
        return result


def measure(n: int, suffix: str, rounds: int, before: Path | None, before_rounds: int = 1) -> dict[str, list[dict[str, Any]]]:
    runs: dict[str, list[dict[str, Any]]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "claims"
        folder.mkdir()
        write_files(folder, n, suffix)
        plan = [("parse", ROOT), ("batch", ROOT), ("xlsx", ROOT)]
        if before is not None:
            plan += [("parse", before), ("batch", before), ("xlsx", before)]
        for r in range(rounds):
            now = plan if r < before_rounds else plan[:3]
            shift = r % len(now)
            for mode, tree in now[shift:] + now[:shift]:
                key = mode if tree == ROOT else f"before {mode}"
                result = run_child(mode, tree, folder)
                runs.setdefault(key, []).append(result)
                print(f"    {suffix[1:]} {n} round {r + 1}: {key:13} {result['seconds']:7.2f} s "
                      f"(load {result['load']:.1f})", flush=True)
    return runs


def median(runs: list[dict[str, Any]], key: str) -> float:
    return statistics.median(r[key] for r in runs)


def report(n: int, suffix: str, runs: dict[str, list[dict[str, Any]]]) -> dict[str, float]:
    fmt = suffix[1:].upper()
    loads = [r["load"] for rs in runs.values() for r in rs]
    print(f"{fmt}, {n} files ({len(runs['parse'])} rounds, load {min(loads):.1f}-{max(loads):.1f} on "
          f"{os.cpu_count()} cores):")
    figures: dict[str, float] = {}
    for side in ("", "before "):
        if f"{side}parse" not in runs:
            continue
        parse = median(runs[f"{side}parse"], "seconds")
        print(f"  {side or 'now '}parse only        : {parse:7.2f} s")
        for mode, label in (("batch", "scored and flagged"), ("xlsx", "with --xlsx")):
            rs = runs[f"{side}{mode}"]
            seconds = median(rs, "seconds")
            peak = max(r["peak_mb"] for r in rs)
            worker = max(r["worker_peak_mb"] for r in rs)
            out = max(r["output_bytes"] for r in rs) / 1e6
            print(f"  {side or 'now '}{label:18}: {seconds:7.2f} s = {seconds / parse:5.2f} x parse only; "
                  f"{seconds / n * 1e6:6.0f} us per file; peak {peak:5.0f} MB (largest worker {worker:4.0f} MB); "
                  f"output {out:5.1f} MB")
            figures[f"{side}{mode}"] = seconds
            figures[f"{side}{mode} per file"] = seconds / n
        figures[f"{side}parse"] = parse
    return figures


def header() -> str:
    """What was measured, when, and on what: the commit (its working tree marked when it has changes), the
    date, the cores and the load at the start."""
    def git(*words: str) -> str:
        done = subprocess.run(["git", *words], cwd=ROOT, capture_output=True, text=True, check=False)
        return done.stdout.strip() if done.returncode == 0 else "?"

    dirty = " (with uncommitted changes)" if git("status", "--porcelain", "--untracked-files=no") else ""
    return (f"# commit {git('rev-parse', '--short', 'HEAD')}{dirty}, {time.strftime('%Y-%m-%d %H:%M')}, "
            f"{os.cpu_count()} cores, load {os.getloadavg()[0]:.1f} at the start")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--rounds", type=int, default=3, help="rounds at the first size")
    parser.add_argument("--large-rounds", type=int, default=1, help="rounds at the other sizes")
    parser.add_argument("--formats", nargs="+", default=[".yaml", ".json"])
    parser.add_argument("--before", type=Path, help="another checkout to run beside this one at the first size")
    parser.add_argument("--before-rounds", type=int, default=1, help="rounds in which --before runs too")
    parser.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    print(header(), flush=True)
    figures: dict[tuple[int, str], dict[str, float]] = {}
    for suffix in args.formats:
        for k, n in enumerate(args.sizes):
            runs = measure(n, suffix, args.rounds if k == 0 else args.large_rounds, args.before if k == 0 else None,
                           args.before_rounds)
            figures[(n, suffix)] = report(n, suffix, runs)
    small = args.sizes[0]
    for suffix in args.formats:
        for n in args.sizes[1:]:
            for mode in ("batch", "xlsx"):
                ratio = figures[(n, suffix)][f"{mode} per file"] / figures[(small, suffix)][f"{mode} per file"]
                print(f"{suffix[1:].upper()} {mode}: time per file at {n} = {ratio:.2f} x at {small}")


if __name__ == "__main__":
    main()
