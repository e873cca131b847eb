"""Load: 10 browser sessions filling the mining sheet at once, against one app process and against two.

Every session is a real Chromium page (one browser, one context per session)
that arrives within the first few seconds (``--arrive``, seeded), starts the
largest sheet (zhejiang-mining-senior-2021) and types ten answers on the basics
step and then the 经历与能力 step, pausing between fields as a person does
(``--think LOW-HIGH`` seconds, seeded; several profiles, comma-separated, run
side by side). The app processes share one PostgreSQL database
(``ZHICHENG_DRAFTS_URL``); with two processes the sessions alternate between
them, as a load balancer would spread them.

A change's latency is measured on the page's websocket: from the moment the
browser sends the rerun that the change causes (BackMsg ``rerun_script``) to
the moment the server says that run finished (ForwardMsg ``script_finished``)
-- the scoring, the draft's save and every delta in between -- by the times the
browser's network stack stamps on the two frames (CDP), so a renderer busy
drawing does not lengthen a change the server has already answered. An error is a
change with no finished run within 30 s, a run that ended in an exception, a
page error, or any notice that a save failed (暂未保存, 草稿库正忙, a conflict).
A draft is lost when, after its session ended, the database does not hold
every value whose run finished (a change that failed is counted as an error).

The baseline is one session alone on one process, in the same run. Rounds are
interleaved (baseline, then every load configuration, again) so machine noise
hits all alike; the figures are over all rounds. The CPU the app processes, this
bench's browsers and everything else on the machine used during each phase is
reported beside the latencies: on a shared machine the last can dominate.

``--clients protocol`` runs every session through ``bench/stclient.py`` instead: the same arrivals, pauses
and answers, spoken over the websocket as the page speaks it (the rerun with the widgets' values, the
query string, the page, the fragment) and every answer read, but nothing rendered, so ten sessions cost
the machine next to nothing and the latencies are the server's (timed by the client from the rerun sent
to ``script_finished`` received). It is what the target means on a machine that also runs the clients;
the browser run stays the check that real pages behave the same.

``--split`` gives the server side (the app processes and PostgreSQL) the first core and the browsers the
others, as if the people typing sat at their own machines: on a small machine ten Chromium pages otherwise
take most of the CPU the server needs, and the latencies measure the browsers' contention as much as the
server's.

Needs Debian's chromium and a PostgreSQL server: ``--db URL``, else
``ZHICHENG_TEST_PG``, else a throwaway one started with .ci/postgres.sh (and
stopped at the end). Each run uses a fresh schema, dropped at the end. Loopback only.
Usage:  python bench/bench_load.py [--sessions 10] [--rounds 3] [--think 0.5-1.5,3-6] [--arrive 5]
                                   [--ports 8611,8612] [--json out.json] [--split] [--clients browser|protocol]
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import contextlib
import json
import os
import random
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from streamlit.proto.BackMsg_pb2 import BackMsg  # noqa: E402
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: E402

from scorer.drafts import open_store  # noqa: E402

sys.path.insert(0, str(ROOT / "bench"))
from stclient import RunFailed, Session  # noqa: E402

sys.path.insert(0, str(ROOT / "tests"))
from browserkit import served_process  # noqa: E402

SHEET = "zhejiang-mining-senior-2021"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-quic", "--no-first-run"]
CHANGE_TIMEOUT = 30.0  # seconds a change may take before it counts as an error
FAILED_SAVE = ("暂未保存", "草稿库正忙", "已在另一个窗口中修改并保存过", "只保存在本窗口", "无法连接草稿数据库")

# (step, input label, the stored path, the value session n types): ten answers, all typed into text inputs
BASICS = "基本信息与申报条件"
EXPERIENCE = "经历与能力"
CHANGES: list[tuple[str, str, tuple[str, ...], Callable[[int], str]]] = [
    (BASICS, "姓名", ("applicant", "name"), lambda n: f"申报人{n}"),
    (BASICS, "工作单位", ("applicant", "unit"), lambda n: f"某矿业公司{n}"),
    (BASICS, "总学时（学时）", ("gates", "ce_hours_2021", "total"), lambda n: str(90 + n % 50)),
    (BASICS, "一般公需科目（学时）", ("gates", "ce_hours_2021", "public"), lambda n: "20"),
    (BASICS, "专业科目（学时）", ("gates", "ce_hours_2021", "professional"), lambda n: str(70 + n % 20)),
    (BASICS, "申报截止日前在温（或本省）社保缴纳月数（个月）", ("gates", "social_insurance"), lambda n: str(12 + n % 48)),
    (BASICS, "取得工程师资格后从事本专业技术工作年限（年）", ("gates", "years_as_engineer"), lambda n: str(5 + n % 20)),
    (EXPERIENCE, "任现职年限（年）", ("answers", "years_in_title"), lambda n: str(5 + n % 10)),
    (EXPERIENCE, "矿山一线工作年限（年）", ("answers", "frontline_years"), lambda n: str(3 + n % 15)),
    (EXPERIENCE, "超出规定的学时（学时）", ("answers", "extra_ce_hours"), lambda n: str(30 + n % 90)),
]


@dataclass
class Outcome:
    latencies: list[float] = field(default_factory=list)  # seconds, one per change that finished
    by_label: dict[str, float] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    draft_id: str | None = None
    values: dict[tuple[str, ...], str] = field(default_factory=dict)

    def took(self, change: Change, seconds: float) -> None:
        """A change whose run finished: its latency, and the value the database must now hold."""
        self.latencies.append(seconds)
        self.by_label[change.label] = seconds
        self.values[change.path] = change.value


@dataclass
class Change:
    """One answer a session types: the step to switch to first (None: already there), the pause before it."""

    step: str | None
    label: str
    path: tuple[str, ...]
    value: str
    pause: float


def planned(n: int, rng: random.Random, think: tuple[float, float]) -> list[Change]:
    """Session ``n``'s ten answers in order, the same for a browser and a protocol client (the pauses drawn from
    ``rng`` after the arrival, in the order the changes come)."""
    out: list[Change] = []
    step = BASICS
    for want_step, label, path, template in CHANGES:
        out.append(Change(want_step if want_step != step else None, label, path, template(n), rng.uniform(*think)))
        step = want_step
    return out


class RunWatch:
    """Times runs on one page's websocket: rerun_script sent -> script_finished received, by the times the
    browser's network stack stamped on the two frames (CDP ``Network.webSocketFrame*``): a busy renderer or a
    late event to this process does not lengthen them, so they are the server's round trip."""

    def __init__(self) -> None:
        self.sent: float | None = None
        self.finished = asyncio.Event()
        self.latency: float | None = None
        self.failed: str | None = None

    def arm(self) -> None:
        self.sent, self.latency, self.failed = None, None, None
        self.finished.clear()

    @staticmethod
    def _payload(event: dict[str, Any]) -> bytes | None:
        frame = event["response"]
        return base64.b64decode(frame["payloadData"]) if frame.get("opcode") == 2 else None  # binary: base64

    def on_sent(self, event: dict[str, Any]) -> None:
        payload = self._payload(event)
        if payload is not None and self.sent is None:
            msg = BackMsg.FromString(payload)
            if msg.WhichOneof("type") == "rerun_script":
                self.sent = event["timestamp"]

    def on_received(self, event: dict[str, Any]) -> None:
        if self.sent is None or self.finished.is_set():
            return
        payload = self._payload(event)
        if payload is None:
            return
        msg = ForwardMsg.FromString(payload)
        if msg.WhichOneof("type") != "script_finished":
            return
        status = msg.script_finished
        if status == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
            return  # interrupted by a newer run: that one's end is the change's end
        if status == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
            self.failed = "脚本编译失败"
        self.latency = event["timestamp"] - self.sent
        self.finished.set()


