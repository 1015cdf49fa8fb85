"""Safety in the window: one window per database, a damaged database offered its backup, a newer one refused,
restore from the backup dialog, a deleted report brought back, the import's 取消, the daily backup."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QPushButton

from minsheng_desktop.services.database import open_database
from minsheng_desktop.services import importing
from minsheng_desktop.services.reports import save_report
from minsheng_desktop.services import backup, lists
from minsheng_desktop.services.history import history_rows
from minsheng_desktop.services.reports import get_report
from minsheng_desktop.domain.model import Report
from minsheng_desktop.gui import dialogs
from minsheng_desktop.gui.main_window import MainWindow
from minsheng_desktop.gui.startup import DatabaseInUse, lock_path
from minsheng_desktop.storage.db import DamagedDatabaseError, NewerDatabaseError

from .conftest import TODAY
from .helpers import select_by_name


@pytest.fixture
def quiet(monkeypatch):
    said: list[tuple[str, str]] = []
    monkeypatch.setattr(dialogs, "show_info", lambda _p, t, x: said.append((t, x)))
    monkeypatch.setattr(dialogs, "show_error", lambda _p, t, x: said.append((t, x)))
    return said


def test_second_window_is_refused(qtbot, open_window, imported_db, settings_path):
    w = open_window()
    assert lock_path(imported_db).exists()
    with pytest.raises(DatabaseInUse, match="数据库已在另一个窗口中打开"):
        MainWindow(imported_db, QSettings(str(settings_path), QSettings.Format.IniFormat), today=TODAY)
    assert w.lists and w.db.conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"  # the first goes on
    w.close()
    w2 = open_window()  # once the first has closed, the database opens again
    assert w2.lists


def test_daily_backup_at_start(open_window, imported_db):
    open_window()
    found = backup.list_backups(imported_db)
    assert len(found) == 1 and "daily" in found[0].name


def _good_backup(db_path: Path) -> Path:
    with open_database(db_path) as db:
        return backup.make_backup(db, reason="daily")


def test_damaged_database_offers_the_newest_good_backup(qtbot, open_window, imported_db, monkeypatch, quiet):
    _good_backup(imported_db)
    imported_db.write_bytes(b"this is not a database" * 500)
    for side in ("-wal", "-shm"):
        Path(str(imported_db) + side).unlink(missing_ok=True)
    questions = []
    monkeypatch.setattr(dialogs, "ask", lambda _p, _t, text: questions.append(text) or True)
    w = open_window()
    assert len(questions) == 1 and "损坏" in questions[0] and "备份" in questions[0]
    assert w.lists  # the backup's data is back
    aside = list(imported_db.parent.glob("minsheng-damaged-*.db"))
    assert len(aside) == 1 and aside[0].read_bytes().startswith(b"this is not")  # set aside, not deleted
    assert any("已从备份恢复" in t for t, _ in quiet)


def test_damaged_database_left_alone_when_the_clerk_says_no(qtbot, imported_db, settings_path, monkeypatch):
    _good_backup(imported_db)
    garbage = b"\x00garbage" * 1000
    imported_db.write_bytes(garbage)
    monkeypatch.setattr(dialogs, "ask", lambda *a: False)
    with pytest.raises(DamagedDatabaseError, match="不恢复"):
        MainWindow(imported_db, QSettings(str(settings_path), QSettings.Format.IniFormat), today=TODAY)
    assert imported_db.read_bytes() == garbage
    assert not lock_path(imported_db).exists()  # the lock is let go when the window does not open


def test_newer_database_is_refused_untouched(imported_db, settings_path):
    conn = sqlite3.connect(imported_db)
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.execute("PRAGMA user_version = 999")
    conn.close()
    before = imported_db.read_bytes()
    with pytest.raises(NewerDatabaseError, match="更新版本"):
        MainWindow(imported_db, QSettings(str(settings_path), QSettings.Format.IniFormat), today=TODAY)
    assert imported_db.read_bytes() == before


def test_restore_from_the_backup_dialog(qtbot, open_window, imported_db, monkeypatch, quiet):
    w = open_window()
    p = select_by_name(w, "城镇老旧小区改造")
    dlg = w.open_backups()
    made = dlg.backup_now()
    assert made is not None and dlg.table.rowCount() >= 2 and dlg.table.item(0, 1).text()
    save_report(w.db, Report(p.id, "2023-06", "on_track", 45, None, "备份之后才填的内容"))
    dlg.refresh()
    dlg.table.selectRow(next(i for i, b in enumerate(dlg.backups) if b == made))
    monkeypatch.setattr(dialogs, "ask", lambda *a: True)
    assert dlg.restore_selected()
    assert get_report(w.db, p.id, "2023-06") is None  # the backup's state
    assert w.form.db is w.db and w.lists
    assert list(imported_db.parent.glob("minsheng-before-restore-*.db"))  # the current one set aside first
    assert any("已从备份恢复" in x for _t, x in quiet)
    select_by_name(w, "城镇老旧小区改造")
    w.form.progress.setPlainText("恢复之后填写")  # the window keeps working on the restored file
    assert w.form.flush()


def test_delete_and_bring_back_a_report(qtbot, open_window, imported_db, monkeypatch, quiet):
    w = open_window()
    p = select_by_name(w, "城镇老旧小区改造")
    save_report(w.db, Report(p.id, "2023-06", "on_track", 45, None, "已完成3个小区"))
    w.month_view.reshow("2023-06")
    assert w.form.progress.toPlainText() == "已完成3个小区"
    monkeypatch.setattr(dialogs, "ask", lambda *a: True)
    assert w.delete_month_report()
    assert get_report(w.db, p.id, "2023-06") is None and w.form.progress.toPlainText() == ""
    assert any("删除" in row[2] and "已删除" in row[3] for row in history_rows(w.db, p.id))
    monkeypatch.setattr(dialogs, "choose_item", lambda _p, _t, _l, items, cur: items[cur])
    assert w.restore_month_report()
    assert get_report(w.db, p.id, "2023-06").progress == "已完成3个小区"
    assert w.form.progress.toPlainText() == "已完成3个小区"
    assert not w.restore_month_report()  # nothing deleted any more


def test_import_can_be_cancelled(qtbot, open_window, fixtures_dir, monkeypatch):
    real = importing.preview_import

    def slow(db, path, **kw):
        time.sleep(0.8)
        return real(db, path, **kw)

    monkeypatch.setattr(importing, "preview_import", slow)
    w = open_window()
    shown = []
    w.previewReady.connect(shown.append)
    with qtbot.waitSignal(w.importFinished, timeout=5000) as done:
        w.import_file(fixtures_dir / "000_wulong_2023_notice.docx")
        assert w.importer.progress is not None
        w.importer.progress.findChild(QPushButton).click()  # the 取消 button
    assert done.args == [False] and w.importer.progress is None
    from minsheng_desktop.gui import tasks

    tasks.wait_all()
    qtbot.wait(100)
    assert shown == [] and w.import_dialog is None and lists.target_lists(w.db) == []
