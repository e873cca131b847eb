"""Cross-field rules of a sheet, each reported at the path of the field that is wrong.

These are the mistakes a sheet author makes that the shape alone cannot catch:
a cap below what one entry scores, a group naming an item that does not exist,
a path testing a field that is not asked, a stated maximum that the items do
not add up to.
"""

from __future__ import annotations

from collections.abc import Iterator

from .errors import Problem
from .maxima import item_max, sheet_max
from .model import (
    ChoiceItem,
    EntriesItem,
    FieldSpec,
    Gate,
    LinearItem,
    PathSpec,
    RecordItem,
    Sheet,
    TiersItem,
)
from .numbers import fmt
from .safeyaml import Path

_POINT_TABLES = ("level_points", "role_points", "level_role_points", "entry_points")


def check_sheet(sheet: Sheet) -> list[Problem]:
    return list(_check(sheet))


def _check(sheet: Sheet) -> Iterator[Problem]:
    yield from _check_ids(sheet)
    yield from _check_threshold(sheet)
    if sheet.window and sheet.window.start and sheet.window.until and sheet.window.start > sheet.window.until:
        yield Problem(("window", "from"), "窗口起始日期晚于截止日期")
    if sheet.window and sheet.window.start and sheet.window.from_claim:
        yield Problem(("window",), "from 与 from_claim 只能写一个")
    for g, gate in enumerate(sheet.gates):
        yield from _check_gate(gate, ("gates", g))
    for s, section in enumerate(sheet.sections):
        for i, item in enumerate(section.items):
            path: Path = ("sections", s, "items", i)
            if isinstance(item, EntriesItem):
                yield from _check_entries(item, path)
            elif isinstance(item, ChoiceItem) and not item.options:
                yield Problem((*path, "options"), "至少需要一个选项")
            elif isinstance(item, TiersItem):
                mins = [t.min for t in item.tiers]
                if len(set(mins)) != len(mins):
                    yield Problem((*path, "tiers"), "档位的 min 不能重复")
            elif isinstance(item, LinearItem) and item.points_per_unit > 0 and item.cap is None:
                yield Problem((*path, "cap"), "按数量计分的项目必须写 cap（封顶分）")
            elif isinstance(item, RecordItem):
                yield from _check_fields_and_paths(item.fields, item.paths, path)
    yield from _check_groups(sheet)
    yield from _check_stated_max(sheet)
    yield from _check_consistency(sheet)


def _check_ids(sheet: Sheet) -> Iterator[Problem]:
    seen: dict[str, str] = {}
    named: list[tuple[str, Path]] = [(g.id, ("gates", i, "id")) for i, g in enumerate(sheet.gates)]
    named += [(v.id, ("vetoes", i, "id")) for i, v in enumerate(sheet.vetoes)]
    for s, section in enumerate(sheet.sections):
        named.append((section.id, ("sections", s, "id")))
        named += [(item.id, ("sections", s, "items", i, "id")) for i, item in enumerate(section.scored_items())]
    for ident, path in named:
        if ident in seen:
            yield Problem(path, f"id「{ident}」重复（{seen[ident]} 已使用）；本表内所有 id 必须唯一")
        seen[ident] = "/".join(str(p) for p in path[:-1])


def _check_threshold(sheet: Sheet) -> Iterator[Problem]:
    t = sheet.threshold
    if t.kind in ("total", "count"):
        if (t.min is None) == (t.by_level is None):
            yield Problem(("threshold",), f"kind: {t.kind} 需要 min 或 by_level 二者之一")
    elif t.min is not None or t.by_level is not None:
        yield Problem(("threshold",), "kind: rank 按总分排名，不能写 min 或 by_level")
    if t.by_level is not None and set(t.by_level) != set(sheet.levels):
        yield Problem(("threshold", "by_level"), f"by_level 的级别应与 levels 一致：{'、'.join(sheet.levels)}")


def _check_stated_max(sheet: Sheet) -> Iterator[Problem]:
    stated = sheet.threshold.of
    if stated is None:
        return
    computed = sheet_max(sheet)
    if computed != stated and not sheet.threshold.of_note:
        yield Problem(
            ("threshold", "of"),
            f"写明满分 {fmt(stated)}，但各项按封顶合计为 {fmt(computed)}；若原表确实如此，请写 of_note 说明",
        )


def _check_gate(gate: Gate, path: Path) -> Iterator[Problem]:
    if gate.type == "number" and gate.min is None:
        yield Problem((*path, "min"), "type: number 的条件必须写 min")
    if gate.type == "record":
        if not gate.fields:
            yield Problem((*path, "fields"), "type: record 的条件必须写 fields")
        else:
            yield from _check_fields_and_paths(gate.fields, gate.paths, path)
    elif gate.fields or gate.paths:
        yield Problem((*path, "fields"), "只有 type: record 的条件可以写 fields / paths")


