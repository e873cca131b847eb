"""The applicant's draft (and the expert's review draft) across reruns, pages, refreshes and restarts.

The draft's claim data lives in ``st.session_state["draft"]`` and in the drafts
store (an SQLite file, or PostgreSQL shared by several app processes);
its edit link -- an opaque token, never anything personal -- is in the URL
(``?draft=…``). A review link (read only) opens nothing here: the review page
copies what it shows into the expert's own review draft. Widgets never hold the truth: they are
seeded from the draft when created and write back into it, so a page switch
(which drops widget state) or a reload loses nothing. The expert's review is
the same kind of thing in another slot (``st.session_state["review_draft"]``,
``?review=…``); a slot opens and saves only drafts of its own kind.

Nothing the database does stops the app. When it cannot save (a corrupt,
read-only or locked file) the draft stays in this session and a warning says
so and what to do; the next change tries again. When another window saved the
same draft first, nothing is overwritten: the page asks whether to reload that
version or keep this window's copy as a new draft.
"""

from __future__ import annotations

import functools
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ParamSpec

import streamlit as st

from scorer import SheetLibrary
from scorer import drafts as store_mod
from scorer.claims import Claims, draft_claims
from scorer.drafts import (
    Draft,
    DraftConflict,
    DraftDamaged,
    DraftDeleted,
    DraftKindMismatch,
    DraftStore,
    DraftStoreError,
    LinkRevoked,
    StoreBusy,
    configured,
    open_store,
)
from scorer.engine import score
from scorer.model import Sheet
from scorer.result import Result
from scorer.serialize import store_form

P = ParamSpec("P")
DRAFT = "draft"
STORE_PROBLEM = "drafts:store-problem"  # the store could not be opened at the session's start (None: it could)


@dataclass(frozen=True)
class Slot:
    """Where one kind of draft lives: its session key, its URL parameter, its kind, and how to keep it safe."""

    key: str
    param: str
    kind: str
    what: str  # 草稿 / 复核草稿
    keep: str  # what to download when nothing can be saved
    fresh: str  # how to start again when the draft cannot be opened


APPLICANT = Slot(
    DRAFT, "draft", store_mod.APPLICANT, "草稿",
    keep="请在“结果与导出”页下载申报文件（YAML 或 JSON）保存，以后可在“选择评分表”页上传继续",
    fresh="可以在“选择评分表”页重新选择评分表开始新的草稿，或上传之前下载的申报文件继续",
)
REVIEW = Slot(
    "review_draft", "review", store_mod.REVIEW, "复核草稿",
    keep="请在本页底部下载“含复核的申报文件（YAML）”保存，以后可在本页上传继续复核",
    fresh="可以在本页重新上传申报文件或粘贴申报人给您的复核链接，开始新的复核",
)


@dataclass(frozen=True)
class Status:
    """Why a slot's draft is not (or not safely) stored: shown at the top of every page until it is."""

    kind: str  # unsaved: kept in this window only; conflict: another window saved first; refused: not opened;
    # saved: stored again after a problem (said once)
    text: str
    reloadable: bool = False  # a conflict whose stored version can be loaded instead


@st.cache_resource
def library() -> SheetLibrary:
    return SheetLibrary()


@st.cache_resource
def _store_for(backend: str, target: str) -> DraftStore:
    return open_store(backend, target)


def store() -> DraftStore:
    """The configured store (``ZHICHENG_DRAFTS_URL``, else ``ZHICHENG_DRAFTS_DB``), one per process and target.

    Opening it touches nothing; a PostgreSQL store keeps its connection pool for
    every session of this process.
    """
    return _store_for(*configured())


def sheets() -> dict[str, Sheet]:
    return library().sheets


def draft() -> Draft | None:
    return st.session_state.get(DRAFT)


# --- the status of a slot ---------------------------------------------------------------------
def status(slot: Slot) -> Status | None:
    return st.session_state.get(f"{slot.key}:status")


