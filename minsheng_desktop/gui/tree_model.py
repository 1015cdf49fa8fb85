"""The project tree: target list → section → project → sub-project, and its search / unit filter proxy.

Over 400 lines because ProjectTreeModel is one class (~390 lines): its nodes, lazy list loading, month cells and
in-model filtering work on the same node arrays on every hot path (20,000 projects), and are read best together."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QIdentityProxyModel, QModelIndex, QPersistentModelIndex
from PySide6.QtGui import QColor, QFont, QStandardItemModel

from ..domain.model import STATUS_LABELS, Project, Report, TargetList
from ..domain.schedule import LIGHT_LABELS, month_label
from ..domain.plan import expected
from ..domain.status import is_blank, light_for
from ..services.month import MonthCell, MonthCells
from .icons import light_icon

COLUMNS = ("序号", "项目名称", "牵头单位", "状态", "完成进度%")
COL_NUMBER, COL_NAME, COL_UNITS, COL_STATUS, COL_PERCENT = range(5)

# Qt's roles and flags as the plain ints they are: importing ``Qt`` (the namespace) creates all of its ~100
# Python enum types at once (~15 ms), which the window's start does without (the views pass roles as ints).
DisplayRole, DecorationRole, ToolTipRole, FontRole, TextAlignmentRole, ForegroundRole = 0, 1, 3, 6, 7, 9
UserRole = 0x100
ALIGN_RIGHT_VCENTER = 0x0002 | 0x0080  # Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter

ProjectRole = UserRole + 1
KeyRole = UserRole + 2  # "list:1", "section:1:市级民生实事", "project:p-…"
SearchRole = UserRole + 3
ListIdRole = UserRole + 4

Index = QModelIndex | QPersistentModelIndex
# A QColor, not a QBrush: the views take either for ForegroundRole, and QBrush(QColor) makes PySide create
# the Qt namespace's enum types (to rule out its Qt.GlobalColor overload), ~15 ms of the start.
_GREY = QColor("#8a8a8a")
_PROJECT_ROLES = frozenset((DisplayRole, DecorationRole, ToolTipRole, TextAlignmentRole))
_NCOLS = len(COLUMNS)
_BOLD = QFont()
_BOLD.setBold(True)


class _Node:
    """One row of the tree. ``children`` are all its rows; ``vk`` the rows shown under the current filter (the
    same list object when nothing is filtered) and ``pos`` this node's row among its parent's ``vk`` (kept up to
    date, so row() never searches: a section of 20,000 projects would make every parent() call linear)."""

    __slots__ = ("kind", "key", "parent", "list_id", "title", "project", "children", "vk", "pos", "search",
                 "vis")

    def __init__(self, kind: str, key: str, parent: _Node | None, list_id: int = 0, title: str = "",
                 project: Project | None = None) -> None:
        self.kind = kind  # "root" | "list" | "section" | "project"
        self.key = key
        self.parent = parent
        self.list_id = list_id
        self.title = title
        self.project = project
        self.children: list[_Node] = []
        self.vk = self.children
        self.pos = 0
        # What the search box matches, lower-cased once (number, name, target, units).
        self.search = "" if project is None else " ".join(
            (project.number, project.name, project.target or "", *project.lead_units,
             *project.partner_units)).casefold()
        self.vis = True  # shown under the current filter

    def row(self) -> int:
        return self.pos



def header_model(parent: Any) -> Any:
    """The tree's column titles for its header (``tree.header().setModel(header_model(tree))``).

    QHeaderView would otherwise call ProjectTreeModel.headerData, and the orientation PySide passes to a Python
    override is a Qt enum: the first call creates every enum type of the Qt namespace (~15 ms of the start).
    The columns are fixed, so a QStandardItemModel (all C++) holds the same titles."""
    m = QStandardItemModel(0, _NCOLS, parent)
    m.setHorizontalHeaderLabels(list(COLUMNS))
    return m

def cell_of(report: Any) -> MonthCell | None:
    """A Report (or a MonthCell already) as the MonthCell the tree shows."""
    if report is None or isinstance(report, MonthCell):
        return report
    return MonthCell(report.status, report.percent, is_blank(report))


def _cells(reports: dict[str, Any]) -> dict[str, MonthCell]:
    """project id -> MonthCell; services.month.month_cells' dict as it is (no copy: 20,000 rows a month)."""
    if type(reports) is MonthCells or all(type(r) is MonthCell for r in reports.values()):
        return reports
    return {pid: cell_of(r) for pid, r in reports.items()}  # type: ignore[misc]


