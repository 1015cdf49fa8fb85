"""Settings, the last-resort error handler, drops and Qt's Chinese translations."""

from __future__ import annotations

from PySide6.QtCore import QMimeData, QUrl

from minsheng_desktop.gui.controllers.importing import dropped_path
from minsheng_desktop.services import holidays, lists
from minsheng_desktop.gui import app as gui_app
from minsheng_desktop.gui import dialogs
from minsheng_desktop.gui.settings_dialog import SettingsDialog


def test_settings_rejects_bad_holiday_lines(qtbot, open_window, imported_db):
    w = open_window()
    dlg = SettingsDialog(w.db, lists.lead_units(w.db), None, w)
    qtbot.addWidget(dlg)
    dlg.holidays.setPlainText("2027-01-01 放假")
    dlg.accept()
    assert "第1行" in dlg.error.text() and dlg.result() == 0
    dlg.holidays.setPlainText("2027-01-01 休")
    dlg.unit.setCurrentIndex(dlg.unit.findData("区教委"))
    dlg.accept()
    assert dlg.result() == 1 and dlg.chosen_unit == "区教委"
    assert holidays.holiday_text(w.db) == "2027-01-01 休"


def test_unexpected_error_shows_a_short_message(qtbot, open_window, monkeypatch):
    shown: list[str] = []
    monkeypatch.setattr(dialogs, "show_error", lambda parent, title, text: shown.append(text))
    w = open_window()
    try:
        raise ZeroDivisionError("boom")
    except ZeroDivisionError as exc:
        gui_app.excepthook(ZeroDivisionError, exc, exc.__traceback__)
    assert shown and shown[0].startswith("程序出错（ZeroDivisionError）")
    assert w.isVisible()


def test_dropped_files_are_recognised(fixtures_dir):
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(fixtures_dir / "000_wulong_2023_notice.docx"))])

    class Ev:
        def mimeData(self):
            return mime

    assert dropped_path(Ev()).endswith(".docx")
    mime.setUrls([QUrl.fromLocalFile("/tmp/a.pdf")])
    assert dropped_path(Ev()) == "/tmp/a.pdf"  # PDF, web pages, old Office files and photos are read too
    mime.setUrls([QUrl.fromLocalFile("/tmp/notes.txt")])
    assert dropped_path(Ev()) is None
    # several page photos: read together, in the order of their names (page-2 before page-10)
    mime.setUrls([QUrl.fromLocalFile(f"/tmp/scan/page-{n}.jpg") for n in (10, 2, 1)])
    assert dropped_path(Ev()) == ["/tmp/scan/page-1.jpg", "/tmp/scan/page-2.jpg", "/tmp/scan/page-10.jpg"]
    # a folder of photos
    mime.setUrls([QUrl.fromLocalFile(str(fixtures_dir / "004_chengkou_2023_photos"))])
    assert dropped_path(Ev()).endswith("004_chengkou_2023_photos")


def test_qt_translations_load(qapp):
    assert gui_app.load_translations(qapp)
