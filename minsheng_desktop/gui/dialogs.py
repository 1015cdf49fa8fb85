"""Every question the window asks goes through these functions, so tests can replace them.

Qt's dialog classes are imported in the function that shows them: importing QMessageBox, QFileDialog,
QInputDialog, QDialogButtonBox, QUrl and QDesktopServices creates their types and enum types (~7 ms together),
which the window's start does not need. The services' file filter waits for the same reason:
services.importing loads the importers and lxml (~45 ms)."""

from __future__ import annotations

import os
import re
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QDialog, QFormLayout, QLabel, QLineEdit  # the window has made these already

if TYPE_CHECKING:
    from PySide6.QtCore import QUrl
    from PySide6.QtWidgets import QWidget


def ask(parent: QWidget | None, title: str, text: str) -> bool:
    """A yes/no question; 'No' is the default so Enter never overwrites anything."""
    from PySide6.QtWidgets import QMessageBox  # deferred: see the module's docstring

    box = QMessageBox(QMessageBox.Icon.Question, title, text,
                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, parent)
    box.setDefaultButton(QMessageBox.StandardButton.No)
    return box.exec() == QMessageBox.StandardButton.Yes


def show_error(parent: QWidget | None, title: str, text: str) -> None:
    from PySide6.QtWidgets import QMessageBox  # deferred: see the module's docstring

    QMessageBox.warning(parent, title, text)


def choose_import_file(parent: QWidget | None, start_dir: str = "") -> str | list[str] | None:
    """One notice file, or several page photos / scans (returned as a list, in the order of their names)."""
    from PySide6.QtWidgets import QFileDialog  # deferred: see the module's docstring

    from ..services.importing import DIALOG_FILTER  # deferred: see the module's docstring

    paths, _ = QFileDialog.getOpenFileNames(parent, "导入目标任务（照片可多选，按页序）", start_dir, DIALOG_FILTER)
    if not paths:
        return None
    return paths[0] if len(paths) == 1 else natural_sorted(paths)


def natural_sorted(paths: list[str]) -> list[str]:
    """Page photos in the order of their names: page-2 before page-10."""
    return sorted(paths, key=lambda p: [int(t) if t.isdigit() else t.lower() for t in re.split(r"(\d+)", p)])


def choose_unit(parent: QWidget | None, units: list[str], current: str | None) -> str | None:
    from PySide6.QtWidgets import QInputDialog  # deferred: see the module's docstring

    if not units:
        show_error(parent, "选择本单位", "还没有导入目标任务，没有可选的单位。")
        return None
    index = units.index(current) if current in units else 0
    unit, ok = QInputDialog.getItem(parent, "选择本单位", "本单位（牵头单位）：", units, index, False)
    return unit if ok and unit else None


def show_info(parent: QWidget | None, title: str, text: str) -> None:
    from PySide6.QtWidgets import QMessageBox  # deferred: see the module's docstring

    QMessageBox.information(parent, title, text)


def ask_password(parent: QWidget | None, user: str) -> str | None:
    """The SMTP password (授权码) when no keyring keeps it; kept only in memory for this one send."""
    from PySide6.QtWidgets import QInputDialog  # deferred: see the module's docstring

    pw, ok = QInputDialog.getText(parent, "邮箱密码", f"请输入邮箱 {user} 的密码（授权码）：",
                                  QLineEdit.EchoMode.Password)
    return pw if ok and pw else None


def choose_folder(parent: QWidget | None, title: str, start_dir: str = "") -> str | None:
    from PySide6.QtWidgets import QFileDialog  # deferred: see the module's docstring

    path = QFileDialog.getExistingDirectory(parent, title, start_dir)
    return path or None


def choose_save_file(parent: QWidget | None, title: str, start: str, file_filter: str) -> str | None:
    from PySide6.QtWidgets import QFileDialog  # deferred: see the module's docstring

    path, _ = QFileDialog.getSaveFileName(parent, title, start, file_filter)
    return path or None


def choose_open_file(parent: QWidget | None, title: str, start: str, file_filter: str) -> str | None:
    from PySide6.QtWidgets import QFileDialog  # deferred: see the module's docstring

    path, _ = QFileDialog.getOpenFileName(parent, title, start, file_filter)
    return path or None


def open_url(url: QUrl) -> bool:
    """Open a folder or a file with the system's program (replaced in tests)."""
    from PySide6.QtGui import QDesktopServices  # deferred: see the module's docstring

    return QDesktopServices.openUrl(url)


def open_path(path: str | os.PathLike[str]) -> bool:
    from PySide6.QtCore import QUrl  # deferred: see the module's docstring

    return open_url(QUrl.fromLocalFile(str(path)))


def choose_item(parent: QWidget | None, title: str, label: str, items: list[str], current: int = 0) -> str | None:
    from PySide6.QtWidgets import QInputDialog  # deferred: see the module's docstring

    item, ok = QInputDialog.getItem(parent, title, label, items, current, False)
    return item if ok and item else None


def ask_contact(parent: QWidget | None, name: str, phone: str) -> tuple[str, str] | None:
    """联系人 and 联系电话 for the tables and the letter (asked once, on the first export); None: skipped."""
    from PySide6.QtWidgets import QDialogButtonBox  # deferred: see the module's docstring

    dlg = QDialog(parent)
    dlg.setWindowTitle("联系人和联系电话")
    form = QFormLayout(dlg)
    note = QLabel("推进情况表和报送函上要写联系人和联系电话。填写一次即可，以后导出自动带上（可在“设置”中修改）；"
                  "不填则在该处留出横线待手写。")
    note.setWordWrap(True)
    form.addRow(note)
    name_edit, phone_edit = QLineEdit(name), QLineEdit(phone)
    name_edit.setPlaceholderText("例如 张三")
    phone_edit.setPlaceholderText("例如 023-77771234")
    form.addRow("联系人(&N)：", name_edit)
    form.addRow("联系电话(&P)：", phone_edit)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    buttons.button(QDialogButtonBox.StandardButton.Ok).setText("保存")
    buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("以后再填")
    buttons.accepted.connect(dlg.accept)
    buttons.rejected.connect(dlg.reject)
    form.addRow(buttons)
    if dlg.exec() != QDialog.DialogCode.Accepted:
        return None
    return name_edit.text().strip(), phone_edit.text().strip()
