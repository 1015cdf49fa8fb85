"""The 本月填报 panel: the clerk's projects this month, filled / not filled / late.

A QAbstractTableModel over the overview's rows (the view asks only for the rows it paints), rebuilt when the
month, the unit or the list changes, one row updated after a save. It used to be a QTableWidget with four
items (and an icon) per project, rebuilt on every selection: with 20,000 projects that took seconds and could
crash PySide6 (none_dealloc) while the items of the table being rebuilt were still being handled."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QTimer, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QTableView, QVBoxLayout, QWidget

from ..services.month import STATE_LABELS, MonthOverview, OverviewRow
from ..domain.schedule import month_label
from .icons import dot
from .tree_model import DecorationRole, DisplayRole, ForegroundRole, ToolTipRole, UserRole

STATE_COLORS = {"filled": "#2e9d47", "missing": "#e5a50a", "late": "#d0312d"}
HEADERS = ("序号", "项目名称", "填报情况", "完成进度")
Index = QModelIndex | QPersistentModelIndex


class OverviewModel(QAbstractTableModel):
    """Rows of a MonthOverview, late first, then not filled, then filled (stable within each)."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.rows: list[OverviewRow] = []
        self._row_of: dict[str, int] = {}
        self._brush = {k: QColor(c) for k, c in STATE_COLORS.items()}  # (a QColor: see tree_model._GREY)

    def set_overview(self, ov: MonthOverview | None) -> None:
        self.beginResetModel()
        self.rows = [] if ov is None else list(ov.ordered)
        self._row_of = {}  # built on the first update_row (a save), not on every month
        self.endResetModel()

    def update_row(self, row: OverviewRow) -> bool:
        """One project's report changed. False when its place in the order changes (the caller rebuilds)."""
        if not self._row_of and self.rows:
            self._row_of = {r.project.id: i for i, r in enumerate(self.rows)}
        i = self._row_of.get(row.project.id)
        if i is None or self.rows[i].state != row.state:
            return False
        self.rows[i] = row
        self.dataChanged.emit(self.index(i, 0), self.index(i, len(HEADERS) - 1))
        return True

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Any, role: int = DisplayRole) -> Any:
        from PySide6.QtCore import Qt  # deferred: importing Qt creates all its enum types (~15 ms)

        if orientation == Qt.Orientation.Horizontal and role == DisplayRole:
            return HEADERS[section]
        return None

    def flags(self, index: Index) -> Any:
        from PySide6.QtCore import Qt  # deferred: as in headerData

        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable if index.isValid() else \
            Qt.ItemFlag.NoItemFlags

    def data(self, index: Index, role: int = DisplayRole) -> Any:
        if not index.isValid():
            return None
        r = self.rows[index.row()]
        col = index.column()
        if role == UserRole:
            return r.project.id
        if role == DisplayRole:
            if col == 0:
                return r.project.number
            if col == 1:
                return r.project.name
            if col == 2:
                return STATE_LABELS[r.state]
            return "" if r.report is None or r.report.percent is None else f"{r.report.percent:g}%"
        if col == 2:
            if role == DecorationRole:
                return dot(STATE_COLORS[r.state])
            if role == ForegroundRole:
                return self._brush[r.state]
        if role == ToolTipRole and col == 1:
            return r.project.name
        return None


class OverviewPanel(QWidget):
    projectActivated = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        self.summary = QLabel("尚未导入目标任务。")
        self.summary.setWordWrap(True)
        lay.addWidget(self.summary)
        self.model = OverviewModel(self)
        self._table: QTableView | None = None  # built when the tab is first shown (see table)
        self.overview: MonthOverview | None = None
        self.sent: dict[str, str] = {}

    @property
    def table(self) -> QTableView:
        """The table, built when the tab is first shown (or first asked for), not with the window: a view given a
        Python model calls its headerData at once, and the orientation PySide passes there is a Qt enum, whose
        first use creates all of the Qt namespace's enum types (~15 ms of the window's start)."""
        if self._table is None:
            table = QTableView()
            table.setModel(self.model)
            table.verticalHeader().setVisible(False)
            table.verticalHeader().setDefaultSectionSize(24)
            table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
            table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
            table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
            table.setWordWrap(False)
            header = table.horizontalHeader()
            # Fixed widths: ResizeToContents would ask every row for its text (20,000 rows on each rebuild).
            header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
            header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
            for col, width in ((0, 70), (2, 110), (3, 80)):
                table.setColumnWidth(col, width)
            table.activated.connect(self._activated)
            self.layout().addWidget(table)
            self._table = table
        return self._table

    def showEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        self.table  # noqa: B018 - builds it
        super().showEvent(event)

    def show_overview(self, ov: MonthOverview | None, sent: dict[str, str] | None = None) -> None:
        """``sent``: month -> when its report mail last went out (mail.outbox.sent_months)."""
        self.overview = ov
        self.sent = dict(sent or {})
        self.model.set_overview(ov)
        self._summary()

    def update_row(self, ov: MonthOverview, row: OverviewRow) -> None:
        """After a save: the one row in place when its state stays, else the table is rebuilt."""
        self.overview = ov
        if not self.model.update_row(row):
            self.model.set_overview(ov)
        self._summary()

    def _summary(self) -> None:
        ov = self.overview
        if ov is None:
            self.summary.setText("尚未导入目标任务：请用“文件 → 导入目标任务…”。")
            return
        self.summary.setText(
            f"{ov.status_line()}。\n已填报 {ov.count('filled')} 项 · 未填报 {ov.count('missing')} 项"
            f" · 逾期未报 {ov.count('late')} 项（双击一行去填报）\n{sent_line(ov.month, self.sent)}")

    def _activated(self, index: QModelIndex) -> None:
        pid = index.data(UserRole)
        if pid:  # later: selecting the project may rebuild this table while its signal is being handled
            QTimer.singleShot(0, lambda: self.projectActivated.emit(pid))


def sent_line(month: str, sent: dict[str, str]) -> str:
    """本月已于 6月28日 报送 · 已报送的月份：4月、5月."""
    when = sent.get(month)
    head = (f"{month_label(month)}月报已于 {int(when[5:7])}月{int(when[8:10])}日 发送" if when
            else f"{month_label(month)}月报尚未发送（文件 → 发送月报…）")
    others = [f"{int(m[5:7])}月" for m in sorted(sent) if m[:4] == month[:4]]
    return head + (f" · 已发送的月份：{'、'.join(others)}" if others else "")
