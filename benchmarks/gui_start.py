"""One window start, for the start-up benchmark: 'bare' (QMainWindow + empty QTreeView) or 'app' (our window);
'rss' shows our window, waits 1.5 s (background check and backup) and prints the peak resident memory in MB.

Exits as soon as the window has been shown and painted, so the whole process time is the start-up cost."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    mode, db = sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else ""
    from PySide6.QtCore import QSettings, QTimer
    from PySide6.QtWidgets import QApplication, QMainWindow, QTreeView

    app = QApplication(sys.argv)
    if mode == "bare":
        w = QMainWindow()
        w.setCentralWidget(QTreeView())
    else:
        from minsheng_desktop.gui.main_window import MainWindow

        ini = Path(tempfile.mkdtemp()) / "s.ini"
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
        os._exit(0)
    QTimer.singleShot(0, app.quit)  # runs once the first show/paint events are processed
    app.exec()
    os._exit(0)


if __name__ == "__main__":
    main()
