"""关于 shows the version, the database and both licence files — from the source tree, and from a bundle."""

from __future__ import annotations

import sys
from pathlib import Path

from minsheng_desktop.version import version
from minsheng_desktop.gui.about_dialog import AboutDialog


def test_about_shows_version_and_licences(qtbot, tmp_path: Path) -> None:
    dlg = AboutDialog(None, tmp_path / "minsheng.db")
    qtbot.addWidget(dlg)
    facts = dlg.facts.text()
    assert f"版本 {version()}" in facts and "minsheng.db" in facts
    assert [dlg.tabs.tabText(i) for i in range(dlg.tabs.count())] == ["许可证", "第三方软件"]
    assert "MIT License" in dlg.licence_text(0)
    notices = dlg.licence_text(1)
    assert "\nPySide6_Essentials " in notices and "LGPL-3.0" in notices


def test_about_in_a_bundle_reads_the_bundled_files(qtbot, tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "LICENSE").write_text("MIT License (bundled)", encoding="utf-8")
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)  # what PyInstaller sets
    dlg = AboutDialog(None, tmp_path / "minsheng.db")
    qtbot.addWidget(dlg)
    assert dlg.licence_text(0) == "MIT License (bundled)"
    assert "未找到文件“THIRD-PARTY-NOTICES.txt”" in dlg.licence_text(1)  # a broken install says so


def test_help_about_opens_the_dialog(open_window, monkeypatch) -> None:
    shown = []
    monkeypatch.setattr(AboutDialog, "exec", lambda self: shown.append(self) or 0)
    w = open_window()
    action = next(a for a in w.findChildren(type(w.menuBar().actions()[0])) if a.text().startswith("关于"))
    action.trigger()
    assert len(shown) == 1 and str(w.state.db_path) in shown[0].facts.text()
