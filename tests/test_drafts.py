"""The drafts stores: a lock, a read-only or unreachable database, a tampered row, two windows, two kinds.

Both backends -- the SQLite file and PostgreSQL -- run the same tests through the
``backend`` fixture; a problem only one of them can have (a corrupt file, a
server that does not answer, a schema migration) has its own test. Each problem
is tested on the store itself and then in the app (AppTest with
ZHICHENG_DRAFTS_DB or ZHICHENG_DRAFTS_URL pointing at the bad database): the app
never raises, says in Chinese what happened and what to do, and keeps what was
typed. The PostgreSQL variants need a server (tests/pgkit.py says how).
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import subprocess
import threading
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import streamlit as st
from helpers import ROOT
from pgkit import fresh_schema, server_url, with_options
from streamlit.testing.v1 import AppTest

from scorer.drafts import (
    APPLICANT,
    REVIEW,
    Draft,
    DraftConflict,
    DraftDamaged,
    DraftKindMismatch,
    DraftStore,
    SqliteDraftStore,
    StoreBusy,
    StoreUnavailable,
    new_id,
    open_store,
)

APP = str(ROOT / "app.py")
SHEET = "cixi-engineering-junior-2021"  # one level: the chooser's button starts it at once
NAME_KEY = f"{SHEET}.applicant.name"
SOME_ID = "A" * 24


# --- the two backends ---------------------------------------------------------------------------
class Backend:
    """One empty drafts database of either kind, and what the tests do to it behind the store's back."""

    def __init__(self, name: str, target: str) -> None:
        self.name, self.target = name, target
        self._stores: list[DraftStore] = []

    def store(self, target: str | None = None) -> DraftStore:
        made = open_store(self.name, target or self.target)
        self._stores.append(made)
        return made

    def use_in_app(self, monkeypatch: pytest.MonkeyPatch, target: str | None = None) -> None:
        """Point the app at this database (ZHICHENG_DRAFTS_URL wins over ZHICHENG_DRAFTS_DB)."""
        if self.name == "postgresql":
            monkeypatch.setenv("ZHICHENG_DRAFTS_URL", target or self.target)
        else:
            monkeypatch.delenv("ZHICHENG_DRAFTS_URL", raising=False)
            monkeypatch.setenv("ZHICHENG_DRAFTS_DB", target or self.target)

    def execute(self, sql: str, params: tuple[Any, ...] = ()) -> None:
        """One statement on the database directly, as an administrator editing it by hand would."""
        if self.name == "postgresql":
            import psycopg

            with psycopg.connect(self.target, autocommit=True) as db:
                db.execute(sql.replace("?", "%s"), params)
            return
        db = sqlite3.connect(self.target)
        db.execute(sql, params)
        db.commit()
        db.close()

    def tamper(self, draft_id: str, column: str, value: Any) -> None:
        self.execute(f"UPDATE drafts SET {column} = ? WHERE id = ?", (value, draft_id))

    @contextlib.contextmanager
    def locked(self, draft_id: str) -> Iterator[None]:
        """Another process holding the write lock: on the whole file (SQLite), on the draft's row (PostgreSQL)."""
        if self.name == "postgresql":
            import psycopg

            with psycopg.connect(self.target) as other:
                other.execute("SELECT 1 FROM drafts WHERE id = %s FOR UPDATE", (draft_id,))
                yield
                other.rollback()
            return
        with locked(Path(self.target)):
            yield

    def close(self) -> None:
        for made in self._stores:
            made.close()


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Backend]:
    """An empty database of each kind, which the app (AppTest) also uses."""
    if request.param == "sqlite":
        chosen = Backend("sqlite", str(tmp_path / "drafts.sqlite3"))
        chosen.use_in_app(monkeypatch)
        yield chosen
        chosen.close()
        return
    with fresh_schema(server_url()) as url:
        chosen = Backend("postgresql", url)
        chosen.use_in_app(monkeypatch)
        try:
            yield chosen
        finally:
            chosen.close()
            st.cache_resource.clear()  # the app's pooled store for this schema: its connections go with it


@pytest.fixture
def pg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Backend]:
    """An empty PostgreSQL database only, for what only a server can do."""
    with fresh_schema(server_url()) as url:
        chosen = Backend("postgresql", url)
        chosen.use_in_app(monkeypatch)
        try:
            yield chosen
        finally:
            chosen.close()
            st.cache_resource.clear()


# --- helpers ------------------------------------------------------------------------------------


