"""entries: each achievement priced by its table cell and coefficients, then aggregated -- numbers computed by hand."""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from typing import Any

import pytest
from helpers import claims_for, make_sheet, one_item, run

from scorer import ClaimError, SheetError, score
from scorer.model import Sheet
from scorer.review import ReviewOutcome, parse_review, review_claims

D = Decimal
DATE = "2020-01-01"


def refused(sheet: Sheet, answers: dict[str, Any]) -> list[str]:
    with pytest.raises(ClaimError) as exc:
        run(sheet, answers)
    return exc.value.lines


def e(**fields: Any) -> dict[str, Any]:
    return {"date": DATE, **fields}


# --- (a) representative_plus_bonus, rank coefficients on start and bonus (水利高工) --------------------------

WATER = """\
- id: proj
  label: 水利工程项目
  rule: entries
  aggregate: representative_plus_bonus
  start: {大型: 30, 中型: 24, 小型: 18}
  bonus: {大型: 4, 中型: 3, 小型: 2}
  rank_coefficients: [1.0, 0.8, 0.7, 0.6, 0.5, 0.3]
  role_coefficients: {主持: 1.0, 参与: 0.5}
  cap: 40
"""


def test_rank_coefficients_apply_to_start_and_bonus_roles_to_bonus_only() -> None:
    sheet = make_sheet(one_item(WATER))
    entries = [e(level="大型", role="参与", rank=2), e(level="中型", role="主持", rank=1), e(level="小型", role="参与", rank=7)]
    item = run(sheet, {"proj": entries}).items["proj"]
    # representative 大型: 30 × 第2名 0.8 = 24 (its role 参与 is not applied to the start)
    # bonus 中型 3 × 主持 1.0 × 第1名 1.0 = 3; 小型 2 × 参与 0.5 × 第7名 (after the 6th: 0.3) = 0.3
    assert [x.points for x in item.entries] == [D(24), D(3), D("0.3")]
    assert item.points == D("27.3")
    assert item.entries[0].explanation == "代表业绩（大型，按级别最高选取）起评 30 × 第2名系数 0.8 = 24 分"
    assert item.entries[2].explanation == "加分：小型 2 × 参与系数 0.5 × 第7名系数 0.3 = 0.3 分"


@pytest.mark.parametrize(("rank", "coef"), [(1, "1.0"), (2, "0.8"), (3, "0.7"), (4, "0.6"), (5, "0.5"), (6, "0.3"), (9, "0.3")])
def test_each_rank_coefficient_on_the_start(rank: int, coef: str) -> None:
    sheet = make_sheet(one_item(WATER))
    assert run(sheet, {"proj": [e(level="中型", role="主持", rank=rank)]}).items["proj"].points == 24 * D(coef)


def test_role_on_start_multiplies_the_representative_too() -> None:
    sheet = make_sheet(one_item(WATER + "  role_on_start: true\n"))
    entries = [e(level="大型", role="参与", rank=3), e(level="中型", role="参与", rank=6)]
    item = run(sheet, {"proj": entries}).items["proj"]
    # 30 × 参与 0.5 × 第3名 0.7 = 10.5; bonus 3 × 0.5 × 0.3 = 0.45
    assert [x.points for x in item.entries] == [D("10.5"), D("0.45")]
    assert item.points == D("10.95")
    assert "代表业绩起评分也乘角色系数" in sheet.items["proj"].describe()


def test_rank_is_required_when_rank_coefficients_apply() -> None:
    sheet = make_sheet(one_item(WATER))
    assert "第1条缺少 rank（本人排名" in refused(sheet, {"proj": [e(level="大型", role="主持")]})[0]


def test_describe_representative_plus_bonus() -> None:
    text = make_sheet(one_item(WATER)).items["proj"].describe()
    assert text.startswith("代表业绩起评：大型 30、中型 24、小型 18；")
    assert "其余每条加分：大型 4、中型 3、小型 2 × 角色系数（主持 1、参与 0.5）" in text
    assert "起评分与加分均乘排名系数 1、0.8、0.7、0.6、0.5、0.3（其后均为 0.3）" in text
    assert "代表业绩为中型时最高 30、小型时最高 24" in text


