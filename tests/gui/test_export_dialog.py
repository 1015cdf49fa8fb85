"""导出 from the window: every format written to a folder and readable; a locked file named, the rest written;
an existing file replaced only when the clerk agrees; 打开文件夹 hands the folder to the system."""

from __future__ import annotations

import os
from pathlib import Path

import docx
import openpyxl
import pytest

from minsheng_desktop import fileio
from minsheng_desktop.services.reports import month_reports, projects_of, save_report
from minsheng_desktop.services.database import open_database, select_list
from minsheng_desktop.domain.model import Report
from minsheng_desktop.gui import dialogs


@pytest.fixture
def filled_db(imported_db: Path) -> Path:
    with open_database(imported_db) as db:
        tl = select_list(db)
        for p in [p for p in projects_of(db, tl.id) if p.is_leaf][:3]:
            save_report(db, Report(p.id, "2023-06", "on_track", 50, 10, "正常推进", None, "继续施工"))
    return imported_db


def _export(qtbot, dlg, folder: Path):
    dlg.folder.setText(str(folder))
    with qtbot.waitSignal(dlg.finished_export, timeout=60000) as done:
        dlg.export_button.click()
    return done.args[0]


def test_export_all_formats(qtbot, open_window, filled_db, tmp_path, monkeypatch):
    opened = []
    monkeypatch.setattr(dialogs, "open_url", lambda url: opened.append(url.toLocalFile()) or True)
    w = open_window()
    dlg = w.open_export()
    assert dlg.chosen_month == "2023-06"  # the month due on the fixed today
    assert dlg.formats["bulletin"].isEnabled()  # June ends a quarter
    dlg.formats["bulletin"].setChecked(True)
    out = tmp_path / "导出"
    results = _export(qtbot, dlg, out)
    assert [r.kind for r in results] == ["xlsx", "docx", "letter", "bulletin"]
    assert all(r.ok for r in results), [r.message for r in results]
    names = sorted(p.name for p in out.iterdir())
    assert len(names) == 4 and not any(n.endswith(".tmp") for n in names)
    assert any("2023年6月民生实事推进情况表.xlsx" in n for n in names)
    wb = openpyxl.load_workbook(next(out.glob("*.xlsx")))
    assert "民生实事" in str(wb.active["A1"].value)
    for f in out.glob("*.docx"):
        assert docx.Document(str(f)).paragraphs or docx.Document(str(f)).tables
    assert dlg.result_list.count() == 4
    assert dlg.open_button.isEnabled()
    dlg.open_button.click()
    assert opened == [str(out)]
    assert w.settings.value("export_dir") == str(out)  # remembered for next time

    dlg.month.setCurrentIndex(dlg.month.findData("2023-05"))
    assert not dlg.formats["bulletin"].isEnabled()  # May does not end a quarter
    assert "bulletin" not in dlg.chosen_kinds


def test_locked_file_is_named_and_the_rest_written(qtbot, open_window, filled_db, tmp_path, monkeypatch):
    real = os.replace
    errors = []

    def replace(src, dst):  # the cover letter is open in WPS, on Windows (which refuses the rename)
        if "函" in Path(dst).name:
            raise PermissionError(13, "Permission denied", str(dst))
        real(src, dst)

    monkeypatch.setattr(fileio, "RENAME_REFUSED_MEANS_HELD_OPEN", True)
    monkeypatch.setattr(fileio.os, "replace", replace)
    monkeypatch.setattr(dialogs, "show_error", lambda _p, title, text: errors.append((title, text)))
    w = open_window()
    dlg = w.open_export()
    results = _export(qtbot, dlg, tmp_path)
    bad = [r for r in results if not r.ok]
    assert [r.kind for r in bad] == ["letter"]
    assert bad[0].path.name in bad[0].message and "正被其他程序" in bad[0].message
    assert len(errors) == 1 and bad[0].path.name in errors[0][1] and "其余文件已照常导出" in errors[0][1]
    assert sorted(r.kind for r in results if r.ok) == ["docx", "xlsx"]
    assert all(r.path.exists() for r in results if r.ok) and not bad[0].path.exists()
    assert not [p.name for p in bad[0].path.parent.iterdir() if p.name.endswith(".tmp")]  # the refused one's is gone


