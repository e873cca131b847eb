"""A Streamlit client without a browser: one session spoken over the app's websocket, as the page would speak it.

The load bench's browser sessions measure ten Chromium pages as much as the server: on this 2-core machine
their renderers take most of the CPU (bench/results/issue-11-load.txt). This client sends what the page
sends for a change -- a ``rerun_script`` BackMsg with the widgets' values, the page's query string and page,
the fragment the widget was drawn in, the hashes of the messages it holds -- and reads every ForwardMsg
the server answers with (protobuf only, nothing drawn), so ten of them cost the server's core next to
nothing and the latency is the server's own: the websocket frame sent to ``script_finished`` received.

What it tracks is what the page would need to send the next change: every widget by id with its label,
kind, options and fragment (from the deltas), the query string (``page_info_changed``), the current page
(``navigation``), and the cacheable messages by hash (a ``ref_hash`` is answered from them). It keeps
the values it set itself and sends them with every run; a widget it never touched is left out, and the
server keeps its last value, as it does for a widget the page has not reported yet. A page also sends
the untouched ones' defaults: a few dozen more widget states per run, left out here.
"""

from __future__ import annotations

import asyncio
import time
import urllib.parse
from dataclasses import dataclass, field
from typing import Any

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

TIMEOUT = 30.0  # seconds a run may take before it counts as failed
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
        self.cache: dict[str, ForwardMsg] = {}
        self.ws: Any = None

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
        info.timezone, info.timezone_offset, info.locale = self.timezone, -480, self.locale
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
        payload = self._rerun(fragment, trigger)
        start = time.perf_counter()
        await self.ws.send(payload)
        alerts: list[str] = []
        exceptions: list[str] = []
        messages = 0
        try:
            async with asyncio.timeout(TIMEOUT):  # one deadline for the run, not a timer per message
                while True:
                    raw = await self.ws.recv()
                    messages += 1
                    if self._take(ForwardMsg.FromString(raw), alerts, exceptions):
                        return Run(time.perf_counter() - start, messages, alerts, exceptions)
        except TimeoutError:
            raise RunFailed(f"{TIMEOUT:g} 秒内没有完成") from None

    def _take(self, msg: ForwardMsg, alerts: list[str], exceptions: list[str]) -> bool:
        """Take in one message; whether it ends the run."""
        kind = msg.WhichOneof("type")
        if kind == "ref_hash":
            if msg.ref_hash not in self.cache:
                raise RunFailed("服务器引用了本客户端没有的消息")
            cached = ForwardMsg()
            cached.CopyFrom(self.cache[msg.ref_hash])
            cached.metadata.CopyFrom(msg.metadata)
            msg, kind = cached, cached.WhichOneof("type")
        elif msg.metadata.cacheable and msg.hash:
            self.cache[msg.hash] = msg
        if kind == "delta":
            self._delta(msg, alerts, exceptions)
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
                return False  # replaced by a newer run (a switch of page, st.rerun): that one's end is the end
            if msg.script_finished not in FINISHED:
                raise RunFailed("脚本编译失败")
            return True
        return False

    def _delta(self, msg: ForwardMsg, alerts: list[str], exceptions: list[str]) -> None:
        delta = msg.delta
        if delta.WhichOneof("type") != "new_element":
            return
        element = delta.new_element
        kind = element.WhichOneof("type")
        if kind is None:
            return
        body = getattr(element, kind)
        if kind == "alert":
            alerts.append(body.body)
        elif kind == "exception":
            exceptions.append(f"{body.type}: {body.message}")
        wid = getattr(body, "id", "")
        if wid and hasattr(body, "label"):
            options = [getattr(o, "content", o) for o in getattr(body, "options", [])]
            self.widgets.pop(wid, None)  # drawn again: now the latest with its label
            self.widgets[wid] = Widget(wid, kind, body.label, delta.fragment_id, [str(o) for o in options])