def _set_status(slot: Slot, value: Status | None) -> None:
    st.session_state[f"{slot.key}:status"] = value


def _unsaved_text(slot: Slot, exc: DraftStoreError) -> str:
    if isinstance(exc, StoreBusy):
        return (f"{exc.message}，刚才的修改暂未保存。已填写的内容仍保留在本窗口，下次修改时会自动重试保存；"
                f"在此之前请不要刷新或关闭页面。如需离开，{slot.keep}。")
    return (f"{exc.message}。本页仍可继续填写和计算，但内容只保存在本窗口，刷新或关闭页面就会丢失：{slot.keep}。"
            "也请告知系统管理员。")


def show_status(slot: Slot) -> None:
    """The slot's standing problem, with the choices a conflict needs (call once per full run, near the top)."""
    current = status(slot)
    if current is None:
        return
    if current.kind == "saved":  # shown once
        _set_status(slot, None)
        st.success(current.text, icon=":material/cloud_done:")
        return
    if current.kind == "unsaved":
        st.warning(current.text, icon=":material/cloud_off:")
        return
    if current.kind in ("refused", "gone"):
        st.error(current.text, icon=":material/error:" if current.kind == "refused" else ":material/link_off:")
        return
    st.error(current.text, icon=":material/sync_problem:")
    left, right = st.columns(2)
    if current.reloadable and left.button("重新载入（查看另一个窗口保存的内容）", key=f"{slot.key}:reload",
                                          width="stretch"):
        reload(slot)
        st.rerun()
    if right.button("另存为新草稿（保留本窗口的内容）", key=f"{slot.key}:save-as-new", width="stretch"):
        save_as_new(slot)
        st.rerun()


# --- opening, creating and saving a slot's draft ------------------------------------------------
def _kind_text(slot: Slot, found: Draft) -> str:
    """Why a link does not open here: a review draft on the applicant's pages, an applicant's link on the review page."""
    if slot.kind == store_mod.APPLICANT:
        if found.access == store_mod.VIEW:
            return ("这是申报人的复核链接（只读），供推荐专家在“专家复核”页查看和复核，不能用来填写或修改申报内容。"
                    f"申报人本人请使用自己的填写链接；要重新开始，{APPLICANT.fresh}。")
        return (f"这个链接打开的是专家复核草稿，不是申报人的草稿，申报页面不会打开或改动它。"
                f"请在“专家复核”页打开它；要申报，{APPLICANT.fresh}。")
    if found.access == store_mod.VIEW:
        return "这是申报人的复核链接：已填入下方“载入申报文件”，点“载入”即可另建一份复核草稿，申报内容照录。"
    return ("这是申报人本人的填写链接，不是复核链接。填写链接能修改申报内容，复核不接受它，也不会写入申报人的草稿。"
            "请申报人在“结果与导出”页生成“复核链接”发给您。")


def _open(slot: Slot, token: str | None) -> tuple[Draft | None, bool]:
    """The slot's draft that link opens (None: none), and whether to try again on the next run (busy)."""
    if not token:
        return None, False
    try:
        found = store().follow(token)
    except StoreBusy as exc:
        _set_status(slot, Status("refused", f"{exc.message}，暂时无法打开这份{slot.what}。请稍后刷新页面重试。"))
        return None, True
    except (LinkRevoked, DraftDeleted, DraftDamaged) as exc:
        _set_status(slot, Status("refused", f"{exc.message}。{slot.fresh}。"))
        return None, False
    except DraftStoreError as exc:
        _set_status(slot, Status("refused", f"{exc.message}，因此打不开这份{slot.what}。请告知系统管理员，"
                                            f"稍后刷新页面重试；急需时{slot.fresh}，但新内容同样无法自动保存，请及时下载。"))
        return None, False
    if found is None:  # a mistyped link, or a draft this session could only keep in memory (never stored)
        _set_status(slot, Status("refused", f"找不到链接中的{slot.what}（{token}）：请核对链接；若当时草稿库无法保存，"
                                            f"这份{slot.what}没有存下来。{slot.fresh}。"))
        return None, False
    if found.kind != slot.kind or found.access != store_mod.EDIT:
        _set_status(slot, Status("refused", _kind_text(slot, found)))
        if slot.kind == store_mod.REVIEW and found.access == store_mod.VIEW:
            st.session_state[f"{slot.key}:other-kind"] = token
        return None, False
    _set_status(slot, None)
    return found, False


