"""The 本月填报 panel: the clerk's projects this month, filled / not filled / late."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView, QHeaderView, QLabel, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget,
)

from .. import workbench
from ..domain.schedule import month_label
from .icons import dot

STATE_COLORS = {"filled": "#2e9d47", "missing": "#e5a50a", "late": "#d0312d"}


class OverviewPanel(QWidget):
    projectActivated = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        self.summary = QLabel("尚未导入目标任务。")
        self.summary.setWordWrap(True)
        lay.addWidget(self.summary)
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(["序号", "项目名称", "填报情况", "完成进度"])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.itemActivated.connect(self._activated)
        lay.addWidget(self.table)
        self.overview: workbench.MonthOverview | None = None
        self.sent: dict[str, str] = {}

    def show_overview(self, ov: workbench.MonthOverview | None, sent: dict[str, str] | None = None) -> None:
        """``sent``: month -> when its report mail last went out (mail.outbox.sent_months)."""
        self.overview = ov
        self.sent = dict(sent or {})
        if ov is None:
            self.summary.setText("尚未导入目标任务：请用“文件 → 导入目标任务…”。")
            self.table.setRowCount(0)
            return
        self.summary.setText(
            f"{ov.status_line()}。\n已填报 {ov.count('filled')} 项 · 未填报 {ov.count('missing')} 项"
            f" · 逾期未报 {ov.count('late')} 项（双击一行去填报）\n{sent_line(ov.month, self.sent)}")
        rows = sorted(ov.rows, key=lambda r: {"late": 0, "missing": 1, "filled": 2}[r.state])
        self.table.setRowCount(len(rows))
        for i, r in enumerate(rows):
            p = r.project
            state = QTableWidgetItem(dot(STATE_COLORS[r.state]), workbench.STATE_LABELS[r.state])
            state.setForeground(QBrush(QColor(STATE_COLORS[r.state])))
            pct = "" if r.report is None or r.report.percent is None else f"{r.report.percent:g}%"
            for c, item in enumerate((QTableWidgetItem(p.number), QTableWidgetItem(p.name), state,
                                      QTableWidgetItem(pct))):
                item.setData(Qt.ItemDataRole.UserRole, p.id)
                self.table.setItem(i, c, item)

    def _activated(self, item: QTableWidgetItem) -> None:
        pid = item.data(Qt.ItemDataRole.UserRole)
        if pid:  # later: selecting the project rebuilds this table, deleting the item being handled
            QTimer.singleShot(0, lambda: self.projectActivated.emit(pid))


def sent_line(month: str, sent: dict[str, str]) -> str:
    """本月已于 6月28日 报送 · 已报送的月份：4月、5月."""
    when = sent.get(month)
    head = (f"{month_label(month)}月报已于 {int(when[5:7])}月{int(when[8:10])}日 发送" if when
            else f"{month_label(month)}月报尚未发送（文件 → 发送月报…）")
    others = [f"{int(m[5:7])}月" for m in sorted(sent) if m[:4] == month[:4]]
    return head + (f" · 已发送的月份：{'、'.join(others)}" if others else "")
