"""Backups, restore with the current file set aside, checks that say in words what is wrong."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest

from minsheng_desktop.services.backup import check_database, daily_backup, list_backups, newest_good_backup
from minsheng_desktop.cli import main
from minsheng_desktop.services.dump import dump
from minsheng_desktop.services.importing import import_file
from minsheng_desktop.services.database import open_database
from minsheng_desktop.storage.db import Database, DamagedDatabaseError

from .conftest import FIXTURES


def test_backup_before_import_and_daily(db) -> None:
    import_file(db, FIXTURES / "004_chengkou_2023_list.xlsx")
    assert list_backups(db.path) == []  # nothing to lose before the first import
    import_file(db, FIXTURES / "004_chengkou_2023_list.xlsx")
    assert len(list_backups(db.path)) == 1
    assert daily_backup(db, dt.date(2023, 5, 1)) is not None
    assert daily_backup(db, dt.date(2023, 5, 1)) is None
    assert daily_backup(db, dt.date(2023, 5, 2)) is not None
    assert len(list_backups(db.path)) == 3


def test_backup_keeps_last_n(db) -> None:
    from minsheng_desktop.services.backup import auto_backup
    from minsheng_desktop.storage.repo import set_setting

    import_file(db, FIXTURES / "004_chengkou_2023_list.xlsx")
    set_setting(db, "backup_keep", "3")
    for _ in range(6):
        auto_backup(db, "test")
    assert len(list_backups(db.path)) == 3


def test_cli_backup_restore_check(db_path, tmp_path, capsys) -> None:
    assert main(["--db", str(db_path), "import-targets", str(FIXTURES / "004_chengkou_2023_list.xlsx")]) == 0
    bk = tmp_path / "copy.db"
    assert main(["--db", str(db_path), "backup", "--out", str(bk)]) == 0
    assert main(["--db", str(db_path), "backup", "--out", str(bk)]) == 2  # refuses to overwrite
    assert main(["--db", str(db_path), "import-targets", str(FIXTURES / "000_wulong_2023_list.xlsx")]) == 0
    capsys.readouterr()
    assert main(["--db", str(db_path), "restore", str(bk)]) == 0
    out = capsys.readouterr().out
    assert "另存为" in out
    aside = next(tmp_path.glob("minsheng-before-restore-*.db"))
    with Database(db_path) as d:
        assert [t["region"] for t in dump(d)["target_lists"]] == ["城口县"]
    with Database(aside) as d:
        assert len(dump(d)["target_lists"]) == 2
    assert main(["--db", str(db_path), "check"]) == 0
    assert "检查通过" in capsys.readouterr().out


def _damage(path, how: str) -> None:
    data = bytearray(path.read_bytes())
    if how == "truncated":
        path.write_bytes(bytes(data[: len(data) // 3]))
    elif how == "garbage":
        path.write_bytes(b"\x00garbage" * 4096)
    elif how == "page":
        page = 4096
        data[page * 3: page * 4] = b"\xff" * page
        path.write_bytes(bytes(data))


@pytest.mark.parametrize("how", ["truncated", "garbage", "page"])
def test_damaged_database_detected_and_good_backup_offered(tmp_path, how) -> None:
    path = tmp_path / "m.db"
    with Database(path) as d:
        import_file(d, FIXTURES / "000_wulong_2023_notice.docx")
        import_file(d, FIXTURES / "004_chengkou_2023_notice.docx")  # leaves a backup of the first state
        d.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    _damage(path, how)
    damaged = path.read_bytes()
    problems = check_database(path)
    if not problems:  # the overwritten page was free space: opening must still work
        assert how == "page"
        return
    assert all(isinstance(p, str) and p for p in problems)
    good = newest_good_backup(path)
    assert good is not None and check_database(good) == []
    assert path.read_bytes() == damaged  # nothing overwritten without asking


def test_open_garbage_raises_damaged(tmp_path) -> None:
    path = tmp_path / "m.db"
    path.write_bytes(b"\x00garbage" * 4096)
    with pytest.raises(DamagedDatabaseError):
        open_database(path)


def test_cli_check_reports_in_words(tmp_path, capsys) -> None:
    path = tmp_path / "m.db"
    path.write_bytes(b"\x00garbage" * 4096)
    assert main(["--db", str(path), "check"]) == 2
    assert "损坏" in capsys.readouterr().out


def test_migration_makes_a_backup(tmp_path) -> None:
    path = tmp_path / "old.db"
    from minsheng_desktop.storage.schema import MIGRATIONS

    conn = sqlite3.connect(path, isolation_level=None)
    MIGRATIONS[1](conn)
    conn.execute("PRAGMA user_version = 1")
    conn.close()
    Database(path).close()
    assert any("before-migration-v1" in p.name for p in list_backups(path))
