"""Generated applicants for batch checks: one clean claim per sheet, and variants with one planted problem.

Every clean claim is well clear of its line (or ranked / counted), fully dated
inside its window, evidenced, consistent, and its titles carry the applicant's
name so no two applicants share an achievement by accident.
"""

from __future__ import annotations

import copy
from typing import Any

GATES_SENIOR = {
    "annual_review": True,
    "ce_hours_2021": {"total": 96, "public": 20, "professional": 70},
    "social_insurance": 12,
    "not_civil_servant": True,
    "years_as_engineer": 8,
}


def _e(
    level: str | None = None,
    role: str | None = None,
    rank: int | None = None,
    date: str = "2019-06-01",
    title: str = "",
    **flags: Any,
) -> dict[str, Any]:
    entry: dict[str, Any] = {"date": date, "title": title, "evidence": [f"{title}.pdf"], **flags}
    if level is not None:
        entry["level"] = level
    if role is not None:
        entry["role"] = role
    if rank is not None:
        entry["rank"] = rank
    return entry


def clean(sheet_id: str, name: str) -> dict[str, Any]:
    """A claim that raises no flag (totals: mining 93.6, blasting 96, wenzhou 76, cixi 155, yongjia 69, shaoxing 5)."""
    t = f"（{name}）"
    base: dict[str, Any] = {"sheet": sheet_id, "applicant": {"name": name, "unit": f"{name}的单位"}}
    if sheet_id in ("zhejiang-mining-senior-2021", "zhejiang-blasting-senior-2021"):
        mining = sheet_id.startswith("zhejiang-mining")
        base["applicant"]["current_title_date"] = "2014-07-01"
        base["gates"] = {**GATES_SENIOR, **({} if mining else {"blasting_licence": True})}
        base["vetoes"] = {"false_material": False, "accident_liability": False}
        achievements = {
            "awards": [_e("省部级一等奖", rank=1, title=f"科技奖{t}")],
            "papers": [_e("核心期刊", rank=1, title=f"论文甲{t}"), _e("SCI/EI", rank=2, title=f"论文乙{t}")],
            "patents_standards": [_e("发明专利", rank=1, title=f"发明{t}")],
            "influence": [_e("省级", title=f"专家库{t}")],
            "research_projects": [_e("省部级", rank=1, title=f"科研{t}")],
        }
        if mining:
            base["answers"] = {
                "education": "本科",
                "years_in_title": 7,
                "frontline_years": 15,
                "extra_ce_hours": 90,
                "qualification": "注册类（注册安全工程师、注册采矿/矿业工程师）",
                "mine_projects": [
                    _e("大型", "主持", title=f"大型矿山{t}"),
                    _e("中型", "主持", title=f"中型矿山{t}"),
                    _e("小型", "技术负责", title=f"小型矿山{t}"),
                ],
                **achievements,
            }
        else:
            base["answers"] = {
                "education": "本科",
                "years_in_title": 7,
                "licence_grade": "高级/A",
                "extra_ce_hours": 90,
                "qualification": "注册类",
                "blasting_projects": [
                    _e("A级", "主持", title=f"A级爆破{t}", filed=True),
                    _e("B级", "主持", title=f"B级爆破{t}", filed=True),
                    _e("C级", "参与", title=f"C级爆破{t}", filed=True),
                ],
                "safety_reviews": [_e("A级", title=f"安全评估{t}"), _e("B级", title=f"安全监理{t}")],
                **achievements,
            }
    elif sheet_id == "wenzhou-mining-exception-2021":
        base["level"] = "工程师"
        base["gates"] = {
            "expert_recommendation": True,
            "annual_review": True,
            "social_insurance": 6,
            "ce_hours_2021": {"total": 92, "public": 20, "professional": 72},
            "not_civil_servant": True,
        }
        base["answers"] = {
            "education": "本科及以上",
            "years_in_specialty": 16,
            "mine_projects": [
                _e("大型", "主持", title=f"大型项目{t}"),
                _e("中型", "主持", title=f"中型项目{t}"),
                _e("小型", "技术骨干", title=f"小型项目{t}"),
            ],
            "technical_reports": [_e(role="主编", title=f"开发利用方案{t}")],
            "awards": [_e("省部级", rank=1, title=f"省奖{t}")],
            "papers": [_e("核心期刊", rank=1, title=f"论文{t}")],
            "patents": [_e("发明专利", title=f"发明{t}")],
            "standards": [_e("企业", title=f"企业标准{t}")],
            "certificates": [_e("注册执业资格", title=f"注册证{t}")],
            "honours": [_e("市级及以上", title=f"荣誉{t}")],
        }
    elif sheet_id == "cixi-engineering-junior-2021":
        base["gates"] = {
            "social_insurance": 24,
            "annual_review": True,
            "public_ce_hours": {"2019": 20, "2020": 18, "2021": 24},
            "not_civil_servant": True,
            "below_retirement_age": True,
        }
        base["answers"] = {
            "education": "本科及以上",
            "years_in_specialty": 12,
            "skill_level": "相关专业技术人员职业资格",
            "professional_ce_hours": 60,
            "projects": [
                _e("县级以上重点项目", "技术骨干", title=f"重点项目{t}"),
                _e("一般项目", "技术骨干", title=f"一般项目{t}"),
            ],
            "tech_results": [_e("发明专利", title=f"发明{t}")],
            "awards_honours": [_e("县级以上科技进步奖", title=f"科技进步奖{t}")],
            "review_excellent": 1,
        }
    elif sheet_id == "yongjia-construction-junior-2021":
        base["gates"] = {
            "eligibility_path": {
                "education": "大专",
                "years_professional": 12,
                "years_in_specialty": 12,
                "technician_years": 0,
                "years_after_senior_worker": 0,
            },
            "specialty_in_catalogue": {"specialty": "建筑施工", "employer_type": "企业"},
            "public_ce_exam": True,
            "annual_review": True,
            "social_insurance": {"same_unit": True, "transferred_in": False},
        }
        base["answers"] = {
            "education": "大专",
            "years_in_specialty": 12,
            "skill_or_title": "高级工",
            "projects": [_e("大型", "项目或技术负责人", title=f"大型工程{t}"), _e("中型", "参与", title=f"中型工程{t}")],
            "post_certificates": [_e(title=f"施工员证{t}")],
            "awards": [_e("市级", title=f"市优质工程{t}")],
            "exam_score": 80,
        }
    else:
        base["gates"] = {
            "exception_seniority": {"has_required_education": False, "years_as_assistant": 5},
            "public_ce_hours": {"2017": 18, "2018": 20, "2019": 24, "2020": 18},
            "social_insurance": {"months": 36, "currently_insured": True},
            "not_civil_servant": True,
        }
        base["vetoes"] = {"false_material": False, "disciplinary": False}
        base["answers"] = {
            "papers": [_e("省级专业刊物", title=f"论文甲{t}"), _e("省部级专业学术会议", title=f"论文乙{t}")],
            "awards": [_e("省优良工程", "主要技术负责人", title=f"生态工程{t}")],
            "lead_role": True,
            "innovation": True,
            "long_service": {"education": "中专", "years_professional": 16},
        }
    return base


