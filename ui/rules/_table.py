"""Editable tables for list answers (entries, indicators): cell values back to claim data."""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any

import pandas as pd

EVIDENCE_SPLIT = re.compile(r"[；;、,，\n]+")


def blank(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    if value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, str) and not value.strip()


def date_text(value: Any) -> str:
    """The editor hands back dates, timestamps or (for a typed new row) text; the claim check judges text."""
    if isinstance(value, (pd.Timestamp, dt.datetime)):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip().split("T")[0]


def evidence_list(value: Any) -> list[str]:
    return [p.strip() for p in EVIDENCE_SPLIT.split(str(value)) if p.strip()]


def empty_row(row: dict[str, Any]) -> bool:
    return all(blank(v) or v is False for v in row.values())