async def session(browser: Any, url: str, n: int, seed: int, think: tuple[float, float], arrive: float) -> Outcome:
    """One applicant: start the mining sheet, type the ten answers with pauses, time each change."""
    out = Outcome()
    rng = random.Random(seed)
    context = await browser.new_context(viewport={"width": 1280, "height": 900})
    page = await context.new_page()
    page.set_default_timeout(CHANGE_TIMEOUT * 1000)
    watch = RunWatch()
    cdp = await context.new_cdp_session(page)
    await cdp.send("Network.enable")
    cdp.on("Network.webSocketFrameSent", watch.on_sent)
    cdp.on("Network.webSocketFrameReceived", watch.on_received)
    page.on("pageerror", lambda exc: out.errors.append(f"页面错误：{exc}"))
    try:
        await asyncio.sleep(rng.uniform(0, arrive))  # people do not all arrive in the same millisecond
        await page.goto(url)
        await page.locator(f".st-key-pick-{SHEET} button").click()
        await page.get_by_text("基本信息", exact=True).wait_for()
        for change in planned(n, rng, think):
            label = change.label
            if change.step is not None:
                await page.get_by_role("radio", name=change.step, exact=True).click()
                await page.get_by_label(label, exact=True).wait_for()
            await asyncio.sleep(change.pause)
            box = page.get_by_label(label, exact=True)
            await box.fill(change.value)
            watch.arm()
            await box.press("Enter")
            try:
                await asyncio.wait_for(watch.finished.wait(), CHANGE_TIMEOUT)
            except TimeoutError:
                out.errors.append(f"{label}：{CHANGE_TIMEOUT:g} 秒内没有完成")
                continue
            if watch.failed:
                out.errors.append(f"{label}：{watch.failed}")
                continue
            assert watch.latency is not None
            out.took(change, watch.latency)
            if await page.locator("[data-testid='stException']").count():
                out.errors.append(f"{label}：页面显示异常")
        await asyncio.sleep(0.5)  # the last delta drawn
        shown = await page.locator("[data-testid='stAlert']").all_inner_texts()
        out.errors += [f"保存失败的提示：{text[:60]}" for text in shown if any(w in text for w in FAILED_SAVE)]
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(page.url).query)
        out.draft_id = (query.get("draft") or [None])[0]
    except Exception as exc:  # one broken session is an error of the run, not the end of the bench
        out.errors.append(f"会话中断：{type(exc).__name__}: {str(exc)[:120]}")
    finally:
        await context.close()
    return out


