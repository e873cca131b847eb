"""Shared fixtures."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from helpers import SHEETS_DIR

from scorer import SheetLibrary

# the tests make their own databases: a deployment's PostgreSQL URL in the shell must never receive test drafts
os.environ.pop("ZHICHENG_DRAFTS_URL", None)


@pytest.fixture(scope="session")
def library() -> SheetLibrary:
    lib = SheetLibrary(SHEETS_DIR)
    assert not lib.errors, lib.errors
    return lib


@pytest.fixture
def store_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The app's drafts in a SQLite file of this test's own (AppTest and served apps read the variable)."""
    path = tmp_path / "drafts.sqlite3"
    monkeypatch.setenv("ZHICHENG_DRAFTS_DB", str(path))
    return path
