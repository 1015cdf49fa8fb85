"""Coloured status dots and the window icon, drawn at run time so they stay sharp on high-DPI screens."""

from __future__ import annotations

from functools import lru_cache

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap

LIGHT_COLORS: dict[str, str] = {"green": "#2e9d47", "amber": "#e5a50a", "red": "#d0312d", "grey": "#b0b0b0"}


@lru_cache(maxsize=None)
def dot(color: str) -> QIcon:
    icon = QIcon()
    for size in (16, 32, 48):
        pm = QPixmap(size, size)
        pm.fill(Qt.GlobalColor.transparent)
        p = QPainter(pm)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setPen(QColor(color).darker(130))
        p.setBrush(QColor(color))
        m = size * 0.2
        p.drawEllipse(int(m), int(m), int(size - 2 * m), int(size - 2 * m))
        p.end()
        icon.addPixmap(pm)
    return icon


def light_icon(light: str) -> QIcon:
    return dot(LIGHT_COLORS.get(light, LIGHT_COLORS["grey"]))


def app_icon() -> QIcon:
    return dot("#c8102e")
