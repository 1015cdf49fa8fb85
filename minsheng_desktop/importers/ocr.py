"""Scans and photos. Placeholder until the reader lands."""

from __future__ import annotations

from pathlib import Path

from .errors import ImportFailure
from .grid import SourceDocument
from .progress import Progress


def read_images(paths: list[Path], progress: Progress) -> SourceDocument:
    raise ImportFailure(f"“{paths[0].name}”是图片，暂时无法识别。", path=str(paths[0]))


def read_scanned_pdf(path: Path, progress: Progress) -> SourceDocument:
    raise ImportFailure(f"“{path.name}”是扫描件，暂时无法识别。", path=str(path))
