"""The main window's menu bar and toolbar: every action, its text, shortcut and the window method it calls; the
most used ones on the toolbar with their icons (SVG, or a Qt standard one)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QSize
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QToolBar

from .resources import tool_icon

if TYPE_CHECKING:
    from .controllers.window import Window

TOOLBAR = (  # (key, text, icon file, fallback: the QStyle.StandardPixmap member's name, for a missing file)
    ("import", "导入", "import", "SP_DialogOpenButton"),
    ("save", "保存", "save", "SP_DialogSaveButton"),
    ("export", "导出", "export", "SP_ArrowDown"),
    ("mail", "发送", "mail", "SP_CommandLink"),
    ("search", "查找", "search", "SP_FileDialogContentsView"),
    ("backup", "备份", "backup", "SP_DriveHDIcon"),
    ("settings", "设置", "settings", "SP_FileDialogDetailedView"),
)


def build_toolbar(window: Window, actions: dict[str, QAction]) -> QToolBar:
    bar = QToolBar("工具栏", window)
    bar.setObjectName("main_toolbar")
    bar.setIconSize(QSize(22, 22))
    bar.setProperty("toolButtonStyle", 2)  # Qt.ToolButtonStyle.ToolButtonTextBesideIcon (no Qt enums at start)
    bar.setMovable(False)
    for key, text, icon, fallback in TOOLBAR:
        a = actions[key]
        a.setIcon(tool_icon(icon, fallback, window))
        a.setIconText(text)
        tip = a.text().replace("(&", "(").replace("&", "").rstrip("…")
        sc = a.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        a.setToolTip(f"{tip}（{sc}）" if sc else tip)
        bar.addAction(a)
        if key in ("save", "mail"):
            bar.addSeparator()
    window.addToolBar(bar)
    return bar


def key_sequences(shortcut: QKeySequence | QKeySequence.StandardKey | str) -> list[QKeySequence]:
    """What ``setShortcut(QKeySequence(shortcut))`` sets, as setShortcuts' list: a standard key's first binding on
    this platform (as QKeySequence(key) takes it), a string in portable text. Neither QKeySequence(…) nor
    QAction.setShortcut: PySide's overload checks there (Qt.Key, Qt.KeyboardModifier) create every enum type of
    the Qt namespace (~15 ms) before the window's first paint."""
    if isinstance(shortcut, QKeySequence):
        return [shortcut]
    if isinstance(shortcut, str):
        return [QKeySequence.fromString(shortcut)]
    return QKeySequence.keyBindings(shortcut)[:1]


def _action(w: Window, menu: object, text: str, slot: object, shortcut: QKeySequence | str | None = None,
            checkable: bool = False) -> QAction:
    a = QAction(text, w)
    if shortcut is not None:
        a.setShortcuts(key_sequences(shortcut))
    a.setCheckable(checkable)
    a.triggered.connect(slot)
    menu.addAction(a)  # type: ignore[attr-defined]
    return a


def open_year_end(w: Window, kind: str) -> object:
    """The year's end dialogs (gui/year_end.py), imported when first opened: it loads the export use cases, which
    the window's start does not need."""
    from .year_end import open_year_end as open_dialog  # deferred: see the docstring

    return open_dialog(w, kind)


def _open_mail_collect(w: Window) -> None:
    from .collect_mail_view import open_from_window  # deferred like the controllers' dialogs (start-up time)

    open_from_window(w)


def build_menus(w: Window) -> tuple[QAction, QToolBar]:
    """The menus and the toolbar; returns the 只看本单位 action (kept in step with its check box) and the toolbar."""
    acts: dict[str, QAction] = {}
    m = w.menuBar().addMenu("文件(&F)")
    acts["import"] = _action(w, m, "导入目标任务(&I)…", w.choose_import, QKeySequence.StandardKey.Open)
    _action(w, m, "载入报表模板(&T)…", w.open_template)
    acts["save"] = _action(w, m, "立即保存(&S)", w.form.flush, QKeySequence.StandardKey.Save)
    m.addSeparator()
    acts["export"] = _action(w, m, "导出(&E)…", w.open_export, "Ctrl+E")
    acts["mail"] = _action(w, m, "发送月报(&M)…", w.open_mail, "Ctrl+Shift+E")
    _action(w, m, "导出实施方案(&L)…", lambda: open_year_end(w, "plan"))
    _action(w, m, "导出年度完成情况报告(&Y)…", lambda: open_year_end(w, "annual"))
    m.addSeparator()
    acts["settings"] = _action(w, m, "设置(&P)…", w.open_settings, QKeySequence.StandardKey.Preferences)
    m.addSeparator()
    _action(w, m, "退出(&X)", w.close, QKeySequence.StandardKey.Quit)
    m = w.menuBar().addMenu("编辑(&E)")
    acts["search"] = _action(w, m, "查找项目(&F)", w.focus_search, QKeySequence.StandardKey.Find)
    _action(w, m, "复制上月(&C)", w.form.copy_previous, "Ctrl+Shift+C")
    m.addSeparator()
    _action(w, m, "删除本月填报(&D)…", w.delete_month_report)
    _action(w, m, "恢复已删除的填报(&R)…", w.restore_month_report)
    m = w.menuBar().addMenu("查看(&V)")
    # Ctrl+1…4: the places of the window from the left — the three tabs in their order, then the form.
    _action(w, m, "项目列表", lambda: w.show_tab(0), "Ctrl+1")
    _action(w, m, "本月填报", lambda: w.show_tab(1), "Ctrl+2")
    _action(w, m, "发件箱", lambda: w.show_tab(2), "Ctrl+3")
    _action(w, m, "填报表单", lambda: (w.panes.show_form(), w.form.progress.setFocus()), "Ctrl+4")
    m.addSeparator()
    _action(w, m, "上个月", lambda: w.step_month(-1), "Alt+Left")
    _action(w, m, "下个月", lambda: w.step_month(1), "Alt+Right")
    m.addSeparator()
    act_mine = _action(w, m, "只看本单位(&U)", w.only_mine.setChecked, "Ctrl+U", checkable=True)
    w.only_mine.toggled.connect(act_mine.setChecked)
    _action(w, m, "选择本单位…", w.pick_unit)
    m = w.menuBar().addMenu("汇总(&C)")
    _action(w, m, "汇总各单位报表(&C)…", w.open_collect)
    _action(w, m, "收取报送邮件(&M)…", lambda: _open_mail_collect(w))
    _action(w, m, "单位通讯录(&U)…", w.collect.open_units)
    _action(w, m, "催报未报送单位(&R)…", w.collect.open_remind)
    m.addSeparator()
    _action(w, m, "导出考核评比表(&K)…", lambda: open_year_end(w, "assessment"))
    m = w.menuBar().addMenu("工具(&T)")
    acts["backup"] = _action(w, m, "备份与恢复(&B)…", w.open_backups)
    m = w.menuBar().addMenu("帮助(&H)")
    _action(w, m, "打开示例数据(&S)", w.open_sample)  # the sample's own database; 回到我的数据 on its banner
    _action(w, m, "关于(&A)", w.about)
    return act_mine, build_toolbar(w, acts)
