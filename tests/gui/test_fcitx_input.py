"""Chinese through a real fcitx5 into the report form (issue 16 item 7), under Xvfb.

Its own D-Bus session, X server and fcitx5 (throw-away HOME and XDG folders, a profile with pinyin) are started
here; then the real program (``minsheng --db …``, through gui.app.run, so the input-method choice at start is
the one a clerk gets) on a database with the 武隆 notice: with no input-method variable set, and with
``QT_IM_MODULE=fcitx`` as UOS / Deepin set it (this Qt has no fcitx plug-in).
A small driver opens a project's form with the cursor in 工作进展情况; xdotool types "nihao" and space, fcitx5
turns them into 你好, the window is closed (which saves), and the saved report is read back through services.

Skips with the reason where fcitx5 (Debian: fcitx5 fcitx5-chinese-addons), Xvfb, xdotool or the D-Bus tools
(dbus-x11) are missing; `.ci/run` installs them. Run alone with ``pytest -m fcitx``.
"""

from __future__ import annotations

import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

TOOLS = {  # program -> Debian package
    "fcitx5": "fcitx5", "fcitx5-remote": "fcitx5", "Xvfb": "xvfb", "xdotool": "xdotool",
    "dbus-daemon": "dbus-x11", "dbus-send": "dbus-x11",  # dbus-x11 brings both (dbus-daemon, dbus-bin)
}
PINYIN_ADDON = ("/usr/share/fcitx5/addon/pinyin.conf", "/usr/local/share/fcitx5/addon/pinyin.conf")
INSTALL = "apt-get install fcitx5 fcitx5-chinese-addons dbus-x11 xvfb xdotool"

PROFILE = """\
[Groups/0]
Name=Default
Default Layout=us
DefaultIM=pinyin

[Groups/0/Items/0]
Name=keyboard-us
Layout=

[Groups/0/Items/1]
Name=pinyin
Layout=

[GroupOrder]
0=Default
"""

# The program as a clerk starts it (cli.main -> gui.app.run), with one addition once the window is shown: open the
# project's form on the month with the cursor in 工作进展情况, report what happens there on stdout, and close the
# window (which saves) when the test creates the file "quit".
DRIVER = r"""
import os, sys
from pathlib import Path
from PySide6.QtCore import QTimer
from minsheng_desktop import cli
from minsheng_desktop.gui.main_window import MainWindow

db, project_id, month, quit_file = sys.argv[1:5]
shown = MainWindow.show

def show(self):
    shown(self)

    def ready():
        self.go_fill(project_id, month)
        self.activateWindow()
        self.raise_()
        box = self.form.progress
        box.setFocus()
        box.textChanged.connect(lambda: print("TEXT", box.toPlainText().replace("\n", " "), flush=True))
        print("READY", self.form.month_combo.currentData(), os.environ.get("QT_IM_MODULE", "-"),
              os.environ.get("IBUS_USE_PORTAL", "-"), flush=True)
        poll = QTimer(self)
        poll.timeout.connect(lambda: Path(quit_file).exists() and self.close())
        poll.start(100)

    QTimer.singleShot(200, ready)

MainWindow.show = show
sys.exit(cli.main(["--db", db]))
"""


def _missing() -> str | None:
    if not sys.platform.startswith("linux"):
        return "fcitx5 is a Linux input method"
    gone = [f"{prog} ({pkg})" for prog, pkg in TOOLS.items() if shutil.which(prog) is None]
    if not any(os.path.exists(p) for p in PINYIN_ADDON):
        gone.append("fcitx5's pinyin (fcitx5-chinese-addons)")
    if gone:
        return f"needs a real fcitx5 under Xvfb; missing: {', '.join(gone)} — {INSTALL}"
    return None


MISSING = _missing()
pytestmark = [pytest.mark.fcitx, pytest.mark.skipif(MISSING is not None, reason=MISSING or "")]


class Session:
    """The processes started here, each in its own process group; stop() ends them all, newest first."""

    def __init__(self) -> None:
        self.procs: list[subprocess.Popen] = []

    def start(self, args: list[str], env: dict[str, str], **kw) -> subprocess.Popen:
        p = subprocess.Popen(args, env=env, start_new_session=True, **kw)
        self.procs.append(p)
        return p

    def stop(self) -> None:
        for p in reversed(self.procs):
            if p.poll() is None:
                try:
                    os.killpg(p.pid, signal.SIGTERM)
                except ProcessLookupError:
                    pass
                try:
                    p.wait(5)
                except subprocess.TimeoutExpired:
                    os.killpg(p.pid, signal.SIGKILL)
                    p.wait(5)
            else:  # what it may have started (a D-Bus activated service) goes with its group
                try:
                    os.killpg(p.pid, signal.SIGKILL)
                except (ProcessLookupError, PermissionError):
                    pass
            for stream in (p.stdout, p.stderr):
                if stream:
                    stream.close()


def _read_line(fd: int, timeout: float) -> str:
    """One line from a pipe the other side writes once (Xvfb's -displayfd, dbus-daemon's --print-address)."""
    end, data = time.monotonic() + timeout, b""
    os.set_blocking(fd, False)
    while not data.endswith(b"\n"):
        if time.monotonic() > end:
            raise AssertionError(f"no answer within {timeout} s (got {data!r})")
        try:
            chunk = os.read(fd, 256)
        except BlockingIOError:
            time.sleep(0.05)
            continue
        if not chunk:
            raise AssertionError(f"closed before a whole line (got {data!r})")
        data += chunk
    return data.decode().strip()


def _wait(what: str, check, timeout: float) -> None:
    end = time.monotonic() + timeout
    while not check():
        if time.monotonic() > end:
            raise AssertionError(f"{what}: not within {timeout} s")
        time.sleep(0.1)