# --- (b) level_role_bonus, no role coefficients ---------------------------------------------------------

LEVEL_ROLE_BONUS = """\
- id: proj
  label: 项目
  rule: entries
  aggregate: representative_plus_bonus
  start: {A: 30, B: 25, C: 20, D: 15, E: 10}
  level_role_bonus:
    A: {主持者: 2.0, 参加者: 1.5}
    B: {主持者: 1.75, 参加者: 1.25}
    C: {主持者: 1.5, 参加者: 1.0}
    D: {主持者: 1.25, 参加者: 0.75}
    E: {主持者: 1.0, 参加者: 0.5}
  cap: 35
"""


def test_level_role_bonus_without_role_coefficients() -> None:
    sheet = make_sheet(one_item(LEVEL_ROLE_BONUS))
    entries = [e(level="C", role="参加者"), e(level="A", role="主持者"), e(level="D", role="参加者"), e(level="E", role="主持者")]
    item = run(sheet, {"proj": entries}).items["proj"]
    # A 主持者 represents: 30; bonuses C·参加者 1.0 + D·参加者 0.75 + E·主持者 1.0 = 2.75
    assert [x.points for x in item.entries] == [D("1.0"), D(30), D("0.75"), D("1.0")]
    assert item.points == D("32.75")
    assert item.entries[1].explanation == "代表业绩（A，按级别最高选取）起评 30 分"


@pytest.mark.parametrize(
    ("level", "role", "bonus"),
    [("A", "主持者", "2.0"), ("B", "主持者", "1.75"), ("C", "主持者", "1.5"), ("D", "主持者", "1.25"), ("E", "主持者", "1.0"),
     ("A", "参加者", "1.5"), ("B", "参加者", "1.25"), ("C", "参加者", "1.0"), ("D", "参加者", "0.75"), ("E", "参加者", "0.5")],
)
def test_every_cell_of_the_bonus_table(level: str, role: str, bonus: str) -> None:
    sheet = make_sheet(one_item(LEVEL_ROLE_BONUS))
    item = run(sheet, {"proj": [e(level="A", role="参加者"), e(level=level, role=role)]}).items["proj"]
    assert item.points == 30 + D(bonus)  # the A 参加者 represents with the plain start: no role coefficient


def test_total_stops_at_the_next_level_start() -> None:
    sheet = make_sheet(one_item(LEVEL_ROLE_BONUS))
    entries = [e(level="B", role="参加者", representative=True)] + [e(level="A", role="主持者")] * 3
    result = run(sheet, {"proj": entries})
    assert result.items["proj"].raw == 30  # 25 + 3 × 2.0 = 31 → at most A's start 30
    assert result.caps == ["项目：代表业绩为B，本项最高 30 分（不超过上一级别起评分）"]
    assert sheet.items["proj"].raw_max() == 35


def test_lint_refuses_role_coefficients_beside_level_role_bonus() -> None:
    with pytest.raises(SheetError) as exc:
        make_sheet(one_item(LEVEL_ROLE_BONUS + "  role_coefficients: {主持者: 1, 参加者: 0.5}\n"))
    assert "角色系数只在 role_on_start 时使用" in str(exc.value)


# --- (c) representative_plus_bonus without roles ---------------------------------------------------------

NO_ROLES = """\
- id: proj
  label: 项目
  rule: entries
  aggregate: representative_plus_bonus
  start: {大型: 30, 中型: 24, 小型: 18}
  bonus: {大型: 4, 中型: 3, 小型: 2}
  cap: 40
"""


def test_representative_plus_bonus_without_roles() -> None:
    sheet = make_sheet(one_item(NO_ROLES))
    assert run(sheet, {"proj": [e(level="小型"), e(level="中型"), e(level="小型")]}).items["proj"].points == 24 + 2 + 2
    assert run(sheet, {"proj": [e(level="中型"), e(level="大型"), e(level="大型")]}).items["proj"].points == 30 + 3 + 4
    assert refused(sheet, {"proj": [e(level="中型", role="主持")]}) == [
        "<申报数据>: answers.proj[0].role: 第1条：本项不分角色，请删除 role"
    ]


