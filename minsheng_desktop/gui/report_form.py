"""The monthly report form: saves as you type (0.5 s after the last key) and at once on every way out."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QApplication, QComboBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPlainTextEdit, QPushButton,
    QScrollArea, QVBoxLayout, QWidget,
)

from ..domain import schedule
from ..domain.form_checks import Check, check_values, parse_number
from ..domain.model import Project, Report, TargetList
from ..domain.status import is_blank
from ..services.database import Database, StoreError
from ..services.month import deadline_label, year_months
from ..services.reports import get_report, previous_report, save_report
from . import dialogs
from .evidence_view import EvidencePanel, dropped_files
from .elided_label import ElidedLabel, message_label as _msg
from .plan_node import PlanNodeField
from .status_field import StatusField

if TYPE_CHECKING:
    from PySide6.QtGui import QDragEnterEvent, QDropEvent

AUTOSAVE_MS = 500
_ERR = "color: #c0392b;"
_WARN = "color: #b8860b;"
_HINT = "color: #666;"


def _text_edit(placeholder: str) -> QPlainTextEdit:
    e = QPlainTextEdit()
    e.setPlaceholderText(placeholder)
    e.setTabChangesFocus(True)  # Tab moves on, as in every form; the keyboard alone is enough
    e.setMinimumHeight(64)
    e.setMaximumHeight(150)
    return e


def _plain(e: QPlainTextEdit) -> str | None:
    t = e.toPlainText()
    return t if t.strip() else None


class ReportForm(QWidget):
    LONGEST_LABEL = "累计完成投资（万元）："  # the widest of the fixed labels: indicator names are elided to it

    saved = Signal(str, str)  # project id, month
    monthChanged = Signal(str)

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.project: Project | None = None
        self.target_list: TargetList | None = None
        self.calendar = schedule.WorkCalendar()
        self.month = ""
        self._stored: Report | None = None
        self._dirty = False
        self._loading = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(AUTOSAVE_MS)
        self._timer.timeout.connect(self.flush)
        self._build()
        QApplication.instance().focusChanged.connect(self._focus_changed)  # type: ignore[union-attr]
        self.set_project(None, None, "")

    # ------------------------------------------------------------ layout
    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        outer.addWidget(scroll)
        body = QWidget()
        scroll.setWidget(body)
        lay = QVBoxLayout(body)
        self.heading = QLabel()
        self.heading.setWordWrap(True)
        self.heading.setStyleSheet("font-weight: bold; font-size: 12pt;")
        lay.addWidget(self.heading)
        row = QHBoxLayout()
        self.month_combo = QComboBox()
        self.month_combo.setMinimumContentsLength(10)
        self.month_combo.currentIndexChanged.connect(self._month_picked)
        row.addWidget(QLabel("填报月份："))
        row.addWidget(self.month_combo)
        self.deadline_label = QLabel()
        self.deadline_label.setStyleSheet(_HINT)
        row.addWidget(self.deadline_label, 1)
        lay.addLayout(row)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet(_HINT)
        lay.addWidget(self.hint)
        self.fields = QWidget()
        self.form = QFormLayout(self.fields)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        lay.addWidget(self.fields)
        self.progress = _text_edit("本月做了什么、完成到哪一步")
        self.investment = QLineEdit()
        self.investment.setPlaceholderText("例如 1200")
        self.investment_msg = _msg()
        self.percent = QLineEdit()
        self.percent.setPlaceholderText("0–100")
        self.percent_msg = _msg()
        # The status is the clerk's choice; the suggestion from the per cent is shown beside it (status_field.py).
        self.status_field = StatusField(lambda: parse_number(self.percent.text(), "percent")[0])
        self.status = self.status_field.combo
        self.suggestion = self.status_field.hint
        self.status_msg = _msg()
        self.problems = _text_edit("没有可不填")
        self.next_steps = _text_edit("下月计划")
        self.form.addRow("工作进展情况：", self.progress)
        self.form.addRow(self.LONGEST_LABEL, self.investment)
        self.form.addRow("", self.investment_msg)
        self.plan_node = PlanNodeField(self.form)  # 本月节点 and 本月节点是否完成？ (issue 17): plan_node.py
        self.form.addRow("完成进度（%）：", self.percent)
        self.form.addRow("", self.percent_msg)
        self._ind_start = self.form.rowCount()
        self.form.addRow("进度状态：", self.status_field)
        self.form.addRow("", self.suggestion)
        self.form.addRow("", self.status_msg)
        self.form.addRow("存在问题：", self.problems)
        self.form.addRow("下步工作打算：", self.next_steps)
        self.indicators: dict[str, tuple[QLineEdit, QLabel]] = {}
        buttons = QHBoxLayout()
        self.copy_button = QPushButton("复制上月(&Y)")  # not Alt+C: that is the menu bar's 汇总(&C)
        self.copy_button.setToolTip("用上一个月填报的内容填入本月，再按实际修改（Ctrl+Shift+C）")
        self.copy_button.clicked.connect(self.copy_previous)
        buttons.addWidget(self.copy_button)
        self.save_state = QLabel()
        self.save_state.setStyleSheet(_HINT)
        buttons.addWidget(self.save_state, 1)
        lay.addLayout(buttons)
        self.evidence = EvidencePanel(lambda: self.db)
        self.evidence.changed.connect(self._evidence_changed)
        lay.addWidget(self.evidence)
        lay.addStretch(1)
        self.setAcceptDrops(True)
        for e in (self.progress, self.problems, self.next_steps):
            e.textChanged.connect(self._edited)
        self.investment.textEdited.connect(self._edited)
        self.percent.textEdited.connect(self._edited)  # the suggestion is shown (_refresh_checks), not applied
        self.status_field.picked.connect(self._status_picked)
        self.plan_node.answered.connect(self._status_picked)

    def _build_indicators(self) -> None:
        for edit, msg in self.indicators.values():
            self.form.removeRow(edit)
            self.form.removeRow(msg)
        self.indicators = {}
        inds = () if self.project is None else self.project.indicators
        for k, ind in enumerate(inds):
            edit = QLineEdit()
            edit.setPlaceholderText(f"目标 {ind.target:.10g}{ind.measure}")
            edit.textEdited.connect(self._edited)
            msg = _msg()
            # A long indicator name is elided (whole in its tooltip) rather than widen the label column.
            label = ElidedLabel(f"{ind.label}（{ind.measure}）：")
            label.setMaximumWidth(label.fontMetrics().horizontalAdvance(self.LONGEST_LABEL) + 4)
            label.setBuddy(edit)
            self.form.insertRow(self._ind_start + 2 * k, label, edit)
            self.form.insertRow(self._ind_start + 2 * k + 1, "", msg)
            self.indicators[ind.label] = (edit, msg)
        chain = [self.month_combo, self.progress, self.investment, *self.plan_node.buttons.values(), self.percent,
                 *(e for e, _ in self.indicators.values()), self.status, self.status_field.take_button,
                 self.problems, self.next_steps, self.copy_button]
        for a, b in zip(chain, chain[1:]):
            QWidget.setTabOrder(a, b)

    # ------------------------------------------------------------ what is shown
    def set_project(self, tl: TargetList | None, project: Project | None, month: str,
                    calendar: schedule.WorkCalendar | None = None) -> None:
        self.flush()
        self.target_list, self.project = tl, project
        if calendar is not None:
            self.calendar = calendar
        self._build_indicators()
        self.month_combo.blockSignals(True)
        self.month_combo.clear()
        if tl is not None:
            for m in year_months(tl.year):
                self.month_combo.addItem(schedule.month_label(m), m)
        self.month_combo.blockSignals(False)
        self._show_month(month)

    def set_month(self, month: str) -> None:
        if month != self.month:
            self.flush()
            self._show_month(month)

    def _show_month(self, month: str) -> None:
        self.month = month
        i = self.month_combo.findData(month)
        self.month_combo.blockSignals(True)
        self.month_combo.setCurrentIndex(max(i, 0))
        self.month_combo.blockSignals(False)
        p, tl = self.project, self.target_list
        editable = p is not None and p.is_leaf and not p.withdrawn and bool(month)
        self.fields.setEnabled(editable)
        self.copy_button.setEnabled(editable)
        self.month_combo.setEnabled(tl is not None)
        self.heading.setText("月度填报" if p is None else f"月度填报：{p.number}. {p.name}")
        self.hint.setText("请在左侧项目列表中选择一个项目。" if p is None else
                          "此项目分为子项目，请选择子项目填报。" if not p.is_leaf else
                          "此项目已撤销，无需填报。" if p.withdrawn else
                          "填写即自动保存，切换项目或月份、关闭窗口都不会丢失。")
        if tl is not None and month:
            due = schedule.deadline(month, tl.report_due, self.calendar)
            warn = self.calendar.coverage_warning(due.year)
            self.deadline_label.setText(f"截止 {due.year}年{deadline_label(due)}"
                                        + (f"（{warn}）" if warn else ""))
        else:
            self.deadline_label.setText("")
        self._stored = get_report(self.db, p.id, month) if editable and p is not None else None
        self._load_fields(self._stored)
        self.save_state.setText("")
        self.evidence.set_target(p.id if editable and p is not None else None, month)

    def _load_fields(self, r: Report | None) -> None:
        self._loading = True
        try:
            self.progress.setPlainText(r.progress or "" if r else "")
            self.problems.setPlainText(r.problems or "" if r else "")
            self.next_steps.setPlainText(r.next_steps or "" if r else "")
            # .10g, not g: 2700000 as typed, not 2.7e+06 (which would then not read back as a number)
            inv = None if r is None else r.investment_done_wan
            self.investment.setText("" if inv is None else f"{inv:.10g}")
            self.percent.setText("" if r is None or r.percent is None else f"{r.percent:g}")
            for label, (edit, _) in self.indicators.items():
                v = None if r is None else r.indicator_actuals.get(label)
                edit.setText("" if v is None else f"{v:.10g}")
            self.status_field.set_current(None if r is None else r.status)
            self.plan_node.show_for(self.db, self.project, self.month, None if r is None else r.node_met)
        finally:
            self._loading = False
        self._dirty = False
        self._refresh_checks()

    # ------------------------------------------------------------ editing
    def _edited(self, *_: object) -> None:
        if self._loading or not self.fields.isEnabled():
            return
        self._dirty = True
        self.save_state.setText("正在输入…")
        self._refresh_checks()
        self._timer.start()

    def _status_picked(self) -> None:
        """The clerk set the status (from the list, or took the suggestion) or answered the node: saved at once."""
        self._edited()
        self.flush()

    def take_suggestion(self) -> bool:
        """采用建议: the status the per cent suggests, as if the clerk had picked it (False: none to take)."""
        return self.status_field.take_suggestion()

    def _refresh_checks(self) -> list[Check]:
        report, checks = self._collect()
        by_field: dict[str, list[Check]] = {}
        for c in checks:
            by_field.setdefault(c.field, []).append(c)
        labels = {"percent": self.percent_msg, "investment_done_wan": self.investment_msg, "status": self.status_msg}
        labels.update({f"ind:{k}": msg for k, (_, msg) in self.indicators.items()})
        for f, lab in labels.items():
            found = by_field.get(f, [])
            lab.set_full_text(" ".join(c.text for c in found))
            lab.setStyleSheet(_ERR if any(c.level == "error" for c in found) else _WARN)
        self.status_field.show_suggestion(parse_number(self.percent.text(), "percent")[0], self.month,
                                          self.plan_node.plan(self.db, self.project))
        return checks

    def _collect(self) -> tuple[Report, list[Check]]:
        """The report as typed; a field with an error keeps its stored value and is not saved."""
        old = self._stored
        checks: list[Check] = []
        inv, c1 = parse_number(self.investment.text(), "investment_done_wan")
        pct, c2 = parse_number(self.percent.text(), "percent")
        checks += [c for c in (c1, c2) if c]
        actuals: dict[str, float] = {}
        for label, (edit, _) in self.indicators.items():
            v, c = parse_number(edit.text(), f"ind:{label}")
            if c:
                checks.append(c)
                if old is not None and label in old.indicator_actuals:
                    actuals[label] = old.indicator_actuals[label]
            elif v is not None:
                actuals[label] = v
        status = self.status_field.current()
        if self.project is not None:
            checks += check_values(self.project, pct, inv, status)
        bad = {c.field for c in checks if c.level == "error"}
        if "percent" in bad:
            pct = None if old is None else old.percent
        if "investment_done_wan" in bad:
            inv = None if old is None else old.investment_done_wan
        report = Report(
            project_id=self.project.id if self.project else "", month=self.month, status=status, percent=pct,
            investment_done_wan=inv, progress=_plain(self.progress), problems=_plain(self.problems),
            next_steps=_plain(self.next_steps), indicator_actuals=actuals,
            submitted_on=None if old is None else old.submitted_on, node_met=self.plan_node.answer(),
        )
        return report, checks

    # ------------------------------------------------------------ saving
    def flush(self) -> bool:
        """Save now if anything was typed; True when the form holds nothing unsaved."""
        self._timer.stop()
        if not self._dirty or self.project is None or not self.month:
            return True
        report, checks = self._collect()
        if self._stored is None and is_blank(report) and report.node_met is None:
            self._dirty = False
            return True
        try:
            changed = save_report(self.db, report)
        except StoreError as exc:
            self.save_state.setText(f"保存失败：{exc}")
            self.save_state.setStyleSheet(_ERR)
            self._timer.start(3000)  # try again; nothing typed is dropped
            return False
        self._stored = report
        self._dirty = False
        errors = [c for c in checks if c.level == "error"]
        self.save_state.setStyleSheet(_ERR if errors else _HINT)
        now = dt.datetime.now().strftime("%H:%M:%S")
        self.save_state.setText(f"已自动保存 {now}" + ("（有误的项未保存，请修改）" if errors else ""))
        if changed:
            self.saved.emit(report.project_id, report.month)
        return not errors

    @property
    def has_errors(self) -> bool:
        return any(c.level == "error" for c in self._collect()[1])

    def _focus_changed(self, old: QWidget | None, new: QWidget | None) -> None:
        if self._dirty and old is not None and self.isAncestorOf(old):
            self.flush()

    def _month_picked(self, index: int) -> None:
        month = self.month_combo.itemData(index)
        if month and month != self.month:
            self.flush()
            self._show_month(month)
            self.monthChanged.emit(month)

    def copy_previous(self) -> None:
        if self.project is None or not self.fields.isEnabled():
            return
        found = previous_report(self.db, self.project.id, self.month)
        if found is None:
            self.save_state.setText("没有更早月份的填报可以复制。")
            return
        source, prev = found
        current, _ = self._collect()
        if not is_blank(current) and not dialogs.ask(
                self, "复制上月", f"本月已有填写内容，用{schedule.month_label(source)}的内容覆盖吗？"):
            return
        stored = self._stored
        self._load_fields(replace(prev, node_met=current.node_met))  # the answer is about this month's node
        self._stored = stored
        self._dirty = True
        self.flush()
        self.save_state.setText(f"已复制{schedule.month_label(source)}的内容并保存，请按本月实际修改。")

    def plan_changed(self, project_id: str) -> None:
        """A 实施方案 was saved (plan_view.py's ``changed``): its nodes are read again; nothing typed is lost."""
        self.plan_node.forget(project_id)
        if self.project is not None and self.project.id == project_id:
            self.plan_node.show_for(self.db, self.project, self.month, self.plan_node.answer())
            self._refresh_checks()

    # ------------------------------------------------------------ 佐证材料 (drag and drop onto the form)
    def _evidence_changed(self) -> None:
        if self.project is not None and self.month:
            self.saved.emit(self.project.id, self.month)  # the window refreshes the detail pane

    def add_evidence_files(self, paths: list[str]) -> int:
        self.flush()
        return self.evidence.add_files(paths)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 - Qt override
        if self.evidence.isEnabled() and dropped_files(event):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 - Qt override
        paths = dropped_files(event)
        if paths and self.evidence.isEnabled():
            event.acceptProposedAction()
            self.add_evidence_files(paths)
        else:
            event.ignore()
