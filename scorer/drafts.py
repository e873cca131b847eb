"""Server-side drafts in SQLite, so a refresh, a closed tab or a restart loses nothing.

A draft is the claim data (same shape as a claim file) plus the evidence
checklist ticks, under an unguessable id that the app keeps in the URL.
Stored as JSON text -- never pickle -- and re-validated against the sheet
whenever it is scored.

Each row also has a ``kind`` (an applicant's draft or an expert's review draft:
a page opens and saves only its own kind) and a ``version``, raised by one on
every save. A save writes only if the row still has the version this handle
loaded (compare-and-set in one UPDATE), so a stale window never overwrites
another window's change: it gets :class:`DraftConflict` instead.

Every problem with the database is a :class:`DraftStoreError` with a Chinese
message -- a corrupt or unreadable file, a read-only file or folder
(:class:`StoreUnavailable`), a database another process holds locked for longer
than a short wait (:class:`StoreBusy`), a row that is not what this module wrote
(:class:`DraftDamaged`) -- never a raw ``sqlite3`` exception.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import re
import secrets
import sqlite3
import threading
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .serialize import store_form

DB_ENV = "ZHICHENG_DRAFTS_DB"
DEFAULT_DB = Path(__file__).resolve().parent.parent / "data" / "drafts.sqlite3"
_ID_RE = re.compile(r"^[A-Za-z0-9_-]{20,64}$")

APPLICANT = "applicant"
REVIEW = "review"
KINDS = (APPLICANT, REVIEW)
KIND_TEXT = {APPLICANT: "申报人草稿", REVIEW: "专家复核草稿"}
BUSY_TIMEOUT = 2.0  # seconds a save waits for another writer before giving up (StoreBusy)

# SQLite's primary result codes (sqlite3.Error.sqlite_errorcode & 0xFF)
_BUSY = {5, 6}  # SQLITE_BUSY, SQLITE_LOCKED
_CORRUPT = {11, 26}  # SQLITE_CORRUPT, SQLITE_NOTADB
_READ_ONLY = {3, 8, 14, 23}  # SQLITE_PERM, SQLITE_READONLY, SQLITE_CANTOPEN, SQLITE_AUTH
_FULL = {13}  # SQLITE_FULL


def default_path() -> Path:
    return Path(os.environ.get(DB_ENV) or DEFAULT_DB)


def valid_id(draft_id: str | None) -> bool:
    return bool(draft_id) and bool(_ID_RE.match(draft_id or ""))


def new_id() -> str:
    return secrets.token_urlsafe(18)


@dataclass
class Draft:
    id: str
    data: dict[str, Any] = field(default_factory=dict)
    ready: dict[str, bool] = field(default_factory=dict)  # evidence checklist: key -> documents ready
    updated: str = ""
    kind: str = APPLICANT
    version: int = 0  # the stored version this copy was loaded from or last saved as; 0: never stored


class DraftStoreError(Exception):
    """A problem with the drafts database; ``message`` says in Chinese what happened."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class StoreUnavailable(DraftStoreError):
    """The database cannot be used at all (corrupt, unreadable) or cannot be written (read-only, disk full)."""


class StoreBusy(DraftStoreError):
    """Another process held the database locked for longer than the store waits (``BUSY_TIMEOUT``)."""


class DraftDamaged(DraftStoreError):
    """The draft's row is not what this module writes (edited by hand, or a damaged file)."""


class DraftConflict(DraftStoreError):
    """The draft changed since this copy was loaded (another window saved it): nothing was written."""

    def __init__(self, message: str, stored_version: int | None = None) -> None:
        super().__init__(message)
        self.stored_version = stored_version


class DraftKindMismatch(DraftStoreError):
    """A save into a draft of the other kind (an expert's review into an applicant's draft): refused."""

    def __init__(self, message: str, stored_kind: str) -> None:
        super().__init__(message)
        self.stored_kind = stored_kind


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


