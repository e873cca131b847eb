"""What every drafts backend shares: the draft, its kinds and versions, the Chinese errors, the interface.

A draft is the claim data (same shape as a claim file) plus the evidence
checklist ticks, under an unguessable id that the app keeps in the URL. It is
stored as JSON text -- never pickle -- and re-validated against the sheet
whenever it is scored; a row is checked here (:func:`row_draft`) before any
page walks into it, whichever database it came from.

Each row has a ``kind`` (an applicant's draft or an expert's review draft: a
page opens and saves only its own kind) and a ``version``, raised by one on
every save. A save writes only if the row still has the version the handle
loaded (compare-and-set), so a stale window -- or another app replica -- never
overwrites a newer save: it gets :class:`DraftConflict` instead.

A draft is reached only through a **link** (an unguessable token, a row of
the ``links`` table): an *edit* link opens it for writing, a *review* link --
the one an applicant hands to the recommending expert -- opens a read-only copy
that :meth:`DraftStore.save` refuses. A draft's first edit link is its id;
either link can be re-issued (the old token is then revoked, and says so) and a
review link revoked outright. An expert's review draft remembers the review
link it was made through (``via``): revoking that link, or deleting the
applicant's draft, deletes the reviews made from it too, so no copy of the
applicant's data outlives the applicant's choice.

Every problem with a database is a :class:`DraftStoreError` with a Chinese
message, never a driver exception, so the app can say what happened and keep
what was typed.
"""

from __future__ import annotations

import abc
import datetime as dt
import json
import os
import re
import secrets
from dataclasses import dataclass, field
from typing import Any

_ID_RE = re.compile(r"^[A-Za-z0-9_-]{20,64}$")

APPLICANT = "applicant"
REVIEW = "review"
KINDS = (APPLICANT, REVIEW)
KIND_TEXT = {APPLICANT: "申报人草稿", REVIEW: "专家复核草稿"}
DELETED_TEXT = "这份草稿已被删除（由申报人删除，或长期未修改被清理），内容不再保存，也不能恢复"

# what a link lets its holder do: EDIT writes the draft; VIEW (the review link) only reads it
EDIT = "edit"
VIEW = "view"
ROLES = (EDIT, VIEW)
ROLE_TEXT = {EDIT: "填写链接", VIEW: "复核链接"}
REVOKED_TEXT = {
    EDIT: "这个填写链接已作废：申报人重新生成了填写链接，旧链接不能再打开或修改草稿。请使用最新的填写链接",
    VIEW: "这个复核链接已被申报人停用或重新生成，不能再打开申报内容。请向申报人索取最新的复核链接",
}
READ_ONLY_TEXT = "复核链接只能查看申报内容，不能修改申报人的草稿"
REVIEW_GONE_TEXT = ("申报人已停用或重新生成复核链接，或删除了申报草稿：据此建立的复核草稿已随之删除，不能再保存。"
                    "本页内容仍在，请在页面底部下载含复核的申报文件留存；如需继续复核，请向申报人索取新的复核链接")
RETENTION_ENV = "ZHICHENG_RETENTION_DAYS"
DEFAULT_RETENTION_DAYS = 180


def retention_days() -> int:
    """How many days an untouched draft is kept (个人信息保护法: no longer than its purpose needs)."""
    raw = os.environ.get(RETENTION_ENV, "").strip()
    return int(raw) if raw.isdigit() and 1 <= int(raw) <= 3650 else DEFAULT_RETENTION_DAYS


BUSY_TIMEOUT = 2.0  # seconds a save waits for another writer before giving up (StoreBusy)


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
    link: str = ""  # the token this copy was reached by (its URL parameter); "": its id, the first edit link
    access: str = EDIT  # what that link allows: VIEW copies are never saved
    via: str | None = None  # a review draft: the review link it was made from (revoked or deleted with it)

    def __post_init__(self) -> None:
        if not self.link:
            self.link = self.id


class DraftStoreError(Exception):
    """A problem with the drafts database; ``message`` says in Chinese what happened."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class StoreUnavailable(DraftStoreError):
    """The database cannot be used at all (corrupt, unreachable, refused) or cannot be written (read-only, full)."""


class StoreBusy(DraftStoreError):
    """Another writer held the draft (or the database) locked for longer than the store waits (``BUSY_TIMEOUT``)."""


class DraftDamaged(DraftStoreError):
    """The draft's row is not what this package writes (edited by hand, or a damaged file)."""


class DraftConflict(DraftStoreError):
    """The draft changed since this copy was loaded (another window saved it): nothing was written."""

    def __init__(self, message: str, stored_version: int | None = None) -> None:
        super().__init__(message)
        self.stored_version = stored_version


class DraftDeleted(DraftStoreError):
    """The draft was deleted (by its applicant, or by the retention purge): a stale window may not bring it back."""


