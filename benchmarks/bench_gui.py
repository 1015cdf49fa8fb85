"""Window benchmarks: start-up against a bare Qt window, and interaction times with 20,000 projects in one list."""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def make_big_list_db(path: Path, n: int = 20_000) -> None:
    from minsheng_desktop.domain.model import ParsedList, ParsedProject, Report, Section
    from minsheng_desktop.storage import repo
    from minsheng_desktop.storage.db import Database
    from minsheng_desktop.storage.reports import bulk_insert

    if path.exists():
        return
    units = [f"区单位{i}" for i in range(40)]
    projects = [ParsedProject(section="区级民生实事", number=str(i), name=f"民生项目{i}号工程",
                              investment_wan=float(i % 500), target=f"改造老旧小区{i % 50 + 1}个。",
                              lead_units=(units[i % 40],), partner_units=(units[(i + 1) % 40],))
                for i in range(1, n + 1)]
    parsed = ParsedList(year=2023, region="大区", sections=(Section("一、区级民生实事", "区级民生实事"),),
                        projects=tuple(projects))
    db = Database(path)
    list_id = repo.save_list(db, parsed, None, {})
    ids = [p.id for p in repo.load_projects(db, list_id)]
    bulk_insert(db, [Report(pid, m, status="on_track", percent=float(k % 100), progress="进展")
                     for k, pid in enumerate(ids) for m in ("2023-05", "2023-06")])
    db.close()


def run(data: Path, row, median_time, process_time) -> None:  # type: ignore[no-untyped-def]
    py = sys.executable
    script = str(ROOT / "benchmarks" / "gui_start.py")
    floor = process_time([py, script, "bare"], runs=5)
    row("window start with city-scale db (whole process)", process_time([py, script, "app", str(data / "city.db")],
                                                                        runs=5), floor, 1.5)
    big = data / "big20k.db"
    make_big_list_db(big)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from datetime import date

    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from minsheng_desktop.gui.main_window import MainWindow

    app = QApplication.instance() or QApplication([])
    ini = Path(tempfile.mkdtemp()) / "s.ini"
    t0 = time.perf_counter()
    w = MainWindow(big, settings=QSettings(str(ini), QSettings.Format.IniFormat), today=date(2023, 6, 15))
    w.show()
    app.processEvents()
    print(f"{'(open window on a 20,000-project list)':<52} {(time.perf_counter() - t0) * 1000:9.1f} ms", flush=True)
    ref = median_time(lambda: app.processEvents(), runs=20)  # an idle event-loop turn, for scale

    def keystrokes() -> None:
        for text in ("民", "民生", "民生项目1", "民生项目12", ""):
            w.search.setText(text)
            app.processEvents()

    per_key = median_time(keystrokes, runs=3) / 5
    print(f"{'search filter, per keystroke':<52} {per_key * 1000:9.1f} ms  (goal ≤ 50 ms)", flush=True)
    keys = [f"project:{p.id}" for p in w.model.list_data(next(iter(w.lists))).projects[:: 997]]

    def select() -> None:
        for k in keys:
            w.select_key(k)
            app.processEvents()

    per_sel = median_time(select, runs=3) / len(keys)
    print(f"{'select a project (detail + form)':<52} {per_sel * 1000:9.1f} ms  (goal ≤ 30 ms)", flush=True)

    def switch() -> None:
        w._step_month(-1)
        app.processEvents()
        w._step_month(1)
        app.processEvents()

    per_month = median_time(switch, runs=5) / 2
    print(f"{'switch month':<52} {per_month * 1000:9.1f} ms  (goal ≤ 30 ms)", flush=True)
    _ = ref
    w.close()
