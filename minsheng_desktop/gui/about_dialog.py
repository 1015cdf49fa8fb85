"""帮助 → 关于: the version, where the data is, and the licences (ours and the bundled software's)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QLabel, QPlainTextEdit, QTabWidget, QVBoxLayout, QWidget,
)

from .. import APP_NAME
from ..version import version
from ..paths import licence_dir

LICENCE_FILES = (("许可证", "LICENSE"), ("第三方软件", "THIRD-PARTY-NOTICES.txt"))


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        return f"未找到文件“{path.name}”：安装包不完整，请重新安装本程序。"


class AboutDialog(QDialog):
    """The short facts on top; each licence file in a tab, read when the dialog opens (700 KB of notices)."""

    def __init__(self, parent: QWidget | None, db_path: Path) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"关于{APP_NAME}")
        self.facts = facts = QLabel(
            f"<h3>{APP_NAME}</h3><p>版本 {version()}</p>"
            "<p>导入年度民生实事目标任务，按月填报进展，提醒截止日期。</p>"
            f"<p>数据库：{db_path}</p>"
            "<p>节假日数据：chinese_calendar（国务院办公厅公布的安排），可在设置中补充。</p>"
            "<p>本程序以 MIT 许可证发布；所用开源软件及其许可证见下方“第三方软件”。</p>")
        facts.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        facts.setWordWrap(True)
        self.tabs = QTabWidget()
        fixed = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        for label, name in LICENCE_FILES:
            view = QPlainTextEdit(_read(licence_dir() / name))
            view.setReadOnly(True)
            view.setFont(fixed)
            view.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
            self.tabs.addTab(view, label)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(facts)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(buttons)
        self.resize(720, 560)

    def licence_text(self, index: int) -> str:
        view = self.tabs.widget(index)
        assert isinstance(view, QPlainTextEdit)
        return view.toPlainText()
