"""A rotating log file in the platform's log folder; nothing secret or personal is written to it."""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

from .paths import log_dir

_configured: Path | None = None


def setup_logging(level: int = logging.INFO) -> Path:
    """Configure the 'minsheng' logger once; returns the log file's path."""
    global _configured
    if _configured is not None:
        return _configured
    path = log_dir() / "minsheng.log"
    logger = logging.getLogger("minsheng")
    logger.setLevel(level)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = logging.handlers.RotatingFileHandler(
            path, maxBytes=1_000_000, backupCount=3, encoding="utf-8"
        )
    except OSError:
        handler = logging.NullHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logger.addHandler(handler)
    _configured = path
    return path
