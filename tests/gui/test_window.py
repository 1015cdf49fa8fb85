"""The window used as a clerk would: import, pick, fill, switch, close, reopen, filter, search, copy."""

from __future__ import annotations

from PySide6.QtCore import Qt

from minsheng_desktop.services.reports import month_reports, projects_of, save_report
from minsheng_desktop.services import lists
from minsheng_desktop.gui import dialogs
from minsheng_desktop.storage.db import Database

from .helpers import select_by_name, type_text, visible_projects


def test_import_fill_switch_close_reopen(qtbot, open_window, fixtures_dir, db_path, monkeypatch):
    monkeypatch.setattr(dialogs, "choose_import_file", lambda *a: str(fixtures_dir / "000_wulong_2023_notice.docx"))
    w = open_window()
    assert "尚未导入" in w.status_label.text()
    with qtbot.waitSignal(w.previewReady, timeout=20000) as blocker:
        w.choose_import()
    dlg = blocker.args[0]
    assert "注意" in dlg.summary.toPlainText() or "报送" in dlg.summary.toPlainText()
    model = dlg.rows.model()
    assert model.rowCount() >= 26
    names = [model.index(r, 2).data() for r in range(model.rowCount())]
    assert any("城市公园" in n for n in names) and model.headerData(2, Qt.Orientation.Horizontal) == "项目名称"
    assert lists.target_lists(w.db) == []  # nothing stored before confirming
    with qtbot.waitSignal(w.importFinished, timeout=20000) as done:
        dlg.import_button.click()
    assert done.args == [True]
    assert len(visible_projects(w)) >= 26

    p = select_by_name(w, "城镇老旧小区改造")
    form = w.form
    assert form.month == "2023-06"  # the month due on 15 June (month-end rule)
    assert "6月30日" in form.deadline_label.text()
    type_text(qtbot, form.progress, "完成3个小区改造")
    type_text(qtbot, form.investment, "900")
    type_text(qtbot, form.percent, "45")
    edit, _ = form.indicators["改造城镇老旧小区"]
    type_text(qtbot, edit, "3")
    assert form.status.currentData() is None  # 45% against 序时 50%: 正常推进 is suggested, not applied (issue 16)
    assert "按序时" in form.suggestion.text() and "建议“正常推进”" in form.suggestion.text()
    assert form.take_suggestion()  # the clerk takes it (采用建议)
    assert form.status.currentData() == "on_track"

    form.month_combo.setCurrentIndex(form.month_combo.findData("2023-05"))  # switch month: saved on the way out
    assert form.month == "2023-05" and form.progress.toPlainText() == ""
    type_text(qtbot, form.progress, "五月开工")
    form.month_combo.setCurrentIndex(form.month_combo.findData("2023-06"))
    assert form.progress.toPlainText() == "完成3个小区改造"
    assert form.percent.text() == "45"

    other = select_by_name(w, "劳动者港湾")  # switch project while typing: saved too
    type_text(qtbot, form.problems, "选址未定")
    w.close()

    w2 = open_window()
    assert w2.project is not None and w2.project.id == other.id  # last selection remembered
    assert w2.form.problems.toPlainText() == "选址未定"
    select_by_name(w2, "城镇老旧小区改造")
    assert w2.form.month == "2023-06"
    assert w2.form.progress.toPlainText() == "完成3个小区改造"
    assert w2.form.investment.text() == "900"
    assert w2.form.indicators["改造城镇老旧小区"][0].text() == "3"
    assert w2.form.status.currentData() == "on_track"
    w2.form.month_combo.setCurrentIndex(w2.form.month_combo.findData("2023-05"))
    assert w2.form.progress.toPlainText() == "五月开工"
    assert w2.detail.months.rowCount() == 2 and w2.detail.history.rowCount() > 0
    with Database(db_path) as db:
        assert month_reports(db, p.list_id, "2023-06")[p.id].percent == 45


def test_autosave_without_leaving_the_field(qtbot, open_window, imported_db):
    """Killed right after typing: what was typed half a second ago is already in the database."""
    w = open_window()
    p = select_by_name(w, "建设城市公园")
    type_text(qtbot, w.form.progress, "口袋公园完成选址")
    with qtbot.waitSignal(w.form.saved, timeout=3000):
        pass
    with Database(imported_db) as other:  # another connection, as after a restart
        assert month_reports(other, p.list_id, "2023-06")[p.id].progress == "口袋公园完成选址"
    assert "已自动保存" in w.form.save_state.text()


