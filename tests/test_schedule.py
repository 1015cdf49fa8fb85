"""Tests for minsheng_desktop.domain.schedule (working days, deadlines, 序时进度, status, 亮灯)."""

from __future__ import annotations

from datetime import date, timedelta

import chinese_calendar
import pytest

from minsheng_desktop.domain.model import ReportDue
from minsheng_desktop.domain.schedule import (
    SCHEDULE_STATUS_LABELS,
    WorkCalendar,
    deadline,
    due_month,
    elapsed_share,
    format_overrides,
    is_late,
    is_quarter_end,
    light,
    month_add,
    month_label,
    month_of,
    nominal_deadline,
    parse_overrides,
    quarter_months,
    quarter_of,
    suggest_status,
    suggested_date,
)

D = date
MONTH_END = ReportDue("month_end", None, "每月底")


def next_day(n: int) -> ReportDue:
    return ReportDue("next_month_day", n, f"每月{n}日前报上月")


@pytest.fixture
def cal() -> WorkCalendar:
    return WorkCalendar()


# --- deadlines against the real 2023 / 2026 arrangements -------------------------------------

DEADLINE_CASES = [
    # month, due, nominal, 建议报送日, 最迟（顺延）
    ("2025-12", next_day(10), D(2026, 1, 10), D(2026, 1, 9), D(2026, 1, 12)),  # Sat
    ("2026-01", MONTH_END, D(2026, 1, 31), D(2026, 1, 30), D(2026, 2, 2)),  # Sat → Mon 顺延
    ("2026-02", MONTH_END, D(2026, 2, 28), D(2026, 2, 28), D(2026, 2, 28)),  # Sat 调休 workday
    ("2026-04", next_day(10), D(2026, 5, 10), D(2026, 5, 9), D(2026, 5, 11)),  # 9 May Sat 调休
    ("2026-05", MONTH_END, D(2026, 5, 31), D(2026, 5, 29), D(2026, 6, 1)),
    ("2026-09", next_day(10), D(2026, 10, 10), D(2026, 10, 10), D(2026, 10, 10)),  # Sat 调休
    ("2026-10", MONTH_END, D(2026, 10, 31), D(2026, 10, 30), D(2026, 11, 2)),
    ("2026-01", next_day(20), D(2026, 2, 20), D(2026, 2, 14), D(2026, 2, 24)),  # 春节 2026
    ("2022-12", next_day(25), D(2023, 1, 25), D(2023, 1, 20), D(2023, 1, 28)),  # 春节 2023
    ("2023-09", MONTH_END, D(2023, 9, 30), D(2023, 9, 28), D(2023, 10, 7)),  # 国庆 2023
    ("2023-09", next_day(5), D(2023, 10, 5), D(2023, 9, 28), D(2023, 10, 7)),
    ("2023-04", MONTH_END, D(2023, 4, 30), D(2023, 4, 28), D(2023, 5, 4)),  # 劳动节 2023
    ("2023-05", next_day(10), D(2023, 6, 10), D(2023, 6, 9), D(2023, 6, 12)),
    ("2023-05", MONTH_END, D(2023, 5, 31), D(2023, 5, 31), D(2023, 5, 31)),
]


@pytest.mark.parametrize(("month", "due", "nominal", "suggested", "latest"), DEADLINE_CASES)
def test_deadlines(cal, month, due, nominal, suggested, latest):
    assert nominal_deadline(month, due) == nominal
    assert suggested_date(month, due, cal) == suggested
    assert deadline(month, due, cal) == latest


