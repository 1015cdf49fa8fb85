"""佐证材料 in the window: the panel of the report form (add, caption, remove) and thumbnails for the detail pane.

What only a click needs is imported then, not at the window's start: services.evidence (it loads hashlib,
i.e. OpenSSL, which an empty form does not need) and Qt's QFileDialog, QInputDialog, QUrl and QDesktopServices
(creating their types costs start-up time: see dialogs.py)."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Signal
from PySide6.QtGui import QIcon, QPixmap
from PySide6.QtWidgets import (
    QGroupBox, QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QMenu, QPushButton, QVBoxLayout, QWidget,
)

from ..domain.schedule import month_label
from ..services.database import Database, StoreError
from . import dialogs

if TYPE_CHECKING:
    from PySide6.QtGui import QDragEnterEvent, QDropEvent

    from ..services import evidence


def _evidence():  # type: ignore[no-untyped-def]
    """minsheng_desktop.services.evidence, on first use."""
    from ..services import evidence  # deferred: see the module's docstring

    return evidence


USER_ROLE = 0x100  # Qt.ItemDataRole.UserRole (importing Qt creates all its enum types: not at start-up)
_ERR = "color: #c0392b;"
_HINT = "color: #666;"


def dropped_files(event: QDragEnterEvent | QDropEvent) -> list[str]:
    """The local photos and PDFs being dragged (other files are left to whoever wants them)."""
    md = event.mimeData()
    if md is None or not md.hasUrls():
        return []
    return [u.toLocalFile() for u in md.urls() if u.isLocalFile() and _evidence().is_accepted(u.toLocalFile())]


def thumbnail_list() -> QListWidget:
    w = QListWidget()
    w.setViewMode(QListWidget.ViewMode.IconMode)
    w.setIconSize(QSize(96, 96))
    w.setMovement(QListWidget.Movement.Static)
    w.setWordWrap(True)
    w.setGridSize(QSize(120, 140))
    w.setMinimumHeight(150)
    w.setMaximumHeight(170)
    w.setAcceptDrops(False)  # drops go to the form
    return w


def fill_thumbnails(db: Database, widget: QListWidget, items: list[evidence.EvidenceItem], with_month: bool) -> None:
    """Thumbnails with their captions (or file names); the evidence id in UserRole."""
    widget.clear()
    for it in items:
        pix = QPixmap()
        pix.loadFromData(_evidence().thumbnail(db, it.sha256))
        text = it.caption or it.filename
        if with_month:
            text = f"{int(it.month[5:])}月 {text}"
        entry = QListWidgetItem(QIcon(pix), text)
        entry.setToolTip(f"{month_label(it.month)}　{it.filename}" + (f"\n{it.caption}" if it.caption else ""))
        entry.setData(USER_ROLE, it.id)
        widget.addItem(entry)


def open_item(db: Database, evidence_id: int, parent: QWidget | None = None) -> None:
    """Open a copy of the stored file in the system viewer (the stored file itself is never handed out)."""
    from PySide6.QtCore import QUrl  # deferred: see the module's docstring
    from PySide6.QtGui import QDesktopServices  # deferred: see the module's docstring

    item = _evidence().get_evidence(db, evidence_id)
    if item is None:
        return
    path = _evidence().save_copy(db, item, tempfile.mkdtemp(prefix="minsheng-"))
    if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
        dialogs.show_error(parent, "打开佐证材料", f"无法打开“{path.name}”：系统中没有可用的查看程序。")


class EvidencePanel(QGroupBox):
    """The form's 佐证材料: a button 添加佐证材料…, thumbnails, and a menu to caption or remove one."""

    changed = Signal()

    @property
    def db(self) -> Database:
        return self._get_db()

    def __init__(self, get_db: Callable[[], Database], parent: QWidget | None = None) -> None:
        super().__init__("佐证材料（照片、PDF；可把文件拖到这里）", parent)
        self._get_db = get_db  # the form's database, which the window replaces after a restore
        self.project_id: str | None = None
        self.month = ""
        box = QVBoxLayout(self)
        self.list = thumbnail_list()
        self.list.setProperty("contextMenuPolicy", 3)  # Qt.ContextMenuPolicy.CustomContextMenu
        self.list.customContextMenuRequested.connect(self._menu)
        self.list.itemDoubleClicked.connect(lambda it: open_item(self.db, it.data(USER_ROLE), self))
        box.addWidget(self.list)
        row = QHBoxLayout()
        self.button = QPushButton("添加佐证材料…")
        self.button.setToolTip("照片会缩小到长边 1600 像素保存；PDF 原样保存（不超过 20 MB）")
        self.button.clicked.connect(self.choose)
        row.addWidget(self.button)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet(_HINT)
        row.addWidget(self.message, 1)
        box.addLayout(row)
        self.set_target(None, "")

    def set_target(self, project_id: str | None, month: str) -> None:
        self.project_id, self.month = project_id, month
        self.setEnabled(project_id is not None and bool(month))
        self.message.setText("")
        self.refresh()

    def refresh(self) -> None:
        items = _evidence().list_evidence(self.db, self.project_id, self.month) if self.isEnabled() else []
        fill_thumbnails(self.db, self.list, items, with_month=False)  # type: ignore[arg-type]
        self.list.setVisible(bool(items))

    def choose(self) -> None:
        from PySide6.QtWidgets import QFileDialog  # deferred: see the module's docstring

        paths, _ = QFileDialog.getOpenFileNames(self, "添加佐证材料", "", _evidence().FILE_FILTER)
        if paths:
            self.add_files(paths)

    def add_files(self, paths: list[str]) -> int:
        """Attach files to the shown month; returns how many were added; problems are shown under the list."""
        if not self.isEnabled() or self.project_id is None:
            return 0
        added, errors = 0, []
        for path in paths:
            try:
                _evidence().add_evidence(self.db, self.project_id, self.month, path)
                added += 1
            except (_evidence().EvidenceError, StoreError) as exc:
                errors.append(str(exc))
        self.message.setStyleSheet(_ERR if errors else _HINT)
        self.message.setText("；".join(errors) if errors else f"已添加{added}个文件。")
        self.refresh()
        if added:
            self.changed.emit()
        return added

    def _menu(self, pos) -> None:  # type: ignore[no-untyped-def]
        item = self.list.itemAt(pos)
        if item is None:
            return
        eid = item.data(USER_ROLE)
        menu = QMenu(self)
        menu.addAction("打开", lambda: open_item(self.db, eid, self))
        menu.addAction("修改说明…", lambda: self.edit_caption(eid))
        menu.addAction("删除", lambda: self.remove(eid))
        menu.exec(self.list.viewport().mapToGlobal(pos))

    def edit_caption(self, eid: int) -> None:
        from PySide6.QtWidgets import QInputDialog  # deferred: see the module's docstring

        item = _evidence().get_evidence(self.db, eid)
        if item is None:
            return
        text, ok = QInputDialog.getText(self, "佐证材料说明", "说明（导出时印在照片下方）：", text=item.caption or "")
        if ok:
            _evidence().set_caption(self.db, eid, text)
            self.refresh()
            self.changed.emit()

    def remove(self, eid: int) -> None:
        item = _evidence().get_evidence(self.db, eid)
        if item is not None and dialogs.ask(self, "删除佐证材料", f"从本月填报中删除“{item.filename}”吗？"):
            _evidence().remove_evidence(self.db, eid)
            self.refresh()
            self.changed.emit()
