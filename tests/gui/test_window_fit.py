"""Issue 16, item 1: the window fits the office screens. Each size runs tests/gui/fit_worker.py in a process of its
own (Qt takes the screen at start): the offscreen platform given the screen by a configfile, the available area
of 1366×768 and 1280×720 less a 40 px taskbar, and 1920×1080 less its taskbar at 125 % (QT_SCALE_FACTOR=1.25:
1536×832 logical). Then the arrangement itself (pane_layout.Panes) in this process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

WORKER = Path(__file__).with_name("fit_worker.py")
SCREENS = {  # id -> (screen width, height, QT_SCALE_FACTOR)
    "1366x768": (1366, 728, None),
    "1280x720": (1280, 680, None),
    "1920x1080@125%": (1920, 1040, "1.25"),
}


def run_worker(tmp_path: Path, width: int, height: int, scale: str | None) -> dict:
    config = tmp_path / "screen.json"
    config.write_text(json.dumps({"screens": [{"name": "office", "x": 0, "y": 0, "width": width,
                                               "height": height, "logicalDpi": 96}]}))
    env = {**os.environ, "QT_QPA_PLATFORM": f"offscreen:configfile={config}",
           "HOME": str(tmp_path / "home"), "XDG_DATA_HOME": str(tmp_path / "data"),
           "XDG_CONFIG_HOME": str(tmp_path / "config")}
    env.pop("QT_SCALE_FACTOR", None)
    if scale:
        env["QT_SCALE_FACTOR"] = scale
    work = tmp_path / "work"
    work.mkdir()
    done = subprocess.run([sys.executable, str(WORKER), str(work)], env=env, capture_output=True, text=True,
                          timeout=180)
    line = next((ln for ln in done.stdout.splitlines() if ln.startswith("FACTS ")), None)
    assert line is not None, f"the worker said nothing:\n{done.stdout}\n{done.stderr[-3000:]}"
    return json.loads(line[len("FACTS "):])


@pytest.mark.parametrize("screen", list(SCREENS))
def test_window_fits_the_office_screen(tmp_path, screen):
    width, height, scale = SCREENS[screen]
    facts = run_worker(tmp_path, width, height, scale)
    factor = float(scale or 1)
    assert facts["screen"]["available"] == [round(width / factor), round(height / factor)]
    for db in ("empty", "filled"):
        got = facts[db]
        assert got["inside"], f"{db}: window {got['window']} outside the available area {got['area']}"
        assert got["window"][2] <= 0.91 * got["area"][2] and got["window"][3] <= 0.91 * got["area"][3]
        assert got["status_bar_inside"]
    # An empty database opens on the welcome panel, its two buttons on screen.
    assert facts["empty"]["welcome"] and facts["empty"]["welcome_buttons"]
    # On these screens the detail pane is a tab beside the form: the form keeps its width.
    assert facts["filled"]["columns"] == 2
    assert facts["filled"]["form_problems"] == []


def test_wide_screen_three_columns(tmp_path):
    facts = run_worker(tmp_path, 1920, 1040, None)
    assert facts["filled"]["inside"] and facts["filled"]["columns"] == 3
    assert facts["filled"]["form_problems"] == []


def test_arrangement_follows_the_width(qtbot, open_window, imported_db):
    from minsheng_desktop.gui import pane_layout

    from .helpers import select_by_name

    w = open_window()
    select_by_name(w, "城镇老旧小区改造")
    panes = w.panes
    w.resize(pane_layout.THREE_COLUMNS_FROM + 100, 700)
    qtbot.waitUntil(lambda: panes.columns == 3)
    assert [panes.splitter.widget(i) for i in range(3)] == [panes.left, w.detail, w.form]
    assert w.detail.isVisible() and w.form.isVisible()
    w.resize(1100, 700)
    qtbot.waitUntil(lambda: panes.columns == 2)
    assert panes.side.widget(0) is w.form and panes.side.widget(1) is w.detail
    assert panes.side.tabText(0) == "月度填报" and panes.side.tabText(1) == "项目详情"
    assert w.form.isVisible() and not w.detail.isVisible()
    # With the detail tab in front, Ctrl+4, Enter on the project and 去填报 each bring the form back.
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow)
    panes.side.setCurrentIndex(1)
    qtbot.keyClick(w, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is w.form.progress)
    panes.side.setCurrentIndex(1)
    w.tree.setFocus()
    qtbot.keyClick(w.tree, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is w.form.progress)
    panes.side.setCurrentIndex(1)
    w.go_fill(w.project.id, "2023-06")
    assert w.form.isVisible()
    assert w.form.width() >= pane_layout.form_min_width(w.form)