@pytest.mark.parametrize(("month", "due", "nominal", "suggested", "latest"), DEADLINE_CASES)
def test_expected_dates_agree_with_chinese_calendar(month, due, nominal, suggested, latest):
    """The hard-coded expectations are checked against the package itself, day by day."""
    assert chinese_calendar.is_workday(suggested) and chinese_calendar.is_workday(latest)
    for i in range((latest - nominal).days):
        assert not chinese_calendar.is_workday(nominal + timedelta(days=i))
    for i in range(1, (nominal - suggested).days + 1):
        assert not chinese_calendar.is_workday(suggested + timedelta(days=i))


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (D(2026, 2, 28), True),  # Saturday, 调休
        (D(2026, 5, 9), True),  # Saturday, 调休
        (D(2026, 10, 10), True),  # Saturday, 调休
        (D(2026, 1, 31), False),
        (D(2026, 2, 23), False),  # Monday inside 春节
        (D(2023, 10, 2), False),  # Monday inside 国庆
        (D(2023, 1, 29), True),  # Sunday, 调休
    ],
)
def test_is_workday_covered_years(cal, day, expected):
    assert cal.is_workday(day) is expected
    assert chinese_calendar.is_workday(day) is expected


def test_none_due_means_month_end(cal):
    assert nominal_deadline("2024-02", None) == D(2024, 2, 29)
    assert deadline("2026-01", None, cal) == D(2026, 2, 2)


@pytest.mark.parametrize(
    ("month", "day", "expected"),
    [
        ("2024-01", 31, D(2024, 2, 29)),
        ("2023-01", 31, D(2023, 2, 28)),
        ("2023-03", 31, D(2023, 4, 30)),
        ("2023-12", 10, D(2024, 1, 10)),
        ("2023-05", 1, D(2023, 6, 1)),
    ],
)
def test_nominal_next_month_day_clamped(month, day, expected):
    assert nominal_deadline(month, next_day(day)) == expected


@pytest.mark.parametrize("bad", [ReportDue("next_month_day", None), ReportDue("next_month_day", 0)])
def test_nominal_rejects_missing_day(bad):
    with pytest.raises(ValueError):
        nominal_deadline("2023-05", bad)


# --- years the package does not cover --------------------------------------------------------


def test_2027_falls_back_to_weekdays(cal):
    assert cal.is_covered(2026)
    assert not cal.is_covered(2027)
    assert not cal.is_covered(2003)
    assert cal.coverage_warning(2027) == "2027年节假日安排尚未内置，请在设置中补充"
    assert cal.coverage_warning(2026) is None
    with pytest.raises(NotImplementedError):
        chinese_calendar.is_workday(D(2027, 1, 1))
    assert cal.unknown_years == frozenset()
    assert cal.is_workday(D(2027, 1, 1)) is True  # Friday; 元旦 unknown without overrides
    assert cal.is_workday(D(2027, 1, 2)) is False  # Saturday
    assert cal.unknown_years == frozenset({2027})
    assert deadline("2027-01", MONTH_END, cal) == D(2027, 2, 1)  # 31 Jan 2027 is Sunday
    assert suggested_date("2027-01", MONTH_END, cal) == D(2027, 1, 29)


def test_2027_with_overrides():
    cal = WorkCalendar(parse_overrides("2027-01-01 休\n2027-02-07 班\n"))
    assert cal.is_covered(2027)
    assert cal.coverage_warning(2027) is None
    assert cal.is_workday(D(2027, 1, 1)) is False
    assert cal.is_workday(D(2027, 2, 7)) is True  # Sunday 调休
    assert cal.is_workday(D(2027, 1, 4)) is True  # plain Monday, not in overrides
    assert cal.unknown_years == frozenset()
    assert deadline("2026-12", next_day(1), cal) == D(2027, 1, 4)
    assert suggested_date("2026-12", next_day(1), cal) == D(2026, 12, 31)


def test_overrides_take_precedence_over_package():
    cal = WorkCalendar({D(2026, 10, 10): False, D(2026, 10, 11): True})
    assert cal.is_workday(D(2026, 10, 10)) is False
    assert deadline("2026-09", next_day(10), cal) == D(2026, 10, 11)
    assert suggested_date("2026-09", next_day(10), cal) == D(2026, 10, 9)


# --- override text format ---------------------------------------------------------------------


