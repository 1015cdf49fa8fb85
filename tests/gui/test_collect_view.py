"""Issue 9 in the window: the 汇总 dialog, and evidence dropped onto the report form."""

from __future__ import annotations

from pathlib import Path

from PIL import Image
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication

from minsheng_desktop.services.reports import month_reports, projects_of
from minsheng_desktop.services.database import open_database
from minsheng_desktop.services import evidence
from minsheng_desktop.gui.collect_view import DROP, CollectDialog
from tests.test_collect import MONTH, RENAMED, SILENT, returned  # noqa: F401 - the fixture

from .helpers import select_by_name


def test_collect_dialog_matches_chooses_and_writes(qtbot, returned):  # noqa: F811
    dlg = CollectDialog(returned["db"])
    qtbot.addWidget(dlg)
    dlg.month_combo.setCurrentIndex(dlg.month_combo.findData(MONTH))
    dlg.add_files(returned["files"])
    dlg.add_files(returned["files"][:1])  # the same file twice is listed once
    assert dlg.files.count() == 4
    with qtbot.waitSignal(dlg.analysed, timeout=10000):
        dlg.analyse_button.click()
    r = dlg.result
    assert r is not None and len(r.unmatched) == 1
    k = r.items.index(r.unmatched[0])
    combo = dlg.combos[k]
    assert combo.itemText(0) == DROP and RENAMED[0] in combo.itemText(1)  # nearest candidate first
    assert "未匹配" in dlg.table.item(k, 4).text()
    assert SILENT in dlg.missing.text() and "未报送的牵头单位1个" in dlg.missing.text()
    combo.setCurrentIndex(1)
    assert not r.unmatched and dlg.table.item(k, 4).text() == "新增"
    assert f"写入{len(returned['done'])}条" in dlg.summary.text()
    with open_database(returned["db"]) as db:
        assert not month_reports(db, r.target_list.id, MONTH)  # nothing before confirming
    with qtbot.waitSignal(dlg.applied, timeout=10000) as done:
        dlg.confirm_button.click()
    assert done.args[0].written == len(returned["done"])
    assert "已写入" in dlg.summary.text() and SILENT in dlg.summary.text()
    with open_database(returned["db"]) as db:
        reps = month_reports(db, r.target_list.id, MONTH)
        names = {p.id: p.name for p in projects_of(db, r.target_list.id)}
    assert {names[pid] for pid in reps} == set(returned["done"])


def test_collect_dialog_shows_bad_file(qtbot, returned, tmp_path):  # noqa: F811
    bad = tmp_path / "bad.json"
    bad.write_text("{}")
    dlg = CollectDialog(returned["db"])
    qtbot.addWidget(dlg)
    dlg.month_combo.setCurrentIndex(dlg.month_combo.findData(MONTH))
    dlg.add_files([bad])
    with qtbot.waitSignal(dlg.failed, timeout=10000) as failed:
        dlg.analyse_button.click()
    assert "bad.json" in failed.args[0] and dlg.summary.text() == failed.args[0]
    assert not dlg.confirm_button.isEnabled()


def _drop(widget, paths: list[Path]) -> QDropEvent:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    pos = QPointF(10, 10)
    enter = QDragEnterEvent(QPoint(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, enter)
    assert enter.isAccepted() == any(p.suffix in (".png", ".pdf") for p in paths)
    drop = QDropEvent(pos, Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, drop)
    return drop


def test_evidence_dropped_on_the_form(qtbot, open_window, imported_db, tmp_path):
    photo = tmp_path / "工地.png"
    Image.new("RGB", (2400, 1200), (200, 120, 60)).save(photo)
    note = tmp_path / "说明.txt"
    note.write_text("x")
    w = open_window()
    p = select_by_name(w, "老旧小区改造")
    form = w.form
    assert form.evidence.isEnabled() and form.evidence.button.text() == "添加佐证材料…"
    _drop(form, [note])  # not a photo or PDF: refused
    _drop(form, [photo])
    items = evidence.list_evidence(w.db, p.id, form.month)
    assert len(items) == 1 and items[0].width == 1600 and items[0].height == 800
    assert form.evidence.list.count() == 1 and form.evidence.list.item(0).text() == "工地.png"
    assert not form.evidence.list.item(0).icon().isNull()
    # the detail pane shows the thumbnail with its month
    assert w.detail.evidence_list.count() == 1
    assert w.detail.evidence_list.item(0).text().endswith("工地.png")
    assert form.add_evidence_files([str(note)]) == 0 and "不是可识别的图片" in form.evidence.message.text()
