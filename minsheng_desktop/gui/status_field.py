"""The report form's 进度状态: the clerk's choice, and beside it the suggestion from the 完成进度 (issue 16).

The suggestion (domain.status.suggestion) is only shown: a value being typed changes nothing. The status is set
by the clerk alone — picked from the list, or the suggestion taken with 采用建议 (one click, or Alt+J) — so the
edit history records only what the clerk did."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QWidget

from ..domain.form_checks import FORM_STATUSES
from ..domain.model import STATUS_LABELS
from ..domain.status import suggestion
from . import dialogs

if TYPE_CHECKING:
    from collections.abc import Callable

    from ..domain.plan import Plan

_HINT = "color: #666;"


def reserved_label(lines: int = 2) -> QLabel:
    """A word-wrapped label that always keeps the height of ``lines`` lines of Chinese text, so that its text
    appearing, growing or going never moves the fields below it (the whole text is also its tooltip, for a
    form too narrow for it)."""
    lab = QLabel("\n".join("检" * lines))  # lines of Chinese text (its fallback font sets the line height)
    lab.setFixedHeight(lab.sizeHint().height())
    lab.setText("")
    lab.setWordWrap(True)
    return lab


class StatusField(QWidget):
    """The status list and the 采用建议 button, in one row; ``hint`` (the suggestion's sentence) is placed by the
    form in the row below. ``picked`` is emitted when the clerk set the status (from the list or the suggestion);
    ``percent`` gives the 完成进度 as typed (None: none or not a number)."""

    picked = Signal()

    def __init__(self, percent: Callable[[], float | None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._percent = percent
        self._suggested: str | None = None
        self._previous: str | None = None  # the status before the list was opened: back to it on a 'no'
        self._shown: tuple[float | None, str, Plan | None] = (None, "", None)  # what the hint is for
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.combo = QComboBox()
        self.combo.addItem("（请选择）", None)
        for key in FORM_STATUSES:
            self.combo.addItem(STATUS_LABELS[key], key)
        self.combo.activated.connect(self._chosen)
        lay.addWidget(self.combo)
        self.take_button = QPushButton("采用建议(&J)")
        self.take_button.clicked.connect(self.take_suggestion)
        lay.addWidget(self.take_button)
        lay.addStretch(1)
        self.hint = reserved_label()
        self.hint.setStyleSheet(_HINT)
        self.setFocusProxy(self.combo)
        self.show_suggestion(None, "")

    # ------------------------------------------------------------ what is shown
    def current(self) -> str | None:
        return self.combo.currentData()

    def set_current(self, key: str | None) -> None:
        """Show ``key`` (a stored report's status); not a choice of the clerk: nothing is emitted."""
        self.combo.setCurrentIndex(max(self.combo.findData(key), 0))
        self._previous = key
        self.show_suggestion(*self._shown)

    def show_suggestion(self, percent: float | None, month: str, plan: Plan | None = None) -> None:
        """The hint for ``percent`` at the end of ``month`` (against the project's ``plan`` where it has one);
        the status itself is left as it is."""
        self._shown = (percent, month, plan)
        if not month:
            self._suggested = None
            self.hint.setText("")
        else:
            key, sentence = suggestion(percent, month, plan)
            self._suggested = key or None
            self.hint.setText(sentence + ("。" if not key else
                                          "；与所选状态一致。" if key == self.current() else
                                          "；可采用建议（Alt+J）或按实际另选。"))
        self.hint.setToolTip(self.hint.text())
        self._refresh_button()

    @property
    def suggested(self) -> str | None:
        return self._suggested

    def _refresh_button(self) -> None:
        key = self._suggested
        self.take_button.setEnabled(key is not None and key != self.current())
        self.take_button.setToolTip(f"把进度状态设为建议的“{STATUS_LABELS[key]}”（Alt+J）" if key else
                                    "填写完成进度后给出建议")

    # ------------------------------------------------------------ the clerk's choice
    def take_suggestion(self) -> bool:
        """Set the status to the suggestion (the 采用建议 button, Alt+J); False when there is none to take."""
        key = self._suggested
        if key is None or key == self.current() or not self.isEnabled():
            return False
        self.combo.setCurrentIndex(self.combo.findData(key))
        self._accept()
        return True

    def _chosen(self, index: int) -> None:
        key = self.combo.itemData(index)
        pct = self._percent()
        if (key == "done" and pct is not None and pct < 100 and key != self._previous
                and not dialogs.ask(self, "确认已完成", f"完成进度只有 {pct:g}%，确定把状态设为“已完成”吗？")):
            self.combo.setCurrentIndex(max(self.combo.findData(self._previous), 0))
            return
        if key == self._previous:
            return
        self._accept()

    def _accept(self) -> None:
        self._previous = self.current()
        self.show_suggestion(*self._shown)  # its ending says whether the choice is the suggestion
        self.picked.emit()