class ListData:
    """What the model shows for one list: its projects (None: not loaded yet, loaded when the row is expanded)
    and the reports of the month shown (project id -> Report or MonthCell); the projects' 实施方案 (project id ->
    domain.plan.Plan), which judge the lights, read when a light is first drawn (None: not read yet)."""

    __slots__ = ("target_list", "projects", "month", "reports", "count", "plans")

    def __init__(self, target_list: TargetList, projects: list[Project] | None, month: str,
                 reports: dict[str, Any] | None = None, count: int = 0, plans: dict[str, Any] | None = None) -> None:
        self.target_list = target_list
        self.projects = projects
        self.month = month
        self.reports: dict[str, Any] = {} if reports is None else reports
        self.count = count  # how many projects, known before they are loaded
        self.plans = plans

    def __repr__(self) -> str:
        return (f"ListData(target_list={self.target_list!r}, projects={self.projects!r}, month={self.month!r}, "
                f"reports={self.reports!r}, count={self.count!r})")


# list id -> (projects, month, month's cells): how fetchMore loads a collapsed list
Loader = Callable[[int], tuple[list[Project], str, dict[str, Any]]]


class ProjectTreeModel(QAbstractItemModel):
    """The tree, with the search / unit / withdrawn filter inside it.

    Filtering is one Python pass over the loaded nodes (precomputed lower-cased search strings), which gives each
    node its list of shown rows (``vk``); then one layoutChanged (persistent indexes — the selection, the
    expanded and spanned groups — are moved, hidden ones dropped). When the shown rows do not change (typing
    "民" then "民生" in a list where every project matches) nothing is emitted at all. A QSortFilterProxyModel
    called filterAcceptsRow through Python for every row and child, and re-inserted rows range by range."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._root = _Node("root", "", None)
        self._data: dict[int, ListData] = {}
        self._by_key: dict[str, _Node] = {}
        self.loader: Loader | None = None
        self.plans_of: Callable[[int], dict[str, Any]] | None = None  # list id -> its plans (window_state)
        self._words: list[str] = []
        self._text = ""
        self._unit: str | None = None
        self._show_withdrawn = True

    # ------------------------------------------------------------ filling
    def set_lists(self, lists: list[ListData]) -> None:
        self.beginResetModel()
        self._root = _Node("root", "", None)
        self._data = {}
        self._by_key = {}
        for d in lists:
            d.reports = _cells(d.reports)
            self._data[d.target_list.id] = d
            ln = self._add(_Node("list", f"list:{d.target_list.id}", self._root, d.target_list.id,
                                 d.target_list.label))
            if d.projects is not None:
                d.count = len(d.projects)
                self._build_list(ln, d)
        if self.filter_active:
            self._compute(self._root, False)
            self._apply(self._root)
        self.endResetModel()

    def _build_list(self, ln: _Node, d: ListData) -> None:
        target_list = d.target_list
        sections: dict[str | None, _Node] = {}
        by_id: dict[str, _Node] = {}
        for p in d.projects or ():
            if p.parent_id and p.parent_id in by_id:
                parent = by_id[p.parent_id]
            else:
                parent = sections.get(p.section) if p.section else ln
                if parent is None:
                    parent = sections[p.section] = self._add(
                        _Node("section", f"section:{target_list.id}:{p.section}", ln, target_list.id,
                              p.section or ""))
            by_id[p.id] = self._add(_Node("project", f"project:{p.id}", parent, target_list.id, p.name, p))

    def _add(self, node: _Node) -> _Node:
        assert node.parent is not None
        node.pos = len(node.parent.children)
        node.parent.children.append(node)
        self._by_key[node.key] = node
        return node

    def root_nodes(self) -> list[_Node]:
        return self._root.children

    def is_loaded(self, list_id: int) -> bool:
        d = self._data.get(list_id)
        return d is not None and d.projects is not None

    def loaded_ids(self) -> list[int]:
        return [i for i, d in self._data.items() if d.projects is not None]

    def ensure_loaded(self, list_id: int) -> bool:
        """Load a collapsed list's projects now (fetchMore does the same when its row is expanded)."""
        ln = self._by_key.get(f"list:{list_id}")
        if ln is None:
            return False
        if not self.is_loaded(list_id):
            self.fetchMore(self.createIndex(ln.row(), 0, ln))
        return self.is_loaded(list_id)

    def canFetchMore(self, parent: Index) -> bool:
        node = self._node(parent)
        return node.kind == "list" and not self.is_loaded(node.list_id) and self.loader is not None

    def fetchMore(self, parent: Index) -> None:
        node = self._node(parent)
        if node.kind != "list" or self.is_loaded(node.list_id) or self.loader is None:
            return
        d = self._data[node.list_id]
        projects, month, reports = self.loader(node.list_id)
        d.month, d.reports = month, _cells(reports)
        d.count = len(projects)
        shown = self._build_preview(node, d, projects)
        if shown:
            self.beginInsertRows(self.createIndex(node.row(), 0, node), 0, len(shown) - 1)
        d.projects = projects
        node.vk = shown
        if shown:
            self.endInsertRows()

    def _build_preview(self, ln: _Node, d: ListData, projects: list[Project]) -> list[_Node]:
        """Build the list's nodes and filter them; return its top-level rows to show. Until the caller inserts
        them the list still shows no rows (``vk`` empty)."""
        ln.children = []
        ln.vk = ln.children
        d.projects, saved = projects, d.projects
        self._build_list(ln, d)
        d.projects = saved
        if self.filter_active:
            self._compute(ln, False)
            self._apply(ln)
        shown = ln.vk
        ln.vk = []
        return shown

    def hasChildren(self, parent: Index = QModelIndex()) -> bool:
        node = self._node(parent)
        if parent.isValid() and parent.column() != 0:
            return False
        if node.kind == "list" and not self.is_loaded(node.list_id):
            return self._data[node.list_id].count > 0
        return bool(node.vk)

    def set_month(self, list_id: int, month: str, reports: dict[str, Any]) -> None:
        """New month or new reports: only the status and per-cent columns change (one signal per parent)."""
        d = self._data.get(list_id)
        if d is None:
            return
        d.month, d.reports = month, _cells(reports)
        ln = self._by_key.get(f"list:{list_id}")
        if ln is not None and d.projects is not None:
            self._changed(ln)

    def set_cell(self, list_id: int, project_id: str, cell: Any) -> None:
        """One report saved: one row changes."""
        d = self._data.get(list_id)
        node = self._by_key.get(f"project:{project_id}")
        if d is None or node is None:
            return
        c = cell_of(cell)
        if c is None:
            d.reports.pop(project_id, None)
        else:
            d.reports[project_id] = c
        if node.vis:
            self.dataChanged.emit(self.createIndex(node.row(), COL_STATUS, node),
                                  self.createIndex(node.row(), COL_PERCENT, node))

    def _changed(self, node: _Node) -> None:
        kids = node.vk
        if not kids:
            return
        self.dataChanged.emit(self.createIndex(0, COL_STATUS, kids[0]),
                              self.createIndex(len(kids) - 1, COL_PERCENT, kids[-1]))
        for child in kids:
            if child.vk:
                self._changed(child)

    def list_data(self, list_id: int) -> ListData | None:
        return self._data.get(list_id)

    def node_for_key(self, key: str) -> _Node | None:
        return self._by_key.get(key)

    def index_for_key(self, key: str) -> QModelIndex:
        """The key's index; invalid when it is unknown or hidden by the filter."""
        node = self._by_key.get(key)
        if node is None or node.kind == "root" or not self._shown(node):
            return QModelIndex()
        return self.createIndex(node.row(), 0, node)

    @staticmethod
    def _shown(node: _Node) -> bool:
        while node.parent is not None:
            if not node.vis:
                return False
            node = node.parent
        return True

    # ------------------------------------------------------------ the filter
    @property
    def filter_active(self) -> bool:
        return bool(self._words or self._unit or not self._show_withdrawn)

    def set_filter(self, text: str | None = None, unit: str | None | bool = False,
                   show_withdrawn: bool | None = None) -> bool:
        """Change the search text, the unit (None: all; False: unchanged) or whether withdrawn projects show.
        True when the shown rows changed."""
        if text is not None:
            self._text = text.strip().casefold()
            self._words = self._text.split()
        if unit is not False:
            self._unit = unit or None  # type: ignore[assignment]
        if show_withdrawn is not None:
            self._show_withdrawn = show_withdrawn
        self._compute(self._root, False)
        changed = self._differs(self._root)
        if not changed:
            _NVK.clear()
            return False
        self.layoutAboutToBeChanged.emit()
        old = self.persistentIndexList()
        where = [(i.internalPointer(), i.column()) for i in old]
        self._apply(self._root)
        new = [self.createIndex(n.pos, col, n) if n is not None and self._shown(n) else QModelIndex()
               for n, col in where]
        self.changePersistentIndexList(old, new)
        self.layoutChanged.emit()
        return True

    def _compute(self, node: _Node, text_ok: bool) -> bool:
        """Decide which rows below ``node`` stay (into ``_nvk``, not applied yet); True when ``node`` stays.

        A project stays when it matches, when a parent project matches the text, or when a project below it
        stays; a list not loaded yet stays (collapsed: opening it loads and filters it)."""
        words, unit, show_w = self._words, self._unit, self._show_withdrawn
        out: list[_Node] = []
        kids = node.children
        if node.kind == "project":
            p = node.project
            assert p is not None
            if not text_ok:
                s = node.search
                text_ok = all(w in s for w in words)
            ok = text_ok and (show_w or not p.withdrawn) and (not unit or unit in p.lead_units)
        else:
            ok = node.kind == "list" and not self.is_loaded(node.list_id)
        if not (words or unit or not show_w):
            for c in kids:  # nothing filtered: every row, the same list
                if c.children:
                    self._compute(c, True)
            _NVK[node] = kids
            return True
        leaf = None if node.kind == "project" and text_ok else words
        one = leaf[0] if leaf and len(leaf) == 1 else None
        checks = unit or not show_w
        for c in kids:
            if c.children:
                if self._compute(c, text_ok if node.kind == "project" else False):
                    out.append(c)
                continue
            if c.kind != "project":  # an empty section or list; a list not loaded yet stays
                if c.kind == "list" and not self.is_loaded(c.list_id):
                    out.append(c)
                continue
            if leaf:
                s = c.search
                if one is not None:
                    if one not in s:
                        continue
                elif not all(w in s for w in leaf):
                    continue
            if checks:
                q = c.project
                if not show_w and q.withdrawn or unit and unit not in q.lead_units:  # type: ignore[union-attr]
                    continue
            out.append(c)
        _NVK[node] = out
        return ok or bool(out)

    def _differs(self, node: _Node) -> bool:
        nvk = _NVK.get(node, node.vk)
        if nvk is not node.vk and nvk != node.vk:
            return True
        return any(self._differs(c) for c in node.children if c.children)

    def _apply(self, node: _Node) -> None:
        """Make the computed rows the shown ones (vk, pos, vis) below ``node``."""
        nvk = _NVK.pop(node, None)
        if nvk is not None and nvk is not node.vk and nvk != node.vk:
            node.vk = nvk
            for c in node.children:
                c.vis = False
            for i, c in enumerate(nvk):
                c.pos, c.vis = i, True
        for c in node.children:
            if c.children:
                self._apply(c)

    # ------------------------------------------------------------ model API
    def _node(self, index: Index) -> _Node:
        return index.internalPointer() if index.isValid() else self._root  # type: ignore[return-value]

    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:
        # Bounds checked here, not with hasIndex (which calls rowCount and columnCount back through Qt).
        if parent.isValid():
            if parent.column() != 0:
                return QModelIndex()
            node = parent.internalPointer()
        else:
            node = self._root
        kids = node.vk
        if 0 <= row < len(kids) and 0 <= column < _NCOLS:
            return self.createIndex(row, column, kids[row])
        return QModelIndex()

    def parent(self, index: Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]
        if not index.isValid():
            return QModelIndex()
        p = index.internalPointer().parent
        if p is None or p.kind == "root":
            return QModelIndex()
        return self.createIndex(p.pos, 0, p)

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        if parent.isValid():
            if parent.column() != 0:
                return 0
            return len(parent.internalPointer().vk)
        return len(self._root.vk)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return _NCOLS

    def headerData(self, section: int, orientation: Any, role: int = DisplayRole) -> Any:
        # (The window's tree shows COLUMNS through header_model() instead: see there.)
        from PySide6.QtCore import Qt  # deferred: not at start (see header_model)

        if orientation == Qt.Orientation.Horizontal and role == DisplayRole:
            return COLUMNS[section]
        return None

    # No flags() override: QAbstractItemModel's (enabled, selectable) is what every row needs, and QTreeView asks
    # for the flags of every row it lays out (QTreeViewPrivate::isIndexExpanded), 20,000 calls into Python.

    def data(self, index: Index, role: int = DisplayRole) -> Any:
        if not index.isValid():
            return None
        node = self._node(index)
        col = index.column()
        if role == KeyRole:
            return node.key
        if role == ListIdRole:
            return node.list_id
        if role == ProjectRole:
            return node.project
        if node.kind != "project":
            return self._group_data(node, col, role)
        p = node.project
        assert p is not None
        if role == SearchRole:
            return node.search
        if role == ForegroundRole and p.withdrawn:
            return _GREY
        if role not in _PROJECT_ROLES:
            return None
        d = self._data[node.list_id]
        report = d.reports.get(p.id)
        if role == DisplayRole:
            return self._display(p, report, col)
        if role == DecorationRole and col == COL_STATUS and p.is_leaf and not p.withdrawn:
            return light_icon(light_for(report, d.month, self.plan_of(d, p.id)))
        if role == ToolTipRole:
            if col == COL_STATUS and p.is_leaf:
                plan = self.plan_of(d, p.id)
                light = LIGHT_LABELS[light_for(report, d.month, plan)]
                basis = expected(plan, d.month).basis
                return f"{month_label(d.month)}：{light}（与{basis}比较：相差10个百分点内绿灯，10–30黄灯，30以上红灯）"
            if col in (COL_NAME, COL_UNITS):
                return p.name + ("\n牵头单位：" + "、".join(p.lead_units) if p.lead_units else "")
        if role == TextAlignmentRole and col in (COL_NUMBER, COL_PERCENT):
            return ALIGN_RIGHT_VCENTER
        return None

    def plan_of(self, d: ListData, project_id: str) -> Any:
        """The project's 实施方案 (domain.plan.Plan) or None; a list's plans are read once (plans_of)."""
        if d.plans is None:
            d.plans = self.plans_of(d.target_list.id) if self.plans_of is not None else {}
        return d.plans.get(project_id)

    def forget_plans(self) -> None:
        """A plan was changed: read the plans again when the lights are next drawn."""
        self.layoutAboutToBeChanged.emit()
        for d in self._data.values():
            d.plans = None
        self.layoutChanged.emit()

    def _display(self, p: Project, report: Report | None, col: int) -> str:
        if col == COL_NUMBER:
            return p.number
        if col == COL_NAME:
            return p.name + ("（已撤销）" if p.withdrawn else "")
        if col == COL_UNITS:
            return "、".join(p.lead_units)
        if not p.is_leaf or p.withdrawn:
            return ""
        if col == COL_STATUS:
            if report is None or report.blank:
                return "未填报"
            assert report is not None
            return STATUS_LABELS.get(report.status or "", "已填报")
        if col == COL_PERCENT:
            return "" if report is None or report.percent is None else f"{report.percent:g}"
        return ""

    def _group_data(self, node: _Node, col: int, role: int) -> Any:
        if role == DisplayRole:
            return node.title if col == COL_NUMBER else None
        if role == FontRole:
            return _BOLD
        if role == SearchRole:
            return ""
        return None


# node -> its rows under the filter being computed (between _compute and _apply / _differs)
_NVK: dict[_Node, list[_Node]] = {}


class ProjectFilter(QIdentityProxyModel):
    """Search text (name, target, units), 只看本单位, and hiding withdrawn projects: the filtering itself is done
    by the ProjectTreeModel below (see there); this proxy only passes the settings on and shows its rows."""

    def set_text(self, text: str) -> bool:
        return self._model().set_filter(text=text)

    def set_unit(self, unit: str | None) -> bool:
        return self._model().set_filter(unit=unit)

    def set_show_withdrawn(self, show: bool) -> bool:
        return self._model().set_filter(show_withdrawn=show)

    def _model(self) -> ProjectTreeModel:
        m = self.sourceModel()
        assert isinstance(m, ProjectTreeModel)
        return m

    @property
    def active(self) -> bool:
        return self._model().filter_active