def _check_fields_and_paths(
    fields: dict[str, FieldSpec], paths: list[PathSpec] | None, path: Path
) -> Iterator[Problem]:
    for name, spec in fields.items():
        if spec.type == "choice" and not spec.options:
            yield Problem((*path, "fields", name, "options"), "type: choice 的字段必须列出 options")
    if paths is None:
        if all(spec.condition is None for spec in fields.values()):
            yield Problem((*path, "fields"), "没有 paths 时，至少一个字段要写达标条件（min / is / in）")
        return
    for p, spec in enumerate(paths):
        for name, cond in spec.when.items():
            where = (*path, "paths", p, "when", name)
            field = fields.get(name)
            if field is None:
                yield Problem(where, f"路径检查了未定义的字段「{name}」；已定义：{'、'.join(fields)}")
                continue
            if cond.in_ is not None:
                unknown = [o for o in cond.in_ if o not in (field.options or [])]
                if unknown:
                    yield Problem(where, f"选项 {'、'.join(unknown)} 不在字段「{name}」的 options 中")
            if cond.min is not None and field.type != "number":
                yield Problem(where, "min 只能用于 type: number 的字段")
            if cond.is_ is not None and field.type != "flag":
                yield Problem(where, "is 只能用于 type: flag 的字段")


def _check_entries(item: EntriesItem, path: Path) -> Iterator[Problem]:
    if item.aggregate == "representative_plus_bonus":
        if not item.start or not item.bonus or not item.role_coefficients:
            yield Problem(path, "representative_plus_bonus 需要 start、bonus 和 role_coefficients")
            return
        if list(item.bonus) != list(item.start):
            yield Problem((*path, "bonus"), f"bonus 的级别应与 start 相同且同序：{'、'.join(item.start)}")
        if item.cap is None:
            yield Problem((*path, "cap"), "representative_plus_bonus 必须写 cap（最高级别代表作的封顶分）")
        present = [t for t in _POINT_TABLES if getattr(item, t) is not None]
        if present:
            yield Problem((*path, present[0]), "representative_plus_bonus 用 start / bonus 计分，不能再写分值表")
    else:
        present = [t for t in _POINT_TABLES if getattr(item, t) is not None]
        if len(present) != 1:
            yield Problem(path, f"entries 项目须写且只写一个分值表：{' / '.join(_POINT_TABLES)}")
            return
        if item.level_role_points:
            first = list(next(iter(item.level_role_points.values())))
            for level, row in item.level_role_points.items():
                if list(row) != first:
                    yield Problem((*path, "level_role_points", level), f"每个级别的角色应相同且同序：{'、'.join(first)}")
        if item.role_points and item.role_coefficients:
            yield Problem((*path, "role_coefficients"), "已按角色给分（role_points），不能再写角色系数")
    if item.aggregate == "count":
        if item.min_count is None:
            yield Problem((*path, "min_count"), "aggregate: count 需要 min_count（至少几条才算满足）")
    elif item.min_count is not None:
        yield Problem((*path, "min_count"), "min_count 只用于 aggregate: count")
    if item.aggregate == "sum" and item.cap is None:
        yield Problem((*path, "cap"), "aggregate: sum 必须写 cap（封顶分）")
    if item.rank_coefficients is not None and not item.rank_coefficients:
        yield Problem((*path, "rank_coefficients"), "排名系数至少写一个")
    if item.cap is not None and item.entry_may_exceed_cap is None:
        single = item.max_entry_points()
        if single > item.cap:
            yield Problem(
                (*path, "cap"),
                f"封顶 {fmt(item.cap)} 低于单条最高分 {fmt(single)}；若原表确实如此，"
                f"请写 entry_may_exceed_cap 说明理由",
            )
    for level in item.level_notes:
        if level not in item.levels:
            yield Problem((*path, "level_notes", level), f"级别「{level}」不在本项级别中：{'、'.join(item.levels)}")


def _check_groups(sheet: Sheet) -> Iterator[Problem]:
    owner: dict[str, str] = {}
    for g, group in enumerate(sheet.exclusive_groups):
        sections = set()
        for i, item_id in enumerate(group.items):
            where = ("exclusive_groups", g, "items", i)
            if item_id not in sheet.items:
                yield Problem(where, f"互斥组引用了不存在的项目「{item_id}」")
                continue
            if item_id in owner:
                yield Problem(where, f"项目「{item_id}」已在互斥组「{owner[item_id]}」中")
            owner[item_id] = group.id
            sections.add(sheet.item_section[item_id])
            if item_max(sheet.items[item_id]) is None:
                yield Problem(where, f"项目「{item_id}」没有封顶，不能参加互斥比较")
        if len(sections) > 1:
            yield Problem(("exclusive_groups", g, "items"), "互斥组的项目须在同一部分（section）内")


def _path_exists(path: str, sheet: Sheet) -> bool:
    head, _, rest = path.partition(".")
    name, _, sub = rest.partition(".")
    if head == "applicant":
        return rest == "years_in_current_title"
    if head == "gates":
        gate = next((g for g in sheet.gates if g.id == name), None)
        return gate is not None and (not sub or sub in (gate.fields or {}))
    if head == "answers":
        item = sheet.items.get(name)
        return item is not None and (not sub or (isinstance(item, RecordItem) and sub in item.fields))
    return False


def _check_consistency(sheet: Sheet) -> Iterator[Problem]:
    for r, rule in enumerate(sheet.consistency):
        where = ("consistency", r)
        paths = [("left", rule.left)] + ([("right", rule.right)] if isinstance(rule.right, str) else [])
        paths += [(("when", p), p) for p in rule.when]
        for key, path in paths:
            if not _path_exists(path, sheet):
                at = (*where, *key) if isinstance(key, tuple) else (*where, key)
                yield Problem(at, f"「{path}」不是本表的答案、申报条件字段或 applicant.years_in_current_title")
