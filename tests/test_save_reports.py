"""storage.reports.save_reports (the load path): the same rows and history as save_report one by one, with the
list's stored reports read at once — statements that do not grow with the reports that do not change — and
storage's row paths (save_list, bulk_insert, the outbox) never importing sqlite-utils (storage/db.py)."""

from __future__ import annotations

import sqlite3
import subprocess
import sys

import pytest

from minsheng_desktop.domain.model import ParsedList, ParsedProject, Report, Section
from minsheng_desktop.services.dump import dump, load
from minsheng_desktop.storage import repo
from minsheng_desktop.storage import reports as report_repo
from minsheng_desktop.storage.db import Database


def _list(db: Database, n: int) -> list[str]:
    parsed = ParsedList(year=2023, region="测试区", sections=(Section("一、区级民生实事", "区级民生实事"),),
                        projects=tuple(ParsedProject(section="区级民生实事", number=str(i), name=f"项目{i}",
                                                     lead_units=("区住房城乡建委",)) for i in range(1, n + 1)))
    list_id = repo.save_list(db, parsed, None, {})
    return [p.id for p in repo.load_projects(db, list_id)]


def _state(db: Database) -> list:
    """Every report row, indicator value and history row, without the row ids' and clocks' particulars."""
    reports = db.conn.execute("SELECT project_id, month, status, percent, investment_done_wan, progress, problems, "
                              "next_steps, submitted_on, updated_at, deleted FROM reports "
                              "ORDER BY project_id, month").fetchall()
    values = db.conn.execute("SELECT r.project_id, r.month, v.label, v.value FROM indicator_values v "
                             "JOIN reports r ON r.id = v.report_id ORDER BY 1, 2, 3").fetchall()
    history = db.conn.execute("SELECT r.project_id, r.month, h.field, h.old_value, h.new_value FROM report_history h "
                              "JOIN reports r ON r.id = h.report_id ORDER BY h.id").fetchall()
    return [reports, values, history]


STORED = [  # what the file holds before: a live report, a deleted one, one with indicator values
    Report("A", "2023-04", status="on_track", percent=30, progress="设计", updated_at="2023-04-30T10:00:00+08:00"),
    Report("A", "2023-05", status="lagging", percent=40, updated_at="2023-05-31T10:00:00+08:00"),
    Report("B", "2023-05", percent=50, indicator_actuals={"改造": 3.0}, updated_at="2023-05-30T10:00:00+08:00"),
]
INCOMING = [  # then loaded: unchanged, changed, revived, new, the same report twice, values changed
    Report("A", "2023-04", status="on_track", percent=30, progress="设计", updated_at="2023-04-30T10:00:00+08:00"),
    Report("A", "2023-05", status="lagging", percent=40, updated_at="2023-06-01T09:00:00+08:00"),
    Report("B", "2023-05", percent=50, indicator_actuals={"改造": 4.0}, updated_at="2023-06-02T09:00:00+08:00"),
    Report("B", "2023-06", status="done", percent=100, updated_at="2023-06-30T09:00:00+08:00"),
    Report("B", "2023-06", status="done", percent=100, updated_at="2023-06-30T09:00:00+08:00"),
    Report("B", "2023-06", status="done", percent=100, next_steps="验收", updated_at="2023-07-01T09:00:00+08:00"),
    Report("A", "2023-06", percent=60.0, updated_at=None),
]


def _prepared(path) -> tuple[Database, int, dict[str, str]]:
    db = Database(path)
    a, b = _list(db, 2)
    ids = {"A": a, "B": b}
    for r in STORED:
        report_repo.save_report(db, Report(ids[r.project_id], r.month, status=r.status, percent=r.percent,
                                           progress=r.progress, indicator_actuals=r.indicator_actuals,
                                           updated_at=r.updated_at), keep_timestamp=True)
    report_repo.delete_report(db, a, "2023-05")
    db.conn.execute("UPDATE reports SET updated_at = 'x' WHERE deleted = 1")  # the deletion's clock, made fixed
    db.conn.execute("UPDATE report_history SET changed_at = 'x'")
    return db, repo.select_list(db).id, ids


