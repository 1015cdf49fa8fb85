"""A month's report deleted (it stays in the database, the history notes it) and brought back."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...domain.schedule import month_label
from ...services import reports
from .. import dialogs

if TYPE_CHECKING:
    from .month import MonthController
    from .window import Window


class ReportsController:
    def __init__(self, window: Window, month_view: MonthController) -> None:
        self.w = window
        self.month_view = month_view
        self.state = window.state

    def delete_month_report(self) -> bool:
        w = self.w
        p, month = self.state.project, w.form.month
        if p is None or not p.is_leaf or not month:
            dialogs.show_info(w, "删除本月填报", "请先在项目列表中选择一个项目和月份。")
            return False
        w.form.flush()
        if reports.get_report(self.state.db, p.id, month) is None:
            dialogs.show_info(w, "删除本月填报", f"“{p.name}”{month_label(month)}没有填报，无需删除。")
            return False
        if not dialogs.ask(w, "删除本月填报",
                           f"删除“{p.name}”{month_label(month)}的填报吗？\n\n删除后可用“编辑 → 恢复已删除的填报…”找回，"
                           "修改记录中也会留下这次删除。"):
            return False
        reports.delete_month_report(self.state.db, p.id, month)
        self.month_view.reshow(month)
        w.statusBar().showMessage(f"已删除{month_label(month)}的填报（可恢复）", 8000)
        return True

    def restore_month_report(self) -> bool:
        w = self.w
        p = self.state.project
        if p is None or not p.is_leaf:
            dialogs.show_info(w, "恢复已删除的填报", "请先在项目列表中选择一个项目。")
            return False
        w.form.flush()
        months = reports.deleted_months(self.state.db, p.id)
        if not months:
            dialogs.show_info(w, "恢复已删除的填报", f"“{p.name}”没有已删除的填报。")
            return False
        labels = [month_label(m) for m in months]
        current = months.index(w.form.month) if w.form.month in months else len(months) - 1
        label = dialogs.choose_item(w, "恢复已删除的填报", f"“{p.name}”已删除的填报：", labels, current)
        if label is None:
            return False
        month = months[labels.index(label)]
        reports.restore_month_report(self.state.db, p.id, month)
        self.month_view.reshow(month)
        w.statusBar().showMessage(f"已恢复{month_label(month)}的填报", 8000)
        return True
