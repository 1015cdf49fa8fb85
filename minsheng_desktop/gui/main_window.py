"""The main window: project tree, detail pane, report form, 本月填报 overview, 发件箱, menus and toolbar.

Import lives in window_import.py, export/mail/backup/delete-restore in window_tools.py (mixins)."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QItemSelectionModel, QModelIndex, QObject, QSettings, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QMainWindow,
    QSplitter, QTabWidget, QTreeView, QVBoxLayout, QWidget,
)

from .. import APP_NAME
from ..services import workbench
from ..domain.model import Project, TargetList
from ..paths import default_db_path
from ..storage import gui_queries, repo
from ..storage import reports as report_repo
from . import dialogs, screen_fit, startup, tasks
from .detail import DetailPane
from .overview import OverviewPanel
from .report_form import ReportForm
from .resources import add_window_pngs, window_icon
from .tree_model import (
    COL_NAME, KeyRole, ListData, ListIdRole, ProjectFilter, ProjectRole, ProjectTreeModel, header_model,
)
from .window_import import IMPORT_SUFFIXES, ImportMixin
from .window_tools import ToolsMixin

if TYPE_CHECKING:
    from collections.abc import Callable

    from PySide6.QtGui import QCloseEvent, QPaintEvent
    from PySide6.QtWidgets import QProgressDialog

    from .import_dialog import ImportPreviewDialog
    from .outbox_view import OutboxPanel

__all__ = ["IMPORT_SUFFIXES", "MainWindow"]



def _key_sequences(shortcut: QKeySequence | QKeySequence.StandardKey | str) -> list[QKeySequence]:
    """What ``setShortcut(QKeySequence(shortcut))`` sets, as setShortcuts' list: a standard key's first binding on
    this platform (as QKeySequence(key) takes it), a string in portable text. Neither QKeySequence(…) nor
    QAction.setShortcut: PySide's overload checks there (Qt.Key, Qt.KeyboardModifier) create every enum type of
    the Qt namespace (~15 ms) before the window's first paint."""
    if isinstance(shortcut, QKeySequence):
        return [shortcut]
    if isinstance(shortcut, str):
        return [QKeySequence.fromString(shortcut)]
    return QKeySequence.keyBindings(shortcut)[:1]

