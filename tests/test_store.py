"""The store: pragmas, schema version and migrations, refusing newer files, all-or-nothing writes."""

from __future__ import annotations

import sqlite3

import pytest

from minsheng_desktop.domain.model import Report
from minsheng_desktop.services.importing import import_file
from minsheng_desktop.services.reports import projects_of
from minsheng_desktop.services.database import select_list
from minsheng_desktop.storage import reports as report_repo
from minsheng_desktop.storage.db import Database, NewerDatabaseError, StoreError
from minsheng_desktop.storage.schema import LATEST_VERSION, MIGRATIONS

from .conftest import FIXTURES


def test_pragmas_and_version(db: Database) -> None:
    c = db.conn
    assert c.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert c.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert c.execute("PRAGMA user_version").fetchone()[0] == LATEST_VERSION
    assert set(db.db.table_names()) >= {"target_lists", "sections", "projects", "units", "project_units",
                                        "indicators", "reports", "indicator_values", "report_history",
                                        "import_log", "settings", "outbox", "sent_log"}


def test_foreign_keys_enforced(db: Database) -> None:
    with pytest.raises(sqlite3.IntegrityError):
        with db.transaction() as conn:
            conn.execute("INSERT INTO reports (project_id, month) VALUES ('nope', '2023-05')")


def _v1_data(conn: sqlite3.Connection) -> None:
    """Rows as a version-1 program wrote them, through v1's tables only."""
    conn.execute("INSERT INTO target_lists (id, year, region, imported_at) VALUES (1, 2023, '城口县', 'x')")
    conn.execute("INSERT INTO projects (id, list_id, position, number, name, created_at, updated_at) "
                 "VALUES ('p-1', 1, 0, '1', '城镇老旧小区改造', 'x', 'x')")
    conn.execute("INSERT INTO reports (id, project_id, month, percent, progress) VALUES (1, 'p-1', '2023-05', 40, '开工')")
    conn.execute("INSERT INTO indicator_values (report_id, label, value) VALUES (1, '老旧小区', 3)")


def test_migrates_from_every_earlier_version_with_data(tmp_path) -> None:
    for start in range(1, LATEST_VERSION):
        path = tmp_path / f"v{start}.db"
        conn = sqlite3.connect(path, isolation_level=None)
        conn.execute("PRAGMA foreign_keys = ON")
        for v in range(1, start + 1):
            MIGRATIONS[v](conn)
        _v1_data(conn)
        if start == 2:  # v2 kept a queued message's project ids in a private first line of the .eml
            conn.execute("INSERT INTO outbox (month, recipient, subject, eml, created_at) VALUES "
                         "('2023-05', 'a@b.cn', 's', ?, 'x')", (b"X-Minsheng-Projects: p-1\r\nFrom: a\r\n\r\nhi",))
        conn.execute(f"PRAGMA user_version = {start}")
        conn.close()
        d = Database(path)
        assert d.version == LATEST_VERSION
        got = report_repo.get_report(d, "p-1", "2023-05")
        assert got.percent == 40 and got.indicator_actuals == {"老旧小区": 3.0}
        assert projects_of(d, 1)[0].name == "城镇老旧小区改造"
        if start == 2:
            eml, ids = d.conn.execute("SELECT eml, project_ids_json FROM outbox").fetchone()
            assert bytes(eml).startswith(b"From: a") and ids == '["p-1"]'
        assert d.conn.execute("PRAGMA foreign_key_check").fetchall() == []
        d.close()


def test_newer_database_refused_and_untouched(tmp_path) -> None:
    path = tmp_path / "new.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE x (a)")
    conn.execute(f"PRAGMA user_version = {LATEST_VERSION + 1}")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(NewerDatabaseError, match="更新版本"):
        Database(path)
    assert path.read_bytes() == before


def test_garbage_file_is_reported(tmp_path) -> None:
    path = tmp_path / "junk.db"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="损坏"):
        Database(path)


def test_transaction_is_all_or_nothing(db: Database) -> None:
    import_file(db, FIXTURES / "004_chengkou_2023_list.xlsx")
    n = db.conn.execute("SELECT COUNT(*) FROM projects").fetchone()[0]
    with pytest.raises(RuntimeError):
        with db.transaction() as conn:
            conn.execute("UPDATE projects SET name = 'x'")
            raise RuntimeError("power cut")
    assert db.conn.execute("SELECT COUNT(*) FROM projects WHERE name = 'x'").fetchone()[0] == 0
    assert db.conn.execute("SELECT COUNT(*) FROM projects").fetchone()[0] == n


def test_report_history_and_soft_delete(db: Database) -> None:
    import_file(db, FIXTURES / "004_chengkou_2023_list.xlsx")
    pid = projects_of(db, select_list(db).id)[0].id
    assert report_repo.save_report(db, Report(pid, "2023-05", percent=10, progress="开工"))
    assert not report_repo.save_report(db, Report(pid, "2023-05", percent=10, progress="开工"))
    assert report_repo.save_report(db, Report(pid, "2023-05", percent=20, progress="开工",
                                              indicator_actuals={"老旧小区": 2}))
    hist = report_repo.report_history(db, pid)
    assert ("percent", "10", "20") in [(h["field"], h["old_value"], h["new_value"]) for h in hist]
    assert any(h["field"] == "indicator_actuals" for h in hist)
    assert report_repo.delete_report(db, pid, "2023-05")
    assert report_repo.get_report(db, pid, "2023-05") is None
    assert report_repo.restore_report(db, pid, "2023-05")
    assert report_repo.get_report(db, pid, "2023-05").indicator_actuals == {"老旧小区": 2.0}


def test_percent_out_of_range_rejected_by_schema(db: Database) -> None:
    import_file(db, FIXTURES / "004_chengkou_2023_list.xlsx")
    pid = projects_of(db, select_list(db).id)[0].id
    with pytest.raises(sqlite3.IntegrityError):
        report_repo.save_report(db, Report(pid, "2023-05", percent=120))
    assert report_repo.get_report(db, pid, "2023-05") is None