async def protocol_session(url: str, n: int, seed: int, think: tuple[float, float], arrive: float) -> Outcome:
    """The same applicant as ``session``, spoken over the websocket by ``bench/stclient.py`` (nothing rendered):
    each change timed from the rerun sent to its run finished, as the client's own clock sees them."""
    out = Outcome()
    rng = random.Random(seed)
    client = Session(url)
    try:
        await asyncio.sleep(rng.uniform(0, arrive))
        await client.open()
        await client.click("选择此表", key=f"pick-{SHEET}")
        for change in planned(n, rng, think):
            label = change.label
            if change.step is not None:
                await client.choose("步骤", change.step)
            await asyncio.sleep(change.pause)
            try:
                run = await client.change(label, change.value)
            except RunFailed as exc:
                out.errors.append(f"{label}：{exc}")
                continue
            out.errors += [f"{label}：页面显示异常 {text[:60]}" for text in run.exceptions]
            out.errors += [f"{label}：保存失败的提示：{text[:60]}" for text in run.alerts if any(w in text for w in FAILED_SAVE)]
            out.took(change, run.seconds)
        out.draft_id = client.query_params.get("draft")
    except Exception as exc:  # one broken session is an error of the run, not the end of the bench
        out.errors.append(f"会话中断：{type(exc).__name__}: {str(exc)[:120]}")
    finally:
        await client.close()
    return out


def lost(store: Any, outcome: Outcome) -> bool:
    """Whether the database misses anything this session typed (a missing draft, or any value not as typed)."""
    if outcome.draft_id is None:
        return True
    draft = store.load(outcome.draft_id)
    if draft is None:
        return True
    for path, value in outcome.values.items():
        node: Any = draft.data
        for part in path:
            node = node.get(part) if isinstance(node, dict) else None
        if node is None or str(node) != value:
            return True
    return False


