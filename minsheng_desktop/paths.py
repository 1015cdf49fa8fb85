"""Where things live: the database (platformdirs, $MINSHENG_DB), logs, backups, and bundled resources."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from functools import lru_cache
from typing import Any


@lru_cache(maxsize=1)
def _dirs() -> Any:
    from platformdirs import PlatformDirs  # deferred: loaded when a folder is first needed, not at start-up

    return PlatformDirs(appname="minsheng", appauthor=False)


def data_dir() -> Path:
    return Path(_dirs().user_data_dir)


def default_db_path() -> Path:
    env = os.environ.get("MINSHENG_DB")
    if env:
        return Path(env).expanduser()
    return data_dir() / "minsheng.db"


def log_dir() -> Path:
    return Path(_dirs().user_log_dir)


def backup_dir(db_path: Path) -> Path:
    return db_path.parent / "backups"


def resources_dir() -> Path:
    """resources/ beside the package, or inside a PyInstaller bundle."""
    base = getattr(sys, "_MEIPASS", None)
    if base:
        return Path(base) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def licence_dir() -> Path:
    """Where LICENSE and THIRD-PARTY-NOTICES.txt are: the bundle's root, or the top of the source tree."""
    base = getattr(sys, "_MEIPASS", None)
    return Path(base) if base else Path(__file__).resolve().parent.parent
