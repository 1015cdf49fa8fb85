"""Working days, monthly report deadlines, 序时进度 and the suggested schedule status / 亮灯."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime, timedelta

import chinese_calendar

from minsheng_desktop.domain.model import ReportDue
from minsheng_desktop.domain.month import Month

SCHEDULE_STATUS_LABELS: dict[str, str] = {
    "done": "已完成",
    "ahead": "超序时",
    "on_schedule": "按序时",
    "lagging": "滞后",
    "unknown": "未填报",
}
LIGHT_LABELS: dict[str, str] = {"green": "绿灯", "amber": "黄灯", "red": "红灯", "grey": "未填报"}

_OFF_WORDS = frozenset({"休", "休息", "假", "off"})
_ON_WORDS = frozenset({"班", "上班", "on"})
_DATE_RE = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$")
_MAX_SCAN_DAYS = 366
_EPS = 1e-9


def _as_date(d: date) -> date:
    return d.date() if isinstance(d, datetime) else d


class WorkCalendar:
    """Mainland China working days: chinese_calendar data, user overrides first, Mon–Fri fallback."""

    def __init__(self, overrides: Mapping[date, bool] | None = None) -> None:
        self._overrides: dict[date, bool] = {_as_date(d): bool(v) for d, v in (overrides or {}).items()}
        self._override_years = frozenset(d.year for d in self._overrides)
        self._package_years: dict[int, bool] = {}
        self._fallback_years: set[int] = set()

    @property
    def overrides(self) -> dict[date, bool]:
        return dict(self._overrides)

    @property
    def unknown_years(self) -> frozenset[int]:
        """Years for which a weekday-only guess has actually been used so far."""
        return frozenset(self._fallback_years)

    def package_covers(self, year: int) -> bool:
        """True when chinese_calendar has the State Council arrangement for ``year``."""
        if year not in self._package_years:
            try:
                chinese_calendar.is_workday(date(year, 1, 1))
                self._package_years[year] = True
            except NotImplementedError:
                self._package_years[year] = False
        return self._package_years[year]

    def is_covered(self, year: int) -> bool:
        """False when neither the package nor the user's overrides know this year's holidays."""
        return self.package_covers(year) or year in self._override_years

    def coverage_warning(self, year: int) -> str | None:
        """The message the UI shows for an uncovered year, else None."""
        return None if self.is_covered(year) else f"{year}年节假日安排尚未内置，请在设置中补充"

    def is_workday(self, d: date) -> bool:
        d = _as_date(d)
        if d in self._overrides:
            return self._overrides[d]
        if self.package_covers(d.year):
            return bool(chinese_calendar.is_workday(d))
        if d.year not in self._override_years:
            self._fallback_years.add(d.year)
        return d.weekday() < 5

    def next_workday_on_or_after(self, d: date) -> date:
        return self._scan(_as_date(d), 1)

    def last_workday_on_or_before(self, d: date) -> date:
        return self._scan(_as_date(d), -1)

    def _scan(self, d: date, step: int) -> date:
        for _ in range(_MAX_SCAN_DAYS):
            if self.is_workday(d):
                return d
            d += timedelta(days=step)
        raise ValueError(f"{d.isoformat()} 附近一年内没有工作日，请检查节假日设置")


def parse_overrides(text: str) -> dict[date, bool]:
    """Parse lines like ``2027-01-01 休`` / ``2027-02-07 班`` (also off/on; ``#`` starts a comment)."""
    result: dict[date, bool] = {}
    for lineno, raw in enumerate(text.splitlines(), start=1):
        line = re.split(r"[#＃]", raw, maxsplit=1)[0].strip()
        if not line:
            continue
        bad = f"节假日设置第{lineno}行无法识别：“{raw.strip()}”（格式如“2027-01-01 休”或“2027-02-07 班”）"
        parts = re.split(r"[\s,，:：]+", line)
        if len(parts) != 2:
            raise ValueError(bad)
        match = _DATE_RE.match(parts[0])
        word = parts[1].lower()
        if not match or word not in _OFF_WORDS | _ON_WORDS:
            raise ValueError(bad)
        try:
            day = date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            raise ValueError(f"节假日设置第{lineno}行日期不存在：“{raw.strip()}”") from None
        working = word in _ON_WORDS
        if result.get(day, working) != working:
            raise ValueError(f"节假日设置第{lineno}行与前面的设置矛盾：{day.isoformat()} 既是班又是休")
        result[day] = working
    return result


def format_overrides(overrides: Mapping[date, bool]) -> str:
    """Inverse of parse_overrides: one ``YYYY-MM-DD 班|休`` line per date, sorted."""
    return "\n".join(f"{d.isoformat()} {'班' if v else '休'}" for d, v in sorted(overrides.items()))


def month_of(d: date) -> str:
    return str(Month.of(d))


def month_add(month: str, n: int) -> str:
    return str(Month.parse(month).add(n))


def month_label(month: str) -> str:
    return Month.parse(month).label


def nominal_deadline(month: str, due: ReportDue | None) -> date:
    """The month report's due date as the notice's reporting rule gives it (每月底 / 次月N日前), before any holiday
    adjustment."""
    m = Month.parse(month)
    if due is None or due.rule == "month_end":
        return m.last_day
    if due.rule != "next_month_day":
        raise ValueError(f"未知的报送规则：{due.rule!r}")
    if due.day is None or due.day < 1:
        raise ValueError("“次月N日前”规则需要填写有效的日期 N")
    last = m.add(1).last_day
    return last.replace(day=min(due.day, last.day))


def deadline(month: str, due: ReportDue | None, calendar: WorkCalendar) -> date:
    """The due date of ``month``'s report (报送截止日, from the list's ReportDue), 最迟（顺延）: the nominal date
    moved forward to a working day (民法典第二百零三条). Not a project's 完成时限, which is Project.completion_term."""
    return calendar.next_workday_on_or_after(nominal_deadline(month, due))


def suggested_date(month: str, due: ReportDue | None, calendar: WorkCalendar) -> date:
    """建议报送日: the last working day on or before the nominal date."""
    return calendar.last_workday_on_or_before(nominal_deadline(month, due))


def due_month(today: date, due: ReportDue | None, calendar: WorkCalendar) -> str:
    """The earliest month whose (顺延) deadline is still today or later."""
    today = _as_date(today)
    month = month_add(month_of(today), -3)
    for _ in range(16):
        if deadline(month, due, calendar) >= today:
            return month
        month = month_add(month, 1)
    raise AssertionError("unreachable: a month's deadline is never 16 months away")


def is_late(
    month: str,
    today: date,
    due: ReportDue | None,
    calendar: WorkCalendar,
    submitted_on: date | None = None,
) -> bool:
    """Submitted after the deadline, or not submitted and the deadline has passed."""
    reference = _as_date(submitted_on if submitted_on is not None else today)
    return reference > deadline(month, due, calendar)


def elapsed_share(month: str) -> float:
    """序时进度 at the end of ``month``: months elapsed / 12 (May → 5/12)."""
    return Month.parse(month).number / 12


def suggest_status(percent: float | None, month: str, *, tolerance_pts: float = 10.0,
                   expected: float | None = None) -> str:
    """Suggested 进度状态 key (see SCHEDULE_STATUS_LABELS), compared with ``expected`` per cent ± tolerance: what
    the project's plan expects by then (domain.plan.expected), else 序时进度."""
    if percent is None:
        return "unknown"
    if percent >= 100 - _EPS:
        return "done"
    gap = percent - (elapsed_share(month) * 100 if expected is None else expected)
    if gap >= tolerance_pts - _EPS:
        return "ahead"
    if gap >= -tolerance_pts - _EPS:
        return "on_schedule"
    return "lagging"


def light(percent: float | None, month: str, *, amber_pts: float = 10.0, red_pts: float = 30.0,
          expected: float | None = None) -> str:
    """银川-style 亮灯: green ≤10 points behind 序时 (or the plan's ``expected`` per cent), amber 10–30 behind,
    red >30 behind, grey if unknown."""
    if percent is None:
        return "grey"
    behind = (elapsed_share(month) * 100 if expected is None else expected) - percent
    if percent >= 100 - _EPS or behind <= amber_pts + _EPS:
        return "green"
    if behind <= red_pts + _EPS:
        return "amber"
    return "red"


def quarter_of(month: str) -> tuple[int, int]:
    m = Month.parse(month)
    return m.year, m.quarter


def quarter_months(year: int, q: int) -> list[str]:
    if not 1 <= q <= 4:
        raise ValueError(f"季度应为 1–4：{q}")
    return [str(Month(year, n)) for n in range(3 * q - 2, 3 * q + 1)]


def is_quarter_end(month: str) -> bool:
    return Month.parse(month).is_quarter_end
