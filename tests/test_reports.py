"""services.reports: copying last month's report (nothing stored until the clerk saves)."""

from __future__ import annotations

from minsheng_desktop.domain.model import Report
from minsheng_desktop.domain.status import reportable
from minsheng_desktop.services.reports import get_report, previous_report, projects_of, save_report


def test_copy_previous_report(db, wulong):
    p = reportable(projects_of(db, wulong.id))[0]
    assert previous_report(db, p.id, "2023-06") is None
    save_report(db, Report(p.id, "2023-04", "on_track", 30.0, progress="四月", submitted_on="2023-04-28"))
    source, r = previous_report(db, p.id, "2023-06")
    assert source == "2023-04" and r.month == "2023-06" and r.progress == "四月" and r.submitted_on is None
    assert get_report(db, p.id, "2023-06") is None  # nothing stored by copying
