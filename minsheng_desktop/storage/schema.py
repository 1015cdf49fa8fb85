"""Schema versions: one migration step per version, each run in its own transaction (PRAGMA user_version)."""

from __future__ import annotations

from collections.abc import Callable
import sqlite3

LATEST_VERSION = 4

V1 = """
CREATE TABLE target_lists (
    id INTEGER PRIMARY KEY,
    year INTEGER NOT NULL,
    region TEXT NOT NULL,
    title TEXT,
    notice_title TEXT,
    issuer TEXT,
    doc_number TEXT,
    issued_on TEXT,
    contact_unit TEXT,
    contact_name TEXT,
    contact_phone TEXT,
    contact_email TEXT,
    due_rule TEXT CHECK (due_rule IN ('month_end', 'next_month_day')),
    due_day INTEGER,
    due_text TEXT,
    source_file TEXT,
    header_json TEXT,
    imported_at TEXT NOT NULL,
    UNIQUE (year, region)
);
CREATE TABLE sections (
    id INTEGER PRIMARY KEY,
    list_id INTEGER NOT NULL REFERENCES target_lists(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    title TEXT NOT NULL,
    name TEXT NOT NULL,
    level TEXT,
    total_investment_wan REAL,
    declared_items INTEGER,
    declared_projects INTEGER,
    UNIQUE (list_id, name)
);
CREATE TABLE units (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
);
CREATE TABLE projects (
    id TEXT PRIMARY KEY,
    list_id INTEGER NOT NULL REFERENCES target_lists(id) ON DELETE CASCADE,
    section_id INTEGER REFERENCES sections(id) ON DELETE SET NULL,
    parent_id TEXT REFERENCES projects(id) ON DELETE SET NULL,
    position INTEGER NOT NULL,
    number TEXT NOT NULL,
    name TEXT NOT NULL,
    investment_wan REAL,
    target TEXT,
    note TEXT,
    deadline TEXT,
    is_leaf INTEGER NOT NULL DEFAULT 1,
    withdrawn INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX projects_list ON projects(list_id, position);
CREATE INDEX projects_parent ON projects(parent_id);
CREATE TABLE project_units (
    project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    unit_id INTEGER NOT NULL REFERENCES units(id),
    role TEXT NOT NULL CHECK (role IN ('lead', 'partner')),
    position INTEGER NOT NULL,
    PRIMARY KEY (project_id, role, position)
);
CREATE INDEX project_units_unit ON project_units(unit_id, role);
CREATE TABLE indicators (
    id INTEGER PRIMARY KEY,
    project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    label TEXT NOT NULL,
    target REAL NOT NULL,
    unit TEXT NOT NULL,
    comparator TEXT NOT NULL DEFAULT '=' CHECK (comparator IN ('>=', '=', '<='))
);
CREATE INDEX indicators_project ON indicators(project_id, position);
CREATE TABLE reports (
    id INTEGER PRIMARY KEY,
    project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    month TEXT NOT NULL CHECK (month GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]'),
    status TEXT CHECK (status IN ('not_started', 'on_track', 'lagging', 'done', 'withdrawn')),
    percent REAL CHECK (percent IS NULL OR (percent >= 0 AND percent <= 100)),
    investment_done_wan REAL,
    progress TEXT,
    problems TEXT,
    next_steps TEXT,
    submitted_on TEXT,
    updated_at TEXT,
    deleted INTEGER NOT NULL DEFAULT 0,
    UNIQUE (project_id, month)
);
CREATE INDEX reports_month ON reports(month);
CREATE TABLE indicator_values (
    report_id INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    label TEXT NOT NULL,
    value REAL NOT NULL,
    PRIMARY KEY (report_id, label)
);
CREATE TABLE report_history (
    id INTEGER PRIMARY KEY,
    report_id INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    changed_at TEXT NOT NULL,
    field TEXT NOT NULL,
    old_value TEXT,
    new_value TEXT
);
CREATE INDEX report_history_report ON report_history(report_id, id);
CREATE TABLE import_log (
    id INTEGER PRIMARY KEY,
    list_id INTEGER NOT NULL REFERENCES target_lists(id) ON DELETE CASCADE,
    imported_at TEXT NOT NULL,
    source_file TEXT,
    summary_json TEXT NOT NULL
);
CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT
);
"""

