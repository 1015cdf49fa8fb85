"""The month shown: the tree's cells, the 本月填报 overview (its tab title and the status bar), the detail pane,
a saved report's rows, stepping months, and the neighbouring months read ahead in the background."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer

from ...domain.model import Project, TargetList
from ...services import month as month_data
from ...services.database import open_existing
from ...services.history import history_rows
from ...services.reports import latest_actuals, project_reports
from .. import tasks

if TYPE_CHECKING:
    from .window import Window
    from ..tree_model import ListData

NO_LIST = "尚未导入目标任务：文件 → 导入目标任务…（Ctrl+O），或把 .docx/.xlsx 文件拖到窗口上"


class MonthController:
    def __init__(self, window: Window) -> None:
        self.w = window
        self.state = window.state
        # What the 本月填报 figures were last computed for (None: never), and whether the tab's table is behind
        # (it is filled only while the tab is shown; the title and the status bar are kept current by counts).
        self.summary_of: tuple[object, ...] | None = None
        self.overview_behind = True
        # The months next to the one shown are read in the background (see prefetch_neighbours), so that
        # stepping to the last or the next month finds its cells ready.
        self._prefetch_timer = QTimer(window)
        self._prefetch_timer.setSingleShot(True)
        self._prefetch_timer.timeout.connect(self.prefetch_neighbours)
        self._prefetching = False
        self._closed = False

    def close(self) -> None:
        self._closed = True
        self._prefetch_timer.stop()

    # ------------------------------------------------------------ what is shown
    def refresh_detail(self) -> None:
        """Only this project's rows are read (its reports, history, evidence): nothing of the whole list."""
        db, p = self.state.db, self.state.project
        if p is None:
            self.w.detail.show_project(None, [], [], {})
            return
        reports = project_reports(db, p.id)
        children = [] if p.is_leaf else self._children_of(p)
        self.w.detail.show_project(p, reports, history_rows(db, p.id), latest_actuals(reports), children)

    def _children_of(self, p: Project) -> list[Project]:
        node = self.w.model.node_for_key(f"project:{p.id}")
        return [c.project for c in node.children if c.project is not None] if node is not None else []

    def refresh_month(self, list_id: int) -> None:
        shown = self.state.months[list_id]
        d = self.w.model.list_data(list_id)
        projects = d.projects if d is not None else None
        self.w.model.set_month(list_id, shown, self.state.month_cells(list_id, shown, projects))

    def _loaded(self, target_list: TargetList) -> ListData:
        model = self.w.model
        if not model.is_loaded(target_list.id):
            model.ensure_loaded(target_list.id)
        d = model.list_data(target_list.id)
        assert d is not None and d.projects is not None
        return d

    def refresh_overview(self, changed: str | None = None) -> None:
        """The 本月填报 overview from the tree's data (no query but the sent months); ``changed``: the one
        project whose report was saved, updated in place."""
        w = self.w
        target_list = self.state.current_list()
        if target_list is None:
            w.overview.show_overview(None)
            w.status_label.setText(NO_LIST)
            w.setWindowTitle(self.state.app_title())
            return
        if w.tabs.currentIndex() != 1:
            # The tab is not looked at: its title and the status bar from counts; the table when it is shown.
            ov = self.state.summary(target_list, self._loaded(target_list))
            self.overview_behind = True
        else:
            ov = self.state.overview(target_list, self._loaded(target_list))
            self.overview_behind = False
            self._show_overview(ov, changed)
        self.summary_of = (target_list.id, ov.month, self.state.unit)
        w.tabs.setTabText(1, f"本月填报（{ov.left}项未填）" if ov.left else "本月填报（已全部填报）")
        w.status_label.setText(ov.status_line())
        w.setWindowTitle(f"{self.state.app_title()} — {target_list.label} — {ov.status_line()}")

    def _show_overview(self, ov: month_data.MonthOverview, changed: str | None) -> None:
        panel = self.w.overview
        row = next((r for r in ov.rows if r.project.id == changed), None) if changed else None
        if row is not None and panel.overview is not None and panel.overview.month == ov.month:
            panel.update_row(ov, row)
        else:
            panel.show_overview(ov, self.state.sent_months())

    def tab_shown(self) -> None:
        """The 本月填报 tab was brought forward: its table is filled now if it is behind."""
        if self.overview_behind:
            self.refresh_overview()

    # ------------------------------------------------------------ the form's signals
    def report_saved(self, pid: str, shown: str) -> None:
        """One report saved: its tree row, its overview row and the detail pane; nothing else is read."""
        p = self.state.project
        list_id = p.list_id if p is not None and p.id == pid else self.state.list_id
        d = self.w.model.list_data(list_id) if list_id is not None else None
        if d is not None and d.month == shown:
            self.w.model.set_cell(list_id, pid, self.state.project_cell(pid, shown))  # type: ignore[arg-type]
        self.refresh_detail()
        self.refresh_overview(changed=pid)
        self.schedule_prefetch(1500)  # the months kept are stale now: read them again once typing pauses

    def month_changed(self, shown: str) -> None:
        list_id = self.state.list_id
        if list_id is None:
            return
        self.state.months[list_id] = shown
        self.refresh_month(list_id)
        self.refresh_overview()
        self.schedule_prefetch(0)

    def step_month(self, step: int) -> None:
        combo = self.w.form.month_combo
        i = combo.currentIndex() + step
        if 0 <= i < combo.count():
            combo.setCurrentIndex(i)

    def reshow(self, shown: str) -> None:
        """The current project's ``shown`` month again, after its report was deleted or brought back."""
        state = self.state
        if state.list_id is not None:
            state.months[state.list_id] = shown
        self.w.form.set_project(state.current_list(), state.project, shown, state.calendar)
        if state.list_id is not None:
            self.refresh_month(state.list_id)
        self.refresh_detail()
        self.refresh_overview()

    # ------------------------------------------------------------ months read ahead
    def schedule_prefetch(self, msecs: int) -> None:
        """Read the neighbouring months in ``msecs`` (a save restarts the wait: it made the kept months stale)."""
        if not self._closed:
            self._prefetch_timer.start(msecs)

    def prefetch_neighbours(self) -> None:
        """The months before and after the one shown, for the current list, read on a worker's own connection
        and kept (MonthCellCache.put) if nothing was written meanwhile; a month already kept is not read."""
        state = self.state
        if self._closed or state.list_id is None:
            return
        if self._prefetching:  # one read at a time: look again when it is done
            self.schedule_prefetch(100)
            return
        list_id, d = state.list_id, self.w.model.list_data(state.list_id)
        if d is None or d.projects is None:
            return
        db, cache = state.db, state.cells
        combo = self.w.form.month_combo
        i = combo.currentIndex()
        months = [combo.itemData(j) for j in (i - 1, i + 1) if 0 <= j < combo.count()]
        months = [m for m in months if m and not cache.has(db, list_id, m)]
        if not months:
            return
        stamp = cache.stamp(db)
        ids = state.ids_of(list_id, d.projects)
        path = db.path

        def job(_progress, cancel):  # type: ignore[no-untyped-def]
            with open_existing(path) as own:
                return {m: month_data.month_cells(own, list_id, m, ids) for m in months if not cancel.is_set()}

        def done(result: dict[str, dict[str, month_data.MonthCell]]) -> None:
            self._prefetching = False
            if not self._closed:
                for m, cells in result.items():
                    cache.put(self.state.db, stamp, list_id, m, cells)

        def failed(_exc: BaseException) -> None:  # a busy or locked file: the month is read when shown
            self._prefetching = False

        self._prefetching = True
        tasks.run_task(job, done, failed)
