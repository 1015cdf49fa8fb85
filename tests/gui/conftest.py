"""GUI fixtures: a window on a temporary database with its own QSettings file, and a fixed 'today'."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import QSettings  # noqa: E402

TODAY = date(2023, 6, 15)  # June 2023 is due; its deadline (month end) is Friday 30 June


@pytest.fixture(scope="session", autouse=True)
def _refcount_guard():
    """As gui.app.run does at start: on a PySide6 that loses references (6.12.0) give None a reserve, so the
    window tests run as the program would (tests/gui/test_refcounts.py checks the guard itself)."""
    from minsheng_desktop.gui import refcount_guard

    refcount_guard.guard()


@pytest.fixture
def settings_path(tmp_path: Path) -> Path:
    return tmp_path / "settings.ini"


@pytest.fixture
def open_window(qtbot, db_path: Path, settings_path: Path):
    """open_window() -> a shown MainWindow; call again after close() to 'restart the program'."""
    from minsheng_desktop.gui.main_window import MainWindow

    windows = []

    def make(today: date = TODAY):
        w = MainWindow(db_path, QSettings(str(settings_path), QSettings.Format.IniFormat), today=today)
        qtbot.addWidget(w)
        w.show()
        qtbot.waitExposed(w)
        windows.append(w)
        return w

    yield make
    for w in windows:
        if w.isVisible():
            w.close()


@pytest.fixture
def imported_db(db_path: Path, fixtures_dir: Path) -> Path:
    """The Wulong notice already in the database (for tests that are not about importing)."""
    from minsheng_desktop import services

    with services.open_database(db_path) as db:
        services.import_file(db, fixtures_dir / "000_wulong_2023_notice.docx")
    return db_path
