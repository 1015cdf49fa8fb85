"""Issue 17, item 2 in the report form: the month's node of the project's 实施方案 is shown above 完成进度 with the
question 本月节点是否完成？ (saved with the month's report, listed in 修改记录), and the status suggestion is judged
by the plan where the project has nodes, else by months ÷ 12."""

from __future__ import annotations

from minsheng_desktop.domain.month import Month
from minsheng_desktop.domain.plan import Milestone, make_plan
from minsheng_desktop.services import plan as plans
from minsheng_desktop.services.database import open_database
from minsheng_desktop.services.dump import dump, load
from minsheng_desktop.services.history import history_rows
from minsheng_desktop.services.reports import get_report

from .helpers import select_by_name, type_text

NAME = "老旧小区电梯改造"


def _with_plan(db_path, name: str = NAME) -> None:
    """Nodes in May (40 %) and July (80 %) for the project ``name``."""
    from minsheng_desktop.services.database import select_list
    from minsheng_desktop.services.reports import projects_of

    with open_database(db_path) as db:
        p = next(x for x in projects_of(db, select_list(db).id) if name in x.name)
        plans.save_plan(db, make_plan(p.id, "张三", milestones=[
            Milestone(Month(2023, 5), "完成招标并开工", 40), Milestone(Month(2023, 7), "主体完工", 80)]))


def _pick_month(w, month: str) -> None:
    combo = w.form.month_combo
    combo.setCurrentIndex(combo.findData(month))
    assert w.form.month == month


def test_the_node_of_the_month_is_shown_and_hidden_before_the_first(qtbot, open_window, imported_db) -> None:
    _with_plan(imported_db)
    w = open_window()
    select_by_name(w, NAME)
    node = w.form.plan_node
    assert w.form.month == "2023-06"  # no node of its own: the last one before it (May) is asked about
    assert not node.isHidden() and node.question.isVisible()
    assert node.line == "本月节点：完成招标并开工（5月节点，计划完成进度 40%）"
    _pick_month(w, "2023-07")
    assert node.line == "本月节点：主体完工（计划完成进度 80%）" and node.question.text() == "本月节点是否完成？"
    assert [b.text() for b in node.buttons.values()] == ["未答", "已完成", "未完成"]
    assert node.buttons[None].isChecked()
    qtbot.wait(10)
    place = (node.height(), w.form.percent.y() - node.y())  # the text boxes above may grow with the window
    _pick_month(w, "2023-04")  # before the first node: nothing to ask, and nothing below moves
    qtbot.wait(10)
    assert node.line == "" and not node.question.isVisible() and not node.buttons[True].isVisible()
    assert not node.isHidden() and (node.height(), w.form.percent.y() - node.y()) == place
    # a project without a plan has no such row
    select_by_name(w, "建设城市公园")
    assert node.isHidden() and node.line == ""


def test_the_answer_is_saved_with_the_month_and_listed_in_the_history(qtbot, open_window, imported_db) -> None:
    _with_plan(imported_db)
    w = open_window()
    p = select_by_name(w, NAME)
    _pick_month(w, "2023-07")
    node = w.form.plan_node
    node.choose(True)  # saved at once, even with nothing else typed
    assert get_report(w.db, p.id, "2023-07").node_met is True
    assert any(field == "本月节点" and change == "（空） → 已完成" for _when, _m, field, change in history_rows(w.db, p.id))
    node.choose(False)
    assert get_report(w.db, p.id, "2023-07").node_met is False
    assert any(change == "已完成 → 未完成" for *_, change in history_rows(w.db, p.id))
    # shown again on coming back; another month has its own (none yet)
    _pick_month(w, "2023-06")
    assert node.buttons[None].isChecked()
    _pick_month(w, "2023-07")
    assert node.buttons[False].isChecked() and node.answer() is False
    type_text(qtbot, w.form.percent, "70")  # typing in the form keeps the answer
    assert w.form.flush()
    assert get_report(w.db, p.id, "2023-07").node_met is False
    # 复制上月 into August (asked about July's node still) does not carry July's answer
    _pick_month(w, "2023-08")
    assert node.line == "本月节点：主体完工（7月节点，计划完成进度 80%）"
    w.form.copy_previous()
    assert get_report(w.db, p.id, "2023-08").percent == 70 and get_report(w.db, p.id, "2023-08").node_met is None
    assert node.buttons[None].isChecked()
    # a load of a dump (which has no field for the answer) keeps it
    with open_database(imported_db) as db:
        load(db, dump(db))
        assert get_report(db, p.id, "2023-07").node_met is False


def test_the_hint_is_judged_by_the_plan(qtbot, open_window, imported_db) -> None:
    _with_plan(imported_db)
    w = open_window()
    select_by_name(w, NAME)
    _pick_month(w, "2023-07")  # the node expects 80 %
    type_text(qtbot, w.form.percent, "45")
    hint = w.form.suggestion.text()
    assert "低于计划进度 80%（本月节点：主体完工）" in hint and "建议“进度滞后”" in hint, hint
    # without a plan: months ÷ 12 (July: 58 %, 45 % is 13 points behind)
    select_by_name(w, "建设城市公园")
    _pick_month(w, "2023-07")
    type_text(qtbot, w.form.percent, "45")
    hint = w.form.suggestion.text()
    assert hint.startswith("序时进度 58%") and "建议“进度滞后”" in hint and "计划" not in hint, hint


def test_a_saved_plan_is_read_again(qtbot, open_window, imported_db) -> None:
    w = open_window()
    p = select_by_name(w, NAME)
    node = w.form.plan_node
    assert node.isHidden()
    type_text(qtbot, w.form.percent, "45")
    assert "序时进度 50%" in w.form.suggestion.text()  # June, no plan yet
    box = w.detail.plan_view
    box.nodes.item(5, 1).setText("完成招标并开工")
    box.nodes.item(5, 2).setText("80")
    with qtbot.waitSignal(box.changed, timeout=2000):
        assert box.save() is True
    assert not node.isHidden() and node.line == "本月节点：完成招标并开工（计划完成进度 80%）"
    assert "低于计划进度 80%（本月节点：完成招标并开工）" in w.form.suggestion.text()
    assert w.form.percent.text() == "45"  # nothing typed was lost
    assert w.form.flush() and get_report(w.db, p.id, "2023-06").percent == 45


def test_the_answer_by_keyboard(qtbot, open_window, imported_db) -> None:
    """Tab from 累计完成投资 reaches the answer, the arrow keys choose, Tab goes on to 完成进度."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    _with_plan(imported_db)
    w = open_window()
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow)
    p = select_by_name(w, NAME)
    _pick_month(w, "2023-07")
    node = w.form.plan_node
    w.form.investment.setFocus()
    qtbot.keyClick(w.form.investment, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is node.buttons[None]
    qtbot.keyClick(node.buttons[None], Qt.Key.Key_Right)
    assert node.buttons[True].isChecked() and QApplication.focusWidget() is node.buttons[True]
    assert get_report(w.db, p.id, "2023-07").node_met is True
    qtbot.keyClick(node.buttons[True], Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is w.form.percent

