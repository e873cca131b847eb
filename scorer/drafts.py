"""Server-side drafts in SQLite, so a refresh, a closed tab or a restart loses nothing.

A draft is the claim data (same shape as a claim file) plus the evidence
checklist ticks, under an unguessable id that the app keeps in the URL.
Stored as JSON text -- never pickle -- and re-validated against the sheet
whenever it is scored.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import secrets
import sqlite3
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .serialize import store_form

DB_ENV = "ZHICHENG_DRAFTS_DB"
DEFAULT_DB = Path(__file__).resolve().parent.parent / "data" / "drafts.sqlite3"
_ID_RE = re.compile(r"^[A-Za-z0-9_-]{20,64}$")


def default_path() -> Path:
    return Path(os.environ.get(DB_ENV) or DEFAULT_DB)


def valid_id(draft_id: str | None) -> bool:
    return bool(draft_id) and bool(_ID_RE.match(draft_id or ""))


@dataclass
class Draft:
    id: str
    data: dict[str, Any] = field(default_factory=dict)
    ready: dict[str, bool] = field(default_factory=dict)  # evidence checklist: key -> documents ready
    updated: str = ""


class DraftStore:
    """One SQLite file; safe to share between Streamlit sessions (one connection per call)."""

    def __init__(self, path: str | os.PathLike[str] | None = None):
        self.path = Path(path) if path is not None else default_path()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        with self._connect() as db:
            db.execute(
                "CREATE TABLE IF NOT EXISTS drafts ("
                " id TEXT PRIMARY KEY, data TEXT NOT NULL, ready TEXT NOT NULL, updated TEXT NOT NULL)"
            )

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=10)
        db.execute("PRAGMA journal_mode=WAL")
        return db

    def create(self, data: dict[str, Any] | None = None) -> Draft:
        draft = Draft(secrets.token_urlsafe(18), dict(data or {}))
        self.save(draft)
        return draft

    def load(self, draft_id: str | None) -> Draft | None:
        if not valid_id(draft_id):
            return None
        with self._connect() as db:
            row = db.execute("SELECT data, ready, updated FROM drafts WHERE id = ?", (draft_id,)).fetchone()
        if row is None:
            return None
        return Draft(draft_id or "", json.loads(row[0]), json.loads(row[1]), row[2])

    def save(self, draft: Draft) -> None:
        draft.updated = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        data = json.dumps(store_form(draft.data), ensure_ascii=False)
        ready = json.dumps(draft.ready, ensure_ascii=False)
        with self._lock, self._connect() as db:
            db.execute(
                "INSERT INTO drafts (id, data, ready, updated) VALUES (?, ?, ?, ?)"
                " ON CONFLICT(id) DO UPDATE SET data = excluded.data, ready = excluded.ready,"
                " updated = excluded.updated",
                (draft.id, data, ready, draft.updated),
            )
