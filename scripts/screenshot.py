"""Screenshot of the main window with real data, for the README: xvfb-run -a python scripts/screenshot.py."""

from __future__ import annotations

import sys
import tempfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QSettings  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from minsheng_desktop.services.importing import import_file
from minsheng_desktop.services.database import open_database
from minsheng_desktop.services.reports import projects_of, save_report  # noqa: E402
from minsheng_desktop.domain.model import Report  # noqa: E402
from minsheng_desktop.gui.app import make_app  # noqa: E402
from minsheng_desktop.gui.main_window import MainWindow  # noqa: E402

FIXTURE = ROOT / "tests" / "fixtures" / "000_wulong_2023_notice.docx"
OUT = ROOT / "docs" / "screenshot.png"
TODAY = date(2023, 6, 20)

SAMPLE = {  # project name fragment -> (percent, investment, progress, indicator values)
    "城镇老旧小区改造": (55.0, 1100.0, "已完成5个小区外立面及管网改造，其余7个正在施工。", {"改造城镇老旧小区": 5.0}),
    "发展婴幼儿照护服务": (40.0, 30.0, "新增托位260个，2家托育机构完成备案。", {"标准托位数": 620.0}),
    "劳动者港湾示范点建设": (10.0, 0.0, "示范点选址已确定，正在办理用地手续。", {}),
    "建设城市公园": (100.0, 82.0, "2个口袋公园已建成开放。", {"口袋公园": 2.0}),
}


def main() -> int:
    app = make_app(sys.argv)
    tmp = Path(tempfile.mkdtemp())
    db_path = tmp / "minsheng.db"
    with open_database(db_path) as db:
        list_id, _ = import_file(db, FIXTURE)
        projects = projects_of(db, list_id)
        for frag, (pct, inv, text, inds) in SAMPLE.items():
            p = next(x for x in projects if frag in x.name)
            for month, share in (("2023-04", 0.6), ("2023-05", 0.8), ("2023-06", 1.0)):
                save_report(db, Report(
                    p.id, month, "done" if pct * share >= 100 else ("on_track" if pct * share >= 30 else "lagging"),
                    round(pct * share), round(inv * share), text, None, "按计划推进。",
                    {k: round(v * share) for k, v in inds.items()}))
    settings = QSettings(str(tmp / "settings.ini"), QSettings.Format.IniFormat)
    settings.setValue("my_unit", "区住房城乡建委")
    w = MainWindow(db_path, settings, today=TODAY)
    w.resize(1400, 900)
    w.show()
    target = next(p for p in projects_of(w.db, list_id) if "城镇老旧小区改造" in p.name)
    w.select_project(target.id)
    for _ in range(20):
        app.processEvents()
    OUT.parent.mkdir(parents=True, exist_ok=True)
    ok = w.grab().save(str(OUT))
    print(f"{'已保存' if ok else '保存失败'}：{OUT}")
    w.close()
    QApplication.processEvents()
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