def test_representative_limit_below_top_level() -> None:
    sheet = make_sheet(one_item(NO_ROLES))
    result = run(sheet, {"proj": [e(level="小型")] * 5})  # 18 + 4 × 2 = 26 → 中型's start 24
    assert (result.items["proj"].raw, result.items["proj"].points) == (24, 24)


# --- (d) the applicant names the representative -----------------------------------------------------------


def test_named_representative_is_taken_even_if_not_the_best() -> None:
    sheet = make_sheet(one_item(NO_ROLES))
    item = run(sheet, {"proj": [e(level="大型"), e(level="小型", representative=True)]}).items["proj"]
    # 小型 represents: 18; the 大型 adds its bonus 4 → 22 (the best pick would have given 30 + 2 = 32)
    assert item.points == 22
    assert item.entries[1].explanation == "代表业绩（小型，申报人指定）起评 18 分"
    assert item.explanation[0] == "代表业绩第2条（申报人指定）18 分 + 其余 1 条加分 = 22 分"


def test_unnamed_representative_is_the_highest_level() -> None:
    sheet = make_sheet(one_item(NO_ROLES))
    item = run(sheet, {"proj": [e(level="小型"), e(level="大型")]}).items["proj"]
    assert item.points == 32
    assert "按级别最高选取" in item.entries[1].explanation
    assert item.explanation[0] == "代表业绩第2条（按级别最高选取）30 分 + 其余 1 条加分 = 32 分"


def test_unnamed_representative_among_equal_levels_is_the_best_role() -> None:
    sheet = make_sheet(one_item(WATER))
    item = run(sheet, {"proj": [e(level="大型", role="参与", rank=1), e(level="大型", role="主持", rank=1)]}).items["proj"]
    assert item.points == 30 + 2  # 主持 represents; 参与 adds 4 × 0.5


def test_two_named_representatives_are_refused() -> None:
    sheet = make_sheet(one_item(NO_ROLES))
    lines = refused(sheet, {"proj": [e(level="大型", representative=True), e(level="小型", representative=True)]})
    assert lines == ["<申报数据>: answers.proj: 只能指定一条代表性成果，实际指定了 2 条"]


def test_representative_on_a_non_representative_item_is_refused() -> None:
    sheet = make_sheet(one_item("- {id: p, label: 论文, rule: entries, aggregate: sum, level_points: {核心: 5}, cap: 10}\n"))
    lines = refused(sheet, {"p": [e(level="核心", representative=True)]})
    assert lines == ["<申报数据>: answers.p[0].representative: 第1条：本项不按“代表性成果＋加分”计分，不能指定代表性成果"]
    assert run(sheet, {"p": [e(level="核心", representative=False)]}).items["p"].points == 5


def test_named_representative_round_trips() -> None:
    sheet = make_sheet(one_item(NO_ROLES))
    claims = claims_for(sheet, {"answers": {"proj": [e(level="小型", representative=True)]}})
    assert claims.to_data()["answers"]["proj"][0]["representative"] is True


# --- (e) group_size: "其他 0.5分/2项" -------------------------------------------------------------------

GROUPED = """\
- id: papers
  label: 论文
  rule: entries
  aggregate: sum
  level_points: {核心: 2, 其他: 0.5}
  group_size: {其他: 2}
  cap: 10
"""


@pytest.mark.parametrize(("count", "points"), [(1, "0"), (2, "0.5"), (3, "0.5"), (4, "1"), (5, "1")])
def test_group_size_counts_whole_groups(count: int, points: str) -> None:
    sheet = make_sheet(one_item(GROUPED))
    assert run(sheet, {"papers": [e(level="其他")] * count}).items["papers"].points == D(points)


def test_group_size_leaves_other_levels_alone() -> None:
    sheet = make_sheet(one_item(GROUPED))
    assert run(sheet, {"papers": [e(level="其他"), e(level="核心"), e(level="其他")]}).items["papers"].points == D("2.5")
    assert "其他每满 2 项计一次" in sheet.items["papers"].describe()


