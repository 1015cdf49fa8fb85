"""Issue 16: the window on the clerk's own screen — a first size that fits, a remembered size only where it fits."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRect

from minsheng_desktop.gui import pane_layout, screen_fit


@pytest.mark.parametrize(("area", "expected"), [
    (QRect(0, 0, 1366, 728), QRect(68, 36, 1229, 655)),  # 1366×768 less a 40 px taskbar
    (QRect(0, 0, 1280, 720), QRect(64, 36, 1152, 648)),
    (QRect(0, 0, 1536, 824), QRect(77, 41, 1382, 741)),  # 1920×1080 at 125 %: 1536×864 logical, less the taskbar
    (QRect(0, 0, 2560, 1400), QRect(480, 220, 1600, 960)),  # room to spare: the preferred size, centred
    (QRect(1920, 0, 1280, 984), QRect(1984, 49, 1152, 885)),  # a second screen to the right
])
def test_first_geometry_fits_the_screen(area, expected):
    got = screen_fit.first_geometry(area)
    assert got == expected
    assert area.contains(got)  # never larger than the screen
    assert got.width() <= 0.9 * area.width() and got.height() <= 0.9 * area.height()


@pytest.mark.parametrize(("saved", "area", "fits"), [
    (QRect(50, 50, 1200, 650), QRect(0, 0, 1366, 728), True),
    (QRect(50, 50, 1400, 900), QRect(0, 0, 1366, 728), False),  # saved on a larger screen: refused
    (QRect(50, 50, 1400, 900), QRect(0, 0, 1536, 824), False),  # the same screen at 125 %: refused
    (QRect(2000, 50, 800, 600), QRect(0, 0, 1920, 1040), False),  # on a monitor no longer there
    (QRect(0, 0, 1920, 1040), QRect(0, 0, 1920, 1040), True),
])
def test_saved_geometry_used_only_where_it_fits(saved, area, fits):
    assert screen_fit.fits(saved, area) is fits


def test_window_first_size_then_remembered_then_refused(qtbot, open_window, imported_db, monkeypatch):
    # The test's offscreen screen is 800×800 (restoreGeometry keeps a window on the real screen): an area in it.
    area = QRect(0, 0, 800, 760)
    monkeypatch.setattr(screen_fit, "available_area", lambda _w: area)
    w = open_window()
    assert w.geometry() == QRect(40, 38, 720, 684)  # first start: 90 % of the available area, centred
    assert w.panes.columns == 2  # too narrow for three columns: the detail pane is a tab beside the form
    w.setGeometry(QRect(10, 30, 780, 700))  # the clerk's own size and splitters
    qtbot.wait(10)
    w.splitter.setSizes([340, 435])
    sizes = w.splitter.sizes()
    w.close()

    w2 = open_window()  # the same screen: both come back
    assert w2.geometry().size() == w.geometry().size() and area.contains(w2.geometry())
    assert w2.splitter.sizes() == sizes
    w2.close()

    area = QRect(0, 0, 760, 700)  # a smaller screen now (another monitor, a larger scaling): the saved size is refused
    w3 = open_window()
    assert w3.geometry() == QRect(38, 35, 684, 630)
    assert area.contains(w3.geometry())
    assert w3.splitter.sizes() != sizes and w3.form.width() >= pane_layout.form_min_width(w3.form)
    w3.close()


def test_three_columns_remembered_apart(qtbot, tmp_path):
    """The clerk's splitter positions are kept per arrangement, and used again only when asked to (the saved
    window size fits): a wide window has three columns, a narrow one two, each with its own sizes."""
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

    def panes_in(width: int) -> tuple[QWidget, pane_layout.Panes]:
        host = QWidget()
        qtbot.addWidget(host)
        panes = pane_layout.Panes(QLabel("tree"), QLabel("detail"), QLabel("form"), host)
        lay = QVBoxLayout(host)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(panes.splitter)
        host.resize(width, 500)
        return host, panes

    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    host, panes = panes_in(1600)
    panes.restore(settings, 1600, use_saved=True)  # nothing saved yet: the first split
    host.show()
    qtbot.waitUntil(lambda: panes.columns == 3 and panes.splitter.width() == 1600)
    panes.splitter.setSizes([700, 380, 510])
    panes.splitter.splitterMoved.emit(700, 1)  # as dragging a handle does: the clerk's sizes
    three = panes.splitter.sizes()
    host.resize(1000, 500)
    qtbot.waitUntil(lambda: panes.columns == 2 and panes.splitter.width() == 1000)
    panes.splitter.setSizes([400, 595])
    panes.splitter.splitterMoved.emit(400, 1)
    two = panes.splitter.sizes()
    panes.save(settings)
    host.close()

    host, again = panes_in(1600)
    again.restore(settings, 1600, use_saved=True)
    host.show()
    qtbot.waitUntil(lambda: again.splitter.width() == 1600)
    assert again.columns == 3 and again.splitter.sizes() == three
    host.resize(1000, 500)
    qtbot.waitUntil(lambda: again.columns == 2 and again.splitter.width() == 1000)
    assert again.splitter.sizes() == two
    host.close()

    host, fresh = panes_in(1000)
    fresh.restore(settings, 1000, use_saved=False)  # the saved window size did not fit: the first split
    host.show()
    qtbot.waitUntil(lambda: fresh.splitter.width() == 1000)
    assert fresh.columns == 2 and fresh.splitter.sizes() != two


def test_search_box_enter_down_and_escape(qtbot, open_window, imported_db):
    """Keyboard: Enter / ↓ in the search box goes to the first match; Esc clears."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from .helpers import type_text, visible_projects

    w = open_window()
    w.activateWindow()
    total = len(visible_projects(w))
    qtbot.keyClick(w, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is w.search)
    qtbot.keyClicks(w.search, "HPV")
    qtbot.keyClick(w.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is w.tree)
    assert w.project is not None and w.project.name == "适龄女性免费接种HPV疫苗"
    qtbot.keyClick(w.tree, Qt.Key.Key_Return)  # and Enter again: the form
    qtbot.waitUntil(lambda: QApplication.focusWidget() is w.form.progress)

    w.focus_search()
    qtbot.keyClick(w.search, Qt.Key.Key_Escape)  # Esc clears: every project is shown again
    assert w.search.text() == "" and len(visible_projects(w)) == total
    assert QApplication.focusWidget() is w.search

    type_text(qtbot, w.search, "渝馨家园")  # Chinese through the input method
    qtbot.keyClick(w.search, Qt.Key.Key_Down)  # ↓ too
    qtbot.waitUntil(lambda: QApplication.focusWidget() is w.tree)
    assert w.project is not None and w.project.name == "开展百千万惠残助残行动"


