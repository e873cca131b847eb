"""Parse untrusted YAML / JSON into plain Python data plus a map of source positions.

Why not ``yaml.safe_load``: it silently applies YAML 1.1 rules (``NO`` becomes
``False``, ``0012`` becomes 10), keeps the last of two duplicate keys, expands
aliases (billion laughs) and turns ``0.25`` into a binary float.  Here the safe
(C) parser only emits events; we build the data from them ourselves, refusing
every surprise with its line and column, and read decimals as ``Decimal``
straight from the source text so no float ever enters a score.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import yaml

try:  # the C composer is ~10x faster; both build the same node tree
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - libyaml missing
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

Path = tuple[str | int, ...]

MAX_TEXT_CHARS = 5_000_000
MAX_DEPTH = 64  # nesting of mappings and lists: a claim needs 4, a sheet 8; 50,000 would exhaust the stack
MAX_NUMBER_CHARS = 40  # a number written with more characters than this is not one a form holds

_INT_RE = re.compile(r"^[-+]?(0|[1-9][0-9]*)$")
_FLOAT_RE = re.compile(r"^[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?[0-9]+)?$")
_DATE_RE = re.compile(r"^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})$")
_CJK = "\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f"
_FOLDED_CJK_SPACE = re.compile(f"(?<=[{_CJK}]) (?=[{_CJK}])")
_TRUE = {"true", "True", "TRUE"}
_FALSE = {"false", "False", "FALSE"}


@dataclass(frozen=True)
class Position:
    line: int
    column: int


@dataclass
class Parsed:
    """Plain data (dict / list / str / int / Decimal / bool / date / None) and where each path came from.

    ``locate`` computes the positions on first use (JSON read by the fast C parser needs them only
    when a message must point at a line).
    """

    data: Any
    filename: str
    _positions: dict[Path, Position] | None = field(default=None)
    locate: Any = field(default=None, repr=False, compare=False)

    @property
    def positions(self) -> dict[Path, Position]:
        if self._positions is None:
            self._positions = self.locate() if self.locate is not None else {}
        return self._positions

    def position_of(self, path: Path) -> Position | None:
        """The position of the deepest prefix of ``path`` that exists in the source."""
        for cut in range(len(path), -1, -1):
            pos = self.positions.get(tuple(path[:cut]))
            if pos is not None:
                return pos
        return None


class ParseError(ValueError):
    """Raised for text that is not acceptable data; carries a position when known."""

    def __init__(self, filename: str, message: str, position: Position | None = None, path: Path = ()):
        self.filename = filename
        self.message = message
        self.position = position
        self.path = path
        where = f"{filename}:{position.line}:{position.column}" if position else filename
        super().__init__(f"{where}: {message}")


# YAML 1.1's implicit types, as PyYAML's resolver defines them: what a plain scalar would become
# under a YAML 1.1 loader. Anything that would silently turn into a bool or an odd number is refused.
_Y11_BOOL = re.compile(r"^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$")
_Y11_INT = re.compile(
    r"^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$"
)
_Y11_FLOAT = re.compile(
    r"^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?"
    r"|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
)
_Y11_TIMESTAMP = re.compile(
    r"^(?:[0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}"
    r"(?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?)$"
)
_Y11_NULL = {"", "~", "null", "Null", "NULL"}
_STR_TAG = "tag:yaml.org,2002:str"


def _pos(event: yaml.Event) -> Position:
    return Position(event.start_mark.line + 1, event.start_mark.column + 1)


class _Converter:
    """Builds plain data straight from the parser's events: no node tree, no per-scalar resolver call."""

    def __init__(self, filename: str, events: Any, record: bool = True):
        self.filename = filename
        self.events = events
        self.record = record  # keep every path's position (only when a message needs one: see parse_yaml)
        self.positions: dict[Path, Position] = {}

    def fail(self, event: yaml.Event, message: str, path: Path) -> None:
        raise ParseError(self.filename, message, _pos(event), path)

    def convert(self, event: yaml.Event, path: Path) -> Any:
        if len(path) > MAX_DEPTH:
            self.fail(event, f"嵌套层级过深（超过 {MAX_DEPTH} 层）", path)
        if isinstance(event, yaml.AliasEvent):
            self.fail(event, "不支持 YAML 锚点与别名（& / *），请把内容直接写出", path)
        tag = getattr(event, "tag", None)
        if tag not in (None, "!", _STR_TAG, "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"):
            self.fail(event, f"不支持的 YAML 标签 {tag}", path)
        if self.record:
            self.positions[path] = _pos(event)
        if isinstance(event, yaml.MappingStartEvent):
            return self._mapping(path)
        if isinstance(event, yaml.SequenceStartEvent):
            out = []
            for child in self.events:
                if isinstance(child, yaml.SequenceEndEvent):
                    return out
                out.append(self.convert(child, (*path, len(out))))
        if isinstance(event, yaml.ScalarEvent):
            return self._scalar(event, path)
        self.fail(event, "无法识别的 YAML 结构", path)  # pragma: no cover - the parser emits nothing else

    def _mapping(self, path: Path) -> dict[str, Any]:
        out: dict[str, Any] = {}
        first_line: dict[str, int] = {}
        for key_event in self.events:
            if isinstance(key_event, yaml.MappingEndEvent):
                return out
            if not isinstance(key_event, yaml.ScalarEvent) or (key_event.value == "<<" and not key_event.style):
                self.fail(key_event, "键必须是普通文字（不支持合并键 << 或复合键）", path)
            # Keys are read as the text the author typed: `2019:` is the key "2019",
            # `NO:` is the key "NO" -- never a number or a boolean.
            key = str(key_event.value)
            if key in out:
                self.fail(
                    key_event,
                    f"键「{key}」重复出现（第一次在第 {first_line[key]} 行）；"
                    f"{'同一选项标签只能写一次' if path and path[-1] in _LABEL_MAPS else '每个键只能写一次'}",
                    (*path, key),
                )
            first_line[key] = key_event.start_mark.line + 1
            out[key] = self.convert(next(self.events), (*path, key))
        raise AssertionError("unterminated mapping")  # pragma: no cover - the parser raises first

    def _scalar(self, event: yaml.ScalarEvent, path: Path) -> Any:
        text = event.value
        if event.style or event.tag == _STR_TAG:  # quoted, block or !!str: always text
            # folding a long Chinese line (>) must not leave a space where the line broke
            return _FOLDED_CJK_SPACE.sub("", text) if event.style == ">" else text
        if text in _Y11_NULL:
            return None
        first = text[0]
        if first in "tTfFyYnNoO" and _Y11_BOOL.match(text):
            if text in _TRUE:
                return True
            if text in _FALSE:
                return False
            self.fail(event, f"「{text}」在 YAML 1.1 中会被读成布尔值；表示是/否请写 true 或 false，表示文字请加引号", path)
        if first in "-+0123456789." and len(text) > MAX_NUMBER_CHARS and (_Y11_INT.match(text) or _Y11_FLOAT.match(text)):
            self.fail(event, f"数字位数过多（{len(text)} 位）；若是编号或文字请加引号", path)
        if first in "-+0123456789.":
            if _Y11_INT.match(text):
                if not _INT_RE.match(text):
                    self.fail(
                        event,
                        f"「{text}」会被 YAML 1.1 读成另一个数（八进制、十六进制或六十进制）；"
                        f"若是编号或文字请加引号，若是数字请去掉前导 0",
                        path,
                    )
                return int(text)
            if _Y11_FLOAT.match(text):
                if not _FLOAT_RE.match(text):
                    self.fail(event, f"「{text}」不是可接受的数字（不支持 .inf、.nan 或六十进制）", path)
                return Decimal(text)
            if _Y11_TIMESTAMP.match(text):
                return _date_or_fail(text, lambda msg: self.fail(event, msg, path))
        return text