SHEETS = [
    "zhejiang-mining-senior-2021",
    "zhejiang-blasting-senior-2021",
    "wenzhou-mining-exception-2021",
    "cixi-engineering-junior-2021",
    "yongjia-construction-junior-2021",
    "shaoxing-forestry-engineer-exception-2020",
]
MAIN_ITEM = {
    "zhejiang-mining-senior-2021": "mine_projects",
    "zhejiang-blasting-senior-2021": "blasting_projects",
    "wenzhou-mining-exception-2021": "mine_projects",
    "cixi-engineering-junior-2021": "projects",
    "yongjia-construction-junior-2021": "projects",
    "shaoxing-forestry-engineer-exception-2020": "awards",
}
LEAD = {
    "zhejiang-mining-senior-2021": "主持",
    "zhejiang-blasting-senior-2021": "主持",
    "wenzhou-mining-exception-2021": "主持",
    "yongjia-construction-junior-2021": "项目或技术负责人",
    "shaoxing-forestry-engineer-exception-2020": "主要技术负责人",
}
PADDING = {  # item id -> entries that add up to exactly its cap
    "zhejiang-mining-senior-2021": ("papers", [("一般公开刊物", None, 1)] * 5),
    "zhejiang-blasting-senior-2021": ("papers", [("一般公开刊物", None, 1)] * 5),
    "wenzhou-mining-exception-2021": ("technical_reports", [(None, "主编", None)] * 3 + [(None, "参编", None)]),
    "cixi-engineering-junior-2021": (
        "tech_results",
        [("实用新型专利", None, None)] * 3 + [("技术报告或内部交流论文", None, None)] * 2,
    ),
    "yongjia-construction-junior-2021": (
        "projects",
        [("中型", "项目或技术负责人", None)] * 3 + [("小型", "项目或技术负责人", None), ("小型", "参与", None)],
    ),
}
JUST_OVER_DROP = {  # answers to drop so the total lands 0..5 above the line
    "zhejiang-mining-senior-2021": (["patents_standards", "influence"], {"papers": 1}),
    "zhejiang-blasting-senior-2021": (["patents_standards", "influence"], {"papers": 1}),
    "wenzhou-mining-exception-2021": (["papers", "patents", "standards"], {}),
    "cixi-engineering-junior-2021": (["tech_results", "awards_honours"], {}),
}
CONTRADICTION = {
    "zhejiang-mining-senior-2021": lambda d: d["answers"].update(years_in_title=12),
    "zhejiang-blasting-senior-2021": lambda d: d["answers"].update(years_in_title=12),
    "yongjia-construction-junior-2021": lambda d: d["gates"]["eligibility_path"].update(years_in_specialty=15),
    "shaoxing-forestry-engineer-exception-2020": lambda d: d["gates"]["exception_seniority"].update(years_as_assistant=20),
}


