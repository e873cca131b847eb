"""The expert's and the unit's pages, driven through their widgets with AppTest."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from batchgen import population
from helpers import CASES_DIR, ROOT
from streamlit.testing.v1 import AppTest

from scorer.cases import case_claims, load_case_file
from scorer.drafts import SqliteDraftStore
from scorer.serialize import to_yaml

APP = str(ROOT / "app.py")


def page(name: str, **query: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update(query)
    at.run()
    at.switch_page(f"ui/pages/{name}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: str(m.value) for m in at.metric}


def test_batch_page_scores_flags_and_lists_bad_files(store_path: Path) -> None:
    at = page("batch")
    files = [(f"{i}.yaml", to_yaml(d).encode(), "application/x-yaml") for i, (_, d) in enumerate(population())]
    files.append(("bad.yaml", b"sheet: [", "application/x-yaml"))
    at.file_uploader(key="batch-upload").set_value(files).run()
    assert not at.exception
    assert metrics(at) == {"申报人": "53", "有标记": "47", "未能读取的文件": "1"}
    table = at.dataframe[0].value
    assert len(table) == 53
    at.toggle[0].set_value(True).run()
    assert len(at.dataframe[0].value) == 47
    assert any("下载复核总表" in b.label for b in at.get("download_button"))


def test_batch_page_refuses_a_traversal_zip(store_path: Path) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("../evil.yaml", "sheet: x\n")
    at = page("batch")
    at.file_uploader(key="batch-upload").set_value(("evil.zip", buf.getvalue(), "application/zip")).run()
    assert metrics(at)["未能读取的文件"] == "1"
    assert "不安全的路径" in " ".join(m.value for m in at.markdown)


def test_review_page_flow_and_refresh(store_path: Path) -> None:
    case_file, parsed = load_case_file(CASES_DIR / "zhejiang-mining-senior-2021.yaml")
    claim = to_yaml(case_claims(case_file, parsed, 0).data).encode()
    at = page("review")
    at.file_uploader(key="rv-upload").set_value(("张三.yaml", claim, "application/x-yaml")).run()
    assert not at.exception, [e.value for e in at.exception]
    assert metrics(at)["申报总分"] == "80"
    at.text_input(key="rv.reviewer").set_value("李专家")
    at.selectbox(key="rv.education.action").set_value("修改").run()
    at.selectbox(key="rv.education.value").set_value("大专")
    at.text_input(key="rv.education.reason").set_value("学历证书为大专")
    at.selectbox(key="rv.papers.0.action").set_value("驳回").run()
    at.text_input(key="rv.papers.0.reason").set_value("刊物非核心期刊").run()
    assert not at.exception, [e.value for e in at.exception]
    shown = metrics(at)
    assert (shown["申报总分"], shown["复核总分"], shown["复核结论"]) == ("80", "74", "未达到")
    review_id = at.query_params["review"]
    review_id = review_id[0] if isinstance(review_id, list) else review_id
    stored = SqliteDraftStore(store_path).load(review_id).data  # type: ignore[union-attr]
    assert stored["review"]["reviewer"] == "李专家"
    assert stored["answers"]["education"] == "本科"  # the applicant's claim is untouched
    again = page("review", review=review_id)
    assert metrics(again)["复核总分"] == "74"
