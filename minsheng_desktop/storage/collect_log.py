"""The collect log: which returned file (by its sha256) was taken into which list and month, when, and what it gave."""

from __future__ import annotations

import json
from typing import Any

from .db import Database


def collected_files(db: Database, list_id: int, month: str) -> dict[str, str]:
    """sha256 -> when that file was first collected into this list and month."""
    return {r[0]: r[1] for r in db.conn.execute(
        "SELECT sha256, MIN(collected_at) FROM collect_log WHERE list_id=? AND month=? GROUP BY sha256",
        (list_id, month))}


def log_collected_file(db: Database, list_id: int, month: str, *, unit: str | None, source_file: str, sha256: str,
                       collected_at: str, summary: dict[str, Any]) -> None:
    """Record one collected file (inside the caller's transaction, when there is one)."""
    with db.transaction() as conn:
        conn.execute("INSERT INTO collect_log (list_id, month, unit, source_file, sha256, collected_at, summary_json)"
                     " VALUES (?,?,?,?,?,?,?)", (list_id, month, unit, source_file, sha256, collected_at,
                                                 json.dumps(summary, ensure_ascii=False)))
