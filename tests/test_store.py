"""The store: pragmas, schema version and migrations, refusing newer files, all-or-nothing writes."""

from __future__ import annotations

import sqlite3

import pytest

from minsheng_desktop.domain.model import Report
from minsheng_desktop.services import import_file, projects_of, select_list
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


def test_migrates_from_every_earlier_version_with_data(tmp_path) -> None:
    for start in range(1, LATEST_VERSION):
        path = tmp_path / f"v{start}.db"
        conn = sqlite3.connect(path, isolation_level=None)
        for v in range(1, start + 1):
            MIGRATIONS[v](conn)
        conn.execute(f"PRAGMA user_version = {start}")
        conn.close()
        d = Database(path)
        import_file(d, FIXTURES / "004_chengkou_2023_list.xlsx")
        pid = projects_of(d, select_list(d).id)[0].id
        report_repo.save_report(d, Report(pid, "2023-05", status="on_track", percent=40))
        d.close()
        # reopen at the older version, then upgrade: data survives
        conn = sqlite3.connect(path)
        conn.execute(f"PRAGMA user_version = {start}")
        for table in ("outbox", "sent_log"):
            conn.execute(f"DROP TABLE IF EXISTS {table}")
        conn.commit()
        conn.close()
        d = Database(path)
        assert d.version == LATEST_VERSION
        assert report_repo.get_report(d, pid, "2023-05").percent == 40
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
