"""YAML sheet files -> validated ``Sheet`` objects, or a ``SheetError`` listing every problem by line."""

from __future__ import annotations

import os
from pathlib import Path as FsPath

from pydantic import ValidationError

from .errors import Problem, SheetError, problems_from_validation
from .model import ItemRef, Section, Sheet
from .safeyaml import Parsed, ParseError, parse_yaml, read_file
from .sheetcheck import check_sheet

DEFAULT_SHEETS_DIR = FsPath(__file__).resolve().parent.parent / "scoresheets"


def sheets_dir() -> FsPath:
    """Where sheets live: ``$SCORER_SHEETS`` if set, else ``scoresheets/`` beside the package."""
    return FsPath(os.environ.get("SCORER_SHEETS", DEFAULT_SHEETS_DIR))


def _validated(parsed: Parsed) -> Sheet:
    if not isinstance(parsed.data, dict):
        raise SheetError.from_problems(parsed, [Problem((), "评分表应是键值对（id: …、title: … 等）")])
    try:
        return Sheet.model_validate(parsed.data)
    except ValidationError as exc:
        raise SheetError.from_problems(parsed, problems_from_validation(exc, parsed.data)) from None


def sheet_from_text(text: str, filename: str = "<评分表>") -> Sheet:
    """A self-contained sheet (no ``use:`` references) from YAML text, fully checked."""
    try:
        parsed = parse_yaml(text, filename)
    except ParseError as exc:
        raise SheetError.from_parse_error(exc) from None
    sheet = _validated(parsed)
    problems = check_sheet(sheet)
    if any(isinstance(i, ItemRef) for sec in sheet.sections for i in sec.items):
        problems.insert(0, Problem(("sections",), "从文本加载的评分表不能使用 use: 引用"))
    if problems:
        raise SheetError.from_problems(parsed, problems)
    return sheet


def load_sheet(path: str | os.PathLike[str], _stack: tuple[str, ...] = ()) -> Sheet:
    """Load one sheet file; items written as ``use: other-id#item`` are taken from the sibling file."""
    path = FsPath(path)
    try:
        parsed = read_file(str(path))
    except ParseError as exc:
        raise SheetError.from_parse_error(exc) from None
    sheet = _validated(parsed)
    problems: list[Problem] = []
    if path.suffix in (".yaml", ".yml") and path.stem != sheet.id:
        problems.append(Problem(("id",), f"文件名应与 id 一致：{sheet.id}{path.suffix}"))
    sheet = _resolve_refs(sheet, path.parent, parsed, problems, (*_stack, sheet.id))
    if not problems:
        problems = check_sheet(sheet)
    if problems:
        raise SheetError.from_problems(parsed, problems)
    return sheet


def _resolve_refs(
    sheet: Sheet, folder: FsPath, parsed: Parsed, problems: list[Problem], stack: tuple[str, ...]
) -> Sheet:
    cache: dict[str, Sheet] = {}
    sections: list[Section] = []
    for s, section in enumerate(sheet.sections):
        items = []
        for i, item in enumerate(section.items):
            if not isinstance(item, ItemRef):
                items.append(item)
                continue
            where = ("sections", s, "items", i, "use")
            other_id, item_id = item.use.split("#")
            if other_id in stack:
                problems.append(Problem(where, f"循环引用：{' -> '.join((*stack, other_id))}"))
                continue
            if other_id not in cache:
                target = folder / f"{other_id}.yaml"
                if not target.exists():
                    problems.append(Problem(where, f"找不到被引用的评分表 {target.name}"))
                    continue
                try:
                    cache[other_id] = load_sheet(target, stack)
                except SheetError as exc:
                    problems.append(Problem(where, f"被引用的评分表有错误：{exc.lines[0]}"))
                    continue
            found = cache[other_id].items.get(item_id)
            if found is None:
                problems.append(Problem(where, f"评分表 {other_id} 中没有项目「{item_id}」"))
                continue
            items.append(found)
        sections.append(section.model_copy(update={"items": items}))
    if problems or not any(isinstance(i, ItemRef) for sec in sheet.sections for i in sec.items):
        return sheet  # nothing to resolve, or the problems are reported instead
    # model_copy keeps validation off; rebuild so cached lookups see the resolved items
    data = sheet.model_dump(by_alias=True)
    data["sections"] = [sec.model_dump(by_alias=True) for sec in sections]
    return Sheet.model_validate(data)


def sheet_files(folder: str | os.PathLike[str]) -> list[FsPath]:
    return sorted(p for p in FsPath(folder).glob("*.yaml") if p.is_file())


class SheetLibrary:
    """All sheets of a folder, by id. Broken files are kept as errors, so one bad sheet hides no other."""

    def __init__(self, folder: str | os.PathLike[str] | None = None):
        self.folder = FsPath(folder) if folder is not None else sheets_dir()
        self.sheets: dict[str, Sheet] = {}
        self.errors: dict[str, SheetError] = {}
        for path in sheet_files(self.folder):
            try:
                sheet = load_sheet(path)
            except SheetError as exc:
                self.errors[str(path)] = exc
                continue
            except Exception as exc:  # one broken file must hide no other sheet
                message = f"{path}: 评分表无法加载（{type(exc).__name__}）；请检查其中的数字与结构"
                self.errors[str(path)] = SheetError([message])
                continue
            self.sheets[sheet.id] = sheet

    def get(self, sheet_id: str) -> Sheet | None:
        return self.sheets.get(sheet_id)

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self.sheets.values())
