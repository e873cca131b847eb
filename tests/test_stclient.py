"""The load bench's browserless client (bench/stclient.py) fills the mining sheet over the app's websocket.

The bench's protocol sessions are only a measure of the server if they do what a page does: the pick
button starts the sheet and gives a draft link, a typed answer inside a step's fragment is saved, the
step switcher moves to the next step. This drives one served app (SQLite drafts) with the client and
reads the draft back from the store.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from browserkit import served_process

from scorer.drafts import open_store

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from stclient import RunFailed, Session  # noqa: E402

SHEET = "zhejiang-mining-senior-2021"


async def _fill(url: str) -> tuple[str, list[list[str]], list[str]]:
    client = Session(url)
    try:
        await client.open()
        await client.click("选择此表", key=f"pick-{SHEET}")
        shown: list[list[str]] = []
        for label, value in (("姓名", "张晓明"), ("总学时（学时）", "96")):
            shown.append((await client.change(label, value)).exceptions)
        await client.choose("步骤", "经历与能力")
        shown.append((await client.change("任现职年限（年）", "7")).exceptions)
        try:
            await client.change("没有这个控件", "1")
            missing = ""
        except RunFailed as exc:
            missing = str(exc)
        return client.query_params.get("draft", ""), shown, [missing, client.query_params.get("step", "")]
    finally:
        await client.close()


def test_a_session_over_the_websocket_saves_what_it_types(tmp_path: Path) -> None:
    db = tmp_path / "drafts.db"
    with served_process(db) as (url, _):
        draft_id, exceptions, (missing, step) = asyncio.run(_fill(url))
    assert exceptions == [[], [], []]
    assert missing == "没有找到控件「没有这个控件」"
    assert step == "1"
    store = open_store("sqlite", str(db))
    try:
        draft = store.load(draft_id)
        assert draft is not None and draft.data["sheet"] == SHEET
        assert draft.data["applicant"]["name"] == "张晓明"
        assert draft.data["gates"]["ce_hours_2021"]["total"] == "96"
        assert draft.data["answers"]["years_in_title"] == "7"
    finally:
        store.close()