class LinkRevoked(DraftStoreError):
    """The link was re-issued or revoked by the applicant: it opens nothing and saves nothing."""

    def __init__(self, role: str, message: str | None = None) -> None:
        super().__init__(message or REVOKED_TEXT[role])
        self.role = role


class DraftReadOnly(DraftStoreError):
    """A save of a copy opened through a review link: the expert can never write into the applicant's draft."""

    def __init__(self) -> None:
        super().__init__(READ_ONLY_TEXT)


class DraftKindMismatch(DraftStoreError):
    """A save into a draft of the other kind (an expert's review into an applicant's draft): refused."""

    def __init__(self, message: str, stored_kind: str) -> None:
        super().__init__(message)
        self.stored_kind = stored_kind


class DraftStore(abc.ABC):
    """The interface the app uses, whatever holds the drafts (an SQLite file, a PostgreSQL server).

    Constructing a store touches nothing; the first call that needs the database
    opens (and migrates) it, so a bad database is reported by that call as a
    :class:`DraftStoreError`. A store is safe to share between threads (Streamlit
    sessions); the compare-and-set makes it safe between processes too.
    """

    busy_timeout: float

    @abc.abstractmethod
    def check(self) -> None:
        """Open the database (and migrate it) now; raises DraftStoreError when that is impossible."""

    @abc.abstractmethod
    def load(self, draft_id: str | None) -> Draft | None:
        """The stored draft, or None when there is none under that id (DraftDamaged for a bad row)."""

    @abc.abstractmethod
    def save(self, draft: Draft) -> None:
        """Store the draft if it still has the version it was loaded with; then its version is one higher.

        A draft never stored (version 0) is inserted. Raises DraftConflict when the
        stored version moved on (another window saved), DraftKindMismatch for a row
        of the other kind, StoreBusy / StoreUnavailable when the database cannot be
        written -- and then the draft object is unchanged, so it can be saved again.
        """

    @abc.abstractmethod
    def delete(self, draft_id: str, by: str | None = None, *, compact: bool = True) -> bool:
        """Delete the draft, the review drafts made from its review links, every document attached to
        them and all their links, for real (rows gone; an SQLite file is compacted so the bytes leave
        it, unless ``compact`` is False: the purge compacts once at its end), and remember only the ids
        and tokens, so an old link says it was deleted and a stale window cannot store it again.

        ``by``: the link of the person asking (the applicant's edit link), checked in the same
        transaction -- a window on a re-issued link may not delete; None: the retention purge or an
        administrator. True when there was a draft.
        """

    # --- links ----------------------------------------------------------------------------------
    @abc.abstractmethod
    def link_row(self, token: str) -> tuple[str, str, bool] | None:
        """``(draft_id, role, revoked)`` of a link token, or None when no such link exists (or existed)."""

    @abc.abstractmethod
    def active_links(self, draft_id: str, by: str | None = None) -> dict[str, str]:
        """The draft's links still in force, role -> token (a draft has at most one of each); only to the
        holder of an edit link in force (``by``; LinkRevoked / DraftDeleted otherwise)."""

    @abc.abstractmethod
    def reviews_via(self, token: str) -> list[tuple[str, str]]:
        """The review drafts made through a review link: ``(id, last saved)``, the newest first."""

    def reissue(self, draft_id: str, role: str, by: str | None = None) -> str:
        """A new link of ``role`` for the draft; the old one is revoked (a revoked review link takes the
        review drafts made through it along). ``by`` as for :meth:`delete`. The new token."""
        check_role(role)
        token = new_id()
        self._relink(draft_id, role, token, by)
        return token

    def revoke(self, draft_id: str, role: str, by: str | None = None) -> int:
        """Revoke the draft's link of ``role`` (only a review link: an edit link is re-issued, never left
        without one) and delete the review drafts made through it; how many were deleted."""
        if role != VIEW:
            raise ValueError("an edit link is re-issued, never revoked without a new one")
        return self._relink(draft_id, role, None, by)

    @abc.abstractmethod
    def _relink(self, draft_id: str, role: str, token: str | None, by: str | None) -> int:
        """In one transaction: check ``by``, revoke the draft's links of ``role``, delete the review drafts
        made through them, and issue ``token`` if given; how many review drafts went."""

    def follow(self, token: str | None) -> Draft | None:
        """The draft a link opens, as that link allows (``access``; ``link`` = the token); None: no such link.

        Raises LinkRevoked for a re-issued or revoked link, DraftDeleted for the link of a deleted draft.
        A damaged row opened through a review link is reported without the draft's id (its first edit link).
        """
        if not valid_id(token):
            return None
        assert token is not None
        row = self.link_row(token)
        if row is None:
            if self.was_deleted(token):
                raise DraftDeleted(DELETED_TEXT)
            return None
        draft_id, role, revoked = row
        if revoked:
            raise LinkRevoked(role)
        try:
            found = self.load(draft_id)
        except DraftDamaged as exc:
            if role == VIEW:
                raise DraftDamaged(exc.message.replace(f"草稿 {draft_id} ", "申报人的草稿")) from None
            raise
        if found is None:
            if self.was_deleted(draft_id):
                raise DraftDeleted(DELETED_TEXT)
            return None
        found.link, found.access = token, role
        return found

    @abc.abstractmethod
    def was_deleted(self, draft_id: str) -> bool:
        """Whether a draft of this id was deleted (its link then says so, rather than "not found")."""

    @abc.abstractmethod
    def untouched_since(self, cutoff: dt.datetime) -> list[str]:
        """The ids of the drafts last saved before ``cutoff`` (UTC): what the retention purge deletes."""

    def purge(self, cutoff: dt.datetime) -> list[str]:
        """Delete every draft untouched since ``cutoff`` and every document no draft owns any more (one
        left behind by a window that wrote after its draft went); the ids deleted (safe to run from cron)."""
        gone = [draft_id for draft_id in self.untouched_since(cutoff) if self.delete(draft_id, compact=False)]
        self._tidy()
        return gone

    @abc.abstractmethod
    def _tidy(self) -> None:
        """Delete documents whose draft is gone, and compact the database (once, after a purge)."""

    def create(self, data: dict[str, Any] | None = None, kind: str = APPLICANT, via: str | None = None) -> Draft:
        draft = Draft(new_id(), dict(data or {}), kind=kind, via=via)
        self.save(draft)
        return draft

    def close(self) -> None:  # noqa: B027 -- a store without open connections has nothing to close
        """Let go of any connections kept open (a file-backed store keeps none)."""

    def __enter__(self) -> DraftStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def check_kind(draft: Draft) -> None:
    """A draft a store may write: a known kind, and a copy opened for editing (never through a review link)."""
    if draft.kind not in KINDS:
        raise ValueError(f"unknown draft kind {draft.kind!r}")
    if draft.access != EDIT:
        raise DraftReadOnly()


