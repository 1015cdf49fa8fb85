"""Importers: an issued notice (.docx) or target table (.xlsx) → a ParsedList with warnings; no database writes.

The readers (lxml, openpyxl) load on first use, so that starting the window or a command that does not
import pays nothing for them."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from .errors import ImportFailure

if TYPE_CHECKING:
    from ..domain.model import ParsedList

__all__ = ["ImportFailure", "read_target_list"]


def read_target_list(path: str | os.PathLike[str], *, year: int | None = None,
                     region: str | None = None) -> ParsedList:
    """Read an annual target list. Raises ImportFailure with a one-line Chinese message on bad input."""
    from .reader import read_target_list as read

    return read(path, year=year, region=region)
