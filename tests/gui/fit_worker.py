"""Run by test_window_fit.py in a process of its own, on a screen of the size the test gives it (the offscreen
platform's configfile, or Xvfb): opens the window on an empty and on a filled database and prints, as JSON, what
it found — the window's place against the available area, which arrangement the parts took, and every report
form field that is not reachable (hidden, cut off sideways, or only with a horizontal scrollbar).

    python tests/gui/fit_worker.py WORKDIR"""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QPoint, QRect, QSettings  # noqa: E402
from PySide6.QtWidgets import QApplication, QScrollArea, QWidget  # noqa: E402

from minsheng_desktop.gui.app import make_app  # noqa: E402
from minsheng_desktop.gui.main_window import MainWindow  # noqa: E402
from tests.typical_month import typical_db  # noqa: E402

NOTICE = ROOT / "tests" / "fixtures" / "000_wulong_2023_notice.docx"
FIELDS = ("month_combo", "progress", "investment", "percent", "status", "problems", "next_steps", "copy_button",
          "evidence")


def settle(app: QApplication, n: int = 12) -> None:
    for _ in range(n):
        app.processEvents()


def rect_of(w: QWidget) -> list[int]:
    r = w.frameGeometry()
    return [r.x(), r.y(), r.width(), r.height()]


def window_facts(w: MainWindow) -> dict:
    area = w.screen().availableGeometry()
    frame = w.frameGeometry()
    bar = w.statusBar()
    return {
        "area": [area.x(), area.y(), area.width(), area.height()],
        "window": rect_of(w),
        "inside": area.contains(frame),
        "status_bar_inside": QRect(w.mapToGlobal(bar.pos()), bar.size()).intersects(area) and bar.isVisible(),
        "columns": w.panes.columns,
    }


def form_problems(app: QApplication, w: MainWindow) -> list[str]:
    """Every field of the form, scrolled to by the form's own vertical scroll area, fully inside it sideways."""
    form = w.form
    w.panes.show_form()
    settle(app)
    out = []
    if not form.isVisible():
        return ["the form is not shown"]
    scroll = form.findChild(QScrollArea)
    view = scroll.viewport()
    if scroll.horizontalScrollBar().maximum() > 0:
        out.append(f"horizontal scrollbar ({scroll.horizontalScrollBar().maximum()} px to scroll)")
    fields = [(name, getattr(form, name, None)) for name in FIELDS]
    fields += [(f"indicator {label}", edit) for label, (edit, *_rest) in form.indicators.items()]
    for name, widget in fields:
        if widget is None:
            out.append(f"{name}: not found")
            continue
        if not widget.isVisibleTo(form):
            out.append(f"{name}: hidden")
            continue
        # Scrolled as the clerk would, with the form's own vertical scrollbar, to where the field is whole (or,
        # taller than the view, where it starts).
        bar = scroll.verticalScrollBar()
        y = widget.mapTo(scroll.widget(), QPoint(0, 0)).y()
        bar.setValue(min(y, max(0, y + widget.height() - view.height())))
        settle(app, 4)
        top_left = widget.mapTo(view, QPoint(0, 0))
        r = QRect(top_left, widget.size())
        if r.left() < 0 or r.right() > view.width() - 1:
            out.append(f"{name}: cut off sideways ({r.left()}..{r.right()} of {view.width()})")
        if not r.intersects(view.rect()) or (r.height() <= view.height() and not view.rect().contains(r)):
            out.append(f"{name}: not scrolled into view ({r.top()}..{r.bottom()} of {view.height()})")
        if widget.width() < 100 and name not in ("copy_button", "month_combo", "status"):
            out.append(f"{name}: only {widget.width()} px wide")
    glob = QRect(form.mapToGlobal(QPoint(0, 0)), form.size())
    if not w.screen().availableGeometry().contains(glob):
        out.append(f"the form reaches outside the screen ({glob})")
    save = next((a for a in w.toolbar.actions() if a.iconText() == "保存"), None)
    button = w.toolbar.widgetForAction(save) if save is not None else None
    if button is None or not button.isVisible():
        out.append("the toolbar's 保存 is not shown")
    return out


def main() -> int:
    work = Path(sys.argv[1])
    app = make_app([sys.argv[0]])
    facts: dict = {"screen": None}

    empty = MainWindow(work / "empty.db", QSettings(str(work / "empty.ini"), QSettings.Format.IniFormat),
                       today=date(2023, 6, 20))
    empty.show()
    settle(app)
    s = empty.screen()
    facts["screen"] = {"geometry": [s.geometry().width(), s.geometry().height()],
                       "available": [s.availableGeometry().width(), s.availableGeometry().height()],
                       "dpr": s.devicePixelRatio()}
    facts["empty"] = window_facts(empty)
    facts["empty"]["welcome"] = empty.sample.welcome_shown
    welcome = empty.sample.welcome
    facts["empty"]["welcome_buttons"] = welcome is not None and all(
        b.isVisible() and empty.rect().contains(QRect(b.mapTo(empty, QPoint(0, 0)), b.size()))
        for b in (welcome.import_button, welcome.sample_button))
    empty.close()

    db, list_id = typical_db(work / "filled.db", NOTICE, ("2023-05", "2023-06"))
    filled = MainWindow(db, QSettings(str(work / "filled.ini"), QSettings.Format.IniFormat), today=date(2023, 6, 20))
    filled.show()
    settle(app)
    from minsheng_desktop.services.reports import projects_of

    target = next(p for p in projects_of(filled.db, list_id) if "城镇老旧小区改造" in p.name)
    filled.select_project(target.id)
    settle(app)
    facts["filled"] = window_facts(filled)
    facts["filled"]["form_problems"] = form_problems(app, filled)
    if len(sys.argv) > 2:
        filled.grab().save(sys.argv[2])
    filled.close()
    print("FACTS " + json.dumps(facts, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
