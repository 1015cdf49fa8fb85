"""The window's screens issue the same number of SQL statements for 20 projects as for 80 (issue 7: no query
inside a loop over projects): selecting a project, switching month (a month not shown before), saving a
report from the form, and the export the export dialog runs."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings

from minsheng_desktop.domain.model import ParsedList, ParsedProject, Report, Section
from minsheng_desktop.storage import repo
from minsheng_desktop.storage.db import Database
from minsheng_desktop.storage.reports import bulk_insert

from ..test_query_counts import counting as _counting
from .conftest import TODAY
from .helpers import type_text


def _make(path: Path, n: int) -> None:
    db = Database(path)
    projects = [ParsedProject(section="区级民生实事", number=str(i), name=f"项目{i}", investment_wan=10.0,
                              target="改造老旧小区12个。", lead_units=(f"单位{i % 3}",)) for i in range(1, n + 1)]
    list_id = repo.save_list(db, ParsedList(year=2023, region="测试区", sections=(Section("一、区级民生实事", "区级民生实事"),),
                                            projects=tuple(projects)), None, {})
    ids = [p.id for p in repo.load_projects(db, list_id)]
    bulk_insert(db, [Report(pid, month, status="on_track", percent=40, progress="推进中",
                            indicator_actuals={"老旧小区": 5.0})
                     for pid in ids for month in ("2023-05", "2023-06")])
    db.close()




def _screens(qtbot, tmp_path: Path, n: int) -> dict[str, int]:
    from minsheng_desktop.services import export as reporting
    from minsheng_desktop.gui.main_window import MainWindow

    path = tmp_path / f"n{n}.db"
    _make(path, n)
    w = MainWindow(path, QSettings(str(tmp_path / f"s{n}.ini"), QSettings.Format.IniFormat), today=TODAY)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    projects = w.model.list_data(w.list_id).projects
    counts = {}
    with _counting(w.db) as seen:
        assert w.select_key(f"project:{projects[n // 2].id}")
        qtbot.wait(1)
    counts["select a project"] = len(seen)
    with _counting(w.db) as seen:
        w.state.cells.clear()  # a month not shown before
        w.step_month(-1)
        qtbot.wait(1)
    assert w.form.month == "2023-05"
    counts["switch month"] = len(seen)
    type_text(qtbot, w.form.progress, "五月已完成主体工程")
    with _counting(w.db) as seen:
        assert w.form.flush()
        qtbot.wait(1)
    assert any(q.lstrip().upper().startswith(("INSERT", "UPDATE")) for q in seen), seen  # it did save
    counts["save a report"] = len(seen)
    with _counting(w.db) as seen:
        results = reporting.export_month(w.db, w.lists[w.list_id], "2023-05", None, ["xlsx", "docx"], tmp_path)
    assert all(r.ok for r in results)
    counts["export a month"] = len(seen)
    w.close()
    return counts


def test_screens_issue_a_fixed_number_of_statements(qtbot, tmp_path) -> None:
    small, large = _screens(qtbot, tmp_path / "a", 20), _screens(qtbot, tmp_path / "b", 80)
    assert all(v > 0 for v in small.values()), small
    assert small == large, f"statements for 20 projects {small}, for 80 {large}"


def test_the_neighbouring_months_are_read_ahead(qtbot, tmp_path) -> None:
    """After a month is shown, the months before and after it are read in the background; stepping to one then
    reads no report, and a save makes them stale (read again, not shown stale)."""
    from minsheng_desktop.gui import tasks
    from minsheng_desktop.gui.main_window import MainWindow

    path = tmp_path / "n.db"
    _make(path, 12)
    w = MainWindow(path, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat), today=TODAY)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)

    def settle() -> None:
        qtbot.wait(300)  # the read-ahead starts 200 ms after the first paint
        tasks.wait_all()
        qtbot.wait(1)

    assert w.select_key(f"project:{w.model.list_data(w.list_id).projects[0].id}")
    settle()
    assert w.form.month == "2023-06"
    # under load the read-ahead's timer may fire late: wait for it (bounded), then hold what it read
    qtbot.waitUntil(lambda: (tasks.wait_all(), w.state.cells.has(w.db, w.list_id, "2023-05")
                             and w.state.cells.has(w.db, w.list_id, "2023-07"))[1], timeout=10000)
    with _counting(w.db) as seen:
        w.step_month(-1)
    assert w.form.month == "2023-05"
    assert not [q for q in seen if "FROM reports r" in q], seen  # the month's cells were ready
    settle()
    qtbot.waitUntil(lambda: (tasks.wait_all(), w.state.cells.has(w.db, w.list_id, "2023-04"))[1], timeout=10000)
    type_text(qtbot, w.form.progress, "五月完成")
    assert w.form.flush()
    assert not w.state.cells.has(w.db, w.list_id, "2023-04")  # a write: what was read ahead is stale
    qtbot.wait(1600)  # read again once typing pauses
    qtbot.waitUntil(lambda: (tasks.wait_all(), w.state.cells.has(w.db, w.list_id, "2023-04")
                             and w.state.cells.has(w.db, w.list_id, "2023-06"))[1], timeout=10000)
    w.close()
