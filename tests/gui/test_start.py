"""What the window leaves until right after its first paint (the start-up benchmark's "shown and usable"
point): the window icon's PNG sizes and — for a large file — the background check. It all happens on the next
event-loop turn, and also when the window is built but not shown."""

from __future__ import annotations

from PySide6.QtCore import QSettings

from minsheng_desktop.gui.main_window import MainWindow

from .conftest import TODAY
from .helpers import select_by_name


def test_after_the_first_paint(qtbot, open_window, imported_db, settings_path, monkeypatch):
    from minsheng_desktop.gui import main_window

    added = []
    monkeypatch.setattr(main_window, "add_window_pngs", lambda icon: added.append(icon) or icon)
    w = open_window()
    qtbot.waitUntil(lambda: w._after_paint is None, timeout=2000)
    assert len(added) == 1  # the window icon's PNG sizes
    # The selection restored at start is not written back; the clerk's own is.
    stored = QSettings(str(settings_path), QSettings.Format.IniFormat)
    assert stored.value("last_selection") is None
    p = select_by_name(w, "城镇老旧小区")
    w.settings.sync()
    stored.sync()
    assert stored.value("last_selection") == f"project:{p.id}"
    w.close()
    w2 = open_window()
    assert w2.project is not None and w2.project.id == p.id
    w2.close()


def test_window_not_shown_still_finishes_its_start(qtbot, imported_db, settings_path, monkeypatch):
    from minsheng_desktop.gui import main_window

    added = []
    monkeypatch.setattr(main_window, "add_window_pngs", lambda icon: added.append(icon) or icon)
    w = MainWindow(imported_db, QSettings(str(settings_path), QSettings.Format.IniFormat), today=TODAY)
    qtbot.addWidget(w)
    assert w._after_paint is not None and added == []  # until the first event-loop turn
    qtbot.waitUntil(lambda: w._after_paint is None, timeout=2000)
    assert len(added) == 1
    w.close()


def test_the_first_paint_leaves_the_plan_box_and_the_year_end_for_later(tmp_path, imported_db) -> None:
    """The window's start does not build what only a selected project or a menu needs (docs/performance.md: the
    plan box cost the first paint ~30 ms): checked in a fresh interpreter, on an empty and a filled database."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    code = ("import sys\n"
            "from PySide6.QtCore import QSettings\n"
            "from minsheng_desktop.gui.app import make_app\n"
            "app = make_app([])\n"
            "from minsheng_desktop.gui.main_window import MainWindow\n"
            f"w = MainWindow(sys.argv[1], QSettings({str(tmp_path / 's.ini')!r}, QSettings.Format.IniFormat))\n"
            "w.show(); app.processEvents()\n"
            "print(sorted(m for m in sys.modules if m.endswith(('plan_view', 'year_end', 'services.assessment',"
            " 'units_dialog', 'collect_mail_view'))))\n")
    root = Path(__file__).resolve().parents[2]
    for db in (tmp_path / "empty.db", imported_db):
        r = subprocess.run([sys.executable, "-c", code, str(db)], capture_output=True, text=True, timeout=120,
                           env=dict(os.environ, PYTHONPATH=str(root), QT_QPA_PLATFORM="offscreen"))
        assert r.returncode == 0, r.stderr
        assert r.stdout.strip().splitlines()[-1] == "[]"
