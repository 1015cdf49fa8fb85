"""The Qt-free facade behind the window: months, overview, copy last month, checks, holidays, history."""

from __future__ import annotations

import subprocess
import sys
from datetime import date

import pytest

from minsheng_desktop.services.importing import import_file
from minsheng_desktop.services.reports import month_reports, projects_of, save_report
from minsheng_desktop.services.database import select_list
from minsheng_desktop.services import workbench
from minsheng_desktop.domain.model import Report


@pytest.fixture
def wulong(db, fixtures_dir):
    list_id, _ = import_file(db, fixtures_dir / "000_wulong_2023_notice.docx")
    return select_list(db, 2023, "武隆区")


def test_default_month_stays_in_the_lists_year(db, wulong):
    cal = workbench.work_calendar(db)
    assert workbench.default_month(wulong, date(2023, 6, 15), cal) == "2023-06"
    assert workbench.default_month(wulong, date(2026, 11, 24), cal) == "2023-12"
    assert workbench.default_month(wulong, date(2022, 5, 1), cal) == "2023-01"


def test_overview_counts_filled_missing_late(db, wulong):
    cal = workbench.work_calendar(db)
    projects = workbench.reportable(projects_of(db, wulong.id), "区教委")
    assert projects and all("区教委" in p.lead_units for p in projects)
    save_report(db, Report(projects[0].id, "2023-06", percent=50.0))
    ov = workbench.month_overview(db, wulong, "2023-06", "区教委", date(2023, 6, 15), cal)
    assert ov.count("filled") == 1 and ov.count("missing") == len(projects) - 1 and ov.count("late") == 0
    assert ov.status_line() == f"区教委：2023年6月还有{len(projects) - 1}项未填报，截止6月30日"
    late = workbench.month_overview(db, wulong, "2023-05", "区教委", date(2023, 6, 15), cal)
    assert late.count("late") == len(projects)
    assert "已过截止日" in late.status_line()


def test_month_summary_counts_as_the_overview(db, wulong):
    """The window's counts-only summary (the 本月填报 tab hidden) says what the full overview says, for every unit,
    with filled, blank, withdrawn-project and MonthCell reports, before and after the deadline."""
    from minsheng_desktop.storage import gui_queries

    cal = workbench.work_calendar(db)
    projects = projects_of(db, wulong.id)
    leaves = workbench.reportable(projects)
    save_report(db, Report(leaves[0].id, "2023-06", percent=50.0))
    save_report(db, Report(leaves[1].id, "2023-06", progress="　"))  # blank: not filled
    save_report(db, Report(leaves[2].id, "2023-06", status="on_track"))
    units = sorted({u for p in leaves for u in p.lead_units})
    cells = gui_queries.month_cells(db, wulong.id, "2023-06")
    for unit in [None, *units[:4], "不存在的单位"]:
        for today in (date(2023, 6, 15), date(2023, 7, 15)):
            reports = month_reports(db, wulong.id, "2023-06")
            ov = workbench.overview_of(wulong, "2023-06", projects, reports, unit, today, cal)
            ids = workbench.reportable_ids(projects, unit)
            for stored in (reports, cells):
                sm = workbench.month_summary(wulong, "2023-06", ids, stored, unit, today, cal)
                assert [sm.count(k) for k in ("filled", "missing", "late")] == \
                    [ov.count(k) for k in ("filled", "missing", "late")], (unit, today)
                assert (sm.left, sm.status_line(), sm.deadline) == (ov.left, ov.status_line(), ov.deadline)


def test_deadline_moves_past_holidays(db, wulong):
    # 30 September 2023 is a 调休 working Saturday; 31 December 2023 is a Sunday -> 2 January 2024.
    cal = workbench.work_calendar(db)
    assert workbench.month_overview(db, wulong, "2023-12", None, date(2023, 12, 1), cal).deadline == date(2024, 1, 2)


def test_copy_previous_report(db, wulong):
    p = workbench.reportable(projects_of(db, wulong.id))[0]
    assert workbench.previous_report(db, p.id, "2023-06") is None
    save_report(db, Report(p.id, "2023-04", "on_track", 30.0, progress="四月", submitted_on="2023-04-28"))
    source, r = workbench.previous_report(db, p.id, "2023-06")
    assert source == "2023-04" and r.month == "2023-06" and r.progress == "四月" and r.submitted_on is None
    assert workbench.get_report(db, p.id, "2023-06") is None  # nothing stored by copying


def test_checks_and_numbers(db, wulong):
    p = next(x for x in projects_of(db, wulong.id) if x.investment_wan == 82)
    assert workbench.parse_number("1,200", "x") == (1200.0, None)
    assert workbench.parse_number("４５％", "x") == (45.0, None)
    assert workbench.parse_number("", "x") == (None, None)
    assert workbench.parse_number("abc", "x")[1].level == "error"
    texts = {c.field: c for c in workbench.check_values(p, 120, -1, None)}
    assert texts["percent"].level == "error" and texts["investment_done_wan"].level == "error"
    assert workbench.check_values(p, 50, 90, None)[0].level == "warning"
    assert workbench.check_values(p, 50, 10, "done")[0].field == "status"
    assert workbench.suggestion(55, "2023-06")[0] == "on_track"
    assert workbench.suggestion(100, "2023-06")[0] == "done"
    assert workbench.suggestion(0, "2023-06")[0] == "not_started"
    assert workbench.suggestion(None, "2023-06")[0] == ""


def test_holiday_overrides_are_validated_and_used(db):
    with pytest.raises(ValueError, match="第1行"):
        workbench.save_holiday_text(db, "2027-13-01 休")
    assert workbench.holiday_text(db) == ""
    workbench.save_holiday_text(db, "2027-01-01 休\n2027-02-07 班  # 调休")
    cal = workbench.work_calendar(db)
    assert cal.is_workday(date(2027, 2, 7)) and not cal.is_workday(date(2027, 1, 1))


def test_history_rows_in_chinese(db, wulong):
    p = workbench.reportable(projects_of(db, wulong.id))[0]
    save_report(db, Report(p.id, "2023-06", "on_track", 30.0, indicator_actuals={"改造城镇老旧小区": 3.0}))
    rows = workbench.history_rows(db, p.id)
    changes = {what: change for _, _, what, change in rows}
    assert changes["进度状态"] == "（空） → 正常推进"
    assert changes["指标完成值"] == "（空） → 改造城镇老旧小区 3"


def test_core_never_loads_qt():
    code = "import sys, minsheng_desktop.services.workbench, minsheng_desktop.services.importing; " \
           "sys.exit(any(m.startswith('PySide6') for m in sys.modules))"
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0
