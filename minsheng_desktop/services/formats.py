"""The export formats (exporters/formats.py's table) for the interfaces, without loading the export use cases:
`minsheng export` takes its --format choices from here each time the command line builds its parser."""

from __future__ import annotations

from ..exporters.formats import FORMATS, ExportFormat

__all__ = ["FORMATS", "ExportFormat"]
