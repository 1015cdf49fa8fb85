"""Old binary Office files (.xls/.et, .doc/.wps). Placeholder until the readers land: refuses as before."""

from __future__ import annotations

from pathlib import Path

from .grid import SourceDocument
from .progress import Progress
from .sniff import check_package


def read_ole(path: Path, progress: Progress) -> SourceDocument:
    check_package(path)  # raises the "save as .docx/.xlsx" message for an OLE file
    raise AssertionError("unreachable")
