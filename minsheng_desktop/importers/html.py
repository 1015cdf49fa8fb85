"""Saved web pages. Placeholder until the reader lands."""

from __future__ import annotations

from pathlib import Path

from .errors import ImportFailure
from .grid import SourceDocument
from .progress import Progress


def read_html(path: Path, progress: Progress) -> SourceDocument:
    raise ImportFailure(f"“{path.name}”是网页文件，暂时无法读取。", path=str(path))