# Mappings whose keys are option labels; a duplicate there gets a pointed message.
_LABEL_MAPS = {
    "options",
    "level_points",
    "role_points",
    "level_role_points",
    "role_coefficients",
    "start",
    "bonus",
    "level_notes",
}


def _date_or_fail(text: str, fail: Any) -> dt.date:
    match = _DATE_RE.match(text)
    if not match:
        fail(f"「{text}」请只写日期，格式 YYYY-MM-DD")
    try:
        return dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))  # type: ignore[union-attr]
    except ValueError:
        fail(f"「{text}」不是存在的日期")
    raise AssertionError  # pragma: no cover


# libyaml's problems in words a clerk can act on; anything else keeps its original text in brackets
_YAML_PROBLEMS = [
    ("did not find expected key", "缩进不对或缺少「键:」（同一层的行要对齐，列表项以 - 开头）"),
    ("mapping values are not allowed", "此处不能出现「键: 值」（冒号后要加空格；文字中含冒号请加引号）"),
    ("could not find expected ':'", "缺少冒号「:」"),
    ("found unexpected end of stream", "文件提前结束（引号或括号没有闭合）"),
    ("did not find expected ',' or ']'", "缺少逗号或右方括号「]」"),
    ("did not find expected ',' or '}'", "缺少逗号或右花括号「}」"),
    ("found character that cannot start any token", "出现了不能作为开头的字符（如 Tab、@ 或 `）；请用空格缩进，文字加引号"),
    ("found a tab character", "不能用 Tab 缩进，请用空格"),
    ("found unknown escape character", "引号内有无效的转义字符（\\ 后只能跟 n、t、\" 等）"),
    ("did not find expected node content", "此处缺少内容"),
    ("did not find expected <document start>", "文件开头格式不对"),
    ("found undefined tag handle", "不支持的 YAML 标签（! 开头）"),
    ("did not find expected alphabetic or numeric character", "锚点或别名的名称不对（请不要使用 & 与 *）"),
    ("block sequence entries are not allowed", "此处不能开始列表（- 的缩进不对）"),
    ("expected <block end>", "缩进不对：同一层的行要对齐"),
    ("found unexpected ':'", "多余的冒号「:」（文字中含冒号请加引号）"),
    ("while scanning a quoted scalar", "引号没有闭合"),
    ("control characters are not allowed", "含有不可见的控制字符，请删除"),
    ("found duplicate anchor", "锚点重复（请不要使用 &）"),
]