def test_parse_overrides_formats():
    text = """
    # 2027 年放假安排（用户补充）
    2027-01-01 休
    2027-02-07 班   # 春节调休
    2027/2/8 off
    2027-02-20\tON
    2027-02-21，休息
    """
    assert parse_overrides(text) == {
        D(2027, 1, 1): False,
        D(2027, 2, 7): True,
        D(2027, 2, 8): False,
        D(2027, 2, 20): True,
        D(2027, 2, 21): False,
    }
    assert parse_overrides("") == {}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2027-01-01", "第1行"),
        ("2027-01-01 休\n\nhello world", "第3行"),
        ("2027-01-01 也许", "第1行"),
        ("2027-13-01 休", "第1行日期不存在"),
        ("2027-02-30 班", "第1行日期不存在"),
        ("2027-01-01 休 班", "第1行"),
        ("2027-01-01 休\n2027-01-01 班", "第2行与前面的设置矛盾"),
    ],
)
def test_parse_overrides_errors(text, message):
    with pytest.raises(ValueError, match=message):
        parse_overrides(text)


def test_parse_overrides_error_names_the_line():
    with pytest.raises(ValueError, match="“2027-1-1 放假”"):
        parse_overrides("2027-1-1 放假")


def test_format_overrides_roundtrip():
    overrides = {D(2027, 2, 7): True, D(2027, 1, 1): False}
    text = format_overrides(overrides)
    assert text == "2027-01-01 休\n2027-02-07 班"
    assert parse_overrides(text) == overrides
    assert format_overrides({}) == ""


# --- due month, lateness -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "due", "expected"),
    [
        (D(2023, 6, 5), next_day(10), "2023-05"),
        (D(2023, 6, 9), next_day(10), "2023-05"),
        (D(2023, 6, 10), next_day(10), "2023-05"),  # Saturday: May report 顺延 to Mon 12 June
        (D(2023, 6, 12), next_day(10), "2023-05"),  # last 顺延 day
        (D(2023, 6, 13), next_day(10), "2023-06"),
        (D(2023, 6, 30), next_day(10), "2023-06"),
        (D(2026, 1, 5), next_day(10), "2025-12"),  # across the year end
        (D(2026, 1, 13), next_day(10), "2026-01"),
        (D(2026, 10, 10), next_day(10), "2026-09"),  # 调休 Saturday, due that day
        (D(2026, 10, 11), next_day(10), "2026-10"),
        (D(2023, 5, 20), MONTH_END, "2023-05"),
        (D(2023, 5, 31), MONTH_END, "2023-05"),
        (D(2023, 6, 1), MONTH_END, "2023-06"),
        (D(2026, 2, 1), MONTH_END, "2026-01"),  # 31 Jan 2026 is Saturday → 2 Feb
        (D(2026, 2, 2), MONTH_END, "2026-01"),
        (D(2026, 2, 3), MONTH_END, "2026-02"),
        (D(2023, 10, 7), None, "2023-09"),  # 国庆 2023 pushes Sept to 7 Oct
        (D(2023, 10, 8), None, "2023-10"),
        (D(2027, 2, 1), MONTH_END, "2027-01"),  # uncovered year: weekday fallback
    ],
)
def test_due_month(cal, today, due, expected):
    assert due_month(today, due, cal) == expected


@pytest.mark.parametrize(
    ("today", "submitted_on", "expected"),
    [
        (D(2026, 1, 30), None, False),
        (D(2026, 2, 2), None, False),  # 顺延 day still on time
        (D(2026, 2, 3), None, True),
        (D(2026, 3, 10), D(2026, 2, 2), False),
        (D(2026, 3, 10), D(2026, 1, 29), False),
        (D(2026, 3, 10), D(2026, 2, 3), True),
        (D(2026, 1, 20), D(2026, 2, 3), True),  # submitted_on wins over today
    ],
)
def test_is_late(cal, today, submitted_on, expected):
    assert is_late("2026-01", today, MONTH_END, cal, submitted_on) is expected


# --- months and quarters -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("month", "n", "expected"),
    [
        ("2023-05", 0, "2023-05"),
        ("2023-12", 1, "2024-01"),
        ("2023-01", -1, "2022-12"),
        ("2023-05", -17, "2021-12"),
        ("2023-05", 24, "2025-05"),
    ],
)
def test_month_add(month, n, expected):
    assert month_add(month, n) == expected


