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
from .model import Gate, ItemBase, Sheet
from .numbers import fmt
from .ranking import lint as lint_ranking
from .rules.conditions import lint_fields_and_paths
from .safeyaml import Path


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
            if isinstance(item, ItemBase):  # references are resolved by the loader before this runs
                yield from item.lint(path)
                yield from item.lint_in_sheet(path, lambda p: _labels_of(p, sheet), lambda p: _path_exists(p, sheet))
    yield from _check_groups(sheet)
    yield from _check_stated_max(sheet)
    yield from _check_reachable(sheet)
    if sheet.effective.end is not None and sheet.effective.end < sheet.effective.start:
        yield Problem(("effective", "to"), f"有效期截止 {sheet.effective.end} 早于起始 {sheet.effective.start}")
    yield from _check_consistency(sheet)
    yield from lint_ranking(sheet)


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
        yield Problem(("threshold",), f"kind: {t.kind} 不设分数线，不能写 min 或 by_level")
    if t.by_level is not None and set(t.by_level) != set(sheet.levels):
        yield Problem(("threshold", "by_level"), f"by_level 的级别应与 levels 一致：{'、'.join(sheet.levels)}")


def _check_reachable(sheet: Sheet) -> Iterator[Problem]:
    """A line above the stated maximum (``of``), or a count above the number of conditions, is a typo."""
    t = sheet.threshold
    lines = [("min", t.min)] if t.min is not None else [(("by_level", k), v) for k, v in (t.by_level or {}).items()]
    for key, line in lines:
        where = ("threshold", *key) if isinstance(key, tuple) else ("threshold", key)
        if t.of is not None and line > t.of:
            yield Problem(where, f"分数线 {fmt(line)} 高于写明的满分 {fmt(t.of)}")
        elif t.kind == "count" and line > len(sheet.items):
            yield Problem(where, f"需满足 {fmt(line)} 项，但本表只有 {len(sheet.items)} 项条件")


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
    if gate.type != "number" and (gate.max is not None or gate.integer or gate.min is not None):
        yield Problem((*path, "type"), "min / max / integer 只用于 type: number 的条件")
    if gate.type == "record":
        if not gate.fields:
            yield Problem((*path, "fields"), "type: record 的条件必须写 fields")
        else:
            yield from lint_fields_and_paths(gate.fields, gate.paths, path)
    elif gate.fields or gate.paths:
        yield Problem((*path, "fields"), "只有 type: record 的条件可以写 fields / paths")


def _labels_of(path: str, sheet: Sheet) -> list[str] | None:
    """The labels an answer at ``path`` can take (None: not a labelled answer)."""
    head, _, rest = path.partition(".")
    name, _, sub = rest.partition(".")
    if head == "answers":
        item = sheet.items.get(name)
        return item.answer_labels(sub) if item is not None else None
    gate = next((g for g in sheet.gates if g.id == name), None)
    spec = (gate.fields or {}).get(sub) if gate else None
    return spec.options if spec is not None else None


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
        return item is not None and (not sub or sub in item.field_names())
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
        if rule.map and rule.op != "==":
            yield Problem((*where, "map"), "map 只用于 op: \"==\"（比较两个选项）")
        left_labels = _labels_of(rule.left, sheet) if rule.left.startswith(("answers.", "gates.")) else None
        if rule.map and left_labels is not None:
            for label in rule.map:
                if label not in left_labels:
                    yield Problem((*where, "map", label), f"「{label}」不是 {rule.left} 的选项：{'、'.join(left_labels)}")
