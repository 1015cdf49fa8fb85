"""The names that mark an .xlsx as one of our exports: the hidden bookkeeping sheet and the format id it holds.

Kept apart from xlsx.py (which imports openpyxl to write) so that `minsheng collect`, reading a unit's returned
export through importers/xlsx.py, loads no openpyxl."""

from __future__ import annotations

META_SHEET = "_minsheng"
FORMAT_ID = "minsheng-progress"
FORMAT_VERSION = 1
