"""民生实事 desktop tracker: the application's name and identifier (its version: version.py)."""

from __future__ import annotations

APP_NAME = "民生实事台账"
APP_ID = "minsheng"
