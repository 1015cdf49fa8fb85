"""PySide6 6.12.0 took a reference from None on every call of a Qt function returning nothing: below Python 3.12
the window crashed ("Fatal Python error: none_dealloc") after a hundred-odd selections. A working session on the
installed PySide6 must keep None's references, and the window refuses to start on 6.12.0 below Python 3.12."""

from __future__ import annotations

import sys

import pytest
from PySide6.QtCore import QSettings

from benchmarks.bench_gui import make_big_list_db
from minsheng_desktop.gui import app as gui_app
from minsheng_desktop.gui import dialogs

from .conftest import TODAY


def test_a_session_keeps_nones_references(qtbot, tmp_path) -> None:
    """300 selections and 40 month switches through the window, as a clerk's day: None's count does not fall.
    (No model data() is asked from Python here: on the broken release such calls gave references back and hid
    the loss in tests/gui/test_overview_scale.py.)"""
    from minsheng_desktop.gui.main_window import MainWindow

    db = tmp_path / "w.db"
    make_big_list_db(db, n=300)
    w = MainWindow(db, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat), today=TODAY)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    projects = w.model.list_data(w.list_id).projects
    before = sys.getrefcount(None)
    for p in projects:
        assert w.select_key(f"project:{p.id}")
    for _ in range(20):
        w.step_month(-1)
        w.step_month(1)
    qtbot.wait(10)
    after = sys.getrefcount(None)
    assert after >= before - 50, f"None lost {before - after} references in one session"
    w.close()


def test_pyside6_6_12_0_is_refused_only_below_python_3_12() -> None:
    message = gui_app.pyside6_refusal((6, 12, 0, "", ""), (3, 11, 7, "final", 0))
    assert message is not None and "PySide6 6.12.0" in message and "Python 3.11" in message
    assert 'pip install "PySide6-Essentials!=6.12.0"' in message and "安装包" in message
    assert gui_app.pyside6_refusal((6, 12, 0), (3, 10, 0)) is not None
    assert gui_app.pyside6_refusal((6, 12, 0), (3, 12, 0)) is None  # None is immortal there
    assert gui_app.pyside6_refusal((6, 12, 1), (3, 11, 7)) is None
    assert gui_app.pyside6_refusal((6, 11, 3), (3, 11, 7)) is None


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="6.12.0 is accepted from Python 3.12 on")
def test_start_on_pyside6_6_12_0_refuses_before_the_window(qapp, monkeypatch, capsys) -> None:
    import PySide6

    from minsheng_desktop.gui import main_window

    monkeypatch.setattr(PySide6, "__version_info__", (6, 12, 0, "", ""))
    monkeypatch.setattr(PySide6, "__version__", "6.12.0")
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(dialogs, "show_error", lambda parent, title, text: shown.append((title, text)))
    monkeypatch.setattr(main_window, "MainWindow", lambda *a, **k: pytest.fail("the window was built"))
    assert gui_app.run(["minsheng"]) == 2
    message = gui_app.pyside6_refusal((6, 12, 0), sys.version_info)
    assert shown == [(gui_app.APP_NAME, message)]
    assert message in capsys.readouterr().err