def test_month_of_and_label():
    assert month_of(D(2023, 5, 20)) == "2023-05"
    assert month_of(D(2023, 12, 1)) == "2023-12"
    assert month_label("2023-05") == "2023年5月"
    assert month_label("2026-12") == "2026年12月"


@pytest.mark.parametrize("bad", ["2023-13", "2023-00", "2023/05", "202305", ""])
def test_bad_month_strings(bad):
    with pytest.raises(ValueError):
        month_label(bad)


@pytest.mark.parametrize(
    ("month", "quarter", "end"),
    [("2023-01", (2023, 1), False), ("2023-03", (2023, 1), True), ("2023-05", (2023, 2), False),
     ("2023-09", (2023, 3), True), ("2023-10", (2023, 4), False), ("2023-12", (2023, 4), True)],
)
def test_quarters(month, quarter, end):
    assert quarter_of(month) == quarter
    assert is_quarter_end(month) is end
    assert month in quarter_months(*quarter)


def test_quarter_months():
    assert quarter_months(2023, 2) == ["2023-04", "2023-05", "2023-06"]
    assert quarter_months(2023, 4) == ["2023-10", "2023-11", "2023-12"]
    with pytest.raises(ValueError):
        quarter_months(2023, 5)


# --- 序时进度, status, 亮灯 ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("month", "share"),
    [("2023-01", 1 / 12), ("2023-05", 5 / 12), ("2023-06", 0.5), ("2023-11", 11 / 12), ("2023-12", 1.0)],
)
def test_elapsed_share(month, share):
    assert elapsed_share(month) == pytest.approx(share)


@pytest.mark.parametrize(
    ("percent", "month", "expected"),
    [
        (None, "2026-06", "unknown"),
        (100, "2026-06", "done"),
        (123.4, "2026-03", "done"),
        (100, "2026-12", "done"),
        (60, "2026-06", "ahead"),  # 序时 50 + 10
        (59.9, "2026-06", "on_schedule"),
        (50, "2026-06", "on_schedule"),
        (40, "2026-06", "on_schedule"),  # exactly 10 points behind
        (39.9, "2026-06", "lagging"),
        (0, "2026-06", "lagging"),
        (0, "2026-01", "on_schedule"),  # 序时 8.33
        (31.7, "2026-05", "on_schedule"),  # 序时 41.67
        (31.6, "2026-05", "lagging"),
        (91.67, "2026-11", "on_schedule"),
        (95, "2026-12", "on_schedule"),
        (89.9, "2026-12", "lagging"),
    ],
)
def test_suggest_status(percent, month, expected):
    assert suggest_status(percent, month) == expected
    assert expected in SCHEDULE_STATUS_LABELS


def test_suggest_status_tolerance():
    assert suggest_status(45, "2026-06", tolerance_pts=5) == "on_schedule"
    assert suggest_status(44.9, "2026-06", tolerance_pts=5) == "lagging"
    assert suggest_status(55, "2026-06", tolerance_pts=5) == "ahead"


def test_status_labels():
    assert SCHEDULE_STATUS_LABELS == {
        "done": "已完成",
        "ahead": "超序时",
        "on_schedule": "按序时",
        "lagging": "滞后",
        "unknown": "未填报",
    }


@pytest.mark.parametrize(
    ("percent", "month", "expected"),
    [
        (None, "2026-06", "grey"),
        (100, "2026-12", "green"),
        (80, "2026-06", "green"),
        (40, "2026-06", "green"),  # exactly 10 behind 序时 50
        (39.9, "2026-06", "amber"),
        (20, "2026-06", "amber"),  # exactly 30 behind
        (19.9, "2026-06", "red"),
        (0, "2026-05", "red"),  # 41.67 behind
        (0, "2026-01", "green"),  # 8.33 behind
        (11.7, "2026-05", "amber"),  # 序时 41.67 − 30 = 11.67
        (11.6, "2026-05", "red"),
    ],
)
def test_light(percent, month, expected):
    assert light(percent, month) == expected