def planted(kind: str, sheet_id: str, name: str) -> dict[str, Any] | None:
    """A clean claim with one problem of ``kind`` planted, or None where the sheet cannot have it."""
    data = copy.deepcopy(clean(sheet_id, name))
    main = data["answers"][MAIN_ITEM[sheet_id]]
    if kind == "ignored":
        late = copy.deepcopy(main[0])
        late.update(date="2022-06-01", title=f"截止日后的业绩（{name}）", evidence=["late.pdf"])
        main.append(late)
    elif kind == "no_evidence":
        main[0]["evidence"] = []
    elif kind == "duplicate":
        twin = copy.deepcopy(main[0])
        twin["title"] = " " + twin["title"].replace("（", "(").replace("）", ")") + "。"  # same after normalising
        twin["date"] = "2020-01-01"
        main.append(twin)
    elif kind == "invalid":
        main[0]["role" if "role" in main[0] else "level"] = "不存在的取值"
    elif kind == "padding":
        if sheet_id not in PADDING:
            return None
        item_id, specs = PADDING[sheet_id]
        data["answers"][item_id] = [
            _e(level, role, rank, title=f"凑分{i}（{name}）") for i, (level, role, rank) in enumerate(specs)
        ]
    elif kind == "just_over":
        if sheet_id not in JUST_OVER_DROP:
            return None
        drop, keep_first = JUST_OVER_DROP[sheet_id]
        for item_id in drop:
            del data["answers"][item_id]
        for item_id, n in keep_first.items():
            data["answers"][item_id] = data["answers"][item_id][:n]
    elif kind == "contradiction":
        if sheet_id not in CONTRADICTION:
            return None
        CONTRADICTION[sheet_id](data)
    else:
        raise ValueError(kind)
    return data