def yaml_problem_text(problem: str) -> str:
    for english, chinese in _YAML_PROBLEMS:
        if english in problem:
            return chinese
    return f"无法解析（{problem}）"


def parse_yaml(text: str, filename: str = "<text>") -> Parsed:
    """Parse one YAML document safely; raise ParseError with a position on anything surprising.

    The position of every path is found only when a message asks for one (``Parsed.positions`` parses
    the text again, keeping them): a batch of 10,000 valid files never needs them."""
    data, _ = _parse_yaml(text, filename, record=False)
    return Parsed(data, filename, locate=lambda: _parse_yaml(text, filename, record=True)[1])


def _parse_yaml(text: str, filename: str, record: bool) -> tuple[Any, dict[Path, Position]]:
    if len(text) > MAX_TEXT_CHARS:
        raise ParseError(filename, f"文件过大（超过 {MAX_TEXT_CHARS} 个字符）", Position(1, 1))
    try:
        events = yaml.parse(text, Loader=_Loader)
        head = [next(events), next(events)]  # stream start, then document start (or stream end)
        if isinstance(head[1], yaml.StreamEndEvent):
            raise ParseError(filename, "文件是空的", Position(1, 1))
        converter = _Converter(filename, events, record)
        data = converter.convert(next(events), ())
        next(events)  # document end
        extra = next(events)
        if not isinstance(extra, yaml.StreamEndEvent):
            raise ParseError(filename, "文件里只能有一个 YAML 文档（不要用 --- 分隔多个）", _pos(extra))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        position = Position(mark.line + 1, mark.column + 1) if mark else Position(1, 1)
        raise ParseError(filename, f"YAML 语法错误：{yaml_problem_text(exc.problem or exc.context or '')}", position) from None
    except yaml.YAMLError as exc:
        raise ParseError(filename, f"YAML 语法错误：{yaml_problem_text(str(exc))}", Position(1, 1)) from None
    return data, converter.positions


_JSON_TOKEN = re.compile(
    r"""(?P<ws>[ \t\n\r]+)|(?P<punct>[{}\[\],:])|(?P<string>"(?:[^"\\\x00-\x1f]|\\.)*")"""
    r"""|(?P<number>-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?)|(?P<word>true|false|null)"""
)


