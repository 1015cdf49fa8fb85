"""Month: a reporting month (2023-06) as a value, instead of "YYYY-MM" strings sliced by hand.

The text form "YYYY-MM" stays what is stored, dumped (../spec/dump.schema.json) and typed on the command
line; code that needs the year, the month's number, its neighbours, its quarter or its name parses it here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

_MONTH_RE = re.compile(r"^(\d{4})-(\d{1,2})$")  # "2023-6" is read too; str() always writes "2023-06"


@dataclass(frozen=True, order=True)
class Month:
    year: int
    number: int  # 1..12

    def __post_init__(self) -> None:
        if not 1 <= self.number <= 12:
            raise ValueError(f"月份应为 1–12：{self.number}")

    @classmethod
    def parse(cls, text: str) -> Month:
        """"2023-06" → Month(2023, 6); anything else raises ValueError with a Chinese message."""
        match = _MONTH_RE.match(text.strip()) if isinstance(text, str) else None
        if not match or not 1 <= int(match[2]) <= 12:
            raise ValueError(f"月份格式应为 YYYY-MM：{text!r}")
        return cls(int(match[1]), int(match[2]))

    @classmethod
    def of(cls, d: date) -> Month:
        return cls(d.year, d.month)

    @classmethod
    def all_of(cls, year: int) -> list[Month]:
        return [cls(year, n) for n in range(1, 13)]

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.number:02d}"

    def add(self, n: int) -> Month:
        index = self.year * 12 + (self.number - 1) + n
        return Month(index // 12, index % 12 + 1)

    @property
    def label(self) -> str:
        """2023年6月"""
        return f"{self.year}年{self.number}月"

    @property
    def short_label(self) -> str:
        """6月"""
        return f"{self.number}月"

    @property
    def quarter(self) -> int:
        return (self.number - 1) // 3 + 1

    @property
    def is_quarter_end(self) -> bool:
        return self.number % 3 == 0

    @property
    def last_day(self) -> date:
        # The day before the next month's first (not calendar.monthrange: importing calendar, with locale, costs
        # ~2–4 ms of the window's start).
        return date(self.year + self.number // 12, self.number % 12 + 1, 1) - timedelta(days=1)


def is_month(text: object) -> bool:
    """Whether ``text`` is a valid "YYYY-MM"."""
    try:
        Month.parse(text)  # type: ignore[arg-type]
    except ValueError:
        return False
    return True
