"""Output files are written to a temporary name beside the target and renamed: never half-written."""

from __future__ import annotations

import os
import stat
import sys
import tempfile
from pathlib import Path

# Windows refuses to replace a file another program (Word, WPS, Excel) holds open, with a PermissionError from the
# rename. POSIX systems never do: there a refused rename means the folder or the file is not ours to change.
RENAME_REFUSED_MEANS_HELD_OPEN = sys.platform == "win32"


class OutputLocked(Exception):
    """The target is held open by another program (Word, WPS, Excel)."""


def write_failure_message(path: str | os.PathLike[str], exc: BaseException) -> str:
    """The one Chinese line for an output file that could not be written (held open, full disk, no permission)."""
    target = Path(path)
    if isinstance(exc, OutputLocked):
        return str(exc)
    reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
    return (f"无法写入输出文件“{target}”（{reason}）：请检查磁盘空间和文件夹的写入权限，或换一个位置。")


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes) -> None:
    """Write ``data`` to ``path`` whole or not at all.

    The new file gets the permissions a plain ``open(path, "wb")`` would give it: the old file's mode when it
    is replaced, else 0o666 less the umask (mkstemp's 0o600 would hide an export from the office's other
    accounts). On Windows a PermissionError from the rename — refusing to replace a file Word or Excel has open —
    becomes OutputLocked with one Chinese line; any other failure (on Linux a refused rename too) is raised as it
    is (``write_failure_message`` words it). Either way the target is
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
            if not RENAME_REFUSED_MEANS_HELD_OPEN:
                raise
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
