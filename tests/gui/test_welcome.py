"""Issue 16, item 5: an empty database opens on the welcome panel; 打开示例数据 opens the sample in a database of
its own (the clerk's file untouched), 回到我的数据 and importing a notice bring the clerk's data back."""

from __future__ import annotations

import hashlib
from pathlib import Path

from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication

from minsheng_desktop import APP_NAME
from minsheng_desktop.services import sample
from minsheng_desktop.services.reports import project_reports, projects_of


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def open_sample_by_click(qtbot, w) -> None:
    assert w.sample.welcome_shown
    qtbot.mouseClick(w.sample.welcome.sample_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: w.state.sample, timeout=20000)


def test_empty_database_opens_on_the_welcome_panel(qtbot, open_window):
    w = open_window()
    welcome = w.sample.welcome
    assert w.sample.welcome_shown and welcome.isVisible()
    assert not w.tree.isVisible() and not w.form.isVisible()  # no empty tree, no "请在左侧选择一个项目"
    assert welcome.import_button.text().startswith("导入目标任务") and welcome.import_button.isVisible()
    assert "拖到" in welcome.drop_hint.text() and welcome.sample_button.text() == "打开示例数据"
    assert w.windowTitle() == APP_NAME


def test_welcome_import_button_is_the_import_action(qtbot, open_window, monkeypatch):
    w = open_window()
    chosen = []
    monkeypatch.setattr(w.importer, "choose", lambda: chosen.append(True))
    qtbot.mouseClick(w.sample.welcome.import_button, Qt.MouseButton.LeftButton)
    assert chosen == [True]