def running_seconds() -> dict[str, dict[int, float]]:
    """CPU seconds so far of the running browsers (every Chromium process and the Playwright driver) and of the
    database server's processes, by pid: Chromium's renderers are forked by its zygote and never reaped by
    this process, so its own children's times would miss them; they are read while they run instead."""
    out: dict[str, dict[int, float]] = {"browsers": {}, "database": {}}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError, IndexError, ValueError):
            name = Path(entry.path, "comm").read_text().strip()
            kind = "browsers" if "chrom" in name or name.startswith("node") else "database" if name == "postgres" else None
            if kind:
                out[kind][int(entry.name)] = cpu_seconds(int(entry.name))
    return out


def _merge(seen: dict[str, dict[int, float]], now: dict[str, dict[int, float]]) -> None:
    for kind, pids in now.items():
        seen[kind].update(pids)


async def _sample(seen: dict[str, dict[int, float]]) -> None:
    """Each process's CPU as last seen, every half second: a session's renderer exits with its page, and what
    it used would be lost if only the end were read."""
    while True:
        _merge(seen, running_seconds())
        await asyncio.sleep(0.5)


def used_since(before: dict[str, dict[int, float]], after: dict[str, dict[int, float]]) -> dict[str, float]:
    return {kind: sum(t - before[kind].get(pid, 0.0) for pid, t in now.items()) for kind, now in after.items()}


async def phase(urls: list[str], sessions: int, round_no: int, think: tuple[float, float], arrive: float,
                clients: str = "browser") -> tuple[list[Outcome], dict[str, float]]:
    """The sessions' outcomes, and the CPU seconds the browsers and the database used meanwhile."""
    before = running_seconds()
    seen = {kind: dict(pids) for kind, pids in before.items()}
    sampling = asyncio.create_task(_sample(seen))
    if clients == "protocol":
        outcomes = list(await asyncio.gather(*(
            protocol_session(urls[i % len(urls)], n=round_no * 100 + i, seed=round_no * 1000 + i, think=think,
                             arrive=arrive) for i in range(sessions))))
        sampling.cancel()
        _merge(seen, running_seconds())
        return outcomes, used_since(before, seen)
    from playwright.async_api import async_playwright  # the browser run only

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            tasks = [session(browser, urls[i % len(urls)], n=round_no * 100 + i, seed=round_no * 1000 + i, think=think,
                             arrive=arrive)
                     for i in range(sessions)]
            outcomes = list(await asyncio.gather(*tasks))
            sampling.cancel()
            _merge(seen, running_seconds())
            return outcomes, used_since(before, seen)
        finally:
            await browser.close()


# --- the database and the app processes ----------------------------------------------------------
@contextlib.contextmanager
def database(url: str | None) -> Iterator[str]:
    """A fresh schema on the given server (or on a throwaway one); its URL. Dropped at the end."""
    import psycopg

    with contextlib.ExitStack() as stack:
        if url is None:
            folder = Path(tempfile.mkdtemp(prefix="zhicheng-bench-pg-"))
            stack.callback(shutil.rmtree, folder, ignore_errors=True)
            script = str(ROOT / ".ci" / "postgres.sh")
            url = subprocess.run([script, "start", str(folder)], check=True, capture_output=True, text=True).stdout.strip()
            stack.callback(subprocess.run, [script, "stop", str(folder)], check=False)
        name = "bench_" + secrets.token_hex(4)
        with psycopg.connect(url, autocommit=True) as admin:
            admin.execute(f"CREATE SCHEMA {name}")

        def drop() -> None:
            with psycopg.connect(url, autocommit=True) as admin:
                admin.execute(f"DROP SCHEMA {name} CASCADE")

        stack.callback(drop)
        parts = urllib.parse.urlsplit(url)
        options = urllib.parse.urlencode({"options": f"-c search_path={name}"}, quote_via=urllib.parse.quote)
        yield parts._replace(query=options).geturl()


def port_free(port: int) -> bool:
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server does: a closed one in TIME_WAIT is free
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def app_process(port: int, db: str) -> contextlib.AbstractContextManager[tuple[str, int]]:
    """One app process on ``port`` against the shared database (tests/browserkit.py serves it)."""
    return served_process(env={"ZHICHENG_DRAFTS_URL": db}, port=port)


