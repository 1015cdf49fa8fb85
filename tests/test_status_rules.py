"""The report rules of domain.status, each written once (issue 14), held by tables.

Every expected value below is worked out by hand from the rule as the README states it ("Status suggestion"):
序时进度 = months elapsed / 12; 已完成 at 100 %; within 10 points either side of 序时 is 按序时, more than
10 ahead 超序时, more than 10 behind 滞后; lights green up to 10 points behind, amber 10–30, red beyond 30.
The form proposes 正常推进 for 按序时 and 超序时, 进度滞后 for 滞后, and 未开工 for 0 % (whatever the month).
"""

from __future__ import annotations

import pytest

from minsheng_desktop.services import export as reporting
from minsheng_desktop.services.formats import FORMATS
from minsheng_desktop.domain import schedule
from minsheng_desktop.domain.model import Project, Report
from minsheng_desktop.domain.status import is_blank, is_reportable, reportable, reportable_ids, suggested_status, suggestion
from minsheng_desktop.exporters.data import status_key

# (month, 完成进度, 序时 key of schedule.suggest_status, 进度状态 suggested, light)
# 序时进度: Jan 8.33 %, Mar 25 %, Jun 50 %, Sep 75 %, Dec 100 %.
TABLE = [
    # June: 序时 50 %
    ("2023-06", None, "unknown", None, "grey"),
    ("2023-06", 0, "lagging", "not_started", "red"),
    ("2023-06", -5, "lagging", "not_started", "red"),  # below zero: nothing done
    ("2023-06", 0.5, "lagging", "lagging", "red"),  # something done: not 未开工
    ("2023-06", 10, "lagging", "lagging", "red"),  # the deliberate bug: 10 % in June is behind, not 未开工
    ("2023-06", 19.9, "lagging", "lagging", "red"),  # 30.1 behind
    ("2023-06", 20, "lagging", "lagging", "amber"),  # exactly 30 behind: amber still
    ("2023-06", 39.9, "lagging", "lagging", "amber"),  # 10.1 behind
    ("2023-06", 40, "on_schedule", "on_track", "green"),  # exactly 10 behind: 按序时, green
    ("2023-06", 50, "on_schedule", "on_track", "green"),
    ("2023-06", 55, "on_schedule", "on_track", "green"),
    ("2023-06", 59.9, "on_schedule", "on_track", "green"),
    ("2023-06", 60, "ahead", "on_track", "green"),  # exactly 10 ahead: 超序时
    ("2023-06", 99.9, "ahead", "on_track", "green"),
    ("2023-06", 100, "done", "done", "green"),
    ("2023-06", 120, "done", "done", "green"),  # more than 100 (an imported figure): done
    # January: 序时 8.33 %
    ("2023-01", None, "unknown", None, "grey"),
    ("2023-01", 0, "on_schedule", "not_started", "green"),  # 8.3 behind: 按序时, yet nothing done: 未开工
    ("2023-01", 1, "on_schedule", "on_track", "green"),
    ("2023-01", 18.3, "on_schedule", "on_track", "green"),  # 9.97 ahead
    ("2023-01", 18.4, "ahead", "on_track", "green"),  # 10.07 ahead
    ("2023-01", 100, "done", "done", "green"),
    # March: 序时 25 %
    ("2023-03", 14, "lagging", "lagging", "amber"),  # 11 behind
    ("2023-03", 15, "on_schedule", "on_track", "green"),  # exactly 10 behind
    ("2023-03", 35, "ahead", "on_track", "green"),  # exactly 10 ahead
    # September: 序时 75 %
    ("2023-09", 44.9, "lagging", "lagging", "red"),  # 30.1 behind
    ("2023-09", 45, "lagging", "lagging", "amber"),  # exactly 30 behind
    ("2023-09", 64.9, "lagging", "lagging", "amber"),
    ("2023-09", 65, "on_schedule", "on_track", "green"),
    ("2023-09", 85, "ahead", "on_track", "green"),
    # December: 序时 100 %
    ("2023-12", 0, "lagging", "not_started", "red"),
    ("2023-12", 69.9, "lagging", "lagging", "red"),
    ("2023-12", 70, "lagging", "lagging", "amber"),  # exactly 30 behind
    ("2023-12", 89, "lagging", "lagging", "amber"),
    ("2023-12", 90, "on_schedule", "on_track", "green"),  # exactly 10 behind
    ("2023-12", 99.9, "on_schedule", "on_track", "green"),
    ("2023-12", 100, "done", "done", "green"),
]


