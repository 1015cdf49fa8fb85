"""The project tree: target list → section → project → sub-project, and its search / unit filter proxy."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from ..domain.model import STATUS_LABELS, Project, Report, TargetList
from ..domain.schedule import LIGHT_LABELS, month_label
from .. import workbench
from ..storage.gui_queries import MonthCell
from .variant_fix import variant
from .icons import light_icon

COLUMNS = ("序号", "项目名称", "牵头单位", "状态", "完成进度%")
COL_NUMBER, COL_NAME, COL_UNITS, COL_STATUS, COL_PERCENT = range(5)

ProjectRole = Qt.ItemDataRole.UserRole + 1
KeyRole = Qt.ItemDataRole.UserRole + 2  # "list:1", "section:1:市级民生实事", "project:p-…"
SearchRole = Qt.ItemDataRole.UserRole + 3
ListIdRole = Qt.ItemDataRole.UserRole + 4

Index = QModelIndex | QPersistentModelIndex
_GREY = QBrush(QColor("#8a8a8a"))
_PROJECT_ROLES = frozenset((Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.DecorationRole, Qt.ItemDataRole.ToolTipRole,
                            Qt.ItemDataRole.TextAlignmentRole))
_NCOLS = len(COLUMNS)
_NO_FLAGS = Qt.ItemFlag.NoItemFlags
_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
_LEAF_FLAGS = _FLAGS | Qt.ItemFlag.ItemNeverHasChildren
_BOLD = QFont()
_BOLD.setBold(True)


class _Node:
    """One row of the tree. ``pos`` is kept up to date on insertion (row() must not search the parent's list:
    a section of 20,000 projects would make every parent() call linear)."""

    __slots__ = ("kind", "key", "parent", "list_id", "title", "project", "children", "pos", "search", "vis",
                 "gen")

    def __init__(self, kind: str, key: str, parent: _Node | None, list_id: int = 0, title: str = "",
                 project: Project | None = None) -> None:
        self.kind = kind  # "root" | "list" | "section" | "project"
        self.key = key
        self.parent = parent
        self.list_id = list_id
        self.title = title
        self.project = project
        self.children: list[_Node] = []
        self.pos = 0
        # What the search box matches, lower-cased once (number, name, target, units).
        self.search = "" if project is None else " ".join(
            (project.number, project.name, project.target or "", *project.lead_units,
             *project.partner_units)).casefold()
        self.vis = True  # set by ProjectFilter for its generation ``gen``
        self.gen = -1

    def row(self) -> int:
        return self.pos


def cell_of(report: Any) -> MonthCell | None:
    """A Report (or a MonthCell already) as the MonthCell the tree shows."""
    if report is None or isinstance(report, MonthCell):
        return report
    return MonthCell(report.status, report.percent, workbench.is_blank(report))


@dataclass
class ListData:
    """What the model shows for one list: its projects (None: not loaded yet, loaded when the row is expanded)
    and the reports of the month shown (project id -> Report or MonthCell)."""

    target_list: TargetList
    projects: list[Project] | None
    month: str
    reports: dict[str, Any] = field(default_factory=dict)
    count: int = 0  # how many projects, known before they are loaded


# list id -> (projects, month, month's cells): how fetchMore loads a collapsed list
Loader = Callable[[int], tuple[list[Project], str, dict[str, Any]]]


class ProjectTreeModel(QAbstractItemModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._root = _Node("root", "", None)
        self._data: dict[int, ListData] = {}
        self._by_key: dict[str, _Node] = {}
        self.loader: Loader | None = None

    # ------------------------------------------------------------ filling
    def set_lists(self, lists: list[ListData]) -> None:
        self.beginResetModel()
        self._root = _Node("root", "", None)
        self._data = {}
        self._by_key = {}
        for d in lists:
            d.reports = {pid: cell_of(r) for pid, r in d.reports.items()}
            self._data[d.target_list.id] = d
            ln = self._add(_Node("list", f"list:{d.target_list.id}", self._root, d.target_list.id,
                                 d.target_list.label))
            if d.projects is not None:
                d.count = len(d.projects)
                self._build_list(ln, d)
        self.endResetModel()

    def _build_list(self, ln: _Node, d: ListData) -> None:
        tl = d.target_list
        sections: dict[str | None, _Node] = {}
        by_id: dict[str, _Node] = {}
        for p in d.projects or ():
            if p.parent_id and p.parent_id in by_id:
                parent = by_id[p.parent_id]
            else:
                parent = sections.get(p.section) if p.section else ln
                if parent is None:
                    parent = sections[p.section] = self._add(
                        _Node("section", f"section:{tl.id}:{p.section}", ln, tl.id, p.section or ""))
            by_id[p.id] = self._add(_Node("project", f"project:{p.id}", parent, tl.id, p.name, p))

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
        d.month, d.reports = month, {pid: cell_of(r) for pid, r in reports.items()}
        d.count = len(projects)
        top = self._build_preview(node, d, projects)
        if top:
            self.beginInsertRows(self.createIndex(node.row(), 0, node), 0, top - 1)
        d.projects = projects
        if top:
            self.endInsertRows()

    def _build_preview(self, ln: _Node, d: ListData, projects: list[Project]) -> int:
        """Build the list's nodes (not yet visible: rowCount reads d.projects) and return its top-level rows."""
        d.projects, saved = projects, d.projects
        ln.children = []
        self._build_list(ln, d)
        d.projects = saved
        return len(ln.children)

    def hasChildren(self, parent: Index = QModelIndex()) -> bool:
        node = self._node(parent)
        if parent.isValid() and parent.column() != 0:
            return False
        if node.kind == "list" and not self.is_loaded(node.list_id):
            return self._data[node.list_id].count > 0
        return bool(node.children)

    def set_month(self, list_id: int, month: str, reports: dict[str, Any]) -> None:
        """New month or new reports: only the status and per-cent columns change (one signal per parent)."""
        d = self._data.get(list_id)
        if d is None:
            return
        d.month, d.reports = month, {pid: cell_of(r) for pid, r in reports.items()}
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
        self.dataChanged.emit(self.createIndex(node.row(), COL_STATUS, node),
                              self.createIndex(node.row(), COL_PERCENT, node))

    def _changed(self, node: _Node) -> None:
        kids = node.children
        if not kids:
            return
        self.dataChanged.emit(self.createIndex(0, COL_STATUS, kids[0]),
                              self.createIndex(len(kids) - 1, COL_PERCENT, kids[-1]))
        for child in kids:
            if child.children:
                self._changed(child)

    def list_data(self, list_id: int) -> ListData | None:
        return self._data.get(list_id)

    def index_for_key(self, key: str) -> QModelIndex:
        node = self._by_key.get(key)
        if node is None or node.kind == "root":
            return QModelIndex()
        return self.createIndex(node.row(), 0, node)

    # ------------------------------------------------------------ model API
    def _node(self, index: Index) -> _Node:
        return index.internalPointer() if index.isValid() else self._root  # type: ignore[return-value]

    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:
        # Bounds checked here, not with hasIndex (which calls rowCount and columnCount back through Qt).
        if parent.isValid():
            if parent.column() != 0:
                return QModelIndex()
            node = parent.internalPointer()
            if node.kind == "list" and not self.is_loaded(node.list_id):
                return QModelIndex()
        else:
            node = self._root
        kids = node.children
        if 0 <= row < len(kids) and 0 <= column < _NCOLS:
            return self.createIndex(row, column, kids[row])
        return QModelIndex()

    def parent(self, index: Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]
        if not index.isValid():
            return QModelIndex()
        p = self._node(index).parent
        if p is None or p.kind == "root":
            return QModelIndex()
        return self.createIndex(p.row(), 0, p)

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        if parent.isValid() and parent.column() != 0:
            return 0
        node = self._node(parent)
        if node.kind == "list" and not self.is_loaded(node.list_id):
            return 0
        return len(node.children)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return len(COLUMNS)

    @variant
    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return _NO_FLAGS
        node = index.internalPointer()
        # A leaf never has children: the view then need not ask (hasChildren) for every row it lays out.
        return _LEAF_FLAGS if node.kind == "project" and not node.children else _FLAGS

    @variant
    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
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
        if role == Qt.ItemDataRole.ForegroundRole and p.withdrawn:
            return _GREY
        if role not in _PROJECT_ROLES:
            return None
        d = self._data[node.list_id]
        report = d.reports.get(p.id)
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(p, report, col)
        if role == Qt.ItemDataRole.DecorationRole and col == COL_STATUS and p.is_leaf and not p.withdrawn:
            return light_icon(workbench.light_for(report, d.month))
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == COL_STATUS and p.is_leaf:
                light = LIGHT_LABELS[workbench.light_for(report, d.month)]
                return f"{month_label(d.month)}：{light}（与序时进度比较：相差10个百分点内绿灯，10–30黄灯，30以上红灯）"
            if col in (COL_NAME, COL_UNITS):
                return p.name + ("\n牵头单位：" + "、".join(p.lead_units) if p.lead_units else "")
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (COL_NUMBER, COL_PERCENT):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

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
        if role == Qt.ItemDataRole.DisplayRole:
            return node.title if col == COL_NUMBER else None
        if role == Qt.ItemDataRole.FontRole:
            return _BOLD
        if role == SearchRole:
            return ""
        return None