class _JsonReader:
    """JSON with a position for every value and every refusal, Decimal numbers, no duplicate keys.

    The standard library's parser gives neither positions for values nor a bound on nesting (50,000
    nested lists end in RecursionError), so this small iterative reader does both.
    """

    def __init__(self, text: str, filename: str):
        self.text = text
        self.filename = filename
        self.pos = 0
        self.positions: dict[Path, Position] = {}
        self._lines = [i for i, c in enumerate(text) if c == "\n"]

    def where(self, offset: int) -> Position:
        import bisect

        line = bisect.bisect_left(self._lines, offset)
        start = self._lines[line - 1] + 1 if line > 0 else 0
        return Position(line + 1, offset - start + 1)

    def fail(self, message: str, offset: int | None = None, path: Path = ()) -> None:
        raise ParseError(self.filename, message, self.where(self.pos if offset is None else offset), path)

    def token(self) -> tuple[str, str, int]:
        while True:
            if self.pos >= len(self.text):
                return "end", "", self.pos
            match = _JSON_TOKEN.match(self.text, self.pos)
            if match is None:
                snippet = self.text[self.pos:self.pos + 10]
                for constant in ("NaN", "Infinity", "-Infinity"):
                    if self.text.startswith(constant, self.pos):
                        self.fail(f"不支持 {constant}：请填写有限的数字")
                self.fail(f"JSON 语法错误：无法识别「{snippet}」（字符串要用英文双引号，数字用半角）")
            assert match is not None
            start, self.pos = self.pos, match.end()
            kind = match.lastgroup or ""
            if kind != "ws":
                return kind, match.group(), start

    def scalar(self, kind: str, text: str, start: int, path: Path) -> Any:
        if kind == "string":
            try:
                return json.loads(text)
            except ValueError:
                self.fail("JSON 语法错误：字符串中有无效的转义（\\ 后只能跟 \" \\ / b f n r t u）", start, path)
        if kind == "number":
            if len(text) > MAX_NUMBER_CHARS:
                self.fail(f"数字位数过多（{len(text)} 位）；若是编号或文字请加引号", start, path)
            return Decimal(text) if any(c in text for c in ".eE") else int(text)
        return {"true": True, "false": False, "null": None}[text]

    def parse(self) -> Any:
        # the stack holds (container, path, key awaiting a value or None); iterative, so depth is only bounded by MAX_DEPTH
        kind, text, start = self.token()
        root_holder: list[Any] = []
        stack: list[tuple[Any, Path, Any]] = []
        expect_value = True
        path: Path = ()
        while True:
            if expect_value:
                if kind == "punct" and text in "{[":
                    if len(path) >= MAX_DEPTH:
                        self.fail(f"嵌套层级过深（超过 {MAX_DEPTH} 层）", start, path)
                    self.positions[path] = self.where(start)
                    container: Any = {} if text == "{" else []
                    self._store(stack, root_holder, container)
                    stack.append((container, path, None))
                    kind, text, start = self.token()
                    if kind == "punct" and text in "}]":
                        if (text == "}") != isinstance(container, dict):
                            self.fail(f"JSON 语法错误：括号不匹配「{text}」", start, path)
                        stack.pop()
                        expect_value = False
                        kind, text, start = self.token()
                        path = path[:-1] if stack else path
                        continue
                    if isinstance(container, dict):
                        path = self._key(stack, kind, text, start, path)
                        kind, text, start = self.token()
                    else:
                        path = (*path, 0)
                    continue
                if kind in ("string", "number", "word"):
                    self.positions[path] = self.where(start)
                    self._store(stack, root_holder, self.scalar(kind, text, start, path))
                    expect_value = False
                    kind, text, start = self.token()
                    continue
                self.fail("JSON 语法错误：此处应为一个值（对象、数组、字符串、数字、true、false 或 null）", start, path)
            if not stack:
                if kind != "end":
                    self.fail("JSON 语法错误：文件结尾有多余的内容", start)
                return root_holder[0]
            container, parent, _ = stack[-1]
            if kind == "punct" and text == ",":
                kind, text, start = self.token()
                if isinstance(container, dict):
                    path = self._key(stack, kind, text, start, parent)
                    kind, text, start = self.token()
                else:
                    path = (*parent, len(container))
                expect_value = True
                continue
            if kind == "punct" and text in "}]":
                if (text == "}") != isinstance(container, dict):
                    self.fail(f"JSON 语法错误：括号不匹配「{text}」", start, parent)
                stack.pop()
                path = parent
                kind, text, start = self.token()
                continue
            self.fail("JSON 语法错误：此处应为逗号或右括号" + ("（或文件提前结束）" if kind == "end" else ""), start, path)

    def _key(self, stack: list[tuple[Any, Path, Any]], kind: str, text: str, start: int, parent: Path) -> Path:
        container, _, _ = stack[-1]
        if kind != "string":
            self.fail("JSON 语法错误：键必须是英文双引号括起的字符串", start, parent)
        key = json.loads(text)
        if key in container:
            self.fail(f"键「{key}」重复出现；每个键只能写一次", start, (*parent, key))
        colon, sep, at = self.token()
        if colon != "punct" or sep != ":":
            self.fail("JSON 语法错误：键后面应为冒号", at, parent)
        stack[-1] = (container, parent, key)
        return (*parent, key)

    @staticmethod
    def _store(stack: list[tuple[Any, Path, Any]], root_holder: list[Any], value: Any) -> None:
        if not stack:
            root_holder.append(value)
            return
        container, _, key = stack[-1]
        if isinstance(container, dict):
            container[key] = value
        else:
            container.append(value)


