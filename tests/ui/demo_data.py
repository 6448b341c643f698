"""A module-scoped fixture: the community-scale demo database (``demo --scale small``) on 2026-12-03."""

from __future__ import annotations

import datetime as dt

import pytest

from desktop.core.clock import FixedClock
from desktop.core.identity import Actor

DEMO_NOW = dt.datetime(2026, 12, 3, 10)


@pytest.fixture(scope="module")
def demo_ctx(tmp_path_factory: pytest.TempPathFactory):
    from desktop.services import demo
    from desktop.services.bootstrap import open_database

    path = tmp_path_factory.mktemp("demo") / "demo.sqlite3"
    opened = open_database(path, actor=Actor("测试员", "test-pc"), clock=FixedClock(DEMO_NOW))
    demo.generate(opened.ctx, "small")
    yield opened.ctx
    opened.ctx.database.dispose()