def _labels_without_buddy(widget) -> list[str]:
    """Labels showing a mnemonic (one "&", not "&&") that has no buddy: Qt would show the "&" itself."""
    from PySide6.QtWidgets import QLabel

    return [lab.text() for lab in widget.findChildren(QLabel)
            if "&" in lab.text().replace("&&", "") and lab.buddy() is None]


def test_every_label_mnemonic_has_its_buddy(qtbot, open_window, imported_db):
    w = open_window()
    assert _labels_without_buddy(w) == []
    export = w.open_export()
    assert _labels_without_buddy(export) == []
    labels = {lab.text(): lab.buddy() for lab in export.findChildren(type(w.status_label))}
    assert labels["保存到(&F)："] is export.folder
    export.close()
    mail = w.open_mail()
    assert _labels_without_buddy(mail) == []
    labels = {lab.text(): lab.buddy() for lab in mail.findChildren(type(w.status_label))}
    assert labels["月份(&M)："] is mail.month
    mail.close()


def test_ctrl_numbers_follow_the_window_from_the_left(qtbot, open_window, imported_db):
    """Ctrl+1/2/3: the tabs in their order; Ctrl+4: the report form."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from .helpers import select_by_name

    w = open_window()
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow)
    for key, tab in ((Qt.Key.Key_2, 1), (Qt.Key.Key_3, 2), (Qt.Key.Key_1, 0)):
        qtbot.keyClick(w, key, Qt.KeyboardModifier.ControlModifier)
        qtbot.waitUntil(lambda tab=tab: w.tabs.currentIndex() == tab)
    select_by_name(w, "城镇老旧小区改造")  # the form is open to a project to fill in
    qtbot.keyClick(w, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is w.form.progress)


def test_check_messages_keep_the_layout_still(qtbot, open_window, imported_db, monkeypatch):
    """A red message under a field has its line reserved: the fields below do not move when it appears."""
    from PySide6.QtCore import QPoint

    from minsheng_desktop.gui import dialogs

    monkeypatch.setattr(dialogs, "ask", lambda *a: True)  # closing with a field in error

    from .helpers import select_by_name, type_text

    w = open_window()
    select_by_name(w, "建设城市公园")
    form = w.form
    # The form as wide as the test screen allows (the detail pane is a tab beside it at this width).
    w.splitter.setSizes([200, 600])
    qtbot.wait(100)  # laid out at that width (on a busy machine 10 ms may see only the first pass)

    def ys() -> list[int]:
        # On the scrolled page: typing into a field may scroll the form to it, which moves nothing on it.
        body = form.fields.parentWidget()
        return [e.mapTo(body, QPoint(0, 0)).y() for e in (form.percent, form.status, form.problems)]

    before = ys()
    type_text(qtbot, form.investment, "-5")
    type_text(qtbot, form.percent, "150")
    qtbot.wait(10)
    assert "不能为负数" in form.investment_msg.text() and "0 到 100" in form.percent_msg.text()
    assert form.percent_msg.toolTip() == form.percent_msg.text()  # the whole text, should a narrow form cut it
    assert ys() == before
    form.percent.clear()
    form.investment.clear()
    type_text(qtbot, form.percent, "20")
    qtbot.wait(10)
    assert form.percent_msg.text() == "" and ys() == before