def delete_current(slot: Slot) -> str | None:
    """Delete the slot's draft (and its documents) for real; None when done, else why not."""
    current: Draft | None = st.session_state.get(slot.key)
    if current is None:
        return "没有打开的草稿"
    try:
        store().delete(current.id, by=current.link)
    except (LinkRevoked, DraftDeleted) as exc:
        _gone(slot, exc)
        return exc.message
    except DraftStoreError as exc:
        return exc.message
    del st.session_state[slot.key]
    _set_status(slot, None)
    st.query_params.pop(slot.param, None)
    reset_widgets(slot)
    return None


def reviews_via(token: str) -> list[tuple[str, str]]:
    """The review drafts already made through a review link (id, last saved), newest first; [] if unknown."""
    try:
        return store().reviews_via(token_in(token))
    except DraftStoreError:
        return []


def open_link(slot: Slot, token: str) -> Draft | None:
    """Make the draft a link opens the slot's current one (its problems shown as on a fresh session)."""
    found, _ = _open(slot, token)
    if found is not None:
        st.session_state[slot.key] = found
        st.query_params[slot.param] = found.link
        reset_widgets(slot)
    return found


def links() -> tuple[dict[str, str], str | None]:
    """The applicant's links in force (role -> token) and, when the store cannot say, why."""
    current = draft()
    if current is None or current.version == 0:
        return {}, "草稿尚未保存到草稿库，暂时不能生成链接"
    try:
        return store().active_links(current.id, by=current.link), None
    except (LinkRevoked, DraftDeleted) as exc:
        _gone(APPLICANT, exc)
        return {}, exc.message
    except DraftStoreError as exc:
        return {}, exc.message


def reissue(role: str) -> str | None:
    """A new link of ``role`` for the applicant's draft (the old one stops working); None when done, else why not.

    A new edit link becomes this window's own link (and its URL); other windows still on the old one are
    told on their next save that it no longer writes.
    """
    current = draft()
    if current is None:
        return "没有打开的草稿"
    try:
        token = store().reissue(current.id, role, by=current.link)
    except (LinkRevoked, DraftDeleted) as exc:
        _gone(APPLICANT, exc)
        return exc.message
    except DraftStoreError as exc:
        return exc.message
    if role == store_mod.EDIT:
        current.link = token
        st.query_params[APPLICANT.param] = token
    return None


def revoke_review() -> tuple[int, str | None]:
    """Stop the applicant's review link; how many review drafts made through it were deleted, and any problem."""
    current = draft()
    if current is None:
        return 0, "没有打开的草稿"
    try:
        return store().revoke(current.id, store_mod.VIEW, by=current.link), None
    except (LinkRevoked, DraftDeleted) as exc:
        _gone(APPLICANT, exc)
        return 0, exc.message
    except DraftStoreError as exc:
        return 0, exc.message


def restore(slot: Slot) -> Draft | None:
    """On a fresh session, pick the slot's draft up from the URL; then keep its id in the URL and show its status."""
    if slot.key not in st.session_state:
        found, retry = _open(slot, st.query_params.get(slot.param))
        if not retry:
            st.session_state[slot.key] = found
    current: Draft | None = st.session_state.get(slot.key)
    if current is not None and st.query_params.get(slot.param) != current.link:
        st.query_params[slot.param] = current.link
    show_status(slot)
    return current


