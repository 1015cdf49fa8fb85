"""One window start, for the start-up benchmark: 'bare' (QMainWindow + empty QTreeView), 'entry' (the program as
started by the `minsheng` command) or 'app' (our MainWindow made directly, as the tests do);
'rss' shows our window, waits 1.5 s (background check and backup) and prints the peak resident memory in MB.

Exits as soon as the window has been shown and painted, so the whole process time is the start-up cost. "Painted"
is waited for: the first paint event reaching the window (its children are painted in the same pass), then one more
event-loop turn. (A quit posted right after show() ran before any paint on the offscreen platform: the earlier
figures measured show() and the posted events, not the first frame.)"""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def _quit_after_first_paint(app, window) -> object:  # type: ignore[no-untyped-def]
    """The window's first paint, then one more event-loop turn, quits (a filter on the window only: an
    application-wide one would call into Python for every event of every widget)."""
    from PySide6.QtCore import QEvent, QObject, QTimer

    class FirstPaint(QObject):
        def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
            if event.type() == QEvent.Type.Paint:
                QTimer.singleShot(0, app.quit)  # after this paint pass (the window and all its children)
            return False

    f = FirstPaint()
    window.installEventFilter(f)
    return f


def main() -> None:
    mode, db = sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else ""
    from PySide6.QtCore import QSettings, QTimer
    from PySide6.QtWidgets import QApplication, QMainWindow, QTreeView

    app = QApplication(sys.argv)
    ini = None
    if mode == "entry":
        # The program as the clerk starts it: the `minsheng` command (cli.main: arguments, logging) -> gui.app.run
        # (application names and version, Chinese translations, QSettings in the user's config folder, the
        # window, show, the event loop) — quit after the first paint. gui.app reuses this QApplication (the
        # floor makes one too); the caller points the config, data and log folders at a scratch directory.
        from minsheng_desktop.cli import main as cli_main
        from minsheng_desktop.gui import main_window

        show = main_window.MainWindow.show
        filters = []

        def show_and_watch(self) -> None:  # type: ignore[no-untyped-def]
            filters.append(_quit_after_first_paint(app, self))
            show(self)

        main_window.MainWindow.show = show_and_watch  # type: ignore[method-assign]
        cli_main(["--db", db, "gui"])
        os._exit(0)
    if mode == "bare":
        w = QMainWindow()
        w.setCentralWidget(QTreeView())
    else:
        from minsheng_desktop.gui.main_window import MainWindow

        # A fresh settings file per run, named without tempfile (its import, ~10 ms with shutil and random, is
        # the benchmark's, not the program's: the program keeps its settings in QSettings()).
        ini = Path(os.environ.get("TMPDIR") or "/tmp") / f"minsheng-gui-start-{os.getpid()}.ini"
        ini.unlink(missing_ok=True)
        w = MainWindow(db, settings=QSettings(str(ini), QSettings.Format.IniFormat))
    w.resize(1400, 900)
    w.show()
    if mode == "rss":  # resident memory once the window is up and its background work (check, backup) is done
        from minsheng_desktop.gui import tasks

        QTimer.singleShot(1500, app.quit)
        app.exec()
        tasks.wait_all()
        # VmHWM (peak of this process image), not ru_maxrss: on Linux that survives exec and so reports the
        # launching process's peak when it was larger (the benchmark runner holds several hundred MB by then).
        status = Path("/proc/self/status").read_text()
        peak = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM:"))
        print(peak // 1024, flush=True)
        ini.unlink(missing_ok=True)
        os._exit(0)
    first_paint = _quit_after_first_paint(app, w)
    app.exec()
    del first_paint
    if ini is not None:
        ini.unlink(missing_ok=True)
    os._exit(0)


if __name__ == "__main__":
    main()
