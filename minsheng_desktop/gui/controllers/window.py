"""What the controllers and the menus use of the main window (gui/main_window.py's MainWindow is the one that has
it all), written as a Protocol so that they need not import main_window, which imports them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from PySide6.QtCore import QSettings, SignalInstance
    from PySide6.QtWidgets import QCheckBox, QLabel, QLineEdit, QMenuBar, QStatusBar, QTabWidget, QToolBar, QTreeView

    from ..detail import DetailPane
    from ..overview import OverviewPanel
    from ..pane_layout import Panes
    from ..report_form import ReportForm
    from ..tree_model import ProjectFilter, ProjectTreeModel
    from ..window_state import WindowState


class Window(Protocol):
    state: WindowState
    settings: QSettings
    starting: bool  # True while the window is being built (nothing the clerk did yet)
    importFinished: SignalInstance  # noqa: N815 - Qt signal names
    previewReady: SignalInstance  # noqa: N815
    # the widgets
    search: QLineEdit
    only_mine: QCheckBox
    show_withdrawn: QCheckBox
    model: ProjectTreeModel
    proxy: ProjectFilter
    tree: QTreeView
    tabs: QTabWidget  # 项目, 本月填报, 发件箱
    overview: OverviewPanel
    detail: DetailPane
    form: ReportForm
    panes: Panes  # the tree, the detail pane and the form side by side, or the last two as tabs
    status_label: QLabel

    def statusBar(self) -> QStatusBar: ...  # noqa: N802 - Qt's
    def menuBar(self) -> QMenuBar: ...  # noqa: N802
    def addToolBar(self, bar: QToolBar) -> None: ...  # noqa: N802
    def setWindowTitle(self, title: str) -> None: ...  # noqa: N802
    def close(self) -> bool: ...

    def show_tab(self, i: int) -> None: ...
    def go_fill(self, project_id: str, month: str) -> None: ...

    # the menus' entries
    def choose_import(self) -> None: ...
    def open_template(self) -> bool: ...
    def open_export(self) -> object: ...
    def open_mail(self) -> object: ...
    def open_settings(self) -> None: ...
    def focus_search(self) -> None: ...
    def delete_month_report(self) -> bool: ...
    def restore_month_report(self) -> bool: ...
    def step_month(self, step: int) -> None: ...
    def pick_unit(self) -> bool: ...
    def open_collect(self) -> None: ...
    def open_backups(self) -> object: ...
    def about(self) -> None: ...
    def open_sample(self) -> None: ...
