"""Errors a person can act on: ``file:line:column: field.path: what is wrong and what is expected``.

Both sheet authors and applicants read these, so messages are in Chinese and
every pydantic error is translated; the field path stays in the file's own
(English) key names so it can be found with a text search.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from .safeyaml import Parsed, ParseError, Path


@dataclass(frozen=True)
class Problem:
    """One mistake at one path. ``beyond_bound``: a number or count above a bound the sheet itself states
    (an input's ``max``, ``max_entries``, ``max_count``): not merely unreadable but impossible, which a
    batch check reports as a contradiction rather than as a value outside the table."""

    path: Path
    message: str
    beyond_bound: bool = False


def dotted(path: Path) -> str:
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def format_problem(parsed: Parsed, problem: Problem) -> str:
    pos = parsed.position_of(problem.path)
    where = f"{parsed.filename}:{pos.line}:{pos.column}" if pos else parsed.filename
    field = dotted(problem.path)
    return f"{where}: {field}: {problem.message}" if field else f"{where}: {problem.message}"


class DataError(ValueError):
    """One or more problems in a sheet or claim file; ``lines`` are ready to print, one per problem."""

    kind = "数据"

    def __init__(self, lines: list[str]):
        self.lines = lines
        # the problems behind the lines with their line numbers, for a page that names them in its own words
        # (``scorer.claims.readable_problem``); empty when the lines came otherwise (a parse error)
        self.located: list[tuple[int | None, Problem]] = []
        self.data: Any = None  # what was parsed, when the problems are about it
        super().__init__("\n".join(lines))

    @classmethod
    def from_problems(cls, parsed: Parsed, problems: Iterable[Problem]) -> DataError:
        problems = list(problems)
        error = cls([format_problem(parsed, p) for p in problems])
        error.located = [(pos.line if (pos := parsed.position_of(p.path)) else None, p) for p in problems]
        error.data = parsed.data
        return error

    @classmethod
    def from_parse_error(cls, exc: ParseError) -> DataError:
        return cls([str(exc)])


class SheetError(DataError):
    kind = "评分表"


class ClaimError(DataError):
    kind = "申报文件"


def _step(node: Any, part: Any) -> tuple[bool, Any]:
    """Whether ``part`` names something present in ``node``, and that thing."""
    if isinstance(node, dict) and isinstance(part, str) and part in node:
        return True, node[part]
    if isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
        return True, node[part]
    return False, None


def _data_path(loc: tuple[Any, ...], data: Any) -> Path:
    """Drop pydantic's union-tag and validator names from ``loc`` so it walks the real data."""
    path: list[str | int] = []
    node = data
    for i, part in enumerate(loc):
        found, child = _step(node, part)
        if found:
            path.append(part)
            node = child
        elif i == len(loc) - 1 and isinstance(part, str):
            # a missing key: keep its name; the position falls back to its parent.
            # (A name in the middle of loc is a union tag, not data: skip it.)
            path.append(part)
    return tuple(path)


def _expected(ctx: dict[str, Any] | None, key: str) -> str:
    return str((ctx or {}).get(key, ""))


def translate(error: dict[str, Any]) -> str:
    """A pydantic error in words: what is wrong and what is expected."""
    kind = error["type"]
    ctx = error.get("ctx")
    given = error.get("input")
    if kind == "missing":
        return "缺少必填字段"
    if kind == "extra_forbidden":
        return "未知字段（可能是拼写错误）；请删除或改成本表允许的字段名"
    if kind in {"bool_type", "bool_parsing"}:
        return f"应为 true 或 false，实际为「{short(given)}」"
    if kind in {"int_type", "int_parsing", "int_from_float"}:
        return f"应为整数，实际为「{short(given)}」"
    if kind in {"decimal_type", "decimal_parsing", "float_type", "float_parsing", "finite_number"}:
        return f"应为数字，实际为「{short(given)}」"
    if kind in {"string_type"}:
        return f"应为文字，实际为「{short(given)}」"
    if kind in {"date_type", "date_parsing", "date_from_datetime_parsing", "date_from_datetime_inexact"}:
        return f"应为日期（YYYY-MM-DD），实际为「{short(given)}」"
    if kind in {"list_type"}:
        return "应为列表（每行以 - 开头）"
    if kind in {"dict_type", "model_type", "model_attributes_type"}:
        return "应为键值对（字段: 值）"
    if kind == "literal_error":
        expected = _expected(ctx, "expected").replace("' or '", "、").replace("', '", "、").replace("'", "")
        return f"应为 {expected} 之一，实际为「{short(given)}」"
    if kind == "invalid_rule":
        return f"{error.get('msg')}，实际为「{given.get('rule') if isinstance(given, dict) else given}」"
    if kind in {"greater_than_equal", "greater_than"}:
        return f"应不小于 {_expected(ctx, 'ge') or _expected(ctx, 'gt')}，实际为「{short(given)}」"
    if kind in {"less_than_equal", "less_than"}:
        return f"应不大于 {_expected(ctx, 'le') or _expected(ctx, 'lt')}，实际为「{short(given)}」"
    if kind in {"decimal_max_digits", "decimal_max_places", "decimal_whole_digits"}:
        return "数字过大或位数过多（绝对值不超过 10 亿，最多 30 位有效数字）"
    if kind in {"string_too_long", "too_long"}:
        return f"内容过长（最多 {_expected(ctx, 'max_length')} 个字符）"
    if kind in {"too_short"}:
        return f"至少需要 {_expected(ctx, 'min_length')} 项"
    if kind == "value_error":
        return str(ctx.get("error") if ctx else error.get("msg"))
    if kind == "string_pattern_mismatch":
        return f"格式不对：应匹配 {_expected(ctx, 'pattern')}，实际为「{short(given)}」"
    if kind == "string_too_short":
        return "不能为空"
    if kind in {"int_from_float", "decimal_parsing", "int_parsing_size"}:
        return f"应为数字，实际为「{short(given)}」"
    if kind == "multiple_of":
        return f"应为 {_expected(ctx, 'multiple_of')} 的整数倍"
    if kind == "date_future":
        return "日期不能晚于今天"
    if kind in {"union_tag_invalid", "union_tag_not_found"}:
        return f"rule 应为 {_expected(ctx, 'expected_tags')} 之一"
    msg = str(error.get("msg") or "")
    # anything not translated above still reads in Chinese, with pydantic's code for the developer
    return f"填写有误（{kind}）" if not re.search(r"[\u4e00-\u9fff]", msg) else msg


def short(value: Any, limit: int = 40) -> str:
    """A value as a message quotes it: never a whole 5,000-digit number or a long list."""
    text = str(value)
    return text if len(text) <= limit else text[:limit] + f"…（共 {len(text)} 个字符）"


def problems_from_validation(exc: ValidationError, data: Any) -> list[Problem]:
    return [Problem(_data_path(err["loc"], data), translate(err)) for err in exc.errors()]
