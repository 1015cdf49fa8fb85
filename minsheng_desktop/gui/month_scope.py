"""The month combo and the 全部项目 / 本单位牵头 choice that the export and mail dialogs share, the month combo of
the 发展改革委's dialogs (汇总, 催报) set to the month due, and the note of the projects still unfilled for the month
with a way to go and fill them."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QButtonGroup, QComboBox, QHBoxLayout, QLabel, QPushButton, QRadioButton, QWidget

from datetime import date

from ..domain.model import TargetList
from ..domain.schedule import month_label
from ..services.database import Database
from ..services.export import unfilled_note
from ..services.holidays import work_calendar
from ..services.month import default_month, year_months


def fill_year_months(combo: QComboBox, db: Database, target_list: TargetList | None) -> None:
    """The list's twelve months in ``combo``, the month due today chosen (the holiday calendar moves deadlines)."""
    combo.clear()
    if target_list is None:
        return
    for m in year_months(target_list.year):
        combo.addItem(month_label(m), m)
    due = default_month(target_list, date.today(), work_calendar(db))
    combo.setCurrentIndex(max(0, combo.findData(due)))


class MonthScope:
    """Builds the widgets on ``owner`` (as owner.month, owner.scope_all, owner.scope_mine) and reads the choice."""

    def __init__(self, owner: QWidget, year: int, month: str, unit: str | None, *, mine_by_default: bool,
                 all_text: str, mine_text: str, no_unit_text: str) -> None:
        self.unit = unit
        self.month = QComboBox()
        for m in year_months(year):
            self.month.addItem(month_label(m), m)
        self.month.setCurrentIndex(max(self.month.findData(month), 0))
        self.scope_all = QRadioButton(all_text)
        self.scope_mine = QRadioButton(mine_text.format(unit=unit) if unit else no_unit_text)
        self.scope_mine.setEnabled(bool(unit))
        group = QButtonGroup(owner)
        for b in (self.scope_all, self.scope_mine):
            group.addButton(b)
        (self.scope_mine if unit and mine_by_default else self.scope_all).setChecked(True)
        owner.month, owner.scope_all, owner.scope_mine = self.month, self.scope_all, self.scope_mine  # type: ignore[attr-defined]

    @property
    def chosen_month(self) -> str:
        return str(self.month.currentData())

    @property
    def chosen_unit(self) -> str | None:
        return self.unit if self.scope_mine.isChecked() else None


class UnfilledNote(QWidget):
    """Under the month and scope of the export and mail dialogs: the projects still unfilled for the month,
    named, with 去填报 to go to the first of them (fillRequested(project id, month))."""

    fillRequested = Signal(str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setStyleSheet("color: #a04000;")
        self.button = QPushButton("去填报(&G)")
        self.button.setToolTip("关闭本窗口，转到第一个未填报的项目")
        self.button.clicked.connect(self._go)
        lay.addWidget(self.label, 1)
        lay.addWidget(self.button)
        self.first: tuple[str, str] | None = None
        self.setVisible(False)

    def show_unfilled(self, projects: list, month: str, unit: str | None) -> None:
        """Name the projects (reporting.unfilled_note), or hide when every one is filled."""
        text = unfilled_note(projects, month, unit)
        self.first = (projects[0].id, month) if projects else None
        self.label.setText(f"{text}表中列出其最近一次填报的数据并注明月份。" if text else "")
        self.setVisible(bool(text))

    def _go(self) -> None:
        if self.first is not None:
            self.fillRequested.emit(*self.first)
