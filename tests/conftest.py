"""Shared fixtures."""

from __future__ import annotations

import os

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