# --- the figures --------------------------------------------------------------------------------
def pct(values: list[float], q: float) -> float:
    """The median for q = 50, else the q-th percentile by nearest rank (p95 of 300 changes: the 285th fastest)."""
    if q == 50:
        return statistics.median(values)
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(q / 100 * len(ordered) + 0.5) - 1))]


TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of one running process (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def client_seconds() -> float:
    """CPU of this process itself (the sessions' driver loop); the browsers' is read by ``running_seconds``."""
    t = os.times()
    return t.user + t.system


def machine_busy() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine since boot, every user's processes included."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]  # idle + iowait
    return (sum(values) - idle) / TICK, sum(values) / TICK


@dataclass
class Config:
    name: str
    sessions: int
    processes: int
    think: tuple[float, float]
    outcomes: list[Outcome] = field(default_factory=list)
    lost: int = 0
    wall: float = 0.0
    server_cpu: float = 0.0
    client_cpu: float = 0.0
    database_cpu: float = 0.0
    machine_cpu: float = 0.0


def think_range(text: str) -> tuple[float, float]:
    low, high = (float(x) for x in text.split("-"))
    if not 0 <= low <= high <= 30:
        raise argparse.ArgumentTypeError("think time: LOW-HIGH seconds, 0 <= LOW <= HIGH <= 30")
    return low, high


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sessions", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--arrive", type=float, default=5.0, help="sessions arrive within this many seconds")
    parser.add_argument("--think", default="0.5-1.5,3-6", help="pauses between fields, LOW-HIGH s; several: comma-separated")
    parser.add_argument("--ports", default="8611,8612")
    parser.add_argument("--db", default=os.environ.get("ZHICHENG_TEST_PG") or None)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--clients", choices=("browser", "protocol"), default="browser",
                        help="browser: Chromium pages; protocol: bench/stclient.py over the websocket, nothing rendered")
    parser.add_argument("--split", action="store_true",
                        help="the server side (app processes, PostgreSQL) on the first core, the browsers on the others")
    args = parser.parse_args()
    if not 1 <= args.sessions <= 50 or not 1 <= args.rounds <= 20 or not 0 <= args.arrive <= 60:
        parser.error("--sessions 1..50, --rounds 1..20, --arrive 0..60")
    thinks = [think_range(t) for t in args.think.split(",")][:4]
    ports = [int(p) for p in args.ports.split(",")][:2]
    for i, port in enumerate(ports):
        if not port_free(port):
            with socket.socket() as s:
                s.bind(("127.0.0.1", 0))
                ports[i] = s.getsockname()[1]
            print(f"端口 {port} 已被占用，改用 {ports[i]}")
    n = args.sessions
    configs = [Config("1 session, 1 process", 1, 1, thinks[0])]
    for think in thinks:
        pause = f", think {think[0]:g}-{think[1]:g}s" if len(thinks) > 1 else ""
        configs += [Config(f"{n} sessions, 1 process{pause}", n, 1, think),
                    Config(f"{n} sessions, 2 processes{pause}", n, 2, think)]
    cores = sorted(os.sched_getaffinity(0))
    split = args.split and len(cores) > 1
    if split:  # what this process starts now inherits the server's core; the browsers, started later, the rest
        os.sched_setaffinity(0, cores[:1])
    with database(args.db) as db, app_process(ports[0], db) as (one, pid_one), app_process(ports[1], db) as (two, pid_two):
        if split:
            for pid in running_seconds()["database"]:  # a server started before this bench; its new backends follow
                with contextlib.suppress(OSError):
                    os.sched_setaffinity(pid, cores[:1])
            os.sched_setaffinity(0, cores[1:])
            print(f"server side on core {cores[0]}, browsers on {', '.join(map(str, cores[1:]))}")
        store = open_store("postgresql", db)
        # warm-up (imports, sheet library): not measured
        asyncio.run(phase([one, two], 2, 99, thinks[0], args.arrive, args.clients))
        for r in range(args.rounds):
            for c, config in enumerate(configs):
                servers = (pid_one, pid_two)[:config.processes]
                before = (time.perf_counter(), sum(cpu_seconds(p) for p in servers), client_seconds(), machine_busy()[0])
                outcomes, used = asyncio.run(phase([one, two][:config.processes], config.sessions, r * 10 + c,
                                                   config.think, args.arrive, args.clients))
                config.wall += time.perf_counter() - before[0]
                config.server_cpu += sum(cpu_seconds(p) for p in servers) - before[1]
                config.client_cpu += client_seconds() - before[2] + used["browsers"]
                config.database_cpu += used["database"]
                config.machine_cpu += machine_busy()[0] - before[3]
                config.outcomes += outcomes
                config.lost += sum(lost(store, o) for o in outcomes)
                print(f"round {r + 1} · {config.name}: {sum(len(o.latencies) for o in outcomes)} changes,"
                      f" {sum(len(o.errors) for o in outcomes)} errors", flush=True)
        store.close()
    report(configs, args)


