"""The project tree: target list → section → project → sub-project, and its search / unit filter proxy."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from ..domain.model import STATUS_LABELS, Project, Report, TargetList
from ..domain.schedule import LIGHT_LABELS, month_label
from .. import workbench
from .icons import light_icon

COLUMNS = ("序号", "项目名称", "牵头单位", "状态", "完成进度%")
COL_NUMBER, COL_NAME, COL_UNITS, COL_STATUS, COL_PERCENT = range(5)

ProjectRole = Qt.ItemDataRole.UserRole + 1
KeyRole = Qt.ItemDataRole.UserRole + 2  # "list:1", "section:1:市级民生实事", "project:p-…"
SearchRole = Qt.ItemDataRole.UserRole + 3
ListIdRole = Qt.ItemDataRole.UserRole + 4

Index = QModelIndex | QPersistentModelIndex
_GREY = QBrush(QColor("#8a8a8a"))


@dataclass(eq=False)
class _Node:
    kind: str  # "root" | "list" | "section" | "project"
    key: str
    parent: _Node | None
    list_id: int = 0
    title: str = ""
    project: Project | None = None
    children: list[_Node] = field(default_factory=list)

    def row(self) -> int:
        return self.parent.children.index(self) if self.parent else 0


@dataclass
class ListData:
    """What the model shows for one list: its projects and the reports of the month shown."""

    target_list: TargetList
    projects: list[Project]
    month: str
    reports: dict[str, Report]


class ProjectTreeModel(QAbstractItemModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._root = _Node("root", "", None)
        self._data: dict[int, ListData] = {}
        self._by_key: dict[str, _Node] = {}

    # ------------------------------------------------------------ filling
    def set_lists(self, lists: list[ListData]) -> None:
        self.beginResetModel()
        self._root = _Node("root", "", None)
        self._data = {d.target_list.id: d for d in lists}
        self._by_key = {}
        for d in lists:
            tl = d.target_list
            ln = self._add(_Node("list", f"list:{tl.id}", self._root, tl.id, tl.label))
            sections: dict[str | None, _Node] = {}
            by_id: dict[str, _Node] = {}
            for p in d.projects:
                if p.parent_id and p.parent_id in by_id:
                    parent = by_id[p.parent_id]
                else:
                    parent = sections.get(p.section) if p.section else ln
                    if parent is None:
                        parent = sections[p.section] = self._add(
                            _Node("section", f"section:{tl.id}:{p.section}", ln, tl.id, p.section or ""))
                by_id[p.id] = self._add(_Node("project", f"project:{p.id}", parent, tl.id, p.name, p))
        self.endResetModel()

    def _add(self, node: _Node) -> _Node:
        assert node.parent is not None
        node.parent.children.append(node)
        self._by_key[node.key] = node
        return node

    def set_month(self, list_id: int, month: str, reports: dict[str, Report]) -> None:
        """New month or new reports: only the status and per-cent columns change."""
        d = self._data.get(list_id)
        if d is None:
            return
        d.month, d.reports = month, reports
        ln = self._by_key.get(f"list:{list_id}")
        if ln is not None:
            self._changed(ln)

    def _changed(self, node: _Node) -> None:
        for child in node.children:
            self.dataChanged.emit(self.createIndex(child.row(), COL_STATUS, child),
                                  self.createIndex(child.row(), COL_PERCENT, child))
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
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        return self.createIndex(row, column, self._node(parent).children[row])

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
        return len(self._node(parent).children)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

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
            return " ".join((p.number, p.name, p.target or "", *p.lead_units, *p.partner_units))
        if role == Qt.ItemDataRole.ForegroundRole and p.withdrawn:
            return _GREY
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
            if workbench.is_blank(report):
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
            f = QFont()
            f.setBold(True)
            return f
        if role == SearchRole:
            return ""
        return None


class ProjectFilter(QSortFilterProxyModel):
    """Search text (name, target, units), 只看本单位, and hiding withdrawn projects; recursive."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setRecursiveFilteringEnabled(True)
        self._text = ""
        self._unit: str | None = None
        self._show_withdrawn = True

    def set_text(self, text: str) -> None:
        self._refilter("_text", text.strip().casefold())

    def set_unit(self, unit: str | None) -> None:
        self._refilter("_unit", unit)

    def set_show_withdrawn(self, show: bool) -> None:
        self._refilter("_show_withdrawn", show)

    def _refilter(self, attr: str, value: object) -> None:
        self.beginFilterChange()
        setattr(self, attr, value)
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    @property
    def active(self) -> bool:
        return bool(self._text or self._unit or not self._show_withdrawn)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        model = self.sourceModel()
        index = model.index(source_row, 0, source_parent)
        p: Project | None = model.data(index, ProjectRole)
        if p is None:  # lists and sections: shown when a project below them is (recursive filtering)
            return not self.active
        if p.withdrawn and not self._show_withdrawn:
            return False
        if self._unit and self._unit not in p.lead_units:
            return False
        if not self._text:
            return True
        # A project matches when it or a parent project matches, so sub-projects of a hit stay visible.
        i = index
        while i.isValid() and model.data(i, ProjectRole) is not None:
            if all(w in str(model.data(i, SearchRole)).casefold() for w in self._text.split()):
                return True
            i = i.parent()
        return False
