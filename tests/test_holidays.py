"""services.holidays: the clerk's holiday overrides are checked before they are stored, and the calendar uses them."""

from __future__ import annotations

from datetime import date

import pytest

from minsheng_desktop.services import holidays


def test_holiday_overrides_are_validated_and_used(db):
    with pytest.raises(ValueError, match="第1行"):
        holidays.save_holiday_text(db, "2027-13-01 休")
    assert holidays.holiday_text(db) == ""
    holidays.save_holiday_text(db, "2027-01-01 休\n2027-02-07 班  # 调休")
    cal = holidays.work_calendar(db)
    assert cal.is_workday(date(2027, 2, 7)) and not cal.is_workday(date(2027, 1, 1))
