"""The expert's page: only review drafts, a malformed review block checked as the CLI checks it, and what is shown.

Driven through its widgets with AppTest, with the drafts in a temporary SQLite file.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from helpers import CASES_DIR, ROOT
from streamlit.testing.v1 import AppTest

from scorer import ClaimError, SheetLibrary, claims_from_data
from scorer.cases import case_claims, load_case_file
from scorer.drafts import APPLICANT, REVIEW, VIEW, SqliteDraftStore
from scorer.review import parse_review
from scorer.serialize import to_yaml

APP = str(ROOT / "app.py")
MINING = "zhejiang-mining-senior-2021"
SHAOXING = "shaoxing-forestry-engineer-exception-2020"  # a count sheet: 六项满足三项
YONGJIA = "yongjia-construction-junior-2021"  # record gates with number fields (years_professional)


def case0(sheet_id: str) -> dict[str, Any]:
    case_file, parsed = load_case_file(CASES_DIR / f"{sheet_id}.yaml")
    return copy.deepcopy(case_claims(case_file, parsed, 0).data)


def page(**query: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update(query)
    at.run()
    at.switch_page("ui/pages/review.py").run()
    no_exceptions(at)
    return at


def no_exceptions(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


def upload(at: AppTest, data: dict[str, Any], name: str = "张三.yaml") -> AppTest:
    at.file_uploader(key="rv-upload").set_value((name, to_yaml(data).encode(), "application/x-yaml")).run()
    no_exceptions(at)
    return at


def review_id(at: AppTest) -> str:
    value = at.query_params["review"]
    return value[0] if isinstance(value, list) else value


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: str(m.value) for m in at.metric}


def errors(at: AppTest) -> str:
    return "\n".join(e.value for e in at.error)


def all_text(at: AppTest) -> str:
    """Everything the page shows in words: messages, markdown, captions, widget labels and tables."""
    parts: list[str] = []
    for kind in ("markdown", "caption", "error", "warning", "info", "success", "subheader", "title", "code"):
        parts += [str(e.value) for e in at.get(kind)]
    for kind in ("selectbox", "text_input", "number_input", "date_input"):
        parts += [str(w.label) for w in at.get(kind)]
    parts += [str(m.label) + " " + str(m.value) for m in at.metric]
    for frame in at.table:
        parts.append(frame.value.to_string())
    return "\n".join(parts)


# --- item 3: a review never goes into an applicant's draft -------------------------------------
def test_an_applicants_edit_link_is_refused_by_the_review_page(store_path: Path) -> None:
    applicant = SqliteDraftStore(store_path).create(case0(MINING))
    at = page(review=applicant.link)  # the edit link where a review draft's link belongs
    assert "这是申报人本人的填写链接，不是复核链接" in errors(at)
    assert not at.metric  # nothing of the applicant's draft is opened for review
    assert at.text_input(key="rv-link").value == ""  # and not offered for loading either
    at.text_input(key="rv-link").set_value(f"http://localhost:8501/fill?draft={applicant.link}").run()
    at.button(key="rv-load-link").click().run()
    no_exceptions(at)
    assert "这是申报人本人的填写链接，不是复核链接" in errors(at) and not at.metric
    stored = SqliteDraftStore(store_path).load(applicant.id)
    assert stored is not None and "review" not in stored.data and stored.version == 1 and stored.kind == APPLICANT
    assert SqliteDraftStore(store_path).follow(applicant.link).access == "edit"  # type: ignore[union-attr]


def test_a_review_link_opens_a_copy_that_never_writes_into_the_applicants_draft(store_path: Path) -> None:
    store = SqliteDraftStore(store_path)
    applicant = store.create(case0(MINING))
    token = store.reissue(applicant.id, VIEW)
    applicant = store.load(applicant.id)  # type: ignore[assignment]  # as stored (dates as text)
    at = page(link=token)  # the link the applicant sent: …/review?link=…
    no_exceptions(at)
    copy_id = review_id(at)
    assert copy_id not in (applicant.id, token) and "link" not in at.query_params
    at.text_input(key="rv.reviewer").set_value("李专家").run()
    no_exceptions(at)
    review = store.load(copy_id)
    assert review is not None and review.kind == REVIEW and review.via == token
    assert review.data["review"]["reviewer"] == "李专家"
    assert review.data["answers"] == applicant.data["answers"]
    after = store.load(applicant.id)
    assert after is not None and after.data == applicant.data and after.version == 1  # untouched
    # the same link pasted into the box, or put where a review draft's link belongs, is offered and loads too
    again = page(review=token)
    assert "这是申报人的复核链接" in errors(again) and again.text_input(key="rv-link").value == token
    again.button(key="rv-load-link").click().run()
    no_exceptions(again)
    assert review_id(again) not in (copy_id, token) and metrics(again)["复核总分"] == "80"
    # the applicant stops the link: both review copies are deleted, and the link says it was stopped
    assert store.revoke(applicant.id, VIEW) == 2
    assert store.load(copy_id) is None and store.load(review_id(again)) is None
    late = page(link=token)
    no_exceptions(late)
    assert "这个复核链接已被申报人停用或重新生成" in errors(late)
    gone = page(review=copy_id)
    assert "这份草稿已被删除" in errors(gone)


def test_two_windows_on_one_review_draft_never_overwrite(store_path: Path) -> None:
    first = upload(page(), case0(MINING))
    rid = review_id(first)
    one, two = page(review=rid), page(review=rid)
    one.text_input(key="rv.reviewer").set_value("李专家").run()
    two.text_input(key="rv.reviewer").set_value("王专家").run()
    no_exceptions(two)
    assert "已在另一个窗口中修改并保存过" in errors(two)
    assert SqliteDraftStore(store_path).load(rid).data["review"]["reviewer"] == "李专家"  # type: ignore[union-attr]
    two.button(key="review_draft:save-as-new").click().run()
    no_exceptions(two)
    assert review_id(two) != rid
    assert SqliteDraftStore(store_path).load(review_id(two)).data["review"]["reviewer"] == "王专家"  # type: ignore[union-attr]
    assert SqliteDraftStore(store_path).load(review_id(two)).kind == REVIEW  # type: ignore[union-attr]


# --- item 4: a malformed review block ------------------------------------------------------------
BAD_BLOCKS = {
    "date 2021-13-01": ({"reviewer": "李专家", "date": "2021-13-01", "verdicts": []}, "review.date: 应为日期"),
    "verdicts: 5": ({"reviewer": "李专家", "date": "2022-03-01", "verdicts": 5}, "review.verdicts: 应为列表"),
    "no target": ({"reviewer": "李专家", "date": "2022-03-01",
                   "verdicts": [{"action": "reject", "reason": "无证书"}]}, "review.verdicts[0].target: 缺少必填字段"),
    "action: bogus": ({"reviewer": "李专家", "date": "2022-03-01",
                       "verdicts": [{"target": "answers.education", "action": "bogus", "reason": "x"}]},
                      "review.verdicts[0].action"),
    "value: abc": ({"reviewer": "李专家", "date": "2022-03-01",
                    "verdicts": [{"target": "answers.years_in_title", "action": "change", "value": "abc",
                                  "reason": "x"}]}, "review.verdicts[0].value: 任现职年限应填数字，实际为「abc」"),
}


def cli_lines(data: dict[str, Any], library: SheetLibrary, filename: str) -> list[str]:
    sheet, claims = claims_from_data({k: v for k, v in data.items() if k != "review"}, library.sheets)
    with pytest.raises(ClaimError) as info:
        parse_review(data["review"], sheet, claims, filename)
    return info.value.lines


@pytest.mark.parametrize("case", list(BAD_BLOCKS))
def test_a_malformed_review_block_is_reported_and_kept_never_a_crash(case: str, store_path: Path,
                                                                      library: SheetLibrary) -> None:
    block, expected = BAD_BLOCKS[case]
    data = {**case0(MINING), "review": block}
    at = upload(page(), data)
    shown = errors(at)
    assert "载入的复核内容有误，未采用，本页从空白复核开始" in shown
    assert expected in shown
    for line in cli_lines(data, library, "张三.yaml"):  # the CLI's own words (python -m scorer review)
        assert line in shown
    assert "原复核内容（未采用）" in [e.label for e in at.expander]
    assert to_yaml({"review": block}).strip() in [str(c.value).strip() for c in at.code]  # nothing silently lost
    assert at.text_input(key="rv.reviewer").value == ""  # an empty review
    assert metrics(at)["复核总分"] == metrics(at)["申报总分"] == "80"
    rid = review_id(at)
    stored = SqliteDraftStore(store_path).load(rid)
    assert stored is not None and stored.data["review_rejected"] == block
    # a reload opens it again, with the same message and the block still kept
    again = page(review=rid)
    assert expected in errors(again) and metrics(again)["复核总分"] == "80"
    again.text_input(key="rv.reviewer").set_value("李专家").run()
    no_exceptions(again)
    stored = SqliteDraftStore(store_path).load(rid)
    assert stored is not None and stored.data["review"]["reviewer"] == "李专家"
    assert stored.data["review_rejected"] == block
    # once checked, the reviewer may delete the kept block
    again.button(key="rv-drop-rejected").click().run()
    no_exceptions(again)
    assert "review_rejected" not in SqliteDraftStore(store_path).load(rid).data  # type: ignore[union-attr]
    assert "载入的复核内容有误" not in errors(again)


def test_a_malformed_review_in_a_stored_draft_is_reported_on_opening(store_path: Path) -> None:
    bad = {**case0(MINING), "review": {"reviewer": "李专家", "date": "2021-13-01", "verdicts": 5}}
    review = SqliteDraftStore(store_path).create(bad, kind=REVIEW)
    at = page(review=review.id)
    assert f"复核草稿 {review.id}: review.date: 应为日期（YYYY-MM-DD），实际为「2021-13-01」" in errors(at)
    assert f"复核草稿 {review.id}: review.verdicts: 应为列表" in errors(at)
    assert metrics(at)["复核总分"] == "80"
    applicant = SqliteDraftStore(store_path).create(bad)  # and through the applicant's review link
    token = SqliteDraftStore(store_path).reissue(applicant.id, VIEW)
    at = page()
    at.text_input(key="rv-link").set_value(token).run()
    at.button(key="rv-load-link").click().run()
    no_exceptions(at)
    assert f"{bad['applicant']['name']}的复核链接: review.date: 应为日期" in errors(at)
    # a block that is not even a mapping (an upload refuses it; a stored draft may still hold one)
    odd = SqliteDraftStore(store_path).create({**case0(MINING), "review": "随便写的"}, kind=REVIEW)
    at = page(review=odd.id)
    assert f"复核草稿 {odd.id}: review: 应为键值对（字段: 值）" in errors(at)
    assert "随便写的" in "\n".join(str(c.value) for c in at.code)


# --- item 5: what the page shows ----------------------------------------------------------------
def test_a_count_sheet_shows_conditions_met_not_points(store_path: Path) -> None:
    at = upload(page(), case0(SHAOXING))
    shown = metrics(at)
    assert shown["申报满足条件"] == "3 / 需 3 项" and shown["复核满足条件"] == "3 / 需 3 项"
    assert "申报总分" not in shown
    text = all_text(at)
    assert "申报：是，满足" in text and "申报：否，未满足" in text
    assert " 分]" not in text and "1 分" not in text
    table = next(d.value for d in at.table if "变化" in d.value.columns)
    column = list(table["申报"])
    assert column[0] == column[-1] == "满足 3 项"
    assert set(table["申报"][1:-1]) == {"满足", "未满足"}
    # rejecting a condition: 满足 2 项, 未达到
    at.selectbox(key="rv.lead_role.action").set_value("驳回")
    at.text_input(key="rv.lead_role.reason").set_value("无任职文件").run()
    no_exceptions(at)
    assert metrics(at)["复核满足条件"] == "2 / 需 3 项" and metrics(at)["复核结论"] == "未达到"
    table = next(d.value for d in at.table if "变化" in d.value.columns)
    assert list(table["变化"])[-1] == "少 1 项" and "改为未满足" in list(table["变化"])
    # the count sheet offers no points to review: accept or reject for answers that follow documents
    assert at.selectbox(key="rv.long_service.action").options == ["接受", "驳回"]
    assert all("分值" not in c for d in at.table for c in d.value.columns)


@pytest.mark.parametrize(("sheet_id", "shown", "hidden"), [
    (SHAOXING, ["担任助理工程师职务年限 5年", "具备规定学历 否", "伪造、编造证件或提交虚假申报材料", "不否决"],
     ["years_as_assistant", "has_required_education", "false_material"]),
    (YONGJIA, ["学历 中专；从事专业技术工作年限 6年", "③中专学历从事专业技术工作5年以上", "符合"],
     ["years_professional", "eligibility_path", "education"]),
    (MINING, ["取得工程师资格后从事本专业技术工作年限", "8年", "12个月", "总学时 96学时"],
     ["years_as_engineer", "ce_hours_2021", "social_insurance"]),
])
def test_gates_and_vetoes_are_shown_with_labels_and_units(sheet_id: str, shown: list[str], hidden: list[str],
                                                          store_path: Path) -> None:
    at = upload(page(), case0(sheet_id))
    assert "申报条件与否决项" in [s.value for s in at.subheader]
    gates = next(d.value for d in at.table if "申报条件" in d.value.columns)
    assert set(gates["状态"]) <= {"符合", "不符合", "未填写"}
    text = all_text(at)
    for words in shown:
        assert words in text, words
    for name in hidden:
        assert name not in text, name


def test_a_changed_number_shows_its_unit_and_problems_name_the_item(store_path: Path) -> None:
    at = upload(page(), case0(MINING))
    at.selectbox(key="rv.years_in_title.action").set_value("修改").run()
    no_exceptions(at)
    assert "单位：年" in [c.value for c in at.caption]
    warning = "\n".join(w.value for w in at.warning)  # 修改 without a reason
    assert "「任现职年限」理由：修改或驳回必须写明理由" in warning
    assert "review." not in warning and "verdicts" not in warning


# --- exact numbers, no change that changes nothing, nothing lost while a verdict is unfinished ----
def test_discretion_is_typed_exactly_and_changes_only_the_ceiling(store_path: Path) -> None:
    at = upload(page(), case0(MINING))
    at.selectbox(key="rv.years_in_title.action").set_value("修改").run()
    assert at.text_input(key="rv.years_in_title.value").value == "10"  # the claimed answer, left as it is
    at.text_input(key="rv.years_in_title.points").set_value("3.999999999999999999").run()
    at.text_input(key="rv.years_in_title.reason").set_value("业绩材料不足").run()
    no_exceptions(at)
    assert not at.get("number_input")  # no float widget anywhere on the page
    text = all_text(at)
    assert "专家酌定不超过 3.999999999999999999 分" in text
    assert "10 年 → 10 年" not in text and "10 → 10" not in text
    stored = SqliteDraftStore(store_path).load(review_id(at)).data  # type: ignore[union-attr]
    (verdict,) = stored["review"]["verdicts"]
    assert verdict["points"] == "3.999999999999999999" and "value" not in verdict


def test_an_unfinished_verdict_keeps_the_comparison_and_survives_a_reload(store_path: Path) -> None:
    at = upload(page(), case0(MINING))
    at.selectbox(key="rv.research_projects.0.action").set_value("修改").run()
    at.text_input(key="rv.research_projects.0.rank").set_value("3").run()
    at.text_input(key="rv.research_projects.0.reason").set_value("立项书排名第3").run()
    at.selectbox(key="rv.education.action").set_value("驳回").run()  # no reason yet: unfinished
    no_exceptions(at)
    assert "以下复核意见尚未完成" in "\n".join(w.value for w in at.warning)
    # by hand: 科研 省部级 第3名 8 x 0.7 = 5.6 + 县级 第2名 3 x 0.8 = 2.4 -> 8 (was 10.4, capped 10);
    # 工作业绩 36.2 + 8 = 44.2 under its cap of 45 (was 45): 80 - 0.8 = 79.2; the unfinished 驳回 is not counted
    assert metrics(at)["复核总分"] == "79.2"
    again = page(review=review_id(at))
    assert again.selectbox(key="rv.education.action").value == "驳回"
    assert again.text_input(key="rv.research_projects.0.rank").value == "3"
    assert metrics(again)["复核总分"] == "79.2"
    again.text_input(key="rv.education.reason").set_value("学历证书为大专").run()
    no_exceptions(again)
    assert not any("尚未完成" in w.value for w in again.warning)
    stored = SqliteDraftStore(store_path).load(review_id(again)).data  # type: ignore[union-attr]
    assert "review_unfinished" not in stored and len(stored["review"]["verdicts"]) == 2


def test_a_reopened_review_link_offers_the_review_made_before(store_path: Path) -> None:
    store = SqliteDraftStore(store_path)
    applicant = store.create(case0(MINING))
    token = store.reissue(applicant.id, VIEW)
    first = page(link=token)
    first.text_input(key="rv.reviewer").set_value("李专家").run()
    made = review_id(first)
    again = page(link=token)  # the expert opens the emailed link again, in a new session
    no_exceptions(again)
    assert any("通过这个复核链接已建立过 1 份复核草稿" in m.value for m in again.markdown)
    assert store.reviews_via(token) == [(made, store.load(made).updated)]  # type: ignore[union-attr]  # no copy yet
    again.button(key="rv-continue").click().run()
    no_exceptions(again)
    assert review_id(again) == made and again.text_input(key="rv.reviewer").value == "李专家"
    fresh = page(link=token)
    fresh.button(key="rv-new").click().run()
    no_exceptions(fresh)
    assert review_id(fresh) != made and len(store.reviews_via(token)) == 2


def test_a_review_message_speaks_the_pages_words(store_path: Path) -> None:
    """A change left as claimed says what to give in the page's words (答案, 酌定分), never the review file's
    keys (value, points); a value that is no number names the box as 改为的数值."""
    at = upload(page(), case0(MINING))
    at.selectbox(key="rv.years_in_title.action").set_value("修改").run()
    at.text_input(key="rv.years_in_title.reason").set_value("材料不足").run()
    warning = "\n".join(w.value for w in at.warning)
    assert "修改须给出新的答案或专家酌定分" in warning
    assert "value" not in warning and "points" not in warning
    at.text_input(key="rv.years_in_title.value").set_value("abc").run()
    no_exceptions(at)
    assert "改为的数值应填数字，实际为「abc」" in all_text(at)


def test_a_refused_claim_file_names_each_problem_by_its_line_and_item(store_path: Path) -> None:
    """A claim file with a date no calendar has is refused (an expert reviews a whole file): each problem is
    named by its line, the item's name and the row, never the file's path of keys."""
    data = case0(MINING)
    data["answers"]["mine_projects"][1]["date"] = "2019-13-45"
    text = errors(upload(page(), data))
    assert "未载入" in text
    assert "主持或参与的矿山工程项目 · 第2条：「2019-13-45」不是存在的日期，请核对年月日" in text
    line = next(n for n, row in enumerate(to_yaml(data).splitlines(), start=1) if "2019-13-45" in row)
    assert f"第 {line} 行：" in text
    assert "answers." not in text and "mine_projects" not in text


def test_a_review_link_to_a_draft_with_a_refused_row_says_what_to_put_right(store_path: Path) -> None:
    """The applicant sent the link before putting right a date no calendar has: the expert reads which row of
    which item, in the page's words, and that the applicant must correct it; no path of keys."""
    store = SqliteDraftStore(store_path)
    data = case0(MINING)
    data["answers"]["mine_projects"][1]["date"] = "2019-13-45"
    applicant = store.create(data)
    text = errors(page(link=store.reissue(applicant.id, VIEW)))
    assert "申报内容有误，无法复核；请申报人在“逐项填写”中改正后再发复核链接" in text
    assert "主持或参与的矿山工程项目 · 第2条：「2019-13-45」不是存在的日期，请核对年月日" in text
    assert "answers." not in text and "<申报数据>" not in text
