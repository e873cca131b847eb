"""Drafts in one SQLite file: the embedded default, for one app process (no server to run).

Every problem with the file is a :class:`DraftStoreError` with a Chinese
message -- a corrupt or unreadable file, a read-only file or folder
(:class:`StoreUnavailable`), a database another process holds locked for longer
than a short wait (:class:`StoreBusy`), a row that is not what this package wrote
(:class:`DraftDamaged`) -- never a raw ``sqlite3`` exception. The compare-and-set
is one UPDATE on the version, so two windows never overwrite each other.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import sqlite3
import threading
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..serialize import store_form
from .base import (
    BUSY_TIMEOUT,
    DELETED_TEXT,
    Draft,
    DraftDeleted,
    DraftStore,
    DraftStoreError,
    StoreBusy,
    StoreUnavailable,
    check_kind,
    refusal,
    row_draft,
    valid_id,
)

DB_ENV = "ZHICHENG_DRAFTS_DB"
DEFAULT_DB = Path(__file__).resolve().parents[2] / "data" / "drafts.sqlite3"

# SQLite's primary result codes (sqlite3.Error.sqlite_errorcode & 0xFF)
_BUSY = {5, 6}  # SQLITE_BUSY, SQLITE_LOCKED
_CORRUPT = {11, 26}  # SQLITE_CORRUPT, SQLITE_NOTADB
_READ_ONLY = {3, 8, 14, 23}  # SQLITE_PERM, SQLITE_READONLY, SQLITE_CANTOPEN, SQLITE_AUTH
_FULL = {13}  # SQLITE_FULL


_DELETED_TABLE = "CREATE TABLE IF NOT EXISTS deleted (id TEXT PRIMARY KEY, deleted TEXT NOT NULL)"  # ids only


def default_path() -> Path:
    return Path(os.environ.get(DB_ENV) or DEFAULT_DB)


def _code(exc: sqlite3.Error) -> int | None:
    code = getattr(exc, "sqlite_errorcode", None)
    return None if code is None else code & 0xFF


def _translate(exc: BaseException, path: Path) -> DraftStoreError:
    """One Chinese message per kind of database failure."""
    name = path.name
    if isinstance(exc, sqlite3.Error):
        code = _code(exc)
        text = str(exc).lower()
        if code in _BUSY or (code is None and "locked" in text):
            return StoreBusy(f"草稿库正忙（另一个程序正在写入，等待 {BUSY_TIMEOUT:g} 秒后仍未完成）")
        if code in _CORRUPT or (code is None and ("malformed" in text or "not a database" in text)):
            return StoreUnavailable(f"草稿库文件 {name} 已损坏，无法读写")
        if code in _READ_ONLY or (code is None and "readonly" in text):
            return StoreUnavailable(f"草稿库文件 {name} 或其所在文件夹为只读（或无权访问），无法保存")
        if code in _FULL:
            return StoreUnavailable("草稿库所在磁盘已满，无法保存")
        return StoreUnavailable(f"草稿库文件 {name} 无法读写（SQLite 错误代码 {code}）")
    if isinstance(exc, PermissionError):
        return StoreUnavailable(f"草稿库文件 {name} 或其所在文件夹为只读（或无权访问），无法保存")
    return StoreUnavailable(f"草稿库文件 {name} 无法打开（{type(exc).__name__}）")


class SqliteDraftStore(DraftStore):
    """One SQLite file; safe to share between Streamlit sessions (one connection per call).

    Opening the store touches no file: the folder, the table and any missing
    column (``version``, ``kind``: files written before they existed) are made by
    the call that needs them, so a bad file is reported by that call.
    """

    def __init__(self, path: str | os.PathLike[str] | None = None, *, busy_timeout: float = BUSY_TIMEOUT):
        self.path = Path(path) if path is not None else default_path()
        self.busy_timeout = busy_timeout
        self._lock = threading.Lock()

    # --- connections and errors ---------------------------------------------------------------
    @contextlib.contextmanager
    def _guard(self) -> Iterator[None]:
        try:
            yield
        except DraftStoreError:
            raise
        except (sqlite3.Error, OSError) as exc:
            raise _translate(exc, self.path) from exc

    def _connect(self, *, read_only: bool = False) -> sqlite3.Connection:
        if read_only:  # a write-protected file in a write-protected folder: read it as it stands
            uri = "file:" + urllib.parse.quote(str(self.path.resolve())) + "?mode=ro&immutable=1"
            return sqlite3.connect(uri, uri=True, timeout=self.busy_timeout, isolation_level=None)
        db = sqlite3.connect(self.path, timeout=self.busy_timeout, isolation_level=None)
        try:
            db.execute("PRAGMA journal_mode=WAL")
        except sqlite3.Error:
            db.close()
            raise
        return db

    @contextlib.contextmanager
    def _db(self, *, read_only: bool = False) -> Iterator[sqlite3.Connection]:
        with self._guard():
            db = self._connect(read_only=read_only)
            try:
                yield db
            finally:
                db.close()

    def _schema(self, db: sqlite3.Connection) -> None:
        """Make the table and the columns this version needs (a file from before versions and kinds gets them)."""
        if {"version", "kind"} <= self._table_columns(db):
            return
        db.execute("BEGIN IMMEDIATE")  # one process migrates; another waits and then finds it done
        try:
            columns = self._table_columns(db)
            if not columns:
                db.execute(
                    "CREATE TABLE drafts (id TEXT PRIMARY KEY, data TEXT NOT NULL, ready TEXT NOT NULL,"
                    " updated TEXT NOT NULL, version INTEGER NOT NULL DEFAULT 1,"
                    " kind TEXT NOT NULL DEFAULT 'applicant')"
                )
            else:  # every row written before kinds existed is an applicant's draft, at version 1
                if "version" not in columns:
                    db.execute("ALTER TABLE drafts ADD COLUMN version INTEGER NOT NULL DEFAULT 1")
                if "kind" not in columns:
                    db.execute("ALTER TABLE drafts ADD COLUMN kind TEXT NOT NULL DEFAULT 'applicant'")
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise

    @contextlib.contextmanager
    def _writable(self) -> Iterator[sqlite3.Connection]:
        """A connection to the file (its folder made) with the current schema."""
        with self._guard():
            self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._db() as db:  # the caller's statements too: every sqlite3 error becomes a DraftStoreError
            self._schema(db)
            db.execute(_DELETED_TABLE)
            yield db

    @staticmethod
    def _table_columns(db: sqlite3.Connection) -> set[str]:
        return {row[1] for row in db.execute("PRAGMA table_info(drafts)")}

    def check(self) -> None:
        """Open the database (and migrate it) now; raises DraftStoreError when that is impossible."""
        with self._writable():
            pass

    # --- reading ------------------------------------------------------------------------------
    def load(self, draft_id: str | None) -> Draft | None:
        """The stored draft, or None when there is none under that id (DraftDamaged for a bad row)."""
        if not valid_id(draft_id):
            return None
        assert draft_id is not None
        try:
            with self._writable() as db:
                row = self._select(db, draft_id)
        except StoreUnavailable:
            # a read-only file in a read-only folder cannot even be opened for writing: read it as it is
            try:
                with self._db(read_only=True) as db:
                    row = self._select(db, draft_id)
            except DraftStoreError:
                pass
            else:
                return None if row is None else row_draft(draft_id, row)
            raise
        return None if row is None else row_draft(draft_id, row)

    def _select(self, db: sqlite3.Connection, draft_id: str) -> tuple[Any, ...] | None:
        columns = self._table_columns(db)
        if not columns:
            return None
        version = "version" if "version" in columns else "1"
        kind = "kind" if "kind" in columns else "'applicant'"
        row: tuple[Any, ...] | None = db.execute(
            f"SELECT data, ready, updated, {version}, {kind} FROM drafts WHERE id = ?", (draft_id,)
        ).fetchone()
        return row

    # --- writing ------------------------------------------------------------------------------
    def save(self, draft: Draft) -> None:
        check_kind(draft)
        updated = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        data = json.dumps(store_form(draft.data), ensure_ascii=False)
        ready = json.dumps(draft.ready, ensure_ascii=False)
        with self._lock, self._writable() as db:
            if db.execute("SELECT 1 FROM deleted WHERE id = ?", (draft.id,)).fetchone() is not None:
                raise DraftDeleted(DELETED_TEXT)
            if draft.version == 0:
                try:
                    db.execute(
                        "INSERT INTO drafts (id, data, ready, updated, version, kind) VALUES (?, ?, ?, ?, 1, ?)",
                        (draft.id, data, ready, updated, draft.kind),
                    )
                except sqlite3.IntegrityError:
                    raise _why_not(db, draft) from None
            else:
                done = db.execute(
                    "UPDATE drafts SET data = ?, ready = ?, updated = ?, version = version + 1"
                    " WHERE id = ? AND version = ? AND kind = ?",
                    (data, ready, updated, draft.id, draft.version, draft.kind),
                )
                if done.rowcount != 1:
                    if db.execute("SELECT 1 FROM drafts WHERE id = ?", (draft.id,)).fetchone() is not None:
                        raise _why_not(db, draft)
                    # the row is gone (the file was replaced or cleared): store this copy again
                    db.execute(
                        "INSERT INTO drafts (id, data, ready, updated, version, kind) VALUES (?, ?, ?, ?, ?, ?)",
                        (draft.id, data, ready, updated, draft.version + 1, draft.kind),
                    )
        draft.updated = updated
        draft.version = draft.version + 1 if draft.version else 1


    # --- deleting -----------------------------------------------------------------------------
    def delete(self, draft_id: str) -> bool:
        with self._lock, self._writable() as db:
            db.execute("BEGIN IMMEDIATE")
            try:
                existed = db.execute("DELETE FROM drafts WHERE id = ?", (draft_id,)).rowcount > 0
                if db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'attachments'").fetchone():
                    db.execute("DELETE FROM attachments WHERE draft_id = ?", (draft_id,))
                db.execute("INSERT OR IGNORE INTO deleted (id, deleted) VALUES (?, ?)",
                           (draft_id, dt.datetime.now(dt.UTC).isoformat(timespec="seconds")))
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("VACUUM")  # the deleted rows' bytes leave the file (and its free pages)
        return existed

    def was_deleted(self, draft_id: str) -> bool:
        with self._writable() as db:
            return db.execute("SELECT 1 FROM deleted WHERE id = ?", (draft_id,)).fetchone() is not None

    def untouched_since(self, cutoff: dt.datetime) -> list[str]:
        stamp = cutoff.astimezone(dt.UTC).isoformat(timespec="seconds")
        with self._writable() as db:
            return [row[0] for row in db.execute("SELECT id FROM drafts WHERE updated < ? ORDER BY updated", (stamp,))]


def _why_not(db: sqlite3.Connection, draft: Draft) -> DraftStoreError:
    """Why a compare-and-set found a row it could not write."""
    kind, version = db.execute("SELECT kind, version FROM drafts WHERE id = ?", (draft.id,)).fetchone()
    return refusal(draft, kind, version)
