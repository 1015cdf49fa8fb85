"""Schema versions: one migration step per version, each run in its own transaction (PRAGMA user_version).

A step takes the connection, inside the transaction ``Database.migrate`` opened with foreign keys off. Version 1
is SQL: its tables carry CHECK constraints and table-level UNIQUE constraints, which sqlite-utils' public API
cannot declare. Later steps say what sqlite-utils can say through it (tables with their keys, NOT NULL and
defaults, added columns, indexes; a covering index is an ordinary one) — the columns, keys, defaults and indexes
are the same as the SQL they replaced wrote (tests/test_migrations.py compares a new file with files the released
versions wrote). A future step that changes a table rebuilds it with ``table.transform()`` (types, renames,
dropped columns, keys); one that needs a CHECK, a trigger or a partial index writes that as SQL.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable

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


def over_connection(conn: sqlite3.Connection):  # type: ignore[no-untyped-def]
    """A sqlite-utils Database over this very connection (same transaction), without its start-up extras:
    no plugins, and recursive_triggers left as SQLite's default (off), as the program always had it."""
    import sqlite_utils  # deferred: ~100 ms, opening a file to read never needs it (db.py's docstring)

    return sqlite_utils.Database(conn, recursive_triggers=False, execute_plugins=False)


def _v1(conn: sqlite3.Connection) -> None:
    for statement in V1.split(";"):
        if statement.strip():
            conn.execute(statement)


def _references(table: str, column: str, other: str, on_delete: str):  # type: ignore[no-untyped-def]
    from sqlite_utils.db import ForeignKey  # deferred: sqlite-utils, see db.py's docstring

    return ForeignKey(table, column, other, "id", on_delete=on_delete)


def _v2(conn: sqlite3.Connection) -> None:
    """The mail side (issue 5): the outbox and the sent log."""
    db = over_connection(conn)
    db["outbox"].create(
        {"id": int, "list_id": int, "month": str, "unit": str, "recipient": str, "subject": str, "eml": bytes,
         "created_at": str, "last_error": str, "attempts": int},
        pk="id", not_null={"month", "recipient", "subject", "eml", "created_at", "attempts"},
        defaults={"attempts": 0}, foreign_keys=[_references("outbox", "list_id", "target_lists", "CASCADE")],
    )
    db["sent_log"].create(
        {"id": int, "list_id": int, "month": str, "unit": str, "sent_at": str, "recipient": str, "subject": str,
         "files_json": str},
        pk="id", not_null={"month", "sent_at", "recipient", "subject", "files_json"},
        foreign_keys=[_references("sent_log", "list_id", "target_lists", "SET NULL")],
    )


_OLD_OUTBOX_MARK = b"X-Minsheng-Projects:"


def _v3(conn: sqlite3.Connection) -> None:
    """Which projects a queued or sent message covers; evidence (佐证材料) stored in the database so that every
    backup carries it; the log of units' reports collected by the 发展改革委."""
    db = over_connection(conn)
    db["outbox"].add_column("project_ids_json", str, not_null_default="[]")
    db["sent_log"].add_column("project_ids_json", str, not_null_default="[]")
    db["evidence_files"].create(
        {"sha256": str, "mime": str, "size": int, "width": int, "height": int, "data": bytes, "thumb": bytes,
         "added_at": str},
        pk="sha256", not_null={"mime", "size", "data", "added_at"},
    )
    db["evidence"].create(
        {"id": int, "report_id": int, "sha256": str, "filename": str, "caption": str, "position": int,
         "added_at": str, "deleted": int},
        pk="id", not_null={"report_id", "sha256", "filename", "position", "added_at", "deleted"},
        defaults={"position": 0, "deleted": 0},
        foreign_keys=[_references("evidence", "report_id", "reports", "CASCADE"),
                      ("sha256", "evidence_files", "sha256")],
    )
    db["evidence"].create_index(["report_id", "position"], index_name="evidence_report")
    db["collect_log"].create(
        {"id": int, "list_id": int, "month": str, "unit": str, "source_file": str, "sha256": str,
         "collected_at": str, "summary_json": str},
        pk="id", not_null={"list_id", "month", "source_file", "sha256", "collected_at", "summary_json"},
        foreign_keys=[_references("collect_log", "list_id", "target_lists", "CASCADE")],
    )
    db["collect_log"].create_index(["list_id", "month"], index_name="collect_log_month")
    # Version 2 kept a queued message's project ids in a private first line of the stored .eml.
    for row in list(db["outbox"].rows_where(select="id, eml")):
        data = bytes(row["eml"])
        if data.startswith(_OLD_OUTBOX_MARK):
            line, _, rest = data.partition(b"\r\n")
            ids = [x for x in line[len(_OLD_OUTBOX_MARK):].decode("ascii").strip().split(",") if x]
            db["outbox"].update(row["id"], {"eml": rest, "project_ids_json": json.dumps(ids)})


