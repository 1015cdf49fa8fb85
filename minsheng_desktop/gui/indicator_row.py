"""One quantitative indicator in the detail pane: label — target — done — bar (issue 16, item 2).

In a pane wide enough for all four the row is one line; in a narrower one the label takes a line of its own
(see IndicatorRow). The label never breaks one character per line: it is one line, elided with "…" where even
that is too short, the whole text in its tooltip (elided_label.py). Nothing here has a minimum width larger
than a narrow pane, so the pane never needs a horizontal scrollbar."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QGridLayout, QProgressBar, QWidget

from .elided_label import ElidedLabel

if TYPE_CHECKING:
    from PySide6.QtGui import QResizeEvent

BAR_MIN, BAR_MAX = 60, 160


class IndicatorRow(QWidget):
    """label — target — done — bar, arranged for the width it has (``arrangement``):

    - "line": all four on one line (target and done at the widths ``align`` gives, so rows line up);
    - "two": the label on its own line, target — done — bar under it;
    - "narrow": the label and the bar, target — done under them (elided only where even that is too wide)."""

    def __init__(self, label: str, target: str, done: str, share: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = ElidedLabel(label)
        self.target = ElidedLabel(target)
        self.done = ElidedLabel(done)
        self.bar = QProgressBar()
        self.bar.setRange(0, 100)
        self.bar.setValue(share)
        self.bar.setFormat(f"{share}%")
        self.bar.setMinimumWidth(BAR_MIN)
        self.bar.setMaximumWidth(BAR_MAX)
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 2, 0, 2)
        self.grid.setVerticalSpacing(2)
        self.arrangement = ""
        self._widths = (self.target.natural_width(), self.done.natural_width())
        self._arrange("line")

    @property
    def one_line(self) -> bool:
        return self.arrangement == "line"

    def _gap(self) -> int:
        return max(self.grid.horizontalSpacing(), 0)

    def align(self, target_width: int, done_width: int) -> None:
        """Target and done as wide as the widest among the pane's rows, so that one-line rows line up."""
        self._widths = (max(target_width, self.target.natural_width()), max(done_width, self.done.natural_width()))
        if self.arrangement == "line":
            self.arrangement = ""
            self._arrange("line")

    def arrangement_for(self, width: int) -> str:
        values = self.target.natural_width() + self.done.natural_width() + self._gap()
        if width >= self.label.natural_width() + sum(self._widths) + BAR_MAX + 3 * self._gap():
            return "line"
        return "two" if width >= values + BAR_MIN + 2 * self._gap() else "narrow"

    def _arrange(self, arrangement: str) -> None:
        if arrangement == self.arrangement:
            return
        self.arrangement = arrangement
        line = arrangement == "line"
        # One line: target and done at their aligned widths; two lines: each whole (the width was checked);
        # narrow: each as wide as it needs, eliding where there is not room.
        for lab, width in zip((self.target, self.done), self._widths):
            lab.setMinimumWidth(width if line else lab.natural_width() if arrangement == "two" else 0)
            lab.setMaximumWidth(width if line else 16777215)
        for w in (self.label, self.target, self.done, self.bar):
            self.grid.removeWidget(w)
        for c in range(4):
            self.grid.setColumnStretch(c, 0)
        if line:
            places = {self.label: (0, 0, 1, 1), self.target: (0, 1, 1, 1), self.done: (0, 2, 1, 1),
                      self.bar: (0, 3, 1, 1)}
            self.grid.setColumnStretch(0, 1)
        elif arrangement == "two":
            places = {self.label: (0, 0, 1, 4), self.target: (1, 0, 1, 1), self.done: (1, 1, 1, 1),
                      self.bar: (1, 2, 1, 1)}
            self.grid.setColumnStretch(2, 1)
            self.grid.setColumnStretch(3, 1)
        else:
            places = {self.label: (0, 0, 1, 2), self.bar: (0, 2, 1, 1), self.target: (1, 0, 1, 1),
                      self.done: (1, 1, 1, 2)}
            self.grid.setColumnStretch(1, 1)
        for w, (r, c, rs, cs) in places.items():
            self.grid.addWidget(w, r, c, rs, cs)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        # Never wider than a narrow pane: in the narrow arrangement the elided labels and the bar all shrink.
        hint = super().minimumSizeHint()
        return QSize(min(hint.width(), 3 * BAR_MIN), hint.height())

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        self._arrange(self.arrangement_for(event.size().width()))
        super().resizeEvent(event)