def report(configs: list[Config], args: argparse.Namespace) -> None:
    baseline = statistics.median(t for o in configs[0].outcomes for t in o.latencies)
    cores = os.cpu_count() or 1
    print(f"\n{'configuration':<40}{'changes':>8}{'p50 ms':>8}{'p95 ms':>8}{'max ms':>8}{'p50/base':>9}"
          f"{'p95/base':>9}{'errors':>7}{'lost':>5}{'app CPU/chg':>12}{'app/clients/db/other CPU %':>28}")
    out: dict[str, Any] = {"baseline_median_ms": round(baseline * 1000, 1), "sessions": args.sessions,
                           "rounds": args.rounds, "arrive_s": args.arrive, "cores": cores, "configs": {}}
    for config in configs:
        times = [t for o in config.outcomes for t in o.latencies]
        errors = [e for o in config.outcomes for e in o.errors]
        p50, p95 = pct(times, 50), pct(times, 95)
        known = config.server_cpu + config.client_cpu + config.database_cpu
        share = [100 * x / (config.wall * cores) for x in
                 (config.server_cpu, config.client_cpu, config.database_cpu, config.machine_cpu - known)]
        per_change = 1000 * config.server_cpu / max(1, len(times))
        print(f"{config.name:<40}{len(times):>8}{p50 * 1000:>8.0f}{p95 * 1000:>8.0f}{max(times) * 1000:>8.0f}"
              f"{p50 / baseline:>9.2f}{p95 / baseline:>9.2f}{len(errors):>7}{config.lost:>5}{per_change:>10.0f}ms"
              f"{' / '.join(f'{x:.0f}' for x in share):>28}")
        out["configs"][config.name] = {
            "think_s": config.think, "changes": len(times), "p50_ms": round(p50 * 1000, 1), "p95_ms": round(p95 * 1000, 1),
            "max_ms": round(max(times) * 1000, 1), "p50_ratio": round(p50 / baseline, 2), "p95_ratio": round(p95 / baseline, 2),
            "errors": errors, "lost": config.lost, "app_cpu_ms_per_change": round(per_change, 1),
            "cpu_percent_app_clients_db_other": [round(x, 1) for x in share]}
        for e in errors[:5]:
            print(f"    {e}")
    print("\nmedian / max ms per change, all configurations:")
    for _, label, _, _ in CHANGES:
        times = [o.by_label[label] for c in configs for o in c.outcomes if label in o.by_label]
        if times:
            print(f"    {label:<40}{statistics.median(times) * 1000:>7.0f}{max(times) * 1000:>7.0f}")
    print(f"\nbaseline: median of one session alone on one process = {baseline * 1000:.0f} ms;"
          f" target: p95 with {args.sessions} sessions <= 3x baseline, 0 errors, 0 drafts lost."
          f"\nCPU % is of all {cores} cores over the phase's wall time: the app processes / this bench's browsers"
          " and driver / the PostgreSQL server / everything else on the machine.")
    if args.json:
        args.json.write_text(json.dumps(out, ensure_ascii=False, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
