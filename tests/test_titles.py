"""Title matching for 重复申报 and 负责人冲突: what a clerk takes as the same achievement, and what not."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest

from scorer.flags import DEFAULT_GENERIC_SUFFIXES
from scorer.titles import same_reason, title_clusters, title_key

T = Decimal("0.90")


def reason(a: str, b: str, threshold: Decimal = T) -> str | None:
    return same_reason(title_key(a, DEFAULT_GENERIC_SUFFIXES), title_key(b, DEFAULT_GENERIC_SUFFIXES), threshold)


@pytest.mark.parametrize(("a", "b", "why"), [
    ("某矿技改工程", "某矿技改工程", "名称相同"),
    ("《某标准》编制", "【某标准】编制", "引号括号"),
    ("“某矿区”技改", "「某矿区」技改", "引号括号"),
    ("ＡＢＣ 矿区 技改", "abc矿区技改", "全半角"),
    ("某小区1期", "某小区一期", "数字的写法"),
    ("二〇一九年某矿区", "2019年某矿区", "数字的写法"),
    ("第十二标段改造", "第12标段改造", "数字的写法"),
    ("某县重点生态修复工程", "“某县重点生态修复”项目", "通用后缀"),
    ("某县重点生态修复", "某县重点生态修复课题研究", "通用后缀"),  # 研究 then 课题: both dropped
    ("温州市某某矿区露天开采边坡治理", "温州市某某矿区露天开采边坡综合治理", "相似度 0.93"),  # 2·14/30
    ("瑞安市某某石料矿开采方案设计", "瑞安市某某石料矿开采方案设汁", "相似度 0.92"),  # 2·13/28: one typo
])
def test_taken_as_the_same_with_the_reason(a: str, b: str, why: str) -> None:
    got = reason(a, b)
    assert got is not None and why in got, got


@pytest.mark.parametrize(("a", "b"), [
    ("某小区一期工程", "某小区二期工程"),
    ("某小区1号楼", "某小区2号楼"),
    ("2019年度矿山安全检查", "2020年度矿山安全检查"),
    ("某矿区A区开采", "某矿区B区开采"),
    ("论文甲", "论文乙"),
    ("东区绿化提升改造", "西区绿化提升改造"),
    ("大型矿山露天开采", "中型矿山露天开采"),
    ("湖州城东污水处理厂1号池改造", "衢州城东污水处理厂1号池改造"),  # two cities: 12/14 alike is not enough
    ("科研（某某矿业集团有限公司）", "科技奖（某某矿业集团有限公司）"),  # another word in the same frame
    ("SCI论文矿山边坡", "EI论文矿山边坡"),
    ("某矿", "某厂"),  # short titles are the same only when equal
])
def test_different_projects_are_not_the_same(a: str, b: str) -> None:
    assert reason(a, b) is None


def test_threshold_decides_near_identical_titles() -> None:
    a, b = "温州市某某矿区露天开采边坡治理", "温州市某某矿区露天开采边坡综合治理"  # 14 matched of 14 + 16
    assert reason(a, b, Decimal("0.93")) is not None  # 28/30 = 0.9333…
    assert reason(a, b, Decimal("0.94")) is None
    assert reason("某县重点生态修复工程", "某县重点生态修复项目", Decimal(1)) is not None  # suffixes still dropped


def test_a_suffix_that_names_a_number_does_not_join_phases() -> None:
    suffixes = (*DEFAULT_GENERIC_SUFFIXES, "一期", "二期")
    a, b = title_key("滨江花园一期", suffixes), title_key("滨江花园二期", suffixes)
    assert a.key == b.key == "滨江花园" and same_reason(a, b, T) is None


def _brute(keys: list, threshold: Decimal) -> list[list[int]]:  # type: ignore[type-arg]
    """Connected groups of "same_reason is not None" over every pair."""
    parent = list(range(len(keys)))

    def root(i: int) -> int:
        while parent[i] != i:
            i = parent[i]
        return i

    for i in range(len(keys)):
        for j in range(i + 1, len(keys)):
            if same_reason(keys[i], keys[j], threshold) is not None:
                parent[root(j)] = root(i)
    groups: dict[int, list[int]] = {}
    for i in range(len(keys)):
        groups.setdefault(root(i), []).append(i)
    return sorted(g for g in groups.values() if len(g) > 1)


def test_clusters_equal_all_pairs_components() -> None:
    """The prefix filter (many titles) and the pair-by-pair path (one applicant's) find what comparing every pair does."""
    rng = random.Random(12)
    parts = ["矿区", "边坡", "治理", "综合", "开采", "工程", "项目", "一期", "二期", "1号", "“", "”", "（", "）", "东",
             "设计", "设汁", "技改", "某", "滨江"]
    titles = ["".join(rng.choice(parts) for _ in range(rng.randint(2, 7))) for _ in range(400)]
    titles += [t + "工程" for t in titles[:40]] + ["“" + t + "”" for t in titles[40:80]]
    keys = [title_key(t, DEFAULT_GENERIC_SUFFIXES) for t in titles]
    small = keys[400:440] + keys[:40]  # 80 > SMALL_SET: still the filter; the first 40 alone: pair by pair
    for threshold in (Decimal("0.75"), Decimal("0.85"), Decimal("0.90"), Decimal("1")):
        got = sorted(title_clusters(keys, threshold))
        assert got == _brute(keys, threshold), threshold
        assert len(got) > 10  # the set has real matches to find
        assert sorted(title_clusters(small, threshold)) == _brute(small, threshold)
        assert sorted(title_clusters(keys[:40], threshold)) == _brute(keys[:40], threshold)


def test_shared_characters_count_repeats_as_a_multiset_does() -> None:
    """The bounded count (sets first, repeats only when the bound leaves it open) agrees with the multiset
    intersection at every wanted size."""
    from collections import Counter

    pool = "矿区某工程技改治理一二AB"
    rnd = random.Random(7)
    for _ in range(2000):
        a, b = ("".join(rnd.choice(pool) for _ in range(rnd.randint(1, 9))) for _ in range(2))
        ka, kb = title_key(a, ()), title_key(b, ())
        shared = sum((Counter(ka.key) & Counter(kb.key)).values())
        for wanted in range(11):
            assert ka.shares_at_least(kb, wanted) is (shared >= wanted), (a, b, wanted)


def test_one_applicants_titles_join_as_every_pair_does() -> None:
    """The pair-by-pair path (at most SMALL_SET titles) over many small sets, with the titles that are the same
    only once folded: spaces inside numbers and letters (十 二 / 十二, a b / ab), width, quotes, a suffix."""
    rng = random.Random(5)
    parts = ["矿区", "边坡", "治理", "综合", "开采", "工程", "一期", "二期", "1号", "东", "设计", "设汁", "滨江", "十 二",
             "十二", "a b", "ab", "Ａ", " ", "“", "”", "项目", "课题研究"]
    for _ in range(300):
        titles = ["".join(rng.choice(parts) for _ in range(rng.randint(1, 6))) for _ in range(rng.randint(2, 12))]
        titles += [t + rng.choice(["工程", "", "”"]) for t in titles[: rng.randint(0, 3)]]
        for t in titles[: rng.randint(0, 3)]:  # a word added: near-identical, of another length
            cut = rng.randint(0, len(t))
            titles.append(t[:cut] + rng.choice(parts) + t[cut:])
        keys = [title_key(t, DEFAULT_GENERIC_SUFFIXES) for t in titles]
        for threshold in (Decimal("0.75"), Decimal("0.90")):
            assert sorted(title_clusters(keys, threshold)) == _brute(keys, threshold), (titles, threshold)

    # the same once numbers are digits, though folded text and marks differ: joined only by ``numbered``
    keys = [title_key(t, DEFAULT_GENERIC_SUFFIXES) for t in ("一期a b", "1期ab", "滨江矿区")]
    assert keys[0].plain != keys[1].plain and keys[0].marks != keys[1].marks
    assert title_clusters(keys, T) == _brute(keys, T) == [[0, 1]]
