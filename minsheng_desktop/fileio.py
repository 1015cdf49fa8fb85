"""Output files are written to a temporary name beside the target and renamed: never half-written."""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path


class OutputLocked(Exception):
    """The target is held open by another program (Word, WPS, Excel)."""


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes) -> None:
    """Write ``data`` to ``path`` whole or not at all.

    The new file gets the permissions a plain ``open(path, "wb")`` would give it: the old file's mode when it
    is replaced, else 0o666 less the umask (mkstemp's 0o600 would hide an export from the office's other
    accounts). A PermissionError from the rename — Windows refusing to replace a file Word or Excel has open —
    becomes OutputLocked with one Chinese line; any other failure is raised as it is. Either way the target is
    left as it was and the temporary file is removed."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    mode = _new_file_mode(target)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
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


def _new_file_mode(target: Path) -> int | None:
    """The permission bits for the file written to ``target``; None where modes mean nothing (Windows)."""
    if os.name != "posix":
        return None
    try:
        return stat.S_IMODE(os.stat(target).st_mode) & 0o777
    except OSError:
        return 0o666 & ~_umask()


def _umask() -> int:
    """The process's umask, read without changing it where the system allows (os.umask can only set it)."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    old = os.umask(0o022)  # elsewhere (macOS): set and restore at once
    os.umask(old)
    return old