def lead_pair(sheet_id: str, first: str, second: str) -> list[dict[str, Any]] | None:
    """Two applicants who both claim to have led the same achievement."""
    if sheet_id not in LEAD:
        return None
    pair = []
    for name in (first, second):
        data = clean(sheet_id, name)
        entry = data["answers"][MAIN_ITEM[sheet_id]][0]
        entry.update(role=LEAD[sheet_id], title="某县重点生态修复工程")
        pair.append(data)
    return pair


KINDS = ["ignored", "no_evidence", "duplicate", "invalid", "padding", "just_over", "contradiction"]


def population() -> list[tuple[str, dict[str, Any]]]:
    """(expected flag code or "" for clean, claim data) for every generated applicant."""
    out: list[tuple[str, dict[str, Any]]] = []
    for s, sheet_id in enumerate(SHEETS):
        out.append(("", clean(sheet_id, f"清白{s}")))
        for k, kind in enumerate(KINDS):
            data = planted(kind, sheet_id, f"问题{s}-{k}")
            if data is not None:
                out.append((kind, data))
        pair = lead_pair(sheet_id, f"负责甲{s}", f"负责乙{s}")
        if pair:
            out += [("lead_conflict", d) for d in pair]
    return out


# --- a planted set of what a careful HR clerk catches ---------------------------------------------------------
# Each planted applicant is a clean claim with one problem that the first flags let through: titles
# that differ only by a generic suffix, quotes or brackets, or a typed character; placeholder
# evidence; raw points far beyond a cap; a value beyond the sheet's own bound; a count sheet met
# exactly. Clean look-alikes have titles that read alike but name different projects.

LONG_TITLES = {  # near-identical pairs: one character added, dropped or typed differently
    "zhejiang-mining-senior-2021": ("温州市某某矿区露天开采边坡治理", "温州市某某矿区露天开采边坡综合治理"),
    "zhejiang-blasting-senior-2021": ("杭州湾新区滨海大道基坑控制爆破", "杭州湾新区滨海大道基坑控制爆破作业"),
    "wenzhou-mining-exception-2021": ("瑞安市某某石料矿开采方案设计", "瑞安市某某石料矿开采方案设汁"),
    "cixi-engineering-junior-2021": ("慈溪市滨海开发区道路排水改造", "慈溪市滨海开发区道路排水管改造"),
    "yongjia-construction-junior-2021": ("永嘉县瓯北镇江滨路提升改造", "永嘉县瓯北镇江滨路提升改建"),
    "shaoxing-forestry-engineer-exception-2020": ("会稽山国家森林公园林相改造", "会稽山国家森林公园林相改造提升"),
}
PADDING_OVER = {  # item id -> entries whose raw points lie far beyond the cap (raw, cap worked by hand)
    "zhejiang-mining-senior-2021": ("papers", [("核心期刊", None, 1)] * 5),  # 5 x 4 = 20 > 10
    "zhejiang-blasting-senior-2021": ("papers", [("核心期刊", None, 1)] * 5),  # 5 x 4 = 20 > 10
    "wenzhou-mining-exception-2021": ("technical_reports", [(None, "主编", None)] * 5),  # 5 x 3 = 15 > 10
    "cixi-engineering-junior-2021": ("tech_results", [("发明专利", None, None)] * 4),  # 4 x 15 = 60 > 30
    "yongjia-construction-junior-2021": ("projects", [("大型", "项目或技术负责人", None)] * 5),  # 5 x 12 = 60 > 30
}
PADDING_OVER_RAW = {"zhejiang-mining-senior-2021": ("20", "10"), "zhejiang-blasting-senior-2021": ("20", "10"),
                    "wenzhou-mining-exception-2021": ("15", "10"), "cixi-engineering-junior-2021": ("60", "30"),
                    "yongjia-construction-junior-2021": ("60", "30")}