def _json_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _Refused
        out[key] = value
    return out


class _Refused(ValueError):
    """The fast parser met something the positioned reader must explain."""


def _refuse_constant(name: str) -> Any:
    raise _Refused


def _too_deep(data: Any) -> bool:
    stack = [(data, 0)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            return True
        if isinstance(node, dict):
            stack.extend((v, depth + 1) for v in node.values())
        elif isinstance(node, list):
            stack.extend((v, depth + 1) for v in node)
    return False


def parse_json(text: str, filename: str = "<text>") -> Parsed:
    """Parse JSON: Decimal numbers, no duplicate keys, a line:column for every value and every refusal.

    The C parser reads valid files fast; anything it refuses or cannot bound (duplicates, NaN, deep
    nesting, long numbers) is read again by the positioned reader, which says where and why.
    """
    if len(text) > MAX_TEXT_CHARS:
        raise ParseError(filename, f"文件过大（超过 {MAX_TEXT_CHARS} 个字符）", Position(1, 1))
    if not text.strip():
        raise ParseError(filename, "文件是空的", Position(1, 1))
    try:
        data = json.loads(text, parse_float=_json_float, parse_int=_json_int, parse_constant=_refuse_constant,
                          object_pairs_hook=_json_pairs)
        # depth > MAX_DEPTH needs more than MAX_DEPTH opening brackets: count them (C speed) before walking
        if text.count("[") + text.count("{") > MAX_DEPTH and _too_deep(data):
            raise _Refused
    except (ValueError, RecursionError):  # JSONDecodeError is a ValueError
        reader = _JsonReader(text, filename)
        reader.parse()  # raises with the position
        raise ParseError(filename, "JSON 内容无法读取") from None  # pragma: no cover - the reader refuses first

    def locate() -> dict[Path, Position]:
        reader = _JsonReader(text, filename)
        reader.parse()
        return reader.positions

    # JSON has no date type: dates stay strings and the claim schema parses them.
    return Parsed(data, filename, None, locate)


def _json_int(text: str) -> int:
    if len(text) > MAX_NUMBER_CHARS:
        raise _Refused
    return int(text)


def _json_float(text: str) -> Decimal:
    if len(text) > MAX_NUMBER_CHARS:
        raise _Refused
    return Decimal(text)


def parse_text(text: str, filename: str) -> Parsed:
    """Pick the parser by file name: ``.json`` is JSON, everything else YAML."""
    if filename.lower().endswith(".json"):
        return parse_json(text, filename)
    return parse_yaml(text, filename)


def read_file(path: str) -> Parsed:
    try:
        with open(path, encoding="utf-8-sig") as handle:
            text = handle.read()
    except UnicodeDecodeError:
        raise ParseError(path, "文件不是 UTF-8 编码，请另存为 UTF-8") from None
    except OSError as exc:
        raise ParseError(path, f"无法读取文件：{exc.strerror}") from None
    return parse_text(text, path)
