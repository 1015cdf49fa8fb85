"""How numbers are written in everything we send, in one place: 完成进度 85 (not 85.0; 29.6 keeps its decimal),
万元 with at most two decimals and no trailing zeros (2000, 504.9, 3234.56), rates as 29.6% / 100%.

Used by the .xlsx and .docx tables, the cover letter, the bulletin, the district chart and the office template.
In a spreadsheet the cell holds the rounded number and a number format that shows exactly that text."""

from __future__ import annotations

# the kinds of number column (layout.Column.kind) and their decimals at most
DECIMALS = {"money": 2, "pct": 1, "rate": 1}


def _plain(v: float, decimals: int) -> str:
    text = f"{v:.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def wan_text(v: float | None) -> str:
    """万元: 2000, 504.9, 3234.56; None → ""."""
    return "" if v is None else _plain(v, 2)


def percent_text(v: float | None) -> str:
    """完成进度 as typed: 85, 29.6 (one decimal at most); None → ""."""
    return "" if v is None else _plain(v, 1)


def rate_text(ratio: float | None) -> str:
    """A share (0.296) as 29.6%; None → ""."""
    return "" if ratio is None else _plain(ratio * 100, 1) + "%"


def pct_sign(v: float | None, missing: str = "—") -> str:
    """A per cent figure with its sign, for sentences: 85%, 29.6%."""
    return missing if v is None else _plain(v, 1) + "%"


def number_text(kind: str, value: object) -> str:
    """The text of a table cell of the given column kind (money, pct, rate; anything else as it is)."""
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if kind == "money":
            return wan_text(value)
        if kind == "pct":
            return percent_text(value)
        if kind == "rate":
            return rate_text(value)
    return str(value)


def excel_number(kind: str, value: float) -> tuple[float, str]:
    """(the value rounded as it is shown, the number format that shows it so): 2000 → "0", 504.9 → "0.0"."""
    if kind == "rate":
        shown = round(value * 100, 1)
        if shown == int(shown):
            return round(value, 2), "0%"
        return round(value, 3), "0.0%"
    decimals = DECIMALS.get(kind, 2)
    shown = round(value, decimals)
    text = _plain(shown, decimals)
    places = len(text.split(".")[1]) if "." in text else 0
    return shown, "0" if not places else "0." + "0" * places


def quantity_text(v: float | None) -> str:
    """An indicator's value as typed: 90, 2.5, 270 (two decimals at most)."""
    return "" if v is None else _plain(v, 2)