IMPOSSIBLE = {  # a value beyond a bound the sheet itself states (the input's max)
    "cixi-engineering-junior-2021": lambda d: d["answers"].update(review_excellent=4),  # 近三年至多 3 次
    "yongjia-construction-junior-2021": lambda d: d["answers"].update(exam_score=101),  # 满分 100
    "zhejiang-mining-senior-2021": lambda d: d["answers"].update(extra_ce_hours=1200),  # 上限 1000 学时
    "zhejiang-blasting-senior-2021": lambda d: d["gates"].update(years_as_engineer=61),  # 上限 60 年
    "wenzhou-mining-exception-2021": lambda d: d["gates"].update(social_insurance=601),  # 上限 600 个月
    "shaoxing-forestry-engineer-exception-2020": lambda d: d["gates"]["social_insurance"].update(months=601),
}
PLACE = {"zhejiang-mining-senior-2021": "湖州", "zhejiang-blasting-senior-2021": "衢州",
         "wenzhou-mining-exception-2021": "温州", "cixi-engineering-junior-2021": "慈溪",
         "yongjia-construction-junior-2021": "永嘉", "shaoxing-forestry-engineer-exception-2020": "绍兴"}
PLACEHOLDERS = [["待补"], ["见附件"], ["无"], ["暂无"], ["  待 补 "], ["见附件", "待补充"]]


def _retitle(entry: dict[str, Any], title: str) -> None:
    entry["title"] = title
    entry["evidence"] = [f"{title}.pdf"]


def planted_hard(kind: str, sheet_id: str, name: str, variant: int = 0) -> dict[str, Any] | None:
    """A clean claim with one problem of a kind the first flags missed, or None where the sheet cannot have it."""
    data = copy.deepcopy(clean(sheet_id, name))
    main = data["answers"][MAIN_ITEM[sheet_id]]
    if kind == "dup_suffix":  # 小型矿山（张三） and 【小型矿山】（张三）项目
        twin = copy.deepcopy(main[-1])
        twin["title"] = twin["title"].replace("（", "【", 1).replace("）", "】", 1) + ("项目", "工程", "课题")[variant % 3]
        twin["date"] = "2020-01-01"
        main.append(twin)
    elif kind == "dup_quotes":  # “某矿”技改（张三） and 「某矿」技改（张三）
        base = f"“{name}矿区”技改"
        _retitle(main[-1], base)
        twin = copy.deepcopy(main[-1])
        twin["title"] = base.replace("“", "「").replace("”", "」")
        twin["date"] = "2020-02-01"
        main.append(twin)
    elif kind == "dup_near":
        first, second = LONG_TITLES[sheet_id]
        _retitle(main[-1], f"{first}（{name}）")
        twin = copy.deepcopy(main[-1])
        twin["title"] = f"{second}（{name}）"
        twin["date"] = "2020-03-01"
        main.append(twin)
    elif kind == "placeholder":
        main[0]["evidence"] = list(PLACEHOLDERS[variant % len(PLACEHOLDERS)])
    elif kind == "padding_over":
        if sheet_id not in PADDING_OVER:
            return None
        item_id, specs = PADDING_OVER[sheet_id]
        data["answers"][item_id] = [
            _e(level, role, rank, title=f"凑分{i}（{name}）") for i, (level, role, rank) in enumerate(specs)
        ]
    elif kind == "impossible":
        IMPOSSIBLE[sheet_id](data)
    elif kind == "count_exact":
        if sheet_id != "shaoxing-forestry-engineer-exception-2020":
            return None
        drop = (["innovation", "lead_role"], ["innovation", "papers"], ["awards", "long_service"])[variant % 3]
        for item_id in drop:
            del data["answers"][item_id]
    else:
        raise ValueError(kind)
    return data


