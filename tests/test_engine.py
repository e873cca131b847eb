"""Each rule shape on a tiny sheet, with the number a person computes from the rule."""

from __future__ import annotations

from decimal import Decimal

import pytest
from helpers import make_sheet, one_item, run

D = Decimal


def test_choice() -> None:
    sheet = make_sheet(one_item("- id: edu\n  label: 学历\n  rule: choice\n  options: {本科: 5, 大专: 3}\n"))
    assert run(sheet, {"edu": "本科"}).total == 5
    assert run(sheet, {"edu": "大专"}).items["edu"].explanation == ["「大专」→ 3 分"]
    assert run(sheet, {}).items["edu"].points == 0


@pytest.mark.parametrize(("years", "points"), [(12, 5), (10, 5), (9.5, 4), (8, 4), (7, 3), (5, 3), (4.99, 1), (0, 1)])
def test_tiers_bands_are_inclusive_at_the_bottom(years: float, points: int) -> None:
    sheet = make_sheet(
        one_item(
            "- id: y\n  label: 年限\n  rule: tiers\n  input: {label: 年限, unit: 年}\n"
            "  tiers: [{min: 10, points: 5}, {min: 8, points: 4}, {min: 5, points: 3}]\n  otherwise: 1\n"
        )
    )
    assert run(sheet, {"y": str(years)}).items["y"].points == points


def test_linear_whole_units_and_cap() -> None:
    sheet = make_sheet(
        one_item(
            "- id: ce\n  label: 学时\n  rule: linear\n  input: {label: 学时, unit: 学时}\n"
            "  unit: 10\n  points_per_unit: 1\n  whole_units: true\n  cap: 10\n"
        )
    )
    assert run(sheet, {"ce": 39}).items["ce"].points == 3
    assert run(sheet, {"ce": 40}).items["ce"].points == 4
    capped = run(sheet, {"ce": 250}).items["ce"]
    assert (capped.raw, capped.points, capped.cap_bit) == (25, 10, True)


def test_linear_offset_floor_and_exact_quarters() -> None:
    sheet = make_sheet(
        one_item(
            "- id: exam\n  label: 考试\n  rule: linear\n  input: {label: 成绩, unit: 分}\n"
            "  offset: 60\n  points_per_unit: 0.25\n  floor: 0\n  cap: 10\n"
        )
    )
    assert run(sheet, {"exam": "87.5"}).items["exam"].points == D("6.875")
    assert run(sheet, {"exam": 59}).items["exam"].points == 0
    assert run(sheet, {"exam": 100}).items["exam"].points == 10
    assert run(sheet, {"exam": "60.04"}).items["exam"].points == D("0.01")


def test_linear_deduction_is_bounded_by_its_floor() -> None:
    sheet = make_sheet(
        one_item(
            "- id: late\n  label: 迟报扣分\n  rule: linear\n  input: {label: 次数, unit: 次, integer: true}\n"
            "  points_per_unit: -2\n  floor: -5\n"
            "- id: base\n  label: 基础\n  rule: flag\n  points: 20\n"
        )
    )
    assert run(sheet, {"late": 1, "base": True}).total == 18
    assert run(sheet, {"late": 9, "base": True}).total == 15


def test_flag_points() -> None:
    sheet = make_sheet(one_item("- id: f\n  label: 条件\n  rule: flag\n  points: 4\n"))
    assert run(sheet, {"f": True}).total == 4
    assert run(sheet, {"f": False}).total == 0


ENTRY_SUM = """\
- id: papers
  label: 论文
  rule: entries
  aggregate: sum
  level_points: {核心: 5, 一般: 3}
  rank_coefficients: [1.0, 0.6, 0.3]
  cap: 10
"""


def _paper(level: str, rank: int, date: str = "2020-01-01") -> dict[str, object]:
    return {"level": level, "rank": rank, "date": date, "title": f"{level}{rank}"}


def test_entries_sum_with_rank_coefficients_and_last_repeating() -> None:
    sheet = make_sheet(one_item(ENTRY_SUM))
    result = run(sheet, {"papers": [_paper("核心", 1), _paper("一般", 2), _paper("核心", 7)]})
    item = result.items["papers"]
    assert [e.points for e in item.entries] == [D("5"), D("1.8"), D("1.5")]  # 5x1.0, 3x0.6, 5x0.3 (rank 7 -> last)
    assert item.points == D("8.3")
    assert item.entries[1].explanation == "一般 3 × 第2名系数 0.6 = 1.8 分"


