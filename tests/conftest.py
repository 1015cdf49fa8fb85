"""Shared fixtures: the real documents, a fresh database per test, headless Qt."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory, monkeypatch):
    """Never touch the real user's data, settings or logs."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / "state"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))
    monkeypatch.delenv("MINSHENG_DB", raising=False)


@pytest.fixture
def fixtures_dir() -> Path:
    return FIXTURES


@pytest.fixture(scope="session")
def expected() -> dict:
    return json.loads((FIXTURES / "EXPECTED.json").read_text(encoding="utf-8"))["files"]


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "minsheng.db"


@pytest.fixture
def db(db_path: Path):
    from minsheng_desktop.storage.db import Database

    d = Database(db_path)
    yield d
    d.close()


@pytest.fixture
def fixture_copy(tmp_path: Path):
    def copy(name: str) -> Path:
        dst = tmp_path / name
        shutil.copyfile(FIXTURES / name, dst)
        return dst

    return copy


@pytest.fixture
def wulong(db, fixtures_dir):
    """The Wulong 2023 notice imported into ``db``: its TargetList."""
    from minsheng_desktop.services.database import select_list
    from minsheng_desktop.services.importing import import_file

    import_file(db, fixtures_dir / "000_wulong_2023_notice.docx")
    return select_list(db, 2023, "武隆区")
