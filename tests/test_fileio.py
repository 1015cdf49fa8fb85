"""atomic_write_bytes (issue 14): a failed write leaves the target as it was and no temporary file; a file held
open becomes the one Chinese line, and the command line exits 2 with it, never 1.

Most failures are made by replacing the calls that fail in real life (os.replace refused on Windows when Word has
the file open; ENOSPC on a full disk); a read-only folder is real, the process dropping root meanwhile. The new
file's mode is that of a plain open(): the old file's, else 0o666 less the umask (mkstemp alone gives 0o600)."""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import tempfile
from pathlib import Path
from types import SimpleNamespace

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
    elif how in ("replace: held open", "replace: refused", "replace: other"):
        exc = OSError(errno.EXDEV, "Invalid cross-device link") if how == "replace: other" \
            else PermissionError(errno.EACCES, "Permission denied")
        # "held open" is Windows refusing to replace a file Word has open; "refused" the same error on Linux,
        # where nothing holds files open: the folder or the file is not ours to change.
        monkeypatch.setattr(fileio, "RENAME_REFUSED_MEANS_HELD_OPEN", how == "replace: held open")

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
    "replace: refused": PermissionError,
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


@pytest.mark.parametrize("how", ["replace: held open", "replace: refused", "write", "temporary file refused"])
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


# ------------------------------------------------------------------ permissions: those of a plain open(), not mkstemp's 0600


@pytest.fixture
def umask():
    """Set the process umask for one test and put the old one back."""
    old = os.umask(0o022)
    os.umask(old)
    yield lambda mask: os.umask(mask)
    os.umask(old)


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
@pytest.mark.parametrize(("mask", "mode"), [(0o022, 0o644), (0o002, 0o664), (0o077, 0o600), (0o000, 0o666)])
def test_a_new_file_gets_the_umasks_mode(tmp_path, umask, mask, mode) -> None:
    umask(mask)
    target = tmp_path / "表.xlsx"
    atomic_write_bytes(target, NEW)
    assert oct(target.stat().st_mode & 0o7777) == oct(mode)
    # as open() would have made it
    plain = tmp_path / "plain"
    plain.write_bytes(NEW)
    assert target.stat().st_mode & 0o7777 == plain.stat().st_mode & 0o7777


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
@pytest.mark.parametrize("mode", [0o600, 0o640, 0o664, 0o444, 0o755])
def test_a_replaced_file_keeps_its_mode(tmp_path, umask, mode) -> None:
    umask(0o022)
    target = tmp_path / "表.xlsx"
    target.write_bytes(OLD)
    target.chmod(mode)
    atomic_write_bytes(target, NEW)
    assert target.read_bytes() == NEW
    assert oct(target.stat().st_mode & 0o7777) == oct(mode)


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_the_umask_is_read_without_proc(tmp_path, umask, monkeypatch) -> None:
    """Where /proc is missing (macOS) the umask is set and put back: it is the same afterwards."""
    umask(0o027)
    real_open = open

    def no_proc(file, *args, **kw):
        if str(file).startswith("/proc/"):
            raise FileNotFoundError(file)
        return real_open(file, *args, **kw)

    monkeypatch.setattr("builtins.open", no_proc)
    assert fileio._umask() == 0o027
    target = tmp_path / "t.docx"
    atomic_write_bytes(target, NEW)
    assert oct(target.stat().st_mode & 0o7777) == oct(0o640)
    assert os.umask(0o027) == 0o027  # left as it was


def test_modes_are_left_alone_on_windows(tmp_path, monkeypatch) -> None:
    """Only the read-only flag is a mode on Windows: the new file is left as mkstemp made it (os.stat not even
    asked: the stand-in for os has none)."""
    monkeypatch.setattr(fileio, "os", SimpleNamespace(name="nt"))
    assert fileio._new_file_mode(tmp_path) is None


# ------------------------------------------------------------------ a real read-only folder (no monkeypatching)


@contextlib.contextmanager
def _unprivileged():
    """As root (CI, here) root writes anywhere: take nobody's uid meanwhile, so the folder's mode counts."""
    as_root = os.geteuid() == 0
    if as_root:
        os.seteuid(65534)
    try:
        yield
    finally:
        if as_root:
            os.seteuid(0)


@pytest.fixture
def read_only_folder():
    """A folder one may enter but not write to, holding 表.xlsx; outside pytest's 0700 tmp_path, for nobody
    to reach it."""
    if os.name != "posix":
        pytest.skip("POSIX permissions")
    base = Path(tempfile.mkdtemp(prefix="minsheng-ro-"))
    base.chmod(0o755)
    folder = base / "只读"
    folder.mkdir()
    (folder / "表.xlsx").write_bytes(OLD)
    (folder / "表.xlsx").chmod(0o644)
    folder.chmod(0o555)
    try:
        yield folder
    finally:
        folder.chmod(0o755)
        shutil.rmtree(base)


def test_a_read_only_folder_is_a_permission_error_and_leaves_the_file(read_only_folder) -> None:
    target = read_only_folder / "表.xlsx"
    with _unprivileged(), pytest.raises(PermissionError) as info:
        atomic_write_bytes(target, NEW)
    assert not isinstance(info.value, OutputLocked)  # nobody holds it open: the folder refuses
    assert target.read_bytes() == OLD
    assert [p.name for p in read_only_folder.iterdir()] == ["表.xlsx"]


def test_cli_into_a_read_only_folder_is_exit_2_with_one_line(listed_db, read_only_folder, capsys, monkeypatch) -> None:
    real = fileio.atomic_write_bytes

    def write(path, data):  # the database stays root's: only the write is done as nobody
        with _unprivileged():
            real(path, data)

    monkeypatch.setattr(fileio, "atomic_write_bytes", write)
    out = read_only_folder / "表.xlsx"
    code = main(["--db", str(listed_db), "dump", "--out", str(out), "--force"])
    err = capsys.readouterr().err.strip()
    assert code == 2, err
    assert err.splitlines() == [err] and f"无法写入输出文件“{out}”" in err and "Permission denied" in err
    assert out.read_bytes() == OLD


def test_the_temporary_file_is_hidden_beside_the_target(tmp_path, monkeypatch) -> None:
    """While it is written, the folder shows the target (if any) and one hidden .<name>.<random>.tmp — never a
    second visible file that a clerk could open or mail half-written."""
    target = tmp_path / "报送函.docx"
    seen: list[list[str]] = []
    real_fsync = os.fsync

    def fsync(fd):
        seen.append(sorted(p.name for p in tmp_path.iterdir()))
        return real_fsync(fd)

    monkeypatch.setattr(fileio.os, "fsync", fsync)
    atomic_write_bytes(target, NEW)
    [[tmp]] = seen
    assert tmp.startswith(".报送函.docx.") and tmp.endswith(".tmp") and len(tmp) > len(".报送函.docx..tmp")


@pytest.mark.skipif(not Path("/proc/self/status").is_file(), reason="Linux /proc")
def test_the_umask_is_read_from_proc_without_setting_it(umask, monkeypatch) -> None:
    """Setting the umask to read it would change it for every thread meanwhile: where /proc tells it, it is
    not touched."""
    umask(0o027)

    def refuse(mask):
        raise AssertionError("os.umask called")

    with monkeypatch.context() as m:  # undone before the umask fixture puts the old mask back
        m.setattr(fileio.os, "umask", refuse)
        assert fileio._umask() == 0o027
