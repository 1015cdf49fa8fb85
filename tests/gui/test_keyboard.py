"""Issue 16, item 6: the keyboard and the small things — one mnemonic per key in the window, mnemonics shown as
underlines (never a literal "&"), the shortcuts in the menu texts, Qt's own file dialog in Chinese."""

from __future__ import annotations

import re

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QAbstractButton, QApplication, QFileDialog, QLabel, QWidget

from minsheng_desktop.gui import app as gui_app
from minsheng_desktop.gui import dialogs

MNEMONIC = re.compile(r"&([^&])")


def _chinese_labels(dlg: QWidget) -> list[str]:
    return [lab.text() for lab in dlg.findChildren(QLabel) if lab.text()]


def test_qt_file_dialog_speaks_chinese(qapp, qtbot):
    assert gui_app.load_translations(qapp)  # as make_app does at start
    dlg = QFileDialog(None, "导入目标任务", "", "Word 文档 (*.docx)")
    dlg.setOption(QFileDialog.Option.DontUseNativeDialog)  # Qt's own: where no desktop theme gives a native one
    qtbot.addWidget(dlg)
    dlg.show()
    texts = _chinese_labels(dlg)
    assert "查找范围(&L)：" in texts and "文件类型(&T)：" in texts, texts
    assert not any(t.startswith(("Look in", "Files of type", "File name")) for t in texts)
    buttons = {b.text() for b in dlg.findChildren(QAbstractButton) if b.text()}
    assert "取消" in buttons and not {"Cancel", "&Open", "Open"} & buttons
    dlg.reject()


def test_the_windows_file_dialogs_speak_chinese(qapp, qtbot, tmp_path):
    """What the program's own calls open (dialogs.choose_*): on a desktop without a native one, Qt's, in Chinese."""
    assert gui_app.load_translations(qapp)
    seen: list[list[str]] = []

    def answer() -> None:
        dlg = QApplication.activeModalWidget()
        if not isinstance(dlg, QFileDialog):
            QTimer.singleShot(20, answer)
            return
        seen.append(_chinese_labels(dlg))
        dlg.reject()

    for call in (lambda: dialogs.choose_open_file(None, "选择文件", str(tmp_path), "Excel 工作簿 (*.xlsx)"),
                 lambda: dialogs.choose_save_file(None, "保存", str(tmp_path / "a.xlsx"), "Excel 工作簿 (*.xlsx)")):
        QTimer.singleShot(20, answer)
        assert call() is None
    assert len(seen) == 2
    for texts in seen:
        assert "查找范围(&L)：" in texts and "文件类型(&T)：" in texts, texts


def _mnemonics(w) -> dict[str, list[str]]:
    """The Alt+key of every place in the window that has one: the menu bar's titles, and the buttons and the
    labels (with a buddy) that are shown."""
    keys: dict[str, list[str]] = {}
    texts = [a.text() for a in w.menuBar().actions()]
    texts += [b.text() for b in w.findChildren(QAbstractButton) if b.isVisibleTo(w)]
    texts += [lab.text() for lab in w.findChildren(QLabel) if lab.buddy() is not None and lab.isVisibleTo(w)]
    for text in texts:
        m = MNEMONIC.search(text.replace("&&", ""))
        if m:
            keys.setdefault(m.group(1).upper(), []).append(text)
    return keys


def test_one_mnemonic_per_key_in_the_window(qtbot, open_window, imported_db):
    from .helpers import select_by_name

    w = open_window()
    select_by_name(w, "建设城市公园")  # the form, with its buttons, enabled
    clashes = {k: v for k, v in _mnemonics(w).items() if len(v) > 1}
    assert clashes == {}
    assert "J" in _mnemonics(w)  # 采用建议


def test_menu_texts_show_the_shortcuts(qtbot, open_window, imported_db):
    """Ctrl+1/2/3 the tabs in their order, Ctrl+4 the form: each menu entry carries its key (shown in the menu)."""
    from PySide6.QtGui import QKeySequence

    w = open_window()
    view = next(a.menu() for a in w.menuBar().actions() if a.text().startswith("查看"))
    keys = {a.text(): a.shortcut().toString(QKeySequence.SequenceFormat.PortableText) for a in view.actions()
            if a.text()}
    assert [keys[t] for t in ("项目列表", "本月填报", "发件箱", "填报表单")] == ["Ctrl+1", "Ctrl+2", "Ctrl+3", "Ctrl+4"]
