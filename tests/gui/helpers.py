"""Small helpers for reading what the window shows."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex

from minsheng_desktop.domain.model import Project
from minsheng_desktop.gui.tree_model import ProjectRole


def visible_projects(w) -> list[Project]:
    out: list[Project] = []

    def walk(parent: QModelIndex) -> None:
        for row in range(w.proxy.rowCount(parent)):
            idx = w.proxy.index(row, 0, parent)
            p = idx.data(ProjectRole)
            if p is not None:
                out.append(p)
            walk(idx)

    walk(QModelIndex())
    return out


def select_by_name(w, text: str) -> Project:
    """Pick the first visible project whose name contains ``text``, as a click would."""
    for p in visible_projects(w):
        if text in p.name and p.is_leaf:
            assert w.select_key(f"project:{p.id}")
            assert w.project is not None and w.project.id == p.id
            return p
    raise AssertionError(f"no visible project named like {text!r}")


def type_text(qtbot, widget, text: str) -> None:
    """Type as a clerk would: ASCII through key presses, Chinese through an input-method commit."""
    from PySide6.QtGui import QInputMethodEvent
    from PySide6.QtWidgets import QApplication

    widget.setFocus()
    if hasattr(widget, "moveCursor"):  # a text box: the clerk clicks at the end of what is there
        from PySide6.QtGui import QTextCursor

        widget.moveCursor(QTextCursor.MoveOperation.End)
    if text.isascii():
        qtbot.keyClicks(widget, text)
        return
    ev = QInputMethodEvent("", [])
    ev.setCommitString(text)
    QApplication.sendEvent(widget, ev)
