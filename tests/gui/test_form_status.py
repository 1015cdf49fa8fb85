"""Issue 16, item 3: the status suggestion is shown, not applied; only the clerk's choice sets the status, and the
edit history (修改记录) lists only what the clerk changed."""

from __future__ import annotations

from PySide6.QtCore import Qt

from minsheng_desktop.gui import dialogs
from minsheng_desktop.services.history import history_rows
from minsheng_desktop.services.reports import get_report

from .helpers import select_by_name


def _history_fields(w, project_id: str) -> list[str]:
    return [field for _when, _month, field, _change in history_rows(w.db, project_id)]


def test_typing_a_per_cent_only_shows_the_suggestion(qtbot, open_window, imported_db):
    w = open_window()
    p = select_by_name(w, "建设城市公园")
    form = w.form
    assert form.month == "2023-06"  # 序时进度 50 %
    assert form.status.currentData() is None and not form.status_field.take_button.isEnabled()
    assert "填写完成进度后给出建议" in form.suggestion.text()

    form.percent.setFocus()
    for typed, suggested in (("1", "进度滞后"), ("5", "进度滞后"), ("0", "已完成")):  # "1", "15", "150"
        qtbot.keyClicks(form.percent, typed)
        assert form.status.currentData() is None  # a value mid-typing changes nothing
        assert f"建议“{suggested}”" in form.suggestion.text(), form.suggestion.text()
        assert form.status_field.take_button.isEnabled()
    assert form.percent.text() == "150"

    form.percent.clear()
    qtbot.keyClicks(form.percent, "45")  # 5 points behind 序时: 正常推进
    assert "建议“正常推进”" in form.suggestion.text() and form.status.currentData() is None
    assert form.flush()
    assert get_report(w.db, p.id, "2023-06").status is None  # saved with the per cent, no status chosen
    assert _history_fields(w, p.id) == ["完成进度（%）"]  # and the history says only that

    qtbot.mouseClick(form.status_field.take_button, Qt.MouseButton.LeftButton)  # one click takes it
    assert form.status.currentData() == "on_track"
    assert get_report(w.db, p.id, "2023-06").status == "on_track"  # saved at once, as a pick from the list is
    assert "与所选状态一致" in form.suggestion.text() and not form.status_field.take_button.isEnabled()
    assert sorted(_history_fields(w, p.id)) == ["完成进度（%）", "进度状态"]
    assert any(change == "（空） → 正常推进" for *_, change in history_rows(w.db, p.id))

    form.percent.clear()
    qtbot.keyClicks(form.percent, "20")  # now lagging: the chosen status stays, the hint says otherwise
    assert form.status.currentData() == "on_track" and "建议“进度滞后”" in form.suggestion.text()
    assert form.status_field.take_button.isEnabled()


def test_the_suggestion_taken_with_one_key(qtbot, open_window, imported_db):
    w = open_window()
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow)
    p = select_by_name(w, "建设城市公园")
    form = w.form
    form.percent.setFocus()
    qtbot.keyClicks(form.percent, "100")
    assert form.status.currentData() is None
    qtbot.keyClick(form.percent, Qt.Key.Key_J, Qt.KeyboardModifier.AltModifier)  # the button's mnemonic
    qtbot.waitUntil(lambda: form.status.currentData() == "done")
    assert get_report(w.db, p.id, "2023-06").status == "done"


def test_history_lists_only_what_the_clerk_changed(qtbot, open_window, imported_db, monkeypatch):
    w = open_window()
    p = select_by_name(w, "建设城市公园")
    form = w.form
    form.progress.setFocus()
    qtbot.keyClicks(form.progress, "jinzhan")
    form.percent.setFocus()
    qtbot.keyClicks(form.percent, "150")  # an error: not saved; the status is not touched either
    assert form.flush() is False
    assert sorted(_history_fields(w, p.id)) == ["工作进展情况"]
    form.percent.clear()
    qtbot.keyClicks(form.percent, "60")
    monkeypatch.setattr(dialogs, "ask", lambda *a: True)
    lagging = form.status.findData("lagging")
    form.status.setCurrentIndex(lagging)  # the clerk's own choice, against the suggestion (正常推进)
    form.status.activated.emit(lagging)
    assert get_report(w.db, p.id, "2023-06").status == "lagging"
    assert sorted(_history_fields(w, p.id)) == ["完成进度（%）", "工作进展情况", "进度状态"]
    changes = {field: change for _w, _m, field, change in history_rows(w.db, p.id)}
    assert changes["进度状态"] == "（空） → 进度滞后"

    w.close()  # opened again: the stored status is shown as it is, the suggestion beside it
    w2 = open_window()
    select_by_name(w2, "建设城市公园")
    assert w2.form.status.currentData() == "lagging" and "建议“正常推进”" in w2.form.suggestion.text()
    assert w2.form.status_field.take_button.isEnabled()


def test_hint_and_messages_keep_the_fields_still(qtbot, open_window, imported_db, monkeypatch):
    """Item 4: what the form says while typing (the suggestion, a red or yellow message under a field) has its
    room kept: no field moves, so the next click lands where the clerk aims."""
    from PySide6.QtCore import QPoint

    monkeypatch.setattr(dialogs, "ask", lambda *a: True)
    w = open_window()
    select_by_name(w, "开展青少年心理健康教育")  # three indicators, each with its message line
    form = w.form
    w.splitter.setSizes([200, 100, 500])
    qtbot.wait(100)  # laid out at that width
    fields = [form.investment, form.percent, *(e for e, _ in form.indicators.values()), form.status,
              form.status_field.take_button, form.problems, form.next_steps, form.copy_button]

    body = form.fields.parentWidget()  # the scrolled page: focusing a field may scroll it, which is no move

    def ys() -> list[int]:
        return [f.mapTo(body, QPoint(0, 0)).y() for f in fields]

    before = ys()
    edits = [e for e, _ in form.indicators.values()]
    for widget, text in ((form.percent, "1"), (form.percent, "5"), (form.percent, "0"), (form.investment, "-5"),
                         (edits[0], "abc"), (edits[2], "1e"), (form.investment, "00")):
        widget.setFocus()
        qtbot.keyClicks(widget, text)
        qtbot.wait(5)
        assert ys() == before, (widget, text)
    assert all(m.text() for m in (form.percent_msg, form.investment_msg))  # the messages are there
    assert all(msg.text() for _, msg in list(form.indicators.values())[::2])
    form.percent.clear()
    qtbot.keyClicks(form.percent, "30")
    done = form.status.findData("done")
    form.status.setCurrentIndex(done)
    form.status.activated.emit(done)  # 已完成 at 30 %: the yellow warning under the status
    assert "已完成" in form.status_msg.text() and ys() == before


def test_large_values_come_back_as_typed(qtbot, open_window, imported_db):
    """2700000 (平方米) is shown as 2700000, not 2.7e+06 — which the form would then refuse as not a number."""
    from minsheng_desktop.domain.model import Report
    from minsheng_desktop.services.reports import save_report
    from minsheng_desktop.storage.db import Database

    w = open_window()
    p = select_by_name(w, "城镇老旧小区改造")
    w.close()
    with Database(imported_db) as db:
        save_report(db, Report(p.id, "2023-06", None, 50.0, 1234567.5, indicator_actuals={"改造城镇老旧小区": 2700000.0}))
    w = open_window()
    select_by_name(w, "城镇老旧小区改造")
    form = w.form
    assert form.investment.text() == "1234567.5"
    assert form.indicators["改造城镇老旧小区"][0].text() == "2700000"
    assert not form.has_errors