def writer_problem(tombstoned: bool, link: tuple[Any, ...] | None, draft_id: str, role: str = EDIT
                   ) -> DraftStoreError | None:
    """Why the holder of a link may not write to (or manage) the draft, or None: the draft or the link was
    deleted, or the link is not this draft's, not of that role, or no longer in force. ``link`` is its
    stored ``(draft_id, role, revoked)``."""
    if tombstoned:
        return DraftDeleted(DELETED_TEXT)
    if link is None or link[0] != draft_id or link[1] != role or link[2] is not None:
        return LinkRevoked(role)
    return None


def via_problem(tombstoned: bool, link: tuple[Any, ...] | None) -> DraftStoreError | None:
    """Why a review draft made through the review link ``link`` may not be saved: the applicant stopped or
    re-issued that link, or deleted their draft (so no copy of their data outlives their choice)."""
    if tombstoned or link is None or link[1] != VIEW or link[2] is not None:
        return LinkRevoked(VIEW, REVIEW_GONE_TEXT)
    return None


def check_role(role: str) -> None:
    if role not in ROLES:
        raise ValueError(f"unknown link role {role!r}")


def refusal(draft: Draft, stored_kind: Any, stored_version: Any) -> DraftStoreError:
    """Why a compare-and-set found a row it could not write (its kind and version as stored)."""
    if stored_kind != draft.kind:
        shown = KIND_TEXT.get(stored_kind, str(stored_kind))
        return DraftKindMismatch(f"编号 {draft.id} 是{shown}，不能保存为{KIND_TEXT[draft.kind]}", str(stored_kind))
    if type(stored_version) is not int:
        return DraftDamaged(f"草稿 {draft.id} 已损坏（版本号不是整数）")
    return DraftConflict(
        f"草稿 {draft.id} 已在另一个窗口中修改并保存过（那边是第 {stored_version} 版，本窗口载入的是第 {draft.version} 版）",
        stored_version,
    )


# the parts of a draft's data every page walks into: each, when present, of this type (deeper: the claims check)
_DATA_PARTS: dict[str, tuple[str, type]] = {
    "sheet": ("评分表", str), "level": ("申报级别", str), "applicant": ("申报人信息", dict),
    "gates": ("申报条件", dict), "vetoes": ("否决项", dict), "answers": ("各项答案", dict),
}


def row_draft(draft_id: str, row: tuple[Any, ...]) -> Draft:
    """A draft from its stored ``(data, ready, updated, version, kind, via)``, or DraftDamaged saying what is wrong."""
    data_text, ready_text, updated, version, kind, via = row

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
    if via is not None and not valid_id(via):
        raise damaged("来源复核链接无法识别")
    return Draft(draft_id, data, ready, updated, kind, version, via=via)


def _json_column(text: Any, what: str, damaged: Any) -> Any:
    if not isinstance(text, str):
        raise damaged(f"{what}不是文字")
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        raise damaged(f"{what}不是有效的 JSON") from None