# --- (f) level_caps sub-caps inside the item cap ------------------------------------------------------------

PATENTS = """\
- id: ip
  label: 专利
  rule: entries
  aggregate: sum
  level_points: {发明: 5, 实用新型: 2, 软件著作权: 3}
  level_caps: {实用新型: 4, 软件著作权: 6}
  cap: 10
"""


def test_level_caps_then_item_cap() -> None:
    sheet = make_sheet(one_item(PATENTS))
    entries = [e(level="实用新型")] * 3 + [e(level="软件著作权")] * 3 + [e(level="发明")]
    result = run(sheet, {"ip": entries})
    item = result.items["ip"]
    # 实用新型 3 × 2 = 6 → 4; 软件著作权 3 × 3 = 9 → 6; 发明 5: 4 + 6 + 5 = 15 → item cap 10
    assert [x.points for x in item.entries] == [D(2), D(2), D(0), D(3), D(3), D(0), D(5)]
    assert (item.raw, item.points) == (D(15), D(10))
    assert "实用新型小计 6 分，封顶 4 分" in item.explanation
    assert "软件著作权小计 9 分，封顶 6 分" in item.explanation


def test_level_cap_not_reached_keeps_every_point() -> None:
    sheet = make_sheet(one_item(PATENTS))
    assert run(sheet, {"ip": [e(level="实用新型")] * 2 + [e(level="发明")]}).items["ip"].points == 9


# --- (g) range cells -------------------------------------------------------------------------------------------

RANGES = """\
- id: std
  label: 标准
  rule: entries
  aggregate: sum
  level_points: {甲级: 30-0, 行业标准: 20-16, 企业: 5}
  cap: 60
"""


def test_range_cells_take_the_points_claimed() -> None:
    sheet = make_sheet(one_item(RANGES))
    item = run(sheet, {"std": [e(level="甲级", points=25), e(level="行业标准", points=18), e(level="企业")]}).items["std"]
    assert [x.points for x in item.entries] == [D(25), D(18), D(5)]
    assert item.points == 48
    assert item.entries[1].explanation == "行业标准（区间 20-16）申报 18 分"


@pytest.mark.parametrize(
    ("level", "points", "text"), [("行业标准", 21, "20-16"), ("行业标准", 15, "20-16"), ("甲级", 31, "30-0")]
)
def test_range_points_outside_are_refused_naming_the_range(level: str, points: int, text: str) -> None:
    sheet = make_sheet(one_item(RANGES))
    lines = refused(sheet, {"std": [e(level=level, points=points)]})
    assert lines == [f"<申报数据>: answers.std[0].points: 第1条的申报分值 {points} 不在本级别区间 {text} 分内"]


def test_range_points_missing_are_refused() -> None:
    sheet = make_sheet(one_item(RANGES))
    assert refused(sheet, {"std": [e(level="行业标准")]}) == [
        "<申报数据>: answers.std[0].points: 第1条缺少 points（申报分值）：此级别由评审在 20-16 分内确定，请填写所申报的分值"
    ]


def test_points_on_a_fixed_cell_are_refused() -> None:
    sheet = make_sheet(one_item(RANGES))
    assert refused(sheet, {"std": [e(level="企业", points=5)]}) == [
        "<申报数据>: answers.std[0].points: 第1条：此级别分值固定，所填申报分值不使用（请删除 points）"
    ]


def test_points_on_a_fixed_cell_keep_the_entry_in_a_draft() -> None:
    """A draft (the fill page) keeps the entry and says the typed value is not used: nothing is dropped."""
    from scorer.claims import draft_claims

    sheet = make_sheet(one_item(RANGES))
    claims, problems = draft_claims({"sheet": sheet.id, "answers": {"std": [e(level="企业", points=5)]}}, sheet)
    assert [x.level for x in claims.answers["std"]] == ["企业"]
    assert problems == ["标准：第1条：此级别分值固定，所填申报分值不使用（请删除 points）"]
    assert score(sheet, claims).items["std"].points == 5


