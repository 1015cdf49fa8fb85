"""Coloured status dots and the window icon, drawn at run time so they stay sharp on high-DPI screens."""

from __future__ import annotations

from functools import lru_cache

from PySide6.QtGui import QColor, QIcon, QPixmap

LIGHT_COLORS: dict[str, str] = {"green": "#2e9d47", "amber": "#e5a50a", "red": "#d0312d", "grey": "#b0b0b0"}


@lru_cache(maxsize=None)
def dot(color: str) -> QIcon:
    """A filled circle with a darker rim at 16, 32 and 48 px. Rendered from SVG text rather than with QPainter:
    setPen/setBrush with a QColor make PySide create every enum type of the Qt namespace (to rule out their
    Qt.GlobalColor overloads), ~15 ms on the first paint of the tree."""
    icon = QIcon()
    rim = QColor(color).darker(130).name()
    for size in (16, 32, 48):
        m = int(size * 0.2)
        r = int(size - 2 * size * 0.2) / 2  # the circle QPainter.drawEllipse(m, m, 2r, 2r) drew, rim 1 px
        svg = (f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}">'
               f'<circle cx="{m + r}" cy="{m + r}" r="{r}" fill="{color}" stroke="{rim}" stroke-width="1"/></svg>')
        pm = QPixmap()
        if not pm.loadFromData(svg.encode(), "SVG"):  # no SVG image plugin (a bundle without it): paint it
            pm = _painted_dot(color, size)
        icon.addPixmap(pm)
    return icon


def _painted_dot(color: str, size: int) -> QPixmap:
    # Only without the SVG plug-in; at the top, Qt's enum types would cost the start ~15 ms (see menus.py).
    from PySide6.QtCore import Qt  # deferred: see above
    from PySide6.QtGui import QPainter  # deferred: see above

    pm = QPixmap(size, size)
    pm.fill(Qt.GlobalColor.transparent)
    p = QPainter(pm)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setPen(QColor(color).darker(130))
    p.setBrush(QColor(color))
    m = size * 0.2
    p.drawEllipse(int(m), int(m), int(size - 2 * m), int(size - 2 * m))
    p.end()
    return pm


def light_icon(light: str) -> QIcon:
    return dot(LIGHT_COLORS.get(light, LIGHT_COLORS["grey"]))


def app_icon() -> QIcon:
    return dot("#c8102e")
