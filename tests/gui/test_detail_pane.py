"""Issue 16, item 2: the detail pane fits its width — indicator rows as label — target — done — bar, the label
one line (elided, the whole text in its tooltip), never one character per line, and no horizontal scrollbar."""

from __future__ import annotations

import pytest

from minsheng_desktop.domain.model import Indicator, Project
from minsheng_desktop.gui.detail import DetailPane
from minsheng_desktop.gui.indicator_row import IndicatorRow

LONG = "改造城镇老旧小区配套基础设施及完善社区养老托育等公共服务设施"
PROJECT = Project(
    id="p1", list_id=1, section="二、区级民生实事", number="12",
    name="城镇老旧小区改造和社区服务提升工程（含配套基础设施、养老托育、便民服务设施建设）",
    investment_wan=29712, lead_units=("区住房城乡建委",),
    partner_units=("区发展改革委", "区经济信息委", "区城市发展（集团）有限责任公司", "各乡镇人民政府（街道办事处）"),
    target="改造城镇老旧小区90个、270万平方米，" + LONG + "，惠及居民2.3万户，年底前全部完工并通过验收。" * 2,
    indicators=(Indicator(LONG, 2700000, "平方米", ">="), Indicator("改造城镇老旧小区", 90, "个"),
                Indicator("惠及居民", 23000, "户", ">=")),
)
LATEST = {LONG: 1234567.5, "改造城镇老旧小区": 88, "惠及居民": 21000}


def _shown(qtbot, width: int) -> DetailPane:
    pane = DetailPane()
    qtbot.addWidget(pane)
    pane.show_project(PROJECT, [], [("2023-06-15 10:00:00", "2023年6月", "完成进度（%）", "（空） → 45")], LATEST)
    pane.resize(width, 700)
    pane.show()
    qtbot.waitExposed(pane)
    qtbot.wait(20)
    return pane


def _rows(pane: DetailPane) -> list[IndicatorRow]:
    return pane.ind_box.findChildren(IndicatorRow)


@pytest.mark.parametrize("width", [300, 360, 480])
def test_narrow_pane_needs_no_horizontal_scrollbar(qtbot, width):
    pane = _shown(qtbot, width)
    assert not pane.horizontalScrollBar().isVisible()
    body = pane.widget()
    assert body.minimumSizeHint().width() <= pane.viewport().width()  # nothing would be cut off either
    assert body.width() <= pane.viewport().width()
    line = pane.fontMetrics().height()
    rows = _rows(pane)
    assert len(rows) == 3
    for row in rows:
        assert row.label.height() <= 2 * line + 4  # one line (two at most), not a column of characters
        assert row.geometry().right() <= body.width()
    long_row = next(r for r in rows if r.label.full_text() == LONG)
    assert long_row.label.toolTip() == LONG
    assert long_row.label.text() == LONG or long_row.label.text().endswith("…")
    # the title and the target text wrap within the pane, every line shown
    for label in (pane.title, pane.target, pane.partner):
        assert label.width() <= body.width() and label.height() >= label.heightForWidth(label.width())


def test_rows_order_and_one_line_when_wide(qtbot):
    pane = _shown(qtbot, 360)
    rows = {r.label.full_text(): r for r in _rows(pane)}
    row = rows["惠及居民"]
    assert row.arrangement == "two"  # the label on a line of its own, then target — done — bar
    assert row.label.y() < row.target.y() == row.done.y()
    assert row.target.x() < row.done.x() < row.bar.x()
    assert row.target.text() == row.target.full_text() and row.done.text() == row.done.full_text()  # whole
    row = rows[LONG]
    assert row.arrangement == "narrow"  # too long for that: the bar beside the label, target — done under them
    assert row.label.x() < row.bar.x() and row.label.y() < row.target.y() == row.done.y()
    assert row.target.x() < row.done.x()
    assert row.target.full_text() == "目标不少于2700000平方米" and row.done.full_text() == "已完成1234567.5平方米"
    assert row.bar.value() == 46

    pane.resize(1100, 700)
    qtbot.wait(20)
    short = next(r for r in _rows(pane) if r.label.full_text() == "改造城镇老旧小区")
    assert short.one_line  # room for all four: one line, label — target — done — bar
    assert short.label.x() < short.target.x() < short.done.x() < short.bar.x()
    assert abs(short.label.y() - short.target.y()) < short.label.height()
    others = [r for r in _rows(pane) if r.one_line]
    assert len({r.target.x() for r in others}) == 1  # the columns line up


def test_window_detail_pane_shows_the_filled_value(qtbot, open_window, imported_db):
    """In the window: a project with an indicator, filled; the pane never scrolls sideways, whatever its width
    (the window's own layout decides that: pane_layout)."""
    from PySide6.QtCore import Qt

    from .helpers import select_by_name, type_text

    w = open_window()
    select_by_name(w, "城镇老旧小区改造")
    edit, _ = w.form.indicators["改造城镇老旧小区"]
    type_text(qtbot, edit, "9")
    assert w.form.flush()
    qtbot.wait(20)
    pane = w.detail
    assert pane.horizontalScrollBarPolicy() == Qt.ScrollBarPolicy.ScrollBarAlwaysOff
    (row,) = _rows(pane)
    assert row.done.full_text() == "已完成9个" and row.target.full_text() == "目标12个" and row.bar.value() == 75


def test_form_indicator_labels_elide_not_widen(qtbot, open_window, imported_db):
    """The form's indicator rows: a long name is elided to the widest fixed label (whole in its tooltip), so the
    fields keep their width."""
    from minsheng_desktop.gui.elided_label import ElidedLabel

    from .helpers import select_by_name

    w = open_window()
    select_by_name(w, "开展青少年心理健康教育")
    form = w.form
    qtbot.wait(50)
    longest = form.fontMetrics().horizontalAdvance(form.LONGEST_LABEL) + 4
    labels = {lab.full_text(): lab for lab in form.fields.findChildren(ElidedLabel)}
    long_name = "乡镇中心校以上学校心理辅导室（中心）覆盖率（%）："
    lab = labels[long_name]
    assert lab.width() <= longest and lab.text().endswith("…") and lab.toolTip() == long_name
    assert lab.height() < 2 * lab.fontMetrics().height()  # one line
    edit, _ = form.indicators["乡镇中心校以上学校心理辅导室（中心）覆盖率"]
    assert lab.buddy() is edit
    assert edit.x() == form.investment.x() and edit.width() == form.investment.width()  # the fields line up
