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
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from scorer.drafts import open_store

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from stclient import RunFailed, Session, _Seen  # noqa: E402

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


def _text_input(wid: str, label: str, fragment: str = "") -> ForwardMsg:
    msg = ForwardMsg()
    msg.delta.new_element.text_input.id = wid
    msg.delta.new_element.text_input.label = label
    msg.delta.fragment_id = fragment
    return msg


def _finished(status: int) -> ForwardMsg:
    msg = ForwardMsg()
    msg.script_finished = status  # type: ignore[assignment]
    return msg


def test_a_cached_message_is_answered_from_the_cache_and_an_unknown_one_fails() -> None:
    """A message of 10 KB or more is cached by the page and later sent as a reference (ref_hash) only; the
    served mining sheet has none that large, so the path is checked here on messages made by hand."""
    client = Session("http://127.0.0.1:1")
    big = _text_input("$$ID-1-name", "姓名")
    big.hash, big.metadata.cacheable = "abc", True
    client._take(big, _Seen())
    del client.widgets["$$ID-1-name"]
    ref = ForwardMsg()
    ref.ref_hash = "abc"
    ref.metadata.delta_path.extend([0, 1])
    client._take(ref, _Seen())
    assert client.widget("姓名").id == "$$ID-1-name"
    ref.ref_hash = "zzz"
    try:
        client._take(ref, _Seen())
        refused = ""
    except RunFailed as exc:
        refused = str(exc)
    assert refused == "服务器引用了本客户端没有的消息"


def test_what_a_run_no_longer_draws_is_forgotten_with_its_value() -> None:
    """After a full run, every widget it did not draw; after a fragment's run, only that fragment's: as the page."""
    client = Session("http://127.0.0.1:1")
    seen = _Seen()
    for msg in (_text_input("a", "姓名", "f1"), _text_input("b", "工作单位", "f1"), _text_input("c", "步骤")):
        client._take(msg, seen)
    client.values = {"a": ("string_value", "张晓明"), "b": ("string_value", "某矿业公司"), "c": ("string_value", "x")}
    seen = _Seen()
    client._take(_text_input("a", "姓名", "f1"), seen)
    status = client._take(_finished(ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY), seen)
    assert status == ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY
    client._forget(seen, "f1")
    assert sorted(client.widgets) == ["a", "c"] and sorted(client.values) == ["a", "c"]
    seen = _Seen()
    client._take(_text_input("a", "姓名", "f1"), seen)
    assert client._take(_finished(ForwardMsg.FINISHED_EARLY_FOR_RERUN), seen) is None  # the replacing run draws anew
    client._take(_text_input("c", "步骤"), seen)
    client._forget(seen, None)
    assert sorted(client.widgets) == ["c"] and sorted(client.values) == ["c"]
