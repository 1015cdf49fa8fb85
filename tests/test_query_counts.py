"""No query inside a loop over projects: the statements a read issues do not grow with the number of projects."""

from __future__ import annotations

from contextlib import contextmanager

import pytest

from minsheng_desktop.domain.model import ParsedList, ParsedProject, Report, Section
from minsheng_desktop.services.dump import dump
from minsheng_desktop.services.reports import month_reports, projects_of
from minsheng_desktop.services.database import select_list
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
    "collect_month": lambda db, t: __import__("minsheng_desktop.services.month_data", fromlist=["collect_month"])
    .collect_month(db, t, "2023-06"),
    "month_overview": lambda db, t: __import__("minsheng_desktop.services.month", fromlist=["x"])
    .month_overview(db, t, "2023-06", None, __import__("datetime").date(2023, 6, 15),
                    __import__("minsheng_desktop.services.holidays", fromlist=["x"]).work_calendar(db)),
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


def test_window_target_lists_are_the_repo_lists(tmp_path) -> None:
    """list_index.target_lists (the window's start-up read) gives exactly repo.list_target_lists, in order,
    with contacts, reporting rules and sections; two statements whatever the number of lists."""
    from minsheng_desktop.domain.model import Contact, ReportDue
    from minsheng_desktop.storage import list_index

    db = _db(tmp_path, 5)
    for year, region, contact, due in ((2024, "甲区", Contact("区发展改革委", "张三", None, None), None),
                                       (2022, "乙区", None, ReportDue("next_month_day", 10, "次月10日前")),
                                       (2024, "丙区", Contact(email="a@b.cn"), ReportDue("month_end"))):
        sections = (Section("一、市级", "市级"), Section("二、区级", "区级", "区级", 12.5, 3, 4))
        projects = (ParsedProject(section="区级", number="1", name="项目"),)
        repo.save_list(db, ParsedList(year=year, region=region, contact=contact, report_due=due,
                                      sections=sections, projects=projects), None, {})
    repo.save_list(db, ParsedList(year=2021, region="无节区"), None, {})
    with counting(db) as seen:
        got = list_index.target_lists(db)
    want = repo.list_target_lists(db)
    assert got == want and [repr(t) for t in got] == [repr(t) for t in want]
    assert len(got) == 5 and len(seen) == 2
    db.close()


def test_month_cells_from_the_index_equal_the_join(tmp_path) -> None:
    """month_cells given the list's project ids (read from reports_month_cells alone, filtered in Python) gives
    exactly the join's cells — with another list reporting in the same month, a deleted report, a blank one and
    one with only an indicator value — and the plan reads the covering index, not the reports' rows."""
    from minsheng_desktop.storage import month_cells

    db = _db(tmp_path, 12)
    own = select_list(db).id
    other = repo.save_list(db, ParsedList(year=2023, region="邻区", projects=(
        ParsedProject(section=None, number="1", name="邻区项目"),)), None, {})
    ids = [p.id for p in repo.load_projects(db, own)]
    bulk_insert(db, [Report(ids[0], "2023-07", status="done", percent=100),
                     Report(ids[1], "2023-07", progress="　"),
                     Report(ids[2], "2023-07", indicator_actuals={"x": 2.0}),
                     Report(ids[3], "2023-07", progress="已开工"),
                     Report(repo.load_projects(db, other)[0].id, "2023-07", status="lagging", percent=5)])
    with db.transaction():
        db.conn.execute("UPDATE reports SET deleted = 1 WHERE project_id = ? AND month = '2023-07'", (ids[0],))
    for month in ("2023-06", "2023-07", "2023-08"):
        joined = month_cells.month_cells(db, own, month)
        assert month_cells.month_cells(db, own, month, set(ids)) == joined
    cells = month_cells.month_cells(db, own, "2023-07", set(ids))
    assert set(cells) == {ids[1], ids[2], ids[3]}
    assert cells[ids[1]].blank and not cells[ids[2]].blank and not cells[ids[3]].blank
    plan = " ".join(str(r) for r in db.conn.execute(
        "EXPLAIN QUERY PLAN SELECT project_id, status, percent FROM reports WHERE month = ? AND deleted = 0",
        ("2023-07",)))
    assert "COVERING INDEX reports_month_cells" in plan


def test_month_cell_cache_keeps_a_read_only_while_nothing_was_written(tmp_path) -> None:
    """MonthCellCache.put (cells read on another connection, e.g. the window's read-ahead) keeps them only if the
    database is as it was when the read was asked for: a write through this connection, or a commit by another,
    makes it refuse, and has() then says the month must be read."""
    from minsheng_desktop.storage import month_cells

    db = _db(tmp_path, 5)
    list_id = select_list(db).id
    cache = month_cells.MonthCellCache()
    other = Database(db.path)
    try:
        stamp = cache.stamp(db)
        cells = month_cells.month_cells(other, list_id, "2023-06")
        assert cache.put(db, stamp, list_id, "2023-06", cells) and cache.has(db, list_id, "2023-06")
        with counting(db) as seen:
            assert cache.get(db, list_id, "2023-06") is cells
        assert not [q for q in seen if "reports" in q]  # a hit reads nothing but the change counter
        pid = repo.load_projects(db, list_id)[0].id
        stamp = cache.stamp(db)
        bulk_insert(db, [Report(pid, "2023-07", status="done", percent=100)])  # a write through db
        assert not cache.put(db, stamp, list_id, "2023-07", {}) and not cache.has(db, list_id, "2023-06")
        stamp = cache.stamp(db)
        bulk_insert(other, [Report(pid, "2023-08", status="done", percent=100)])  # a commit by another connection
        assert not cache.put(db, stamp, list_id, "2023-08", {})
        assert pid in cache.get(db, list_id, "2023-07")
    finally:
        other.close()
