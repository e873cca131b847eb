"""The applicant's draft across reruns, pages, refreshes and restarts.

The draft's claim data lives in ``st.session_state["draft"]`` and in SQLite;
its id is in the URL (``?draft=…``). Widgets never hold the truth: they are
seeded from the draft when created and write back into it, so a page switch
(which drops widget state) or a reload loses nothing.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from scorer import SheetLibrary
from scorer.claims import Claims, draft_claims
from scorer.drafts import Draft, DraftStore, default_path
from scorer.engine import score
from scorer.model import Sheet
from scorer.result import Result
from scorer.serialize import store_form

DRAFT = "draft"


@st.cache_resource
def library() -> SheetLibrary:
    return SheetLibrary()


@st.cache_resource
def _store_at(path: str) -> DraftStore:
    return DraftStore(path)


def store() -> DraftStore:
    """The store at the configured path (``ZHICHENG_DRAFTS_DB``), opened once per path."""
    return _store_at(str(default_path()))


def sheets() -> dict[str, Sheet]:
    return library().sheets


def draft() -> Draft | None:
    return st.session_state.get(DRAFT)


def restore_from_url() -> None:
    """On a fresh session, pick the draft up from the URL; then keep its id in the URL."""
    if DRAFT not in st.session_state:
        st.session_state[DRAFT] = store().load(st.query_params.get("draft"))
    current = draft()
    if current is not None and st.query_params.get("draft") != current.id:
        st.query_params["draft"] = current.id


def _reset_widgets() -> None:
    """Forget widget values so every widget is seeded again from the (new) draft."""
    prefixes = tuple(f"{sheet_id}." for sheet_id in sheets()) + tuple(f"base:{sheet_id}." for sheet_id in sheets())
    for key in list(st.session_state.keys()):
        if isinstance(key, str) and key.startswith(prefixes):
            del st.session_state[key]


def start(sheet_id: str, level: str | None) -> None:
    """Begin (or switch) the sheet of the current draft; a different sheet gets a fresh draft."""
    current = draft()
    data: dict[str, Any] = {"sheet": sheet_id, "answers": {}}
    if level:
        data["level"] = level
    if current is not None and current.data.get("sheet") == sheet_id:
        current.data = {**current.data, **({"level": level} if level else {})}
        store().save(current)
        return
    new = store().create(data)
    st.session_state[DRAFT] = new
    st.query_params["draft"] = new.id
    _reset_widgets()


def replace_data(data: dict[str, Any]) -> None:
    """Load a validated claim file into the current draft (or a new one)."""
    current = draft()
    if current is None:
        current = store().create()
        st.session_state[DRAFT] = current
    current.data = store_form(data)
    current.ready = {}
    store().save(current)
    st.query_params["draft"] = current.id
    _reset_widgets()


def save() -> None:
    current = draft()
    if current is not None:
        store().save(current)


def set_value(path: tuple[str, ...], value: Any) -> None:
    """Write one answer into the draft (None removes it) and save when it changed."""
    current = draft()
    assert current is not None
    node = current.data
    for part in path[:-1]:
        node = node.setdefault(part, {})
    value = store_form(value)
    if value is None or value == [] or value == {}:
        if path[-1] in node:
            del node[path[-1]]
            store().save(current)
        return
    if node.get(path[-1]) != value:
        node[path[-1]] = value
        store().save(current)


def get_value(path: tuple[str, ...]) -> Any:
    current = draft()
    node: Any = current.data if current else {}
    for part in path:
        if not isinstance(node, dict):
            return None
        node = node.get(part)
    return node


def widget_key(*parts: str) -> str:
    """Stable keys derived from the sheet: ``{sheet}.{item}`` for answers, ``{sheet}.gates.{gate}`` etc."""
    current = draft()
    sheet_id = str(current.data.get("sheet")) if current else "none"
    if parts and parts[0] == "answers":
        parts = parts[1:]
    return f"{sheet_id}." + ".".join(parts)


def current_sheet() -> Sheet | None:
    current = draft()
    if current is None:
        return None
    return sheets().get(str(current.data.get("sheet")))


def evaluate(sheet: Sheet) -> tuple[Claims, Result, list[str]]:
    """Score the draft as far as it goes; problems are the parts left out, in words."""
    current = draft()
    assert current is not None
    claims, problems = draft_claims(current.data, sheet)
    return claims, score(sheet, claims), problems
