"""What the pages say: Chinese wherever Streamlit lets the app choose the words (issue 9, English on screen).

The uploaders refuse a wrong kind of file with the app's own Chinese message (Streamlit's
`type=` check would answer "text/plain files are not allowed"), show the limit the app itself
enforces, and the server's limit is the largest of them. What Streamlit draws itself and
offers no setting for is listed in the README.
"""

from __future__ import annotations

import tomllib

import pytest
from helpers import ROOT
from streamlit.testing.v1 import AppTest

from scorer.batch import MAX_ARCHIVE_BYTES, MB
from ui.upload import MAX_UPLOAD_BYTES, MAX_UPLOAD_MB

APP = str(ROOT / "app.py")


pytestmark = pytest.mark.usefixtures("store_path")  # every test here: a drafts file of its own


def page(name: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.switch_page(f"ui/pages/{name}.py").run()
    assert not at.exception
    return at


def uploaders(at: AppTest) -> list[object]:
    return list(at.get("file_uploader"))


@pytest.mark.parametrize(("name", "key"), [("choose", "upload:choose"), ("review", "rv-upload")])
def test_a_file_of_another_kind_is_refused_in_chinese(name: str, key: str) -> None:
    at = page(name)
    box = at.file_uploader(key=key)
    assert list(box.proto.type) == []  # no browser-side check, whose refusal is English
    box.set_value(("笔记.txt", "随便写写".encode(), "text/plain")).run()
    assert not at.exception
    text = "\n".join(e.value for e in at.error)
    assert "「笔记.txt」不是申报文件：只能上传 YAML 或 JSON 文件（.yaml、.yml、.json）" in text


def test_every_uploader_leaves_the_size_to_the_app() -> None:
    """Streamlit's own check stays at the server's limit, the largest of the app's: below it every file reaches
    the app, which refuses it in Chinese (the page shows the app's limit in Chinese: tests/test_browser_words.py)."""
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["maxUploadSize"] == MAX_ARCHIVE_BYTES // MB == max(MAX_UPLOAD_MB, MAX_ARCHIVE_BYTES // MB)
    for name in ("choose", "review", "batch"):
        for box in uploaders(page(name)):
            assert box.proto.max_upload_size_mb == config["server"]["maxUploadSize"]  # type: ignore[attr-defined]
            assert box.proto.help  # what may be uploaded, in Chinese  # type: ignore[attr-defined]
    assert MAX_UPLOAD_BYTES == MAX_UPLOAD_MB * MB


@pytest.mark.parametrize(("name", "key"), [("choose", "upload:choose"), ("review", "rv-upload")])
def test_a_claim_file_over_the_apps_limit_is_refused_in_chinese(name: str, key: str) -> None:
    at = page(name)
    at.file_uploader(key=key).set_value(("大.yaml", b"#" * (MAX_UPLOAD_BYTES + 1), "application/x-yaml")).run()
    assert not at.exception
    assert f"申报文件不应超过 {MAX_UPLOAD_MB} MB" in "\n".join(e.value for e in at.error)


def test_no_box_whose_hint_the_style_sheet_would_misread() -> None:
    """ui.streamlit_words covers the first span of a box's instructions with 按回车键确认: true of the boxes the
    app draws, not of a box with max_chars (its count comes first until it is changed), a chat input or a
    form (按回车键提交). Should the app draw one, the style sheet must learn it first."""
    for path in [ROOT / "app.py", *sorted(p for p in (ROOT / "ui").rglob("*.py") if p.name != "streamlit_words.py")]:
        text = path.read_text(encoding="utf-8")
        for word in ("max_chars", "chat_input", "st.form(", ".form(", "form_submit_button"):
            assert word not in text, f"{path.name}: {word}"


def test_the_server_keeps_its_safety_settings() -> None:
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["enableXsrfProtection"] is True and config["browser"]["gatherUsageStats"] is False


@pytest.mark.parametrize("name", ["choose", "batch"])
def test_no_filter_offers_streamlits_english_select_all(name: str) -> None:
    at = page(name)
    if name == "batch":  # its filters are drawn once there is a batch
        from helpers import CASES_DIR

        from scorer.cases import case_claims, load_case_file
        from scorer.serialize import to_yaml

        case_file, parsed = load_case_file(CASES_DIR / "zhejiang-mining-senior-2021.yaml")
        claim = to_yaml(case_claims(case_file, parsed, 0).data).encode()
        at.file_uploader(key="batch-upload").set_value([("甲.yaml", claim, "application/x-yaml")]).run()
    boxes = list(at.multiselect)
    assert boxes and all(box.proto.select_all == 0 for box in boxes)  # type: ignore[attr-defined]
    assert all(box.placeholder == "全部" for box in boxes)
    assert all(box.proto.wrap for box in boxes)  # chosen chips wrap, none scrolled out of sight  # type: ignore[attr-defined]
