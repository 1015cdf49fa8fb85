"""Settings: the clerk's own unit and hand-entered holiday dates (validated before they are stored)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QPlainTextEdit, QTabWidget, QVBoxLayout, QWidget,
)

from ..services import holidays
from ..domain import schedule
from ..services.database import Database
from .mail_settings import MailSettingsPage

HOLIDAY_HELP = (
    "节假日按国务院办公厅每年公布的安排内置（chinese_calendar 软件包，目前含到{last}年）。"
    "次年的安排通常年底才公布：如截止日计算需要，请在下面逐行补充，格式“2027-01-01 休”或“2027-02-07 班”（调休上班），"
    "“#”后为说明。这里填写的日期优先于内置安排。"
)


def _last_covered_year() -> int:
    cal = schedule.WorkCalendar()
    year = 2020
    while cal.package_covers(year + 1) and year < 2100:
        year += 1
    return year


class SettingsDialog(QDialog):
    def __init__(self, db: Database, units: list[str], unit: str | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.setWindowTitle("设置")
        self.resize(640, 620)
        outer = QVBoxLayout(self)
        self.tabs = QTabWidget()
        general = QWidget()
        lay = QVBoxLayout(general)
        form = QFormLayout()
        self.unit = QComboBox()
        self.unit.addItem("（未选择）", None)
        for u in units:
            self.unit.addItem(u, u)
        self.unit.setCurrentIndex(max(self.unit.findData(unit), 0))
        form.addRow("本单位（牵头单位）：", self.unit)
        lay.addLayout(form)
        help_label = QLabel(HOLIDAY_HELP.format(last=_last_covered_year()))
        help_label.setWordWrap(True)
        lay.addWidget(help_label)
        self.holidays = QPlainTextEdit(holidays.holiday_text(db))
        self.holidays.setPlaceholderText("2027-01-01 休\n2027-02-07 班")
        self.holidays.setTabChangesFocus(True)
        lay.addWidget(self.holidays, 1)
        self.tabs.addTab(general, "常规")
        self.mail = MailSettingsPage(db)
        self.tabs.addTab(self.mail, "报送与邮件")
        outer.addWidget(self.tabs, 1)
        self.error = QLabel()
        self.error.setStyleSheet("color: #c0392b;")
        self.error.setWordWrap(True)
        outer.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        outer.addWidget(buttons)

    @property
    def chosen_unit(self) -> str | None:
        return self.unit.currentData()

    def accept(self) -> None:
        try:
            holidays.save_holiday_text(self.db, self.holidays.toPlainText())
        except ValueError as exc:
            self.error.setText(str(exc))
            self.tabs.setCurrentIndex(0)
            self.holidays.setFocus()
            return
        problem = self.mail.save()
        if problem:
            self.error.setText(problem)
            self.tabs.setCurrentWidget(self.mail)
            return
        super().accept()
