"""Files the released versions wrote (tests/fixtures/databases/vN.sql) open, migrate and keep their data; the
migrated shape is exactly a new file's; a step that rebuilds a table keeps the rows that refer to it."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

import pytest

from minsheng_desktop.domain.model import Report
from minsheng_desktop.services.database import select_list
from minsheng_desktop.services.reports import projects_of
from minsheng_desktop.storage import db as db_module
from minsheng_desktop.storage import plans as plan_repo
from minsheng_desktop.storage import reports as report_repo
from minsheng_desktop.storage import units as unit_rows
from minsheng_desktop.storage.mail_taken import taken_message_ids
from minsheng_desktop.storage.db import Database, MigrationError
from minsheng_desktop.storage.schema import LATEST_VERSION, MIGRATIONS, over_connection

OLD = Path(__file__).parent / "fixtures" / "databases"
VERSIONS = sorted(int(p.stem[1:]) for p in OLD.glob("v*.sql"))


def old_file(tmp_path: Path, version: int) -> Path:
    path = tmp_path / f"v{version}.db"
    conn = sqlite3.connect(path)
    conn.executescript((OLD / f"v{version}.sql").read_text(encoding="utf-8"))
    conn.close()
    return path


def shape(conn: sqlite3.Connection) -> dict[str, object]:
    """Everything SQLite enforces or looks up by, per table: columns (type, NOT NULL, default, key), foreign keys
    with their actions, indexes (unique, partial, columns) and CHECK clauses — not the spelling of the DDL."""
    out: dict[str, object] = {}
    tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                         "AND name NOT LIKE 'sqlite_%' ORDER BY name")]
    for t in tables:
        sql = conn.execute("SELECT sql FROM sqlite_master WHERE name = ?", (t,)).fetchone()[0]
        indexes = []
        for _, name, unique, origin, partial in conn.execute(f"PRAGMA index_list('{t}')"):
            cols = [r[2] for r in conn.execute(f"PRAGMA index_xinfo('{name}')") if r[5]]
            indexes.append((name if origin == "c" else origin, unique, partial, cols))
        out[t] = {
            "columns": conn.execute(f"PRAGMA table_xinfo('{t}')").fetchall(),
            "foreign_keys": sorted(r[2:] for r in conn.execute(f"PRAGMA foreign_key_list('{t}')")),
            "indexes": sorted(indexes, key=repr),
            "checks": re.findall(r"CHECK \((.*)\)", sql),
        }
    return out


def test_there_is_a_file_of_every_released_version() -> None:
    assert VERSIONS == list(range(1, LATEST_VERSION + 1))


@pytest.mark.parametrize("version", VERSIONS)
def test_an_old_file_opens_with_its_data_and_the_shape_of_a_new_one(tmp_path, version) -> None:
    new = Database(tmp_path / "new.db")
    with Database(old_file(tmp_path, version)) as d:
        assert d.version == LATEST_VERSION
        assert d.conn.execute("PRAGMA user_version").fetchone()[0] == LATEST_VERSION
        assert d.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert d.conn.execute("PRAGMA foreign_key_check").fetchall() == []
        assert shape(d.conn) == shape(new.conn)
        tl = select_list(d)
        assert (tl.year, tl.region, tl.report_due.day) == (2023, "城口县", 5)
        p1, p2, p3 = projects_of(d, tl.id)
        assert (p1.name, p1.investment_wan, p1.lead_units, p1.partner_units) == \
            ("城镇老旧小区改造", 1200.5, ("县住房城乡建委",), ("县财政局",))
        assert p1.indicators[0].comparator == ">=" and p3.parent_id == p2.id and not p2.is_leaf
        got = report_repo.get_report(d, "p-1", "2023-05")
        assert (got.status, got.percent, got.indicator_actuals) == ("on_track", 40, {"老旧小区": 1.0})
        assert [h["new_value"] for h in report_repo.report_history(d, "p-1")] == ["40"]
        if version >= 2:
            eml, ids = d.conn.execute("SELECT eml, project_ids_json FROM outbox").fetchone()
            assert bytes(eml) == b"From: a\r\n\r\nhi" and json.loads(ids) == ["p-1", "p-3"]
        if version >= 5:  # the 实施方案 (issue 17) keeps its nodes
            plan = plan_repo.get_plan(d, "p-1")
            assert plan is not None and plan.responsible == "张三"
            assert [(str(m.month), m.text, m.percent) for m in plan.milestones] == [("2023-05", "完成招标并开工", 40)]
        if version >= 6:  # the units' address book and the reminders log (issue 18)
            assert [(u.name, u.email, u.source) for u in unit_rows.list_units(d)] == [
                ("县住房城乡建委", "zj@ck.example.gov.cn", "file")]
            assert unit_rows.reminded(d, 1, "2023-05", "2023-06-06", "eml") == {"县住房城乡建委"}
        if version >= 7:  # the returns taken from the mailbox (issue 18): each message once
            assert taken_message_ids(d) == {"<r-2023-05@jw.example.gov.cn>": "2023-05"}
        if version >= 8:  # the answer to 本月节点是否完成？ (issue 17) kept; older files have none
            assert got.node_met is True
        else:
            assert got.node_met is None
        # and it takes new writes as a new file does
        assert report_repo.save_report(d, Report("p-3", "2023-06", percent=10))
    new.close()


def test_a_current_file_opens_unchanged(tmp_path) -> None:
    path = old_file(tmp_path, LATEST_VERSION)
    before = sqlite3.connect(path)
    schema = before.execute("SELECT * FROM sqlite_master ORDER BY name").fetchall()
    before.close()
    with Database(path) as d:
        assert d.conn.execute("SELECT * FROM sqlite_master ORDER BY name").fetchall() == schema
    assert not (tmp_path / "backups").exists() and not list(tmp_path.glob("**/*before-migration*"))


def _with_step(monkeypatch, step) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setitem(MIGRATIONS, LATEST_VERSION + 1, step)
    monkeypatch.setattr(db_module, "LATEST_VERSION", LATEST_VERSION + 1)


def test_a_step_that_rebuilds_a_referenced_table_keeps_the_rows_referring_to_it(tmp_path, monkeypatch) -> None:
    """projects is referred to with ON DELETE CASCADE (reports, units, indicators): transform() drops and recreates
    it, which with foreign keys on would delete every report. migrate() runs steps with them off."""
    path = old_file(tmp_path, LATEST_VERSION)

    def rename_note(conn: sqlite3.Connection) -> None:
        over_connection(conn)["projects"].transform(rename={"note": "remark"})

    _with_step(monkeypatch, rename_note)
    with Database(path) as d:
        assert d.version == LATEST_VERSION + 1
        assert "remark" in {r[1] for r in d.conn.execute("PRAGMA table_info(projects)")}
        assert d.conn.execute("SELECT COUNT(*) FROM reports").fetchone()[0] == 2
        assert d.conn.execute("SELECT COUNT(*) FROM project_units").fetchone()[0] == 2
        assert d.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_a_step_leaving_a_broken_reference_is_undone(tmp_path, monkeypatch) -> None:
    path = old_file(tmp_path, LATEST_VERSION)

    def orphan(conn: sqlite3.Connection) -> None:
        conn.execute("UPDATE reports SET project_id = 'gone' WHERE id = 1")

    _with_step(monkeypatch, orphan)
    with pytest.raises(MigrationError, match="数据版本"):
        Database(path)
    monkeypatch.undo()
    with Database(path) as d:
        assert d.version == LATEST_VERSION
        assert d.conn.execute("SELECT project_id FROM reports WHERE id = 1").fetchone()[0] == "p-1"
