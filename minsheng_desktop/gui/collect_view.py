"""汇总 mode: the 发展改革委 contact picks the units' returned files and a month, sees what matched, chooses
candidates for what did not, settles conflicts, sees who has not reported, then confirms the write."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QDialog, QFileDialog, QHBoxLayout, QHeaderView, QLabel, QListWidget,
    QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget,
)

from ..services import collect, lists
from ..services.database import open_database
from ..domain.schedule import month_label
from . import dialogs
from .month_scope import fill_year_months
from .tasks import run_task

FILE_FILTER = "各单位报送的文件 (*.xlsx *.json);;Excel 表格 (*.xlsx);;dump 文件 (*.json)"
STATE_LABELS = {"new": "新增", "changed": "更新", "same": "无变化", "conflict": "冲突", "duplicate": "重复",
                "": "未匹配"}
DROP = "（不汇总）"


class CollectDialog(QDialog):
    analysed = Signal()
    applied = Signal(object)  # ApplyStats
    failed = Signal(str)

    def __init__(self, db_path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("汇总各单位月报")
        self.resize(1000, 680)
        self.db_path = Path(db_path)
        self.result: collect.CollectResult | None = None
        self.winners: dict[str, int] = {}
        self.task = None
        with open_database(self.db_path) as db:
            self.lists = lists.target_lists(db)
        lay = QVBoxLayout(self)
        top = QHBoxLayout()
        self.list_combo = QComboBox()
        for target_list in self.lists:
            self.list_combo.addItem(target_list.label, target_list.id)
        self.list_combo.currentIndexChanged.connect(self._fill_months)
        self.month_combo = QComboBox()
        top.addWidget(QLabel("目标任务："))
        top.addWidget(self.list_combo)
        top.addWidget(QLabel("汇总月份："))
        top.addWidget(self.month_combo)
        top.addStretch(1)
        lay.addLayout(top)
        files = QHBoxLayout()
        self.files = QListWidget()
        self.files.setMaximumHeight(90)
        files.addWidget(self.files, 1)
        col = QVBoxLayout()
        add = QPushButton("添加文件…")
        add.clicked.connect(self._choose_files)
        remove = QPushButton("移除")
        remove.clicked.connect(lambda: [self.files.takeItem(self.files.row(i)) for i in self.files.selectedItems()])
        self.analyse_button = QPushButton("读取并匹配")
        self.analyse_button.clicked.connect(self.analyse)
        for b in (add, remove, self.analyse_button):
            col.addWidget(b)
        files.addLayout(col)
        lay.addLayout(files)
        self.table = QTableWidget(0, 5)
        self.table.setHorizontalHeaderLabels(["文件", "单位", "文件中的项目", "汇总到", "情况"])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        for c, w in enumerate((170, 110, 240, 300)):
            self.table.setColumnWidth(c, w)
        lay.addWidget(self.table, 1)
        self.conflict_box = QWidget()
        self.conflict_lay = QVBoxLayout(self.conflict_box)
        self.conflict_lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.conflict_box)
        self.summary = QLabel("选择各单位报送的文件（本程序导出的 .xlsx 或 dump 的 .json）和月份，然后点“读取并匹配”。")
        self.summary.setWordWrap(True)
        lay.addWidget(self.summary)
        self.missing = QLabel()
        self.missing.setWordWrap(True)
        lay.addWidget(self.missing)
        buttons = QHBoxLayout()
        self.remind_button = QPushButton("催报未报送单位(&R)…")
        self.remind_button.setToolTip("给本月尚未报送的牵头单位写催报邮件草稿或直接发送（单位邮箱取自单位通讯录）")
        self.remind_button.clicked.connect(self.remind)
        buttons.addWidget(self.remind_button)
        buttons.addStretch(1)
        self.confirm_button = QPushButton("确认汇总")
        self.confirm_button.setEnabled(False)
        self.confirm_button.clicked.connect(self.confirm)
        close = QPushButton("关闭")
        close.clicked.connect(self.reject)
        buttons.addWidget(self.confirm_button)
        buttons.addWidget(close)
        lay.addLayout(buttons)
        self._fill_months()

    # ------------------------------------------------------------ inputs
    def _fill_months(self) -> None:
        target_list = next((t for t in self.lists if t.id == self.list_combo.currentData()), None)
        with open_database(self.db_path) as db:
            fill_year_months(self.month_combo, db, target_list)

    def _choose_files(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(self, "选择各单位报送的文件", "", FILE_FILTER)
        self.add_files(paths)

    def add_files(self, paths: list[str | Path]) -> None:
        have = {self.files.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.files.count())}
        for p in paths:
            if str(p) not in have:
                self.files.addItem(Path(p).name)
                self.files.item(self.files.count() - 1).setData(Qt.ItemDataRole.UserRole, str(p))

    def paths(self) -> list[str]:
        return [self.files.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.files.count())]

    # ------------------------------------------------------------ reading (worker thread)
    def analyse(self) -> None:
        paths, month, list_id = self.paths(), self.month_combo.currentData(), self.list_combo.currentData()
        if not paths or not month:
            dialogs.show_error(self, "汇总", "请先添加各单位报送的文件，并选择月份。")
            return
        target_list = next(t for t in self.lists if t.id == list_id)
        db_path = self.db_path

        def job(progress, cancelled):  # type: ignore[no-untyped-def]
            progress("正在读取文件…")
            with open_database(db_path) as db:  # the worker's own connection
                return collect.analyse(db, paths, month, target_list=target_list)

        self._busy(True, "正在读取并匹配…")
        self.task = run_task(job, self._analysed, self._failed)

    def _busy(self, busy: bool, text: str = "") -> None:
        self.analyse_button.setEnabled(not busy)
        self.confirm_button.setEnabled(not busy and self.result is not None)
        if text:
            self.summary.setText(text)

    def _failed(self, exc: BaseException) -> None:
        self.result = None
        self._busy(False)
        text = str(exc) if isinstance(exc, collect.CollectError) else f"汇总出错（{type(exc).__name__}）：{exc}"
        self.summary.setText(text)
        self.failed.emit(text)

    def _analysed(self, result: collect.CollectResult) -> None:
        self.result, self.winners = result, {}
        self._busy(False)
        self._show()
        self.analysed.emit()

    # ------------------------------------------------------------ showing
    def _show(self) -> None:
        r = self.result
        assert r is not None
        self.table.setRowCount(len(r.items))
        self.combos: dict[int, QComboBox] = {}
        for k, it in enumerate(r.items):
            inc = it.incoming
            for c, text in enumerate((inc.source, inc.unit or "", inc.label)):
                self.table.setItem(k, c, QTableWidgetItem(text))
            if it.how in ("", "chosen"):
                combo = QComboBox()
                combo.addItem(DROP, None)
                near = [p for p, _ in it.candidates]
                for p in near + [p for p in r.projects if p not in near]:
                    combo.addItem(f"{p.number}. {p.name}（{'、'.join(p.lead_units)}）", p.id)
                if it.project is not None:
                    combo.setCurrentIndex(combo.findData(it.project.id))
                combo.currentIndexChanged.connect(lambda _i, k=k, cb=combo: self.choose(k, cb.currentData()))
                self.table.setCellWidget(k, 3, combo)
                self.combos[k] = combo
            else:
                p = it.project
                self.table.setItem(k, 3, QTableWidgetItem(f"{p.number}. {p.name}" if p else ""))
        self._refresh_states()
        self._show_conflicts()

    def choose(self, index: int, project_id: str | None) -> None:
        """A candidate picked (or 不汇总) for an item that did not match by itself."""
        assert self.result is not None
        collect.choose(self.result, index, project_id)
        self.winners = {}
        self._refresh_states()
        self._show_conflicts()

    def _refresh_states(self) -> None:
        r = self.result
        assert r is not None
        for k, it in enumerate(r.items):
            label = STATE_LABELS.get(it.state, it.state)
            if it.project is None and it.candidates:
                label += "：请在“汇总到”中选择相近项目，或不汇总"
            self.table.setItem(k, 4, QTableWidgetItem(label))
        lines = collect.summary_lines(r)
        skipped = [f.name for f in r.files if f.collected_at]
        todo = collect.reports_to_write(r, self.winners)
        self.summary.setText(f"已匹配{len(r.taken)}条，未匹配{len(r.unmatched)}条，冲突{len(r.conflicts)}项；"
                             f"确认后将写入{len(todo)}条。" + (f"已汇总过的文件：{'、'.join(skipped)}。" if skipped else ""))
        self.missing.setText(lines[-1])
        self.missing.setStyleSheet("color: #c0392b;" if r.missing_units() and r.deadline_passed else "")
        self.confirm_button.setEnabled(True)

    def _show_conflicts(self) -> None:
        while self.conflict_lay.count():
            w = self.conflict_lay.takeAt(0).widget()
            if w is not None:
                w.deleteLater()
        r = self.result
        assert r is not None
        for c in r.conflicts:
            row = QWidget()
            h = QHBoxLayout(row)
            h.setContentsMargins(0, 0, 0, 0)
            h.addWidget(QLabel(f"冲突：{c.project.number}. {c.project.name} 在多个文件中填报不一致，采用："))
            combo = QComboBox()
            combo.addItem("（暂不汇总）", None)
            for k in c.items:
                inc = r.items[k].incoming
                v = inc.values
                combo.addItem(f"{inc.source}（{inc.unit or ''} 完成进度{v.get('percent')}%）", k)
            combo.currentIndexChanged.connect(lambda _i, pid=c.project.id, cb=combo: self._winner(pid, cb.currentData()))
            h.addWidget(combo, 1)
            self.conflict_lay.addWidget(row)

    def _winner(self, project_id: str, index: int | None) -> None:
        if index is None:
            self.winners.pop(project_id, None)
        else:
            self.winners[project_id] = index
        self._refresh_states()

    def remind(self) -> None:
        """催报 for the list and month chosen here (the units' returns collected so far count as reported)."""
        _remind_dialog(self, self.db_path, self.list_combo.currentData(), self.month_combo.currentData())

    # ------------------------------------------------------------ writing
    def confirm(self) -> None:
        r, winners, db_path = self.result, dict(self.winners), self.db_path
        if r is None:
            return

        def job(progress, cancelled):  # type: ignore[no-untyped-def]
            with open_database(db_path) as db:
                return collect.apply_collect(db, r, winners)

        self._busy(True, "正在写入…")
        self.task = run_task(job, self._applied, self._failed)

    def _applied(self, stats: collect.ApplyStats) -> None:
        r = self.result
        assert r is not None
        missing = "、".join(stats.missing_units) or "无"
        self.summary.setText(f"已写入{r.target_list.label} {month_label(r.month)}的月报{stats.written}条"
                             f"（登记文件{stats.files_logged}个）。未报送的牵头单位：{missing}。")
        self.result = None
        self.analyse_button.setEnabled(True)
        self.confirm_button.setEnabled(False)
        self.applied.emit(stats)


def _remind_dialog(parent: QWidget, db_path: Path, list_id: int | None, month: str | None) -> None:
    from .units_dialog import RemindDialog  # deferred: only when the contact asks for it (a dialog's module)

    dlg = RemindDialog(db_path, parent)
    dlg.list_combo.setCurrentIndex(max(0, dlg.list_combo.findData(list_id)))
    dlg.month_combo.setCurrentIndex(max(0, dlg.month_combo.findData(month)))
    dlg.exec()


def open_collect_dialog(parent: QWidget | None, db_path: Path) -> None:
    """汇总 mode from the window's menu: a modal dialog on its own database connections."""
    with open_database(Path(db_path)) as db:
        if not lists.target_lists(db):
            dialogs.show_error(parent, "汇总", "还没有导入目标任务：请先导入本区的目标任务，再汇总各单位的月报。")
            return
    dlg = CollectDialog(Path(db_path), parent)
    dlg.exec()