def test_a_file_dropped_on_the_welcome_panel_is_imported(qtbot, open_window, fixtures_dir, monkeypatch):
    w = open_window()
    got = []
    monkeypatch.setattr(w.importer, "import_file", got.append)
    notice = str(fixtures_dir / "000_wulong_2023_notice.docx")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(notice)])
    target = w.sample.welcome
    pos = QPointF(target.rect().center())
    enter = QDragEnterEvent(target.rect().center(), Qt.DropAction.CopyAction, mime, Qt.MouseButton.NoButton,
                            Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(target, enter)  # the panel itself takes no drops: the window does
    assert enter.isAccepted()
    drop = QDropEvent(pos, Qt.DropAction.CopyAction, mime, Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(target, drop)
    assert got == [notice]


def test_filled_database_has_no_welcome(qtbot, open_window, imported_db):
    w = open_window()
    assert not w.sample.welcome_shown and w.sample.welcome is None  # not even built
    assert w.tree.isVisible()


def test_open_the_sample_and_come_back(qtbot, open_window, db_path):
    w = open_window()
    w.close()  # the clerk's (empty) database exists now: its bytes must not change
    before = digest(db_path)
    w = open_window()
    open_sample_by_click(qtbot, w)

    assert w.db_path == sample.sample_db_path() and w.db_path != db_path
    assert w.db_path.parent != db_path.parent  # its own folder: its backups never beside the clerk's
    assert "示例数据" in w.windowTitle() and w.sample.banner.isVisible()
    assert not w.sample.welcome_shown and w.tree.isVisible()
    (tl,) = w.lists.values()
    assert (tl.year, tl.region) == (2023, "武隆区")
    projects = projects_of(w.db, tl.id)
    assert len(projects) >= 15
    reports = [r for p in projects for r in project_reports(w.db, p.id)]
    assert len({r.month for r in reports}) >= 3 and len(reports) >= 60
    assert w.project is not None  # a project chosen, its form shown
    assert digest(db_path) == before

    qtbot.mouseClick(w.sample.banner.back_button, Qt.MouseButton.LeftButton)
    assert not w.state.sample and w.db_path == db_path
    assert w.sample.welcome_shown and not w.sample.banner.isVisible()  # the clerk's empty database again
    assert w.windowTitle() == APP_NAME
    w.close()
    assert digest(db_path) == before


def test_sample_is_recreated_each_time(qtbot, open_window, monkeypatch):
    from minsheng_desktop.gui import dialogs

    monkeypatch.setattr(dialogs, "ask", lambda *a: True)
    w = open_window()
    open_sample_by_click(qtbot, w)
    from .helpers import type_text

    assert w.project is not None and w.project.is_leaf
    w.form.progress.clear()
    type_text(qtbot, w.form.progress, "试着改一改")
    assert w.form.flush()
    pid = w.project.id
    assert any(r.progress == "试着改一改" for r in project_reports(w.db, pid))
    w.sample.leave()
    w.open_sample()
    qtbot.waitUntil(lambda: w.state.sample, timeout=20000)
    assert not any(r.progress == "试着改一改" for r in project_reports(w.db, pid))


def test_importing_while_the_sample_is_open_goes_to_the_clerks_data(qtbot, open_window, db_path, fixtures_dir,
                                                                    monkeypatch):
    w = open_window()
    open_sample_by_click(qtbot, w)
    got = []
    monkeypatch.setattr(w.importer, "import_file", got.append)
    w.import_file(str(fixtures_dir / "000_wulong_2023_notice.docx"))
    assert not w.state.sample and w.db_path == db_path and len(got) == 1


def test_closing_in_the_sample_gives_up_its_lock(qtbot, open_window, db_path):
    from minsheng_desktop.gui import startup

    w = open_window()
    open_sample_by_click(qtbot, w)
    w.close()
    lock = startup.lock_database(sample.sample_db_path())  # free again
    lock.unlock()
    w2 = open_window()  # the next start opens the clerk's database
    assert not w2.state.sample and w2.db_path == db_path and w2.sample.welcome_shown


def test_welcome_gives_way_once_a_list_is_imported(qtbot, open_window, db_path, fixtures_dir):
    from minsheng_desktop.services.importing import import_file

    w = open_window()
    assert w.sample.welcome_shown
    import_file(w.db, fixtures_dir / "000_wulong_2023_notice.docx")  # as the import's 导入 stores it
    w.reload()  # what the import does next
    assert not w.sample.welcome_shown and w.tree.isVisible() and len(w.lists) == 1


def test_import_from_the_sample_lands_in_the_clerks_database(qtbot, open_window, db_path, fixtures_dir):
    """End to end: the sample open, a notice imported — the preview, 导入 — and it is the clerk's database that
    holds it; the welcome panel gives way to the tree."""
    from minsheng_desktop.services.lists import target_lists

    w = open_window()
    open_sample_by_click(qtbot, w)
    with qtbot.waitSignal(w.previewReady, timeout=20000) as shown:
        w.import_file(fixtures_dir / "000_wulong_2023_notice.docx")
    assert not w.state.sample and w.db_path == db_path
    with qtbot.waitSignal(w.importFinished, timeout=20000) as done:
        shown.args[0].import_button.click()
    assert done.args == [True]
    assert [t.region for t in target_lists(w.db)] == ["武隆区"] and w.db_path == db_path
    assert not w.sample.welcome_shown and w.tree.isVisible() and "示例数据" not in w.windowTitle()


def test_closed_while_the_sample_is_being_made(qtbot, open_window, db_path):
    from minsheng_desktop.gui import startup, tasks

    w = open_window()
    w.open_sample()
    assert w.sample.opening is not None
    w.close()  # waits for the worker; what it made is not shown, the lock is given up
    tasks.wait_all()
    qtbot.wait(50)
    assert not w.state.sample and w.sample.lock is None
    startup.lock_database(sample.sample_db_path()).unlock()


def test_sample_from_the_help_menu_beside_the_clerks_data(qtbot, open_window, imported_db):
    """A clerk with data of their own opens the sample from 帮助 and comes back to the same selection."""
    from .helpers import select_by_name

    w = open_window()
    mine = select_by_name(w, "建设城市公园")
    menu = next(a.menu() for a in w.menuBar().actions() if a.text().startswith("帮助"))
    next(a for a in menu.actions() if a.text().startswith("打开示例数据")).trigger()
    qtbot.waitUntil(lambda: w.state.sample, timeout=20000)
    assert w.project is not None and w.project.id != mine.id and "示例数据" in w.windowTitle()
    w.sample.leave()
    assert not w.state.sample and w.db_path == imported_db and "示例数据" not in w.windowTitle()
    assert [t.region for t in w.lists.values()] == ["武隆区"] and not w.sample.welcome_shown
    assert w.project is not None and w.project.id == mine.id
