"""The work calendar: the clerk's holiday overrides (a setting, as typed) over chinese_calendar's arrangement."""

from __future__ import annotations

from datetime import date

from ..domain import schedule
from ..storage import repo
from ..storage.db import Database

HOLIDAY_KEY = "holiday_overrides"


def holiday_text(db: Database) -> str:
    return repo.get_setting(db, HOLIDAY_KEY, "") or ""


def save_holiday_text(db: Database, text: str) -> dict[date, bool]:
    """Validate with parse_overrides (ValueError carries the Chinese message) and store the text as typed."""
    overrides = schedule.parse_overrides(text)
    repo.set_setting(db, HOLIDAY_KEY, text.strip())
    return overrides


def work_calendar(db: Database) -> schedule.WorkCalendar:
    try:
        return schedule.WorkCalendar(schedule.parse_overrides(holiday_text(db)))
    except ValueError:  # a bad stored text must never stop the window from opening
        return schedule.WorkCalendar()
