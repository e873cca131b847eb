"""A list answer (entries, indicators) as one row of ordinary inputs per entry, with 添加 / 删除.

Why not ``st.data_editor``: its canvas grid loses the first characters a Chinese
input method composes on a selected cell, keeps a new row only once every
required cell is filled, speaks English ("None", "Select...", "Add row") and
turns a mistyped date into a different one. Plain text inputs, selectboxes and
radios take IME composition like any web form, keep exactly what was typed, and
leave room under each row for its own Chinese message.

What a row holds goes to the draft as typed: numbers and dates as their text,
evidence split on "；". The shape's own claim check (``check_answer``) judges the
list; each of its problems is shown under the row it names (a row left empty is
not an entry and is not numbered, so 第N条 is always the Nth entry saved).
Fields the row has no input for (a ``note`` from an uploaded file) are kept; the row's proof
documents (``ui.attach``) are its ``files``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

import streamlit as st

from scorer.errors import Problem
from ui import state
from ui.attach import files_box

YES, NO = "是", "否"
EVIDENCE_SPLIT = re.compile(r"[；;、,，\n]+")  # how people separate several documents in one box
Kind = Literal["select", "text", "number", "yes_no", "tick", "list"]


@dataclass(frozen=True)
class Field:
    """One input of a row: ``name`` is the claim file's key, ``label`` what the person reads."""

    name: str
    label: str
    kind: Kind = "text"
    options: tuple[str, ...] = ()
    help: str | None = None
    placeholder: str | None = None
    width: float = 1.0
    exclusive: bool = False  # a tick only one row may carry (代表性成果): ticking it clears the others


@dataclass(frozen=True)
class Rows:
    """The editor of one list answer: its draft path, widget key prefix, input lines and checker."""

    path: tuple[str, ...]
    key: str
    lines: tuple[tuple[Field, ...], ...]  # the row's inputs, one tuple per line on screen
    check: Callable[[list[dict[str, Any]]], list[Problem]]  # the shape's claim check of the whole list
    noun: str = "条"
    max_rows: int | None = None
    attach: bool = True  # each row takes its own proof documents (kept as the entry's ``files``)

    @property
    def fields(self) -> tuple[Field, ...]:
        return tuple(f for line in self.lines for f in line)


def _shown(field: Field, value: Any) -> Any:
    """A stored value as its input shows it; None where the input cannot show it (kept, and said so)."""
    if value is None:
        return None if field.kind in ("select", "yes_no") else (False if field.kind == "tick" else "")
    if field.kind == "select":
        return value if value in field.options else None
    if field.kind == "yes_no":
        return YES if value is True else NO if value is False else None
    if field.kind == "tick":
        return value is True
    if field.kind == "list":
        return "；".join(str(v) for v in value) if isinstance(value, list) else str(value)
    return str(value)


def _read(field: Field, shown: Any, original: Any) -> Any:
    """The input's value as claim data; an original the input could not show stays until replaced."""
    if field.kind in ("select", "yes_no"):
        if shown is None:
            return original if original is not None and _shown(field, original) is None else None
        return shown == YES if field.kind == "yes_no" else shown
    if field.kind == "tick":
        return True if shown else None
    text = "" if shown is None else str(shown).strip()
    if not text:
        return None
    return [p.strip() for p in EVIDENCE_SPLIT.split(text) if p.strip()] if field.kind == "list" else text


def row_key(rows: Rows, uid: str) -> str:
    """The row's box key; the page gives it the class ``st-key-<key>`` (no dots: they would break a selector)."""
    return f"row-{rows.key}-{uid}".replace(".", "-")


def _rows_key(rows: Rows) -> str:
    return f"{rows.key}.rows"


def _seed(rows: Rows) -> list[str]:
    """The row ids on screen; a fresh start (first show, another step, a reload) reads them from the draft."""
    ids_key = _rows_key(rows)
    ids: list[str] | None = st.session_state.get(ids_key)
    fresh = ids is None or any(f"{rows.key}.{uid}.{rows.fields[0].name}" not in st.session_state for uid in ids)
    if not fresh:
        assert ids is not None
        return ids
    stored = state.get_value(rows.path)
    entries = stored if isinstance(stored, list) else []
    ids = []
    for n, entry in enumerate(entries):
        uid = f"r{n}"
        _seed_row(rows, uid, entry if isinstance(entry, dict) else {})
        ids.append(uid)
    st.session_state[ids_key] = ids
    st.session_state[f"{rows.key}.next"] = len(ids)
    return ids


def _seed_row(rows: Rows, uid: str, entry: dict[str, Any]) -> None:
    st.session_state[f"{rows.key}.{uid}.orig"] = dict(entry)
    for f in rows.fields:
        st.session_state[f"{rows.key}.{uid}.{f.name}"] = _shown(f, entry.get(f.name))


def _add(rows: Rows) -> None:
    ids = st.session_state[_rows_key(rows)]
    n = st.session_state.get(f"{rows.key}.next", len(ids))
    uid = f"r{n}"
    st.session_state[f"{rows.key}.next"] = n + 1
    _seed_row(rows, uid, {})
    ids.append(uid)


def _delete(rows: Rows, uid: str) -> None:
    st.session_state[_rows_key(rows)] = [u for u in st.session_state[_rows_key(rows)] if u != uid]


