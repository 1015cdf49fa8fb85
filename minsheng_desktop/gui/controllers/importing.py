"""导入目标任务: choose or drop a file (or page photos), read it in a worker with page n of N (取消 works, also in
the middle of OCR), preview and correct, store on 导入."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QProgressDialog

from ...services.database import StoreError, open_database
from .. import dialogs, tasks

if TYPE_CHECKING:
    from PySide6.QtGui import QDragEnterEvent, QDropEvent

    from ...services.importing import ImportPreview
    from ..import_dialog import ImportPreviewDialog
    from .navigation import NavigationController
    from .window import Window

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


def dropped_path(event: QDragEnterEvent | QDropEvent) -> str | list[str] | None:
    """A notice file; several page photos (read together, in the order of their names); a folder of them."""
    files = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
    images = [f for f in files if f.lower().endswith(IMAGE_SUFFIXES)]
    if len(images) > 1:
        return dialogs.natural_sorted(images)
    for f in files:
        if f.lower().endswith(IMPORT_SUFFIXES) or Path(f).is_dir():
            return f
    return None


class ImportController:
    """Emits the window's importFinished (True when a list was stored) and previewReady (the dialog)."""

    def __init__(self, window: Window, nav: NavigationController) -> None:
        self.w = window
        self.nav = nav
        self.progress: QProgressDialog | None = None
        self.dialog: ImportPreviewDialog | None = None  # the preview waiting for the clerk
        self._task: tasks.Task | None = None

    def choose(self) -> None:
        settings = self.w.settings
        path = dialogs.choose_import_file(self.w, str(settings.value("import_dir", "")))
        if path:
            settings.setValue("import_dir", str(Path(path).parent))
            self.import_file(path)

    def import_file(self, path: str | os.PathLike[str] | list[str]) -> None:
        """Read in the background (a scan: page n of N), show the preview; store only when the clerk confirms."""
        from ...services import importing  # deferred: loads the importers and lxml (~45 ms)

        db_path = self.w.state.db_path
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
        self._task = tasks.run_task(job, self._preview_ready, self._failed, self._busy, self._busy_fraction)

    def _busy_fraction(self, fraction: float) -> None:
        """A reader that knows its pages: the busy bar becomes page n of N."""
        if self.progress is not None:
            self.progress.setRange(0, 100)
            self.progress.setValue(int(round(100 * max(0.0, min(1.0, fraction)))))

    def _busy(self, text: str, cancellable: bool = False) -> None:
        if self.progress is None:
            from PySide6.QtCore import Qt  # deferred: not at start (see menus.key_sequences)

            self.progress = QProgressDialog(text, "取消", 0, 0, self.w)
            self.progress.setWindowTitle("请稍候")
            self.progress.setMinimumDuration(300)
            self.progress.setWindowModality(Qt.WindowModality.WindowModal)
            self.progress.setAutoClose(False)
            self.progress.setAutoReset(False)
            if cancellable:
                self.progress.canceled.connect(self.cancel)
            else:
                self.progress.setCancelButton(None)  # storing is all-or-nothing and quick: no half stop
        self.progress.setLabelText(text)

    def cancel(self) -> None:
        """取消 while reading: the worker's flag is set, the window is free at once, its result is ignored."""
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
        self._idle()
        self.w.statusBar().showMessage("已取消导入，数据库未作改动。", 8000)
        self.w.importFinished.emit(False)

    def _idle(self) -> None:
        if self.progress is not None:
            self.progress.blockSignals(True)  # closing a QProgressDialog emits canceled()
            self.progress.close()
            self.progress.deleteLater()
            self.progress = None

    def _preview_ready(self, preview: ImportPreview) -> None:
        if self._task is None:
            return  # cancelled meanwhile
        from ...services import importing  # deferred: loads the importers and lxml (~45 ms)
        from ..import_dialog import ImportPreviewDialog  # deferred: the dialog's module, when first opened

        self._task = None
        self._idle()
        w = self.w
        dlg = ImportPreviewDialog(preview, w, correct=lambda p, corr: importing.correct_preview(w.state.db, p, corr))
        dlg.accepted.connect(lambda: self._apply(dlg.preview))  # with the clerk's corrections
        dlg.rejected.connect(lambda: w.importFinished.emit(False))
        self.dialog = dlg
        dlg.open()
        w.previewReady.emit(dlg)

    def _apply(self, preview: ImportPreview) -> None:
        from ...services import importing  # deferred: loads the importers and lxml (~45 ms)

        db_path = self.w.state.db_path
        self.w.form.flush()

        def job(_progress, _cancel):  # type: ignore[no-untyped-def]
            with open_database(db_path) as db:
                return importing.apply_import(db, preview)

        self._busy("正在保存目标任务…")
        tasks.run_task(job, self._stored, self._failed)

    def _stored(self, list_id: int) -> None:
        w = self.w
        self._idle()
        self.dialog = None
        w.state.list_id = list_id
        self.nav.reload(list_id)
        target_list = w.state.lists.get(list_id)
        w.statusBar().showMessage(f"已导入 {target_list.label if target_list else ''} 目标任务", 8000)
        if self.nav.current_key() is None:
            self.nav.select_key(f"list:{list_id}")
        w.importFinished.emit(True)

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, ImportCancelled):
            return  # the clerk was told when they cancelled
        from ...services.importing import ImportFailure  # deferred: loads the importers and lxml (~45 ms)

        self._task = None
        self._idle()
        known = isinstance(exc, (ImportFailure, StoreError))
        text = str(exc) if known else f"导入时程序出错（{type(exc).__name__}）：{exc}。数据库未作改动。"
        dialogs.show_error(self.w, "无法导入", text)
        self.w.importFinished.emit(False)
