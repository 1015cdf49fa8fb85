"""Month: parsing, text form, arithmetic across years, quarters, names and last days."""

from __future__ import annotations

from datetime import date

import pytest

from minsheng_desktop.domain.month import Month, is_month


@pytest.mark.parametrize("text, year, number", [("2023-06", 2023, 6), ("2023-6", 2023, 6), (" 2024-12 ", 2024, 12),
                                                ("2025-01", 2025, 1)])
def test_parse(text: str, year: int, number: int) -> None:
    m = Month.parse(text)
    assert (m.year, m.number) == (year, number)
    assert str(m) == f"{year:04d}-{number:02d}"


@pytest.mark.parametrize("text", ["2023-13", "2023-00", "2023/06", "23-06", "2023-006", "", "六月", None, 202306])
def test_parse_refuses(text: object) -> None:
    with pytest.raises(ValueError, match="月"):
        Month.parse(text)  # type: ignore[arg-type]
    assert not is_month(text)


def test_constructor_refuses_month_13() -> None:
    with pytest.raises(ValueError):
        Month(2023, 13)


@pytest.mark.parametrize("start, n, expected", [("2023-06", 1, "2023-07"), ("2023-12", 1, "2024-01"),
                                                ("2024-01", -1, "2023-12"), ("2023-06", -18, "2021-12"),
                                                ("2023-06", 0, "2023-06"), ("2023-11", 14, "2025-01")])
def test_add(start: str, n: int, expected: str) -> None:
    assert str(Month.parse(start).add(n)) == expected


@pytest.mark.parametrize("number, quarter, end", [(1, 1, False), (3, 1, True), (4, 2, False), (6, 2, True),
                                                  (7, 3, False), (9, 3, True), (11, 4, False), (12, 4, True)])
def test_quarter(number: int, quarter: int, end: bool) -> None:
    m = Month(2023, number)
    assert (m.quarter, m.is_quarter_end) == (quarter, end)


@pytest.mark.parametrize("text, last", [("2023-02", date(2023, 2, 28)), ("2024-02", date(2024, 2, 29)),
                                        ("2023-12", date(2023, 12, 31)), ("2023-04", date(2023, 4, 30))])
def test_last_day(text: str, last: date) -> None:
    assert Month.parse(text).last_day == last


def test_labels_order_and_year() -> None:
    m = Month.parse("2023-06")
    assert (m.label, m.short_label) == ("2023年6月", "6月")
    assert Month.of(date(2023, 6, 30)) == m
    assert [str(x) for x in Month.all_of(2023)][::11] == ["2023-01", "2023-12"]
    assert Month(2023, 12) < Month(2024, 1) < Month(2024, 2)
    assert len({Month(2023, 6), Month.parse("2023-06")}) == 1  # a value: usable as a key