def _only_one(rows: Rows, uid: str, name: str) -> None:
    """A second 代表性成果 ticked: the first is unticked (two would void the item until one is cleared)."""
    if st.session_state.get(f"{rows.key}.{uid}.{name}"):
        for other in st.session_state[_rows_key(rows)]:
            if other != uid:
                st.session_state[f"{rows.key}.{other}.{name}"] = False


def _input(rows: Rows, uid: str, f: Field, original: Any, container: Any) -> Any:
    key = f"{rows.key}.{uid}.{f.name}"
    kept = original is not None and _shown(f, original) is None
    if f.kind == "select":
        placeholder = f"原填写「{original}」不是可选项，请重选" if kept else "请选择"
        return container.selectbox(f.label, f.options, key=key, index=None, placeholder=placeholder, help=f.help)
    if f.kind == "yes_no":
        return container.radio(f.label, [YES, NO], key=key, index=None, horizontal=True, help=f.help)
    if f.kind == "tick":
        changed = (_only_one, (rows, uid, f.name)) if f.exclusive else (None, None)
        return container.checkbox(f.label, key=key, help=f.help, on_change=changed[0], args=changed[1])
    return container.text_input(f.label, key=key, help=f.help, placeholder=f.placeholder or "未填写")


def _entry(rows: Rows, uid: str, values: dict[str, Any]) -> dict[str, Any]:
    original: dict[str, Any] = st.session_state.get(f"{rows.key}.{uid}.orig") or {}
    names = {f.name for f in rows.fields}
    entry = {k: v for k, v in original.items() if k not in names}  # fields with no input here (note...)
    for f in rows.fields:
        value = _read(f, values[f.name], original.get(f.name))
        if value is not None:
            entry[f.name] = value
    return entry


def _message(rows: Rows, problem: Problem) -> str:
    """A problem under its row: the field's label where the message does not name it, no internal path."""
    label = next((f.label for f in rows.fields if len(problem.path) > len(rows.path) + 1
                  and problem.path[len(rows.path) + 1] == f.name), None)
    return problem.message if label is None or label in problem.message else f"{label}：{problem.message}"


def row_editor(rows: Rows) -> None:
    """Draw the rows, write the non-empty ones to the draft, and show each problem under its row."""
    stored = state.get_value(rows.path)
    if stored is not None and (not isinstance(stored, list) or not all(isinstance(e, dict) for e in stored)):
        st.error(f"草稿中本项的内容无法逐条编辑：{str(stored)[:200]}。请下载申报文件核对，或清除本项后重新填写。")
        st.button("清除本项，重新填写", key=f"{rows.key}.clear", on_click=state.set_value, args=(rows.path, None))
        return
    ids = _seed(rows)
    drawn: list[tuple[str, Any, Any, dict[str, Any]]] = []
    for uid in ids:
        original = st.session_state.get(f"{rows.key}.{uid}.orig") or {}
        box = st.container(border=True, key=row_key(rows, uid))
        head, remove = box.columns([6, 1], vertical_alignment="center")
        title = head.empty()
        remove.button("删除此条", key=f"{rows.key}.{uid}.delete", on_click=_delete, args=(rows, uid),
                      type="tertiary", icon=":material/delete:", width="stretch")
        values: dict[str, Any] = {}
        under: dict[str, Any] = {}  # a slot under each input for its own message
        for line in rows.lines:
            cells = box.columns([f.width for f in line])
            for f, cell in zip(line, cells, strict=True):
                values[f.name] = _input(rows, uid, f, original.get(f.name), cell)
                under[f.name] = cell.empty()
        if rows.attach:
            files = files_box(f"{rows.key}.{uid}.files", original.get("files") or [], box)
            if files:
                original["files"] = files
            else:
                original.pop("files", None)
            st.session_state[f"{rows.key}.{uid}.orig"] = original
        drawn.append((uid, title, box.empty(), under, _entry(rows, uid, values)))
    entries = [e for *_, e in drawn if e]
    position = {id(e): n for n, e in enumerate(entries)}
    by_row: dict[int, list[str]] = {}
    by_field: dict[tuple[int, str], list[str]] = {}
    whole: list[str] = []
    names = {f.name for f in rows.fields}
    for problem in rows.check(entries):
        inside = problem.path[len(rows.path):]
        if inside and isinstance(inside[0], int):
            if len(inside) > 1 and inside[1] in names:
                by_field.setdefault((inside[0], str(inside[1])), []).append(problem.message)
            else:
                by_row.setdefault(inside[0], []).append(_message(rows, problem))
        else:
            whole.append(problem.message)
    for _uid, title, note, under, entry in drawn:
        if not entry:
            title.markdown(":gray[新的一条（尚未填写，不计入）]")
            continue
        n = position[id(entry)]
        title.markdown(f"**第 {n + 1} {rows.noun}**")
        for name, slot in under.items():
            if by_field.get((n, name)):
                slot.markdown("  \n".join(f":red[:small[{m}]]" for m in by_field[(n, name)]))
        if by_row.get(n):
            note.markdown("  \n".join(f":red[:small[{m}]]" for m in by_row[n]))
    for message in whole:
        st.markdown(f":red[:small[{message}]]")
    full = rows.max_rows is not None and len(ids) >= rows.max_rows
    st.button(f"＋ 添加一{rows.noun}", key=f"{rows.key}.add", on_click=_add, args=(rows,), disabled=full,
              help=f"本项最多 {rows.max_rows} {rows.noun}" if rows.max_rows is not None else None)
    state.set_value(rows.path, entries)