class ProjectFilter(QSortFilterProxyModel):
    """Search text (name, target, units), 只看本单位, and hiding withdrawn projects.

    Which rows stay is worked out once per change of the filter, in one pass over the loaded nodes (a project
    stays when it matches, when a parent project matches the text, or when a project below it stays), so that
    filterAcceptsRow is a look-up: Qt's own recursive filtering would call back into Python for every row and
    every child. Lists not loaded yet stay visible, collapsed: expanding one loads and filters it."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._text = ""
        self._words: list[str] = []
        self._unit: str | None = None
        self._show_withdrawn = True
        self._gen = 0

    def set_text(self, text: str) -> None:
        self._refilter("_text", text.strip().casefold())

    def set_unit(self, unit: str | None) -> None:
        self._refilter("_unit", unit)

    def set_show_withdrawn(self, show: bool) -> None:
        self._refilter("_show_withdrawn", show)

    def _refilter(self, attr: str, value: object) -> None:
        if getattr(self, attr) == value:
            return
        self.beginFilterChange()
        setattr(self, attr, value)
        self._words = self._text.split()
        self._gen += 1
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    @property
    def active(self) -> bool:
        return bool(self._text or self._unit or not self._show_withdrawn)

    def _compute(self, node: _Node, text_ok: bool) -> bool:
        """Mark ``node`` and everything below it for this generation; True when it stays."""
        gen = self._gen
        if node.kind == "project":
            p = node.project
            assert p is not None
            words = self._words
            if not text_ok:
                s = node.search
                text_ok = all(w in s for w in words)
            ok = text_ok and (self._show_withdrawn or not p.withdrawn) and (
                not self._unit or self._unit in p.lead_units)
            for c in node.children:
                ok = self._compute(c, text_ok) or ok
        else:
            ok = False
            model = self.sourceModel()
            if node.kind == "list" and not model.is_loaded(node.list_id):  # type: ignore[attr-defined]
                ok = True
            for c in node.children:
                ok = self._compute(c, False) or ok
        node.vis, node.gen = ok, gen
        return ok

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        if not (self._text or self._unit or not self._show_withdrawn):
            return True
        parent = source_parent.internalPointer() if source_parent.isValid() else \
            self.sourceModel()._root  # type: ignore[attr-defined]
        node = parent.children[source_row]
        if node.gen != self._gen:
            # The first row asked for in this generation (or rows just loaded): mark its whole list at once.
            top = node
            while top.parent is not None and top.parent.kind != "root":
                top = top.parent
            if top.kind == "list":
                self._compute(top, False)
            if node.gen != self._gen:
                self._compute(node, self._text_ok_above(node))
        return node.vis

    def _text_ok_above(self, node: _Node) -> bool:
        p = node.parent
        while p is not None and p.kind == "project":
            if all(w in p.search for w in self._words):
                return True
            p = p.parent
        return False
