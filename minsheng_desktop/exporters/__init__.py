"""Exports of a month's progress: .xlsx and .docx tables, the cover letter and the quarterly bulletin."""

from __future__ import annotations

from collections.abc import Callable

from .bulletin import build_bulletin
from .data import MonthData, collect_month
from .docx_table import build_progress_docx
from .letter import build_cover_letter
from .naming import export_filename, safe_filename
from .xlsx import build_progress_xlsx

BUILDERS: dict[str, tuple[Callable[[MonthData], bytes], str]] = {
    "xlsx": (build_progress_xlsx, ".xlsx"),
    "docx": (build_progress_docx, ".docx"),
    "letter": (build_cover_letter, ".docx"),
    "bulletin": (build_bulletin, ".docx"),
}

__all__ = [
    "BUILDERS", "MonthData", "build_bulletin", "build_cover_letter", "build_progress_docx", "build_progress_xlsx",
    "collect_month", "export_filename", "safe_filename",
]
