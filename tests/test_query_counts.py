"""No query inside a loop over projects: the statements a read issues do not grow with the number of projects."""

from __future__ import annotations

from contextlib import contextmanager

import pytest

from minsheng_desktop.domain.model import ParsedList, ParsedProject, Report, Section
from minsheng_desktop.services import dump, month_reports, projects_of, select_list
from minsheng_desktop.storage import repo
from minsheng_desktop.storage.db import Database
from minsheng_desktop.storage.reports import bulk_insert


def _db(tmp_path, n: int) -> Database:
    db = Database(tmp_path / f"n{n}.db")
    projects = []
    for i in range(1, n + 1):
        projects.append(ParsedProject(section="区级民生实事", number=str(i), name=f"项目{i}", investment_wan=10.0,
                                      target="改造老旧小区12个。", lead_units=(f"单位{i % 7}",),
                                      partner_units=(f"单位{(i + 1) % 7}",)))
    parsed = ParsedList(year=2023, region="测试区", sections=(Section("一、区级民生实事", "区级民生实事"),),
                        projects=tuple(projects))
    list_id = repo.save_list(db, parsed, None, {})
    ids = [p.id for p in repo.load_projects(db, list_id)]
    bulk_insert(db, [Report(pid, "2023-06", status="on_track", percent=50, indicator_actuals={"x": 1.0})
                     for pid in ids])
    return db


@contextmanager
def counting(db: Database):
    seen: list[str] = []
    db.conn.set_trace_callback(seen.append)
    try:
        yield seen
    finally:
        db.conn.set_trace_callback(None)


READS = {
    "projects_of": lambda db, t: projects_of(db, t.id),
    "month_reports": lambda db, t: month_reports(db, t.id, "2023-06"),
    "dump": lambda db, t: dump(db),
    "collect_month": lambda db, t: __import__("minsheng_desktop.exporters", fromlist=["collect_month"])
    .collect_month(db, t, "2023-06"),
    "month_overview": lambda db, t: __import__("minsheng_desktop.workbench", fromlist=["x"])
    .month_overview(db, t, "2023-06", None, __import__("datetime").date(2023, 6, 15),
                    __import__("minsheng_desktop.workbench", fromlist=["x"]).work_calendar(db)),
}


@pytest.mark.parametrize("name", sorted(READS))
def test_statements_do_not_grow_with_projects(tmp_path, name) -> None:
    counts = []
    for n in (20, 80):
        db = _db(tmp_path, n)
        t = select_list(db)
        with counting(db) as seen:
            READS[name](db, t)
        counts.append(len(seen))
        db.close()
    assert counts[0] == counts[1], f"{name}: {counts[0]} statements for 20 projects, {counts[1]} for 80"
