"""Icons from resources/icons/*.svg when they are there, else Qt's standard icons; the window icon."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtGui import QIcon

from ..paths import resources_dir
from .icons import app_icon as drawn_app_icon

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget


def icons_dir() -> Path:
    return resources_dir() / "icons"


@lru_cache(maxsize=None)
def _svg(name: str) -> QIcon | None:
    path = icons_dir() / f"{name}.svg"
    if not path.is_file():
        return None
    icon = QIcon(str(path))
    return None if icon.isNull() else icon


def tool_icon(name: str, fallback: str, widget: QWidget) -> QIcon:
    """resources/icons/<name>.svg, else ``widget``'s style's standard icon ``fallback`` (a
    ``QStyle.StandardPixmap`` member's name). QStyle is touched only then: the first QStyle object or enum
    that reaches Python creates the class's ~11 enum types (~5 ms of the start), even ``widget.style()``."""
    icon = _svg(name)
    if icon is None:
        from PySide6.QtWidgets import QStyle  # deferred: see the docstring

        icon = widget.style().standardIcon(getattr(QStyle.StandardPixmap, fallback))
    return icon


def window_icon(pngs: bool = True) -> QIcon:
    """resources/icons/app.svg (or the packaged minsheng.svg with its PNG sizes), else the drawn red dot.

    ``pngs=False``: the SVG alone; the window adds the PNG sizes (``add_window_pngs``) right after its first
    paint (decoding six PNGs costs ~2 ms of the start; until then the desktop draws the icon from the SVG)."""
    found = _svg("app") or _svg("minsheng")
    if found is not None:
        icon = QIcon(found)  # a copy: the cached one stays as it was
        if pngs:
            add_window_pngs(icon)
        return icon
    return drawn_app_icon()


def add_window_pngs(icon: QIcon) -> QIcon:
    """Add the packaged PNG sizes of the window icon (resources/icons/minsheng-<size>.png) to ``icon``."""
    for size in (16, 32, 48, 64, 128, 256):
        png = icons_dir() / f"minsheng-{size}.png"
        if png.is_file():
            icon.addFile(str(png))
    return icon
