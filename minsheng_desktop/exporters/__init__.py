"""Exports of a month's progress: .xlsx and .docx tables, the cover letter and the quarterly bulletin.

The builders are imported when first asked for (PEP 562): an .xlsx export does not load python-docx, nor a
.docx export openpyxl (~70 ms each of a command's start)."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .bulletin import build_bulletin
    from .data import MonthData, collect_month
    from .docx_table import build_progress_docx
    from .letter import build_cover_letter
    from .naming import export_filename, safe_filename
    from .xlsx import build_progress_xlsx

# kind -> (module, builder, suffix)
_BUILDERS = {
    "xlsx": ("xlsx", "build_progress_xlsx", ".xlsx"),
    "docx": ("docx_table", "build_progress_docx", ".docx"),
    "letter": ("letter", "build_cover_letter", ".docx"),
    "bulletin": ("bulletin", "build_bulletin", ".docx"),
}
_NAMES = {
    "build_progress_xlsx": "xlsx", "build_progress_docx": "docx_table", "build_cover_letter": "letter",
    "build_bulletin": "bulletin", "MonthData": "data", "collect_month": "data", "export_filename": "naming",
    "safe_filename": "naming",
}


def builder(kind: str) -> Callable[[Any], bytes]:
    """The built-in builder of one kind (xlsx, docx, letter, bulletin), imported now."""
    module, name, _ = _BUILDERS[kind]
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)  # type: ignore[no-any-return]


class _Builders(dict):  # type: ignore[type-arg]
    """BUILDERS[kind] -> (builder, suffix), each builder's module imported on first use."""

    def __missing__(self, kind: str) -> tuple[Callable[[Any], bytes], str]:
        value = (builder(kind), _BUILDERS[kind][2])
        self[kind] = value
        return value

    def __contains__(self, kind: object) -> bool:
        return kind in _BUILDERS

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(_BUILDERS)

    def __len__(self) -> int:
        return len(_BUILDERS)

    def keys(self):  # type: ignore[no-untyped-def]
        return _BUILDERS.keys()

    def items(self):  # type: ignore[no-untyped-def]
        return [(k, self[k]) for k in _BUILDERS]

    def values(self):  # type: ignore[no-untyped-def]
        return [self[k] for k in _BUILDERS]


BUILDERS: dict[str, tuple[Callable[[Any], bytes], str]] = _Builders()


def __getattr__(name: str) -> Any:
    module = _NAMES.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


__all__ = [
    "BUILDERS", "MonthData", "build_bulletin", "build_cover_letter", "build_progress_docx", "build_progress_xlsx",
    "builder", "collect_month", "export_filename", "safe_filename",
]
