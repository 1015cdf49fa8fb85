"""The main window: its layout (project tree, detail pane, report form, 本月填报, 发件箱), menus and toolbar, and the
wiring of the widgets to the controllers (gui/controllers/) that do the work on the state (window_state.py).

Its public methods (import_file, open_export, select_key …) hand over to the controllers, for the menus and the
tests alike."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QSettings, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QMainWindow,
    QTabWidget, QTreeView, QVBoxLayout, QWidget,
)

from .. import APP_NAME
from ..domain.model import Project, TargetList
from ..paths import default_db_path
from ..services.lists import outbox_count
from . import dialogs, screen_fit, startup, tasks
from .controllers.backup import BackupController
from .controllers.importing import IMPORT_SUFFIXES, ImportController, dropped_path
from .controllers.month import MonthController
from .controllers.navigation import NavigationController
from .controllers.reports import ReportsController
from .controllers.sample import SampleController
from .controllers.tools import CollectController, ExportController, MailController, TemplateController
from .detail import DetailPane
from .menus import build_menus
from .overview import OverviewPanel
from .pane_layout import Panes
from .report_form import ReportForm
from .resources import add_window_pngs, window_icon
from .tree_model import COL_NAME, ProjectFilter, ProjectTreeModel, header_model
from .window_state import WindowState

if TYPE_CHECKING:
    from collections.abc import Callable

    from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent, QPaintEvent

    from ..services.database import Database
    from .import_dialog import ImportPreviewDialog
    from .outbox_view import OutboxPanel

__all__ = ["IMPORT_SUFFIXES", "MainWindow"]


class MainWindow(QMainWindow):
    importFinished = Signal(bool)  # True when a list was stored
    previewReady = Signal(object)  # the ImportPreviewDialog, shown and waiting for the clerk

    def __init__(self, db_path: str | os.PathLike[str] | None = None, settings: QSettings | None = None,
                 today: date | None = None) -> None:
        super().__init__()
        path = Path(db_path) if db_path else default_db_path()
        # One window per database: the second is refused (DatabaseInUse) before it reads anything.
        self.lock = startup.lock_database(path)
        # A large file is checked (PRAGMA quick_check) and backed up in the background once the window is shown.
        check_later = startup.check_in_background(path)
        try:
            db = startup.open_database(None, path, check=not check_later)
        except BaseException:
            self.lock.unlock()
            raise
        self._setup(db, path, settings, today, check_later)
        QTimer.singleShot(0, self._after_first_paint_if_hidden)

    def _setup(self, db: Database, path: Path, settings: QSettings | None, today: date | None,
               check_later: bool) -> None:
        self.starting = True  # until the window is built: see NavigationController.current_changed
        self.settings = settings if settings is not None else QSettings()
        self.state = WindowState(db, path, self.settings.value("my_unit") or None, today or date.today())
        self.setWindowTitle(APP_NAME)
        self.setWindowIcon(window_icon(pngs=False))  # its PNG sizes are added after the first paint
        # Work that nothing in the first frame needs runs right after it (or on the first event-loop turn when
        # the window is not shown): see paintEvent / _after_first_paint.
        self._after_paint: list[Callable[[], object]] | None = [self._add_icon_pngs]
        self._after_paint_posted = False
        self.setAcceptDrops(True)
        self.month_view = MonthController(self)
        self.nav = NavigationController(self, self.month_view)
        self.importer = ImportController(self, self.nav)
        self.reports = ReportsController(self, self.month_view)
        self.mail = MailController(self, self.month_view)
        self.backups = BackupController(self, self.nav, self.mail)
        self.exports = ExportController(self)
        self.templates = TemplateController(self)
        self.collect = CollectController(self, self.nav)
        self.sample = SampleController(self, self.nav, self.mail)  # the welcome panel, the sample data
        self._build()
        self.act_mine, self.toolbar = build_menus(self)
        if not check_later:
            self.backups.daily_backup()
        self.nav.reload(self.nav.startup_list())
        self._restore()
        if check_later:
            self._after_paint.append(self.backups.start_background_check)
        self._after_paint.append(lambda: self.month_view.schedule_prefetch(200))
        self.starting = False

    # ------------------------------------------------------------ the state, as the tests and dialogs read it
    @property
    def db(self) -> Database:
        return self.state.db

    @property
    def db_path(self) -> Path:
        return self.state.db_path

    @property
    def lists(self) -> dict[int, TargetList]:
        return self.state.lists

    @property
    def list_id(self) -> int | None:
        return self.state.list_id

    @property
    def project(self) -> Project | None:
        return self.state.project

    @property
    def unit(self) -> str | None:
        return self.state.unit

    @property
    def import_dialog(self) -> ImportPreviewDialog | None:
        return self.importer.dialog

    @property
    def outbox(self) -> OutboxPanel:
        """The 发件箱 panel (built on first use)."""
        return self.mail.outbox()

    # ------------------------------------------------------------ right after the first paint
    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        super().paintEvent(event)
        if self._after_paint is not None and not self._after_paint_posted:
            # The window and all its children are painted in this same pass: the posted call runs after it.
            self._after_paint_posted = True
            QTimer.singleShot(0, self._after_first_paint)

    def after_first_paint(self, fn: Callable[[], object]) -> None:
        """Run ``fn`` right after the window's first paint (at once when that has passed)."""
        if self._after_paint is None:
            fn()
        else:
            self._after_paint.append(fn)

    def _after_first_paint_if_hidden(self) -> None:
        if not self.isVisible():  # never painted (not shown yet): nothing to wait for
            self._after_first_paint()
        else:  # a window that is not painted soon (started minimized, say) does not wait for it either
            QTimer.singleShot(500, self._after_first_paint)

    def _after_first_paint(self) -> None:
        todo, self._after_paint = self._after_paint, None
        for fn in todo or ():
            fn()

    def _add_icon_pngs(self) -> None:
        self.setWindowIcon(add_window_pngs(self.windowIcon()))

    # ------------------------------------------------------------ layout
    def _build(self) -> None:
        nav, month_view = self.nav, self.month_view
        left = QWidget()
        lay = QVBoxLayout(left)
        lay.setContentsMargins(0, 0, 0, 0)
        bar = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setPlaceholderText("查找项目、目标任务或单位（Ctrl+F）")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(nav.search_changed)
        self.search.installEventFilter(self)  # Enter / ↓: the first match; Esc: clear (see eventFilter)
        self.only_mine = QCheckBox("只看本单位")
        self.only_mine.toggled.connect(nav.only_mine_toggled)
        self.show_withdrawn = QCheckBox("显示已撤销")
        self.show_withdrawn.setChecked(True)
        self.show_withdrawn.toggled.connect(nav.withdrawn_toggled)
        bar.addWidget(self.search, 1)
        bar.addWidget(self.only_mine)
        bar.addWidget(self.show_withdrawn)
        lay.addLayout(bar)
        self.model = ProjectTreeModel(self)
        self.model.loader = self.state.load_list
        self.model.plans_of = self.state.plans_of  # the 实施方案 judge the lights (issue 17)
        self.proxy = ProjectFilter(self)  # the filtering is done inside the model (one pass, one layout change)
        self.proxy.setSourceModel(self.model)
        self.tree = QTreeView()
        self.tree.setModel(self.proxy)
        self.tree.header().setModel(header_model(self.tree))  # the column titles without Python headerData
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(COL_NAME, QHeaderView.ResizeMode.Stretch)
        for col, width in ((0, 110), (2, 130), (3, 96), (4, 80)):
            self.tree.setColumnWidth(col, width)
        self.tree.selectionModel().currentChanged.connect(nav.current_changed)
        self.tree.activated.connect(nav.activated)
        self.tree.expanded.connect(nav.expanded)
        self.proxy.layoutChanged.connect(nav.span_groups)
        self.proxy.modelReset.connect(lambda: nav.span_groups(fresh=True))
        self.tabs = QTabWidget()
        self.tabs.addTab(self.tree, "项目")
        self.overview = OverviewPanel()
        self.overview.projectActivated.connect(nav.select_project)
        self.tabs.addTab(self.overview, "本月填报")
        # The 发件箱 (it imports the exporters and the mail code) is built when it is first shown.
        self.tabs.addTab(self.mail.placeholder, "发件箱")
        self.mail.count_changed(outbox_count(self.state.db))
        self.tabs.currentChanged.connect(self._tab_changed)
        lay.addWidget(self.tabs, 1)
        self.detail = DetailPane()
        self.detail.plan_changed.connect(self._plan_changed)  # a saved 实施方案 judges the lights anew
        self.form = ReportForm(self.state.db)
        self.form.saved.connect(month_view.report_saved)
        self.form.monthChanged.connect(month_view.month_changed)
        self.detail.plan_changed.connect(self.form.plan_changed)  # the form's 本月节点 and suggestion
        self.panes = Panes(left, self.detail, self.form, self)  # three columns, or the detail as a tab: pane_layout
        self.splitter = self.panes.splitter
        self.setCentralWidget(self.sample.central(self.splitter))
        self.status_label = QLabel()
        self.statusBar().addPermanentWidget(self.status_label)
        QWidget.setTabOrder(self.search, self.only_mine)
        QWidget.setTabOrder(self.only_mine, self.show_withdrawn)
        QWidget.setTabOrder(self.show_withdrawn, self.tabs)

    def _plan_changed(self, _project_id: str) -> None:
        self.model.forget_plans()

    def _tab_changed(self, i: int) -> None:
        if i == 2:
            self.mail.outbox()  # built on first use
        if i == 1:
            self.month_view.tab_shown()

    def show_tab(self, i: int) -> None:
        self.tabs.setCurrentIndex(i)
        # The outbox panel is built on first use: only touch it when that tab is asked for.
        target = self.outbox.table if i == 2 else (self.tree, self.overview.table)[i]
        target.setFocus()

    # ------------------------------------------------------------ the search box
    def focus_search(self) -> None:
        self.show_tab(0)
        self.search.setFocus()
        self.search.selectAll()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if watched is self.search and event.type() == QEvent.Type.KeyPress:
            from PySide6.QtCore import Qt  # deferred: not at start (see menus.key_sequences)

            key = event.key()  # type: ignore[attr-defined]
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Down):
                self.nav.go_to_first_match()
                return True
            if key == Qt.Key.Key_Escape and self.search.text():
                self.search.clear()
                return True
        return super().eventFilter(watched, event)

    # ------------------------------------------------------------ what the menus and the tests call
    def choose_import(self) -> None:
        if self.sample.leave():  # a notice is always for the clerk's own data, never the sample's
            self.importer.choose()

    def import_file(self, path: str | os.PathLike[str] | list[str]) -> None:
        if self.sample.leave():
            self.importer.import_file(path)

    def open_sample(self) -> None:
        self.sample.open_sample()

    def reload(self, list_id: int | None = None) -> None:
        self.nav.reload(list_id)

    def select_key(self, key: str) -> bool:
        return self.nav.select_key(key)

    def select_project(self, project_id: str) -> None:
        self.nav.select_project(project_id)

    def go_to_first_match(self) -> bool:
        return self.nav.go_to_first_match()

    def pick_unit(self) -> bool:
        return self.nav.pick_unit()

    def set_unit(self, unit: str | None) -> None:
        self.nav.set_unit(unit)

    def step_month(self, step: int) -> None:
        self.month_view.step_month(step)

    def go_fill(self, project_id: str, month: str) -> None:
        """From 去填报 in the export or mail dialog: that project's form, on that month, ready to type."""
        self.select_project(project_id)
        combo = self.form.month_combo
        i = combo.findData(month)
        if i >= 0 and combo.currentIndex() != i:
            combo.setCurrentIndex(i)  # the form shows the month and tells the window (tree, overview)
        self.panes.show_form()
        self.form.progress.setFocus()

    def sent_months(self) -> dict[str, str]:
        return self.state.sent_months()

    def delete_month_report(self) -> bool:
        return self.reports.delete_month_report()

    def restore_month_report(self) -> bool:
        return self.reports.restore_month_report()

    def open_export(self):  # type: ignore[no-untyped-def]
        return self.exports.open_export()

    def open_mail(self):  # type: ignore[no-untyped-def]
        return self.mail.open_mail()

    def open_template(self) -> bool:
        return self.templates.open_template()

    def open_collect(self) -> None:
        self.collect.open_collect()

    def open_backups(self):  # type: ignore[no-untyped-def]
        return self.backups.open_backups()

    def open_settings(self) -> None:
        from .settings_dialog import SettingsDialog  # deferred: the dialog's module, when first opened

        state = self.state
        self.form.flush()
        dlg = SettingsDialog(state.db, state.lead_units(), state.unit, self)
        if dlg.exec():
            self.set_unit(dlg.chosen_unit)
            self.reload()
            target_list = state.current_list()
            self.form.set_project(target_list, state.project, state.months.get(state.list_id or 0, ""),
                                  state.calendar)

    def about(self) -> None:
        from .about_dialog import AboutDialog  # deferred: it reads the version (importlib.metadata, ~20 ms)

        AboutDialog(self, self.state.db_path).exec()

    # ------------------------------------------------------------ files dropped on the window
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 - Qt override
        if dropped_path(event) is not None:
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 - Qt override
        path = dropped_path(event)
        if path is not None:
            event.acceptProposedAction()
            self.import_file(path)

    # ------------------------------------------------------------ start and end
    def _restore(self) -> None:
        s = self.settings
        # The clerk's size and splitters are used again only where they still fit this screen (another monitor,
        # a new scaling); otherwise, and on first start, a size that fits the screen, centred.
        area = screen_fit.available_area(self)
        restored = s.value("geometry") is not None and self.restoreGeometry(s.value("geometry")) and (
            self.isMaximized() or screen_fit.fits(self.geometry(), area))
        if not restored:
            self.setGeometry(screen_fit.first_geometry(area))
        self.panes.restore(s, self.width(), use_saved=bool(restored))
        if s.value("window_state") is not None:
            self.restoreState(s.value("window_state"))
        unit = self.state.unit
        if unit:
            self.set_unit(unit)
        self.show_withdrawn.setChecked(str(s.value("show_withdrawn", "true")).lower() == "true")
        self.only_mine.setChecked(bool(unit) and str(s.value("only_mine", "false")).lower() == "true")
        key = str(s.value("last_selection", "") or "")
        if not (key and self.select_key(key)) and self.state.list_id is not None:
            self.select_key(f"list:{self.state.list_id}")

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        self.form.flush()
        if self.form.has_errors and not dialogs.ask(
                self, "有填写有误的项", "表单中有填写有误的项（见红字），这些项没有保存。仍要关闭吗？"):
            event.ignore()
            return
        self.settings.setValue("geometry", self.saveGeometry())
        self.settings.setValue("window_state", self.saveState())
        self.panes.save(self.settings)
        self.settings.sync()
        tasks.wait_all()
        self.backups.close()
        self.month_view.close()
        self._after_paint = None  # closed before its first paint was followed up: nothing more to start
        self.state.db.close()
        self.sample.close()
        self.lock.unlock()
        super().closeEvent(event)
