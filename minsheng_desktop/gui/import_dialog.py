"""The import preview: what was read (rows, warnings, added/changed/removed); nothing is stored until 导入."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView, QDialog, QDialogButtonBox, QHeaderView, QLabel, QPlainTextEdit, QTableWidget,
    QTableWidgetItem, QTabWidget, QVBoxLayout, QWidget,
)

from ..services import ImportPreview


class ImportPreviewDialog(QDialog):
    def __init__(self, preview: ImportPreview, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.preview = preview
        p = preview.parsed
        self.setWindowTitle("导入预览 — 确认后才会保存")
        self.resize(900, 600)
        lay = QVBoxLayout(self)
        lines = preview.lines()
        head = QLabel(lines[0])
        head.setWordWrap(True)
        head.setStyleSheet("font-weight: bold;")
        lay.addWidget(head)
        if preview.existing is not None:
            note = "这是一份已导入目标任务的修订版：下面列出新增、变更和撤销的项目。"
        else:
            note = "这是一份新的目标任务。"
        lay.addWidget(QLabel(note + "点“导入”保存，点“取消”不作任何改动。"))
        tabs = QTabWidget()
        self.summary = QPlainTextEdit("\n".join(lines[1:]) or "（没有需要注意的事项）")
        self.summary.setReadOnly(True)
        tabs.addTab(self.summary, f"摘要与注意事项（{len(p.warnings)}条注意）")
        self.rows = QTableWidget(len(p.projects), 6)
        self.rows.setHorizontalHeaderLabels(["分类", "序号", "项目名称", "投资（万元）", "牵头单位", "目标任务"])
        self.rows.verticalHeader().setVisible(False)
        self.rows.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        for r, x in enumerate(p.projects):
            number = f"{x.parent}-{x.number}" if x.parent else x.number
            inv = "" if x.investment_wan is None else f"{x.investment_wan:g}"
            for c, text in enumerate((x.section or "", number, x.name, inv, "、".join(x.lead_units), x.target or "")):
                self.rows.setItem(r, c, QTableWidgetItem(text))
        self.rows.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.rows.horizontalHeader().setStretchLastSection(True)
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
