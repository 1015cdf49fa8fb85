"""Output files are written to a temporary name beside the target and renamed: never half-written."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


class OutputLocked(Exception):
    """The target is held open by another program (Word, WPS, Excel)."""


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes) -> None:
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        try:
            os.replace(tmp, target)
        except PermissionError as exc:
            raise OutputLocked(f"“{target.name}”正被其他程序（Word、WPS 或 Excel）打开，无法覆盖：请先关闭它。") from exc
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