def test_lint_refuses_rank_coefficients_on_ranges() -> None:
    with pytest.raises(SheetError) as exc:
        make_sheet(one_item(RANGES + "  rank_coefficients: [1, 0.5]\n"))
    assert "区间分值由评审确定，不能再乘排名系数" in str(exc.value)


# --- (h) 标志性成果 -----------------------------------------------------------------------------------------

LANDMARK = """\
- id: std
  label: 标准
  rule: entries
  aggregate: sum
  level_points: {国家标准: 标志性成果, 行业标准: 20-16, 企业: 5}
  cap: 40
"""


def test_landmark_cell_gives_no_points_and_one_finding() -> None:
    sheet = make_sheet(one_item(LANDMARK))
    result = run(sheet, {"std": [e(level="国家标准", title="GB 1"), e(level="企业")]})
    assert [x.points for x in result.items["std"].entries] == [D(0), D(5)]
    assert result.items["std"].points == 5
    assert result.findings == ["标准第1条「GB 1」（国家标准）：具备标志性成果，可按标志性业绩直接申报，以评委会认定为准"]
    assert result.verdict == "未达到"  # the finding sits beside the verdict; it changes no number


def test_landmark_level_with_points_keeps_the_points_and_adds_a_finding() -> None:
    sheet = make_sheet(one_item(LANDMARK + "  landmark_levels: [企业]\n  landmark_finding: 企业标准为标志性成果\n"))
    result = run(sheet, {"std": [e(level="企业", title="Q 1")]})
    assert result.items["std"].points == 5
    assert result.findings == ["标准第1条「Q 1」（企业）：企业标准为标志性成果"]


def test_ignored_landmark_entry_gives_no_finding() -> None:
    sheet = make_sheet(one_item(LANDMARK) + "window: {label: 近三年, from: 2021-01-01}\n")
    result = run(sheet, {"std": [e(level="国家标准")]})  # dated 2020: outside the window
    assert result.findings == []
    assert len(result.warnings) == 1


# --- (i) category × level × role ----------------------------------------------------------------------------

THREE_WAY = """\
- id: works
  label: 工程业绩
  rule: entries
  aggregate: sum
  category_level_role_points:
    工程规划与设计: {复杂: {项目负责人: 100, 技术骨干: 80}, 中等复杂: {项目负责人: 80, 技术骨干: 60}}
    工程建设管理: {复杂: {项目负责人: 90, 技术骨干: 70}, 中等复杂: {项目负责人: 70, 技术骨干: 50}}
  cap: 200
"""


def test_category_level_role_table() -> None:
    sheet = make_sheet(one_item(THREE_WAY))
    entries = [
        e(category="工程规划与设计", level="中等复杂", role="技术骨干"),  # 60/项
        e(category="工程建设管理", level="复杂", role="项目负责人"),  # 90/项
        e(category="工程建设管理", level="中等复杂", role="技术骨干"),  # 50/项
    ]
    item = run(sheet, {"works": entries}).items["works"]
    assert [x.points for x in item.entries] == [D(60), D(90), D(50)]
    assert (item.raw, item.points) == (D(200), D(200))
    assert item.entries[0].explanation == "工程规划与设计·中等复杂·技术骨干 60 分"


def test_category_is_required_and_checked() -> None:
    sheet = make_sheet(one_item(THREE_WAY))
    assert refused(sheet, {"works": [e(level="中等复杂", role="技术骨干")]}) == [
        "<申报数据>: answers.works[0].category: 第1条缺少 category（类别）；可选：工程规划与设计、工程建设管理"
    ]
    assert "「施工」不是本项的类别" in refused(sheet, {"works": [e(category="施工", level="复杂", role="技术骨干")]})[0]


# --- (j) max_entries ------------------------------------------------------------------------------------------

EXCELLENT = "- {id: good, label: 年度考核优秀, rule: entries, aggregate: sum, entry_points: 2, max_entries: 3}\n"