def _try_chattr(path: Path, flag: str) -> bool:
    try:
        done = subprocess.run(["chattr", flag, str(path)], capture_output=True, timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return False
    return done.returncode == 0


def _writable(path: Path) -> bool:
    """Whether this process can really write there (root ignores file modes, so try it)."""
    probe = path / ".probe" if path.is_dir() else path
    try:
        with open(probe, "ab"):
            pass
    except OSError:
        return False
    if path.is_dir():
        probe.unlink()
    return True


@contextlib.contextmanager
def read_only(path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Make a file or folder truly read-only (chattr +i, or file modes when not root); else simulate it.

    The simulation opens every connection with SQLite's ``mode=ro``, so the store
    meets the same SQLITE_READONLY errors a write-protected file gives.
    """
    if _try_chattr(path, "+i"):
        try:
            yield "chattr"
        finally:
            _try_chattr(path, "-i")
        return
    mode = path.stat().st_mode
    path.chmod(0o555 if path.is_dir() else 0o444)
    if not _writable(path):
        try:
            yield "chmod"
        finally:
            path.chmod(mode)
        return
    path.chmod(mode)
    real = SqliteDraftStore._connect

    def read_only_connect(self: SqliteDraftStore, *, read_only: bool = False) -> sqlite3.Connection:
        if read_only:
            return real(self, read_only=True)
        uri = "file:" + str(self.path.resolve()) + "?mode=ro"
        return sqlite3.connect(uri, uri=True, timeout=self.busy_timeout, isolation_level=None)

    monkeypatch.setattr(SqliteDraftStore, "_connect", read_only_connect)
    yield "simulated"


@contextlib.contextmanager
def locked(path: Path) -> Iterator[None]:
    """Another process holding the write lock."""
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    try:
        yield
    finally:
        other.execute("ROLLBACK")
        other.close()


def new_app(**query: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update(query)
    return at.run()


def no_exceptions(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


def messages(at: AppTest) -> str:
    return "\n".join([e.value for e in at.error] + [w.value for w in at.warning])


def start_sheet(at: AppTest) -> AppTest:
    at.button(key=f"pick-{SHEET}").click().run()
    no_exceptions(at)
    return at


def type_name(at: AppTest, name: str) -> AppTest:
    at.text_input(key=NAME_KEY).set_value(name).run()
    no_exceptions(at)
    return at


def url_draft(at: AppTest, param: str = "draft") -> str:
    value = at.query_params[param]
    return value[0] if isinstance(value, list) else value


def stored_name(store: DraftStore, draft_id: str) -> Any:
    found = store.load(draft_id)
    assert found is not None
    return found.data.get("applicant", {}).get("name")


# --- both stores ----------------------------------------------------------------------------------
def test_a_locked_draft_waits_briefly_then_says_busy(backend: Backend) -> None:
    store = backend.store()
    draft = store.create({"sheet": SHEET})
    draft.data["level"] = "助理工程师"
    with backend.locked(draft.id):
        began = time.monotonic()
        with pytest.raises(StoreBusy) as info:
            store.save(draft)
        waited = time.monotonic() - began
        assert 1.0 < waited < 5, waited  # about busy_timeout (2 s), not the old 10 s
        assert "草稿库正忙" in info.value.message
        assert draft.version == 1  # unchanged: the same object can be saved again
        assert store.load(draft.id) is not None  # reading is not blocked by a writer
    store.save(draft)
    assert (draft.version, backend.store().load(draft.id).data["level"]) == (2, "助理工程师")  # type: ignore[union-attr]


# (column, value, why, backends): a value PostgreSQL's typed columns cannot even hold is tested on SQLite only
TAMPERED = [
    ("data", "{not json", "申报内容不是有效的 JSON", "both"),
    ("data", "[1, 2]", "申报内容不是键值表", "both"),
    ("data", '"text"', "申报内容不是键值表", "both"),
    ("data", 5, "申报内容不是键值表", "sqlite"),
    ("data", "5", "申报内容不是键值表", "both"),
    ("data", b"\x00\x01", "申报内容不是文字", "sqlite"),
    ("data", "[" * 100_000, "申报内容不是有效的 JSON", "both"),
    ("data", json.dumps({"sheet": SHEET, "answers": "abc"}), "申报内容中的各项答案（answers）不是键值表", "both"),
    ("data", json.dumps({"sheet": SHEET, "applicant": 5}), "申报内容中的申报人信息（applicant）不是键值表", "both"),
    ("data", json.dumps({"sheet": SHEET, "gates": [1]}), "申报内容中的申报条件（gates）不是键值表", "both"),
    ("data", '{"sheet": 5}', "申报内容中的评分表（sheet）不是文字", "both"),
    ("ready", "[]", "佐证材料勾选", "both"),
    ("ready", '{"a": "yes"}', "佐证材料勾选", "both"),
    ("updated", b"\x01", "保存时间不是文字", "sqlite"),  # TEXT affinity turns a number into text; a blob stays
    ("version", "abc", "版本号不是正整数", "sqlite"),
    ("version", 0, "版本号不是正整数", "both"),
    ("version", -3, "版本号不是正整数", "both"),
    ("kind", "admin", "草稿类别无法识别", "both"),
]


@pytest.mark.parametrize(("column", "value", "why", "where"), TAMPERED)
def test_a_tampered_row_is_reported_as_damaged(backend: Backend, column: str, value: Any, why: str, where: str) -> None:
    if where != "both" and where != backend.name:
        pytest.skip(f"{backend.name} 的列类型存不下这个值")
    draft = backend.store().create({"sheet": SHEET})
    backend.tamper(draft.id, column, value)
    with pytest.raises(DraftDamaged) as info:
        backend.store().load(draft.id)
    assert info.value.message == f"草稿 {draft.id} 已损坏（{why}），无法打开" or why in info.value.message
    assert "已损坏" in info.value.message


def test_two_handles_on_one_draft_never_overwrite_each_other(backend: Backend) -> None:
    first = backend.store().create({"sheet": SHEET, "applicant": {"name": "原名"}})
    one, two = backend.store(), backend.store()  # two windows, or two app processes
    a, b = one.load(first.id), two.load(first.id)
    assert a is not None and b is not None and a.version == b.version == 1
    a.data["applicant"] = {"name": "窗口一"}
    one.save(a)
    assert a.version == 2
    b.data["applicant"] = {"name": "窗口二"}
    with pytest.raises(DraftConflict) as info:
        two.save(b)
    assert "已在另一个窗口中修改并保存过" in info.value.message and info.value.stored_version == 2
    assert b.version == 1 and stored_name(one, first.id) == "窗口一"  # the stale copy wrote nothing
    fresh = two.load(first.id)
    assert fresh is not None and fresh.version == 2
    fresh.data["applicant"] = {"name": "窗口二"}
    two.save(fresh)
    assert (fresh.version, stored_name(one, first.id)) == (3, "窗口二")


def test_concurrent_saves_of_one_version_let_exactly_one_through(backend: Backend) -> None:
    """Eight writers holding version 1 at once (threads, each with its own store): one wins, seven are told."""
    first = backend.store().create({"sheet": SHEET, "applicant": {"name": "原名"}})
    writers = [backend.store() for _ in range(8)]
    copies = [w.load(first.id) for w in writers]
    gate = threading.Barrier(len(writers))
    outcomes: list[str] = []

    def write(i: int) -> None:
        copy = copies[i]
        assert copy is not None
        copy.data["applicant"] = {"name": f"写入{i}"}
        gate.wait()
        try:
            writers[i].save(copy)
        except DraftConflict:
            outcomes.append("conflict")
        except StoreBusy:  # SQLite: a writer that waited out the lock is told too, and wrote nothing
            outcomes.append("busy")
        else:
            outcomes.append(f"saved {i}")

    threads = [threading.Thread(target=write, args=(i,)) for i in range(len(writers))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    saved = [o for o in outcomes if o.startswith("saved")]
    assert len(outcomes) == 8 and len(saved) == 1, outcomes
    winner = int(saved[0].split()[1])
    stored = backend.store().load(first.id)
    assert stored is not None and (stored.version, stored_name(backend.store(), first.id)) == (2, f"写入{winner}")


def test_a_save_never_writes_into_a_draft_of_the_other_kind(backend: Backend) -> None:
    store = backend.store()
    applicant = store.create({"sheet": SHEET, "answers": {"education": "大专"}})
    intruder = Draft(applicant.id, {**applicant.data, "review": {"reviewer": "李专家"}}, kind=REVIEW,
                     version=applicant.version)
    with pytest.raises(DraftKindMismatch) as info:
        store.save(intruder)
    assert "是申报人草稿，不能保存为专家复核草稿" in info.value.message
    with pytest.raises(DraftKindMismatch):
        store.save(Draft(applicant.id, {}, kind=REVIEW))  # a new review under an applicant's id
    stored = backend.store().load(applicant.id)
    assert stored is not None and "review" not in stored.data and stored.version == 1
    review = store.create({"sheet": SHEET}, kind=REVIEW)
    assert backend.store().load(review.id).kind == REVIEW  # type: ignore[union-attr]


def test_a_draft_whose_row_was_deleted_is_stored_again(backend: Backend) -> None:
    store = backend.store()
    draft = store.create({"sheet": SHEET, "applicant": {"name": "张三"}})
    backend.execute("DELETE FROM drafts WHERE id = ?", (draft.id,))
    draft.data["level"] = "助理工程师"
    store.save(draft)  # the table was cleared or restored from an older backup: nothing typed is lost
    stored = backend.store().load(draft.id)
    assert stored is not None and (stored.version, stored.data["level"]) == (2, "助理工程师")


def test_what_a_draft_holds_comes_back_exactly(backend: Backend) -> None:
    data = {"sheet": SHEET, "applicant": {"name": "张三\u3000（测试）", "current_title_date": "2014-07-01"},
            "answers": {"years": "9.99999999999999999", "projects": [{"level": "大型", "title": "某矿 '技改'; --"}]}}
    store = backend.store()
    draft = store.create(data)
    draft.ready = {"answers.years": True, "gates.x": False}
    store.save(draft)
    stored = backend.store().load(draft.id)
    assert stored is not None
    assert (stored.data, stored.ready, stored.kind, stored.version) == (data, draft.ready, APPLICANT, 2)
    assert stored.updated == draft.updated and stored.updated.endswith("+00:00")
    assert backend.store().load("B" * 24) is None and backend.store().load("not an id") is None


# --- SQLite only: the file ----------------------------------------------------------------------
def test_a_corrupt_file_is_reported_in_chinese_never_as_sqlite(tmp_path: Path) -> None:
    path = tmp_path / "drafts.sqlite3"
    path.write_bytes(os.urandom(4096))
    store = SqliteDraftStore(path)  # opening touches nothing
    for call in (lambda: store.load(SOME_ID), lambda: store.save(Draft(SOME_ID, {"sheet": SHEET})), store.check):
        with pytest.raises(StoreUnavailable) as info:
            call()
        assert "草稿库文件 drafts.sqlite3 已损坏" in info.value.message


def test_a_truncated_file_is_reported_as_damaged(tmp_path: Path) -> None:
    path = tmp_path / "drafts.sqlite3"
    store = SqliteDraftStore(path)
    for i in range(300):
        store.create({"sheet": SHEET, "answers": {"pad": "x" * 500, "i": str(i)}})
    path.write_bytes(path.read_bytes()[:20000])
    with pytest.raises(StoreUnavailable, match="已损坏"):
        SqliteDraftStore(path).create({"sheet": SHEET})


def test_a_read_only_file_still_reads_but_refuses_to_save(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "drafts.sqlite3"
    store = SqliteDraftStore(path)
    draft = store.create({"sheet": SHEET})
    with read_only(path, monkeypatch):
        assert store.load(draft.id).data == {"sheet": SHEET}  # type: ignore[union-attr]
        with pytest.raises(StoreUnavailable) as info:
            store.save(draft)
        assert "只读" in info.value.message
        with pytest.raises(StoreUnavailable, match="只读"):
            store.create({"sheet": SHEET})


def test_a_read_only_folder_still_reads_but_refuses_to_save(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    path = folder / "drafts.sqlite3"
    draft = SqliteDraftStore(path).create({"sheet": SHEET})  # closed cleanly: no -wal / -shm files are left
    with read_only(folder, monkeypatch):
        store = SqliteDraftStore(path)
        assert store.load(draft.id).data == {"sheet": SHEET}  # type: ignore[union-attr]
        with pytest.raises(StoreUnavailable, match="只读"):
            store.save(draft)
        with pytest.raises(StoreUnavailable, match="只读"):
            SqliteDraftStore(folder / "other.sqlite3").create({"sheet": SHEET})


def test_a_file_from_before_versions_and_kinds_is_migrated(tmp_path: Path) -> None:
    path = tmp_path / "drafts.sqlite3"
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE drafts (id TEXT PRIMARY KEY, data TEXT NOT NULL, ready TEXT NOT NULL, updated TEXT NOT NULL)")
    db.execute("INSERT INTO drafts VALUES (?, ?, '{}', '2024-01-01T00:00:00+00:00')", (SOME_ID, json.dumps({"sheet": SHEET})))
    db.commit()
    db.close()
    old = SqliteDraftStore(path).load(SOME_ID)
    assert old is not None and (old.kind, old.version, old.data) == (APPLICANT, 1, {"sheet": SHEET})
    columns = {row[1] for row in sqlite3.connect(path).execute("PRAGMA table_info(drafts)")}
    assert {"version", "kind", "via"} <= columns
    followed = SqliteDraftStore(path).follow(SOME_ID)  # its id was its only key: it becomes its edit link
    assert followed is not None and followed.access == "edit" and followed.id == SOME_ID
    stale = SqliteDraftStore(path).load(SOME_ID)
    SqliteDraftStore(path).save(old)
    assert old.version == 2
    with pytest.raises(DraftConflict):
        SqliteDraftStore(path).save(stale)  # type: ignore[arg-type]


# --- PostgreSQL only: the server ----------------------------------------------------------------
def test_the_environment_chooses_the_backend(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from scorer.drafts.postgres import PostgresDraftStore

    monkeypatch.delenv("ZHICHENG_DRAFTS_URL", raising=False)
    monkeypatch.setenv("ZHICHENG_DRAFTS_DB", str(tmp_path / "x.sqlite3"))
    chosen = open_store()
    assert isinstance(chosen, SqliteDraftStore) and chosen.path == tmp_path / "x.sqlite3"
    monkeypatch.setenv("ZHICHENG_DRAFTS_URL", "postgresql://u:secret@127.0.0.1:1/zhicheng")
    assert isinstance(open_store(), PostgresDraftStore)  # the URL wins over the file
    monkeypatch.setenv("ZHICHENG_DRAFTS_URL", "mysql://u:secret@db/zhicheng")  # a typo never falls back to a file
    with pytest.raises(StoreUnavailable, match="应以 postgresql:// 开头"):
        open_store().check()
    assert not (tmp_path / "x.sqlite3").exists()


@pytest.mark.parametrize(
    ("url", "said"),
    [
        ("postgresql://zhicheng:secret@127.0.0.1:1/zhicheng", "无法连接草稿数据库服务器 127.0.0.1:1/zhicheng（服务器未启动"),
        ("postgresql://zhicheng:secret@[::1/zhicheng", "写法不对"),
    ],
)
def test_a_server_that_does_not_answer_is_reported_in_chinese(url: str, said: str) -> None:
    from scorer.drafts.postgres import PostgresDraftStore

    store = PostgresDraftStore(url)  # constructing touches nothing
    for call in (lambda: store.load(SOME_ID), lambda: store.save(Draft(SOME_ID, {"sheet": SHEET})), store.check):
        began = time.monotonic()
        with pytest.raises(StoreUnavailable) as info:
            call()
        assert time.monotonic() - began < 5
        assert said in info.value.message and "secret" not in info.value.message


def test_a_refused_login_and_a_missing_database_are_said_without_the_password(pg: Backend) -> None:
    from scorer.drafts.postgres import PostgresDraftStore

    parts = urllib.parse.urlsplit(server_url())
    wrong = parts._replace(netloc=f"{parts.username}:wrong-secret@{parts.hostname}:{parts.port}").geturl()
    with pytest.raises(StoreUnavailable) as info:
        PostgresDraftStore(wrong).check()
    assert "拒绝登录（用户名或密码不对）" in info.value.message and "wrong-secret" not in info.value.message
    missing = parts._replace(path="/no_such_database").geturl()
    with pytest.raises(StoreUnavailable, match="上没有这个数据库或用户"):
        PostgresDraftStore(missing).check()


def test_the_schema_is_migrated_once_even_when_replicas_start_together(pg: Backend) -> None:
    from scorer.drafts.postgres import SCHEMA_VERSION, PostgresDraftStore

    starters = [PostgresDraftStore(pg.target) for _ in range(6)]  # six replicas meeting an empty database
    gate = threading.Barrier(len(starters))
    failures: list[BaseException] = []

    def start(store: PostgresDraftStore) -> None:
        gate.wait()
        try:
            store.check()
        except BaseException as exc:
            failures.append(exc)

    threads = [threading.Thread(target=start, args=(s,)) for s in starters]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert failures == []
    import psycopg

    with psycopg.connect(pg.target) as db:
        assert db.execute("SELECT version FROM schema_version ORDER BY version").fetchall() == [
            (v,) for v in range(1, SCHEMA_VERSION + 1)]  # each migration once
    draft = starters[0].create({"sheet": SHEET})
    assert starters[5].load(draft.id) is not None
    for s in starters:
        s.close()


def test_a_database_from_a_newer_program_is_refused(pg: Backend) -> None:
    from scorer.drafts.postgres import SCHEMA_VERSION

    pg.store().check()
    pg.execute("INSERT INTO schema_version (version, note) VALUES (?, 'from the future')", (SCHEMA_VERSION + 1,))
    with pytest.raises(StoreUnavailable) as info:
        pg.store().check()
    assert f"结构是第 {SCHEMA_VERSION + 1} 版，比本程序认识的第 {SCHEMA_VERSION} 版新" in info.value.message


def test_a_read_only_server_still_reads_but_refuses_to_save(pg: Backend) -> None:
    draft = pg.store().create({"sheet": SHEET})
    standby = pg.store(with_options(pg.target, "-c default_transaction_read_only=on"))  # as a standby server is
    assert standby.load(draft.id).data == {"sheet": SHEET}  # type: ignore[union-attr]
    with pytest.raises(StoreUnavailable, match="只读"):
        standby.save(draft)
    assert draft.version == 1


def test_connections_the_server_dropped_are_replaced_without_a_word(pg: Backend) -> None:
    store = pg.store()
    draft = store.create({"sheet": SHEET})  # its connection now waits in the pool
    pg.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
               " WHERE application_name = 'zhicheng-drafts' AND pid <> pg_backend_pid()")
    draft.data["level"] = "助理工程师"
    store.save(draft)  # as after a server restart: the dead connection is noticed and the save made on a new one
    assert pg.store().load(draft.id).data["level"] == "助理工程师"  # type: ignore[union-attr]


def test_tables_dropped_behind_a_running_store_are_made_again(pg: Backend) -> None:
    store = pg.store()
    draft = store.create({"sheet": SHEET, "applicant": {"name": "张三"}})
    pg.execute("DROP TABLE drafts")
    pg.execute("DROP TABLE schema_version")  # the database restored empty while the app runs
    draft.data["level"] = "助理工程师"
    store.save(draft)  # migrated again, then this copy stored again: nothing typed is lost
    stored = pg.store().load(draft.id)
    assert stored is not None and (stored.version, stored.data["level"]) == (2, "助理工程师")


def test_a_full_connection_pool_waits_briefly_then_says_busy(pg: Backend) -> None:
    from scorer.drafts.postgres import PostgresDraftStore

    store = PostgresDraftStore(pg.target, max_connections=1)
    draft = store.create({"sheet": SHEET})
    held = store._pool.get()  # another session of this process holds the only connection
    try:
        began = time.monotonic()
        with pytest.raises(StoreBusy, match="数据库连接都在使用中"):
            store.load(draft.id)
        assert 1.0 < time.monotonic() - began < 5
    finally:
        store._pool.put(held[0])
    assert store.load(draft.id) is not None
    store.close()


# --- the app ------------------------------------------------------------------------------------
def test_app_with_a_corrupt_file_warns_and_keeps_working_in_memory(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "drafts.sqlite3"
    path.write_bytes(os.urandom(4096))
    monkeypatch.setenv("ZHICHENG_DRAFTS_DB", str(path))
    at = new_app()
    no_exceptions(at)
    assert "草稿库文件 drafts.sqlite3 已损坏" in messages(at)  # said on the first page, before anything is typed
    assert "下载申报文件" in messages(at)
    type_name(start_sheet(at), "张三")
    assert at.session_state["draft"].data["applicant"]["name"] == "张三"  # kept in the session
    at.switch_page("ui/pages/result.py").run()
    no_exceptions(at)
    assert "只保存在本窗口" in messages(at) and "下载申报文件" in messages(at)
    assert "下载申报文件（YAML）" in [b.label for b in at.get("download_button")]


def test_app_with_a_server_that_does_not_answer_warns_and_keeps_working_in_memory(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ZHICHENG_DRAFTS_URL", "postgresql://zhicheng:secret@127.0.0.1:1/zhicheng")
    at = new_app(draft=SOME_ID)
    no_exceptions(at)
    assert "无法连接草稿数据库服务器 127.0.0.1:1/zhicheng（服务器未启动、地址有误或网络不通），因此打不开这份草稿" \
        in messages(at)
    assert "secret" not in messages(at)
    type_name(start_sheet(at), "张三")
    assert at.session_state["draft"].data["applicant"]["name"] == "张三"  # kept in the session
    at.switch_page("ui/pages/result.py").run()
    no_exceptions(at)
    assert "只保存在本窗口" in messages(at) and "下载申报文件（YAML）" in [b.label for b in at.get("download_button")]


def test_app_with_a_draft_in_a_corrupt_file_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "drafts.sqlite3"
    path.write_bytes(os.urandom(4096))
    monkeypatch.setenv("ZHICHENG_DRAFTS_DB", str(path))
    at = new_app(draft=SOME_ID)
    no_exceptions(at)
    assert "草稿库文件 drafts.sqlite3 已损坏，无法读写，因此打不开这份草稿" in messages(at)
    start_sheet(at)  # a new draft can still be started (in this window)
    assert at.session_state["draft"].data["sheet"] == SHEET


def test_app_with_a_read_only_database_loads_the_draft_and_warns_on_change(
        backend: Backend, monkeypatch: pytest.MonkeyPatch) -> None:
    draft = backend.store().create({"sheet": SHEET, "applicant": {"name": "张三"}, "answers": {}})
    with contextlib.ExitStack() as stack:
        if backend.name == "postgresql":
            backend.use_in_app(monkeypatch, with_options(backend.target, "-c default_transaction_read_only=on"))
        else:
            stack.enter_context(read_only(Path(backend.target), monkeypatch))
        at = new_app(draft=draft.id)
        no_exceptions(at)
        at.switch_page("ui/pages/fill.py").run()
        assert at.text_input(key=NAME_KEY).value == "张三"  # still readable
        type_name(at, "李四")
        assert "只读" in messages(at) and "下载申报文件" in messages(at)
        assert at.session_state["draft"].data["applicant"]["name"] == "李四"
    assert stored_name(backend.store(), draft.id) == "张三"


def test_app_with_a_locked_database_waits_briefly_and_saves_on_the_next_change(backend: Backend) -> None:
    at = type_name(start_sheet(new_app()), "张三")
    draft_id = url_draft(at)
    at.switch_page("ui/pages/fill.py").run()
    with backend.locked(draft_id):
        began = time.monotonic()
        type_name(at, "李四")
        assert time.monotonic() - began < 10  # one bounded wait, not 10 s per save followed by a traceback
        assert "草稿库正忙" in messages(at) and "下次修改时会自动重试保存" in messages(at)
        assert at.session_state["draft"].data["applicant"]["name"] == "李四"
    assert stored_name(backend.store(), draft_id) == "张三"
    at.text_input(key=f"{SHEET}.applicant.unit").set_value("某公司").run()  # the next change saves everything
    no_exceptions(at)
    stored = backend.store().load(draft_id)
    assert stored is not None and stored.data["applicant"] == {"name": "李四", "unit": "某公司"}
    assert "草稿库正忙" not in messages(at)
    assert "草稿库已恢复，之前未保存的修改已一并保存到草稿。" in [m.value for m in at.success]


def test_app_with_a_tampered_row_says_damaged_and_starts_afresh(backend: Backend) -> None:
    draft = backend.store().create({"sheet": SHEET, "answers": {}})
    backend.tamper(draft.id, "data", "{not json")
    at = new_app(draft=draft.id)
    no_exceptions(at)
    assert f"草稿 {draft.id} 已损坏（申报内容不是有效的 JSON）" in messages(at)
    assert "重新选择评分表开始新的草稿" in messages(at)
    type_name(start_sheet(at), "张三")
    assert url_draft(at) != draft.id
    assert stored_name(backend.store(), url_draft(at)) == "张三"
    assert "已损坏" not in messages(at)


def test_two_windows_on_one_draft_never_overwrite_and_offer_both_ways(backend: Backend) -> None:
    store = backend.store()
    first = type_name(start_sheet(new_app()), "原名")
    draft_id = url_draft(first)
    one, two = new_app(draft=draft_id), new_app(draft=draft_id)
    for at in (one, two):
        at.switch_page("ui/pages/fill.py").run()
    type_name(one, "窗口一")
    type_name(two, "窗口二")  # stale: loaded before 窗口一 was saved
    assert "已在另一个窗口中修改并保存过" in messages(two) and "另存为新草稿" in messages(two)
    assert stored_name(store, draft_id) == "窗口一"
    assert two.text_input(key=NAME_KEY).value == "窗口二"  # nothing typed is lost
    type_name(two, "窗口二改")  # still in conflict: still nothing overwritten
    assert stored_name(store, draft_id) == "窗口一"
    two.button(key="draft:save-as-new").click().run()
    no_exceptions(two)
    copy_id = url_draft(two)
    assert copy_id != draft_id
    assert (stored_name(store, copy_id), stored_name(store, draft_id)) == ("窗口二改", "窗口一")
    assert "另一个窗口" not in messages(two)
    # the other way: reload the other window's version
    three = new_app(draft=draft_id)
    three.switch_page("ui/pages/fill.py").run()
    type_name(one, "窗口一再改")
    type_name(three, "窗口三")
    assert "另一个窗口" in messages(three)
    three.button(key="draft:reload").click().run()
    no_exceptions(three)
    assert three.text_input(key=NAME_KEY).value == "窗口一再改"
    type_name(three, "窗口三")
    assert stored_name(store, draft_id) == "窗口三"


def test_the_applicant_pages_do_not_open_a_review_draft(backend: Backend) -> None:
    review = backend.store().create({"sheet": SHEET, "answers": {}, "review": {"reviewer": "李专家"}}, kind=REVIEW)
    at = new_app(draft=review.id)
    no_exceptions(at)
    assert "这个链接打开的是专家复核草稿，不是申报人的草稿" in messages(at)
    assert at.session_state["draft"] is None
    stored = backend.store().load(review.id)
    assert stored is not None and stored.version == 1


def test_an_unknown_draft_id_says_so(backend: Backend) -> None:
    at = new_app(draft=SOME_ID)  # e.g. a draft that could only be kept in memory, after a refresh
    no_exceptions(at)
    assert f"找不到链接中的草稿（{SOME_ID}）" in messages(at)
    start_sheet(at)
    assert "找不到" not in messages(at)


# --- issue 15: deletion that deletes, and the retention purge ------------------------------------
def _documents_of(backend: Backend, store: DraftStore) -> Any:
    from scorer.attachment_store import attachments_for

    return attachments_for(store)


def test_a_deleted_draft_and_its_documents_are_gone_and_its_link_says_so(backend: Backend) -> None:
    from scorer.attachments import inspect
    from scorer.drafts import DraftDeleted

    store = backend.store()
    draft = store.create({"sheet": SHEET, "applicant": {"name": "张三删除测试"}})
    documents = _documents_of(backend, store)
    from fpdf import FPDF

    page = FPDF()
    page.add_page()
    kept = inspect("证书.pdf", bytes(page.output()))
    documents.put(draft.id, kept)
    assert store.delete(draft.id) is True
    assert store.load(draft.id) is None and store.was_deleted(draft.id)
    assert documents.get(draft.id, kept.ref.sha256) is None and documents.used(draft.id) == 0
    with pytest.raises(DraftDeleted):  # a stale window on the deleted draft cannot store it again
        store.save(draft)
    assert store.load(draft.id) is None
    if backend.name == "sqlite":  # compacted: not a byte of the name is left in the file
        assert "张三删除测试".encode() not in Path(backend.target).read_bytes()
    else:
        import psycopg

        with psycopg.connect(backend.target) as db:
            assert db.execute("SELECT count(*) FROM drafts WHERE id = %s", (draft.id,)).fetchone()[0] == 0
            assert db.execute("SELECT count(*) FROM attachments WHERE draft_id = %s", (draft.id,)).fetchone()[0] == 0


def test_purge_removes_exactly_the_drafts_untouched_for_the_retention_period(backend: Backend) -> None:
    import datetime as dt

    store = backend.store()
    old, recent = store.create({"sheet": SHEET}), store.create({"sheet": SHEET})
    long_ago = "2020-01-01T00:00:00+00:00"
    backend.execute("UPDATE drafts SET updated = ? WHERE id = ?", (long_ago, old.id))
    cutoff = dt.datetime.now(dt.UTC) - dt.timedelta(days=180)
    assert store.untouched_since(cutoff) == [old.id]
    assert store.purge(cutoff) == [old.id]
    assert store.load(old.id) is None and store.load(recent.id) is not None
    assert store.purge(cutoff) == []  # safe to run again (from cron)


def test_draft_ids_keep_their_entropy() -> None:
    from scorer.drafts import new_id

    ids = {new_id() for _ in range(2000)}
    assert len(ids) == 2000 and all(len(i) >= 24 for i in ids)  # token_urlsafe(18): 144 random bits


def test_the_purge_command_deletes_the_expired(tmp_path: Path) -> None:
    import subprocess
    import sys

    path = tmp_path / "drafts.sqlite3"
    store = SqliteDraftStore(path)
    old = store.create({"sheet": SHEET})
    db = sqlite3.connect(path)
    db.execute("UPDATE drafts SET updated = '2020-01-01T00:00:00+00:00' WHERE id = ?", (old.id,))
    db.commit()
    db.close()
    env = {**os.environ, "ZHICHENG_DRAFTS_DB": str(path), "ZHICHENG_RETENTION_DAYS": "30"}
    env.pop("ZHICHENG_DRAFTS_URL", None)
    done = subprocess.run([sys.executable, "-m", "scorer", "drafts", "purge"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "已删除超过 30 天未修改的草稿 1 份" in done.stdout
    assert SqliteDraftStore(path).load(old.id) is None


def test_deleting_from_the_result_page(backend: Backend, monkeypatch: pytest.MonkeyPatch) -> None:
    store = backend.store()
    draft = store.create({"sheet": SHEET, "answers": {}})
    at = new_app(draft=draft.id)
    at.switch_page("ui/pages/result.py").run()
    no_exceptions(at)
    assert any("连续 180 天未修改将被删除" in c.value for c in at.caption)
    at.checkbox(key="delete-sure").check().run()
    at.button(key="delete-draft").click().run()
    no_exceptions(at)
    assert backend.store().load(draft.id) is None
    again = new_app(draft=draft.id)  # the old link
    no_exceptions(again)
    assert "这份草稿已被删除" in messages(again)


# --- issue 15: two links per draft ----------------------------------------------------------------
def _pdf_document() -> Any:
    from fpdf import FPDF

    from scorer.attachments import inspect

    page = FPDF()
    page.add_page()
    return inspect("身份证.pdf", bytes(page.output()))


def test_a_review_link_opens_a_copy_that_the_store_refuses_to_save(backend: Backend) -> None:
    from scorer.drafts import EDIT, VIEW, DraftReadOnly

    store = backend.store()
    draft = store.create({"sheet": SHEET, "applicant": {"name": "张三"}})
    assert store.active_links(draft.id) == {EDIT: draft.link}
    token = store.reissue(draft.id, VIEW)
    assert token not in (draft.id, draft.link) and store.active_links(draft.id) == {EDIT: draft.link, VIEW: token}
    seen = store.follow(token)
    assert seen is not None and seen.access == VIEW and seen.id == draft.id and seen.data == draft.data
    seen.data["applicant"]["name"] = "李四"
    with pytest.raises(DraftReadOnly, match="复核链接只能查看申报内容"):
        store.save(seen)
    stored = store.load(draft.id)
    assert stored is not None and stored.version == 1 and stored.data["applicant"]["name"] == "张三"


def test_a_reissued_edit_link_is_refused_and_its_stale_window_cannot_save(backend: Backend) -> None:
    from scorer.drafts import EDIT, LinkRevoked

    store = backend.store()
    draft = store.create({"sheet": SHEET})
    stale = store.follow(draft.link)
    assert stale is not None
    new = store.reissue(draft.id, EDIT)
    with pytest.raises(LinkRevoked, match="这个填写链接已作废"):
        store.follow(draft.link)
    with pytest.raises(LinkRevoked):  # the window still on the old link: nothing written
        store.save(stale)
    fresh = store.follow(new)
    assert fresh is not None and fresh.version == 1
    fresh.data["level"] = "x"
    store.save(fresh)
    assert store.load(draft.id).version == 2  # type: ignore[union-attr]
    assert store.active_links(draft.id) == {EDIT: new}


def test_stopping_a_review_link_deletes_the_reviews_made_through_it(backend: Backend) -> None:
    from scorer.drafts import VIEW, LinkRevoked

    store = backend.store()
    draft = store.create({"sheet": SHEET})
    first = store.reissue(draft.id, VIEW)
    kept_review = store.create({"sheet": SHEET}, kind=REVIEW)  # from an uploaded file: no link behind it
    review = store.create({"sheet": SHEET, "review": {"reviewer": "李专家"}}, kind=REVIEW, via=first)
    second = store.reissue(draft.id, VIEW)  # re-issued: the first link's review goes with it
    assert store.load(review.id) is None and store.was_deleted(review.id)
    with pytest.raises(LinkRevoked, match="这个复核链接已被申报人停用或重新生成"):
        store.follow(first)
    later = store.create({"sheet": SHEET}, kind=REVIEW, via=second)
    assert store.revoke(draft.id, VIEW) == 1
    assert store.load(later.id) is None and VIEW not in store.active_links(draft.id)
    with pytest.raises(LinkRevoked):
        store.follow(second)
    assert store.load(kept_review.id) is not None and store.load(draft.id) is not None
    with pytest.raises(ValueError):
        store.revoke(draft.id, "edit")  # an edit link is only ever replaced


def test_deleting_a_draft_deletes_its_reviews_their_documents_and_every_link(backend: Backend) -> None:
    from scorer.attachment_store import attachments_for
    from scorer.drafts import EDIT, VIEW, DraftDeleted

    store = backend.store()
    draft = store.create({"sheet": SHEET, "applicant": {"name": "王五删除连带"}})
    documents = attachments_for(store)
    card = _pdf_document()
    documents.put(draft.id, card)
    old_edit = draft.link
    new_edit = store.reissue(draft.id, EDIT)
    token = store.reissue(draft.id, VIEW)
    review = store.create({"sheet": SHEET, "applicant": {"name": "王五删除连带"}, "review": {"reviewer": "李专家"}},
                          kind=REVIEW, via=token)
    documents.copy(draft.id, review.id, {card.ref.sha256})
    assert documents.get(review.id, card.ref.sha256) is not None
    assert store.delete(draft.id) is True
    for gone in (draft.id, review.id):
        assert store.load(gone) is None and store.was_deleted(gone) and documents.used(gone) == 0
    for link in (old_edit, new_edit, token, review.link):  # every old link says it was deleted
        with pytest.raises(DraftDeleted, match="这份草稿已被删除"):
            store.follow(link)
    if backend.name == "sqlite":  # compacted: not a byte of the name is left in the file, nor of the scan
        raw = Path(backend.target).read_bytes()
        assert "王五删除连带".encode() not in raw and card.data[-200:] not in raw
    else:
        import psycopg

        with psycopg.connect(backend.target) as db:
            for table, column in (("drafts", "id"), ("attachments", "draft_id"), ("links", "draft_id")):
                assert db.execute(f"SELECT count(*) FROM {table} WHERE {column} = ANY(%s)",
                                  ([draft.id, review.id],)).fetchone()[0] == 0
            assert db.execute("SELECT count(*) FROM drafts WHERE data LIKE %s", ("%王五删除连带%",)).fetchone()[0] == 0


def test_a_database_from_before_links_gets_an_edit_link_per_draft(pg: Backend) -> None:
    import psycopg

    from scorer.drafts.postgres import MIGRATIONS, SCHEMA_VERSION

    with psycopg.connect(pg.target, autocommit=True) as db:  # a database the previous program left
        db.execute("CREATE TABLE schema_version (version integer PRIMARY KEY, note text NOT NULL,"
                   " applied timestamptz NOT NULL DEFAULT now())")
        for version, note, statements in MIGRATIONS[:3]:
            for statement in statements:
                db.execute(statement)
            db.execute("INSERT INTO schema_version (version, note) VALUES (%s, %s)", (version, note))
        db.execute("INSERT INTO drafts VALUES (%s, %s, '{}', now(), 1, 'applicant')", (SOME_ID, json.dumps({"sheet": SHEET})))
    store = pg.store()
    followed = store.follow(SOME_ID)
    assert followed is not None and followed.access == "edit" and followed.via is None
    assert store.schema_version() == SCHEMA_VERSION


def test_the_result_page_issues_and_stops_the_links(backend: Backend) -> None:
    from scorer.drafts import EDIT, VIEW

    store = backend.store()
    draft = store.create({"sheet": SHEET, "answers": {}})
    other = new_app(draft=draft.link)  # a second window, still on the first edit link
    other.switch_page("ui/pages/fill.py").run()
    at = new_app(draft=draft.link)
    at.switch_page("ui/pages/result.py").run()
    no_exceptions(at)
    at.button(key="links:view-new").click().run()
    no_exceptions(at)
    token = store.active_links(draft.id)[VIEW]
    assert any(f"/review?link={token}" in str(c.value) for c in at.code)
    at.button(key="links:edit").click().run()
    no_exceptions(at)
    new_edit = store.active_links(draft.id)[EDIT]
    assert new_edit != draft.link and url_draft(at) == new_edit
    assert any(f"/fill?draft={new_edit}" in str(c.value) for c in at.code)
    assert any("已生成新的填写链接" in s.value for s in at.success)
    type_name(other, "旧窗口")  # the old window's change is not written, and it is told why
    no_exceptions(other)
    assert "这个填写链接已作废" in messages(other)
    assert stored_name(store, draft.id) is None
    again = new_app(draft=draft.link)  # the old link, opened afresh
    assert "这个填写链接已作废" in messages(again) and again.session_state["draft"] is None
    at.button(key="links:view-stop").click().run()
    no_exceptions(at)
    assert any("复核链接已停用；据此建立的复核草稿 0 份已删除" in s.value for s in at.success)
    assert VIEW not in store.active_links(draft.id)


def test_saves_and_link_changes_at_once_never_deadlock(backend: Backend) -> None:
    """A save locks its edit link, then the draft; a re-issue and a delete take the links first too."""
    from scorer.drafts import VIEW, DraftDeleted

    store = backend.store()
    draft = store.create({"sheet": SHEET, "applicant": {"name": "并发"}})
    other = backend.store()  # another replica (its own connections)
    unexpected: list[BaseException] = []
    gate = threading.Barrier(3)

    def saves() -> None:
        gate.wait()
        for n in range(25):
            try:
                mine = store.follow(draft.link)
                if mine is None:
                    return
                mine.data["applicant"]["name"] = f"并发{n}"
                store.save(mine)
            except (DraftConflict, DraftDeleted):
                continue
            except BaseException as exc:
                unexpected.append(exc)

    def relinks() -> None:
        gate.wait()
        for _ in range(25):
            try:
                other.reissue(draft.id, VIEW)
            except BaseException as exc:
                unexpected.append(exc)

    threads = [threading.Thread(target=saves), threading.Thread(target=saves), threading.Thread(target=relinks)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert unexpected == [], [getattr(e, "message", repr(e)) for e in unexpected]
    assert len(store.active_links(draft.id)) == 2
    assert other.delete(draft.id) and store.load(draft.id) is None


# --- issue 15, review: a dead link manages nothing, a deleted draft never comes back ------------------
def test_a_window_on_a_reissued_edit_link_can_manage_nothing(backend: Backend) -> None:
    from scorer.attachment_store import attachments_for
    from scorer.drafts import EDIT, VIEW, LinkRevoked

    store = backend.store()
    draft = store.create({"sheet": SHEET})
    old = draft.link
    new = store.reissue(draft.id, EDIT, by=old)
    documents = attachments_for(store)
    for attempt in (lambda: store.active_links(draft.id, by=old), lambda: store.reissue(draft.id, EDIT, by=old),
                    lambda: store.reissue(draft.id, VIEW, by=old), lambda: store.revoke(draft.id, VIEW, by=old),
                    lambda: store.delete(draft.id, by=old), lambda: documents.put(draft.id, _pdf_document(), by=old),
                    lambda: documents.keep_only(draft.id, set(), by=old)):
        with pytest.raises(LinkRevoked):
            attempt()
    assert store.active_links(draft.id, by=new) == {EDIT: new}  # the live link still does all of it
    documents.put(draft.id, _pdf_document(), by=new)
    assert store.delete(draft.id, by=new) and store.load(draft.id) is None


def test_a_review_made_through_a_stopped_link_is_never_stored(backend: Backend) -> None:
    from scorer.attachment_store import attachments_for
    from scorer.drafts import VIEW, LinkRevoked

    store = backend.store()
    draft = store.create({"sheet": SHEET, "applicant": {"name": "赵六"}})
    documents = attachments_for(store)
    card = _pdf_document()
    documents.put(draft.id, card, by=draft.link)
    token = store.reissue(draft.id, VIEW)
    review = Draft(new_id(), {"sheet": SHEET, "applicant": {"name": "赵六"}}, kind=REVIEW, via=token)
    store.revoke(draft.id, VIEW)  # stopped between the expert's opening and the first save
    with pytest.raises(LinkRevoked, match="据此建立的复核草稿已随之删除"):
        store.save(review)
    assert store.load(review.id) is None
    late = store.create({"sheet": SHEET}, kind=REVIEW)  # a review draft of its own, copying through the dead link
    with pytest.raises(LinkRevoked):
        documents.copy(draft.id, late.id, {card.ref.sha256}, reader=token, by=late.link)
    assert documents.used(late.id) == 0
    stored = store.delete(draft.id)
    again = Draft(new_id(), {"sheet": SHEET}, kind=REVIEW, via=token)  # after the draft itself went
    with pytest.raises(LinkRevoked):
        store.save(again)
    assert stored and store.load(again.id) is None


def test_a_damaged_draft_opened_through_a_review_link_keeps_its_id_to_itself(backend: Backend) -> None:
    from scorer.drafts import VIEW

    store = backend.store()
    draft = store.create({"sheet": SHEET})
    token = store.reissue(draft.id, VIEW)
    backend.tamper(draft.id, "data", "[1, 2]")
    with pytest.raises(DraftDamaged) as seen:
        store.follow(token)
    assert draft.id not in seen.value.message and "申报人的草稿已损坏" in seen.value.message
    with pytest.raises(DraftDamaged, match=draft.id):  # the applicant's own link still names it
        store.follow(draft.link)


def test_a_save_waiting_on_a_delete_finds_it_deleted(pg: Backend) -> None:
    """The delete holds the draft's links while a save waits for them: the save then sees the tombstone."""
    import psycopg

    from scorer.drafts import DraftDeleted
    from scorer.drafts.postgres import _erase

    store = pg.store()
    draft = store.create({"sheet": SHEET, "applicant": {"name": "并发删除"}})
    window = store.follow(draft.link)
    assert window is not None
    window.data["applicant"]["name"] = "旧窗口"
    outcome: list[BaseException | None] = []
    with psycopg.connect(pg.target) as deleting:
        tokens = [r[0] for r in deleting.execute(
            "SELECT token FROM links WHERE draft_id = %s ORDER BY token FOR UPDATE", (draft.id,))]
        _erase(deleting, [draft.id], tokens)

        def save() -> None:
            try:
                store.save(window)
                outcome.append(None)
            except BaseException as exc:
                outcome.append(exc)

        saver = threading.Thread(target=save)
        saver.start()
        time.sleep(0.5)  # the save is now waiting for the links the delete holds
        assert outcome == []
        deleting.commit()
        saver.join(timeout=30)
    assert len(outcome) == 1 and isinstance(outcome[0], DraftDeleted)
    assert store.load(draft.id) is None
    with pytest.raises(DraftDeleted):
        store.follow(draft.link)


def test_a_deleted_name_leaves_the_file_and_its_log_while_another_connection_is_open(tmp_path: Path) -> None:
    path = tmp_path / "drafts.sqlite3"
    store = SqliteDraftStore(path)
    draft = store.create({"sheet": SHEET, "applicant": {"name": "孙七不留痕"}})
    idle = sqlite3.connect(path)  # another process's connection, open but not reading
    idle.execute("SELECT count(*) FROM drafts").fetchone()
    store.delete(draft.id)
    for part in (path, path.with_name(path.name + "-wal")):
        if part.exists():
            assert "孙七不留痕".encode() not in part.read_bytes(), part.name
    idle.close()


def test_the_purge_takes_documents_no_draft_owns(backend: Backend) -> None:
    import datetime as dt

    from scorer.attachment_store import attachments_for

    store = backend.store()
    documents = attachments_for(store)
    kept = store.create({"sheet": SHEET})
    documents.put(kept.id, _pdf_document())
    documents.put(SOME_ID, _pdf_document())  # left behind by a window whose draft went (no by: an administrator)
    store.purge(dt.datetime.now(dt.UTC) - dt.timedelta(days=180))
    assert documents.used(SOME_ID) == 0 and documents.used(kept.id) > 0


def test_the_result_page_on_a_reissued_link_shows_no_link_and_deletes_nothing(backend: Backend) -> None:
    from scorer.drafts import EDIT, VIEW

    store = backend.store()
    draft = store.create({"sheet": SHEET, "answers": {}})
    review_link = store.reissue(draft.id, VIEW)
    stale = new_app(draft=draft.link)  # opened before the applicant re-issued the edit link (e.g. a leaked tab)
    stale.switch_page("ui/pages/result.py").run()
    new = store.reissue(draft.id, EDIT, by=draft.link)
    stale.run()  # the next rerun of the old window: the links are not shown to it
    no_exceptions(stale)
    assert "这个填写链接已作废" in messages(stale)
    assert not any(review_link in str(c.value) or new in str(c.value) for c in stale.code)
    stale.checkbox(key="delete-sure").check().run()
    stale.button(key="delete-draft").click().run()
    no_exceptions(stale)
    assert store.load(draft.id) is not None and store.active_links(draft.id) == {EDIT: new, VIEW: review_link}
    assert any("未能删除" in e.value for e in stale.error)
