"""Shared fixtures."""

from __future__ import annotations

import pytest
from helpers import SHEETS_DIR

from scorer import SheetLibrary


@pytest.fixture(scope="session")
def library() -> SheetLibrary:
    lib = SheetLibrary(SHEETS_DIR)
    assert not lib.errors, lib.errors
    return lib