def check_store() -> None:
    """Once per session: say at once when nothing will be saved, before anything is typed (every page shows it)."""
    if STORE_PROBLEM not in st.session_state:
        try:
            store().check()
        except StoreBusy:
            st.session_state[STORE_PROBLEM] = None  # a lock is released soon; a save waits and says so if not
        except DraftStoreError as exc:
            st.session_state[STORE_PROBLEM] = (
                f"{exc.message}。本工具仍可使用，但填写或复核的内容只保存在本窗口，刷新或关闭页面就会丢失：申报人请在"
                "“结果与导出”页下载申报文件，复核专家请在“专家复核”页底部下载含复核的申报文件，以后上传即可继续。"
                "也请告知系统管理员。"
            )
        else:
            st.session_state[STORE_PROBLEM] = None
    problem = st.session_state.get(STORE_PROBLEM)
    if problem and status(APPLICANT) is None:  # the applicant's own warning says the same and more
        st.warning(problem, icon=":material/cloud_off:")


def restore_from_url() -> None:
    """The app's first call on every run: the applicant's draft from the URL, and any problem with the store."""
    restore(APPLICANT)
    check_store()


def persist(slot: Slot, *, redraw: bool = True) -> bool:
    """Save the slot's draft; on failure keep it in this session and say why (True: it is stored).

    A change of status redraws the page (``st.rerun``) so the notice at the top is current (a fill
    step is a fragment: a message drawn inside it would vanish with its next rerun); a caller
    that goes on to switch pages passes ``redraw=False`` and gets the message where it is.
    """
    current: Draft | None = st.session_state.get(slot.key)
    if current is None:
        return False
    before = status(slot)
    if before is not None and before.kind in ("conflict", "gone"):
        return False  # never overwrite: the user chooses first (the banner at the top); a dead link never writes
    try:
        store().save(current)
    except DraftConflict as exc:
        _set_status(slot, Status("conflict", _conflict_text(exc), reloadable=True))
        st.rerun()  # draw the choice at the top of the page
    except (DraftDeleted, LinkRevoked) as exc:  # deleted, purged or re-linked in another window: not written
        _gone(slot, exc)
        st.rerun()
    except (DraftKindMismatch, DraftDamaged) as exc:
        _set_status(slot, Status("conflict", f"{exc.message}，本窗口的修改没有保存。请点“另存为新草稿”保存本窗口的内容。"))
        st.rerun()
    except DraftStoreError as exc:
        if not isinstance(exc, StoreBusy) and st.session_state.get(STORE_PROBLEM):
            return False  # the warning at the top of every page already says so, and what to download
        now = Status("unsaved", _unsaved_text(slot, exc))
        _set_status(slot, now)
        if now != before:
            if redraw:
                st.rerun()  # the warning at the top of the page, where it stays until a save succeeds
            st.warning(now.text, icon=":material/cloud_off:")
        return False
    if st.session_state.get(STORE_PROBLEM):
        st.session_state[STORE_PROBLEM] = None
    if before is not None and before.kind == "unsaved":
        _set_status(slot, Status("saved", f"草稿库已恢复，之前未保存的修改已一并保存到{slot.what}。"))
        if redraw:
            st.rerun()  # redraw the warning at the top of the page as this notice
    return True


def _gone(slot: Slot, exc: DraftStoreError) -> None:
    """This window's link no longer writes: the draft was deleted, or its link re-issued or stopped.

    What was typed stays on the page. An applicant whose draft was deleted may keep this window's copy as a
    new draft (it is their own data); a window on a re-issued edit link may not (it would fork the draft the
    applicant moved away from a leaked link), nor may an expert's review made through a stopped review link
    (the copy of the applicant's data must go with it): they are told what to download instead.
    """
    current: Draft | None = st.session_state.get(slot.key)
    if slot.kind == store_mod.REVIEW and current is not None and current.via is not None:
        _set_status(slot, Status("gone", f"{store_mod.REVIEW_GONE_TEXT}。"))
    elif isinstance(exc, LinkRevoked):
        _set_status(slot, Status("gone", f"{exc.message}。本窗口的修改没有保存，也不能再保存或管理这份草稿；"
                                         f"本窗口中需要保留的内容，{slot.keep}。"))
    else:
        _set_status(slot, Status("conflict", f"{exc.message}。本窗口的修改没有保存；如需继续，请点“另存为新草稿”。"))