def _run(args: list[str], env: dict[str, str], timeout: float = 10) -> subprocess.CompletedProcess:
    return subprocess.run(args, env=env, capture_output=True, text=True, timeout=timeout, check=False)


def _lines(stream) -> queue.Queue:
    q: queue.Queue = queue.Queue()

    def pump() -> None:
        for line in stream:
            q.put(line.rstrip("\n"))
        q.put(None)

    threading.Thread(target=pump, daemon=True).start()
    return q


def _expect(q: queue.Queue, prefix: str, timeout: float, seen: list[str], until=None) -> str:
    """The first line from the driver starting with ``prefix`` (and satisfying ``until``)."""
    end = time.monotonic() + timeout
    while True:
        left = end - time.monotonic()
        if left <= 0:
            raise AssertionError(f"no {prefix!r} from the program within {timeout} s; it said: {seen}")
        try:
            line = q.get(timeout=left)
        except queue.Empty:
            continue
        if line is None:
            raise AssertionError(f"the program ended before {prefix!r}; it said: {seen}")
        seen.append(line)
        if line.startswith(prefix) and (until is None or until(line)):
            return line


# None: nothing set (Debian, a fresh account); "fcitx": what UOS / Deepin's input-method settings put there.
@pytest.mark.parametrize("own_module", [None, "fcitx"])
def test_pinyin_through_fcitx5_is_saved(tmp_path: Path, imported_db: Path, own_module: str | None):
    from minsheng_desktop.services.database import open_database, select_list
    from minsheng_desktop.services.reports import get_report, projects_of

    with open_database(imported_db) as db:
        tl = select_list(db, 2023, "武隆区")
        project = next(p for p in projects_of(db, tl.id) if p.is_leaf)

    home, runtime = tmp_path / "fx-home", tmp_path / "fx-runtime"
    (home / ".config" / "fcitx5").mkdir(parents=True)
    (home / ".config" / "fcitx5" / "profile").write_text(PROFILE, encoding="utf-8")
    runtime.mkdir(mode=0o700)
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("QT_", "IBUS_", "GTK_IM", "XMODIFIERS", "DBUS_", "WAYLAND", "XDG_"))}
    env.update(HOME=str(home), XDG_RUNTIME_DIR=str(runtime), XDG_CONFIG_HOME=str(home / ".config"),
               XDG_DATA_HOME=str(home / ".local/share"), XDG_STATE_HOME=str(home / ".local/state"),
               XDG_CACHE_HOME=str(home / ".cache"), LANG="C.UTF-8", PYTHONIOENCODING="utf-8")
    quit_file = tmp_path / "quit"
    session = Session()
    try:
        # The X server picks a free display and tells its number (-displayfd).
        r, w = os.pipe()
        session.start(["Xvfb", "-displayfd", str(w), "-screen", "0", "1366x768x24", "-nolisten", "tcp"], env,
                      pass_fds=(w,), stderr=subprocess.DEVNULL)
        os.close(w)
        try:
            env["DISPLAY"] = ":" + _read_line(r, 15)
        finally:
            os.close(r)
        bus = session.start(["dbus-daemon", "--session", "--nofork", "--print-address=1"], env,
                            stdout=subprocess.PIPE)
        env["DBUS_SESSION_BUS_ADDRESS"] = _read_line(bus.stdout.fileno(), 10)
        fcitx = session.start(["fcitx5", "--disable=cloudpinyin,notificationitem"], env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

        def portal_up() -> bool:  # fcitx5's ibus front-end owns the portal name once it is ready
            assert fcitx.poll() is None, f"fcitx5 ended: {fcitx.stderr.read().decode(errors='replace')[-2000:]}"
            out = _run(["dbus-send", "--session", "--print-reply", "--dest=org.freedesktop.DBus",
                        "/org/freedesktop/DBus", "org.freedesktop.DBus.NameHasOwner",
                        "string:org.freedesktop.portal.IBus"], env)
            return "boolean true" in out.stdout

        _wait("fcitx5's ibus front-end on the session bus", portal_up, 15)

        app_env = {**env, "QT_QPA_PLATFORM": "xcb", **({"QT_IM_MODULE": own_module} if own_module else {})}
        app = session.start([sys.executable, "-c", DRIVER, str(imported_db), project.id, "2023-06",
                             str(quit_file)], app_env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8",
                            cwd=str(Path(__file__).resolve().parents[2]))
        out, err, seen = _lines(app.stdout), _lines(app.stderr), []  # both read, so neither pipe fills
        ready = _expect(out, "READY", 20, seen).split()
        month, chosen = ready[1], ready[2:]
        assert chosen == ["ibus", "1"], f"the start did not choose fcitx5's ibus front-end: {ready}"
        found = _run(["xdotool", "search", "--sync", "--onlyvisible", "--pid", str(app.pid)], env, 15)
        assert found.stdout.split(), f"xdotool finds no window of the program: {found.stderr}"
        window = found.stdout.split()[0]
        _run(["xdotool", "windowfocus", "--sync", window], env)
        time.sleep(0.3)
        _run(["fcitx5-remote", "-o"], env)  # pinyin on for the focused field (as a clerk's Ctrl+Space)
        time.sleep(0.3)
        _run(["xdotool", "type", "--delay", "100", "nihao"], env)
        time.sleep(0.3)
        _run(["xdotool", "key", "space"], env)
        _expect(out, "TEXT", 10, seen, until=lambda line: "你好" in line)
        quit_file.touch()
        app.wait(20)
        assert app.returncode == 0, "\n".join(line for line in iter(err.get, None))[-3000:]
    finally:
        session.stop()

    with open_database(imported_db) as db:
        report = get_report(db, project.id, month)
    assert report is not None and "你好" in (report.progress or ""), (report, seen)
