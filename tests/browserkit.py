"""What the real-browser tests share: the system Chromium, its flags, and the app served on a free port."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from helpers import ROOT

CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-quic", "--no-first-run"]
EXPECT_TIMEOUT_MS = 30_000  # a loaded CI machine can take seconds per rerun: assertions wait as long as actions do


def patient_expect() -> None:
    """Playwright's ``expect`` waits 5 s by default; give it the actions' 30 s."""
    from playwright.sync_api import expect

    expect.set_options(timeout=EXPECT_TIMEOUT_MS)


needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="Chromium 未安装（apt-get install -y chromium）：跳过真实浏览器测试")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def served_app(drafts_db: Path | None = None, *, env: dict[str, str] | None = None, port: int | None = None
               ) -> Iterator[str]:
    """``streamlit run app.py`` on 127.0.0.1 (a free port unless given); the URL once it is healthy.

    The drafts go to their own SQLite file ``drafts_db``, or wherever ``env`` says
    (``ZHICHENG_DRAFTS_URL`` for PostgreSQL, shared by several served apps).
    """
    with served_process(drafts_db, env=env, port=port) as (url, _):
        yield url


@contextmanager
def served_process(drafts_db: Path | None = None, *, env: dict[str, str] | None = None, port: int | None = None,
                   log: Path | None = None, options: tuple[str, ...] = (), script: str = "app.py"
                   ) -> Iterator[tuple[str, int]]:
    """As ``served_app``, with the server's process id (the load bench measures its CPU); the server's output
    goes to ``log`` when given (the privacy test reads it), with any extra ``streamlit run`` ``options``; another
    ``script`` than the app (the browser bench serves a bare script beside it)."""
    port = port or _free_port()
    base = {k: v for k, v in os.environ.items() if not (drafts_db and k == "ZHICHENG_DRAFTS_URL")}
    env = {**base, **({"ZHICHENG_DRAFTS_DB": str(drafts_db)} if drafts_db else {}), **(env or {})}
    output: Any = log.open("ab") if log is not None else subprocess.DEVNULL
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", script, "--server.port", str(port), "--server.headless", "true",
         "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
         "--server.fileWatcherType", "none",  # an edit elsewhere in the tree must not pop "source changed" mid-test
         *options],
        cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            if proc.poll() is not None:
                raise RuntimeError(f"streamlit on port {port} exited with {proc.returncode}")
            try:
                if urllib.request.urlopen(f"{url}/_stcore/health", timeout=1).read() == b"ok":
                    break
            except OSError:
                time.sleep(0.25)
        else:
            raise RuntimeError(f"streamlit on port {port} did not start")
        yield url, proc.pid
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        if log is not None:
            output.close()


def settle(page: Any, ms: int = 300) -> None:
    """Wait until the rerun an input caused has finished (Streamlit's status widget goes away)."""
    page.wait_for_timeout(ms)
    page.locator("[data-testid='stStatusWidget']").wait_for(state="hidden", timeout=30_000)
