"""The month combo and the 全部项目 / 本单位牵头 choice that the export and mail dialogs share."""

from __future__ import annotations

from PySide6.QtWidgets import QButtonGroup, QComboBox, QRadioButton, QWidget

from .. import workbench
from ..domain.schedule import month_label


class MonthScope:
    """Builds the widgets on ``owner`` (as owner.month, owner.scope_all, owner.scope_mine) and reads the choice."""

    def __init__(self, owner: QWidget, year: int, month: str, unit: str | None, *, mine_by_default: bool,
                 all_text: str, mine_text: str, no_unit_text: str) -> None:
        self.unit = unit
        self.month = QComboBox()
        for m in workbench.year_months(year):
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
