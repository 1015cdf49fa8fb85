"""Regression: with thousands of projects the 本月填报 overview and the tree neither crash nor leak None
(PySide6 6.12 took one reference from None for every None a Python model's data() returned to C++, which
ended in "Fatal Python error: none_dealloc"), and moving between projects does not rebuild the overview."""

from __future__ import annotations

import sys
from datetime import date

from PySide6.QtCore import QSettings, Qt

from benchmarks.bench_gui import make_big_list_db
from minsheng_desktop.gui.main_window import MainWindow


def test_several_thousand_projects(qtbot, tmp_path):
    db = tmp_path / "big.db"
    make_big_list_db(db, n=4000)
    w = MainWindow(db, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat), today=date(2023, 6, 15))
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    # The tab is not shown: its title and the status bar come from counts, the table is filled when it is shown.
    hidden = (w.tabs.tabText(1), w.status_label.text())
    w.show_tab(1)
    assert len(w.overview.overview.rows) == 4000
    assert (w.tabs.tabText(1), w.status_label.text()) == hidden
    table = w.overview.table
    before = sys.getrefcount(None)
    model = w.overview.model
    shown = w.overview.overview
    projects = w.model.list_data(w.list_id).projects
    for p in projects[::400]:
        assert w.select_key(f"project:{p.id}")
        qtbot.wait(1)
    assert w.overview.overview is shown  # not rebuilt on selection
    for _ in range(3):
        for r in range(0, model.rowCount(), 7):  # as a view painting would: through C++, mostly None back
            for role in (Qt.ItemDataRole.FontRole, Qt.ItemDataRole.CheckStateRole, Qt.ItemDataRole.SizeHintRole):
                model.index(r, 1).data(role)
                w.proxy.index(0, 0).data(role)
        w.step_month(-1)
        w.step_month(1)
        table.viewport().update()
        qtbot.wait(1)
    assert sys.getrefcount(None) >= before  # None keeps its references
    w.search.setText("民生项目12")
    w.search.setText("")
    w.close()
