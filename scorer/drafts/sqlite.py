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
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

from ..serialize import store_form
from .base import (
    BUSY_TIMEOUT,
    DELETED_TEXT,
    EDIT,
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
    via_problem,
    writer_problem,
)

T = TypeVar("T")

DB_ENV = "ZHICHENG_DRAFTS_DB"
DEFAULT_DB = Path(__file__).resolve().parents[2] / "data" / "drafts.sqlite3"

# SQLite's primary result codes (sqlite3.Error.sqlite_errorcode & 0xFF)
_BUSY = {5, 6}  # SQLITE_BUSY, SQLITE_LOCKED
_CORRUPT = {11, 26}  # SQLITE_CORRUPT, SQLITE_NOTADB
_READ_ONLY = {3, 8, 14, 23}  # SQLITE_PERM, SQLITE_READONLY, SQLITE_CANTOPEN, SQLITE_AUTH
_FULL = {13}  # SQLITE_FULL


_DELETED_TABLE = "CREATE TABLE IF NOT EXISTS deleted (id TEXT PRIMARY KEY, deleted TEXT NOT NULL)"  # ids only
_LINKS_TABLE = ("CREATE TABLE links (token TEXT PRIMARY KEY, draft_id TEXT NOT NULL, role TEXT NOT NULL,"
                " created TEXT NOT NULL, revoked TEXT)")
