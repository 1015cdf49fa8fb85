"""Screenshot of the import preview of a scanned notice, for the README:
xvfb-run -a python scripts/screenshot_scan.py [SCAN.pdf | PHOTO-FOLDER]  → docs/scan-preview.png"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QSettings  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from minsheng_desktop.gui.app import make_app  # noqa: E402
from minsheng_desktop.gui.main_window import MainWindow  # noqa: E402

SCAN = ROOT / "tests" / "fixtures" / "004_chengkou_2023_scanned.pdf"
OUT = ROOT / "docs" / "scan-preview.png"


def main() -> int:
    app = make_app(sys.argv)
    source = Path(sys.argv[1]) if len(sys.argv) > 1 else SCAN
    tmp = Path(tempfile.mkdtemp())
    w = MainWindow(tmp / "minsheng.db", QSettings(str(tmp / "settings.ini"), QSettings.Format.IniFormat))
    w.resize(1300, 860)
    w.show()
    shown: list = []
    w.previewReady.connect(shown.append)
    w.import_file(str(source))
    while not shown:
        app.processEvents()
    dlg = shown[0]
    dlg.resize(1280, 800)
    review = dlg.scan_review
    if review is not None:
        review.next_low()  # frame the first cell to check on its page
        if not review.cells.currentIndex().isValid():
            review.cells.setCurrentIndex(review.model.index(4, 1))
    for _ in range(30):
        app.processEvents()
    OUT.parent.mkdir(parents=True, exist_ok=True)
    ok = dlg.grab().save(str(OUT))
    print(f"{'已保存' if ok else '保存失败'}：{OUT}")
    dlg.reject()
    w.close()
    QApplication.processEvents()
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
