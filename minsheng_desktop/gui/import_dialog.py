"""The import preview: what was read (rows, warnings, added/changed/removed); nothing is stored until 导入.
For a scan or photos it opens on the page images beside the cells read (scan_review.py), where the clerk
checks the uncertain cells and corrects them; the rows and the summary follow each correction."""

from __future__ import annotations

from typing import Any, Callable

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView, QDialog, QDialogButtonBox, QHeaderView, QLabel, QPlainTextEdit, QTableView, QTabWidget,
    QVBoxLayout, QWidget,
)

from ..domain.model import ParsedProject
from ..services.importing import ImportFailure, ImportPreview

HEADERS = ("分类", "序号", "项目名称", "投资（万元）", "牵头单位", "目标任务")
WIDTHS = (120, 56, 240, 90, 150)  # the last column (目标任务) takes the rest


class ProjectsModel(QAbstractTableModel):
    """The projects read, as a table the view asks row by row (a 2,000-row list made 12,000 QTableWidgetItems
    and measured every row for the column widths: ~80 ms with the window waiting)."""

    def __init__(self, projects: tuple[ParsedProject, ...], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows = [(x.section or "", f"{x.parent}-{x.number}" if x.parent else x.number, x.name,
                       "" if x.investment_wan is None else f"{x.investment_wan:g}", "、".join(x.lead_units),
                       x.target or "") for x in projects]

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(HEADERS)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> Any:
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole) and index.isValid():
            return self._rows[index.row()][index.column()]
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:  # noqa: N802
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return HEADERS[section]
        return None


Correct = Callable[[ImportPreview, dict[tuple[int, int, int], str]], ImportPreview]


class ImportPreviewDialog(QDialog):
    def __init__(self, preview: ImportPreview, parent: QWidget | None = None, correct: Correct | None = None) -> None:
        super().__init__(parent)
        self.preview = preview
        self._correct = correct
        p = preview.parsed
        self.setWindowTitle("导入预览 — 确认后才会保存")
        self.resize(900, 600)
        lay = QVBoxLayout(self)
        lines = preview.lines()
        self.head = head = QLabel(lines[0])
        head.setWordWrap(True)
        head.setStyleSheet("font-weight: bold;")
        lay.addWidget(head)
        if preview.existing is not None:
            note = "这是一份已导入目标任务的修订版：下面列出新增、变更和撤销的项目。"
        else:
            note = "这是一份新的目标任务。"
        lay.addWidget(QLabel(note + "点“导入”保存，点“取消”不作任何改动。"))
        self.tabs = tabs = QTabWidget()
        self.scan_review = None
        if preview.source is not None and preview.source.pages and preview.table_index is not None:
            from .scan_review import ScanReview  # deferred: only a scanned or photographed notice needs it

            self.resize(1200, 760)
            self.scan_review = ScanReview(preview, self._apply_correction)
            tabs.addTab(self.scan_review, "原件与识别结果（可更正）")
        self.problem = QLabel()
        self.problem.setStyleSheet("color: #b00000;")
        self.problem.setWordWrap(True)
        self.problem.hide()
        lay.addWidget(self.problem)
        self.summary = QPlainTextEdit("\n".join(lines[1:]) or "（没有需要注意的事项）")
        self.summary.setReadOnly(True)
        tabs.addTab(self.summary, f"摘要与注意事项（{len(p.warnings)}条注意）")
        self.rows = QTableView()
        self.rows.setModel(ProjectsModel(p.projects, self.rows))
        self.rows.verticalHeader().setVisible(False)
        self.rows.verticalHeader().setDefaultSectionSize(24)
        self.rows.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.rows.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.rows.setWordWrap(False)
        header = self.rows.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)  # fixed widths: no row is measured
        for c, width in enumerate(WIDTHS):
            self.rows.setColumnWidth(c, width)
        header.setStretchLastSection(True)
        tabs.addTab(self.rows, f"读到的项目（{len(p.projects)}行）")
        lay.addWidget(tabs, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.import_button = buttons.addButton("导入(&I)", QDialogButtonBox.ButtonRole.AcceptRole)
        self.import_button.setDefault(True)
        if preview.plan is not None and preview.plan.is_empty:
            self.import_button.setText("仍然导入(&I)")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)

    def _apply_correction(self, corrections: dict[tuple[int, int, int], str]) -> None:
        """Read the projects again from the corrected cells; what 导入 stores follows."""
        if self._correct is None:
            return
        try:
            new = self._correct(self.preview, corrections)
        except ImportFailure as exc:
            # The corrected table no longer reads (e.g. a header word erased): say so, store nothing until fixed.
            self.problem.setText(f"更正后无法读取目标任务表：{exc}")
            self.problem.show()
            self.import_button.setEnabled(False)
            return
        self.problem.hide()
        self.import_button.setEnabled(True)
        self.preview = new
        lines = new.lines()
        self.head.setText(lines[0])
        self.summary.setPlainText("\n".join(lines[1:]) or "（没有需要注意的事项）")
        self.rows.setModel(ProjectsModel(new.parsed.projects, self.rows))
        index = self.tabs.indexOf(self.summary)
        self.tabs.setTabText(index, f"摘要与注意事项（{len(new.parsed.warnings)}条注意）")
        self.tabs.setTabText(self.tabs.indexOf(self.rows), f"读到的项目（{len(new.parsed.projects)}行）")
