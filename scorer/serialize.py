"""Claim data <-> text: YAML and JSON claim files, and the JSON kept in the draft store.

Numbers leave as their exact decimal text (never through a float), dates as
YYYY-MM-DD, so a file written here and read back with ``safeyaml`` gives the
same Decimal values.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import yaml

from .numbers import fmt


def to_json(data: Any, indent: int = 2) -> str:
    """JSON with Decimals written as bare numbers from their exact text (json.dumps would need floats)."""
    return _emit(data, indent, 0)


def _emit(value: Any, indent: int, depth: int) -> str:
    if value is None or isinstance(value, (bool, int, str)):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError("claim data must hold finite numbers")
        return fmt(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return json.dumps(value.isoformat()[:10])
    if isinstance(value, float):  # a float here is a bug upstream: refuse rather than round
        raise TypeError("claim data must not hold floats")
    pad, inner = " " * (indent * depth), " " * (indent * (depth + 1))
    if isinstance(value, dict):
        if not value:
            return "{}"
        parts = [f"{inner}{json.dumps(str(k), ensure_ascii=False)}: {_emit(v, indent, depth + 1)}" for k, v in value.items()]
        return "{\n" + ",\n".join(parts) + "\n" + pad + "}"
    if isinstance(value, (list, tuple)):
        if not value:
            return "[]"
        return "[\n" + ",\n".join(inner + _emit(v, indent, depth + 1) for v in value) + "\n" + pad + "]"
    return json.dumps(str(value), ensure_ascii=False)


class _Dumper(yaml.SafeDumper):
    pass


def _represent_decimal(dumper: yaml.SafeDumper, value: Decimal) -> yaml.Node:
    text = fmt(value)
    tag = "tag:yaml.org,2002:int" if "." not in text else "tag:yaml.org,2002:float"
    return dumper.represent_scalar(tag, text)


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|" if "\n" in value else None)


_Dumper.add_representer(Decimal, _represent_decimal)
_Dumper.add_representer(str, _represent_str)


def to_yaml(data: Any) -> str:
    """Readable YAML (Chinese kept as is); entries in flow style like the worked examples."""
    return yaml.dump(_plain(data), Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=120)


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dt.datetime):
        return value.date()
    return value


def store_form(data: Any) -> Any:
    """What the draft store keeps: JSON types only, numbers as exact decimal strings."""
    if isinstance(data, Decimal):
        return fmt(data)
    if isinstance(data, (dt.date, dt.datetime)):
        return data.isoformat()[:10]
    if isinstance(data, dict):
        return {str(k): store_form(v) for k, v in data.items()}
    if isinstance(data, (list, tuple)):
        return [store_form(v) for v in data]
    return data
