"""GUI fixtures: a window on a temporary database with its own QSettings file, and a fixed 'today'."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import QSettings  # noqa: E402

TODAY = date(2023, 6, 15)  # June 2023 is due; its deadline (month end) is Friday 30 June


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
    from minsheng_desktop.services.importing import import_file
    from minsheng_desktop.services.database import open_database

    with open_database(db_path) as db:
        import_file(db, fixtures_dir / "000_wulong_2023_notice.docx")
    return db_path


@pytest.fixture(autouse=True)
def contact_questions(monkeypatch):
    """The first export asks for 联系人/联系电话 (dialogs.ask_contact): recorded here and skipped, unless a test
    sets ``contact_questions.answer``."""
    from minsheng_desktop.gui import dialogs

    class Questions(list):
        answer = None

    asked = Questions()

    def ask(_parent, name, phone):
        asked.append((name, phone))
        return asked.answer

    monkeypatch.setattr(dialogs, "ask_contact", ask)
    return asked