def test_a_folder_that_refuses_the_file_is_not_called_held_open(qtbot, open_window, filled_db, tmp_path,
                                                                 monkeypatch):
    real = os.replace

    def replace(src, dst):  # Linux: the letter is someone else's file in a shared folder
        if "函" in Path(dst).name:
            raise PermissionError(13, "Permission denied", str(dst))
        real(src, dst)

    monkeypatch.setattr(fileio, "RENAME_REFUSED_MEANS_HELD_OPEN", False)
    monkeypatch.setattr(fileio.os, "replace", replace)
    monkeypatch.setattr(dialogs, "show_error", lambda *_a: None)
    w = open_window()
    results = _export(qtbot, w.open_export(), tmp_path)
    bad = [r for r in results if not r.ok]
    assert [r.kind for r in bad] == ["letter"]
    assert "正被其他程序" not in bad[0].message
    assert "无法写入输出文件" in bad[0].message and "Permission denied" in bad[0].message


def test_existing_file_is_replaced_only_when_agreed(qtbot, open_window, filled_db, tmp_path, monkeypatch):
    w = open_window()
    dlg = w.open_export()
    first = _export(qtbot, dlg, tmp_path)
    xlsx = next(r.path for r in first if r.kind == "xlsx")
    xlsx.write_bytes(b"clerk's own edits")
    questions = []
    monkeypatch.setattr(dialogs, "ask", lambda _p, _t, text: questions.append(text) or False)
    second = _export(qtbot, dlg, tmp_path)
    assert len(questions) == 3 and xlsx.name in questions[0]
    assert xlsx.read_bytes() == b"clerk's own edits"  # never overwritten without asking
    assert all(not r.ok and "未覆盖" in r.message for r in second)
    monkeypatch.setattr(dialogs, "ask", lambda *_a: True)
    third = _export(qtbot, dlg, tmp_path)
    assert all(r.ok for r in third)
    assert xlsx.read_bytes().startswith(b"PK")


def test_export_starts_at_own_unit_and_names_the_unfilled(qtbot, open_window, filled_db, contact_questions):
    """With 本单位 set the export is the unit's (as 发送月报 is); its projects still unfilled are named, and
    去填报 goes to the first of them on that month."""
    w = open_window()
    w.set_unit("区教委")
    dlg = w.open_export()
    assert dlg.scope_mine.isChecked() and dlg.chosen_unit == "区教委"
    with open_database(filled_db) as db:
        tl = select_list(db)
        reported = set(month_reports(db, tl.id, "2023-06"))
        ours = [p for p in projects_of(db, tl.id)
                if p.is_leaf and not p.withdrawn and "区教委" in p.lead_units and p.id not in reported]
    assert ours
    qtbot.waitUntil(lambda: dlg.unfilled.isVisible(), timeout=20000)  # read in a worker
    text = dlg.unfilled.label.text()
    assert f"区教委2023年6月尚有{len(ours)}个项目未填报" in text and ours[0].name in text
    dlg.scope_all.setChecked(True)
    qtbot.waitUntil(lambda: not dlg.unfilled.label.text().startswith("区教委"), timeout=20000)
    assert dlg.unfilled.label.text().startswith("2023年6月尚有")
    dlg.scope_mine.setChecked(True)
    qtbot.waitUntil(lambda: dlg.unfilled.label.text().startswith("区教委"), timeout=20000)
    dlg.unfilled.button.click()
    assert not dlg.isVisible()
    assert w.project is not None and w.project.id == ours[0].id and w.form.month == "2023-06"


def test_contact_asked_once_on_first_export(qtbot, open_window, filled_db, tmp_path, contact_questions):
    contact_questions.answer = ("张三", "023-77771234")
    w = open_window()
    dlg = w.open_export()
    results = _export(qtbot, dlg, tmp_path / "a")
    assert contact_questions == [("", "")]  # asked, with nothing known yet
    ws = openpyxl.load_workbook(next(r.path for r in results if r.kind == "xlsx")).active
    assert "联系人：张三" in ws["A2"].value and "联系电话：023-77771234" in ws["A2"].value
    _export(qtbot, dlg, tmp_path / "b")
    w.close()
    w2 = open_window()  # another day: not asked again
    _export(qtbot, w2.open_export(), tmp_path / "c")
    assert len(contact_questions) == 1