def test_entries_sum_cap_bites_and_is_reported() -> None:
    sheet = make_sheet(one_item(ENTRY_SUM))
    result = run(sheet, {"papers": [_paper("核心", 1)] * 3})
    assert (result.items["papers"].raw, result.items["papers"].points) == (15, 10)
    assert result.caps == ["论文：合计 15 分，封顶 10 分"]


def test_entries_max_counts_only_the_best() -> None:
    sheet = make_sheet(
        one_item("- id: h\n  label: 荣誉\n  rule: entries\n  aggregate: max\n  level_points: {市级: 5, 县级: 3}\n  cap: 5\n")
    )
    result = run(sheet, {"h": [{"level": "县级", "date": "2020-01-01"}, {"level": "市级", "date": "2020-01-01"}]})
    item = result.items["h"]
    assert item.points == 5
    assert [e.counted for e in item.entries] == [False, True]


def test_entries_level_role_table() -> None:
    sheet = make_sheet(
        one_item(
            "- id: p\n  label: 项目\n  rule: entries\n  aggregate: sum\n  cap: 30\n"
            "  level_role_points:\n    大型: {主持: 10, 参与: 3}\n    小型: {主持: 5, 参与: 1}\n"
        )
    )
    entries = [{"level": "大型", "role": "参与", "date": "2020-01-01"}, {"level": "小型", "role": "主持", "date": "2020-01-01"}]
    assert run(sheet, {"p": entries}).total == 8


def test_entries_role_only_and_flat_points() -> None:
    sheet = make_sheet(
        one_item(
            "- id: r\n  label: 技术文件\n  rule: entries\n  aggregate: sum\n  role_points: {主编: 3, 参编: 1}\n  cap: 10\n"
            "- id: c\n  label: 岗位证书\n  rule: entries\n  aggregate: sum\n  entry_points: 2\n  cap: 6\n"
        )
    )
    result = run(
        sheet,
        {
            "r": [{"role": "主编", "date": "2020-01-01"}, {"role": "参编", "date": "2020-01-01"}],
            "c": [{"title": "施工员", "date": "2020-01-01"}] * 4,
        },
    )
    assert (result.items["r"].points, result.items["c"].points) == (4, 6)


REP = """\
- id: proj
  label: 项目
  rule: entries
  aggregate: representative_plus_bonus
  start: {大型: 30, 中型: 24, 小型: 18}
  bonus: {大型: 4, 中型: 3, 小型: 2}
  role_coefficients: {主持: 1.0, 技术负责: 0.8, 参与: 0.5}
  cap: 40
"""


def _proj(level: str, role: str) -> dict[str, str]:
    return {"level": level, "role": role, "date": "2020-01-01", "title": f"{level}{role}"}


def test_representative_plus_bonus() -> None:
    sheet = make_sheet(one_item(REP), "threshold: {kind: total, min: 10}")
    # the representative's start is not multiplied by its role: a 大型 参与 still starts at 30
    result = run(sheet, {"proj": [_proj("中型", "主持"), _proj("大型", "参与"), _proj("小型", "技术负责")]})
    assert result.items["proj"].points == 30 + 3 + D("1.6")
    assert result.items["proj"].entries[1].explanation == "代表业绩（大型，按级别最高选取）起评 30 分"


def test_representative_among_equals_is_the_best_role() -> None:
    sheet = make_sheet(one_item(REP))
    result = run(sheet, {"proj": [_proj("大型", "参与"), _proj("大型", "主持")]})
    assert result.items["proj"].points == 30 + 2  # 主持 represents; 参与 adds 4 x 0.5


def test_representative_total_stops_at_next_level_start() -> None:
    sheet = make_sheet(one_item(REP))
    result = run(sheet, {"proj": [_proj("小型", "主持")] * 5})  # 18 + 4 x 2 = 26 -> 24
    assert result.items["proj"].points == 24
    assert "本项最高 24 分" in result.caps[0]
    top = run(sheet, {"proj": [_proj("大型", "主持")] * 4})  # 30 + 12 = 42 -> item cap 40
    assert top.items["proj"].points == 40


