"""storage/'s bulk writes join the caller's transaction and keep what a re-import must keep, and the window's paths
(open, read, save a report) never import sqlite-utils (~110 ms; it declares the schema only: storage/db.py)."""

from __future__ import annotations

import sqlite3
import subprocess
import sys

import pytest

from minsheng_desktop.domain.model import ParsedList, ParsedProject, Report, Section
from minsheng_desktop.domain.reconcile import ReconcilePlan
from minsheng_desktop.storage import repo
from minsheng_desktop.storage import reports as report_repo
from minsheng_desktop.storage.db import Database


def _parsed(names: list[str]) -> ParsedList:
    return ParsedList(year=2023, region="测试区", sections=(Section("一、区级民生实事", "区级民生实事"),),
                      projects=tuple(ParsedProject(section="区级民生实事", number=str(i), name=n,
                                                   lead_units=("区住房城乡建委",), partner_units=("区财政局", "区民政局"))
                                     for i, n in enumerate(names, 1)))


def test_a_second_import_keeps_ids_creation_times_and_replaces_units(db: Database) -> None:
    list_id = repo.save_list(db, _parsed(["甲", "乙"]), None, {})
    first = repo.load_projects(db, list_id)
    db.conn.execute("UPDATE projects SET created_at = '2020-01-01T00:00:00+08:00'")
    plan = ReconcilePlan(matches=[first[0].id, None], removed=[first[1]])
    again = _parsed(["甲（调整）", "丙"])
    assert repo.save_list(db, again, plan, {"again": True}) == list_id
    kept, added, gone = repo.load_projects(db, list_id)
    assert (kept.id, kept.name, kept.withdrawn) == (first[0].id, "甲（调整）", False)
    assert kept.partner_units == ("区财政局", "区民政局") and added.name == "丙" and gone.withdrawn
    created = dict(db.conn.execute("SELECT id, created_at FROM projects"))
    assert created[kept.id] == "2020-01-01T00:00:00+08:00" and created[added.id] != created[kept.id]
    assert db.conn.execute("SELECT COUNT(*) FROM project_units").fetchone()[0] == 9  # 3 projects × 3 units
    assert db.conn.execute("SELECT COUNT(*) FROM units").fetchone()[0] == 3
    assert [h["summary"] for h in repo.import_history(db, list_id)] == [{}, {"again": True}]


def test_a_failing_save_list_leaves_nothing(db: Database, monkeypatch) -> None:
    """The bulk inserts run inside save_list's transaction: a failure after them takes them back too."""
    monkeypatch.setattr(repo, "new_project_id", lambda: "p-fixed")  # two projects, one id: the second insert fails
    with pytest.raises(sqlite3.IntegrityError):
        repo.save_list(db, _parsed(["甲", "乙"]), None, {})
    monkeypatch.undo()
    assert [db.conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
            for t in ("target_lists", "sections", "projects", "units", "import_log")] == [0, 0, 0, 0, 0]
    assert not db.conn.in_transaction


def test_bulk_insert_leaves_existing_reports_alone(db: Database) -> None:
    list_id = repo.save_list(db, _parsed(["甲", "乙"]), None, {})
    a, b = (p.id for p in repo.load_projects(db, list_id))
    assert report_repo.save_report(db, Report(a, "2023-05", percent=10, indicator_actuals={"x": 1.0}))
    n = report_repo.bulk_insert(db, [Report(a, "2023-05", percent=99, indicator_actuals={"x": 9.0}),
                                     Report(b, "2023-05", status="done", percent=100, indicator_actuals={"y": 2.0})])
    assert n == 1
    got = {r.project_id: r for r in report_repo.reports_for_list(db, list_id, "2023-05")}
    assert (got[a].percent, got[a].indicator_actuals) == (10, {"x": 1.0})
    assert (got[b].status, got[b].percent, got[b].indicator_actuals) == ("done", 100, {"y": 2.0})


WINDOW_PATHS = """
import sys
from minsheng_desktop.domain.model import Report
from minsheng_desktop.storage import repo, reports
from minsheng_desktop.storage.db import Database
db = Database(sys.argv[1])
lists = repo.list_target_lists(db)
projects = repo.load_projects(db, lists[0].id)
reports.reports_for_list(db, lists[0].id, "2023-05")
repo.get_setting(db, "reporter_unit")
reports.save_report(db, Report(projects[0].id, "2023-05", percent=30))
reports.report_history(db, projects[0].id)
db.close()
print("sqlite_utils" in sys.modules)
"""


def test_opening_reading_and_saving_a_report_do_not_import_sqlite_utils(tmp_path) -> None:
    path = tmp_path / "m.db"
    with Database(path) as d:
        repo.save_list(d, _parsed(["甲"]), None, {})
    out = subprocess.run([sys.executable, "-c", WINDOW_PATHS, str(path)], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "False"
