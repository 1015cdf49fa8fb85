"""Export file names from a pattern, made safe for Windows (forbidden characters, reserved names, length)."""

from __future__ import annotations

import re
import unicodedata

from .data import MonthData, cn_numeral, month_parts
from .formats import FORMATS

MAX_NAME = 120
_FORBIDDEN = re.compile(r'[/\\:*?"<>|\x00-\x1f]')
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}


def safe_filename(name: str, max_len: int = MAX_NAME, replacement: str = "_") -> str:
    """A file name Windows accepts: no / \\ : * ? " < > |, no reserved stem, no trailing dot/space, ≤ max_len."""
    name = unicodedata.normalize("NFC", name)
    name = _FORBIDDEN.sub(replacement, name).strip().rstrip(". ")
    stem, dot, ext = name.rpartition(".")
    if not dot or not stem or len(ext) > 8 or " " in ext:
        stem, ext = name, ""
    if stem.split(".")[0].upper().rstrip(" ") in _RESERVED:
        stem = replacement + stem
    stem = stem.rstrip(". ") or replacement
    suffix = f".{ext}" if ext else ""
    stem = stem[: max(1, max_len - len(suffix))].rstrip(". ") or replacement
    return stem + suffix


def export_filename(kind: str, data: MonthData, pattern: str | None = None) -> str:
    """区教委_2023年5月民生实事推进情况表.xlsx and the like, from a pattern with {who} {year} {month} … (the format's
    own, formats.FORMATS, unless one is given)."""
    year, mon = month_parts(data.month)
    quarter = cn_numeral((mon - 1) // 3 + 1)
    text = (pattern or FORMATS[kind].pattern).format(
        who=data.unit or data.reporter_unit or data.region, region=data.region, unit=data.unit or "",
        year=year, month=mon, quarter=quarter, kind=data.letter_kind,
    )
    return safe_filename(text)
