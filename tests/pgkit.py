"""What the PostgreSQL tests share: the server's URL, a fresh schema per test, and its clean-up.

The server is not started here: ``.ci/postgres.sh start DIR`` starts a throwaway
one and prints its URL; export it as ``ZHICHENG_TEST_PG``. Without it the
PostgreSQL variants are skipped with that advice -- except where
``ZHICHENG_REQUIRE_PG=1`` (CI sets it), where a missing or unreachable server
fails the run, so CI can never pass without having tested the PostgreSQL store.
"""

from __future__ import annotations

import os
import secrets
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

URL_ENV = "ZHICHENG_TEST_PG"
REQUIRE_ENV = "ZHICHENG_REQUIRE_PG"
HOW = "启动一个临时服务器：.ci/postgres.sh start /tmp/zhicheng-pg，再 export ZHICHENG_TEST_PG=$(cat /tmp/zhicheng-pg/url)"


def server_url() -> str:
    """The test server's URL; skips (or fails where it is required) when there is none or it does not answer."""
    url = os.environ.get(URL_ENV, "").strip()
    required = os.environ.get(REQUIRE_ENV) == "1"
    if not url:
        if required:
            pytest.fail(f"{REQUIRE_ENV}=1 但未设置 {URL_ENV}：PostgreSQL 草稿库测试不能跳过")
        pytest.skip(f"未设置 {URL_ENV}，跳过 PostgreSQL 草稿库测试（{HOW}）")
    try:
        import psycopg
    except ImportError:
        pytest.fail("已设置 ZHICHENG_TEST_PG 但未安装 psycopg（pip install -e '.[test]'）")
    try:
        psycopg.connect(url, connect_timeout=5).close()
    except psycopg.Error as exc:  # a URL was given: a server that does not answer is a failure, never a skip
        pytest.fail(f"{URL_ENV} 指向的 PostgreSQL 服务器无法连接：{type(exc).__name__}")
    return url


def with_options(url: str, options: str) -> str:
    """The URL with libpq ``options`` (``-c name=value …``) added to those it has."""
    parts = urllib.parse.urlsplit(url)
    query = urllib.parse.parse_qsl(parts.query)
    before = [value for key, value in query if key == "options"]  # libpq keeps only the last: join them
    query = [(key, value) for key, value in query if key != "options"] + [("options", " ".join([*before, options]))]
    return urllib.parse.urlunsplit(parts._replace(query=urllib.parse.urlencode(query, quote_via=urllib.parse.quote)))


@contextmanager
def fresh_schema(url: str) -> Iterator[str]:
    """A URL whose search_path is a new, empty schema (dropped afterwards): each test sees an empty database."""
    import psycopg

    name = "t_" + secrets.token_hex(6)
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f"CREATE SCHEMA {name}")
    try:
        yield with_options(url, f"-c search_path={name}")
    finally:
        with psycopg.connect(url, autocommit=True) as admin:
            admin.execute(f"DROP SCHEMA {name} CASCADE")
