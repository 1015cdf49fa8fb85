"""The detail pane: the selected project's target, units, indicators, monthly history and edit history.

It fits its width (issue 16, item 2): no horizontal scrollbar; titles and texts wrap, indicator rows
(indicator_row.py) go onto two lines and elide rather than widen the pane."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView, QFormLayout, QGroupBox, QHeaderView, QLabel, QScrollArea, QTableWidget, QTableWidgetItem,
    QVBoxLayout, QWidget,
)

from ..domain.model import STATUS_LABELS, Project, Report
from ..domain.schedule import month_label
from ..services.database import Database
from .evidence_view import fill_thumbnails, open_item, thumbnail_list
from .indicator_row import IndicatorRow

SCROLLBAR_ALWAYS_OFF = 1  # Qt.ScrollBarPolicy.ScrollBarAlwaysOff, as its int (no Qt namespace enums at start)

USER_ROLE = 0x100  # Qt.ItemDataRole.UserRole
COMPARATOR_WORDS = {">=": "不少于", "<=": "不超过", "=": ""}


def _label(text: str = "") -> QLabel:
    lab = QLabel(text)
    lab.setWordWrap(True)
    # Qt.TextInteractionFlag.TextSelectableByMouse, as the property's int: the window's start does not create
    # the Qt namespace's ~100 enum types (~15 ms).
    lab.setProperty("textInteractionFlags", 1)
    return lab


def _table(headers: list[str]) -> QTableWidget:
    t = QTableWidget(0, len(headers))
    t.setHorizontalHeaderLabels(headers)
    t.verticalHeader().setVisible(False)
    t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    t.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    t.horizontalHeader().setStretchLastSection(True)
    t.verticalHeader().setDefaultSectionSize(24)
    t.setMinimumHeight(90)
    return t


def _fill(table: QTableWidget, rows: list[tuple[str, ...]]) -> None:
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            item = QTableWidgetItem(text)
            item.setToolTip(text)
            table.setItem(r, c, item)
    shown = max(2, min(len(rows), 10))
    table.setMaximumHeight(table.horizontalHeader().sizeHint().height() + 24 * shown + 2 * table.frameWidth() + 2)


class DetailPane(QScrollArea):
    plan_changed = Signal(str)  # a project's 实施方案 was saved in the plan box (project id)

    def __init__(self, parent: QWidget | None = None, db: Database | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.setWidgetResizable(True)
        # The pane fits its width (everything wraps or elides): a horizontal scrollbar is never needed.
        self.setProperty("horizontalScrollBarPolicy", SCROLLBAR_ALWAYS_OFF)
        body = QWidget()
        lay = QVBoxLayout(body)
        self.title = QLabel("请在左侧选择一个项目")
        self.title.setWordWrap(True)
        self.title.setStyleSheet("font-size: 15pt; font-weight: bold;")
        lay.addWidget(self.title)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)  # a narrow pane: the text under its name
        self.target = _label()
        self.investment = _label()
        self.lead = _label()
        self.partner = _label()
        self.completion_term = _label()
        self.note = _label()
        for name, w in (("目标任务", self.target), ("年度投资", self.investment), ("牵头单位", self.lead),
                        ("配合单位", self.partner), ("完成时限", self.completion_term), ("备注", self.note)):
            form.addRow(name + "：", w)
        lay.addLayout(form)
        self.ind_box = QGroupBox("量化指标（目标 / 最新完成值）")
        self.ind_rows = QVBoxLayout(self.ind_box)
        self.ind_rows.setSpacing(2)
        lay.addWidget(self.ind_box)
        box = QGroupBox("逐月填报情况")
        QVBoxLayout(box).addWidget(table := _table(["月份", "进度状态", "完成进度", "累计完成投资（万元）"]))
        self.months = table
        lay.addWidget(box)
        # The 实施方案 box (issue 17) goes here, beside the monthly history, when a project is first shown
        # (plan_view.py): building it at start would cost the window's first paint ~30 ms (docs/performance.md).
        self.plan_view = None
        self._layout, self._plan_at = lay, lay.count()
        self.evidence_box = QGroupBox("佐证材料（双击打开）")
        self.evidence_list = thumbnail_list()
        self.evidence_list.itemDoubleClicked.connect(self._open_evidence)
        QVBoxLayout(self.evidence_box).addWidget(self.evidence_list)
        lay.addWidget(self.evidence_box)
        box = QGroupBox("修改记录")
        QVBoxLayout(box).addWidget(table := _table(["时间", "月份", "修改内容"]))
        self.history = table
        lay.addWidget(box)
        lay.addStretch(1)
        self.setWidget(body)
        self.show_project(None, [], [], {})

    def show_project(self, p: Project | None, reports: list[Report], history: list[tuple[str, str, str, str]],
                     latest: dict[str, float], children: list[Project] | None = None) -> None:
        self.title.setText("请在左侧选择一个项目" if p is None else
                           f"{p.number}. {p.name}" + ("（已撤销）" if p.withdrawn else ""))
        self.target.setText("" if p is None else p.target or "（无）")
        inv = None if p is None else p.investment_wan
        self.investment.setText("" if p is None else ("（未列）" if inv is None else f"{inv:.10g} 万元"))
        self.lead.setText("" if p is None else "、".join(p.lead_units) or "（无）")
        self.partner.setText("" if p is None else "、".join(p.partner_units) or "（无）")
        self.completion_term.setText("" if p is None else p.completion_term or "年底前")
        self.note.setText("" if p is None else p.note or "（无）")
        self._indicators(p, latest, children or [])
        _fill(self.months, [(month_label(r.month), STATUS_LABELS.get(r.status or "", "—"),
                             "—" if r.percent is None else f"{r.percent:g}%",
                             "—" if r.investment_done_wan is None else f"{r.investment_done_wan:.10g}")
                            for r in reversed(reports)])
        _fill(self.history, [(when[5:], month, f"{what}：{change}") for when, month, what, change in history])
        self._evidence(p)
        if p is not None and p.is_leaf:
            self._plan_box().show_project(p, self._database())
        elif self.plan_view is not None:
            self.plan_view.show_project(None, None)  # hidden: no project, or an item with sub-projects

    def _plan_box(self):  # type: ignore[no-untyped-def]
        """The plan box, made on first use."""
        if self.plan_view is None:
            from .plan_view import PlanView  # deferred: see __init__ (the 实施方案 box)

            self.plan_view = PlanView(self)
            self.plan_view.changed.connect(self.plan_changed)
            self._layout.insertWidget(self._plan_at, self.plan_view)
        return self.plan_view

    def set_database(self, db: Database | None) -> None:
        self.db = db

    def _database(self) -> Database | None:
        # The window passes its database with set_database(); until it does, use the window's own.
        return self.db if self.db is not None else getattr(self.window(), "db", None)

    def _evidence(self, p: Project | None) -> None:
        db = self._database()
        items = []
        if p is not None and p.is_leaf and db is not None:
            from ..services import evidence  # deferred: it loads hashlib (OpenSSL), not needed at start

            items = evidence.list_evidence(db, p.id)
        fill_thumbnails(db, self.evidence_list, items, with_month=True)  # type: ignore[arg-type]
        self.evidence_box.setVisible(bool(items))
        self.evidence_box.setTitle(f"佐证材料（{len(items)}个，双击打开）")

    def _open_evidence(self, item) -> None:  # type: ignore[no-untyped-def]
        db = self._database()
        if db is not None:
            open_item(db, item.data(USER_ROLE), self)

    def _indicators(self, p: Project | None, latest: dict[str, float], children: list[Project]) -> None:
        while self.ind_rows.count():
            item = self.ind_rows.takeAt(0)
            if item.widget():
                item.widget().deleteLater()
        if p is not None and not p.is_leaf:
            self.ind_box.setTitle("子项目")
            for c in children:
                self.ind_rows.addWidget(_label(f"{c.number}. {c.name}（{'、'.join(c.lead_units)}）"))
            return
        self.ind_box.setTitle("量化指标（目标 / 最新完成值）")
        inds = () if p is None else p.indicators
        if not inds:
            self.ind_rows.addWidget(_label("目标任务中没有可量化的指标。" if p is not None else ""))
        rows = []
        for ind in inds:
            value = latest.get(ind.label)
            share = 0 if value is None or not ind.target else min(100, round(100 * value / ind.target))
            # .10g, not g: 2700000 as written, not 2.7e+06
            target = f"目标{COMPARATOR_WORDS.get(ind.comparator, '')}{ind.target:.10g}{ind.measure}"
            done = "尚未填报" if value is None else f"已完成{value:.10g}{ind.measure}"
            rows.append(IndicatorRow(ind.label, target, done, share))
        target_w = max((r.target.natural_width() for r in rows), default=0)
        done_w = max((r.done.natural_width() for r in rows), default=0)
        for row in rows:
            row.align(target_w, done_w)  # one-line rows line up in columns
            self.ind_rows.addWidget(row)
