"""The window's size on the clerk's own screen: the first size fits the available area, and a remembered size is
used again only where it still fits (issue 16).

All sizes are Qt's logical pixels: ``QScreen.availableGeometry()`` already accounts for the display scaling
(1920×1080 at 125 % is 1536×864 here), and excludes the taskbar."""

from __future__ import annotations

from PySide6.QtCore import QRect
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

PREFERRED = (1600, 960)  # the first size on a screen with room for it: three columns (pane_layout)
SHARE = 0.9  # at most this much of the available width and height


def available_area(widget: QWidget) -> QRect:
    """The available geometry (logical pixels, without the taskbar) of the screen the widget is on."""
    screen = widget.screen() or QGuiApplication.primaryScreen()
    return screen.availableGeometry()


def first_geometry(area: QRect) -> QRect:
    """The preferred size, but at most 90 % of ``area`` each way, centred in it."""
    w = min(PREFERRED[0], int(area.width() * SHARE))
    h = min(PREFERRED[1], int(area.height() * SHARE))
    return QRect(area.x() + (area.width() - w) // 2, area.y() + (area.height() - h) // 2, w, h)


def fits(geometry: QRect, area: QRect) -> bool:
    """Whether a restored window lies wholly inside the available area of the current screen."""
    return geometry.isValid() and area.contains(geometry)