def test_filter_to_my_unit_and_search(qtbot, open_window, imported_db, monkeypatch):
    monkeypatch.setattr(dialogs, "choose_unit", lambda parent, units, cur: "区教委")
    w = open_window()
    total = len(visible_projects(w))
    w.only_mine.setChecked(True)
    mine = visible_projects(w)
    assert 0 < len(mine) < total
    assert all("区教委" in p.lead_units for p in mine)
    assert "区教委" in w.only_mine.text()
    assert "区教委" in w.status_label.text()
    w.close()
    w2 = open_window()  # the unit is chosen once and remembered
    assert w2.unit == "区教委" and w2.only_mine.isChecked()
    w2.only_mine.setChecked(False)
    w2.activateWindow()  # a shortcut fires in the active window only
    qtbot.waitUntil(w2.isActiveWindow)
    w2.tree.setFocus()
    assert not w2.search.hasFocus()
    qtbot.keyClick(w2.tree, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert w2.search.hasFocus()  # Ctrl+F goes to the search box
    type_text(qtbot, w2.search, "HPV")
    found = visible_projects(w2)
    assert [p.name for p in found] == ["适龄女性免费接种HPV疫苗"]
    w2.search.clear()
    type_text(qtbot, w2.search, "区残联")  # units are searched too
    assert {p.name for p in visible_projects(w2)} >= {"开展百千万惠残助残行动"}
    w2.search.clear()
    type_text(qtbot, w2.search, "渝馨家园")  # and the target text
    assert [p.name for p in visible_projects(w2)] == ["开展百千万惠残助残行动"]


def test_withdrawn_greyed_or_hidden(qtbot, open_window, imported_db):
    from minsheng_desktop.storage import repo

    with Database(imported_db) as db:
        p = next(x for x in projects_of(db, 1) if "劳动者港湾" in x.name)
        repo.set_withdrawn(db, p.list_id, {p.id: True})
    w = open_window()
    shown = {x.id: x for x in visible_projects(w)}
    assert shown[p.id].withdrawn
    idx = w.proxy.mapFromSource(w.model.index_for_key(f"project:{p.id}"))
    assert "已撤销" in idx.siblingAtColumn(1).data()
    assert idx.data(Qt.ItemDataRole.ForegroundRole) is not None
    w.show_withdrawn.setChecked(False)
    assert p.id not in {x.id for x in visible_projects(w)}


def test_copy_last_month(qtbot, open_window, imported_db, monkeypatch):
    from minsheng_desktop.domain.model import Report

    with Database(imported_db) as db:
        p = next(x for x in projects_of(db, 1) if "城市绿荫" in x.name)
        save_report(db, Report(p.id, "2023-05", "on_track", 40.0, 30.0, "五月进展", "资金缺口",
                                        "六月完工", {"街头绿地提质项目": 1.0}))
    w = open_window()
    select_by_name(w, "城市绿荫")
    assert w.form.month == "2023-06" and w.form.progress.toPlainText() == ""
    qtbot.mouseClick(w.form.copy_button, Qt.MouseButton.LeftButton)
    assert w.form.progress.toPlainText() == "五月进展"
    assert w.form.percent.text() == "40"
    assert w.form.indicators["街头绿地提质项目"][0].text() == "1"
    assert "2023年5月" in w.form.save_state.text()
    june = month_reports(w.db, p.list_id, "2023-06")[p.id]
    assert june.progress == "五月进展" and june.problems == "资金缺口"
    # A second copy over filled-in text asks first; saying no keeps what is there.
    type_text(qtbot, w.form.progress, "，六月补充")
    monkeypatch.setattr(dialogs, "ask", lambda *a: False)
    w.form.copy_previous()
    assert w.form.progress.toPlainText() == "五月进展，六月补充"


def test_inline_checks_and_done_question(qtbot, open_window, imported_db, monkeypatch):
    w = open_window()
    p = select_by_name(w, "建设城市公园")  # annual investment 82 万元
    form = w.form
    type_text(qtbot, form.percent, "150")
    assert form.percent_msg.isVisible() and "0 到 100" in form.percent_msg.text()
    type_text(qtbot, form.investment, "-5")
    assert "不能为负数" in form.investment_msg.text()
    form.investment.clear()
    type_text(qtbot, form.investment, "90")
    assert "超过年度计划投资 82" in form.investment_msg.text()
    assert form.flush() is False  # the bad per cent is not stored, the rest is
    r = month_reports(w.db, p.list_id, "2023-06")[p.id]
    assert r.percent is None and r.investment_done_wan == 90
    form.percent.clear()
    type_text(qtbot, form.percent, "60")
    asked: list[str] = []
    monkeypatch.setattr(dialogs, "ask", lambda parent, title, text: asked.append(text) or False)
    done = form.status.findData("done")
    form.status.setCurrentIndex(done)
    form.status.activated.emit(done)
    assert asked and "60%" in asked[0]
    assert form.status.currentData() != "done"  # said no: not changed
    monkeypatch.setattr(dialogs, "ask", lambda *a: True)
    form.status.setCurrentIndex(done)
    form.status.activated.emit(done)
    assert form.status.currentData() == "done"
    assert "已完成" in form.status_msg.text()
    assert month_reports(w.db, p.list_id, "2023-06")[p.id].status == "done"


def test_overview_and_status_bar(qtbot, open_window, imported_db):
    w = open_window()
    status, title, tab = w.status_label.text(), w.windowTitle(), w.tabs.tabText(1)
    w.show_tab(1)  # the table is filled when the tab is shown; the counts before came without it
    before = w.overview.overview
    assert before is not None and before.count("filled") == 0
    n = before.left
    assert (status, title, tab) == (w.status_label.text(), w.windowTitle(), f"本月填报（{n}项未填）")
    assert f"还有{n}项未填报，截止6月30日" in status
    assert f"{n}项" in title
    select_by_name(w, "建设城市公园")
    type_text(qtbot, w.form.percent, "50")
    w.form.flush()
    assert f"还有{n - 1}项未填报" in w.status_label.text()
    assert w.overview.overview.count("filled") == 1
    # With the tree's tab shown a save updates the counts; the table catches up when shown again.
    w.show_tab(0)
    p2 = next(p for p in w.model.list_data(w.list_id).projects if p.is_leaf and p.id != w.project.id)
    assert w.select_key(f"project:{p2.id}")
    type_text(qtbot, w.form.percent, "20")
    w.form.flush()
    assert f"还有{n - 2}项未填报" in w.status_label.text() and w.tabs.tabText(1) == f"本月填报（{n - 2}项未填）"
    assert w.overview.overview.count("filled") == 1  # not rebuilt while hidden
    w.show_tab(1)
    assert w.overview.overview.count("filled") == 2
    # Double-clicking a row of the overview selects that project in the tree.
    index = w.overview.table.model().index(0, 1)
    pid = index.data(Qt.ItemDataRole.UserRole)
    with qtbot.waitSignal(w.overview.projectActivated):
        w.overview.table.activated.emit(index)
    assert w.project is not None and w.project.id == pid


def test_late_months_are_flagged(qtbot, open_window, imported_db):
    w = open_window()
    w.form.month_combo.setCurrentIndex(w.form.month_combo.findData("2023-04"))
    assert "已过截止日" in w.status_label.text()
    w.show_tab(1)
    ov = w.overview.overview
    assert ov.month == "2023-04" and ov.count("late") == len(ov.rows)
    assert "已过截止日" in w.status_label.text()


def test_keyboard_only_find_pick_fill_and_save(qtbot, open_window, imported_db):
    """Find a project, open it and fill its report without touching the mouse."""
    from PySide6.QtWidgets import QApplication

    from minsheng_desktop.services.reports import get_report

    w = open_window()
    w.activateWindow()
    qtbot.keyClick(w, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)  # Ctrl+F: the search box
    qtbot.waitUntil(lambda: QApplication.focusWidget() is w.search)
    qtbot.keyClicks(w.search, "HPV")
    qtbot.keyClick(w, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)  # Ctrl+1: the project list
    qtbot.waitUntil(lambda: QApplication.focusWidget() is w.tree)
    for _ in range(4):  # down through list → section → the one project left by the filter
        qtbot.keyClick(w.tree, Qt.Key.Key_Down)
        if w.project is not None and w.project.is_leaf:
            break
    assert w.project is not None and w.project.name == "适龄女性免费接种HPV疫苗"
    qtbot.keyClick(w.tree, Qt.Key.Key_Return)  # Enter: straight to the form
    qtbot.waitUntil(lambda: QApplication.focusWidget() is w.form.progress)
    qtbot.keyClicks(w.form.progress, "first dose done")
    qtbot.keyClick(w.form.progress, Qt.Key.Key_Tab)  # Tab order: progress → investment → per cent
    qtbot.waitUntil(lambda: QApplication.focusWidget() is w.form.investment)
    qtbot.keyClicks(w.form.investment, "51")
    qtbot.keyClick(w.form.investment, Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is w.form.percent)
    qtbot.keyClicks(w.form.percent, "50")
    qtbot.keyClick(w, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)  # Ctrl+S: save now
    r = get_report(w.db, w.project.id, w.form.month)
    assert r is not None and (r.progress, r.investment_done_wan, r.percent) == ("first dose done", 51, 50)
