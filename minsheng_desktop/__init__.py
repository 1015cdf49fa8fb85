"""民生实事 desktop tracker: version and application name."""

from __future__ import annotations

APP_NAME = "民生实事台账"
APP_ID = "minsheng"


def _version() -> str:
    # The version lives in pyproject.toml only; an installed (or frozen) package reports it via metadata.
    try:
        from importlib.metadata import version

        return version("minsheng-desktop")
    except Exception:
        import re
        from pathlib import Path

        pp = Path(__file__).resolve().parent.parent / "pyproject.toml"
        try:
            m = re.search(r'^version\s*=\s*"([^"]+)"', pp.read_text(encoding="utf-8"), re.M)
            return m.group(1) if m else "0+unknown"
        except OSError:
            return "0+unknown"


__version__ = _version()
