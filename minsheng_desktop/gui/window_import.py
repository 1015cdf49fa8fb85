"""The main window's import: choose or drop a file (or page photos), read it in a worker with page n of N
(取消 works, also in the middle of OCR), preview and correct, store on 导入."""

from __future__ import annotations

import os
from pathlib import Path

from typing import TYPE_CHECKING

from ..storage.db import StoreError
from . import dialogs, tasks

if TYPE_CHECKING:  # imported on first use: not needed to show the window
    from PySide6.QtGui import QDragEnterEvent, QDropEvent
    from PySide6.QtWidgets import QProgressDialog

    from ..services.importing import ImportPreview

# Every form importers/forms.py reads (the window's own list: building it needs no import of the readers).
IMPORT_SUFFIXES = (".docx", ".xlsx", ".xls", ".et", ".doc", ".wps", ".pdf", ".html", ".htm", ".mht", ".mhtml",
                   ".jpg", ".jpeg", ".png", ".tif", ".tiff", ".bmp")
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".tif", ".tiff", ".bmp")


class ImportCancelled(Exception):
    pass


def _label(path: str | os.PathLike[str] | list[str]) -> str:
    if isinstance(path, list):
        return f"{Path(path[0]).name} 等 {len(path)} 张图片" if len(path) > 1 else Path(path[0]).name
    return Path(path).name


class ImportMixin:
    """Mixed into MainWindow (which provides db_path, settings, form, reload, select_key, the signals)."""

    _progress: QProgressDialog | None
    _import_task: tasks.Task | None = None

    def choose_import(self) -> None:
        path = dialogs.choose_import_file(self, str(self.settings.value("import_dir", "")))
        if path:
            self.settings.setValue("import_dir", str(Path(path).parent))
            self.import_file(path)

    def import_file(self, path: str | os.PathLike[str] | list[str]) -> None:
        """Read in the background (a scan: page n of N), show the preview; store only when the clerk confirms."""
        from ..services import importing
        from ..services.database import open_database

        db_path = self.db_path
        label = _label(path)

        def job(progress, cancel):  # type: ignore[no-untyped-def]
            progress(f"正在读取“{label}”…")
            steps = importing.Progress(report=lambda done, total, text: progress(text, done / total if total else None),
                             cancelled=cancel.is_set)
            try:
                with open_database(db_path) as db:  # this thread's own connection
                    preview = importing.preview_import(db, path, progress=steps)
            except Exception:
                if cancel.is_set():
                    raise ImportCancelled() from None
                raise
            if cancel.is_set():  # reading only: nothing was stored, the result is dropped
                raise ImportCancelled()
            return preview

        self._busy(f"正在读取“{label}”…", cancellable=True)
        self._import_task = tasks.run_task(job, self._preview_ready, self._import_failed, self._busy,
                                           self._busy_fraction)

    def _busy_fraction(self, fraction: float) -> None:
        """A reader that knows its pages: the busy bar becomes page n of N."""
        if self._progress is not None:
            self._progress.setRange(0, 100)
            self._progress.setValue(int(round(100 * max(0.0, min(1.0, fraction)))))

    def _busy(self, text: str, cancellable: bool = False) -> None:
        if self._progress is None:
            from PySide6.QtCore import Qt
            from PySide6.QtWidgets import QProgressDialog

            self._progress = QProgressDialog(text, "取消", 0, 0, self)
            self._progress.setWindowTitle("请稍候")
            self._progress.setMinimumDuration(300)
            self._progress.setWindowModality(Qt.WindowModality.WindowModal)
            self._progress.setAutoClose(False)
            self._progress.setAutoReset(False)
            if cancellable:
                self._progress.canceled.connect(self.cancel_import)
            else:
                self._progress.setCancelButton(None)  # storing is all-or-nothing and quick: no half stop
        self._progress.setLabelText(text)

    def cancel_import(self) -> None:
        """取消 while reading: the worker's flag is set, the window is free at once, its result is ignored."""
        task, self._import_task = self._import_task, None
        if task is not None:
            task.cancel()
        self._idle()
        self.statusBar().showMessage("已取消导入，数据库未作改动。", 8000)
        self.importFinished.emit(False)

    def _idle(self) -> None:
        if self._progress is not None:
            self._progress.blockSignals(True)  # closing a QProgressDialog emits canceled()
            self._progress.close()
            self._progress.deleteLater()
            self._progress = None

    def _preview_ready(self, preview: ImportPreview) -> None:
        if self._import_task is None:
            return  # cancelled meanwhile
        from .import_dialog import ImportPreviewDialog

        self._import_task = None
        self._idle()
        from ..services import importing
        from ..services.database import open_database

        dlg = ImportPreviewDialog(preview, self, correct=lambda p, corr: importing.correct_preview(self.db, p, corr))
        dlg.accepted.connect(lambda: self._apply_import(dlg.preview))  # with the clerk's corrections
        dlg.rejected.connect(lambda: self.importFinished.emit(False))
        self.import_dialog = dlg
        dlg.open()
        self.previewReady.emit(dlg)

    def _apply_import(self, preview: ImportPreview) -> None:
        from ..services import importing
        from ..services.database import open_database

        db_path = self.db_path
        self.form.flush()

        def job(_progress, _cancel):  # type: ignore[no-untyped-def]
            with open_database(db_path) as db:
                return importing.apply_import(db, preview)

        self._busy("正在保存目标任务…")
        tasks.run_task(job, self._import_stored, self._import_failed)

    def _import_stored(self, list_id: int) -> None:
        self._idle()
        self.import_dialog = None
        self.list_id = list_id
        self.reload(list_id)
        tl = self.lists.get(list_id)
        self.statusBar().showMessage(f"已导入 {tl.label if tl else ''} 目标任务", 8000)
        if self._current_key() is None:
            self.select_key(f"list:{list_id}")
        self.importFinished.emit(True)

    def _import_failed(self, exc: BaseException) -> None:
        if isinstance(exc, ImportCancelled):
            return  # the clerk was told when they cancelled
        from ..services.importing import ImportFailure

        self._import_task = None
        self._idle()
        known = isinstance(exc, (ImportFailure, StoreError))
        text = str(exc) if known else f"导入时程序出错（{type(exc).__name__}）：{exc}。数据库未作改动。"
        dialogs.show_error(self, "无法导入", text)
        self.importFinished.emit(False)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self._dropped_path(event) is not None:
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        path = self._dropped_path(event)
        if path is not None:
            event.acceptProposedAction()
            self.import_file(path)

    @staticmethod
    def _dropped_path(event: QDragEnterEvent | QDropEvent) -> str | list[str] | None:
        """A notice file; several page photos (read together, in the order of their names); a folder of them."""
        files = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        images = [f for f in files if f.lower().endswith(IMAGE_SUFFIXES)]
        if len(images) > 1:
            return dialogs.natural_sorted(images)
        for f in files:
            if f.lower().endswith(IMPORT_SUFFIXES) or Path(f).is_dir():
                return f
        return None
