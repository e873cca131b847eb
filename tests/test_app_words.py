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


def test_every_uploader_shows_the_limit_the_app_enforces() -> None:
    limits = {}
    for name in ("choose", "review", "batch"):
        for box in uploaders(page(name)):
            limits[box.proto.label] = box.proto.max_upload_size_mb  # type: ignore[attr-defined]
            assert box.proto.help  # what may be uploaded, in Chinese  # type: ignore[attr-defined]
    assert limits["上传申报文件"] == MAX_UPLOAD_MB and MAX_UPLOAD_BYTES == MAX_UPLOAD_MB * MB
    assert limits["上传申报文件、zip 或名册"] == MAX_ARCHIVE_BYTES // MB
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["maxUploadSize"] == max(limits.values())
    assert config["server"]["enableXsrfProtection"] is True and config["browser"]["gatherUsageStats"] is False