class MainWindow(ImportMixin, ToolsMixin, QMainWindow):
    importFinished = Signal(bool)  # True when a list was stored
    previewReady = Signal(object)  # the ImportPreviewDialog, shown and waiting for the clerk

    def __init__(self, db_path: str | os.PathLike[str] | None = None, settings: QSettings | None = None,
                 today: date | None = None) -> None:
        super().__init__()
        self.db_path = Path(db_path) if db_path else default_db_path()
        # One window per database: the second is refused (DatabaseInUse) before it reads anything.
        self.lock = startup.lock_database(self.db_path)
        # A large file is checked (PRAGMA quick_check) and backed up in the background once the window is shown.
        self._check_later = startup.check_in_background(self.db_path)
        try:
            self.db = startup.open_database(None, self.db_path, check=not self._check_later)
        except BaseException:
            self.lock.unlock()
            raise
        self._setup(settings, today)
        QTimer.singleShot(0, self._after_first_paint_if_hidden)

    def _setup(self, settings: QSettings | None, today: date | None) -> None:
        self._starting = True  # until the window is built: see _current_changed
        self.settings = settings if settings is not None else QSettings()
        self.today = today or date.today()
        self.calendar = workbench.work_calendar(self.db)
        self.unit: str | None = self.settings.value("my_unit") or None
        self.lists: dict[int, TargetList] = {}
        self.months: dict[int, str] = {}
        self.list_id: int | None = None
        self.project: Project | None = None
        self.import_dialog: ImportPreviewDialog | None = None
        self._progress: QProgressDialog | None = None
        self.setWindowTitle(APP_NAME)
        self.setWindowIcon(window_icon(pngs=False))  # its PNG sizes are added after the first paint
        # Work that nothing in the first frame needs runs right after it (or on the first event-loop turn when
        # the window is not shown): see paintEvent / _after_first_paint.
        self._after_paint: list[Callable[[], object]] | None = [self._add_icon_pngs]
        self._after_paint_posted = False
        self.setAcceptDrops(True)
        self._outbox: OutboxPanel | None = None
        self._opened: set[int] = set()
        self._check: startup.BackgroundCheck | None = None
        self._closed = False
        self._cells = gui_queries.MonthCellCache()  # a month's cells, kept while the database is unchanged
        self._overviews: list[tuple[tuple[object, ...], workbench.MonthOverview]] = []
        # What the 本月填报 figures were last computed for (None: never), and whether the tab's table is behind
        # (it is filled only while the tab is shown; the title and the status bar are kept current by counts).
        self._summary_of: tuple[object, ...] | None = None
        self._overview_behind = True
        # list id -> (its projects list, their ids) and (list id, unit) -> (projects, the reportable ids): kept
        # while the tree holds the same projects list object.
        self._ids: dict[int, tuple[list[Project], frozenset[str]]] = {}
        self._reportable: dict[tuple[int, str | None], tuple[list[Project], frozenset[str]]] = {}
        self._summaries: list[tuple[dict[str, Any], tuple[object, ...], workbench.MonthSummary]] = []
        # The months next to the one shown are read in the background (see _prefetch_neighbours), so that
        # stepping to the last or the next month finds its cells ready.
        self._prefetch_timer = QTimer(self)
        self._prefetch_timer.setSingleShot(True)
        self._prefetch_timer.timeout.connect(self._prefetch_neighbours)
        self._prefetching = False
        self._build()
        self._menus()
        if not self._check_later:
            self.daily_backup()
        self.reload(self._startup_list())
        self._restore()
        if self._check_later:
            self._after_paint.append(self._start_background_check)
        self._after_paint.append(lambda: self._schedule_prefetch(200))
        self._starting = False

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
        left = QWidget()
        lay = QVBoxLayout(left)
        lay.setContentsMargins(0, 0, 0, 0)
        bar = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setPlaceholderText("查找项目、目标任务或单位（Ctrl+F）")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._search_changed)
        self.search.installEventFilter(self)  # Enter / ↓: the first match; Esc: clear (see eventFilter)
        self.only_mine = QCheckBox("只看本单位")
        self.only_mine.toggled.connect(self._only_mine_toggled)
        self.show_withdrawn = QCheckBox("显示已撤销")
        self.show_withdrawn.setChecked(True)
        self.show_withdrawn.toggled.connect(self._withdrawn_toggled)
        bar.addWidget(self.search, 1)
        bar.addWidget(self.only_mine)
        bar.addWidget(self.show_withdrawn)
        lay.addLayout(bar)
        self.model = ProjectTreeModel(self)
        self.model.loader = self._load_list
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
        self.tree.selectionModel().currentChanged.connect(self._current_changed)
        self.tree.activated.connect(self._tree_activated)
        self.tree.expanded.connect(self._expanded)
        self.proxy.layoutChanged.connect(self._span_groups)
        self.proxy.modelReset.connect(lambda: self._span_groups(fresh=True))
        self.tabs = QTabWidget()
        self.tabs.addTab(self.tree, "项目")
        self.overview = OverviewPanel()
        self.overview.projectActivated.connect(self.select_project)
        self.tabs.addTab(self.overview, "本月填报")
        # The 发件箱 (it imports the exporters and the mail code) is built when it is first shown.
        self._outbox_placeholder = QWidget()
        self.tabs.addTab(self._outbox_placeholder, "发件箱")
        self._outbox_count(gui_queries.outbox_count(self.db))
        self.tabs.currentChanged.connect(self._tab_changed)
        lay.addWidget(self.tabs, 1)
        self.detail = DetailPane()
        self.form = ReportForm(self.db)
        self.form.saved.connect(self._report_saved)
        self.form.monthChanged.connect(self._month_changed)
        self.splitter = QSplitter()  # horizontal (not named: Qt.Orientation would create all Qt's enums)
        for w in (left, self.detail, self.form):
            self.splitter.addWidget(w)
        self.splitter.setSizes([620, 360, 420])
        self.splitter.setChildrenCollapsible(False)
        self.setCentralWidget(self.splitter)
        self.status_label = QLabel()
        self.statusBar().addPermanentWidget(self.status_label)
        QWidget.setTabOrder(self.search, self.only_mine)
        QWidget.setTabOrder(self.only_mine, self.show_withdrawn)
        QWidget.setTabOrder(self.show_withdrawn, self.tabs)

    def _action(self, menu: object, text: str, slot: object, shortcut: QKeySequence | str | None = None,
                checkable: bool = False) -> QAction:
        a = QAction(text, self)
        if shortcut is not None:
            a.setShortcuts(_key_sequences(shortcut))
        a.setCheckable(checkable)
        a.triggered.connect(slot)
        menu.addAction(a)  # type: ignore[attr-defined]
        return a

    def _menus(self) -> None:
        acts: dict[str, QAction] = {}
        m = self.menuBar().addMenu("文件(&F)")
        acts["import"] = self._action(m, "导入目标任务(&I)…", self.choose_import, QKeySequence.StandardKey.Open)
        self._action(m, "载入报表模板(&T)…", self.open_template)
        acts["save"] = self._action(m, "立即保存(&S)", self.form.flush, QKeySequence.StandardKey.Save)
        m.addSeparator()
        acts["export"] = self._action(m, "导出(&E)…", self.open_export, "Ctrl+E")
        acts["mail"] = self._action(m, "发送月报(&M)…", self.open_mail, "Ctrl+Shift+E")
        m.addSeparator()
        acts["settings"] = self._action(m, "设置(&P)…", self.open_settings, QKeySequence.StandardKey.Preferences)
        m.addSeparator()
        self._action(m, "退出(&X)", self.close, QKeySequence.StandardKey.Quit)
        m = self.menuBar().addMenu("编辑(&E)")
        acts["search"] = self._action(m, "查找项目(&F)", self.focus_search, QKeySequence.StandardKey.Find)
        self._action(m, "复制上月(&C)", self.form.copy_previous, "Ctrl+Shift+C")
        m.addSeparator()
        self._action(m, "删除本月填报(&D)…", self.delete_month_report)
        self._action(m, "恢复已删除的填报(&R)…", self.restore_month_report)
        m = self.menuBar().addMenu("查看(&V)")
        # Ctrl+1…4: the places of the window from the left — the three tabs in their order, then the form.
        self._action(m, "项目列表", lambda: self._show_tab(0), "Ctrl+1")
        self._action(m, "本月填报", lambda: self._show_tab(1), "Ctrl+2")
        self._action(m, "发件箱", lambda: self._show_tab(2), "Ctrl+3")
        self._action(m, "填报表单", lambda: self.form.progress.setFocus(), "Ctrl+4")
        m.addSeparator()
        self._action(m, "上个月", lambda: self._step_month(-1), "Alt+Left")
        self._action(m, "下个月", lambda: self._step_month(1), "Alt+Right")
        m.addSeparator()
        self.act_mine = self._action(m, "只看本单位(&U)", self.only_mine.setChecked, "Ctrl+U", checkable=True)
        self.only_mine.toggled.connect(self.act_mine.setChecked)
        self._action(m, "选择本单位…", self.pick_unit)
        m = self.menuBar().addMenu("汇总(&C)")
        self._action(m, "汇总各单位报表(&C)…", self.open_collect)
        m = self.menuBar().addMenu("工具(&T)")
        acts["backup"] = self._action(m, "备份与恢复(&B)…", self.open_backups)
        m = self.menuBar().addMenu("帮助(&H)")
        self._action(m, "关于(&A)", self.about)
        self.toolbar = self._build_toolbar(acts)

    # ------------------------------------------------------------ the 发件箱, built on first use
    @property
    def outbox(self) -> OutboxPanel:
        if self._outbox is None:
            from .outbox_view import OutboxPanel

            panel = OutboxPanel(self.db, self.settings)
            panel.changed.connect(self._outbox_count)
            panel.sender.done.connect(lambda *_: self._refresh_overview())
            i = self.tabs.indexOf(self._outbox_placeholder)
            current = self.tabs.currentIndex()
            self.tabs.blockSignals(True)
            self.tabs.removeTab(i)
            self.tabs.insertTab(i, panel, "发件箱")
            self.tabs.setCurrentIndex(current)
            self.tabs.blockSignals(False)
            self._outbox_placeholder.deleteLater()
            self._outbox = panel
            self._outbox_count(len(panel.items))
        return self._outbox

    def _tab_changed(self, i: int) -> None:
        if i == 2 and self._outbox is None:
            self.outbox  # noqa: B018 - builds it
        if i == 1 and self._overview_behind:
            self._refresh_overview()

    # ------------------------------------------------------------ data
    def _startup_list(self) -> int | None:
        """The list the clerk last worked in (from the last selection), else None: the newest."""
        key = str(self.settings.value("last_selection", "") or "")
        kind, _, rest = key.partition(":")
        try:
            if kind in ("list", "section"):
                return int(rest.split(":")[0])
            if kind == "project":
                return gui_queries.list_of_project(self.db, rest)
        except ValueError:
            pass
        return None

    def _month_of(self, tl: TargetList) -> str:
        return self.months.setdefault(tl.id, workbench.default_month(tl, self.today, self.calendar))

    def _load_list(self, list_id: int) -> tuple[list[Project], str, dict[str, Any]]:
        """How the tree loads a list: its projects and its month's reports (three + one queries)."""
        tl = self.lists[list_id]
        month = self._month_of(tl)
        projects = repo.load_projects(self.db, list_id)
        return projects, month, self._cells.get(self.db, list_id, month, self._ids_of(list_id, projects))

    def _ids_of(self, list_id: int, projects: list[Project]) -> frozenset[str]:
        """The ids of a loaded list's projects (month_cells reads a month without a join given them)."""
        held = self._ids.get(list_id)
        if held is None or held[0] is not projects:
            held = self._ids[list_id] = (projects, frozenset(p.id for p in projects))
        return held[1]

    def reload(self, list_id: int | None = None) -> None:
        """Read the lists again (at start, after an import); keeps the selection.

        Only the current list (and lists the clerk has opened) are read; the others are collapsed rows whose
        projects are read when they are expanded."""
        key = self._current_key()
        self._cells.clear()
        self._overviews = []
        self._summaries = []
        loaded = set(self.model.loaded_ids())
        self.calendar = workbench.work_calendar(self.db)
        self.lists = {t.id: t for t in gui_queries.target_lists(self.db)}
        counts = gui_queries.project_counts(self.db)
        for wanted in (list_id, self.list_id):
            if wanted in self.lists:
                self.list_id = wanted
                break
        else:
            self.list_id = next(iter(self.lists), None)
        if self.list_id is not None:
            loaded.add(self.list_id)
        data = []
        for tl in self.lists.values():
            if tl.id in loaded:
                projects, month, cells = self._load_list(tl.id)
                data.append(ListData(tl, projects, month, cells))
            else:
                data.append(ListData(tl, None, self.months.get(tl.id, ""), {}, counts.get(tl.id, 0)))
        self.model.set_lists(data)
        # The loaded lists are spanned (the reset above) and expanded here: _expanded need not do it again.
        self._opened.update(self.model.loaded_ids())
        self._expand_loaded()
        if key:
            self.select_key(key)
        self._refresh_overview()

    def _expand_loaded(self, only: int | None = None) -> None:
        """Expand the loaded lists' groups (sections, projects with sub-projects), not every row of the tree
        (which would also load every collapsed list)."""
        tree, proxy, model = self.tree, self.proxy, self.model
        for list_id in ([only] if only is not None else model.loaded_ids()):
            ln = model.node_for_key(f"list:{list_id}")
            stack = [ln] if ln is not None else []
            while stack:
                node = stack.pop()
                idx = proxy.mapFromSource(model.index_for_key(node.key))
                if not idx.isValid():
                    continue
                if not tree.isExpanded(idx):
                    tree.expand(idx)
                stack.extend(c for c in node.vk if c.children)

    def _expanded(self, index: QModelIndex) -> None:
        """A collapsed list was opened (fetchMore has just loaded it): open its sections too, span its groups."""
        if index.parent().isValid():
            return
        list_id = index.data(ListIdRole)
        if list_id is not None and list_id not in self._opened:
            self._opened.add(list_id)
            QTimer.singleShot(0, lambda: (self._expand_loaded(list_id), self._span_groups()))

    def _span_groups(self, *_: object, fresh: bool = False) -> None:
        """List and section rows show their title across all columns. Walked on the source nodes, so only the
        groups are mapped (not every project row); called after a reset, a filter change, a list loaded.
        ``fresh``: right after a reset, when no row is spanned yet (nothing to ask the view first)."""
        proxy, tree, model = self.proxy, self.tree, self.model
        root = QModelIndex()
        for ln in model.root_nodes():
            idx = proxy.mapFromSource(model.index_for_key(ln.key))
            if not idx.isValid():
                continue
            # Only when not yet spanned: setFirstColumnSpanned lays the whole tree out at once.
            if fresh or not tree.isFirstColumnSpanned(idx.row(), root):
                tree.setFirstColumnSpanned(idx.row(), root, True)
            for c in ln.children:
                if c.kind == "section":
                    sidx = proxy.mapFromSource(model.index_for_key(c.key))
                    if sidx.isValid() and (fresh or not tree.isFirstColumnSpanned(sidx.row(), idx)):
                        tree.setFirstColumnSpanned(sidx.row(), idx, True)

    # ------------------------------------------------------------ after the window is shown
    def _start_background_check(self) -> None:
        """PRAGMA quick_check of a large file (on its own thread and connection), then today's backup."""
        self._check = startup.BackgroundCheck(self.db_path, self._background_checked)
        self._check.start()

    def _background_checked(self, problem: str | None) -> None:
        if self._closed:
            return
        if problem is not None:
            self.database_damaged(problem)
            return
        tasks.run_task(startup.daily_backup_job(self.db_path), self._backup_done, self._backup_done)

    def _backup_done(self, error: object) -> None:
        if error:
            self.statusBar().showMessage(f"今天的自动备份没有成功：{error}", 15000)

    def database_damaged(self, problem: str) -> None:
        """The background check found the file damaged: say so and offer the newest good backup, as opening
        a damaged file does (the file is set aside, never deleted; nothing is restored without a yes)."""
        from ..services import backup

        self.form.flush()
        good = backup.newest_good_backup(self.db_path)
        if good is None:
            dialogs.show_error(self, "数据库已损坏", f"{problem}\n\n没有找到可用的备份。请不要继续填写，"
                                                  "联系技术人员，或用 minsheng check 查看详情。")
            return
        from .backup_dialog import describe

        when, why = describe(good)
        if dialogs.ask(self, "数据库已损坏",
                       f"{problem}\n\n找到一份完好的备份：{when}（{why}）。\n要用它恢复吗？\n\n"
                       "损坏的数据库会改名另存在原文件夹中，不会删除；备份之后填写的内容需要重新填写。"):
            self.restore_database(good)

    def _current_key(self) -> str | None:
        idx = self.tree.currentIndex()
        return idx.data(KeyRole) if idx.isValid() else None

    def select_key(self, key: str) -> bool:
        src = self.model.index_for_key(key)
        idx = self.proxy.mapFromSource(src)
        if not idx.isValid():
            return False
        self.tree.setCurrentIndex(idx)
        self.tree.selectionModel().select(idx, QItemSelectionModel.SelectionFlag.ClearAndSelect
                                          | QItemSelectionModel.SelectionFlag.Rows)
        self.tree.scrollTo(idx)
        return True

    def select_project(self, project_id: str) -> None:
        self._show_tab(0)
        if not self.select_key(f"project:{project_id}"):
            self.search.clear()
            self.show_withdrawn.setChecked(True)
            self.only_mine.setChecked(False)
            self.select_key(f"project:{project_id}")

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        p = current.data(ProjectRole) if current.isValid() else None
        list_id = current.data(ListIdRole) if current.isValid() else None
        list_changed = False
        if list_id and list_id != self.list_id:
            self.list_id, list_changed = list_id, True
        if self.list_id is not None and not self.model.is_loaded(self.list_id):
            self.model.ensure_loaded(self.list_id)  # a collapsed list chosen: its overview needs its projects
            self._expand_loaded(self.list_id)
            self._span_groups()
            list_changed = True
        self.project = p
        # The clerk's selection is remembered; restoring the stored one at start writes nothing (QSettings
        # would write its file before the first paint).
        if not self._starting:
            self.settings.setValue("last_selection", current.data(KeyRole) if current.isValid() else "")
        tl = self.lists.get(self.list_id) if self.list_id else None
        self.form.set_project(tl, p, self._month_of(tl) if tl else "", self.calendar)
        self._refresh_detail()
        if list_changed or self._summary_of is None:
            self._refresh_overview()  # the overview is the list's: not rebuilt while moving inside it

    def _tree_activated(self, index: QModelIndex) -> None:
        p = index.data(ProjectRole)
        if p is not None and p.is_leaf:
            self.form.progress.setFocus()

    def _refresh_detail(self) -> None:
        """Only this project's rows are read (its reports, history, evidence): nothing of the whole list."""
        p = self.project
        if p is None:
            self.detail.show_project(None, [], [], {})
            return
        reports = report_repo.reports_for_project(self.db, p.id)
        children = [] if p.is_leaf else self._children_of(p)
        self.detail.show_project(p, reports, workbench.history_rows(self.db, p.id),
                                 workbench.latest_actuals(reports), children)

    def _children_of(self, p: Project) -> list[Project]:
        node = self.model.node_for_key(f"project:{p.id}")
        return [c.project for c in node.children if c.project is not None] if node is not None else []

    def _refresh_month(self, list_id: int) -> None:
        month = self.months[list_id]
        d = self.model.list_data(list_id)
        ids = self._ids_of(list_id, d.projects) if d is not None and d.projects is not None else None
        self.model.set_month(list_id, month, self._cells.get(self.db, list_id, month, ids))

    def _loaded(self, tl: TargetList) -> ListData:
        if not self.model.is_loaded(tl.id):
            self.model.ensure_loaded(tl.id)
        d = self.model.list_data(tl.id)
        assert d is not None and d.projects is not None
        return d

    def _overview(self, tl: TargetList):  # type: ignore[no-untyped-def]
        d = self._loaded(tl)
        month = d.month or self._month_of(tl)
        # The same projects and the same cells (MonthCellCache: the database unchanged since) give the same
        # overview: flipping back to a month shown before builds nothing.
        key = (tl, month, self.unit, self.today, self.calendar, d.projects, d.reports, self.db.conn.total_changes)
        for k, ov in self._overviews:
            if all(a is b or (type(a) in (str, int) and a == b) for a, b in zip(k, key)):
                return ov
        ov = workbench.overview_of(tl, month, d.projects, d.reports, self.unit, self.today, self.calendar)
        self._overviews = [(key, ov), *self._overviews[:3]]
        return ov

    def _refresh_overview(self, changed: str | None = None) -> None:
        """The 本月填报 overview from the tree's data (no query but the sent months); ``changed``: the one
        project whose report was saved, updated in place."""
        tl = self.lists.get(self.list_id) if self.list_id else None
        if tl is None:
            self.overview.show_overview(None)
            self.status_label.setText("尚未导入目标任务：文件 → 导入目标任务…（Ctrl+O），或把 .docx/.xlsx 文件拖到窗口上")
            self.setWindowTitle(APP_NAME)
            return
        if self.tabs.currentIndex() != 1:
            # The tab is not looked at: its title and the status bar from counts; the table when it is shown.
            ov = self._summary(tl)
            self._overview_behind = True
        else:
            ov = self._overview(tl)
            self._overview_behind = False
            self._show_overview(ov, changed)
        self._summary_of = (tl.id, ov.month, self.unit)
        self.tabs.setTabText(1, f"本月填报（{ov.left}项未填）" if ov.left else "本月填报（已全部填报）")
        self.status_label.setText(ov.status_line())
        self.setWindowTitle(f"{APP_NAME} — {tl.label} — {ov.status_line()}")

    def _summary(self, tl: TargetList) -> workbench.MonthSummary:
        d = self._loaded(tl)
        key = (tl.id, self.unit)
        held = self._reportable.get(key)
        if held is None or held[0] is not d.projects:
            held = self._reportable[key] = (d.projects, workbench.reportable_ids(d.projects, self.unit))
        month = d.month or self._month_of(tl)
        # The same cells (the same dict, nothing written since: a save changes it in place) give the same counts:
        # flipping back to a month shown before counts nothing.
        stamp = (tl, month, self.unit, self.today, self.calendar, held[1], self.db.conn.total_changes)
        for reports, st, summary in self._summaries:
            if reports is d.reports and all(a is b or a == b for a, b in zip(st, stamp)):
                return summary
        summary = workbench.month_summary(tl, month, held[1], d.reports, self.unit, self.today, self.calendar)
        self._summaries = [(d.reports, stamp, summary), *self._summaries[:5]]
        return summary

    def _show_overview(self, ov: workbench.MonthOverview, changed: str | None) -> None:
        row = next((r for r in ov.rows if r.project.id == changed), None) if changed else None
        if row is not None and self.overview.overview is not None and self.overview.overview.month == ov.month:
            self.overview.update_row(ov, row)
        else:
            self.overview.show_overview(ov, self.sent_months())

    def _report_saved(self, pid: str, month: str) -> None:
        """One report saved: its tree row, its overview row and the detail pane; nothing else is read."""
        p = self.project
        list_id = p.list_id if p is not None and p.id == pid else self.list_id
        d = self.model.list_data(list_id) if list_id is not None else None
        if d is not None and d.month == month:
            self.model.set_cell(list_id, pid, gui_queries.project_cell(self.db, pid, month))  # type: ignore[arg-type]
        self._refresh_detail()
        self._refresh_overview(changed=pid)
        self._schedule_prefetch(1500)  # the months kept are stale now: read them again once typing pauses

    def _month_changed(self, month: str) -> None:
        if self.list_id is None:
            return
        self.months[self.list_id] = month
        self._refresh_month(self.list_id)
        self._refresh_overview()
        self._schedule_prefetch(0)

    # ------------------------------------------------------------ months read ahead
    def _schedule_prefetch(self, msecs: int) -> None:
        """Read the neighbouring months in ``msecs`` (a save restarts the wait: it made the kept months stale)."""
        if not self._closed:
            self._prefetch_timer.start(msecs)

    def _prefetch_neighbours(self) -> None:
        """The months before and after the one shown, for the current list, read on a worker's own connection
        and kept (MonthCellCache.put) if nothing was written meanwhile; a month already kept is not read."""
        if self._closed or self.list_id is None:
            return
        if self._prefetching:  # one read at a time: look again when it is done
            self._schedule_prefetch(100)
            return
        list_id, d = self.list_id, self.model.list_data(self.list_id)
        if d is None or d.projects is None:
            return
        combo = self.form.month_combo
        i = combo.currentIndex()
        months = [combo.itemData(j) for j in (i - 1, i + 1) if 0 <= j < combo.count()]
        months = [m for m in months if m and not self._cells.has(self.db, list_id, m)]
        if not months:
            return
        stamp = self._cells.stamp(self.db)
        ids = self._ids_of(list_id, d.projects)
        path = self.db.path

        def job(_progress, cancel):  # type: ignore[no-untyped-def]
            from ..storage.db import Database

            with Database(path, migrate=False) as db:
                return {m: gui_queries.month_cells(db, list_id, m, ids) for m in months if not cancel.is_set()}

        def done(result: dict[str, dict[str, gui_queries.MonthCell]]) -> None:
            self._prefetching = False
            if not self._closed:
                for m, cells in result.items():
                    self._cells.put(self.db, stamp, list_id, m, cells)

        def failed(_exc: BaseException) -> None:  # a busy or locked file: the month is read when shown
            self._prefetching = False

        self._prefetching = True
        tasks.run_task(job, done, failed)

    def _step_month(self, step: int) -> None:
        combo = self.form.month_combo
        i = combo.currentIndex() + step
        if 0 <= i < combo.count():
            combo.setCurrentIndex(i)

    # ------------------------------------------------------------ filters
    def focus_search(self) -> None:
        self._show_tab(0)
        self.search.setFocus()
        self.search.selectAll()

    def _show_tab(self, i: int) -> None:
        self.tabs.setCurrentIndex(i)
        # The outbox panel is built on first use: only touch it when that tab is asked for.
        target = self.outbox.table if i == 2 else (self.tree, self.overview.table)[i]
        target.setFocus()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if watched is self.search and event.type() == QEvent.Type.KeyPress:
            from PySide6.QtCore import Qt  # not at import: see _key_sequences

            key = event.key()  # type: ignore[attr-defined]
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Down):
                self.go_to_first_match()
                return True
            if key == Qt.Key.Key_Escape and self.search.text():
                self.search.clear()
                return True
        return super().eventFilter(watched, event)

    def go_to_first_match(self) -> bool:
        """From the search box to the tree, on the first project shown (a sub-project to fill in first)."""
        first: QModelIndex | None = None

        def walk(parent: QModelIndex) -> QModelIndex | None:
            nonlocal first
            for row in range(self.proxy.rowCount(parent)):
                idx = self.proxy.index(row, 0, parent)
                p = idx.data(ProjectRole)
                if p is not None:
                    if p.is_leaf:
                        return idx
                    first = first or idx
                found = walk(idx)
                if found is not None:
                    return found
            return None

        idx = walk(QModelIndex()) or first
        self._show_tab(0)
        if idx is None:
            return False
        key = idx.data(KeyRole)
        return bool(key) and self.select_key(key)

    def _search_changed(self, text: str) -> None:
        if self.proxy.set_text(text):
            self._after_filter()

    def _after_filter(self) -> None:
        """Groups shown again by the filter are expanded (the filter keeps the groups that stay as they were)."""
        self._span_groups()
        self._expand_loaded()

    def _only_mine_toggled(self, on: bool) -> None:
        if on and not self.unit and not self.pick_unit():
            self.only_mine.setChecked(False)
            return
        self.proxy.set_unit(self.unit if on else None)
        self.settings.setValue("only_mine", on)
        self._after_filter()

    def _withdrawn_toggled(self, on: bool) -> None:
        self.proxy.set_show_withdrawn(on)
        self.settings.setValue("show_withdrawn", on)
        self._after_filter()

    def pick_unit(self) -> bool:
        unit = dialogs.choose_unit(self, workbench.lead_units(self.db), self.unit)
        if unit:
            self.set_unit(unit)
        return unit is not None

    def set_unit(self, unit: str | None) -> None:
        self.unit = unit
        if (self.settings.value("my_unit") or "") != (unit or ""):  # restoring it at start writes nothing
            self.settings.setValue("my_unit", unit or "")
        self.only_mine.setText(f"只看本单位（{unit}）" if unit else "只看本单位")
        if self.only_mine.isChecked():
            self.proxy.set_unit(unit)
            self._after_filter()
        self._refresh_overview()

    # ------------------------------------------------------------ dialogs and state
    def open_settings(self) -> None:
        from .settings_dialog import SettingsDialog

        self.form.flush()
        dlg = SettingsDialog(self.db, workbench.lead_units(self.db), self.unit, self)
        if dlg.exec():
            self.set_unit(dlg.chosen_unit)
            self.reload()
            self.form.set_project(self.lists.get(self.list_id or 0), self.project,
                                  self.months.get(self.list_id or 0, ""), self.calendar)

    def about(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        from .. import __version__  # read on first use (importlib.metadata costs ~20 ms at start-up)

        QMessageBox.about(self, f"关于{APP_NAME}",
                          f"<h3>{APP_NAME}</h3><p>版本 {__version__}</p>"
                          "<p>导入年度民生实事目标任务，按月填报进展，提醒截止日期。</p>"
                          f"<p>数据库：{self.db_path}</p>"
                          "<p>节假日数据：chinese_calendar（国务院办公厅公布的安排），可在设置中补充。</p>")

    def _restore(self) -> None:
        s = self.settings
        # The clerk's size and splitters are used again only where they still fit this screen (another monitor,
        # a new scaling); otherwise, and on first start, a size that fits the screen, centred.
        area = screen_fit.available_area(self)
        restored = s.value("geometry") is not None and self.restoreGeometry(s.value("geometry")) and (
            self.isMaximized() or screen_fit.fits(self.geometry(), area))
        if not restored:
            self.setGeometry(screen_fit.first_geometry(area))
        elif s.value("splitter") is not None:
            self.splitter.restoreState(s.value("splitter"))
        if s.value("window_state") is not None:
            self.restoreState(s.value("window_state"))
        if self.unit:
            self.set_unit(self.unit)
        self.show_withdrawn.setChecked(str(s.value("show_withdrawn", "true")).lower() == "true")
        self.only_mine.setChecked(bool(self.unit) and str(s.value("only_mine", "false")).lower() == "true")
        key = str(s.value("last_selection", "") or "")
        if not (key and self.select_key(key)) and self.list_id is not None:
            self.select_key(f"list:{self.list_id}")

    def closeEvent(self, event: QCloseEvent) -> None:
        self.form.flush()
        if self.form.has_errors and not dialogs.ask(
                self, "有填写有误的项", "表单中有填写有误的项（见红字），这些项没有保存。仍要关闭吗？"):
            event.ignore()
            return
        self.settings.setValue("geometry", self.saveGeometry())
        self.settings.setValue("window_state", self.saveState())
        self.settings.setValue("splitter", self.splitter.saveState())
        self.settings.sync()
        tasks.wait_all()
        self._closed = True
        self._prefetch_timer.stop()
        self._after_paint = None  # closed before its first paint was followed up: nothing more to start
        self.db.close()
        self.lock.unlock()
        super().closeEvent(event)
