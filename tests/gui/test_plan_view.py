"""Issue 17 in the window: the detail pane's 实施方案 box — typed, checked, saved through services — and the tree's
light judged by the saved plan."""

from __future__ import annotations

from minsheng_desktop.domain.model import Report
from minsheng_desktop.services import plan as plans
from minsheng_desktop.services.database import open_database
from minsheng_desktop.services.reports import save_report

from .helpers import select_by_name

NAME = "老旧小区电梯改造"


def _status_tooltip(w, project_id: str) -> str:
    from PySide6.QtCore import Qt

    from minsheng_desktop.gui.tree_model import COL_STATUS

    idx = w.model.index_for_key(f"project:{project_id}")
    return w.model.index(idx.row(), COL_STATUS, idx.parent()).data(Qt.ItemDataRole.ToolTipRole)


def test_the_plan_box_saves_the_plan_and_the_light_follows_it(qtbot, open_window, imported_db) -> None:
    w = open_window()
    p = select_by_name(w, NAME)
    with open_database(imported_db) as db:
        save_report(db, Report(p.id, "2023-06", percent=45))
    w.reload()
    p = select_by_name(w, NAME)
    assert "黄灯（与序时进度比较" not in _status_tooltip(w, p.id)  # 45 % in June: green by months ÷ 12
    assert "绿灯（与序时进度比较" in _status_tooltip(w, p.id)
    box = w.detail.plan_view
    assert not box.isHidden() and box.nodes.rowCount() == 12 and box.nodes.item(5, 0).text() == "2023年6月"
    box.responsible.setText("张三")
    box.nodes.item(5, 1).setText("完成招标并开工")
    box.nodes.item(5, 2).setText("150")
    assert box.save() is False and "2023年6月：计划完成进度“150”应为 0–100 的数" in box.message.text()
    assert plans.get_plan(w.state.db, p.id) is None  # nothing stored while anything is wrong
    box.nodes.item(5, 2).setText("80%")
    with qtbot.waitSignal(box.changed, timeout=2000):
        assert box.save() is True
    stored = plans.get_plan(w.state.db, p.id)
    assert stored is not None and stored.responsible == "张三"
    assert [(str(m.month), m.text, m.percent) for m in stored.milestones] == [("2023-06", "完成招标并开工", 80)]
    assert "红灯（与计划进度比较" in _status_tooltip(w, p.id)  # 45 % against the plan's 80 %: 35 points behind
    assert box.save() is True and box.message.text() == "实施方案没有改动。"
    # shown again when the project is selected again
    select_by_name(w, "城镇老旧小区改造")
    select_by_name(w, NAME)
    assert box.responsible.text() == "张三" and box.nodes.item(5, 2).text() == "80"