@pytest.mark.parametrize(("month", "percent", "schedule_key", "status", "light"), TABLE,
                         ids=[f"{m}-{p}" for m, p, *_ in TABLE])
def test_status_suggestion_table(month, percent, schedule_key, status, light):
    assert schedule.suggest_status(percent, month) == schedule_key
    assert suggested_status(percent, month) == status
    assert schedule.light(percent, month) == light
    # the form (status.suggestion) and the exports (status_key of a report with no status) say the same
    key, sentence = suggestion(percent, month)
    assert key == (status or "")
    assert f"序时进度 {schedule.elapsed_share(month) * 100:.0f}%" in sentence
    if status is not None:
        assert schedule.SCHEDULE_STATUS_LABELS[schedule_key] in sentence
    assert status_key(Report("p", month, percent=percent), month) == status


def test_the_clerks_status_wins_in_the_exports():
    assert status_key(Report("p", "2023-06", status="on_track", percent=10), "2023-06") == "on_track"
    assert status_key(Report("p", "2023-06", status="lagging"), "2023-06") == "lagging"
    assert status_key(None, "2023-06") is None


BLANK = [
    (None, True),
    (Report("p", "2023-06"), True),
    (Report("p", "2023-06", progress="  ", problems="\u3000", next_steps="\n"), True),  # whitespace, full-width too
    (Report("p", "2023-06", progress=""), True),
    (Report("p", "2023-06", submitted_on="2023-07-03"), True),  # a date alone is no report
    (Report("p", "2023-06", percent=0), False),  # 0 % is a figure
    (Report("p", "2023-06", investment_done_wan=0), False),
    (Report("p", "2023-06", status="not_started"), False),
    (Report("p", "2023-06", problems="无"), False),
    (Report("p", "2023-06", next_steps=" 继续推进 "), False),
    (Report("p", "2023-06", indicator_actuals={"i1": 0.0}), False),
]


@pytest.mark.parametrize(("report", "blank"), BLANK)
def test_blank_report_table(report, blank):
    assert is_blank(report) is blank


def _p(**kw) -> Project:
    return Project(**{"id": "p", "list_id": 1, "section": None, "number": "1", "name": "x",
                      "lead_units": ("区教委", "区卫健委"), **kw})


REPORTABLE = [
    (_p(), None, True),
    (_p(), "区教委", True),
    (_p(), "区卫健委", True),  # a second lead unit leads too
    (_p(), "区民政局", False),
    (_p(withdrawn=True), None, False),
    (_p(withdrawn=True), "区教委", False),
    (_p(is_leaf=False), None, False),  # a parent: its sub-projects report
    (_p(lead_units=()), None, True),
    (_p(lead_units=()), "区教委", False),
]


@pytest.mark.parametrize(("project", "unit", "expected"), REPORTABLE)
def test_reportable_table(project, unit, expected):
    assert is_reportable(project, unit) is expected
    assert reportable([project], unit) == ([project] if expected else [])
    assert reportable_ids([project], unit) == (frozenset({"p"}) if expected else frozenset())


@pytest.mark.parametrize("mon", range(1, 13))
def test_quarter_end_table(mon):
    month = f"2023-{mon:02d}"
    expected = mon in (3, 6, 9, 12)
    assert schedule.is_quarter_end(month) is expected
    assert FORMATS["bulletin"].applies_to(month) is expected
    assert FORMATS["xlsx"].applies_to(month) is True


def test_no_month_is_no_quarter_end():
    assert FORMATS["bulletin"].applies_to("") is False


def test_a_blank_report_is_not_counted_as_filled_in_the_mail(db, fixtures_dir):
    """The mail's 本月已填报 N个 and the unfilled note agree: a row left blank (a field cleared) is not a report."""
    from minsheng_desktop.services.database import select_list
    from minsheng_desktop.services.importing import import_file
    from minsheng_desktop.services.mailing import month_counts
    from minsheng_desktop.services.reports import projects_of
    from minsheng_desktop.storage import reports as report_repo

    import_file(db, fixtures_dir / "000_wulong_2023_notice.docx")
    t = select_list(db, 2023, "武隆区")
    first, second = reportable(projects_of(db, t.id))[:2]
    report_repo.save_report(db, Report(first.id, "2023-06", progress="  "))
    report_repo.save_report(db, Report(second.id, "2023-06", percent=0))
    counts = month_counts(db, t.id, "2023-06")
    assert counts.reported == 1 and counts.project_ids == (second.id,)
    unfilled = reporting.unfilled_projects(db, t, "2023-06", None)
    assert first in unfilled and second not in unfilled
    assert counts.projects - counts.reported == len(unfilled)
