"""Server-side drafts, so a refresh, a closed tab, a restart or another replica loses nothing.

Two backends behind one interface (:class:`DraftStore`): an SQLite file, the
embedded default for one app process, and a PostgreSQL server for several
processes sharing the drafts. :func:`open_store` picks one from the
environment: ``ZHICHENG_DRAFTS_URL`` (``postgresql://…``) when set, else the
SQLite file at ``ZHICHENG_DRAFTS_DB`` (default ``data/drafts.sqlite3``).
"""

from __future__ import annotations

import os

from .base import (
    APPLICANT,
    BUSY_TIMEOUT,
    DELETED_TEXT,
    EDIT,
    KIND_TEXT,
    KINDS,
    REVIEW,
    REVIEW_GONE_TEXT,
    ROLE_TEXT,
    ROLES,
    VIEW,
    Draft,
    DraftConflict,
    DraftDamaged,
    DraftDeleted,
    DraftKindMismatch,
    DraftReadOnly,
    DraftStore,
    DraftStoreError,
    LinkRevoked,
    StoreBusy,
    StoreUnavailable,
    new_id,
    retention_days,
    valid_id,
)
from .sqlite import DB_ENV, DEFAULT_DB, SqliteDraftStore, default_path

URL_ENV = "ZHICHENG_DRAFTS_URL"

__all__ = [
    "APPLICANT",
    "BUSY_TIMEOUT",
    "DB_ENV",
    "DEFAULT_DB",
    "DELETED_TEXT",
    "EDIT",
    "KINDS",
    "KIND_TEXT",
    "REVIEW",
    "REVIEW_GONE_TEXT",
    "ROLES",
    "ROLE_TEXT",
    "URL_ENV",
    "VIEW",
    "Draft",
    "DraftConflict",
    "DraftDamaged",
    "DraftDeleted",
    "DraftKindMismatch",
    "DraftReadOnly",
    "DraftStore",
    "DraftStoreError",
    "LinkRevoked",
    "SqliteDraftStore",
    "StoreBusy",
    "StoreUnavailable",
    "configured",
    "default_path",
    "new_id",
    "open_store",
    "retention_days",
    "valid_id",
]


def configured() -> tuple[str, str]:
    """What the environment asks for: ``("postgresql", url)`` when the URL is set, else ``("sqlite", path)``."""
    url = os.environ.get(URL_ENV, "").strip()
    return ("postgresql", url) if url else ("sqlite", str(default_path()))


def open_store(backend: str | None = None, target: str | None = None) -> DraftStore:
    """The store the environment (or the arguments) name; touches nothing until it is used.

    A URL that is not ``postgresql://…`` still gets the PostgreSQL store, which
    then says in Chinese what is wrong with it: a typo must not quietly fall back
    to a local file that the other replicas never see.
    """
    if backend is None or target is None:
        backend, target = configured()
    if backend == "postgresql":
        from .postgres import PostgresDraftStore  # psycopg only where it is used

        return PostgresDraftStore(target)
    return SqliteDraftStore(target)
