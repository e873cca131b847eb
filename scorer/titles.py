"""Whether two achievement titles name the same achievement, decided as a careful clerk decides it.

A clerk reads past the way a title is typed: full/half width, case, spaces, punctuation, the kind
of quotation marks or brackets (“” 「」 《》 【】 ()), a number written 一 or 1, and a generic word at
the end (工程, 项目, 课题 …). What is left is compared; near-identical titles are the same when their
similarity reaches the unit's threshold and what differs is words added or dropped and at most two
characters typed differently, one for one (设计 / 设汁); a different word in the same frame
(科研… / 科技奖…) is a different title.

What separates two titles however alike they read: their numbers and ordinals. 一期 / 二期,
1号楼 / 2号楼, 2019年度 / 2020年度, 甲 / 乙 (and the other 天干), A区 / B区 (Latin letters of up to
three, such as SCI / EI), 东 / 西 / 南 / 北, 大型 / 中型 / 小型 and places (the character before
省 州 市 县 区 镇 乡 村 路 街: 湖州 / 衢州, 江滨路 / 江南路) name different projects, so two titles
whose sequences of these differ are never taken as the same.

Similarity is difflib's ``SequenceMatcher`` ratio, 2·M / (|a| + |b|) with M the matched characters,
compared exactly (integers, not a float). Cross-applicant matching over thousands of titles uses
a prefix filter: the ratio is at most the characters' multiset Dice, so only titles that share one
of their rarest characters are compared.
"""

from __future__ import annotations

import itertools
import math
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal
from difflib import SequenceMatcher
from fractions import Fraction
from functools import cached_property, lru_cache

MIN_SIMILAR_LENGTH = 4  # shorter titles are the same only when equal: one character is a different thing
MAX_SIMILAR_LENGTH = 200  # longer ones too (bounded work for any title)
SMALL_SET = 40  # up to this many titles (one applicant's) are compared pair by pair
MAX_TYPOS = 2  # near-identical: words added or dropped, and at most this many characters typed differently

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10_000}
_CN_NUMBER = re.compile(f"[{''.join(_CN_DIGITS)}{''.join(_CN_UNITS)}]+")
_DISTINGUISHING = re.compile(
    r"[0-9]+"  # numbers (Chinese numerals are turned into these first)
    r"|(?<![a-z])[a-z]{1,3}(?![a-z])"  # A区, B座, SCI, EI, II
    r"|[甲乙丙丁戊己庚辛壬癸东西南北]"  # ordinals, directions
    r"|[大中小](?=型)"  # 大型 / 中型 / 小型
    r"|[^\W\d_](?=[省州市县区镇乡村路街])"  # a place: 湖州 / 衢州, 东城区 / 西城区, 江滨路 / 江南路
)


def _cn_value(run: str) -> str:
    """A run of Chinese numerals as digits: 二〇一九 -> 2019, 十二 -> 12, 一百零五 -> 105."""
    if all(c in _CN_DIGITS for c in run):
        return "".join(str(_CN_DIGITS[c]) for c in run)
    total = section = digit = 0
    for c in run:
        if c in _CN_DIGITS:
            digit = _CN_DIGITS[c]
        elif c == "万":
            total += (section + digit) * 10_000
            section = digit = 0
        else:
            section += (digit or 1) * _CN_UNITS[c]
            digit = 0
    return str(total + section + digit)


_NOT_WORD = re.compile(r"[\W_]+")  # spaces, punctuation, brackets, quotes, symbols: anything not a letter or digit


def _separated(title: str) -> str:
    """Width and case folded; every run of spaces, punctuation, brackets, quotes or symbols a single space."""
    return _NOT_WORD.sub(" ", unicodedata.normalize("NFKC", title).lower())


def _numbers_as_digits(separated: str) -> str:
    return _CN_NUMBER.sub(lambda m: " " + _cn_value(m.group()) + " ", separated)


def _numbered(text: str) -> str:
    """Text as a key is made of (a suffix compared with one): folded, numbers as digits, no spaces."""
    return _numbers_as_digits(_separated(text)).replace(" ", "")


@lru_cache(maxsize=64)
def _folded_suffixes(suffixes: tuple[str, ...]) -> tuple[str, ...]:
    """The generic suffixes folded as titles are, longest first (so 课题研究 goes before 研究)."""
    return tuple(sorted({s for s in (_numbered(x) for x in suffixes) if s}, key=len, reverse=True))


