"""The drafts store: a bad database file, a lock, a read-only file or folder, a tampered row, two windows, two kinds.

Each problem is tested on the store itself and then in the app (AppTest with
ZHICHENG_DRAFTS_DB pointing at the bad file): the app never raises, says in
Chinese what happened and what to do, and keeps what was typed.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from helpers import ROOT
from streamlit.testing.v1 import AppTest

from scorer.drafts import (
    APPLICANT,
    REVIEW,
    Draft,
    DraftConflict,
    DraftDamaged,
    DraftKindMismatch,
    DraftStore,
    StoreBusy,
    StoreUnavailable,
)

APP = str(ROOT / "app.py")
SHEET = "cixi-engineering-junior-2021"  # one level: the chooser's button starts it at once
NAME_KEY = f"{SHEET}.applicant.name"
SOME_ID = "A" * 24


# --- helpers ------------------------------------------------------------------------------------
@pytest.fixture
def store_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "drafts.sqlite3"
    monkeypatch.setenv("ZHICHENG_DRAFTS_DB", str(path))
    return path


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
    real = DraftStore._connect

    def read_only_connect(self: DraftStore, *, read_only: bool = False) -> sqlite3.Connection:
        if read_only:
            return real(self, read_only=True)
        uri = "file:" + str(self.path.resolve()) + "?mode=ro"
        return sqlite3.connect(uri, uri=True, timeout=self.busy_timeout, isolation_level=None)

    monkeypatch.setattr(DraftStore, "_connect", read_only_connect)
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


def tamper(path: Path, draft_id: str, column: str, value: Any) -> None:
    db = sqlite3.connect(path)
    db.execute(f"UPDATE drafts SET {column} = ? WHERE id = ?", (value, draft_id))
    db.commit()
    db.close()


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


def stored_name(path: Path, draft_id: str) -> Any:
    found = DraftStore(path).load(draft_id)
    assert found is not None
    return found.data.get("applicant", {}).get("name")


# --- the store ----------------------------------------------------------------------------------
def test_a_corrupt_file_is_reported_in_chinese_never_as_sqlite(tmp_path: Path) -> None:
    path = tmp_path / "drafts.sqlite3"
    path.write_bytes(os.urandom(4096))
    store = DraftStore(path)  # opening touches nothing
    for call in (lambda: store.load(SOME_ID), lambda: store.save(Draft(SOME_ID, {"sheet": SHEET})), store.check):
        with pytest.raises(StoreUnavailable) as info:
            call()
        assert "草稿库文件 drafts.sqlite3 已损坏" in info.value.message


def test_a_truncated_file_is_reported_as_damaged(tmp_path: Path) -> None:
    path = tmp_path / "drafts.sqlite3"
    store = DraftStore(path)
    for i in range(300):
        store.create({"sheet": SHEET, "answers": {"pad": "x" * 500, "i": str(i)}})
    path.write_bytes(path.read_bytes()[:20000])
    with pytest.raises(StoreUnavailable, match="已损坏"):
        DraftStore(path).create({"sheet": SHEET})


def test_a_locked_database_waits_briefly_then_says_busy(tmp_path: Path) -> None:
    path = tmp_path / "drafts.sqlite3"
    store = DraftStore(path)
    draft = store.create({"sheet": SHEET})
    draft.data["level"] = "助理工程师"
    with locked(path):
        began = time.monotonic()
        with pytest.raises(StoreBusy) as info:
            store.save(draft)
        waited = time.monotonic() - began
        assert 1.0 < waited < 5, waited  # about busy_timeout (2 s), not the old 10 s
        assert "草稿库正忙" in info.value.message
        assert draft.version == 1  # unchanged: the same object can be saved again
        assert store.load(draft.id) is not None  # reading is not blocked by a writer
    store.save(draft)
    assert (draft.version, DraftStore(path).load(draft.id).data["level"]) == (2, "助理工程师")  # type: ignore[union-attr]


def test_a_read_only_file_still_reads_but_refuses_to_save(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "drafts.sqlite3"
    store = DraftStore(path)
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
    draft = DraftStore(path).create({"sheet": SHEET})  # closed cleanly: no -wal / -shm files are left
    with read_only(folder, monkeypatch):
        store = DraftStore(path)
        assert store.load(draft.id).data == {"sheet": SHEET}  # type: ignore[union-attr]
        with pytest.raises(StoreUnavailable, match="只读"):
            store.save(draft)
        with pytest.raises(StoreUnavailable, match="只读"):
            DraftStore(folder / "other.sqlite3").create({"sheet": SHEET})


@pytest.mark.parametrize(
    ("column", "value", "why"),
    [
        ("data", "{not json", "申报内容不是有效的 JSON"),
        ("data", "[1, 2]", "申报内容不是键值表"),
        ("data", '"text"', "申报内容不是键值表"),
        ("data", 5, "申报内容不是键值表"),
        ("data", b"\x00\x01", "申报内容不是文字"),
        ("data", "[" * 100_000, "申报内容不是有效的 JSON"),
        ("data", json.dumps({"sheet": SHEET, "answers": "abc"}), "申报内容中的各项答案（answers）不是键值表"),
        ("data", json.dumps({"sheet": SHEET, "applicant": 5}), "申报内容中的申报人信息（applicant）不是键值表"),
        ("data", json.dumps({"sheet": SHEET, "gates": [1]}), "申报内容中的申报条件（gates）不是键值表"),
        ("data", '{"sheet": 5}', "申报内容中的评分表（sheet）不是文字"),
        ("ready", "[]", "佐证材料勾选"),
        ("ready", '{"a": "yes"}', "佐证材料勾选"),
        ("updated", b"\x01", "保存时间不是文字"),  # TEXT affinity turns a number into text; a blob stays
        ("version", "abc", "版本号不是正整数"),
        ("version", 0, "版本号不是正整数"),
        ("kind", "admin", "草稿类别无法识别"),
    ],
)
def test_a_tampered_row_is_reported_as_damaged(tmp_path: Path, column: str, value: Any, why: str) -> None:
    path = tmp_path / "drafts.sqlite3"
    draft = DraftStore(path).create({"sheet": SHEET})
    tamper(path, draft.id, column, value)
    with pytest.raises(DraftDamaged) as info:
        DraftStore(path).load(draft.id)
    assert info.value.message == f"草稿 {draft.id} 已损坏（{why}），无法打开" or why in info.value.message
    assert "已损坏" in info.value.message


def test_two_handles_on_one_draft_never_overwrite_each_other(tmp_path: Path) -> None:
    path = tmp_path / "drafts.sqlite3"
    first = DraftStore(path).create({"sheet": SHEET, "applicant": {"name": "原名"}})
    one, two = DraftStore(path), DraftStore(path)
    a, b = one.load(first.id), two.load(first.id)
    assert a is not None and b is not None and a.version == b.version == 1
    a.data["applicant"] = {"name": "窗口一"}
    one.save(a)
    assert a.version == 2
    b.data["applicant"] = {"name": "窗口二"}
    with pytest.raises(DraftConflict) as info:
        two.save(b)
    assert "已在另一个窗口中修改并保存过" in info.value.message and info.value.stored_version == 2
    assert b.version == 1 and stored_name(path, first.id) == "窗口一"  # the stale copy wrote nothing
    fresh = two.load(first.id)
    assert fresh is not None and fresh.version == 2
    fresh.data["applicant"] = {"name": "窗口二"}
    two.save(fresh)
    assert (fresh.version, stored_name(path, first.id)) == (3, "窗口二")


def test_a_file_from_before_versions_and_kinds_is_migrated(tmp_path: Path) -> None:
    path = tmp_path / "drafts.sqlite3"
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE drafts (id TEXT PRIMARY KEY, data TEXT NOT NULL, ready TEXT NOT NULL, updated TEXT NOT NULL)")
    db.execute("INSERT INTO drafts VALUES (?, ?, '{}', '2024-01-01T00:00:00+00:00')", (SOME_ID, json.dumps({"sheet": SHEET})))
    db.commit()
    db.close()
    old = DraftStore(path).load(SOME_ID)
    assert old is not None and (old.kind, old.version, old.data) == (APPLICANT, 1, {"sheet": SHEET})
    columns = {row[1] for row in sqlite3.connect(path).execute("PRAGMA table_info(drafts)")}
    assert {"version", "kind"} <= columns
    stale = DraftStore(path).load(SOME_ID)
    DraftStore(path).save(old)
    assert old.version == 2
    with pytest.raises(DraftConflict):
        DraftStore(path).save(stale)  # type: ignore[arg-type]


def test_a_save_never_writes_into_a_draft_of_the_other_kind(tmp_path: Path) -> None:
    path = tmp_path / "drafts.sqlite3"
    applicant = DraftStore(path).create({"sheet": SHEET, "answers": {"education": "大专"}})
    intruder = Draft(applicant.id, {**applicant.data, "review": {"reviewer": "李专家"}}, kind=REVIEW,
                     version=applicant.version)
    with pytest.raises(DraftKindMismatch) as info:
        DraftStore(path).save(intruder)
    assert "是申报人草稿，不能保存为专家复核草稿" in info.value.message
    with pytest.raises(DraftKindMismatch):
        DraftStore(path).save(Draft(applicant.id, {}, kind=REVIEW))  # a new review under an applicant's id
    stored = DraftStore(path).load(applicant.id)
    assert stored is not None and "review" not in stored.data and stored.version == 1
    review = DraftStore(path).create({"sheet": SHEET}, kind=REVIEW)
    assert DraftStore(path).load(review.id).kind == REVIEW  # type: ignore[union-attr]


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


def test_app_with_a_draft_in_a_corrupt_file_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "drafts.sqlite3"
    path.write_bytes(os.urandom(4096))
    monkeypatch.setenv("ZHICHENG_DRAFTS_DB", str(path))
    at = new_app(draft=SOME_ID)
    no_exceptions(at)
    assert f"草稿库文件 drafts.sqlite3 已损坏，无法读写，因此打不开草稿 {SOME_ID}" in messages(at)
    start_sheet(at)  # a new draft can still be started (in this window)
    assert at.session_state["draft"].data["sheet"] == SHEET


def test_app_with_a_read_only_database_loads_the_draft_and_warns_on_change(
        store_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    draft = DraftStore(store_path).create({"sheet": SHEET, "applicant": {"name": "张三"}, "answers": {}})
    with read_only(store_path, monkeypatch):
        at = new_app(draft=draft.id)
        no_exceptions(at)
        at.switch_page("ui/pages/fill.py").run()
        assert at.text_input(key=NAME_KEY).value == "张三"  # still readable
        type_name(at, "李四")
        assert "只读" in messages(at) and "下载申报文件" in messages(at)
        assert at.session_state["draft"].data["applicant"]["name"] == "李四"
    assert stored_name(store_path, draft.id) == "张三"


def test_app_with_a_locked_database_waits_briefly_and_saves_on_the_next_change(store_path: Path) -> None:
    at = type_name(start_sheet(new_app()), "张三")
    draft_id = url_draft(at)
    at.switch_page("ui/pages/fill.py").run()
    with locked(store_path):
        began = time.monotonic()
        type_name(at, "李四")
        assert time.monotonic() - began < 10  # one bounded wait, not 10 s per save followed by a traceback
        assert "草稿库正忙" in messages(at) and "下次修改时会自动重试保存" in messages(at)
        assert at.session_state["draft"].data["applicant"]["name"] == "李四"
    assert stored_name(store_path, draft_id) == "张三"
    at.text_input(key=f"{SHEET}.applicant.unit").set_value("某公司").run()  # the next change saves everything
    no_exceptions(at)
    stored = DraftStore(store_path).load(draft_id)
    assert stored is not None and stored.data["applicant"] == {"name": "李四", "unit": "某公司"}
    assert "草稿库正忙" not in messages(at)
    assert "草稿库已恢复，之前未保存的修改已一并保存到草稿。" in [m.value for m in at.success]


def test_app_with_a_tampered_row_says_damaged_and_starts_afresh(store_path: Path) -> None:
    draft = DraftStore(store_path).create({"sheet": SHEET, "answers": {}})
    tamper(store_path, draft.id, "data", "{not json")
    at = new_app(draft=draft.id)
    no_exceptions(at)
    assert f"草稿 {draft.id} 已损坏（申报内容不是有效的 JSON）" in messages(at)
    assert "重新选择评分表开始新的草稿" in messages(at)
    type_name(start_sheet(at), "张三")
    assert url_draft(at) != draft.id
    assert stored_name(store_path, url_draft(at)) == "张三"
    assert "已损坏" not in messages(at)


def test_two_windows_on_one_draft_never_overwrite_and_offer_both_ways(store_path: Path) -> None:
    first = type_name(start_sheet(new_app()), "原名")
    draft_id = url_draft(first)
    one, two = new_app(draft=draft_id), new_app(draft=draft_id)
    for at in (one, two):
        at.switch_page("ui/pages/fill.py").run()
    type_name(one, "窗口一")
    type_name(two, "窗口二")  # stale: loaded before 窗口一 was saved
    assert "已在另一个窗口中修改并保存过" in messages(two) and "另存为新草稿" in messages(two)
    assert stored_name(store_path, draft_id) == "窗口一"
    assert two.text_input(key=NAME_KEY).value == "窗口二"  # nothing typed is lost
    type_name(two, "窗口二改")  # still in conflict: still nothing overwritten
    assert stored_name(store_path, draft_id) == "窗口一"
    two.button(key="draft:save-as-new").click().run()
    no_exceptions(two)
    copy_id = url_draft(two)
    assert copy_id != draft_id
    assert (stored_name(store_path, copy_id), stored_name(store_path, draft_id)) == ("窗口二改", "窗口一")
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
    assert stored_name(store_path, draft_id) == "窗口三"


def test_the_applicant_pages_do_not_open_a_review_draft(store_path: Path) -> None:
    review = DraftStore(store_path).create({"sheet": SHEET, "answers": {}, "review": {"reviewer": "李专家"}}, kind=REVIEW)
    at = new_app(draft=review.id)
    no_exceptions(at)
    assert "是专家复核草稿，不是申报人的草稿" in messages(at)
    assert at.session_state["draft"] is None
    stored = DraftStore(store_path).load(review.id)
    assert stored is not None and stored.version == 1


def test_an_unknown_draft_id_says_so(store_path: Path) -> None:
    at = new_app(draft=SOME_ID)  # e.g. a draft that could only be kept in memory, after a refresh
    no_exceptions(at)
    assert f"找不到编号为 {SOME_ID} 的草稿" in messages(at)
    start_sheet(at)
    assert "找不到" not in messages(at)
