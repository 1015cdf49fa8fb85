"""What the main window shows and keeps, in one plain object (no Qt): the database, the target lists, the current
list, project and unit, the month shown per list, and the caches of month cells, overviews and summaries."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import APP_NAME
from ..domain.model import Project, TargetList
from ..domain.plan import Plan
from ..domain.status import reportable_ids
from ..services import lists, month, plan as plans
from ..services.database import Database
from ..services.holidays import work_calendar
from ..services.reports import projects_of
from ..services.sample import SAMPLE_NAME

if TYPE_CHECKING:
    from .tree_model import ListData


class WindowState:
    """The window's data. The controllers read and change it; only the window's widgets show it."""

    def __init__(self, db: Database, db_path: Path, unit: str | None, today: date) -> None:
        self.db = db
        self.db_path = db_path
        self.sample = False  # the sample data is open instead of the clerk's database (controllers/sample.py)
        self.today = today
        self.calendar = work_calendar(db)
        self.unit = unit
        self.lists: dict[int, TargetList] = {}
        self.months: dict[int, str] = {}  # list id -> the month shown
        self.list_id: int | None = None
        self.project: Project | None = None
        self.cells = month.MonthCellCache()  # a month's cells, kept while the database is unchanged
        self._overviews: list[tuple[tuple[object, ...], month.MonthOverview]] = []
        self._summaries: list[tuple[dict[str, Any], tuple[object, ...], month.MonthSummary]] = []
        # list id -> (its projects list, their ids) and (list id, unit) -> (projects, the reportable ids): kept
        # while the tree holds the same projects list object.
        self._ids: dict[int, tuple[list[Project], frozenset[str]]] = {}
        self._reportable: dict[tuple[int, str | None], tuple[list[Project], frozenset[str]]] = {}

    def app_title(self) -> str:
        """The title bar's first part: the program, and 示例数据 while the sample is open."""
        return f"{APP_NAME}（{SAMPLE_NAME}）" if self.sample else APP_NAME

    # ------------------------------------------------------------ the lists
    def current_list(self) -> TargetList | None:
        return self.lists.get(self.list_id) if self.list_id else None

    def read_lists(self) -> dict[int, int]:
        """Read the lists again (at start, after an import or a restore): the calendar and every list; what was
        kept of their months is forgotten. Returns list id -> number of projects (for the collapsed lists)."""
        self.cells.clear()
        self._overviews = []
        self._summaries = []
        self.calendar = work_calendar(self.db)
        self.lists = {t.id: t for t in lists.target_lists(self.db)}
        return lists.project_counts(self.db)

    def choose_list(self, *wanted: int | None) -> int | None:
        """The first of ``wanted`` that is a list, else the newest list (None: there is none)."""
        for list_id in wanted:
            if list_id in self.lists:
                self.list_id = list_id
                break
        else:
            self.list_id = next(iter(self.lists), None)
        return self.list_id

    def swap_database(self, db: Database) -> None:
        """Another database file in place (a restore): nothing of the old one is kept."""
        self.db = db
        self.lists, self.months, self.project = {}, {}, None

    def list_of_project(self, project_id: str) -> int | None:
        return lists.list_of_project(self.db, project_id)

    def lead_units(self) -> list[str]:
        return lists.lead_units(self.db)

    # ------------------------------------------------------------ a list's month
    def month_of(self, target_list: TargetList) -> str:
        return self.months.setdefault(target_list.id, month.default_month(target_list, self.today,
                                                                          self.calendar))

    def load_list(self, list_id: int) -> tuple[list[Project], str, dict[str, Any]]:
        """A list's projects and its month's cells (three + one queries): how the tree loads a list."""
        target_list = self.lists[list_id]
        shown = self.month_of(target_list)
        projects = projects_of(self.db, list_id)
        return projects, shown, self.cells.get(self.db, list_id, shown, self.ids_of(list_id, projects))

    def plans_of(self, list_id: int) -> dict[str, Plan]:
        """The list's 实施方案 by project id (two queries), which judge the tree's lights."""
        return plans.plans_of_list(self.db, list_id)

    def ids_of(self, list_id: int, projects: list[Project]) -> frozenset[str]:
        """The ids of a loaded list's projects (month_cells reads a month without a join given them)."""
        held = self._ids.get(list_id)
        if held is None or held[0] is not projects:
            held = self._ids[list_id] = (projects, frozenset(p.id for p in projects))
        return held[1]

    def month_cells(self, list_id: int, shown: str, projects: list[Project] | None) -> dict[str, month.MonthCell]:
        ids = self.ids_of(list_id, projects) if projects is not None else None
        return self.cells.get(self.db, list_id, shown, ids)

    def project_cell(self, project_id: str, shown: str) -> month.MonthCell | None:
        return month.project_cell(self.db, project_id, shown)

    def sent_months(self) -> dict[str, str]:
        return lists.sent_months(self.db, self.list_id) if self.list_id else {}

    def overview(self, target_list: TargetList, d: ListData) -> month.MonthOverview:
        """The 本月填报 overview of a loaded list. The same projects and the same cells (MonthCellCache: the
        database unchanged since) give the same overview: flipping back to a month shown before builds nothing."""
        assert d.projects is not None
        shown = d.month or self.month_of(target_list)
        key = (target_list, shown, self.unit, self.today, self.calendar, d.projects, d.reports,
               month.changes_made(self.db))
        for k, ov in self._overviews:
            if all(a is b or (type(a) in (str, int) and a == b) for a, b in zip(k, key)):
                return ov
        ov = month.overview_of(target_list, shown, d.projects, d.reports, self.unit, self.today,
                               self.calendar)
        self._overviews = [(key, ov), *self._overviews[:3]]
        return ov

    def summary(self, target_list: TargetList, d: ListData) -> month.MonthSummary:
        """The overview's counts only (the tab's title and the status bar while the tab is not looked at)."""
        assert d.projects is not None
        key = (target_list.id, self.unit)
        held = self._reportable.get(key)
        if held is None or held[0] is not d.projects:
            held = self._reportable[key] = (d.projects, reportable_ids(d.projects, self.unit))
        shown = d.month or self.month_of(target_list)
        # The same cells (the same dict, nothing written since: a save changes it in place) give the same counts:
        # flipping back to a month shown before counts nothing.
        stamp = (target_list, shown, self.unit, self.today, self.calendar, held[1],
                 month.changes_made(self.db))
        for reports, st, summary in self._summaries:
            if reports is d.reports and all(a is b or a == b for a, b in zip(st, stamp)):
                return summary
        summary = month.month_summary(target_list, shown, held[1], d.reports, self.unit, self.today,
                                      self.calendar)
        self._summaries = [(d.reports, stamp, summary), *self._summaries[:5]]
        return summary
