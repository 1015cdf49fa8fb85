"""services.month: the month due, the 本月填报 overview and its counts-only summary, the deadline."""

from __future__ import annotations

import subprocess
import sys
from datetime import date

from minsheng_desktop.domain.model import Report
from minsheng_desktop.domain.status import reportable, reportable_ids
from minsheng_desktop.services import month
from minsheng_desktop.services.holidays import work_calendar
from minsheng_desktop.services.reports import month_reports, projects_of, save_report


def test_default_month_stays_in_the_lists_year(db, wulong):
    cal = work_calendar(db)
    assert month.default_month(wulong, date(2023, 6, 15), cal) == "2023-06"
    assert month.default_month(wulong, date(2026, 11, 24), cal) == "2023-12"
    assert month.default_month(wulong, date(2022, 5, 1), cal) == "2023-01"


def test_overview_counts_filled_missing_late(db, wulong):
    cal = work_calendar(db)
    projects = reportable(projects_of(db, wulong.id), "区教委")
    assert projects and all("区教委" in p.lead_units for p in projects)
    save_report(db, Report(projects[0].id, "2023-06", percent=50.0))
    ov = month.month_overview(db, wulong, "2023-06", "区教委", date(2023, 6, 15), cal)
    assert ov.count("filled") == 1 and ov.count("missing") == len(projects) - 1 and ov.count("late") == 0
    assert ov.status_line() == f"区教委：2023年6月还有{len(projects) - 1}项未填报，截止6月30日"
    late = month.month_overview(db, wulong, "2023-05", "区教委", date(2023, 6, 15), cal)
    assert late.count("late") == len(projects)
    assert "已过截止日" in late.status_line()


def test_month_summary_counts_as_the_overview(db, wulong):
    """The window's counts-only summary (the 本月填报 tab hidden) says what the full overview says, for every unit,
    with filled, blank, withdrawn-project and MonthCell reports, before and after the deadline."""
    cal = work_calendar(db)
    projects = projects_of(db, wulong.id)
    leaves = reportable(projects)
    save_report(db, Report(leaves[0].id, "2023-06", percent=50.0))
    save_report(db, Report(leaves[1].id, "2023-06", progress="　"))  # blank: not filled
    save_report(db, Report(leaves[2].id, "2023-06", status="on_track"))
    units = sorted({u for p in leaves for u in p.lead_units})
    cells = month.month_cells(db, wulong.id, "2023-06")
    for unit in [None, *units[:4], "不存在的单位"]:
        for today in (date(2023, 6, 15), date(2023, 7, 15)):
            reports = month_reports(db, wulong.id, "2023-06")
            ov = month.overview_of(wulong, "2023-06", projects, reports, unit, today, cal)
            ids = reportable_ids(projects, unit)
            for stored in (reports, cells):
                sm = month.month_summary(wulong, "2023-06", ids, stored, unit, today, cal)
                assert [sm.count(k) for k in ("filled", "missing", "late")] == \
                    [ov.count(k) for k in ("filled", "missing", "late")], (unit, today)
                assert (sm.left, sm.status_line(), sm.deadline) == (ov.left, ov.status_line(), ov.deadline)


def test_deadline_moves_past_holidays(db, wulong):
    # 30 September 2023 is a 调休 working Saturday; 31 December 2023 is a Sunday -> 2 January 2024.
    cal = work_calendar(db)
    assert month.month_overview(db, wulong, "2023-12", None, date(2023, 12, 1), cal).deadline == date(2024, 1, 2)


def test_core_never_loads_qt():
    code = "import sys, minsheng_desktop.services.month, minsheng_desktop.services.lists, " \
           "minsheng_desktop.services.history, minsheng_desktop.services.holidays, " \
           "minsheng_desktop.services.importing; sys.exit(any(m.startswith('PySide6') for m in sys.modules))"
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0
