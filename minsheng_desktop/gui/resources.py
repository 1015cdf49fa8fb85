"""Icons from resources/icons/*.svg when they are there, else Qt's standard icons; the window icon."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QStyle

from ..paths import resources_dir
from .icons import app_icon as drawn_app_icon


def icons_dir() -> Path:
    return resources_dir() / "icons"


@lru_cache(maxsize=None)
def _svg(name: str) -> QIcon | None:
    path = icons_dir() / f"{name}.svg"
    if not path.is_file():
        return None
    icon = QIcon(str(path))
    return None if icon.isNull() else icon


def tool_icon(name: str, fallback: QStyle.StandardPixmap, style: QStyle) -> QIcon:
    return _svg(name) or style.standardIcon(fallback)


def window_icon() -> QIcon:
    """resources/icons/app.svg (or the packaged minsheng.svg / PNG sizes), else the drawn red dot."""
    found = _svg("app") or _svg("minsheng")
    if found is not None:
        icon = QIcon(found)  # a copy: the cached one stays as it was
        for size in (16, 32, 48, 64, 128, 256):
            png = icons_dir() / f"minsheng-{size}.png"
            if png.is_file():
                icon.addFile(str(png))
        return icon
    return drawn_app_icon()