def test_entry_flag_must_have_its_counting_value() -> None:
    sheet = make_sheet(
        one_item(
            "- id: b\n  label: 爆破项目\n  rule: entries\n  aggregate: sum\n  level_points: {A级: 4}\n  cap: 8\n"
            "  entry_flags:\n    filed: {label: 已备案, counts_when: true}\n"
        )
    )
    entries = [
        {"level": "A级", "filed": True, "date": "2020-01-01"},
        {"level": "A级", "filed": False, "date": "2020-01-01"},
        {"level": "A级", "date": "2020-01-01"},
    ]
    result = run(sheet, {"b": entries})
    assert result.items["b"].points == 4
    assert len(result.warnings) == 2
    assert "未注明「已备案」" in result.warnings[1]


def test_count_aggregate_and_count_threshold() -> None:
    sheet = make_sheet(
        one_item(
            "- id: papers\n  label: 论文\n  rule: entries\n  aggregate: count\n  min_count: 2\n"
            "  level_points: {省级: 1}\n"
            "- id: lead\n  label: 负责人\n  rule: flag\n"
        ),
        "threshold: {kind: count, min: 2}",
    )
    one = run(sheet, {"papers": [{"level": "省级", "date": "2020-01-01"}], "lead": True})
    assert (one.total, one.verdict, one.margin) == (1, "未达到", -1)
    two = run(sheet, {"papers": [{"level": "省级", "date": "2020-01-01"}] * 2, "lead": True})
    assert (two.total, two.verdict, two.margin) == (2, "达到", 0)


def test_record_item_paths() -> None:
    sheet = make_sheet(
        one_item(
            "- id: svc\n  label: 长期从业\n  rule: record\n  fields:\n"
            "    edu: {label: 学历, type: choice, options: [中专, 其他]}\n"
            "    years: {label: 年限, type: number}\n"
            "  paths:\n"
            "    - {label: 中专15年, when: {edu: {in: [中专]}, years: {min: 15}}}\n"
            "    - {label: 其他20年, when: {edu: {in: [其他]}, years: {min: 20}}}\n"
        ),
        "threshold: {kind: count, min: 1}",
    )
    assert run(sheet, {"svc": {"edu": "中专", "years": 15}}).total == 1
    assert run(sheet, {"svc": {"edu": "其他", "years": 19}}).total == 0
    assert "尚无法判断" in run(sheet, {"svc": {"edu": "其他"}}).items["svc"].explanation[0]


def test_window_relative_to_claim_field() -> None:
    sheet = make_sheet(one_item(ENTRY_SUM) + "window: {label: 任现职以来, from_claim: current_title_date, until: 2021-12-31}\n")
    papers = [_paper("核心", 1, "2015-06-30"), _paper("核心", 1, "2015-07-01"), _paper("核心", 1, "2022-01-01")]
    papers.append({"level": "一般", "rank": 1, "title": "无日期"})
    result = run(sheet, {"papers": papers}, applicant={"current_title_date": "2015-07-01"})
    assert result.items["papers"].points == 5  # only the entry on the start date counts
    assert len(result.warnings) == 3
    assert "早于现职称取得日期 2015-07-01" in result.warnings[0]
    assert "晚于截止日 2021-12-31" in result.warnings[1]
    assert "未填写日期" in result.warnings[2]


def test_window_start_unknown_is_pending_not_silently_open() -> None:
    sheet = make_sheet(one_item(ENTRY_SUM) + "window: {label: 任现职以来, from_claim: current_title_date}\n")
    result = run(sheet, {"papers": [_paper("核心", 1)]})
    assert result.verdict == "待确认"
    assert result.pending[0] == "未填写现职称取得日期，无法核对业绩是否为任现职以来取得"


def test_window_fixed_dates() -> None:
    sheet = make_sheet(one_item(ENTRY_SUM) + "window: {label: 近三年, from: 2019-01-01, until: 2021-12-31}\n")
    result = run(sheet, {"papers": [_paper("核心", 1, "2018-12-31"), _paper("一般", 1, "2019-01-01")]})
    assert result.items["papers"].points == 3


def test_item_can_opt_out_of_the_window() -> None:
    body = ENTRY_SUM + "  windowed: false\n"
    sheet = make_sheet(one_item(body) + "window: {label: 近三年, from: 2019-01-01}\n")
    assert run(sheet, {"papers": [_paper("核心", 1, "2001-01-01")]}).total == 5


