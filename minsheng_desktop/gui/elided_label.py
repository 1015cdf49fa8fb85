"""A one-line label that elides what does not fit ("…") and keeps the whole text in its tooltip (issue 16): for
texts that must not widen their column or push what is below them down — indicator names and values
(indicator_row.py, the report form's labels), the form's check messages."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QLabel, QWidget

if TYPE_CHECKING:
    from PySide6.QtGui import QFontMetrics, QResizeEvent


def elided(fm: QFontMetrics, text: str, width: int) -> str:
    """``text`` cut to ``width`` pixels with "…" at its end. As QFontMetrics.elidedText(…, ElideRight, …), which
    would need the Qt namespace's enum types (created all at once, ~15 ms, not wanted at the window's start)."""
    if fm.horizontalAdvance(text) <= width:
        return text
    room = width - fm.horizontalAdvance("…")
    lo, hi = 0, len(text)
    while lo < hi:  # the longest start of the text that fits
        mid = (lo + hi + 1) // 2
        if fm.horizontalAdvance(text[:mid]) <= room:
            lo = mid
        else:
            hi = mid - 1
    return text[:lo] + "…"


class ElidedLabel(QLabel):
    """A one-line label that shows as much of its text as fits, ending in "…"; the whole text is its tooltip."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._full = ""
        self.set_full_text(text)

    def set_full_text(self, text: str) -> None:
        self._full = text
        self.setToolTip(text)
        self._elide()

    def full_text(self) -> str:
        return self._full

    def natural_width(self) -> int:
        """The width that shows the whole text."""
        return self.fontMetrics().horizontalAdvance(self._full) + 2 * self.margin() + 2

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(self.natural_width(), super().sizeHint().height())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        fm = self.fontMetrics()
        return QSize(fm.horizontalAdvance("…") + fm.horizontalAdvance("检") * 2, super().minimumSizeHint().height())

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        width = max(0, self.width() - 2 * self.margin() - 2)
        shown = elided(self.fontMetrics(), self._full, width)
        if shown != self.text():
            super().setText(shown)


def message_label() -> ElidedLabel:
    """A form field's check message: always in the layout, one line high, so that showing a message never pushes
    the fields below it down; in a form too narrow for it the end is elided, the whole text in its tooltip."""
    lab = ElidedLabel("检")  # a line of Chinese text (its fallback font sets the line height): the room kept
    lab.setFixedHeight(lab.sizeHint().height())
    lab.set_full_text("")
    return lab
