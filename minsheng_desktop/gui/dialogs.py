"""Every question the window asks goes through these functions, so tests can replace them."""

from __future__ import annotations

from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox, QWidget

IMPORT_FILTER = "目标任务文件 (*.docx *.xlsx);;Word 文档 (*.docx);;Excel 表格 (*.xlsx)"


def ask(parent: QWidget | None, title: str, text: str) -> bool:
    """A yes/no question; 'No' is the default so Enter never overwrites anything."""
    box = QMessageBox(QMessageBox.Icon.Question, title, text,
                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, parent)
    box.setDefaultButton(QMessageBox.StandardButton.No)
    return box.exec() == QMessageBox.StandardButton.Yes


def show_error(parent: QWidget | None, title: str, text: str) -> None:
    QMessageBox.warning(parent, title, text)


def choose_import_file(parent: QWidget | None, start_dir: str = "") -> str | None:
    path, _ = QFileDialog.getOpenFileName(parent, "导入目标任务", start_dir, IMPORT_FILTER)
    return path or None


def choose_unit(parent: QWidget | None, units: list[str], current: str | None) -> str | None:
    if not units:
        show_error(parent, "选择本单位", "还没有导入目标任务，没有可选的单位。")
        return None
    index = units.index(current) if current in units else 0
    unit, ok = QInputDialog.getItem(parent, "选择本单位", "本单位（牵头单位）：", units, index, False)
    return unit if ok and unit else None