@pytest.mark.parametrize("keep_timestamp", [True, False])
def test_save_reports_writes_what_save_report_one_by_one_writes(tmp_path, monkeypatch, keep_timestamp) -> None:
    monkeypatch.setattr(report_repo, "now_iso", lambda: "2023-07-15T12:00:00+08:00")
    one, _, ids = _prepared(tmp_path / "one.db")
    many, list_id, ids_many = _prepared(tmp_path / "many.db")
    # The two files' project ids differ (new ids each import): map them the same way on both sides.
    changed_one = sum(report_repo.save_report(one, _as(r, ids), keep_timestamp=keep_timestamp) for r in INCOMING)
    changed_many = report_repo.save_reports(many, list_id, [_as(r, ids_many) for r in INCOMING],
                                            keep_timestamp=keep_timestamp)
    assert changed_one == changed_many == 5  # all but the unchanged report and the repeated one
    norm_one = _normalised(_state(one), ids)
    assert norm_one == _normalised(_state(many), ids_many)
    assert [row[2] for row in norm_one[2]][-4:] == ["status", "percent", "next_steps", "percent"]
    one.close()
    many.close()


def _as(r: Report, ids: dict[str, str]) -> Report:
    return Report(ids[r.project_id], r.month, status=r.status, percent=r.percent, progress=r.progress,
                  next_steps=r.next_steps, indicator_actuals=r.indicator_actuals, updated_at=r.updated_at)


def _normalised(state: list, ids: dict[str, str]) -> list:
    back = {v: k for k, v in ids.items()}
    reports, values, history = ([(back[row[0]], *row[1:]) for row in rows] for rows in state)
    return [sorted(reports), sorted(values), history]  # the history in the order it was written


def test_save_reports_fails_whole(tmp_path) -> None:
    """One transaction: a report that cannot be stored takes back the ones written before it."""
    db, list_id, ids = _prepared(tmp_path / "m.db")
    before = _state(db)
    with pytest.raises(sqlite3.IntegrityError):
        report_repo.save_reports(db, list_id, [Report(ids["A"], "2023-07", percent=10),
                                               Report(ids["B"], "2023-07", percent=200)])  # CHECK (percent <= 100)
    assert _state(db) == before and not db.conn.in_transaction
    db.close()


def _statements(db: Database, fn) -> int:  # type: ignore[no-untyped-def]
    seen: list[str] = []
    db.conn.set_trace_callback(seen.append)
    try:
        fn()
    finally:
        db.conn.set_trace_callback(None)
    return len(seen)


def test_loading_an_unchanged_dump_reads_the_reports_at_once(tmp_path) -> None:
    counts = []
    for n in (10, 40):
        db = Database(tmp_path / f"n{n}.db")
        ids = _list(db, n)
        report_repo.bulk_insert(db, [Report(pid, m, status="on_track", percent=50, indicator_actuals={"x": 1.0})
                                     for pid in ids for m in ("2023-05", "2023-06")])
        data = dump(db)
        counts.append(_statements(db, lambda: load(db, data)))
        db.close()
    assert counts[0] == counts[1], f"{counts[0]} statements for 20 reports, {counts[1]} for 80"


ROW_PATHS = """
import sys
from minsheng_desktop.domain.model import ParsedList, ParsedProject, Report, Section
from minsheng_desktop.storage import outbox, repo, reports
from minsheng_desktop.storage.db import Database
db = Database(sys.argv[1])
parsed = ParsedList(year=2024, region="测试区", sections=(Section("一、区级", "区级"),),
                    projects=(ParsedProject(section="区级", number="1", name="甲", lead_units=("区财政局",)),))
list_id = repo.save_list(db, parsed, None, {})
pid = repo.load_projects(db, list_id)[0].id
reports.bulk_insert(db, [Report(pid, "2024-05", percent=10, indicator_actuals={"x": 1.0})])
reports.save_reports(db, list_id, [Report(pid, "2024-06", percent=20)])
outbox.insert_outbox(db, list_id=list_id, month="2024-06", unit=None, recipient="a@b.cn", subject="s", eml=b"x",
                     error=None, project_ids=[pid])
outbox.outbox_rows(db, list_id)
outbox.record_sent(db, list_id=list_id, month="2024-06", unit=None, recipient="a@b.cn", subject="s", files=[],
                   project_ids=[pid])
outbox.sent_rows(db, list_id)
outbox.sent_months(db, list_id)
db.close()
print("sqlite_utils" in sys.modules)
"""


def test_row_writes_into_an_existing_file_do_not_import_sqlite_utils(tmp_path) -> None:
    """Importing a list into a file that exists (the clerk's usual case), loading, the outbox: rows in SQL."""
    path = tmp_path / "m.db"
    Database(path).close()  # the schema: that takes sqlite-utils (versions 2-4)
    out = subprocess.run([sys.executable, "-c", ROW_PATHS, str(path)], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "False"
