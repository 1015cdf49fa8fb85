"""A rotating log file in the platform's log folder; nothing secret or personal is written to it."""

from __future__ import annotations

import logging
from pathlib import Path

from .paths import log_dir

class _LazyFileHandler(logging.Handler):
    """Opens the rotating log file on the first record: most runs never write one, and start faster."""

    def __init__(self) -> None:
        super().__init__()
        self._target: logging.Handler | None = None
        self.path: Path | None = None

    def _open(self) -> logging.Handler:
        if self._target is None:
            # deferred: pulls in socket, pickle, queue; most runs never write a record
            import logging.handlers

            self.path = log_dir() / "minsheng.log"
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self._target = logging.handlers.RotatingFileHandler(self.path, maxBytes=1_000_000, backupCount=3,
                                                                    encoding="utf-8")
            except OSError:
                self._target = logging.NullHandler()
            self._target.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        return self._target

    def emit(self, record: logging.LogRecord) -> None:
        self._open().handle(record)


_handler: _LazyFileHandler | None = None


def configure_logging(level: int = logging.INFO) -> None:
    """Configure the 'minsheng' logger once (the file, and even its folder, is looked up on the first record:
    platformdirs costs ~5 ms of every start)."""
    global _handler
    if _handler is None:
        _handler = _LazyFileHandler()
        logger = logging.getLogger("minsheng")
        logger.setLevel(level)
        logger.addHandler(_handler)


def setup_logging(level: int = logging.INFO) -> Path:
    """configure_logging(), returning the log file's path (to name it in a message)."""
    configure_logging(level)
    return log_dir() / "minsheng.log"