def test_exclusive_group_keeps_the_best_member() -> None:
    sheet = make_sheet(
        one_item(
            "- id: a\n  label: 一线\n  rule: choice\n  options: {长: 4, 短: 1}\n"
            "- id: b\n  label: 基层\n  rule: choice\n  options: {乡镇: 3}\n"
        )
        + "exclusive_groups:\n  - {id: g, label: 两项取高, items: [a, b]}\n"
    )
    result = run(sheet, {"a": "短", "b": "乡镇"})
    assert (result.items["a"].points, result.items["b"].points, result.total) == (0, 3, 3)
    assert result.items["a"].excluded_by == "两项取高"


def test_section_cap_after_item_caps() -> None:
    body = "sections:\n  - id: s\n    title: 部分\n    cap: 6\n    items:\n"
    body += "      - {id: a, label: 甲, rule: flag, points: 4}\n      - {id: b, label: 乙, rule: flag, points: 4}\n"
    sheet = make_sheet(body)
    result = run(sheet, {"a": True, "b": True})
    assert (result.sections[0].raw, result.sections[0].subtotal, result.total) == (8, 6, 6)
    assert result.caps == ["部分：小计 8 分，本部分封顶 6 分"]


GATED = """\
gates:
  - {id: review, question: 考核合格, type: flag}
  - {id: months, question: 社保月数, type: number, min: 3, unit: 个月}
  - id: ce
    question: 学时
    type: record
    fields:
      total: {label: 总学时, type: number, min: 90}
      public: {label: 公需, type: number, min: 18}
vetoes:
  - {id: fake, question: 虚假材料}
""" + one_item("- {id: a, label: 甲, rule: flag, points: 10}\n")

ALL_MET = {"review": True, "months": 3, "ce": {"total": 90, "public": 18}}


def test_verdict_pass_at_exact_threshold() -> None:
    sheet = make_sheet(GATED)
    result = run(sheet, {"a": True}, gates=ALL_MET, vetoes={"fake": False})
    assert (result.verdict, result.margin) == ("达到", 0)


def test_unmet_gate_blocks_but_shows_score() -> None:
    sheet = make_sheet(GATED)
    result = run(sheet, {"a": True}, gates={**ALL_MET, "ce": {"total": 90, "public": 17}}, vetoes={"fake": False})
    assert (result.verdict, result.total) == ("不符合申报条件", 10)
    assert result.failed_gates[0].detail == "公需 17，要求 ≥ 18"


def test_unanswered_gate_is_pending_never_met() -> None:
    sheet = make_sheet(GATED)
    result = run(sheet, {"a": True}, gates={"review": True, "ce": {"total": 90}}, vetoes={"fake": False})
    assert result.verdict == "待确认"
    assert {g.id: g.status for g in result.gates} == {"review": "met", "months": "unanswered", "ce": "unanswered"}


def test_veto_beats_everything() -> None:
    sheet = make_sheet(GATED)
    result = run(sheet, {"a": True}, gates={"review": False}, vetoes={"fake": True})
    assert result.verdict == "否决"


def test_rank_sheet_has_no_line() -> None:
    sheet = make_sheet(one_item("- {id: a, label: 甲, rule: flag, points: 10}\n"), "threshold: {kind: rank}")
    result = run(sheet, {"a": True})
    assert (result.verdict, result.threshold, result.margin, result.reaches) == ("按总分排名", None, None, None)


def test_decimal_totals_never_round_across_the_line() -> None:
    sheet = make_sheet(
        one_item(
            "- id: a\n  label: 甲\n  rule: linear\n  input: {label: 数}\n  points_per_unit: 0.1\n  cap: 100\n"
        ),
        "threshold: {kind: total, min: 80}",
    )
    assert run(sheet, {"a": "799.9999"}).verdict == "未达到"
    assert run(sheet, {"a": "799.9999"}).total == D("79.99999")
    assert run(sheet, {"a": 800}).verdict == "达到"


def test_result_json_has_decimal_strings(library) -> None:  # type: ignore[no-untyped-def]
    sheet = library.sheets["yongjia-construction-junior-2021"]
    data = run(sheet, {"exam_score": "87.5"}).to_data()
    assert data["total"] == "6.875"
    assert {s["id"]: s["subtotal"] for s in data["sections"]} == {"education_seniority": "0", "performance": "0", "exam": "6.875"}
