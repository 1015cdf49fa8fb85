"""The README's screenshots of the main window at the two usual office screens, on the sample data (the 武隆区
2023 list with four months of reports) with a project selected and its December report in the form:

    python scripts/screenshot.py        ->  docs/screenshot-1366x768.png, docs/screenshot-1920x1080.png

(and docs/screenshot.png, a copy of the 1920×1080 one: the AppStream metainfo's screenshot, packaging/linux).

Each size runs this script again under its own X server (xvfb-run -s "-screen 0 WxHx24", QT_QPA_PLATFORM=xcb),
so the window takes its first-start size on that screen exactly as on a clerk's machine (90 % of it, centred;
three columns only where there is room). Needs xvfb-run (Debian: apt install xvfb xauth). Nothing of the
user's own data or settings is read or written: HOME and the data folders point into a temporary folder."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SIZES = ((1366, 768), (1920, 1080))
TODAY = date(2023, 12, 20)  # December is the month due: the sample's last month, three projects still unfilled
PROJECT = "城镇老旧小区改造"  # a project with an indicator and four months of history


def out_path(width: int, height: int) -> Path:
    return ROOT / "docs" / f"screenshot-{width}x{height}.png"


def shoot(out: Path) -> int:
    """In the X server xvfb-run started: the window on a copy of the sample data, grabbed once it is drawn."""
    sys.path.insert(0, str(ROOT))
    from PySide6.QtCore import QSettings
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from minsheng_desktop.gui.app import make_app
    from minsheng_desktop.gui.main_window import MainWindow
    from minsheng_desktop.services.reports import project_reports, projects_of
    from minsheng_desktop.services.sample import create_sample

    app = make_app([sys.argv[0]])
    tmp = Path(os.environ["HOME"])
    db_path = create_sample(tmp / "minsheng.db")  # the sample as if it were the clerk's own data: no banner
    w = MainWindow(db_path, QSettings(str(tmp / "settings.ini"), QSettings.Format.IniFormat), today=TODAY)
    w.show()
    QTest.qWaitForWindowExposed(w, 10000)
    month = f"{TODAY:%Y-%m}"
    filled = [p for p in projects_of(w.db, next(iter(w.lists)))
              if p.is_leaf and any(r.month == month for r in project_reports(w.db, p.id))]
    # the one named, else the first with an indicator (the sample leaves three projects unfilled in December)
    target = next((p for p in filled if PROJECT in p.name), None) or next(p for p in filled if p.indicators)
    w.select_project(target.id)
    QTest.qWait(800)  # the after-first-paint work, the months read ahead
    app.processEvents()
    out.parent.mkdir(parents=True, exist_ok=True)
    ok = w.grab().save(str(out))
    screen = w.screen().availableGeometry()
    print(f"{'已保存' if ok else '保存失败'}：{out}（屏幕 {screen.width()}×{screen.height()}，窗口 "
          f"{w.width()}×{w.height()}，{w.panes.columns} 栏）")
    w.close()
    QApplication.processEvents()
    return 0 if ok else 1


def main() -> int:
    if len(sys.argv) == 3 and sys.argv[1] == "--shoot":
        return shoot(Path(sys.argv[2]))
    if shutil.which("xvfb-run") is None:
        print("需要 xvfb-run（Debian/UOS：sudo apt install xvfb xauth）。", file=sys.stderr)
        return 2
    failed = 0
    for width, height in SIZES:
        with tempfile.TemporaryDirectory() as home:
            env = {**os.environ, "QT_QPA_PLATFORM": "xcb", "HOME": home, "XDG_DATA_HOME": f"{home}/data",
                   "XDG_CONFIG_HOME": f"{home}/config", "XDG_CACHE_HOME": f"{home}/cache"}
            for name in ("QT_SCALE_FACTOR", "QT_SCREEN_SCALE_FACTORS", "MINSHENG_DB"):
                env.pop(name, None)
            done = subprocess.run(["xvfb-run", "-a", "-s", f"-screen 0 {width}x{height}x24", sys.executable,
                                   __file__, "--shoot", str(out_path(width, height))], env=env, timeout=300)
            failed += done.returncode != 0
    if not failed:
        shutil.copyfile(out_path(*SIZES[-1]), ROOT / "docs" / "screenshot.png")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