@lru_cache(maxsize=64)
def _suffixes_by_last(suffixes: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    """The folded suffixes by their last character, each group longest first: a key is tried only against
    the suffixes that end as it does, in the order of ``_folded_suffixes``."""
    out: dict[str, list[str]] = defaultdict(list)
    for suffix in _folded_suffixes(suffixes):
        out[suffix[-1]].append(suffix)
    return {last: tuple(group) for last, group in out.items()}


@dataclass(frozen=True)
class TitleKey:
    """A title as compared: ``plain`` (folded, no punctuation), ``key`` (numbers as digits, generic suffixes
    dropped) and ``marks`` (its numbers and ordinals, in order)."""

    title: str
    plain: str
    numbered: str
    key: str
    marks: tuple[str, ...]

    @cached_property
    def counts(self) -> dict[str, int]:
        """The characters of ``key`` and how often each occurs: only a near-identical comparison needs them,
        so they are counted then (most pairs are told apart before)."""
        return dict(Counter(self.key))

    @cached_property
    def chars(self) -> frozenset[str]:
        return frozenset(self.key)

    def shares_at_least(self, other: TitleKey, wanted: int) -> bool:
        """Whether the two keys share ``wanted`` characters or more, counted with repeats (the size of the
        multiset intersection). Counted only when a bound leaves it open: the shared characters are at most
        the distinct ones in common plus the fewer repeats of either key (exact when neither repeats one)."""
        a, b = self.chars, other.chars
        common = a & b
        repeats = min(len(self.key) - len(a), len(other.key) - len(b))
        if len(common) + repeats < wanted:
            return False
        if len(common) >= wanted or not repeats:
            return len(common) >= wanted
        counts_a, counts_b = self.counts, other.counts
        return sum(min(counts_a[c], counts_b[c]) for c in common) >= wanted


@lru_cache(maxsize=65536)
def title_key(title: str, suffixes: tuple[str, ...]) -> TitleKey:
    separated = _separated(title)
    plain = separated.replace(" ", "")
    numbered_parts = _numbers_as_digits(separated)
    marks = tuple([m.lstrip("0") or "0" if m.isdigit() else m for m in _DISTINGUISHING.findall(numbered_parts)])
    numbered = numbered_parts.replace(" ", "")
    key = numbered
    by_last = _suffixes_by_last(suffixes)
    while candidates := by_last.get(key[-1:]):
        for suffix in candidates:
            if key.endswith(suffix) and len(key) - len(suffix) >= 2:
                key = key[: -len(suffix)]
                break
        else:
            break
    return TitleKey(title, plain, numbered, key, marks)


@lru_cache(maxsize=64)
def _ratio(threshold: Decimal) -> tuple[int, int]:
    return threshold.as_integer_ratio()


def _within_reach(a: TitleKey, b: TitleKey, num: int, den: int) -> bool:
    """Whether the ratio could reach the threshold ``num / den`` (as whole numbers: 2·m·den >= num·(la + lb)):
    not when even all of the shorter key matched, nor when all the characters the two share did."""
    la, lb = len(a.key), len(b.key)
    total = la + lb
    if 2 * min(la, lb) * den < num * total:
        return False
    return a.shares_at_least(b, -(-num * total // (2 * den)))


def same_reason(a: TitleKey, b: TitleKey, threshold: Decimal) -> str | None:
    """Why two titles are taken as the same achievement, in the words a clerk reads; None when they are not."""
    if a.title == b.title:
        return "名称相同"
    if a.plain == b.plain:
        return "名称只差全半角、大小写、空格、标点或引号括号"
    if a.numbered == b.numbered:
        return "名称只差数字的写法（一 / 1）"
    if a.marks != b.marks:
        return None  # 一期 / 二期, 1号楼 / 2号楼, A区 / B区: different projects
    if a.key == b.key:
        return "去掉通用后缀（工程、项目、课题等）后名称相同"
    la, lb = len(a.key), len(b.key)
    if min(la, lb) < MIN_SIMILAR_LENGTH or max(la, lb) > MAX_SIMILAR_LENGTH:
        return None
    num, den = _ratio(threshold)
    if not _within_reach(a, b, num, den):
        return None
    total = la + lb
    matcher = SequenceMatcher(None, a.key, b.key, autojunk=False)
    matched = sum(block.size for block in matcher.get_matching_blocks())
    if 2 * matched * den < num * total:
        return None
    replaced = [(i2 - i1, j2 - j1) for op, i1, i2, j1, j2 in matcher.get_opcodes() if op == "replace"]
    if len(replaced) > MAX_TYPOS or any(size != (1, 1) for size in replaced):
        return None  # 科研 / 科技奖: a different word in the same frame, not the same title typed differently
    shown = (Decimal(2 * matched) / Decimal(la + lb)).quantize(Decimal("0.01"), ROUND_FLOOR)
    return f"名称几乎相同（相似度 {shown}，达到 {threshold}；数字与序号一致）"


def title_clusters(keys: Sequence[TitleKey], threshold: Decimal) -> list[list[int]]:
    """Groups (indices, each sorted, only groups of two or more) of titles joined by being taken as the same.

    The groups are the connected parts of "``same_reason`` is not None" over all pairs, found without
    comparing all pairs: titles with one key and one sequence of numbers and ordinals are the same
    whatever else differs (joined in a chain); one title of each such set is then compared with the
    others of its numbers and ordinals through a prefix filter, so thousands of titles stay fast.
    """
    parent = list(range(len(keys)))
    if len(keys) <= SMALL_SET:  # one applicant's titles: pair by pair, no index to build
        _join_small(keys, threshold, parent)
        return _groups(parent)

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def join(i: int, j: int) -> None:
        ri, rj = root(i), root(j)
        if ri != rj:
            parent[max(ri, rj)] = min(ri, rj)

    exact: dict[tuple[str, tuple[str, ...]], list[int]] = defaultdict(list)
    for i, k in enumerate(keys):
        exact[(k.key, k.marks)].append(i)
    by_marks: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for (key, marks), group in exact.items():
        for a, b in itertools.pairwise(group):
            join(a, b)
        if MIN_SIMILAR_LENGTH <= len(key) <= MAX_SIMILAR_LENGTH:
            by_marks[marks].append(group[0])
    t = Fraction(threshold)
    for members in by_marks.values():
        if len(members) < 2:
            continue
        frequency: dict[tuple[str, int], int] = defaultdict(int)
        for i in members:
            for tok in _tokens(keys[i].key):
                frequency[tok] += 1
        order = {tok: rank for rank, tok in enumerate(sorted(frequency, key=lambda tok: (frequency[tok], tok)))}
        index: dict[tuple[str, int], list[int]] = defaultdict(list)
        for i in members:
            prefix = _prefix(keys[i].key, order, t)
            for j in sorted({j for tok in prefix for j in index[tok]}):
                if root(i) != root(j) and same_reason(keys[j], keys[i], threshold) is not None:
                    join(i, j)
            for tok in prefix:
                index[tok].append(i)
    return _groups(parent)


def _join_small(keys: Sequence[TitleKey], threshold: Decimal, parent: list[int]) -> None:
    """``parent`` joined over every pair ``same_reason`` takes as the same, most pairs decided without it:
    titles equal once folded (``plain``, ``numbered``) or once their suffix goes (``key`` with the same
    ``marks``) are joined by looking them up; only two titles with the same marks, different keys and
    lengths that allow the ratio are compared, first by the characters they share, then by ``same_reason``
    itself (every test it makes before those is one of these lookups)."""
    def join(i: int, j: int) -> None:
        ri, rj = _root(parent, i), _root(parent, j)
        if ri != rj:
            parent[max(ri, rj)] = min(ri, rj)

    first: dict[tuple[str, object], int] = {}
    for i, k in enumerate(keys):
        for seen in (("plain", k.plain), ("numbered", k.numbered), ("key", (k.key, k.marks))):
            j = first.setdefault(seen, i)
            if j != i:
                join(j, i)
    num, den = _ratio(threshold)
    by_marks: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for i, k in enumerate(keys):
        if MIN_SIMILAR_LENGTH <= len(k.key) <= MAX_SIMILAR_LENGTH:
            by_marks[k.marks].append(i)
    for members in by_marks.values():
        for x, i in enumerate(members):
            a = keys[i]
            for j in members[x + 1:]:
                b = keys[j]
                if a.key == b.key or _root(parent, i) == _root(parent, j):
                    continue  # joined by the lookups above, or through others
                if _within_reach(a, b, num, den) and same_reason(a, b, threshold) is not None:
                    join(i, j)


def _root(parent: list[int], i: int) -> int:
    while parent[i] != i:
        i = parent[i]
    return i


def _groups(parent: list[int]) -> list[list[int]]:
    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(len(parent)):
        groups[_root(parent, i)].append(i)
    return [g for g in groups.values() if len(g) > 1]


def _tokens(key: str) -> list[tuple[str, int]]:
    """A title's characters as a set: the second 矿 is (矿, 2)."""
    seen: dict[str, int] = defaultdict(int)
    out = []
    for c in key:
        seen[c] += 1
        out.append((c, seen[c]))
    return out


def _prefix(key: str, order: dict[tuple[str, int], int], threshold: Fraction) -> list[tuple[str, int]]:
    """The rarest tokens of a title; two titles at the threshold share at least one (Jaccard prefix filter:
    the ratio is at most the tokens' Dice, and Dice t is Jaccard t / (2 - t))."""
    tokens = sorted(_tokens(key), key=lambda tok: order[tok])
    jaccard = threshold / (2 - threshold)
    keep = len(tokens) - math.ceil(jaccard * len(tokens)) + 1
    return tokens[: max(keep, 1)]