_COLUMNS = {"version", "kind", "via"}


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


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
            db.execute("PRAGMA secure_delete=ON")  # a deleted row's bytes are overwritten, not left in free pages
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
        """Make the tables and the columns this version needs (a file from before versions, kinds or links
        gets them: each draft's id becomes its edit link, as it was its only key before)."""
        if self._table_columns(db) >= _COLUMNS and self._has_table(db, "links"):
            return
        db.execute("BEGIN IMMEDIATE")  # one process migrates; another waits and then finds it done
        try:
            columns = self._table_columns(db)
            if not columns:
                db.execute(
                    "CREATE TABLE drafts (id TEXT PRIMARY KEY, data TEXT NOT NULL, ready TEXT NOT NULL,"
                    " updated TEXT NOT NULL, version INTEGER NOT NULL DEFAULT 1,"
                    " kind TEXT NOT NULL DEFAULT 'applicant', via TEXT)"
                )
            else:  # every row written before kinds existed is an applicant's draft, at version 1
                if "version" not in columns:
                    db.execute("ALTER TABLE drafts ADD COLUMN version INTEGER NOT NULL DEFAULT 1")
                if "kind" not in columns:
                    db.execute("ALTER TABLE drafts ADD COLUMN kind TEXT NOT NULL DEFAULT 'applicant'")
                if "via" not in columns:
                    db.execute("ALTER TABLE drafts ADD COLUMN via TEXT")
            if not self._has_table(db, "links"):
                db.execute(_LINKS_TABLE)
                db.execute("CREATE INDEX links_by_draft ON links (draft_id)")
                db.execute("CREATE INDEX IF NOT EXISTS drafts_by_via ON drafts (via)")
                db.execute("INSERT INTO links (token, draft_id, role, created) SELECT id, id, ?, updated FROM drafts",
                           (EDIT,))
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise

    @staticmethod
    def _has_table(db: sqlite3.Connection, name: str) -> bool:
        return db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)).fetchone() is not None

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
        row = self._read(lambda db: self._select(db, draft_id))
        return None if row is None else row_draft(draft_id, row)

    def _read(self, query: Callable[[sqlite3.Connection], T]) -> T:
        """``query`` on the migrated file; a read-only file in a read-only folder, which cannot even be opened
        for writing, is read as it is."""
        try:
            with self._writable() as db:
                return query(db)
        except StoreUnavailable:
            try:
                with self._db(read_only=True) as db:
                    return query(db)
            except DraftStoreError:
                pass
            raise

    def _select(self, db: sqlite3.Connection, draft_id: str) -> tuple[Any, ...] | None:
        columns = self._table_columns(db)
        if not columns:
            return None
        version = "version" if "version" in columns else "1"
        kind = "kind" if "kind" in columns else "'applicant'"
        via = "via" if "via" in columns else "NULL"
        row: tuple[Any, ...] | None = db.execute(
            f"SELECT data, ready, updated, {version}, {kind}, {via} FROM drafts WHERE id = ?", (draft_id,)
        ).fetchone()
        return row

    # --- writing ------------------------------------------------------------------------------
    def save(self, draft: Draft) -> None:
        check_kind(draft)
        updated = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        data = json.dumps(store_form(draft.data), ensure_ascii=False)
        ready = json.dumps(draft.ready, ensure_ascii=False)
        insert = "INSERT INTO drafts (id, data, ready, updated, version, kind, via) VALUES (?, ?, ?, ?, ?, ?, ?)"
        with self._lock, self._writable() as db:
            db.execute("BEGIN IMMEDIATE")
            try:
                link = self._check_save(db, draft)
                if draft.version == 0:
                    try:
                        db.execute(insert, (draft.id, data, ready, updated, 1, draft.kind, draft.via))
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
                        db.execute(insert, (draft.id, data, ready, updated, draft.version + 1, draft.kind, draft.via))
                if link is None:  # a new draft's first edit link (or a restored row's)
                    db.execute("INSERT INTO links (token, draft_id, role, created) VALUES (?, ?, ?, ?)",
                               (draft.link, draft.id, EDIT, updated))
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
        draft.updated = updated
        draft.version = draft.version + 1 if draft.version else 1


    def _check_save(self, db: sqlite3.Connection, draft: Draft) -> tuple[Any, ...] | None:
        """The draft's edit link as stored (None: a new draft's) once this save may go ahead: not deleted,
        not through a re-issued link, and a review draft's review link still in force."""
        if db.execute("SELECT 1 FROM deleted WHERE id IN (?, ?)", (draft.id, draft.link)).fetchone():
            raise DraftDeleted(DELETED_TEXT)
        link: tuple[Any, ...] | None = db.execute(
            "SELECT draft_id, role, revoked FROM links WHERE token = ?", (draft.link,)).fetchone()
        if link is not None and (problem := writer_problem(False, link, draft.id)):
            raise problem  # re-issued in another window: this one's link no longer writes
        if draft.via is not None:
            tomb = db.execute("SELECT 1 FROM deleted WHERE id = ?", (draft.via,)).fetchone() is not None
            via = db.execute("SELECT draft_id, role, revoked FROM links WHERE token = ?", (draft.via,)).fetchone()
            if problem := via_problem(tomb, via):
                raise problem
        return link

    # --- deleting -----------------------------------------------------------------------------
    def delete(self, draft_id: str, by: str | None = None, *, compact: bool = True) -> bool:
        with self._lock, self._writable() as db:
            db.execute("BEGIN IMMEDIATE")
            try:
                check_writer(db, draft_id, by)
                tokens = [row[0] for row in db.execute("SELECT token FROM links WHERE draft_id = ?", (draft_id,))]
                existed = db.execute("SELECT 1 FROM drafts WHERE id = ?", (draft_id,)).fetchone() is not None
                self._erase(db, [draft_id], tokens)
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
            if compact:
                _compact(db)
        return existed

    def _tidy(self) -> None:
        with self._lock, self._writable() as db:
            if self._has_table(db, "attachments"):
                db.execute("DELETE FROM attachments WHERE draft_id NOT IN (SELECT id FROM drafts)")
            _compact(db)

    def _erase(self, db: sqlite3.Connection, draft_ids: list[str], via: list[str]) -> None:
        """Delete these drafts and the review drafts made through the links ``via``, with their documents and
        links; keep their ids and tokens as tombstones (inside the caller's transaction)."""
        if via:
            draft_ids = draft_ids + [row[0] for row in db.execute(f"SELECT id FROM drafts WHERE via IN ({_marks(via)})", via)]
        marks = _marks(draft_ids)
        tokens = [row[0] for row in db.execute(f"SELECT token FROM links WHERE draft_id IN ({marks})", draft_ids)]
        db.execute(f"DELETE FROM drafts WHERE id IN ({marks})", draft_ids)
        db.execute(f"DELETE FROM links WHERE draft_id IN ({marks})", draft_ids)
        if self._has_table(db, "attachments"):
            db.execute(f"DELETE FROM attachments WHERE draft_id IN ({marks})", draft_ids)
        now = _now()
        db.executemany("INSERT OR IGNORE INTO deleted (id, deleted) VALUES (?, ?)",
                       [(gone, now) for gone in {*draft_ids, *tokens, *via}])

    # --- links --------------------------------------------------------------------------------
    def link_row(self, token: str) -> tuple[str, str, bool] | None:
        def query(db: sqlite3.Connection) -> tuple[Any, ...] | None:
            if not self._has_table(db, "links"):  # a read-only file from before links: its ids were its links
                found = db.execute("SELECT id FROM drafts WHERE id = ?", (token,)).fetchone()
                return None if found is None else (token, EDIT, None)
            row: tuple[Any, ...] | None = db.execute(
                "SELECT draft_id, role, revoked FROM links WHERE token = ?", (token,)).fetchone()
            return row

        row = self._read(query)
        return None if row is None else (row[0], row[1], row[2] is not None)

    def active_links(self, draft_id: str, by: str | None = None) -> dict[str, str]:
        with self._writable() as db:
            check_writer(db, draft_id, by)
            return {role: token for token, role in db.execute(
                "SELECT token, role FROM links WHERE draft_id = ? AND revoked IS NULL ORDER BY created", (draft_id,))}

    def reviews_via(self, token: str) -> list[tuple[str, str]]:
        with self._writable() as db:
            return [(row[0], row[1]) for row in db.execute(
                "SELECT id, updated FROM drafts WHERE via = ? ORDER BY updated DESC, id", (token,))]

    def _relink(self, draft_id: str, role: str, token: str | None, by: str | None) -> int:
        with self._lock, self._writable() as db:
            db.execute("BEGIN IMMEDIATE")
            try:
                check_writer(db, draft_id, by)
                if db.execute("SELECT 1 FROM drafts WHERE id = ?", (draft_id,)).fetchone() is None:
                    raise DraftDeleted(DELETED_TEXT)
                old = [row[0] for row in db.execute(
                    "SELECT token FROM links WHERE draft_id = ? AND role = ? AND revoked IS NULL", (draft_id, role))]
                now = _now()
                db.execute("UPDATE links SET revoked = ? WHERE draft_id = ? AND role = ? AND revoked IS NULL",
                           (now, draft_id, role))
                reviews = [row[0] for row in db.execute(f"SELECT id FROM drafts WHERE via IN ({_marks(old)})", old)]
                if reviews:
                    self._erase(db, reviews, [])
                if token is not None:
                    db.execute("INSERT INTO links (token, draft_id, role, created) VALUES (?, ?, ?, ?)",
                               (token, draft_id, role, now))
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
            if reviews:
                _compact(db)
        return len(reviews)

    def was_deleted(self, draft_id: str) -> bool:
        return self._read(lambda db: self._has_table(db, "deleted") and db.execute(
            "SELECT 1 FROM deleted WHERE id = ?", (draft_id,)).fetchone() is not None)

    def untouched_since(self, cutoff: dt.datetime) -> list[str]:
        stamp = cutoff.astimezone(dt.UTC).isoformat(timespec="seconds")
        with self._writable() as db:
            return [row[0] for row in db.execute("SELECT id FROM drafts WHERE updated < ? ORDER BY updated", (stamp,))]


