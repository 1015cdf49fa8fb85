"""Issue 16: the window on the clerk's own screen — a first size that fits, a remembered size only where it fits."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRect

from minsheng_desktop.gui import screen_fit


@pytest.mark.parametrize(("area", "expected"), [
    (QRect(0, 0, 1366, 728), QRect(68, 36, 1229, 655)),  # 1366×768 less a 40 px taskbar
    (QRect(0, 0, 1280, 720), QRect(64, 36, 1152, 648)),
    (QRect(0, 0, 1536, 824), QRect(77, 41, 1382, 741)),  # 1920×1080 at 125 %: 1536×864 logical, less the taskbar
    (QRect(0, 0, 2560, 1400), QRect(580, 250, 1400, 900)),  # room to spare: the preferred size, centred
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
    area = QRect(0, 0, 700, 500)
    monkeypatch.setattr(screen_fit, "available_area", lambda _w: area)
    w = open_window()
    assert w.geometry() == QRect(35, 25, 630, 450)  # first start: 90 % of the available area, centred
    w.setGeometry(QRect(10, 10, 680, 470))  # the clerk's own size and splitters
    w.splitter.setSizes([300, 150, 230])
    sizes = w.splitter.sizes()
    w.close()

    w2 = open_window()  # the same screen: both come back
    assert w2.geometry().size() == w.geometry().size() and area.contains(w2.geometry())
    assert w2.splitter.sizes() == sizes
    w2.close()

    area = QRect(0, 0, 600, 400)  # a smaller screen now (another monitor, a larger scaling): the saved size is refused
    w3 = open_window()
    assert w3.geometry() == QRect(30, 20, 540, 360)
    assert area.contains(w3.geometry())


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
    w.splitter.setSizes([200, 100, 500])  # a form as wide as on a 1366×768 screen (the test screen is smaller)
    qtbot.wait(10)

    def ys() -> list[int]:
        return [e.mapTo(form, QPoint(0, 0)).y() for e in (form.percent, form.status, form.problems)]

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
