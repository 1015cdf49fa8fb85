"""The detail pane's 实施方案 box (issue 17): the selected project's 责任人, phone, 工作措施 and monthly nodes — one
row per month of the year, 节点目标 and 计划完成进度(%) typed in — saved whole through services.plan.

Saving is one small transaction (a project's plan), done on the UI thread; the box says what was wrong (the row,
in Chinese) and stores nothing until everything is right. ``changed`` tells the window to redraw the lights."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..domain.model import Project
from ..domain.month import Month
from ..domain.plan import Milestone, Plan, make_plan, parse_percent
from ..services import plan as plans
from ..services.database import Database, StoreError


class PlanView(QGroupBox):
    changed = Signal(str)  # the project id whose plan was saved

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("实施方案（责任人、工作措施、按月节点）", parent)
        self.db: Database | None = None
        self.project: Project | None = None
        self.year = 0
        lay = QVBoxLayout(self)
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.responsible, self.phone = QLineEdit(), QLineEdit()
        self.measures = QPlainTextEdit()
        self.measures.setMaximumHeight(64)
        self.measures.setPlaceholderText("如：成立工作专班，倒排工期，每周调度")
        form.addRow("责任人：", self.responsible)
        form.addRow("联系电话：", self.phone)
        form.addRow("工作措施：", self.measures)
        lay.addLayout(form)
        self.nodes = QTableWidget(12, 3)
        self.nodes.setHorizontalHeaderLabels(["月份", "节点目标", "计划完成进度(%)"])
        self.nodes.verticalHeader().setVisible(False)
        self.nodes.setEditTriggers(QAbstractItemView.EditTrigger.AllEditTriggers)
        self.nodes.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.nodes.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.nodes.verticalHeader().setDefaultSectionSize(24)
        self.nodes.setMinimumHeight(120)
        lay.addWidget(self.nodes)
        self.message = QLabel("")
        self.message.setWordWrap(True)
        lay.addWidget(self.message)
        buttons = QHBoxLayout()
        self.save_button = QPushButton("保存方案(&P)")
        self.revert_button = QPushButton("还原")
        self.save_button.clicked.connect(self.save)
        self.revert_button.clicked.connect(self._revert)
        buttons.addStretch(1)
        buttons.addWidget(self.revert_button)
        buttons.addWidget(self.save_button)
        lay.addLayout(buttons)
        self.setVisible(False)

    # ------------------------------------------------------------ showing
    def show_project(self, p: Project | None, db: Database | None) -> None:
        """Show the project's plan (a leaf, with a database); otherwise hide the box."""
        self.db, self.project = db, p
        if p is None or db is None or not p.is_leaf:
            self.setVisible(False)
            return
        self.year, plan = plans.plan_form(db, p.id, p.list_id)
        self._fill(plan)
        self.message.setText("")
        self.setVisible(True)

    def _revert(self) -> None:
        self.show_project(self.project, self.db)

    def _fill(self, plan: Plan | None) -> None:
        self.responsible.setText(plan.responsible or "" if plan else "")
        self.phone.setText(plan.phone or "" if plan else "")
        self.measures.setPlainText(plan.measures or "" if plan else "")
        by_month = {m.month: m for m in (plan.milestones if plan else ())}
        months = sorted(set(Month.all_of(self.year)) | set(by_month)) if self.year else sorted(by_month)
        self.nodes.setRowCount(len(months))
        for r, month in enumerate(months):
            node = by_month.get(month)
            item = QTableWidgetItem(month.label)
            item.setData(0x100, str(month))  # Qt.ItemDataRole.UserRole
            item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)  # the months are the table's, not typed
            self.nodes.setItem(r, 0, item)
            self.nodes.setItem(r, 1, QTableWidgetItem(node.text or "" if node else ""))
            percent = "" if node is None or node.percent is None else f"{node.percent:g}"
            self.nodes.setItem(r, 2, QTableWidgetItem(percent))

    # ------------------------------------------------------------ saving
    def entered(self) -> tuple[Plan | None, list[str]]:
        """The plan as typed, or None with what is wrong (row by row)."""
        assert self.project is not None
        errors, nodes = [], []
        for r in range(self.nodes.rowCount()):
            month = Month.parse(self.nodes.item(r, 0).data(0x100))
            text = (self.nodes.item(r, 1).text() if self.nodes.item(r, 1) else "").strip()
            typed = (self.nodes.item(r, 2).text() if self.nodes.item(r, 2) else "").strip()
            percent = parse_percent(typed, False) if typed else None
            if typed and (percent is None or not 0 <= percent <= 100):
                errors.append(f"{month.label}：计划完成进度“{typed}”应为 0–100 的数，如 80。")
                continue
            if text or percent is not None:
                nodes.append(Milestone(month, text or None, percent))
        if errors:
            return None, errors
        return make_plan(self.project.id, self.responsible.text(), self.phone.text(), self.measures.toPlainText(),
                         nodes), []

    def save(self) -> bool:
        """Store the plan as typed (True when it was stored or unchanged); say what is wrong otherwise."""
        if self.project is None or self.db is None:
            return False
        plan, errors = self.entered()
        if plan is None:
            self.message.setText("未保存：" + "".join(errors))
            return False
        try:
            saved = plans.save_plan(self.db, plan)
        except StoreError as exc:
            self.message.setText(f"未保存：{exc}")
            return False
        if saved:
            self.message.setText("已保存实施方案。")
            self.changed.emit(plan.project_id)
        else:
            self.message.setText("实施方案没有改动。")
        return True