class DraftStore:
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
                return None if row is None else _row_draft(draft_id, row)
            raise
        return None if row is None else _row_draft(draft_id, row)

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
    def create(self, data: dict[str, Any] | None = None, kind: str = APPLICANT) -> Draft:
        draft = Draft(new_id(), dict(data or {}), kind=kind)
        self.save(draft)
        return draft

    def save(self, draft: Draft) -> None:
        """Store the draft if it still has the version it was loaded with; then its version is one higher.

        A draft never stored (version 0) is inserted. Raises DraftConflict when the
        stored version moved on (another window saved), DraftKindMismatch for a row
        of the other kind, StoreBusy / StoreUnavailable when the database cannot be
        written -- and then the draft object is unchanged, so it can be saved again.
        """
        if draft.kind not in KINDS:
            raise ValueError(f"unknown draft kind {draft.kind!r}")
        updated = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        data = json.dumps(store_form(draft.data), ensure_ascii=False)
        ready = json.dumps(draft.ready, ensure_ascii=False)
        with self._lock, self._writable() as db:
            if draft.version == 0:
                try:
                    db.execute(
                        "INSERT INTO drafts (id, data, ready, updated, version, kind) VALUES (?, ?, ?, ?, 1, ?)",
                        (draft.id, data, ready, updated, draft.kind),
                    )
                except sqlite3.IntegrityError:
                    raise self._why_not(db, draft) from None
            else:
                done = db.execute(
                    "UPDATE drafts SET data = ?, ready = ?, updated = ?, version = version + 1"
                    " WHERE id = ? AND version = ? AND kind = ?",
                    (data, ready, updated, draft.id, draft.version, draft.kind),
                )
                if done.rowcount != 1:
                    if db.execute("SELECT 1 FROM drafts WHERE id = ?", (draft.id,)).fetchone() is not None:
                        raise self._why_not(db, draft)
                    # the row is gone (the file was replaced or cleared): store this copy again
                    db.execute(
                        "INSERT INTO drafts (id, data, ready, updated, version, kind) VALUES (?, ?, ?, ?, ?, ?)",
                        (draft.id, data, ready, updated, draft.version + 1, draft.kind),
                    )
        draft.updated = updated
        draft.version = draft.version + 1 if draft.version else 1

    def _why_not(self, db: sqlite3.Connection, draft: Draft) -> DraftStoreError:
        """Why a compare-and-set found a row it could not write."""
        kind, version = db.execute("SELECT kind, version FROM drafts WHERE id = ?", (draft.id,)).fetchone()
        if kind != draft.kind:
            shown = KIND_TEXT.get(kind, str(kind))
            return DraftKindMismatch(f"编号 {draft.id} 是{shown}，不能保存为{KIND_TEXT[draft.kind]}", str(kind))
        if type(version) is not int:
            return DraftDamaged(f"草稿 {draft.id} 已损坏（版本号不是整数）")
        return DraftConflict(
            f"草稿 {draft.id} 已在另一个窗口中修改并保存过（那边是第 {version} 版，本窗口载入的是第 {draft.version} 版）",
            version,
        )


# the parts of a draft's data every page walks into: each, when present, of this type (deeper: the claims check)
_DATA_PARTS: dict[str, tuple[str, type]] = {
    "sheet": ("评分表", str), "level": ("申报级别", str), "applicant": ("申报人信息", dict),
    "gates": ("申报条件", dict), "vetoes": ("否决项", dict), "answers": ("各项答案", dict),
}


def _row_draft(draft_id: str, row: tuple[Any, ...]) -> Draft:
    """A draft from its row, or DraftDamaged saying what is wrong with the row."""
    data_text, ready_text, updated, version, kind = row

    def damaged(why: str) -> DraftDamaged:
        return DraftDamaged(f"草稿 {draft_id} 已损坏（{why}），无法打开")

    data = _json_column(data_text, "申报内容", damaged)
    if not isinstance(data, dict):
        raise damaged("申报内容不是键值表")
    for key, (what, expected) in _DATA_PARTS.items():
        if data.get(key) is not None and not isinstance(data[key], expected):
            raise damaged(f"申报内容中的{what}（{key}）不是{'文字' if expected is str else '键值表'}")
    ready = _json_column(ready_text, "佐证材料勾选", damaged)
    if not isinstance(ready, dict) or not all(isinstance(k, str) and isinstance(v, bool) for k, v in ready.items()):
        raise damaged("佐证材料勾选不是「材料: 是/否」的键值表")
    if not isinstance(updated, str):
        raise damaged("保存时间不是文字")
    if type(version) is not int or version < 1:
        raise damaged("版本号不是正整数")
    if kind not in KINDS:
        raise damaged("草稿类别无法识别")
    return Draft(draft_id, data, ready, updated, kind, version)


def _json_column(text: Any, what: str, damaged: Any) -> Any:
    if not isinstance(text, str):
        raise damaged(f"{what}不是文字")
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        raise damaged(f"{what}不是有效的 JSON") from None
