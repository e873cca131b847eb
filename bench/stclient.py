"""A Streamlit client without a browser: one session spoken over the app's websocket, as the page would speak it.

The load bench's browser sessions measure ten Chromium pages as much as the server: on this 2-core machine
their renderers take most of the CPU (bench/results/issue-11-load.txt). This client sends what the page
sends for a change -- a ``rerun_script`` BackMsg with the widgets' values, the page's query string and page,
the fragment the widget was drawn in, the hashes of the messages it holds -- and reads every ForwardMsg
the server answers with (protobuf only, nothing drawn), so ten of them cost the server's core next to
nothing and the latency is the server's own: the websocket frame sent to ``script_finished`` received.

What it tracks is what the page would need to send the next change: every widget on the page by id
with its label, kind, options and fragment (from the deltas; one a run no longer draws is forgotten with
its value, as the page forgets it), the query string (``page_info_changed``), the current page
(``navigation``), and the cacheable messages by hash for two runs (a ``ref_hash`` is answered from them).
It sends the values it set itself with every run; a widget it never touched is left out, and the
server keeps its last value, as it does for a widget the page has not reported yet. A page also sends
the untouched ones' defaults: a few dozen more widget states per run, left out here.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import time
import urllib.parse
import zoneinfo
from dataclasses import dataclass, field
from typing import Any

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.asyncio.client import ClientConnection

TIMEOUT = 30.0  # seconds a run may take before it counts as failed
CACHE_RUNS = 2  # a cached message is kept for this many runs after it was last sent or referred to (as the page)
FINISHED = {ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY}


@dataclass
class Widget:
    id: str
    kind: str  # the element's type: text_input, button, button_group, radio, ...
    label: str
    fragment: str  # the fragment it was drawn in ("" outside any)
    options: list[str] = field(default_factory=list)


@dataclass
class Run:
    """One run the client asked for: how long it took and what it showed worth reporting."""

    seconds: float
    messages: int
    alerts: list[str]
    exceptions: list[str]


class RunFailed(Exception):
    pass


class Session:
    """One tab of the app at ``url`` (http://host:port): ``open()``, then ``change`` / ``click`` / ``choose``."""

    def __init__(self, url: str, *, timezone: str = "Asia/Shanghai", locale: str = "zh-CN") -> None:
        parts = urllib.parse.urlsplit(url)
        self.url = url.rstrip("/")
        self.stream = f"ws://{parts.netloc}/_stcore/stream"
        self.timezone, self.locale = timezone, locale
        self.widgets: dict[str, Widget] = {}
        self.values: dict[str, tuple[str, Any]] = {}  # widget id -> (WidgetState field, value) set by this client
        self.query = ""
        self.page = ""
        self.page_path = ""
        self.cache: dict[str, tuple[ForwardMsg, int]] = {}  # hash -> (message, the run it was last seen in)
        self.runs = 0
        self.ws: ClientConnection | None = None
        # what a browser's getTimezoneOffset() says: minutes behind UTC (-480 in Shanghai)
        offset = dt.datetime.now(zoneinfo.ZoneInfo(timezone)).utcoffset() or dt.timedelta()
        self.timezone_offset = -int(offset.total_seconds() // 60)

    async def open(self) -> Run:
        self.ws = await websockets.connect(self.stream, subprotocols=[websockets.Subprotocol("streamlit")],
                                           max_size=None, open_timeout=TIMEOUT)
        return await self._run()

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()

    def widget(self, label: str, kind: str | None = None, key: str | None = None) -> Widget:
        """The widget drawn last with this label (and kind, and user key at the end of its id)."""
        found = [w for w in self.widgets.values() if w.label == label and (kind is None or w.kind == kind)
                 and (key is None or w.id.endswith("-" + key))]
        if not found:
            raise RunFailed(f"没有找到控件「{label}」")
        return found[-1]

    async def change(self, label: str, text: str, kind: str = "text_input") -> Run:
        """Type ``text`` into a text box and press Enter."""
        w = self.widget(label, kind)
        self.values[w.id] = ("string_value", text)
        return await self._run(fragment=w.fragment)

    async def click(self, label: str, key: str | None = None) -> Run:
        w = self.widget(label, "button", key)
        return await self._run(fragment=w.fragment, trigger=w.id)

    async def choose(self, label: str, option: str, kind: str = "button_group") -> Run:
        """Pick the option whose text contains ``option`` in a segmented control (or a radio)."""
        w = self.widget(label, kind)
        picked = next((o for o in w.options if option in o), None)
        if picked is None:
            raise RunFailed(f"「{label}」没有选项「{option}」")
        self.values[w.id] = ("string_array_value", [picked]) if kind == "button_group" else ("string_value", picked)
        return await self._run(fragment=w.fragment)

    @property
    def query_params(self) -> dict[str, str]:
        return {k: v[-1] for k, v in urllib.parse.parse_qs(self.query).items()}

    # --- the protocol ----------------------------------------------------------------------------------------

    def _rerun(self, fragment: str, trigger: str | None) -> bytes:
        msg = BackMsg()
        state = msg.rerun_script
        state.query_string = self.query
        state.page_script_hash = self.page
        state.fragment_id = fragment
        state.cached_message_hashes.extend(self.cache)
        info = state.context_info
        info.timezone, info.timezone_offset, info.locale = self.timezone, self.timezone_offset, self.locale
        info.url = f"{self.url}/{self.page_path}" + (f"?{self.query}" if self.query else "")
        for wid, (kind, value) in self.values.items():
            one = state.widget_states.widgets.add()
            one.id = wid
            if kind == "string_array_value":
                one.string_array_value.data.extend(value)
            else:
                setattr(one, kind, value)
        if trigger is not None:
            one = state.widget_states.widgets.add()
            one.id, one.trigger_value = trigger, True
        return msg.SerializeToString()

    async def _run(self, fragment: str = "", trigger: str | None = None) -> Run:
        """Send one rerun and read until the run it started (or the run that replaced it) has finished."""
        if self.ws is None:
            raise RunFailed("会话尚未打开")
        self.runs += 1
        payload = self._rerun(fragment, trigger)
        start = time.perf_counter()
        await self.ws.send(payload)
        seen = _Seen()
        try:
            async with asyncio.timeout(TIMEOUT):  # one deadline for the run, not a timer per message
                while True:
                    raw = await self.ws.recv()
                    seen.messages += 1
                    status = self._take(ForwardMsg.FromString(raw), seen)
                    if status is not None:
                        seconds = time.perf_counter() - start
                        self._forget(seen, fragment if status == ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY else None)
                        return Run(seconds, seen.messages, seen.alerts, seen.exceptions)
        except TimeoutError:
            raise RunFailed(f"{TIMEOUT:g} 秒内没有完成") from None

    def _take(self, msg: ForwardMsg, seen: _Seen) -> int | None:
        """Take in one message; the status of the run it ends, or None."""
        kind = msg.WhichOneof("type")
        if kind == "ref_hash":
            if msg.ref_hash not in self.cache:
                raise RunFailed("服务器引用了本客户端没有的消息")
            cached = ForwardMsg()
            cached.CopyFrom(self.cache[msg.ref_hash][0])
            cached.metadata.CopyFrom(msg.metadata)
            self.cache[msg.ref_hash] = (self.cache[msg.ref_hash][0], self.runs)
            msg, kind = cached, cached.WhichOneof("type")
        elif msg.metadata.cacheable and msg.hash:
            self.cache[msg.hash] = (msg, self.runs)
        if kind == "delta":
            self._delta(msg, seen)
        elif kind == "page_info_changed":
            self.query = msg.page_info_changed.query_string
        elif kind == "navigation":
            self.page = msg.navigation.page_script_hash
            self.page_path = next((p.url_pathname for p in msg.navigation.app_pages
                                   if p.page_script_hash == self.page), "")
        elif kind == "new_session" and not self.page:
            self.page = msg.new_session.page_script_hash
        elif kind == "script_finished":
            if msg.script_finished == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                seen.drawn.clear()  # replaced by a newer run (a switch of page, st.rerun): that one's end is the end
                return None
            if msg.script_finished not in FINISHED:
                raise RunFailed("脚本编译失败")
            return int(msg.script_finished)
        return None

    def _delta(self, msg: ForwardMsg, seen: _Seen) -> None:
        delta = msg.delta
        if delta.WhichOneof("type") != "new_element":
            return
        element = delta.new_element
        kind = element.WhichOneof("type")
        if kind is None:
            return
        body = getattr(element, kind)
        if kind == "alert":
            seen.alerts.append(body.body)
        elif kind == "exception":
            seen.exceptions.append(f"{body.type}: {body.message}")
        wid = getattr(body, "id", "")
        if wid and hasattr(body, "label"):
            options = [getattr(o, "content", o) for o in getattr(body, "options", [])]
            self.widgets.pop(wid, None)  # drawn again: now the latest with its label
            self.widgets[wid] = Widget(wid, kind, body.label, delta.fragment_id, [str(o) for o in options])
            seen.drawn.add(wid)

    def _forget(self, seen: _Seen, fragment: str | None) -> None:
        """After a run, what the page forgets: the widgets it no longer draws (all of them after a full run, those
        of the fragment after a fragment's run) with the values set in them, and messages cached too long ago."""
        for wid, w in list(self.widgets.items()):
            if wid not in seen.drawn and (fragment is None or w.fragment == fragment):
                del self.widgets[wid]
                self.values.pop(wid, None)
        self.cache = {h: (m, run) for h, (m, run) in self.cache.items() if run > self.runs - CACHE_RUNS}


@dataclass
class _Seen:
    """What one run has shown so far."""

    messages: int = 0
    alerts: list[str] = field(default_factory=list)
    exceptions: list[str] = field(default_factory=list)
    drawn: set[str] = field(default_factory=set)  # widget ids drawn by this run
