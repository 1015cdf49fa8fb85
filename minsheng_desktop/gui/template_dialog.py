"""单位模板: load the 发展改革委's blank table once per list, correct the column mapping, remember it."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox, QDialog, QDialogButtonBox, QFileDialog, QHBoxLayout, QHeaderView, QLabel, QPushButton,
    QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget,
)

from ..services.database import open_database
from ..services.templates import (
    FIELD_LABELS, NOT_FILLED, Template, TemplateError, analyse_template, clear_template, list_template,
    save_template,
)
from . import dialogs

TEMPLATE_FILTER = "空白表格模板 (*.xlsx *.docx);;Excel 表格 (*.xlsx);;Word 文档 (*.docx)"
HELP = ("许多发展改革委会下发自己的空白表格。在这里选择该表格（.xlsx 或 .docx），程序会找到表头，"
        "并按表头文字建议每一列填入的内容；请逐列核对，认不出的列（如“责任人”）默认“不填”，导出时保持空白。"
        "保存后，导出推进情况表时将按该模板填写，模板的格式、列宽、标题和其余列都保持不变。")


def choose_template_file(parent: QWidget | None) -> str | None:
    """Ask for the template file (tests replace this)."""
    path, _ = QFileDialog.getOpenFileName(parent, "选择单位模板", "", TEMPLATE_FILTER)
    return path or None


def _column_name(tpl: Template, index: int) -> str:
    if tpl.kind == "xlsx":
        from openpyxl.utils import get_column_letter  # deferred: loads all of openpyxl (~0.2 s)

        return f"{get_column_letter(index + 1)}列"
    return f"第{index + 1}列"


class TemplateDialog(QDialog):
    """Shows the remembered (or a newly chosen) template's columns, each with a combo of our fields."""

    def __init__(self, db_path: Path, list_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db_path, self.list_id = Path(db_path), list_id
        self.template: Template | None = None
        self.changed = False  # a template was saved
        self.cleared = False  # the remembered template was given up
        with open_database(self.db_path) as db:
            label, self.template = list_template(db, list_id)
        self.setWindowTitle(f"单位模板 — {label}")
        self.resize(760, 560)
        lay = QVBoxLayout(self)
        help_label = QLabel(HELP)
        help_label.setWordWrap(True)
        lay.addWidget(help_label)
        row = QHBoxLayout()
        self.file_label = QLabel()
        self.file_label.setWordWrap(True)
        row.addWidget(self.file_label, 1)
        self.choose_btn = QPushButton("选择模板文件…")
        self.choose_btn.clicked.connect(self.choose_file)
        row.addWidget(self.choose_btn)
        self.clear_btn = QPushButton("停用模板")
        self.clear_btn.setToolTip("不再使用单位模板，导出恢复内置格式")
        self.clear_btn.clicked.connect(self.clear)
        row.addWidget(self.clear_btn)
        lay.addLayout(row)
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels(["模板中的列", "模板表头", "填入内容"])
        self.table.verticalHeader().setVisible(False)
        head = self.table.horizontalHeader()
        head.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        head.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        head.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        lay.addWidget(self.table, 1)
        self.error = QLabel()
        self.error.setStyleSheet("color: #c0392b;")
        self.error.setWordWrap(True)
        lay.addWidget(self.error)
        std = QDialogButtonBox.StandardButton
        self.buttons = QDialogButtonBox(std.Save | std.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText("保存")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        lay.addWidget(self.buttons)
        self._show()

    # -------------------------------------------------------------- showing

    def _show(self) -> None:
        tpl = self.template
        self.table.setRowCount(0)
        self.clear_btn.setEnabled(tpl is not None)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(tpl is not None)
        if tpl is None:
            self.file_label.setText("尚未设置单位模板：导出时使用内置格式。")
            return
        where = f"工作表“{tpl.part_name}”" if tpl.kind == "xlsx" else f"文档中的{tpl.part_name}"
        rows = f"第{tpl.header_row + 1}行" if tpl.data_row - tpl.header_row == 1 else \
            f"第{tpl.header_row + 1}—{tpl.data_row}行"
        self.file_label.setText(f"模板：{tpl.filename}（{where}，表头在{rows}，数据从第{tpl.data_row + 1}行起填写）")
        self.table.setRowCount(len(tpl.columns))
        for i, col in enumerate(tpl.columns):
            self.table.setItem(i, 0, QTableWidgetItem(_column_name(tpl, col.index)))
            self.table.setItem(i, 1, QTableWidgetItem(col.header))
            combo = QComboBox()
            combo.addItem(NOT_FILLED, None)
            for key, label in FIELD_LABELS.items():
                combo.addItem(label, key)
            combo.setCurrentIndex(max(combo.findData(col.field), 0) if col.field else 0)
            combo.currentIndexChanged.connect(lambda _=0: self.error.setText(""))
            self.table.setCellWidget(i, 2, combo)

    def combo(self, header: str) -> QComboBox:
        """The combo of the column whose template header is ``header`` (for tests and keyboard users)."""
        for i in range(self.table.rowCount()):
            if self.table.item(i, 1).text() == header:
                return self.table.cellWidget(i, 2)  # type: ignore[return-value]
        raise KeyError(header)

    def proposed(self) -> dict[str, str | None]:
        """Template header → the field key now chosen (None for 不填)."""
        return {self.table.item(i, 1).text(): self.table.cellWidget(i, 2).currentData()  # type: ignore[union-attr]
                for i in range(self.table.rowCount())}

    # -------------------------------------------------------------- actions

    def choose_file(self) -> None:
        path = choose_template_file(self)
        if not path:
            return
        try:
            self.template = analyse_template(Path(path))
        except TemplateError as exc:
            dialogs.show_error(self, "无法使用该模板", str(exc))
            return
        self.error.setText("")
        self._show()

    def clear(self) -> None:
        if not dialogs.ask(self, "停用模板", "停用单位模板后，导出将恢复使用内置格式。确定停用吗？"):
            return
        with open_database(self.db_path) as db:
            clear_template(db, self.list_id)
        self.template = None
        self.cleared = True
        self._show()

    def accept(self) -> None:
        tpl = self.template
        if tpl is None:
            return
        chosen = [self.table.cellWidget(i, 2).currentData() for i in range(self.table.rowCount())]  # type: ignore[union-attr]
        picked = [f for f in chosen if f]
        twice = sorted({f for f in picked if picked.count(f) > 1}, key=list(FIELD_LABELS).index)
        if "name" not in picked:
            self.error.setText("请指定哪一列填“项目名称”：没有项目名称，导出的表无法辨认各项目。")
            return
        if twice:
            self.error.setText("“" + "”“".join(FIELD_LABELS[f] for f in twice) + "”选在了不止一列：每项内容只能填一列。")
            return
        for col, f in zip(tpl.columns, chosen):
            col.field = f
        with open_database(self.db_path) as db:
            save_template(db, self.list_id, tpl)
        self.changed = True
        super().accept()


def open_template_dialog(parent: QWidget | None, db_path: Path, list_id: int) -> bool:
    """Show the 单位模板 dialog for a list; True when a template was saved (False: cancelled, or 停用模板)."""
    dlg = TemplateDialog(db_path, list_id, parent)
    dlg.exec()
    return dlg.changed
