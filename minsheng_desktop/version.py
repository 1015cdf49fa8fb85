"""The program's version. pyproject.toml holds it; the installed (or frozen) package reports it through its
metadata (the PyInstaller spec writes a small .dist-info into the bundle), and a source tree that was never
installed reads pyproject.toml itself."""

from __future__ import annotations

import re
from functools import cache
from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as distribution_version
from pathlib import Path

DISTRIBUTION = "minsheng-desktop"


@cache
def version() -> str:
    """"0.1.0"; "0+unknown" when neither the metadata nor pyproject.toml can be read."""
    try:
        return distribution_version(DISTRIBUTION)
    except PackageNotFoundError:
        pass
    try:
        text = (Path(__file__).resolve().parent.parent / "pyproject.toml").read_text(encoding="utf-8")
    except OSError:
        return "0+unknown"
    m = re.search(r'^version\s*=\s*"([^"]+)"', text, re.M)
    return m.group(1) if m else "0+unknown"