def test_max_entries() -> None:
    sheet = make_sheet(one_item(EXCELLENT))
    assert run(sheet, {"good": [e()] * 3}).items["good"].points == 6
    assert refused(sheet, {"good": [e()] * 4}) == ["<申报数据>: answers.good: 本项最多 3 条（填写了 4 条）"]
    assert sheet.items["good"].raw_max() == 6  # 3 × 2: max_entries bounds an uncapped sum


# --- (k) expert discretion -------------------------------------------------------------------------------------

REVIEWED = """\
- id: std
  label: 标准
  rule: entries
  aggregate: sum
  level_points: {甲级: 30-0, 企业: 5}
  cap: 60
- id: ethics
  label: 职业道德
  rule: band
  bands: {好: 20-16, 一般: 10}
"""
CLAIM = {"std": [e(level="甲级", points=25), e(level="企业")], "ethics": {"band": "好", "points": 18}}


def reviewed(verdicts: list[dict[str, Any]]) -> ReviewOutcome:
    sheet = make_sheet(one_item(REVIEWED))
    claims = claims_for(sheet, {"answers": CLAIM})
    verdicts = [{"reason": "专家意见", **v} for v in verdicts]
    review = parse_review({"reviewer": "李专家", "date": "2022-03-01", "verdicts": verdicts}, sheet, claims)
    return review_claims(sheet, claims, review)


def review_refused(verdicts: list[dict[str, Any]]) -> list[str]:
    with pytest.raises(ClaimError) as exc:
        reviewed(verdicts)
    return exc.value.lines


def test_claimed_score_before_review() -> None:
    outcome = reviewed([])
    assert (outcome.claimed.items["std"].points, outcome.claimed.total) == (D(30), D(48))  # 25 + 5; + 18


def test_discretion_lowers_a_fixed_entry() -> None:
    outcome = reviewed([{"target": "answers.std[1]", "action": "change", "points": 3}])
    entry = outcome.reviewed.items["std"].entries[1]
    assert entry.points == 3
    assert entry.explanation == "企业 5 分；专家酌定 3 分（原 5 分）"
    assert outcome.reviewed.items["std"].points == 28  # 25 + 3
    assert outcome.delta == -2


def test_discretion_never_raises_a_fixed_entry() -> None:
    assert review_refused([{"target": "answers.std[1]", "action": "change", "points": 8}]) == [
        ": review.verdicts[0].points: 酌定分 8 不低于计算分 5：专家酌定只能调低"
    ]


def test_engine_ignores_a_ceiling_above_the_computed_points() -> None:
    """Defence in depth: even a ceiling that bypassed the review check cannot raise a score."""
    sheet = make_sheet(one_item(RANGES))
    claims = claims_for(sheet, {"answers": {"std": [e(level="甲级", points=25)]}})
    raised = dataclasses.replace(claims, item_ceilings={"std": D(29)},
                                 answers={"std": [dataclasses.replace(claims.answers["std"][0], reviewed_points=D(29))]})
    assert score(sheet, raised).items["std"].points == score(sheet, claims).items["std"].points


def test_range_entry_is_lowered_inside_its_range() -> None:
    outcome = reviewed([{"target": "answers.std[0]", "action": "change", "points": 20}])
    assert outcome.reviewed.items["std"].entries[0].points == 20
    assert outcome.reviewed.items["std"].points == 25  # 20 + 5
    assert outcome.changes[0].detail == "申报分值 25 → 20"


def test_range_entry_cannot_be_raised() -> None:
    assert review_refused([{"target": "answers.std[0]", "action": "change", "points": 28}]) == [
        ": review.verdicts[0].points: 复核分值只能低于申报分值 25"
    ]


def test_range_entry_cannot_leave_its_range() -> None:
    assert "复核分值 31 不在本级别区间 30-0 分内" in review_refused(
        [{"target": "answers.std[0]", "action": "change", "points": 31}]
    )[0]


def test_item_ceiling_lowers_an_item() -> None:
    outcome = reviewed([{"target": "answers.std", "action": "change", "points": 12}])
    item = outcome.reviewed.items["std"]
    assert item.points == 12
    assert item.explanation[-1] == "专家酌定本项 12 分（计算为 30 分）"
    assert outcome.reviewed.total == 12 + 18


