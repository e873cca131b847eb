"""Drafts on a PostgreSQL server, so several app processes (replicas) can share them.

Selected by ``ZHICHENG_DRAFTS_URL=postgresql://user:password@host:port/dbname``
(see :func:`scorer.drafts.open_store`). The same interface, rows and checks as
the SQLite store; what differs is how the database is reached and migrated:

* the schema is migrated on first use, inside one transaction that holds an
  advisory lock, so two replicas starting at once neither race nor fail: the
  second waits, then finds the work done. ``schema_version`` keeps one row per
  applied step; a database from a newer program is refused, never downgraded.
* the compare-and-set is one ``UPDATE … WHERE version = …``. Under READ
  COMMITTED a second writer waits for the first's row lock, re-reads the row
  and finds the version moved, so it is told (DraftConflict) instead of
  overwriting -- whichever replica it came through.
* connections are kept in a small pool of this process (a save costs no new
  server backend). A pooled connection the server dropped while idle (a
  restart, an administrator ending it) is noticed on use and the call is made
  once more on a fresh one; so is a call that finds the tables gone (a database
  restored empty), after migrating again.
* every driver error becomes a Chinese :class:`DraftStoreError`: a server that
  does not answer, refuses the login or is read-only is :class:`StoreUnavailable`;
  a row lock held past ``busy_timeout`` (``lock_timeout``), a statement past
  ``statement_timeout``, a serialization failure or a full connection pool is
  :class:`StoreBusy`. Messages name the server as host:port/dbname, never the
  password.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
import zlib
from collections.abc import Callable
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

try:
    import psycopg
    from psycopg import conninfo as pg_conninfo
    from psycopg.pq import TransactionStatus
except ImportError:  # the SQLite store needs none of this; a configured URL then says what to install
    psycopg = None  # type: ignore[assignment]

T = TypeVar("T")

CONNECT_TIMEOUT = 3  # seconds to reach the server (libpq counts whole seconds, at least 2)
STATEMENT_TIMEOUT = 10.0  # seconds any one statement may run before it is cancelled (StoreBusy)
MAX_CONNECTIONS = 8  # open connections per process at most; a call waits busy_timeout for one
# one advisory lock key for "migrating the drafts schema" in a database (any stable 63-bit number)
SCHEMA_LOCK = zlib.crc32(b"zhicheng-drafts-schema") << 16

# (version, what it does, statements): applied in order, each once, recorded in schema_version
MIGRATIONS: tuple[tuple[int, str, tuple[str, ...]], ...] = (
    (1, "草稿表（内容、佐证勾选、保存时间、版本号、类别）", (
        "CREATE TABLE drafts (id text PRIMARY KEY, data text NOT NULL, ready text NOT NULL,"
        " updated timestamptz NOT NULL, version integer NOT NULL, kind text NOT NULL)",
    )),
    (2, "佐证材料文件表（每份草稿的文件，按 SHA-256 各存一份）", (
        "CREATE TABLE IF NOT EXISTS attachments (draft_id text NOT NULL, sha256 text NOT NULL, kind text NOT NULL,"
        " size bigint NOT NULL, data bytea NOT NULL, PRIMARY KEY (draft_id, sha256))",
    )),
    (3, "已删除草稿的编号（只存编号：链接说明已删除，旧窗口不能再写回）", (
        "CREATE TABLE IF NOT EXISTS deleted (id text PRIMARY KEY, deleted timestamptz NOT NULL)",
    )),
    (4, "填写链接与复核链接（各草稿原编号即其填写链接）；复核草稿记下来源复核链接", (
        "ALTER TABLE drafts ADD COLUMN IF NOT EXISTS via text",
        "CREATE INDEX IF NOT EXISTS drafts_by_via ON drafts (via)",
        "CREATE TABLE IF NOT EXISTS links (token text PRIMARY KEY, draft_id text NOT NULL, role text NOT NULL,"
        " created timestamptz NOT NULL, revoked timestamptz)",
        "CREATE INDEX IF NOT EXISTS links_by_draft ON links (draft_id)",
        "INSERT INTO links (token, draft_id, role, created) SELECT id, id, 'edit', updated FROM drafts"
        " ON CONFLICT DO NOTHING",
    )),
)
SCHEMA_VERSION = MIGRATIONS[-1][0]

_BUSY_STATES = {
    "55P03": "另一个程序正在写入这份草稿，等待 {wait} 秒后仍未完成",  # lock_not_available (lock_timeout)
    "57014": "数据库服务器在 {statement} 秒内没有完成保存",  # query_canceled (statement_timeout)
    "40001": "与另一个程序同时写入，被数据库服务器中止",  # serialization_failure
    "40P01": "与另一个程序同时写入，被数据库服务器中止",  # deadlock_detected
    "53300": "数据库服务器的连接数已满",  # too_many_connections
}


def where(url: str) -> str:
    """host:port/dbname of a connection URL, for messages (never the user's password)."""
    if psycopg is None:
        return "（未安装 psycopg）"
    try:
        parts = pg_conninfo.conninfo_to_dict(url)
    except Exception:  # an unparsable URL: say nothing of it rather than echo a password
        return "（地址无法解析）"
    host = parts.get("host") or parts.get("hostaddr") or "localhost"
    port = parts.get("port") or "5432"
    return f"{host}:{port}/{parts.get('dbname') or parts.get('user') or ''}"


def translate(exc: BaseException, url: str, busy_timeout: float) -> DraftStoreError:
    """One Chinese message per kind of database failure."""
    server = where(url)
    state = getattr(exc, "sqlstate", None)
    if state in _BUSY_STATES:
        why = _BUSY_STATES[state].format(wait=f"{busy_timeout:g}", statement=f"{STATEMENT_TIMEOUT:g}")
        return StoreBusy(f"草稿库正忙（{why}）")
    if state == "25006":
        return StoreUnavailable(f"草稿数据库 {server} 为只读（例如连到了备用服务器），无法保存")
    if state == "42501":
        return StoreUnavailable(f"草稿数据库 {server} 的登录用户无权读写草稿表")
    if state == "3F000":
        return StoreUnavailable(f"草稿数据库 {server} 的 search_path 中没有可用的模式，无法建立草稿表")
    if state is not None and state.startswith("53"):  # insufficient_resources: disk full, out of memory
        return StoreUnavailable(f"草稿数据库服务器 {server} 资源不足（如磁盘已满），无法保存")
    if state is not None and state.startswith("57P"):  # admin_shutdown, crash_shutdown, cannot_connect_now
        return StoreUnavailable(f"草稿数据库服务器 {server} 正在关闭或重启，暂时无法读写")
    if psycopg is not None and isinstance(exc, psycopg.OperationalError) and state is None:
        return _connect_failure(str(exc), server)
    if state is not None:
        return StoreUnavailable(f"草稿数据库 {server} 出错（PostgreSQL 错误代码 {state}）")
    return StoreUnavailable(f"草稿数据库 {server} 无法读写（{type(exc).__name__}）")


# libpq reports a refused connection without an SQLSTATE: the server's FATAL line says why (in English
# unless the server's lc_messages says otherwise; then the generic refusal below still holds)
_REFUSALS = (
    ("password authentication failed", "拒绝登录（用户名或密码不对）"),
    ("no pg_hba.conf entry", "不允许从本机以该用户连接（pg_hba.conf）"),
    ("does not exist", "上没有这个数据库或用户"),
    ("too many clients", "连接数已满"),
    ("starting up", "正在启动"),
    ("shutting down", "正在关闭"),
    ("in recovery mode", "正在恢复"),
)


def _connect_failure(text: str, server: str) -> DraftStoreError:
    lowered = text.lower()
    if "fatal:" not in lowered:
        return StoreUnavailable(f"无法连接草稿数据库服务器 {server}（服务器未启动、地址有误或网络不通）")
    for needle, why in _REFUSALS:
        if needle in lowered:
            if needle == "too many clients":
                return StoreBusy(f"草稿库正忙（草稿数据库服务器 {server} 的连接数已满）")
            return StoreUnavailable(f"草稿数据库服务器 {server} {why}，无法读写")
    return StoreUnavailable(f"草稿数据库服务器 {server} 拒绝了连接，无法读写")


class _Pool:
    """At most ``size`` open connections; idle ones are kept for the next call (newest first)."""

    def __init__(self, connect: Callable[[], Any], size: int, wait: float) -> None:
        self._connect = connect
        self._wait = wait
        self._slots = threading.BoundedSemaphore(size)
        self._idle: list[Any] = []
        self._lock = threading.Lock()

    def get(self) -> tuple[Any, bool]:
        """A connection and whether it was used before (so it may have been dropped by the server)."""
        if not self._slots.acquire(timeout=self._wait):
            raise StoreBusy(f"草稿库正忙（本程序的 {MAX_CONNECTIONS} 个数据库连接都在使用中，等待 {self._wait:g} 秒后仍未空出）")
        try:
            with self._lock:
                if self._idle:
                    return self._idle.pop(), True
            return self._connect(), False
        except BaseException:
            self._slots.release()
            raise

    def put(self, conn: Any) -> None:
        try:
            usable = not conn.closed and conn.info.transaction_status == TransactionStatus.IDLE
            if usable:
                with self._lock:
                    self._idle.append(conn)
            else:
                conn.close()
        finally:
            self._slots.release()

    def discard(self, conn: Any) -> None:
        try:
            conn.close()
        finally:
            self._slots.release()

    def close(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, []
        for conn in idle:
            conn.close()


class PostgresDraftStore(DraftStore):
    """Drafts in the table ``drafts`` of one PostgreSQL database (the first schema of its search_path)."""

    def __init__(self, url: str, *, busy_timeout: float = BUSY_TIMEOUT, max_connections: int = MAX_CONNECTIONS):
        self.url = url
        self.busy_timeout = busy_timeout
        self._pool = _Pool(self._connect, max_connections, busy_timeout)
        self._migrated = False
        self._migrate_lock = threading.Lock()

    def __repr__(self) -> str:
        return f"PostgresDraftStore({where(self.url)!r})"

    # --- connections and errors ---------------------------------------------------------------
    def _connect(self) -> Any:
        if psycopg is None:
            raise StoreUnavailable("已设置草稿数据库地址（ZHICHENG_DRAFTS_URL），但未安装 PostgreSQL 驱动 psycopg："
                                   "请运行 pip install 'psycopg[binary]'")
        if not self.url.startswith(("postgresql://", "postgres://")):
            raise StoreUnavailable("草稿数据库地址（ZHICHENG_DRAFTS_URL）应以 postgresql:// 开头")
        try:
            pg_conninfo.conninfo_to_dict(self.url)
        except psycopg.Error:
            raise StoreUnavailable("草稿数据库地址（ZHICHENG_DRAFTS_URL）写法不对，无法解析") from None
        conn = psycopg.connect(self.url, autocommit=True, connect_timeout=CONNECT_TIMEOUT,
                               application_name="zhicheng-drafts")
        try:
            conn.execute("SELECT set_config('lock_timeout', %s, false), set_config('statement_timeout', %s, false)",
                         (f"{round(self.busy_timeout * 1000)}ms", f"{round(STATEMENT_TIMEOUT * 1000)}ms"))
        except BaseException:
            conn.close()
            raise
        return conn

    def _run(self, work: Callable[[Any], T]) -> T:
        """``work`` on a pooled connection (the schema migrated first), its errors in Chinese."""
        for attempt in (1, 2):
            try:
                conn, reused = self._pool.get()
            except DraftStoreError:
                raise
            except psycopg.Error as exc:
                raise translate(exc, self.url, self.busy_timeout) from exc
            try:
                self._migrate(conn)
                result = work(conn)
            except DraftStoreError:
                self._pool.put(conn)
                raise
            except psycopg.Error as exc:
                if exc.sqlstate == "42P01" and attempt == 1:  # undefined_table: dropped or restored empty since
                    self._pool.put(conn)
                    self._migrated = False  # migrate again, then once more
                    continue
                if conn.broken or conn.closed:
                    self._pool.discard(conn)
                    # dropped while idle in the pool (a server restart): once more on a new connection.
                    # Should the server have fallen over during a save's UPDATE, the retry finds its own
                    # write and reports a conflict: nothing is lost, the window offers to reload.
                    if reused and attempt == 1:
                        continue
                else:
                    self._pool.put(conn)
                raise translate(exc, self.url, self.busy_timeout) from exc
            except BaseException:
                self._pool.discard(conn)
                raise
            self._pool.put(conn)
            return result
        raise AssertionError("unreachable")

    # --- the schema -----------------------------------------------------------------------------
    def _migrate(self, conn: Any) -> None:
        """Bring the schema to this program's version, once per store; replicas starting together take turns.

        A database already at this version is only read (a read-only standby still serves drafts).
        """
        if self._migrated:
            return
        with self._migrate_lock:
            if self._migrated:
                return
            if self._at_version(conn) != SCHEMA_VERSION:
                with conn.transaction():
                    conn.execute("SELECT pg_advisory_xact_lock(%s)", (SCHEMA_LOCK,))
                    conn.execute("CREATE TABLE IF NOT EXISTS schema_version (version integer PRIMARY KEY,"
                                 " note text NOT NULL, applied timestamptz NOT NULL DEFAULT now())")
                    current = self._at_version(conn) or 0  # again: another replica may have just done it
                    for version, note, statements in MIGRATIONS:
                        if version > current:
                            for statement in statements:
                                conn.execute(statement)
                            conn.execute("INSERT INTO schema_version (version, note) VALUES (%s, %s)", (version, note))
            self._migrated = True

    def _at_version(self, conn: Any) -> int | None:
        """The schema's version (None: no schema_version table yet); a newer one than this program's is refused."""
        if conn.execute("SELECT to_regclass('schema_version')").fetchone()[0] is None:
            return None
        current = int(conn.execute("SELECT coalesce(max(version), 0) FROM schema_version").fetchone()[0])
        if current > SCHEMA_VERSION:
            raise StoreUnavailable(f"草稿数据库 {where(self.url)} 的结构是第 {current} 版，比本程序认识的"
                                   f"第 {SCHEMA_VERSION} 版新：请先升级本程序，不要用旧程序写入")
        return current

    def check(self) -> None:
        self._run(lambda conn: conn.execute("SELECT 1 FROM drafts LIMIT 1").fetchall())

    def run(self, work: Callable[[Any], T]) -> T:
        """``work(connection)`` with this store's pool, schema and Chinese errors (the attachment store uses it)."""
        return self._run(work)

    def schema_version(self) -> int:
        """The schema version the database is at (migrating it first)."""
        return int(self._run(lambda conn: conn.execute("SELECT max(version) FROM schema_version").fetchone()[0]))

    # --- reading and writing --------------------------------------------------------------------
    def load(self, draft_id: str | None) -> Draft | None:
        if not valid_id(draft_id):
            return None
        assert draft_id is not None
        row = self._run(lambda conn: conn.execute(
            "SELECT data, ready, updated, version, kind, via FROM drafts WHERE id = %s", (draft_id,)).fetchone())
        if row is None:
            return None
        data, ready, updated, version, kind, via = row
        if isinstance(updated, dt.datetime):
            updated = updated.astimezone(dt.UTC).isoformat(timespec="seconds")
        return row_draft(draft_id, (data, ready, updated, version, kind, via))

    def save(self, draft: Draft) -> None:
        check_kind(draft)
        now = dt.datetime.now(dt.UTC).replace(microsecond=0)
        data = json.dumps(store_form(draft.data), ensure_ascii=False)
        ready = json.dumps(draft.ready, ensure_ascii=False)

        def insert(conn: Any, version: int) -> bool:
            done = conn.execute(
                "INSERT INTO drafts (id, data, ready, updated, version, kind, via) VALUES (%s, %s, %s, %s, %s, %s, %s)"
                " ON CONFLICT (id) DO NOTHING RETURNING version",
                (draft.id, data, ready, now, version, draft.kind, draft.via)).fetchone()
            return done is not None

        def refused(conn: Any) -> DraftStoreError:
            stored = conn.execute("SELECT kind, version FROM drafts WHERE id = %s", (draft.id,)).fetchone()
            if stored is None:  # deleted between the two statements: still not written, and said so
                return StoreBusy(f"草稿 {draft.id} 正在被另一个程序删除或改写，本次没有保存")
            return refusal(draft, *stored)

        def write(conn: Any) -> None:
            with conn.transaction():
                # the links first (FOR SHARE): a re-issue, a stop or a delete in another replica waits for this
                # save, or this save for it -- and then the checks below see what it committed (a deleted
                # link's row is gone, its tombstone there), so a deleted draft is never stored again
                link = conn.execute("SELECT draft_id, role, revoked FROM links WHERE token = %s FOR SHARE",
                                    (draft.link,)).fetchone()
                via = None if draft.via is None else conn.execute(
                    "SELECT draft_id, role, revoked FROM links WHERE token = %s FOR SHARE", (draft.via,)).fetchone()
                if conn.execute("SELECT 1 FROM deleted WHERE id IN (%s, %s)", (draft.id, draft.link)).fetchone():
                    raise DraftDeleted(DELETED_TEXT)
                if link is not None and (problem := writer_problem(False, link, draft.id)):
                    raise problem  # re-issued in another window: this one's link no longer writes
                if draft.via is not None:
                    tomb = conn.execute("SELECT 1 FROM deleted WHERE id = %s", (draft.via,)).fetchone() is not None
                    if problem := via_problem(tomb, via):
                        raise problem
                store_row(conn)
                if link is None:  # a new draft's first edit link (or a restored row's)
                    conn.execute("INSERT INTO links (token, draft_id, role, created) VALUES (%s, %s, %s, %s)"
                                 " ON CONFLICT DO NOTHING", (draft.link, draft.id, EDIT, now))

        def store_row(conn: Any) -> None:
            if draft.version == 0:
                if not insert(conn, 1):
                    raise refused(conn)
                return
            done = conn.execute(
                "UPDATE drafts SET data = %s, ready = %s, updated = %s, version = version + 1"
                " WHERE id = %s AND version = %s AND kind = %s RETURNING version",
                (data, ready, now, draft.id, draft.version, draft.kind)).fetchone()
            if done is not None:
                return
            if conn.execute("SELECT 1 FROM drafts WHERE id = %s", (draft.id,)).fetchone() is not None:
                raise refused(conn)
            # the row is gone (the table was cleared or restored from an older backup): store this copy again
            if not insert(conn, draft.version + 1):
                raise refused(conn)

        self._run(write)
        draft.updated = now.isoformat(timespec="seconds")
        draft.version = draft.version + 1 if draft.version else 1

    # --- deleting -----------------------------------------------------------------------------
    def delete(self, draft_id: str, by: str | None = None, *, compact: bool = True) -> bool:
        def work(conn: Any) -> bool:
            with conn.transaction():
                # links first, as a save locks them (its edit link) before the draft's row: no deadlock
                tokens = [row[0] for row in conn.execute(
                    "SELECT token FROM links WHERE draft_id = %s ORDER BY token FOR UPDATE", (draft_id,))]
                check_writer(conn, draft_id, by)
                existed = conn.execute("SELECT 1 FROM drafts WHERE id = %s", (draft_id,)).fetchone() is not None
                _erase(conn, [draft_id], tokens)
                return existed

        return bool(self._run(work))  # the rows are gone at once: PostgreSQL's own vacuum reclaims their space

    def _tidy(self) -> None:
        self._run(lambda conn: conn.execute(
            "DELETE FROM attachments a WHERE NOT EXISTS (SELECT 1 FROM drafts d WHERE d.id = a.draft_id)"))

    # --- links --------------------------------------------------------------------------------
    def link_row(self, token: str) -> tuple[str, str, bool] | None:
        row = self._run(lambda conn: conn.execute(
            "SELECT draft_id, role, revoked FROM links WHERE token = %s", (token,)).fetchone())
        return None if row is None else (row[0], row[1], row[2] is not None)

    def active_links(self, draft_id: str, by: str | None = None) -> dict[str, str]:
        def work(conn: Any) -> list[Any]:
            check_writer(conn, draft_id, by)
            return list(conn.execute("SELECT token, role FROM links WHERE draft_id = %s AND revoked IS NULL"
                                     " ORDER BY created", (draft_id,)).fetchall())

        return {role: token for token, role in self._run(work)}

    def reviews_via(self, token: str) -> list[tuple[str, str]]:
        rows = self._run(lambda conn: conn.execute(
            "SELECT id, updated FROM drafts WHERE via = %s ORDER BY updated DESC, id", (token,)).fetchall())
        return [(row[0], row[1].astimezone(dt.UTC).isoformat(timespec="seconds")) for row in rows]

    def _relink(self, draft_id: str, role: str, token: str | None, by: str | None) -> int:
        def work(conn: Any) -> int:
            with conn.transaction():
                # the draft's links locked first, in the order a save takes its locks (link, then draft)
                conn.execute("SELECT token FROM links WHERE draft_id = %s ORDER BY token FOR UPDATE", (draft_id,))
                check_writer(conn, draft_id, by)
                if conn.execute("SELECT 1 FROM drafts WHERE id = %s", (draft_id,)).fetchone() is None:
                    raise DraftDeleted(DELETED_TEXT)
                old = [row[0] for row in conn.execute(
                    "UPDATE links SET revoked = now() WHERE draft_id = %s AND role = %s AND revoked IS NULL"
                    " RETURNING token", (draft_id, role))]
                reviews = [row[0] for row in conn.execute(
                    "SELECT id FROM drafts WHERE via = ANY(%s)", (old,))]
                if reviews:
                    _erase(conn, reviews, [])
                if token is not None:
                    conn.execute("INSERT INTO links (token, draft_id, role, created) VALUES (%s, %s, %s, now())",
                                 (token, draft_id, role))
                return len(reviews)

        return int(self._run(work))

    def was_deleted(self, draft_id: str) -> bool:
        return bool(self._run(lambda conn: conn.execute(
            "SELECT 1 FROM deleted WHERE id = %s", (draft_id,)).fetchone() is not None))

    def untouched_since(self, cutoff: dt.datetime) -> list[str]:
        rows = self._run(lambda conn: conn.execute(
            "SELECT id FROM drafts WHERE updated < %s ORDER BY updated", (cutoff,)).fetchall())
        return [row[0] for row in rows]

    def close(self) -> None:
        self._pool.close()


def check_writer(conn: Any, draft_id: str, by: str | None, role: str = EDIT) -> None:
    """Refuse a change asked for through anything but a link of ``role`` of the draft still in force
    (inside the caller's transaction; None: an administrator's own call). The attachment store uses it too."""
    if by is None:
        return
    link = conn.execute("SELECT draft_id, role, revoked FROM links WHERE token = %s FOR SHARE", (by,)).fetchone()
    tomb = conn.execute("SELECT 1 FROM deleted WHERE id IN (%s, %s)", (draft_id, by)).fetchone() is not None
    if problem := writer_problem(tomb, link, draft_id, role):
        raise problem


def _erase(conn: Any, draft_ids: list[str], via: list[str]) -> None:
    """Delete these drafts and the review drafts made through the links ``via``, with their documents and
    links; keep their ids and tokens as tombstones (inside the caller's transaction)."""
    if via:
        draft_ids = draft_ids + [row[0] for row in conn.execute("SELECT id FROM drafts WHERE via = ANY(%s)", (via,))]
    tokens = [row[0] for row in conn.execute(
        "SELECT token FROM links WHERE draft_id = ANY(%s) ORDER BY token FOR UPDATE", (draft_ids,))]
    conn.execute("DELETE FROM drafts WHERE id = ANY(%s)", (draft_ids,))
    conn.execute("DELETE FROM links WHERE draft_id = ANY(%s)", (draft_ids,))
    conn.execute("DELETE FROM attachments WHERE draft_id = ANY(%s)", (draft_ids,))
    conn.execute("INSERT INTO deleted (id, deleted) SELECT unnest(%s::text[]), now() ON CONFLICT DO NOTHING",
                 (sorted({*draft_ids, *tokens, *via}),))