def _conflict_text(exc: DraftConflict) -> str:
    return (f"{exc.message}。为避免覆盖那边的内容，本窗口的修改没有保存。请选择：点“重新载入”查看另一个窗口保存的"
            "内容（本窗口未保存的修改将放弃）；或点“另存为新草稿”，把本窗口的内容存为一份新草稿（原草稿保留另一个窗口的内容）。")


def create(slot: Slot, data: dict[str, Any], via: str | None = None) -> Draft:
    """A new draft of the slot's kind, made current and saved (or kept in this session if it cannot be);
    ``via``: the review link a review draft is made from (revoking it deletes the review)."""
    new = Draft(store_mod.new_id(), dict(data), kind=slot.kind, via=via)
    st.session_state[slot.key] = new
    _set_status(slot, status(slot) if _is_unsaved(slot) else None)  # a new draft: no conflict, no refusal
    st.query_params[slot.param] = new.link
    persist(slot, redraw=False)
    return new


def _is_unsaved(slot: Slot) -> bool:
    current = status(slot)
    return current is not None and current.kind == "unsaved"


def is_saved(slot: Slot = APPLICANT) -> bool:
    """Whether the slot's draft is in the store as shown (no unsaved change, no conflict, no refusal)."""
    current = status(slot)
    return current is None or current.kind == "saved"


def token_in(text: str) -> str:
    """The token of a pasted link (a whole URL, or the token alone)."""
    text = text.strip()
    if "?" in text or "/" in text:
        query = urllib.parse.urlsplit(text).query
        for key in ("link", "draft", "review"):
            found = urllib.parse.parse_qs(query).get(key)
            if found:
                return found[0].strip()
    return text


def find_for_review(text: str) -> tuple[Draft | None, str | None]:
    """The applicant's draft a pasted review link opens (read only), or the reason in words why none."""
    token = token_in(text)
    try:
        found = store().follow(token)
    except (LinkRevoked, DraftDeleted) as exc:
        return None, f"{exc.message}。"
    except DraftDamaged as exc:
        return None, f"{exc.message}。请向申报人索取申报文件后上传。"
    except DraftStoreError as exc:
        return None, f"{exc.message}，暂时无法读取草稿。请稍后重试，或向申报人索取申报文件后上传。"
    if found is None:
        return None, "找不到这个复核链接，请核对后重试（请完整粘贴申报人发来的链接）。"
    if not found.data.get("sheet"):
        return None, "申报人的草稿还没有选择评分表，暂无可复核的内容；请申报人填写后再发复核链接。"
    if found.kind != store_mod.APPLICANT or found.access != store_mod.VIEW:
        return None, _kind_text(REVIEW, found) if found.kind == store_mod.APPLICANT else (
            "这是一份复核草稿的链接，不是申报人的复核链接：请直接打开它继续复核。")
    return found, None


def reload(slot: Slot) -> None:
    """Replace this window's copy by the stored one (after a conflict)."""
    current: Draft | None = st.session_state.get(slot.key)
    if current is None:
        return
    try:
        fresh = store().follow(current.link)  # through this window's own link: a re-issued one reads nothing
    except (LinkRevoked, DraftDeleted) as exc:
        _gone(slot, exc)
        return
    except DraftStoreError as exc:
        fresh, why = None, exc.message
    else:
        why = "草稿已不在草稿库中" if fresh is None else ""
    if fresh is None or fresh.kind != slot.kind:
        old = status(slot)
        _set_status(slot, Status("conflict", f"重新载入失败（{why or '草稿类别不符'}）。请点“另存为新草稿”保存本窗口的内容。"
                                 if old is None else f"重新载入失败（{why or '草稿类别不符'}）。{old.text}", reloadable=False))
        return
    st.session_state[slot.key] = fresh
    _set_status(slot, None)
    reset_widgets(slot)


