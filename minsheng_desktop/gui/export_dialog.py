"""导出: month, formats, scope and folder; the files are built and written in a worker thread.

The scope starts at the clerk's own unit when one is set (as 发送月报 does); the projects of the scope still
unfilled for the month are named with 去填报; the first export asks once for 联系人 and 联系电话."""

from __future__ import annotations

from contextlib import nullcontext
from pathlib import Path

from PySide6.QtCore import QSettings, Signal
from PySide6.QtWidgets import (
    QCheckBox, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QListWidget,
    QListWidgetItem, QProgressBar, QPushButton, QStyle, QVBoxLayout, QWidget,
)

from ..services.database import Database, open_database
from ..services import export as reporting
from ..services.formats import FORMATS
from ..services import mailing
from ..domain.model import TargetList
from . import dialogs, tasks
from .month_scope import MonthScope, UnfilledNote

FOLDER_KEY = "export_dir"
CONTACT_ASKED_KEY = "contact_asked"  # QSettings: 联系人/联系电话 asked once, whatever the answer


def default_folder(settings: QSettings) -> str:
    saved = str(settings.value(FOLDER_KEY, "") or "")
    if saved and Path(saved).is_dir():
        return saved
    docs = Path.home() / "Documents"
    return str(docs if docs.is_dir() else Path.home())


