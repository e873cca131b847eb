"""The documents of each draft, kept beside the drafts: a table of their own in the same database
(the SQLite file, or the PostgreSQL database several app processes share: ``attachments_for``).

A document is stored once per draft by its SHA-256 (the same certificate attached to two entries is
one blob); the draft's claim data lists the references (``scorer.attachments.FileRef``). Limits
are checked before a write: a file over ``MAX_FILE_BYTES`` never reaches here (``inspect`` refuses
it), and a draft never holds more than ``MAX_DRAFT_BYTES`` in all. Failures are the drafts' own
Chinese errors (``scorer.drafts.DraftStoreError``), so a page handles both the same way.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .attachments import MAX_DRAFT_BYTES, Attachment, AttachmentRefused, size_text
from .drafts import BUSY_TIMEOUT, EDIT, VIEW, DraftStore, StoreBusy, StoreUnavailable, default_path
from .drafts.sqlite import check_writer as sqlite_check_writer

_SCHEMA = ("CREATE TABLE IF NOT EXISTS attachments (draft_id TEXT NOT NULL, sha256 TEXT NOT NULL, kind TEXT NOT NULL,"
           " size INTEGER NOT NULL, data BLOB NOT NULL, PRIMARY KEY (draft_id, sha256))")


def _pg_check(conn: Any, draft_id: str, by: str | None, role: str = EDIT) -> None:
    from .drafts.postgres import check_writer  # psycopg only where PostgreSQL is used

    check_writer(conn, draft_id, by, role)


def over_limit(name: str, used: int, limit: int) -> AttachmentRefused:
    """The refusal of a document that would take a draft past its limit (both backends say it alike)."""
    return AttachmentRefused(f"「{name}」未保存：本草稿的附件已有 {size_text(used)}，加上它将超过 "
                             f"{size_text(limit)} 的上限；请先删除不需要的附件或压缩后再上传")


class AttachmentStore:
    def __init__(self, path: str | Path | None = None, *, limit: int = MAX_DRAFT_BYTES) -> None:
        self.path = Path(path) if path is not None else default_path()
        self.limit = limit

    @contextlib.contextmanager
    def _db(self) -> Iterator[sqlite3.Connection]:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT, isolation_level=None)
        except (sqlite3.Error, OSError) as exc:
            raise StoreUnavailable(f"附件库 {self.path.name} 无法打开（{type(exc).__name__}）") from exc
        try:
            db.execute(_SCHEMA)
            yield db
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc).lower() or "busy" in str(exc).lower():
                raise StoreBusy(f"附件库正忙（等待 {BUSY_TIMEOUT:g} 秒后仍未完成），请稍后再试") from exc
            raise StoreUnavailable(f"附件库 {self.path.name} 无法读写：{exc}") from exc
        except sqlite3.Error as exc:
            raise StoreUnavailable(f"附件库 {self.path.name} 无法读写（{type(exc).__name__}）") from exc
        finally:
            db.close()

    def used(self, draft_id: str) -> int:
        with self._db() as db:
            return int(db.execute("SELECT COALESCE(SUM(size), 0) FROM attachments WHERE draft_id = ?",
                                  (draft_id,)).fetchone()[0])

    def put(self, draft_id: str, attachment: Attachment, by: str | None = None) -> None:
        """Keep one document (a second copy of the same bytes is the same row); refused past the draft's limit,
        and -- ``by``: the writer's link, checked in the same transaction -- for a window whose edit link was
        re-issued or whose draft was deleted (LinkRevoked / DraftDeleted)."""
        ref = attachment.ref
        with self._db() as db:
            db.execute("BEGIN IMMEDIATE")
            try:
                sqlite_check_writer(db, draft_id, by)
                if db.execute("SELECT 1 FROM attachments WHERE draft_id = ? AND sha256 = ?",
                              (draft_id, ref.sha256)).fetchone() is None:
                    used = int(db.execute("SELECT COALESCE(SUM(size), 0) FROM attachments WHERE draft_id = ?",
                                          (draft_id,)).fetchone()[0])
                    if used + ref.size > self.limit:
                        raise over_limit(ref.name, used, self.limit)
                    db.execute("INSERT INTO attachments VALUES (?, ?, ?, ?, ?)",
                               (draft_id, ref.sha256, ref.kind, ref.size, attachment.data))
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise

    def get(self, draft_id: str, sha256: str) -> bytes | None:
        with self._db() as db:
            row = db.execute("SELECT data FROM attachments WHERE draft_id = ? AND sha256 = ?",
                             (draft_id, sha256)).fetchone()
        return None if row is None else bytes(row[0])

    def copy(self, from_id: str, to_id: str, shas: set[str], *, reader: str | None = None,
             by: str | None = None) -> int:
        """The documents ``shas`` of one draft given to another (an expert's review draft); how many were there.

        ``reader``: the review link the documents are read through, ``by``: the new draft's own edit link,
        both checked in the same transaction (a link stopped meanwhile copies nothing)."""
        with self._db() as db:
            db.execute("BEGIN IMMEDIATE")
            try:
                sqlite_check_writer(db, from_id, reader, VIEW)
                sqlite_check_writer(db, to_id, by)
                rows = [r for sha in sorted(shas) for r in db.execute(
                    "SELECT sha256, kind, size, data FROM attachments WHERE draft_id = ? AND sha256 = ?", (from_id, sha))]
                db.executemany("INSERT OR IGNORE INTO attachments VALUES (?, ?, ?, ?, ?)",
                               [(to_id, *row) for row in rows])
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
        return len(rows)

    def held(self, draft_id: str) -> set[str]:
        """The SHA-256 of every document the draft has stored (no bytes read)."""
        with self._db() as db:
            return {r[0] for r in db.execute("SELECT sha256 FROM attachments WHERE draft_id = ?", (draft_id,))}

    def keep_only(self, draft_id: str, wanted: set[str], by: str | None = None) -> int:
        """Delete the draft's documents no reference names any more; how many went (``by`` as for put)."""
        with self._db() as db:
            db.execute("BEGIN IMMEDIATE")
            try:
                sqlite_check_writer(db, draft_id, by)
                held = {r[0] for r in db.execute("SELECT sha256 FROM attachments WHERE draft_id = ?", (draft_id,))}
                gone = sorted(held - wanted)
                db.executemany("DELETE FROM attachments WHERE draft_id = ? AND sha256 = ?",
                               [(draft_id, s) for s in gone])
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
        return len(gone)

    def delete_draft(self, draft_id: str) -> None:
        with self._db() as db:
            db.execute("DELETE FROM attachments WHERE draft_id = ?", (draft_id,))


class PostgresAttachmentStore:
    """The same store in the PostgreSQL drafts database (its ``attachments`` table: migration 2), through
    the drafts store's pool, so every app process sees every document and errors read the same."""

    def __init__(self, drafts: Any, *, limit: int = MAX_DRAFT_BYTES) -> None:
        self.drafts = drafts
        self.limit = limit

    def used(self, draft_id: str) -> int:
        return int(self.drafts.run(lambda c: c.execute(
            "SELECT COALESCE(SUM(size), 0) FROM attachments WHERE draft_id = %s", (draft_id,)).fetchone()[0]))

    def put(self, draft_id: str, attachment: Attachment, by: str | None = None) -> None:
        ref = attachment.ref

        def write(conn: Any) -> None:
            with conn.transaction():
                _pg_check(conn, draft_id, by)
                conn.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (draft_id,))  # one writer per draft
                if conn.execute("SELECT 1 FROM attachments WHERE draft_id = %s AND sha256 = %s",
                                (draft_id, ref.sha256)).fetchone() is not None:
                    return
                used = int(conn.execute("SELECT COALESCE(SUM(size), 0) FROM attachments WHERE draft_id = %s",
                                        (draft_id,)).fetchone()[0])
                if used + ref.size > self.limit:
                    raise over_limit(ref.name, used, self.limit)
                conn.execute("INSERT INTO attachments VALUES (%s, %s, %s, %s, %s)",
                             (draft_id, ref.sha256, ref.kind, ref.size, attachment.data))

        self.drafts.run(write)

    def get(self, draft_id: str, sha256: str) -> bytes | None:
        row = self.drafts.run(lambda c: c.execute(
            "SELECT data FROM attachments WHERE draft_id = %s AND sha256 = %s", (draft_id, sha256)).fetchone())
        return None if row is None else bytes(row[0])

    def held(self, draft_id: str) -> set[str]:
        rows = self.drafts.run(lambda c: c.execute(
            "SELECT sha256 FROM attachments WHERE draft_id = %s", (draft_id,)).fetchall())
        return {r[0] for r in rows}

    def copy(self, from_id: str, to_id: str, shas: set[str], *, reader: str | None = None,
             by: str | None = None) -> int:
        def work(conn: Any) -> int:
            with conn.transaction():
                _pg_check(conn, from_id, reader, VIEW)
                _pg_check(conn, to_id, by)
                done = conn.execute(
                    "INSERT INTO attachments SELECT %s, sha256, kind, size, data FROM attachments"
                    " WHERE draft_id = %s AND sha256 = ANY(%s) ON CONFLICT DO NOTHING", (to_id, from_id, sorted(shas)))
                return int(done.rowcount or 0)

        return int(self.drafts.run(work))

    def keep_only(self, draft_id: str, wanted: set[str], by: str | None = None) -> int:
        def work(conn: Any) -> int:
            with conn.transaction():
                _pg_check(conn, draft_id, by)
                done = conn.execute("DELETE FROM attachments WHERE draft_id = %s AND NOT (sha256 = ANY(%s))",
                                    (draft_id, sorted(wanted)))
                return int(done.rowcount or 0)

        return int(self.drafts.run(work))

    def delete_draft(self, draft_id: str) -> None:
        self.drafts.run(lambda c: c.execute("DELETE FROM attachments WHERE draft_id = %s", (draft_id,)))


def attachments_for(drafts: DraftStore) -> AttachmentStore | PostgresAttachmentStore:
    """The attachment store beside a drafts store: its SQLite file, or its PostgreSQL database."""
    path = getattr(drafts, "path", None)
    if path is not None:
        return AttachmentStore(path)
    return PostgresAttachmentStore(drafts)