def save_as_new(slot: Slot) -> None:
    """Keep this window's copy as a new draft (after a conflict); the other draft stays as the other window saved it."""
    current: Draft | None = st.session_state.get(slot.key)
    if current is None:
        return
    copy = Draft(store_mod.new_id(), current.data, dict(current.ready), kind=slot.kind, via=current.via)
    st.session_state[slot.key] = copy
    _set_status(slot, None)
    st.query_params[slot.param] = copy.link
    persist(slot, redraw=False)


def reset_widgets(slot: Slot) -> None:
    """Forget widget values so every widget is seeded again from the (new) draft."""
    if slot.kind == store_mod.REVIEW:
        prefixes: tuple[str, ...] = ("rv.",)
    else:
        prefixes = tuple(f"{sheet_id}." for sheet_id in sheets()) + tuple(f"base:{sheet_id}." for sheet_id in sheets())
    for key in list(st.session_state.keys()):
        if isinstance(key, str) and key.startswith(prefixes):
            del st.session_state[key]


def _reset_widgets() -> None:
    reset_widgets(APPLICANT)


# --- the applicant's draft --------------------------------------------------------------------
def start(sheet_id: str, level: str | None) -> None:
    """Begin (or switch) the sheet of the current draft; a different sheet gets a fresh draft."""
    current = draft()
    data: dict[str, Any] = {"sheet": sheet_id, "answers": {}}
    if level:
        data["level"] = level
    if current is not None and current.data.get("sheet") == sheet_id:
        current.data = {**current.data, **({"level": level} if level else {})}
        persist(APPLICANT)
        return
    create(APPLICANT, data)
    _reset_widgets()


def replace_data(data: dict[str, Any]) -> None:
    """Load a validated claim file into the current draft (or a new one)."""
    current = draft()
    if current is None:
        create(APPLICANT, store_form(data))
    else:
        current.data = store_form(data)
        current.ready = {}
        persist(APPLICANT)
        st.query_params["draft"] = current.link
    _reset_widgets()


def save() -> None:
    if draft() is not None:
        persist(APPLICANT)


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
            _changed()
        return
    if node.get(path[-1]) != value:
        node[path[-1]] = value
        _changed()


DEFERRED = "drafts:deferred"  # inside a fill step: its changes are saved once, at its end
PENDING = "drafts:pending"  # a change made inside a step, not saved yet


def _changed() -> None:
    if st.session_state.get(DEFERRED):
        st.session_state[PENDING] = True
    else:
        persist(APPLICANT)


def saves_at_end(step: Callable[P, None]) -> Callable[P, None]:
    """A fill step whose changes are saved once, after it has drawn its totals (issue 11).

    The person sees the new total as soon as it is computed; the draft's save (a transaction on disk)
    follows in the same run instead of coming first, and a run that changes several answers saves once.
    A run cut short -- another change arriving, a rerun -- still saves on its way out.
    """
    @functools.wraps(step)
    def run(*args: P.args, **kwargs: P.kwargs) -> None:
        st.session_state[DEFERRED] = True
        try:
            step(*args, **kwargs)
        finally:
            st.session_state[DEFERRED] = False
            if st.session_state.pop(PENDING, False):
                persist(APPLICANT)

    return run


def forget(path: tuple[str, ...]) -> None:
    """Remove one field of a mapping answer where it is present (a value that no longer applies)."""
    node = get_value(path[:-1])
    if isinstance(node, dict) and path[-1] in node:
        set_value(path, None)


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