def lead_pair_hard(sheet_id: str, first: str, second: str, kind: str) -> list[dict[str, Any]] | None:
    """Two applicants who both lead one achievement, its title written a little differently by each."""
    if sheet_id not in LEAD:
        return None
    if kind == "lead_suffix":
        place = PLACE[sheet_id]
        titles = (f"{place}县重点生态修复工程", f"“{place}县重点生态修复”项目")
    else:
        near = LONG_TITLES[sheet_id]
        titles = (near[0], near[1])
    pair = []
    for name, title in zip((first, second), titles, strict=True):
        data = clean(sheet_id, name)
        entry = data["answers"][MAIN_ITEM[sheet_id]][0]
        entry["role"] = LEAD[sheet_id]
        _retitle(entry, title)
        pair.append(data)
    return pair


def lookalike(sheet_id: str, name: str) -> dict[str, Any]:
    """A clean claim whose titles read alike but name different projects: 一期 / 二期, 1号楼 / 2号楼, 年度, 区."""
    data = clean(sheet_id, name)
    main = data["answers"][MAIN_ITEM[sheet_id]]
    titles = [f"{name}家园一期工程", f"{name}家园二期工程", f"{name}家园3号楼工程"]
    for entry, title in zip(main, titles, strict=False):
        _retitle(entry, title)
    for item_id, item in data["answers"].items():
        if isinstance(item, list) and item is not main and len(item) >= 2:
            _retitle(item[0], f"2019年度{name}{item_id}（A区）")
            _retitle(item[1], f"2020年度{name}{item_id}（B区）")
    return data


def lookalike_leads(sheet_id: str, first: str, second: str) -> list[dict[str, Any]] | None:
    """Applicants each leading one phase of one estate, or one tank of one plant: not a conflict."""
    if sheet_id not in LEAD:
        return None
    pair = []
    place = PLACE[sheet_id]  # one estate per sheet, so applicants of two sheets share no project
    for name, title in ((first, f"{place}滨江花园一期工程"), (second, f"{place}滨江花园二期工程")):
        data = clean(sheet_id, name)
        entry = data["answers"][MAIN_ITEM[sheet_id]][0]
        entry["role"] = LEAD[sheet_id]
        _retitle(entry, title)
        pair.append(data)
    for name, title in ((f"{first}东", f"{place}城东污水处理厂1号池改造"), (f"{second}西", f"{place}城东污水处理厂2号池改造")):
        data = clean(sheet_id, name)
        entry = data["answers"][MAIN_ITEM[sheet_id]][0]
        entry["role"] = LEAD[sheet_id]
        _retitle(entry, title)
        pair.append(data)
    return pair


HARD_KINDS = {  # planted kind -> the flag code that must catch it
    "dup_suffix": "duplicate",
    "dup_quotes": "duplicate",
    "dup_near": "duplicate",
    "lead_suffix": "lead_conflict",
    "lead_near": "lead_conflict",
    "placeholder": "no_evidence",
    "padding_over": "padding",
    "impossible": "contradiction",
    "count_exact": "just_over",
}


def hard_population() -> list[tuple[str, str, dict[str, Any]]]:
    """(planted kind or "" for clean, expected flag code or "", claim data), across the six sheets."""
    out: list[tuple[str, str, dict[str, Any]]] = []
    for s, sheet_id in enumerate(SHEETS):
        out.append(("", "", clean(sheet_id, f"清白{s}")))
        out.append(("", "", lookalike(sheet_id, f"相似{s}")))
        for kind in ("dup_suffix", "dup_quotes", "dup_near", "placeholder", "padding_over", "impossible", "count_exact"):
            for variant in range(3 if kind in ("placeholder", "count_exact", "dup_suffix") else 1):
                data = planted_hard(kind, sheet_id, f"埋{s}{kind}{variant}", variant)
                if data is not None:
                    out.append((kind, HARD_KINDS[kind], data))
        for kind in ("lead_suffix", "lead_near"):
            pair = lead_pair_hard(sheet_id, f"{kind}甲{s}", f"{kind}乙{s}", kind)
            if pair:
                out += [(kind, "lead_conflict", d) for d in pair]
        clean_pair = lookalike_leads(sheet_id, f"分期甲{s}", f"分期乙{s}")
        if clean_pair:
            out += [("", "", d) for d in clean_pair]
    return out
