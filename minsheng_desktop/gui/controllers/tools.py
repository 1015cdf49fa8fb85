"""The window's tools that open dialogs of their own: 导出, 发送月报 and the 发件箱 tab (built on first use), the
office template, and the 发展改革委's 汇总, 单位通讯录 and 催报. Each dialog's module is imported when it is first
opened: the window's start does not need them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget

from ...domain.model import TargetList
from .. import dialogs

if TYPE_CHECKING:
    from ...services.database import Database
    from .month import MonthController
    from .navigation import NavigationController
    from .window import Window
    from ..outbox_view import OutboxPanel


def need_list(window: Window, title: str) -> TargetList | None:
    """The current list, or None after telling the clerk to import one first."""
    target_list = window.state.current_list()
    if target_list is None:
        dialogs.show_info(window, title, "还没有导入目标任务：请先用“文件 → 导入目标任务…”导入。")
    return target_list


class ExportController:
    def __init__(self, window: Window) -> None:
        self.w = window
        self.dialog = None  # the ExportDialog last opened

    def open_export(self):  # type: ignore[no-untyped-def]
        from ..export_dialog import ExportDialog  # deferred: see the module's docstring

        w, state = self.w, self.w.state
        target_list = need_list(w, "导出")
        if target_list is None:
            return None
        w.form.flush()
        dlg = ExportDialog(state.db_path, target_list, state.months.get(target_list.id, ""), state.unit,
                           w.settings, w, db=state.db)
        dlg.fillRequested.connect(w.go_fill)
        self.dialog = dlg
        dlg.open()
        return dlg


class MailController:
    """发送月报 and the 发件箱 tab: a placeholder until first shown (the panel imports the exporters and mail)."""

    def __init__(self, window: Window, month_view: MonthController) -> None:
        self.w = window
        self.month_view = month_view
        self.dialog = None  # the MailDialog last opened
        self.panel: OutboxPanel | None = None
        self.placeholder = QWidget()

    def open_mail(self):  # type: ignore[no-untyped-def]
        from ..mail_dialog import MailDialog  # deferred: see the module's docstring

        w, state = self.w, self.w.state
        target_list = need_list(w, "发送月报")
        if target_list is None:
            return None
        w.form.flush()
        dlg = MailDialog(state.db, state.db_path, target_list, state.months.get(target_list.id, ""),
                         state.unit, w.settings, w)
        dlg.mailDone.connect(lambda _sent: self.mail_changed())
        dlg.fillRequested.connect(w.go_fill)
        self.dialog = dlg
        dlg.open()
        return dlg

    def mail_changed(self) -> None:
        self.outbox().refresh()  # built now if it was not yet
        self.month_view.refresh_overview()

    def count_changed(self, n: int) -> None:
        self.w.tabs.setTabText(2, f"发件箱（{n}）" if n else "发件箱")

    def outbox(self) -> OutboxPanel:
        """The 发件箱 panel, put in place of its placeholder on first use."""
        if self.panel is None:
            from ..outbox_view import OutboxPanel  # deferred: see the module's docstring

            w = self.w
            panel = OutboxPanel(w.state.db, w.settings)
            panel.changed.connect(self.count_changed)
            panel.sender.done.connect(lambda *_: self.month_view.refresh_overview())
            tabs = w.tabs
            i = tabs.indexOf(self.placeholder)
            current = tabs.currentIndex()
            tabs.blockSignals(True)
            tabs.removeTab(i)
            tabs.insertTab(i, panel, "发件箱")
            tabs.setCurrentIndex(current)
            tabs.blockSignals(False)
            self.placeholder.deleteLater()
            self.panel = panel
            self.count_changed(len(panel.items))
        return self.panel

    def set_database(self, db: Database) -> None:
        if self.panel is not None:
            self.panel.set_database(db)


class TemplateController:
    """载入报表模板: the office's own template for the month's export."""

    def __init__(self, window: Window) -> None:
        self.w = window

    def open_template(self) -> bool:
        w = self.w
        target_list = need_list(w, "载入报表模板")
        if target_list is None:
            return False
        from ..template_dialog import open_template_dialog  # deferred: see the module's docstring

        w.form.flush()
        done = bool(open_template_dialog(w, w.state.db_path, target_list.id))
        if done:
            w.statusBar().showMessage("已载入报表模板：导出月报表时将按此模板填写", 8000)
        return done


class CollectController:
    """汇总各单位报表: the units' returned reports into the district's month (its own dialog and connections)."""

    def __init__(self, window: Window, nav: NavigationController) -> None:
        self.w = window
        self.nav = nav

    def open_collect(self) -> None:
        from ..collect_view import open_collect_dialog  # deferred: see the module's docstring

        w = self.w
        w.form.flush()
        open_collect_dialog(w, w.state.db_path)
        self.nav.reload()

    def open_units(self) -> None:
        from ..units_dialog import open_units_dialog  # deferred: see the module's docstring

        open_units_dialog(self.w, self.w.state.db_path)

    def open_remind(self) -> None:
        from ..units_dialog import open_remind_dialog  # deferred: see the module's docstring

        self.w.form.flush()  # a report typed just now counts as reported
        open_remind_dialog(self.w, self.w.state.db_path)
