"""services.history: a project's edit history in Chinese."""

from __future__ import annotations

from minsheng_desktop.domain.model import Report
from minsheng_desktop.domain.status import reportable
from minsheng_desktop.services.history import history_rows
from minsheng_desktop.services.reports import projects_of, save_report


def test_history_rows_in_chinese(db, wulong):
    p = reportable(projects_of(db, wulong.id))[0]
    save_report(db, Report(p.id, "2023-06", "on_track", 30.0, indicator_actuals={"改造城镇老旧小区": 3.0}))
    rows = history_rows(db, p.id)
    changes = {what: change for _, _, what, change in rows}
    assert changes["进度状态"] == "（空） → 正常推进"
    assert changes["指标完成值"] == "（空） → 改造城镇老旧小区 3"
