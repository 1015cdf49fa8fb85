"""汇总 → 单位通讯录 and 催报未报送单位 in the window (issue 18 items 2-3): typed entries checked and saved in one
step, a file loaded, reminders written as .eml drafts by a worker."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from minsheng_desktop.domain.units import UnitContact
from minsheng_desktop.gui import dialogs, tasks
from minsheng_desktop.gui.units_dialog import RemindDialog, UnitsDialog
from minsheng_desktop.services.database import open_database
from minsheng_desktop.services.units import address_book, save_book


@pytest.fixture
def said(monkeypatch):
    messages: list[tuple[str, str]] = []
    monkeypatch.setattr(dialogs, "show_error", lambda _p, title, text: messages.append(("error", text)))
    monkeypatch.setattr(dialogs, "show_info", lambda _p, title, text: messages.append(("info", text)))
    return messages


def test_typed_entries_are_checked_then_saved(qtbot, imported_db, said) -> None:
    dlg = UnitsDialog(imported_db)
    qtbot.addWidget(dlg)
    assert dlg.table.rowCount() == 0 and "区教委" in dlg.missing.text()  # lead units without an address
    dlg._append(UnitContact("区教委", "张三", "023-1", "jw@wl.example.gov.cn"))
    dlg._append(UnitContact("区城市管理局", None, None, "not an address"))
    assert dlg.save() is False
    assert said[-1][0] == "error" and "第 2 行" in said[-1][1]
    with open_database(imported_db) as db:
        assert address_book(db) == []  # nothing saved while a row is wrong
    dlg.table.item(1, 3).setText("cg@wl.example.gov.cn")
    assert dlg.save() is True
    with open_database(imported_db) as db:
        book = {u.name: u for u in address_book(db)}
    assert book["区城市管理局"].email == "cg@wl.example.gov.cn" and book["区教委"].source == "manual"
    assert "区教委" not in dlg.missing.text()


def test_a_file_is_loaded_from_the_dialog(qtbot, imported_db, tmp_path, said, monkeypatch) -> None:
    wb = openpyxl.Workbook()
    for row in [("单位", "联系人", "电话", "邮箱"), ("区教委", "张三", "1", "jw@wl.example.gov.cn")]:
        wb.active.append(row)
    wb.save(tmp_path / "book.xlsx")
    monkeypatch.setattr(dialogs, "choose_open_file", lambda *a: str(tmp_path / "book.xlsx"))
    dlg = UnitsDialog(imported_db)
    qtbot.addWidget(dlg)
    dlg._load_file()
    assert said[-1] == ("info", "已导入单位通讯录：新增 1 个单位，更新 0 个单位。")
    assert dlg.table.rowCount() == 1 and dlg.table.item(0, 4).text() == "从文件导入"


def test_remind_writes_drafts_in_a_worker(qtbot, imported_db, tmp_path, said, monkeypatch) -> None:
    with open_database(imported_db) as db:
        save_book(db, [UnitContact("区教委", "张三", None, "jw@wl.example.gov.cn")])
    dlg = RemindDialog(imported_db)
    qtbot.addWidget(dlg)
    dlg.month_combo.setCurrentIndex(dlg.month_combo.findData("2023-05"))
    assert "将催报以下1个单位：\n    区教委（jw@wl.example.gov.cn" in dlg.summary.text()
    assert "无法催报" in dlg.summary.text() and dlg.eml_button.isEnabled()
    out = tmp_path / "drafts"
    monkeypatch.setattr(dialogs, "choose_folder", lambda *a: str(out))
    dlg.write_drafts()
    tasks.wait_all()
    qtbot.waitUntil(lambda: "已写出催报邮件草稿" in dlg.summary.text(), timeout=5000)
    assert [p.name for p in out.iterdir()] == ["催报_区教委_2023-05.eml"]
    dlg.write_drafts()  # the same day again: not written twice
    tasks.wait_all()
    qtbot.waitUntil(lambda: "今天已催报过" in dlg.summary.text(), timeout=5000)
    assert "--force" not in dlg.summary.text()


def test_the_menu_opens_them(qtbot, open_window, imported_db, monkeypatch) -> None:
    opened = []
    import minsheng_desktop.gui.units_dialog as module

    monkeypatch.setattr(module.UnitsDialog, "exec", lambda self: opened.append("units"))
    monkeypatch.setattr(module.RemindDialog, "exec", lambda self: opened.append("remind"))
    w = open_window()
    texts = {a.text(): a for m in w.menuBar().actions() if m.menu() for a in m.menu().actions()}
    texts["单位通讯录(&U)…"].trigger()
    texts["催报未报送单位(&R)…"].trigger()
    assert opened == ["units", "remind"]


def test_the_collect_dialog_reminds_for_its_list_and_month(qtbot, imported_db, monkeypatch) -> None:
    import minsheng_desktop.gui.units_dialog as module
    from minsheng_desktop.gui.collect_view import CollectDialog

    seen = []
    monkeypatch.setattr(module.RemindDialog, "exec",
                        lambda self: seen.append((self.list_combo.currentData(), self.month_combo.currentData())))
    dlg = CollectDialog(imported_db)
    qtbot.addWidget(dlg)
    dlg.month_combo.setCurrentIndex(dlg.month_combo.findData("2023-05"))
    dlg.remind_button.click()
    assert seen == [(dlg.list_combo.currentData(), "2023-05")]