def test_item_ceiling_never_raises_an_item() -> None:
    assert review_refused([{"target": "answers.std", "action": "change", "points": 50},
                           {"target": "answers.ethics", "action": "change", "points": 19}]) == [
        ": review.verdicts[0].points: 酌定分 50 不低于计算分 30：专家酌定只能调低",
        ": review.verdicts[1].points: 酌定分 19 不低于计算分 18：专家酌定只能调低",
    ]


def test_item_ceiling_on_a_band_item() -> None:
    outcome = reviewed([{"target": "answers.ethics", "action": "change", "points": 12}])
    assert outcome.reviewed.items["ethics"].points == 12
    assert outcome.reviewed.total == 30 + 12


def test_discretion_on_the_representative_and_a_bonus() -> None:
    sheet = make_sheet(one_item(NO_ROLES))
    claims = claims_for(sheet, {"answers": {"proj": [e(level="大型"), e(level="中型")]}})
    review = parse_review(
        {"reviewer": "李专家", "date": "2022-03-01", "verdicts": [
            {"target": "answers.proj[0]", "action": "change", "points": 26, "reason": "规模偏小"},
            {"target": "answers.proj[1]", "action": "change", "points": 1, "reason": "贡献有限"},
        ]},
        sheet, claims,
    )
    outcome = review_claims(sheet, claims, review)
    assert (outcome.claimed.items["proj"].points, outcome.reviewed.items["proj"].points) == (D(33), D(27))  # 30+3 → 26+1


def test_level_change_to_another_range_needs_new_points() -> None:
    # a reviewer moving a 甲级 entry (30-0, claimed 25) to 行业标准 (20-16) must say where in 20-16 it lands:
    # the 25 asked for under 甲级 cannot stand inside 20-16
    sheet = make_sheet(one_item(RANGES))
    claims = claims_for(sheet, {"answers": {"std": [e(level="甲级", points=25)]}})

    def review(verdict: dict[str, Any]) -> ReviewOutcome:
        data = {"reviewer": "李专家", "date": "2022-03-01", "verdicts": [{"reason": "级别不符", **verdict}]}
        return review_claims(sheet, claims, parse_review(data, sheet, claims))

    with pytest.raises(ClaimError) as exc:
        review({"target": "answers.std[0]", "action": "change", "level": "行业标准"})
    assert exc.value.lines == [": review.verdicts[0].points: 改后的级别由评审在 20-16 分内确定，请给出 points"]
    moved = review({"target": "answers.std[0]", "action": "change", "level": "行业标准", "points": 18})
    assert moved.reviewed.items["std"].points == 18
    fixed = review({"target": "answers.std[0]", "action": "change", "level": "企业"})
    assert fixed.reviewed.items["std"].points == 5
    assert fixed.reviewed_claims.answers["std"][0].points is None  # no stale 25 on a fixed level
    assert fixed.changes[0].detail == "级别 甲级 → 企业；申报分值 25 → —"


# --- role coefficients must cover every role of the table --------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        "  aggregate: sum\n  level_role_points: {大型: {主持: 10, 参与: 3}}\n  role_coefficients: {负责人: 1, 成员: 0.5}\n"
        "  cap: 30\n",
        "  aggregate: sum\n  category_level_role_points: {甲: {A: {主持: 3}}, 乙: {A: {参与: 2}}}\n"
        "  role_coefficients: {主持: 1}\n  cap: 30\n",
        "  aggregate: representative_plus_bonus\n  start: {A: 10, B: 6}\n  level_role_bonus: {A: {主持者: 2}, B: {主持者: 1}}\n"
        "  role_coefficients: {主持: 1, 参与: 0.5}\n  role_on_start: true\n  cap: 20\n",
    ],
)
def test_lint_refuses_role_coefficients_missing_a_role(body: str) -> None:
    with pytest.raises(SheetError) as exc:
        make_sheet(one_item("- id: p\n  label: 项目\n  rule: entries\n" + body))
    assert "role_coefficients: 角色系数缺少本项的角色" in str(exc.value)