def check_writer(db: sqlite3.Connection, draft_id: str, by: str | None, role: str = EDIT) -> None:
    """Refuse a change asked for through anything but a link of ``role`` of the draft still in force
    (inside the caller's transaction; None: an administrator's own call). The attachment store uses it too."""
    if by is None:
        return
    known = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE name IN ('deleted', 'links')")}
    tomb = "deleted" in known and db.execute(
        "SELECT 1 FROM deleted WHERE id IN (?, ?)", (draft_id, by)).fetchone() is not None
    link = db.execute("SELECT draft_id, role, revoked FROM links WHERE token = ?", (by,)).fetchone() \
        if "links" in known else None
    if problem := writer_problem(tomb, link, draft_id, role):
        raise problem


def _compact(db: sqlite3.Connection) -> None:
    """Rewrite the file without free pages and fold the write-ahead log into it, so deleted rows leave the
    file and its ``-wal`` (secure_delete already zeroed them). Done after the deletion committed: when
    another connection keeps the file busy, it is left for the next deletion or purge, never reported
    as a failure of the deletion itself."""
    with contextlib.suppress(sqlite3.OperationalError):
        db.execute("VACUUM")
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def _marks(values: list[str]) -> str:
    return ", ".join("?" * len(values)) or "NULL"


def _why_not(db: sqlite3.Connection, draft: Draft) -> DraftStoreError:
    """Why a compare-and-set found a row it could not write."""
    kind, version = db.execute("SELECT kind, version FROM drafts WHERE id = ?", (draft.id,)).fetchone()
    return refusal(draft, kind, version)
