"""atomic_write_bytes (issue 14): a failed write leaves the target as it was and no temporary file; a file held
open becomes the one Chinese line, and the command line exits 2 with it, never 1.

The tests run as root, where a read-only folder does not stop a write: the failures are made by replacing the
calls that fail in real life (os.replace refused on Windows when Word has the file open; ENOSPC on a full disk)."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from minsheng_desktop import fileio
from minsheng_desktop.cli import main
from minsheng_desktop.fileio import OutputLocked, atomic_write_bytes

from .conftest import FIXTURES

OLD, NEW = b"old contents", b"new contents" * 1000


class _FailingFile:
    """The file object of os.fdopen, whose write fails as on a full disk."""

    def __init__(self, fh):
        self._fh = fh

    def __getattr__(self, name):
        return getattr(self._fh, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self._fh.close()

    def write(self, data):
        self._fh.write(data[:10])  # part of it reached the disk
        raise OSError(errno.ENOSPC, "No space left on device")


def _fail(monkeypatch, how: str, target: Path) -> None:
    real_replace, real_fdopen = os.replace, os.fdopen
    if how == "write":
        monkeypatch.setattr(fileio.os, "fdopen", lambda fd, mode: _FailingFile(real_fdopen(fd, mode)))
    elif how == "fsync":
        def fsync(fd):
            raise OSError(errno.ENOSPC, "No space left on device")
        monkeypatch.setattr(fileio.os, "fsync", fsync)
    elif how in ("replace: held open", "replace: other"):
        exc = PermissionError(errno.EACCES, "Permission denied") if how == "replace: held open" \
            else OSError(errno.EXDEV, "Invalid cross-device link")

        def replace(src, dst):
            if Path(dst) == target:
                raise exc
            return real_replace(src, dst)
        monkeypatch.setattr(fileio.os, "replace", replace)
    elif how == "interrupted":  # Ctrl+C while writing
        def fsync(fd):
            raise KeyboardInterrupt
        monkeypatch.setattr(fileio.os, "fsync", fsync)
    elif how == "temporary file refused":  # a folder we may not write to
        def mkstemp(**kw):
            raise PermissionError(errno.EACCES, "Permission denied")
        monkeypatch.setattr(fileio.tempfile, "mkstemp", mkstemp)
    else:
        raise AssertionError(how)


# how it fails -> what atomic_write_bytes raises
FAILURES = {
    "write": OSError,
    "fsync": OSError,
    "replace: held open": OutputLocked,
    "replace: other": OSError,
    "interrupted": KeyboardInterrupt,
    "temporary file refused": PermissionError,
}


@pytest.mark.parametrize("existed", [True, False], ids=["over a file", "new file"])
@pytest.mark.parametrize("how", list(FAILURES))
def test_a_failed_write_leaves_the_target_and_no_temporary_file(tmp_path, monkeypatch, how, existed) -> None:
    target = tmp_path / "out" / "区教委_2023年6月民生实事推进情况表.xlsx"
    target.parent.mkdir()
    if existed:
        target.write_bytes(OLD)
    _fail(monkeypatch, how, target)
    with pytest.raises(FAILURES[how]) as info:
        atomic_write_bytes(target, NEW)
    if how == "write" or how == "fsync":
        assert info.value.errno == errno.ENOSPC
    assert sorted(p.name for p in target.parent.iterdir()) == ([target.name] if existed else [])
    if existed:
        assert target.read_bytes() == OLD


def test_a_file_held_open_is_one_chinese_line(tmp_path, monkeypatch) -> None:
    target = tmp_path / "报送函.docx"
    target.write_bytes(OLD)
    _fail(monkeypatch, "replace: held open", target)
    with pytest.raises(OutputLocked) as info:
        atomic_write_bytes(target, NEW)
    text = str(info.value)
    assert "“报送函.docx”正被其他程序" in text and "请先关闭它" in text and "\n" not in text
    assert isinstance(info.value.__cause__, PermissionError)


def test_a_write_replaces_the_whole_file(tmp_path) -> None:
    target = tmp_path / "new" / "folder" / "t.xlsx"
    atomic_write_bytes(target, NEW)
    assert target.read_bytes() == NEW
    atomic_write_bytes(target, OLD)
    assert target.read_bytes() == OLD
    assert [p.name for p in target.parent.iterdir()] == ["t.xlsx"]


# ------------------------------------------------------------------ the command line: exit 2, one line, not 1


@pytest.fixture
def listed_db(db_path, capsys) -> Path:
    assert main(["--db", str(db_path), "import-targets", str(FIXTURES / "000_wulong_2023_notice.docx")]) == 0
    capsys.readouterr()
    return db_path


COMMANDS = {  # command -> (its arguments, the output's name)
    "export": (["export", "--month", "2023-06", "--format", "xlsx"], "表.xlsx"),
    "dump": (["dump"], "dump.json"),
}


@pytest.mark.parametrize("how", ["replace: held open", "write", "temporary file refused"])
@pytest.mark.parametrize("command", list(COMMANDS))
def test_cli_write_failure_is_exit_2_with_one_line(listed_db, tmp_path, monkeypatch, capsys, command, how) -> None:
    args, name = COMMANDS[command]
    out = tmp_path / "out" / name
    out.parent.mkdir()
    out.write_bytes(OLD)
    _fail(monkeypatch, how, out)
    code = main(["--db", str(listed_db), *args, "--out", str(out), "--force"])
    err = capsys.readouterr().err.strip()
    assert code == 2, err
    assert len(err.splitlines()) == 1 and "程序出错" not in err
    if how == "replace: held open":
        assert f"“{name}”正被其他程序（Word、WPS 或 Excel）打开" in err
    else:
        assert f"无法写入输出文件“{out}”" in err
    assert out.read_bytes() == OLD
    assert [p.name for p in out.parent.iterdir()] == [name]