def _v4(conn: sqlite3.Connection) -> None:
    """A month's cells for the tree (status, per cent; the row itself only for a report with neither) read from
    the index alone, in month order: 20,000 projects' month in ~12 ms instead of ~26 ms through reports_month,
    the reports' rows and the projects' primary key. Every "WHERE month = ?" query is served by its prefix."""
    reports = over_connection(conn)["reports"]
    reports.create_index(["month", "deleted", "project_id", "status", "percent"], index_name="reports_month_cells")
    reports.drop_index("reports_month")


def _v5(conn: sqlite3.Connection) -> None:
    """The projects' 实施方案 (issue 17): one row of 责任人 / phone / 工作措施 per project, and its monthly nodes.
    Keyed by the project's id, which a re-import keeps and a withdrawal leaves in place; gone with the project."""
    from sqlite_utils.db import ForeignKey  # deferred: sqlite-utils, see db.py's docstring

    db = over_connection(conn)
    db["plans"].create(
        {"project_id": str, "responsible": str, "phone": str, "measures": str, "updated_at": str},
        pk="project_id", not_null={"updated_at"},
        foreign_keys=[_references("plans", "project_id", "projects", "CASCADE")],
    )
    db["plan_milestones"].create(
        {"project_id": str, "month": str, "text": str, "percent": float},
        pk=("project_id", "month"), not_null={"project_id", "month"},
        foreign_keys=[ForeignKey("plan_milestones", "project_id", "plans", "project_id", on_delete="CASCADE")],
    )


def _v6(conn: sqlite3.Connection) -> None:
    """The units' address book (issue 18, table unit_contacts; table units is the list's units of v1): one row per unit, by its name as the list writes it; and the reminders
    (催报) written or sent, so that a second run the same day does not send again."""
    db = over_connection(conn)
    db["unit_contacts"].create(
        {"name": str, "contact": str, "phone": str, "email": str, "source": str, "updated_at": str},
        pk="name", not_null={"source", "updated_at"},
    )
    db["remind_log"].create(
        {"id": int, "list_id": int, "month": str, "unit": str, "recipient": str, "how": str, "day": str, "at": str},
        pk="id", not_null={"list_id", "month", "unit", "recipient", "how", "day", "at"},
        foreign_keys=[_references("remind_log", "list_id", "target_lists", "CASCADE")],
    )
    db["remind_log"].create_index(["list_id", "month", "day"], index_name="remind_log_day")


def _v7(conn: sqlite3.Connection) -> None:
    """The returns taken from the mailbox (issue 18): one row per attachment of a message taken, by the message's
    Message-ID and the attachment's sha256, so that each message is taken once. Junk, replies without attachments
    and files for another month are not rows: they are listed again on the next run, never lost."""
    db = over_connection(conn)
    db["mail_taken"].create(
        {"id": int, "message_id": str, "sha256": str, "list_id": int, "month": str, "from_addr": str, "unit": str,
         "subject": str, "taken_at": str},
        pk="id", not_null={"message_id", "sha256", "list_id", "month", "taken_at"},
        foreign_keys=[_references("mail_taken", "list_id", "target_lists", "CASCADE")],
    )
    db["mail_taken"].create_index(["message_id", "sha256"], index_name="mail_taken_message", unique=True)


def _v8(conn: sqlite3.Connection) -> None:
    """The clerk's answer to "本月节点是否完成？" (issue 17) with the month's report: 1 已完成, 0 未完成, NULL 未答."""
    over_connection(conn)["reports"].add_column("node_met", int)


# MIGRATIONS[n] takes a database at version n-1 to version n.
MIGRATIONS: dict[int, Callable[[sqlite3.Connection], None]] = {
    1: _v1,
    2: _v2,
    3: _v3,
    4: _v4,
    5: _v5,
    6: _v6,
    7: _v7,
    8: _v8,
}

LATEST_VERSION = max(MIGRATIONS)
