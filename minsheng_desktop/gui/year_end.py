"""文件 → 导出实施方案…, 导出年度完成情况报告… and 汇总 → 导出考核评比表…: the year's plan and its end (issue 17).

A small dialog: the month the figures are taken as of (the list's December, else the month shown), for the
annual report the scope (全部项目 / 本单位牵头), then 导出… asks for the file (.docx or .xlsx) and the file is built
and written in a worker thread by the service `minsheng export` uses (services.export.export_to)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from ..domain.model import TargetList
from ..services import export as exporting
from ..services.database import open_database
from ..services.formats import FORMATS
from . import dialogs, tasks
from .controllers.tools import need_list
from .export_dialog import default_folder
from .month_scope import MonthScope

FILTERS = {".docx": "Word 文档 (*.docx)", ".xlsx": "Excel 表格 (*.xlsx)"}
INTRO = {
    "plan": "写出各项目的实施方案：保存为 .xlsx 是按月份排好的节点表，可在 Excel/WPS 中填写责任人、工作措施、节点目标和"
            "计划完成进度后用 minsheng plan load 载入；保存为 .docx 是报县（区）政府督查室、发展改革委备案的报告。",
    "annual": "按所选月份底的填报写出年度完成情况报告：总体情况、各项目完成情况、未完成项目的原因和下步打算。"
              "保存为 .docx 是报告正文，保存为 .xlsx 是同样内容的表格。",
    "assessment": "按各牵头单位统计完成率、投资完成率、按时报送月数和进度滞后月数，按权重计分排名（初稿，供研究确定）。"
                  ".xlsx 另有逐月明细工作表；.docx 为简短的表格文件。权重可在命令行用 minsheng settings "
                  "assess_weights 60,20,20 调整。",
}


class YearEndDialog(QDialog):
    """The month (and for the annual report the scope), then 导出… to a file chosen by the clerk."""

    finished_export = Signal(object)  # the ExportResult, or the exception of a failed build

    def __init__(self, db_path: Path, target_list: TargetList, kind: str, month: str, unit: str | None,  # type: ignore[no-untyped-def]
                 settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db_path, self.target_list, self.kind, self.settings = db_path, target_list, kind, settings
        self.fmt = FORMATS[kind]
        self.result: exporting.ExportResult | None = None
        self.task: tasks.Task | None = None
        self.setWindowTitle(f"导出{self.fmt.name} — {target_list.label}")
        self.setMinimumWidth(480)
        lay = QVBoxLayout(self)
        intro = QLabel(INTRO[kind])
        intro.setWordWrap(True)
        lay.addWidget(intro)
        form = QFormLayout()
        start = month if month.startswith(str(target_list.year)) else f"{target_list.year}-12"
        self.scope = MonthScope(self, target_list.year, start, unit, mine_by_default=True, all_text="全部项目(&A)",
                                mine_text="本单位牵头（{unit}）(&U)", no_unit_text="本单位牵头（请先在设置中选择本单位）")
        form.addRow("数据截至(&M)：", self.month)  # type: ignore[attr-defined]
        if self.fmt.per_unit:
            row = QHBoxLayout()
            row.addWidget(self.scope_all)  # type: ignore[attr-defined]
            row.addWidget(self.scope_mine)  # type: ignore[attr-defined]
            form.addRow("范围：", row)
        else:  # over every lead unit: the scope's buttons are kept out of sight (owned by the dialog)
            for b in (self.scope_all, self.scope_mine):  # type: ignore[attr-defined]
                b.setParent(self)
                b.hide()
        lay.addLayout(form)
        self.status = QLabel("")
        self.status.setWordWrap(True)
        lay.addWidget(self.status)
        buttons = QDialogButtonBox()
        self.export_button = buttons.addButton("导出(&E)…", QDialogButtonBox.ButtonRole.ActionRole)
        self.export_button.setDefault(True)
        self.export_button.clicked.connect(self.choose_and_export)
        buttons.addButton("关闭", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)

    @property
    def chosen_unit(self) -> str | None:
        return self.scope.chosen_unit if self.fmt.per_unit else None

    def default_name(self) -> str:
        who = self.chosen_unit or self.target_list.region
        if self.kind == "annual":
            return f"{who}_关于{self.target_list.year}年民生实事完成情况的报告{self.fmt.suffix}"
        return f"{self.target_list.region}{self.target_list.year}年民生实事考核评比表{self.fmt.suffix}"

    def choose_and_export(self) -> None:
        start = str(Path(default_folder(self.settings)) / self.default_name())
        filters = ";;".join(FILTERS[s] for s in self.fmt.suffixes)
        path = dialogs.choose_save_file(self, f"导出{self.fmt.name}", start, filters)
        if path:
            self.export(Path(path))

    def export(self, path: Path) -> None:
        """Build and write the file in a worker thread (its own database connection)."""
        if path.suffix.lower() not in self.fmt.suffixes:
            path = path.with_suffix(self.fmt.suffix)
        db_path, target_list, kind = self.db_path, self.target_list, self.kind
        month, unit = self.scope.chosen_month, self.chosen_unit

        def job(_progress, _cancel):  # type: ignore[no-untyped-def]
            with open_database(db_path) as db:
                return exporting.export_to(db, target_list, month, unit, kind, path)

        self.export_button.setEnabled(False)
        self.status.setText(f"正在生成“{path.name}”…")
        self.task = tasks.run_task(job, self._done, self._failed)

    def _done(self, result: exporting.ExportResult) -> None:
        self.result = result
        self.export_button.setEnabled(True)
        self.status.setText(result.message if not result.ok else f"已导出：{result.path}")
        self.finished_export.emit(result)

    def _failed(self, exc: BaseException) -> None:
        self.export_button.setEnabled(True)
        self.status.setText(f"导出失败：{exc}")
        self.finished_export.emit(exc)


def open_year_end(window, kind: str) -> YearEndDialog | None:  # type: ignore[no-untyped-def]
    """The dialog for ``kind`` (annual / assessment) on the window's current list, month and unit."""
    target_list = need_list(window, f"导出{FORMATS[kind].name}")
    if target_list is None:
        return None
    window.form.flush()
    state = window.state
    dlg = YearEndDialog(state.db_path, target_list, kind, state.months.get(target_list.id, ""), state.unit,
                        window.settings, window)
    dlg.open()
    return dlg
