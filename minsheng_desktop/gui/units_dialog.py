"""汇总 → 单位通讯录 and 催报: the 发展改革委 contact's address book of the lead units (typed, or loaded from an
.xlsx/.csv), and the reminders to the units that have not reported a month (as .eml drafts, or sent)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView, QCheckBox, QComboBox, QDialog, QHBoxLayout, QHeaderView, QLabel, QPushButton, QTableWidget,
    QTableWidgetItem, QVBoxLayout, QWidget,
)

from ..domain.units import SOURCE_LABELS, UnitContact
from ..services import lists, remind, units
from ..services.database import open_database
from ..services.mailing import get_password
from ..services.outbox import load_smtp_settings
from ..domain.schedule import month_label
from . import dialogs
from .month_scope import fill_year_months
from .tasks import run_task

UNITS_FILTER = "单位通讯录 (*.xlsx *.csv);;Excel 表格 (*.xlsx);;CSV 文件 (*.csv)"
COLUMNS = ("单位", "联系人", "电话", "邮箱", "来源")


class UnitsDialog(QDialog):
    """The address book as an editable table; 保存 checks every row and replaces the book in one step."""

    def __init__(self, db_path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("单位通讯录")
        self.resize(820, 520)
        self.db_path = Path(db_path)
        lay = QVBoxLayout(self)
        hint = QLabel("各牵头单位的联系人和邮箱，用于催报和识别报送邮件。可直接在表中修改，"
                      "或从 Excel/WPS 表格（列：单位、联系人、电话、邮箱）导入。")
        hint.setWordWrap(True)
        lay.addWidget(hint)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        lay.addWidget(self.table, 1)
        self.missing = QLabel()
        self.missing.setWordWrap(True)
        lay.addWidget(self.missing)
        buttons = QHBoxLayout()
        add = QPushButton("添加单位(&A)")
        add.clicked.connect(lambda: self._append(UnitContact("")))
        remove = QPushButton("删除所选(&D)")
        remove.clicked.connect(self._remove)
        load = QPushButton("从文件导入(&I)…")
        load.clicked.connect(self._load_file)
        self.save_button = QPushButton("保存(&S)")
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        close = QPushButton("关闭")
        close.clicked.connect(self.reject)
        for b in (add, remove, load):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(close)
        lay.addLayout(buttons)
        self._fill()

    def _fill(self) -> None:
        with open_database(self.db_path) as db:
            book = units.address_book(db)
            missing = sorted({u for t in lists.target_lists(db) for u in units.lead_units_without_entry(db, t.id)})
        self.table.setRowCount(0)
        for entry in book:
            self._append(entry)
        self.missing.setText(f"以下牵头单位还没有邮箱，无法催报：{'、'.join(missing)}" if missing else "")

    def _append(self, e: UnitContact) -> None:
        r = self.table.rowCount()
        self.table.insertRow(r)
        for c, value in enumerate((e.name, e.contact, e.phone, e.email)):
            self.table.setItem(r, c, QTableWidgetItem(value or ""))
        source = QTableWidgetItem(SOURCE_LABELS.get(e.source, e.source))
        source.setFlags(source.flags() & ~Qt.ItemFlag.ItemIsEditable)
        source.setData(Qt.ItemDataRole.UserRole, e.source)
        self.table.setItem(r, 4, source)

    def entries(self) -> list[UnitContact]:
        """The rows as typed (blank rows left out)."""
        out = []
        for r in range(self.table.rowCount()):
            name, contact, phone, email = ((self.table.item(r, c).text() if self.table.item(r, c) else "").strip()
                                           for c in range(4))
            if not (name or contact or phone or email):
                continue
            source = self.table.item(r, 4).data(Qt.ItemDataRole.UserRole) if self.table.item(r, 4) else "manual"
            out.append(UnitContact(name, contact or None, phone or None, email or None, source or "manual"))
        return out

    def _remove(self) -> None:
        for r in sorted({i.row() for i in self.table.selectedIndexes()}, reverse=True):
            self.table.removeRow(r)

    def save(self) -> bool:
        try:
            with open_database(self.db_path) as db:
                units.save_book(db, self.entries())
        except units.UnitsError as exc:
            dialogs.show_error(self, "单位通讯录", str(exc))
            return False
        self._fill()
        dialogs.show_info(self, "单位通讯录", "通讯录已保存。")
        return True

    def _load_file(self) -> None:
        path = dialogs.choose_open_file(self, "导入单位通讯录", "", UNITS_FILTER)
        if not path:
            return
        try:
            with open_database(self.db_path) as db:
                loaded = units.load_units_file(db, Path(path))
        except units.UnitsError as exc:
            dialogs.show_error(self, "导入单位通讯录", str(exc))
            return
        self._fill()
        dialogs.show_info(self, "导入单位通讯录", loaded.summary())


class RemindDialog(QDialog):
    """催报: who has not reported the chosen month, then drafts into a folder or sending over SMTP (a worker)."""

    def __init__(self, db_path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("催报未报送的单位")
        self.resize(640, 420)
        self.db_path = Path(db_path)
        self.task = None
        with open_database(self.db_path) as db:
            self.lists = lists.target_lists(db)
        lay = QVBoxLayout(self)
        top = QHBoxLayout()
        self.list_combo = QComboBox()
        for target_list in self.lists:
            self.list_combo.addItem(target_list.label, target_list.id)
        self.month_combo = QComboBox()
        self.list_combo.currentIndexChanged.connect(self._fill_months)
        self.month_combo.currentIndexChanged.connect(self.refresh)
        top.addWidget(QLabel("目标任务："))
        top.addWidget(self.list_combo)
        top.addWidget(QLabel("月份："))
        top.addWidget(self.month_combo)
        top.addStretch(1)
        lay.addLayout(top)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.summary.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        lay.addWidget(self.summary, 1)
        buttons = QHBoxLayout()
        self.eml_button = QPushButton("写出邮件草稿(&E)…")
        self.eml_button.clicked.connect(self.write_drafts)
        self.again = QCheckBox("今天已催报过的也再催报")
        self.send_button = QPushButton("直接发送(&S)")
        self.send_button.clicked.connect(self.send)
        close = QPushButton("关闭")
        close.clicked.connect(self.reject)
        buttons.addWidget(self.again)
        buttons.addStretch(1)
        buttons.addWidget(self.eml_button)
        buttons.addWidget(self.send_button)
        buttons.addWidget(close)
        lay.addLayout(buttons)
        self._fill_months()

    def _target(self):  # type: ignore[no-untyped-def]
        return next((t for t in self.lists if t.id == self.list_combo.currentData()), None)

    def _fill_months(self) -> None:
        target_list = self._target()
        self.month_combo.blockSignals(True)
        with open_database(self.db_path) as db:
            fill_year_months(self.month_combo, db, target_list)
        self.month_combo.blockSignals(False)
        self.refresh()

    def refresh(self) -> None:
        t, month = self._target(), self.month_combo.currentData()
        if t is None or not month:
            self.summary.setText("还没有导入目标任务。")
            return
        with open_database(self.db_path) as db:
            plan = remind.plan_reminders(db, t, month, "send", force=True)
        lines = [f"{month_label(month)}报送时限：{plan.deadline.year}年{plan.deadline.month}月{plan.deadline.day}日。"]
        if plan.due:
            lines.append(f"将催报以下{len(plan.due)}个单位：")
            lines += [f"    {f.unit}（{addr}，{len(f.projects)}个项目未报送）" for f, addr in plan.due]
        if plan.no_address:
            lines.append("通讯录中没有邮箱，无法催报：" + "、".join(plan.no_address) + "（请在“单位通讯录”中补充）")
        if not plan.due and not plan.no_address:
            lines.append("所有牵头单位都已报送本月推进情况，无需催报。")
        self.summary.setText("\n".join(lines))
        self.eml_button.setEnabled(bool(plan.due))
        self.send_button.setEnabled(bool(plan.due))

    def write_drafts(self) -> None:
        folder = dialogs.choose_folder(self, "催报邮件草稿保存到")
        if not folder:
            return
        force = self.again.isChecked()
        self._run(lambda db, t, m: remind.write_reminder_drafts(db, t, m, Path(folder), force=force), "eml")

    def send(self) -> None:
        with open_database(self.db_path) as db:
            settings = load_smtp_settings(db)
        if settings is None:
            dialogs.show_error(self, "催报", "还没有设置发信服务器：请先在“设置 → 邮件设置”中填写。")
            return
        password = get_password(settings.user) if settings.user else None
        if settings.user and password is None:
            password = dialogs.ask_password(self, settings.user)
            if password is None:
                return
        force = self.again.isChecked()
        self._run(lambda db, t, m: remind.send_reminders(db, t, m, settings, password, force=force), "send")

    def _run(self, action, how: str) -> None:  # type: ignore[no-untyped-def]
        t, month, db_path = self._target(), self.month_combo.currentData(), self.db_path

        def job(progress, cancelled):  # type: ignore[no-untyped-def]
            progress("正在催报…")
            with open_database(db_path) as db:  # the worker's own connection
                return action(db, t, month)

        self.eml_button.setEnabled(False)
        self.send_button.setEnabled(False)
        self.summary.setText("正在催报…")
        self.task = run_task(job, lambda result: self._done(result, how), self._failed)

    def _done(self, result: remind.RemindResult, how: str) -> None:
        self.summary.setText("\n".join(result.lines(how, again="（如需再次催报请勾选“今天已催报过的也再催报”）")))
        self.eml_button.setEnabled(True)
        self.send_button.setEnabled(True)

    def _failed(self, exc: BaseException) -> None:
        message = getattr(exc, "message", None) or f"催报出错（{type(exc).__name__}）：{exc}"
        self.summary.setText(message)
        self.eml_button.setEnabled(True)
        self.send_button.setEnabled(True)


def open_units_dialog(parent: QWidget | None, db_path: Path) -> None:
    UnitsDialog(Path(db_path), parent).exec()


def open_remind_dialog(parent: QWidget | None, db_path: Path) -> None:
    with open_database(Path(db_path)) as db:
        if not lists.target_lists(db):
            dialogs.show_error(parent, "催报", "还没有导入目标任务：请先导入本区的目标任务。")
            return
    RemindDialog(Path(db_path), parent).exec()
