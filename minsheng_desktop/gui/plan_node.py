"""The report form's 本月节点 row (issue 17): the plan's node for the form's month — the node of that month, or the
last one before it — "完成招标并开工（计划完成进度 40%）", and the question "本月节点是否完成？" (未答 / 已完成 /
未完成) that the clerk answers; the answer is saved with the month's report (Report.node_met).

The row has a fixed place: it is shown for a project whose plan has nodes (its height kept for every month, so
changing month never moves the fields below), empty in a month before the first node, and left out for a project
without nodes."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QButtonGroup, QFormLayout, QHBoxLayout, QLabel, QRadioButton, QVBoxLayout, QWidget

from ..domain.model import Project
from ..domain.month import Month
from ..domain.plan import Milestone, Plan
from ..services.database import Database
from ..services.reports import project_plan
from .elided_label import ElidedLabel

_HINT = "color: #666;"
# (button id, answer, label): the id is the answer as the group knows it
_CHOICES = ((0, None, "未答"), (1, True, "已完成"), (2, False, "未完成"))
QUESTION = "本月节点是否完成？"


def node_for(plan: Plan | None, month: str) -> Milestone | None:
    """The node the form asks about in ``month``: the node of that month, else the last one before it (None before
    the first, or without a plan)."""
    if plan is None or not month:
        return None
    m = Month.parse(month)
    earlier = [x for x in plan.milestones if x.month <= m]
    return earlier[-1] if earlier else None


def node_text(node: Milestone, month: str) -> str:
    """完成招标并开工（计划完成进度 40%）; a node of an earlier month says which (5月节点，…)."""
    parts = [] if str(node.month) == month else [f"{node.month.number}月节点"]
    if node.percent is not None:
        parts.append(f"计划完成进度 {node.percent:g}%")
    inner = "，".join(parts)
    return (node.text or "（未写节点目标）") + (f"（{inner}）" if inner else "")


class PlanNodeField(QWidget):
    """The node's line and the question, in two lines, added as a row of ``form``; ``answered`` is emitted when
    the clerk changed the answer (not when a stored report is shown). It keeps the plans it read, by project
    (``forget`` one when it was saved)."""

    answered = Signal()

    def __init__(self, form: QFormLayout, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._form = form
        self._plans: dict[str, Plan | None] = {}
        self._plans_db: Database | None = None
        self.label = QLabel("本月节点：")
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.text = ElidedLabel()  # a long node is elided, whole in its tooltip: the row keeps one line
        lay.addWidget(self.text)
        row = QHBoxLayout()
        self.question = QLabel(QUESTION)
        row.addWidget(self.question)
        self.group = QButtonGroup(self)
        self.buttons: dict[bool | None, QRadioButton] = {}
        for gid, answer, label in _CHOICES:
            b = QRadioButton(label)
            self.group.addButton(b, gid)
            self.buttons[answer] = b
            row.addWidget(b)
        row.addStretch(1)
        lay.addLayout(row)
        for w in (self.text, self.question, *self.buttons.values()):
            sp = w.sizePolicy()
            sp.setRetainSizeWhenHidden(True)
            w.setSizePolicy(sp)
        for lab in (self.label, self.text):  # one line of text high, with text or without: nothing below moves
            lab.setFixedHeight(self.question.sizeHint().height())
        self.group.idClicked.connect(self._clicked)
        self.node: Milestone | None = None
        self._answer: bool | None = None
        form.addRow(self.label, self)
        self.set_node(None, None, "")
        form.setRowVisible(self, False)

    # ------------------------------------------------------------ the plan, read once per project
    def plan(self, db: Database, project: Project | None) -> Plan | None:
        """The 实施方案 of ``project`` (a leaf, not withdrawn), read once (again after ``forget`` or on another
        database: the window can switch to the sample data or a restored file)."""
        if project is None or not project.is_leaf or project.withdrawn:
            return None
        if self._plans_db is not db:
            self._plans, self._plans_db = {}, db
        if project.id not in self._plans:
            self._plans[project.id] = project_plan(db, project.id)
        return self._plans[project.id]

    def forget(self, project_id: str) -> None:
        self._plans.pop(project_id, None)

    def show_for(self, db: Database, project: Project | None, month: str, answer: bool | None) -> None:
        """The row for ``project`` in ``month``: there for a project with nodes (the same place every month), with
        the node for the month if any, and ``answer`` (the stored one)."""
        plan = self.plan(db, project) if month else None
        self._form.setRowVisible(self, plan is not None and bool(plan.milestones))
        self.set_node(node_for(plan, month), answer, month)

    # ------------------------------------------------------------ what is shown
    def set_node(self, node: Milestone | None, answer: bool | None, month: str) -> None:
        """Show ``node`` (None: nothing to ask in this month, the row stays empty) and the stored ``answer``."""
        self.node = node
        self._answer = answer
        shown = node is not None
        self.text.set_full_text(node_text(node, month) if node is not None else "")
        self.label.setText(self.label_text)
        for w in (self.question, *self.buttons.values()):
            w.setVisible(shown)
        self.buttons[answer].setChecked(True)

    def answer(self) -> bool | None:
        """True 已完成, False 未完成, None 未答 — the stored answer where no node is shown."""
        return self._answer

    def _clicked(self, gid: int) -> None:
        answer = next(a for i, a, _ in _CHOICES if i == gid)
        if answer != self._answer:
            self._answer = answer
            self.answered.emit()

    def choose(self, answer: bool | None) -> None:
        """As if the clerk clicked the choice (for the keyboard tests and scripts)."""
        self.buttons[answer].click()

    @property
    def label_text(self) -> str:
        """本月节点 as the row's label shows it."""
        return "本月节点：" if self.node is not None else ""

    @property
    def line(self) -> str:
        """The whole line as read: 本月节点：完成招标并开工（计划完成进度 40%）, or '' when nothing is asked."""
        return self.label_text + self.text.full_text() if self.node is not None else ""
