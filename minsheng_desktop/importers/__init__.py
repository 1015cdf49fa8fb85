"""Importers: an issued notice in any form it arrives in (forms.py lists them) → a ParsedList with warnings;
no database writes.

The readers (lxml, openpyxl) load on first use, so that starting the window or a command that does not
import pays nothing for them."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from .errors import ImportFailure
from .progress import NO_PROGRESS, ImportCancelled, Progress

if TYPE_CHECKING:
    from collections.abc import Sequence

    from ..domain.model import ParsedList

__all__ = ["ImportCancelled", "ImportFailure", "Progress", "read_target_list"]


def read_target_list(path: str | os.PathLike[str] | Sequence[str | os.PathLike[str]], *, year: int | None = None,
                     region: str | None = None, progress: Progress = NO_PROGRESS) -> ParsedList:
    """Read an annual target list (a file, or a folder / several files of page images). Raises ImportFailure
    with a one-line Chinese message on bad input, ImportCancelled when ``progress`` says the clerk cancelled."""
    # deferred: see the module's docstring (the readers load on first use)
    from .reader import read_target_list as read

    return read(path, year=year, region=region, progress=progress)
