"""The app's Streamlit settings (.streamlit/config.toml) are ones Streamlit knows and reads as written.

Streamlit only warns about an option it does not know, so a misspelt one would silently fall back to
its default: here, that would bring back a full garbage collection after every run (about 50 ms of the
server's CPU per change, bench/stclient.py) or uploads larger than any page accepts.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

import pytest
from streamlit import config

ROOT = Path(__file__).resolve().parent.parent
SETTINGS = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("section,name", [(s, n) for s, values in SETTINGS.items() for n in values])
def test_every_setting_is_one_streamlit_reads(section: str, name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    for variable in [v for v in os.environ if v.startswith("STREAMLIT_")]:  # an environment overrides the file
        monkeypatch.delenv(variable)
    key = f"{section}.{name}"
    assert key in config.get_config_options(force_reparse=True), f"{key}：Streamlit 没有这个设置"
    try:
        assert config.get_option(key) == SETTINGS[section][name]
    finally:
        monkeypatch.undo()
        config.get_config_options(force_reparse=True)


def test_no_full_collection_after_each_run() -> None:
    assert SETTINGS["runner"]["postScriptGC"] is False
