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


_cached: str | None = None


def __getattr__(name: str) -> str:
    # Computed on first use: importlib.metadata costs ~20 ms at start-up.
    global _cached
    if name == "__version__":
        if _cached is None:
            _cached = _version()
        return _cached
    raise AttributeError(name)