class ExportDialog(QDialog):
    finished_export = Signal(list)  # list[reporting.ExportResult]
    fillRequested = Signal(str, str)  # project id, month: the clerk chose 去填报
    unfilledShown = Signal()  # the unfilled projects of the month and scope were read (for tests)

    def __init__(self, db_path: Path, target_list: TargetList, month: str, unit: str | None,
                 settings: QSettings,
                 parent: QWidget | None = None, db: Database | None = None) -> None:
        super().__init__(parent)
        self.db_path, self.target_list, self.unit = db_path, target_list, unit
        self.settings, self.db = settings, db
        self.results: list[reporting.ExportResult] = []
        self.task: tasks.Task | None = None
        self.setWindowTitle(f"导出 — {target_list.label}")
        self.resize(620, 520)
        lay = QVBoxLayout(self)
        form = QFormLayout()
        self.scope = MonthScope(self, target_list.year, month, unit, mine_by_default=True,
                                all_text="全部项目(&A)",
                                mine_text="本单位牵头（{unit}）(&U)", no_unit_text="本单位牵头（请先在设置中选择本单位）")
        self.month.currentIndexChanged.connect(self._month_changed)
        self.scope_all.toggled.connect(self._scope_changed)
        form.addRow("月份(&M)：", self.month)
        box = QVBoxLayout()
        self.formats: dict[str, QCheckBox] = {}
        for kind, fmt in FORMATS.items():
            if not fmt.monthly:  # the 实施方案 is made once a year, not with the month's files
                continue
            cb = QCheckBox(fmt.label)
            cb.setChecked(not fmt.quarterly)  # the bulletin only when the clerk ticks it
            cb.toggled.connect(self._update_buttons)
            self.formats[kind] = cb
            box.addWidget(cb)
        form.addRow("导出内容：", box)
        scope = QHBoxLayout()
        for b in (self.scope_all, self.scope_mine):
            scope.addWidget(b)
        form.addRow("范围：", scope)
        self.unfilled = UnfilledNote(self)
        self.unfilled.fillRequested.connect(self._go_fill)
        form.addRow(self.unfilled)
        folder = QHBoxLayout()
        self.folder = QLineEdit(default_folder(settings))
        browse = QPushButton("浏览(&B)…")
        browse.clicked.connect(self._browse)
        folder.addWidget(self.folder, 1)
        folder.addWidget(browse)
        form.addRow("保存到(&F)：", folder)
        form.labelForField(folder).setBuddy(self.folder)  # a row of a layout: Alt+F needs the buddy named
        lay.addLayout(form)
        self.progress = QProgressBar()
        self.progress.setRange(0, 100)
        self.progress.setVisible(False)
        lay.addWidget(self.progress)
        self.status = QLabel("选择月份和格式后点“导出”。文件名按单位和月份自动生成。")
        self.status.setWordWrap(True)
        lay.addWidget(self.status)
        self.result_list = QListWidget()
        lay.addWidget(self.result_list, 1)
        buttons = QDialogButtonBox()
        self.export_button = buttons.addButton("导出(&E)", QDialogButtonBox.ButtonRole.ActionRole)
        self.export_button.setDefault(True)
        self.export_button.clicked.connect(self.start)
        self.open_button = buttons.addButton("打开文件夹(&O)", QDialogButtonBox.ButtonRole.ActionRole)
        self.open_button.setEnabled(False)
        self.open_button.clicked.connect(self.open_folder)
        self.close_button = buttons.addButton("关闭", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
        self._month_changed()

    # ------------------------------------------------------------ choices
    @property
    def chosen_month(self) -> str:
        return self.scope.chosen_month

    @property
    def chosen_unit(self) -> str | None:
        return self.scope.chosen_unit

    @property
    def chosen_kinds(self) -> list[str]:
        return [k for k, cb in self.formats.items() if cb.isChecked() and cb.isEnabled()]

    def _scope_changed(self, *_: object) -> None:
        self._show_unfilled()

    def _show_unfilled(self) -> None:
        """Name the scope's projects unfilled for the month (read in a worker: a city-scale list takes a while)."""
        db_path, target_list = self.db_path, self.target_list
        month, unit = self.chosen_month, self.chosen_unit

        def job(_progress, _cancel):  # type: ignore[no-untyped-def]
            with open_database(db_path) as db:
                return reporting.unfilled_projects(db, target_list, month, unit)

        def done(projects: list) -> None:
            if (month, unit) == (self.chosen_month, self.chosen_unit):  # else a newer read is on its way
                self.unfilled.show_unfilled(projects, month, unit)
                self.unfilledShown.emit()

        tasks.run_task(job, done, lambda _exc: None)

    def _go_fill(self, project_id: str, month: str) -> None:
        self.reject()
        self.fillRequested.emit(project_id, month)

    def _month_changed(self, *_: object) -> None:
        self._show_unfilled()
        for kind, cb in self.formats.items():
            fmt = FORMATS[kind]
            if fmt.quarterly:
                ok = fmt.applies_to(self.chosen_month)
                cb.setEnabled(ok)
                cb.setToolTip("" if ok else f"{fmt.name}只在季末月份（3、6、9、12月）导出")
                cb.setText(fmt.label + ("" if ok else "（仅季末月份）"))
        self._update_buttons()

    def _update_buttons(self, *_: object) -> None:
        self.export_button.setEnabled(bool(self.chosen_kinds) and self.task is None)

    def _browse(self) -> None:
        path = dialogs.choose_folder(self, "选择保存导出文件的文件夹", self.folder.text())
        if path:
            self.folder.setText(path)

    # ------------------------------------------------------------ running
    def start(self) -> None:
        """Phase 1 (worker): the file names; then ask about existing files; phase 2 (worker): build and write."""
        folder = Path(self.folder.text().strip() or ".")
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            dialogs.show_error(self, "无法导出", f"文件夹“{folder}”无法使用（{exc.strerror or exc}）：请换一个文件夹。")
            return
        self.settings.setValue(FOLDER_KEY, str(folder))
        self._ask_contact_once()
        db_path, target_list = self.db_path, self.target_list
        month, unit, kinds = self.chosen_month, self.chosen_unit, self.chosen_kinds

        def names(_progress, _cancel):  # type: ignore[no-untyped-def]
            with open_database(db_path) as db:
                return reporting.export_names(db, target_list, month, unit, kinds)

        self._running("正在准备…")
        self.task = tasks.run_task(names, lambda n: self._names_ready(folder, month, unit, kinds, n), self._failed)

    def _ask_contact_once(self) -> None:
        """联系人 / 联系电话 print on the table and the letter: on the first export without them, ask (once)."""
        if str(self.settings.value(CONTACT_ASKED_KEY, "false")).lower() == "true":
            return
        with nullcontext(self.db) if self.db is not None else open_database(self.db_path) as db:
            name, phone = mailing.reporter_contact(db)
            if name and phone:
                return
            self.settings.setValue(CONTACT_ASKED_KEY, True)
            answer = dialogs.ask_contact(self, name, phone)
            if answer is not None:
                mailing.save_reporter_contact(db, *answer)

    def _names_ready(self, folder: Path, month: str, unit: str | None, kinds: list[str], names: dict[str, str]) -> None:
        skip = set()
        for kind, name in names.items():
            if (folder / name).exists() and not dialogs.ask(
                    self, "文件已存在", f"“{name}”已存在于\n{folder}\n\n要用新导出的文件替换它吗？"):
                skip.add(kind)
        db_path, target_list = self.db_path, self.target_list

        def write(progress, cancel):  # type: ignore[no-untyped-def]
            with open_database(db_path) as db:
                return reporting.export_month(db, target_list, month, unit, kinds, folder, skip, progress,
                                              cancel)

        self.task = tasks.run_task(write, self._done, self._failed, self.status.setText,
                                   lambda f: self.progress.setValue(int(f * 100)))

    def _running(self, text: str) -> None:
        self.result_list.clear()
        self.progress.setValue(0)
        self.progress.setVisible(True)
        self.status.setText(text)
        self.export_button.setEnabled(False)

    def _done(self, results: list[reporting.ExportResult]) -> None:
        self.task = None
        self.results = results
        self.progress.setVisible(False)
        ok_icon = self.style().standardIcon(QStyle.StandardPixmap.SP_DialogApplyButton)
        bad_icon = self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        for r in results:
            item = QListWidgetItem(ok_icon if r.ok else bad_icon, r.message)
            item.setToolTip(str(r.path))
            self.result_list.addItem(item)
        written = sum(r.ok for r in results)
        failed = [r for r in results if not r.ok]
        folder = results[0].path.parent if results else Path(self.folder.text())
        self.status.setText(f"已导出 {written} 个文件到 {folder}" + (f"，{len(failed)} 个未导出（见下）" if failed else "。"))
        self.open_button.setEnabled(written > 0 or bool(results))
        self._update_buttons()
        locked = [r for r in failed if "正被其他程序" in r.message]
        if locked:
            dialogs.show_error(self, "有文件未能写入", "\n".join(r.message for r in locked)
                               + ("\n\n其余文件已照常导出。" if written else ""))
        self.finished_export.emit(results)

    def _failed(self, exc: BaseException) -> None:
        self.task = None
        self.progress.setVisible(False)
        self.status.setText("导出没有完成。")
        self._update_buttons()
        dialogs.show_error(self, "无法导出", f"导出时出错（{type(exc).__name__}）：{exc}")
        self.finished_export.emit([])

    def open_folder(self) -> None:
        dialogs.open_path(self.folder.text())

    def reject(self) -> None:
        if self.task is not None:
            self.task.cancel()
            tasks.wait_all(5000)
        super().reject()