# Version 2: the mail side (issue 5) — the outbox and the sent log.
V2 = """
CREATE TABLE outbox (
    id INTEGER PRIMARY KEY,
    list_id INTEGER REFERENCES target_lists(id) ON DELETE CASCADE,
    month TEXT NOT NULL,
    unit TEXT,
    recipient TEXT NOT NULL,
    subject TEXT NOT NULL,
    eml BLOB NOT NULL,
    created_at TEXT NOT NULL,
    last_error TEXT,
    attempts INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE sent_log (
    id INTEGER PRIMARY KEY,
    list_id INTEGER REFERENCES target_lists(id) ON DELETE SET NULL,
    month TEXT NOT NULL,
    unit TEXT,
    sent_at TEXT NOT NULL,
    recipient TEXT NOT NULL,
    subject TEXT NOT NULL,
    files_json TEXT NOT NULL
);
"""


# Version 3: which projects a queued or sent message covers; evidence (佐证材料) stored in the database so
# that every backup carries it; the log of units' reports collected by the 发展改革委.
V3 = """
ALTER TABLE outbox ADD COLUMN project_ids_json TEXT NOT NULL DEFAULT '[]';
ALTER TABLE sent_log ADD COLUMN project_ids_json TEXT NOT NULL DEFAULT '[]';
CREATE TABLE evidence_files (
    sha256 TEXT PRIMARY KEY,
    mime TEXT NOT NULL,
    size INTEGER NOT NULL,
    width INTEGER,
    height INTEGER,
    data BLOB NOT NULL,
    thumb BLOB,
    added_at TEXT NOT NULL
);
CREATE TABLE evidence (
    id INTEGER PRIMARY KEY,
    report_id INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    sha256 TEXT NOT NULL REFERENCES evidence_files(sha256),
    filename TEXT NOT NULL,
    caption TEXT,
    position INTEGER NOT NULL DEFAULT 0,
    added_at TEXT NOT NULL,
    deleted INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX evidence_report ON evidence(report_id, position);
CREATE TABLE collect_log (
    id INTEGER PRIMARY KEY,
    list_id INTEGER NOT NULL REFERENCES target_lists(id) ON DELETE CASCADE,
    month TEXT NOT NULL,
    unit TEXT,
    source_file TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    collected_at TEXT NOT NULL,
    summary_json TEXT NOT NULL
);
CREATE INDEX collect_log_month ON collect_log(list_id, month);
"""

# A month's cells for the tree (status, per cent; the row itself only for a report with neither) read from the
# index alone, in month order: 20,000 projects' month in ~12 ms instead of ~26 ms through reports_month, the
# reports' rows and the projects' primary key. Every "WHERE month = ?" query is served by its prefix.
V4 = """
CREATE INDEX reports_month_cells ON reports(month, deleted, project_id, status, percent);
DROP INDEX reports_month
"""

_OLD_OUTBOX_MARK = b"X-Minsheng-Projects:"


def _v3(conn: sqlite3.Connection) -> None:
    import json

    _script(V3)(conn)
    # Version 2 kept a queued message's project ids in a private first line of the stored .eml.
    for oid, blob in conn.execute("SELECT id, eml FROM outbox").fetchall():
        data = bytes(blob)
        if data.startswith(_OLD_OUTBOX_MARK):
            line, _, rest = data.partition(b"\r\n")
            ids = [x for x in line[len(_OLD_OUTBOX_MARK):].decode("ascii").strip().split(",") if x]
            conn.execute("UPDATE outbox SET eml = ?, project_ids_json = ? WHERE id = ?", (rest, json.dumps(ids), oid))


def _script(sql: str) -> Callable[[sqlite3.Connection], None]:
    def run(conn: sqlite3.Connection) -> None:
        for statement in sql.split(";"):
            if statement.strip():
                conn.execute(statement)

    return run


# MIGRATIONS[n] takes a database at version n-1 to version n.
MIGRATIONS: dict[int, Callable[[sqlite3.Connection], None]] = {
    1: _script(V1),
    2: _script(V2),
    3: _v3,
    4: _script(V4),
}
