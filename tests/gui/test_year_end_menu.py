"""Issue 17, the year's end from the window: 文件 → 导出年度完成情况报告… and 汇总 → 导出考核评比表… ask for the file,
build it in a worker thread through the service the command line uses, and write it."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from docx import Document

from minsheng_desktop.domain.model import Report
from minsheng_desktop.gui import dialogs
from minsheng_desktop.gui.year_end import YearEndDialog
from minsheng_desktop.services.database import open_database, select_list
from minsheng_desktop.services.reports import projects_of, save_report


@pytest.fixture
def year_db(imported_db: Path) -> Path:
    with open_database(imported_db) as db:
        tl = select_list(db)
        ps = projects_of(db, tl.id)
        old = next(p for p in ps if p.name.startswith("城镇老旧小区改造"))
        lift = next(p for p in ps if p.name.startswith("老旧小区电梯"))
        save_report(db, Report(old.id, "2023-12", "done", 100, 2000, "全部完工", submitted_on="2023-12-20"))
        save_report(db, Report(lift.id, "2023-12", None, 60, 200, "安装中", "设备到货晚", "春节前完工",
                               submitted_on="2023-12-20"))
    return imported_db


def _menu_action(w, text: str):
    for menu_action in w.menuBar().actions():
        for a in menu_action.menu().actions():
            if a.text().startswith(text):
                return a
    raise AssertionError(f"no menu entry {text}")


def _export(qtbot, w, monkeypatch, entry: str, target: Path) -> YearEndDialog:
    asked = []
    monkeypatch.setattr(dialogs, "choose_save_file", lambda *a: asked.append(a) or str(target))
    _menu_action(w, entry).trigger()
    dlg = w.findChildren(YearEndDialog)[-1]
    dlg.month.setCurrentIndex(dlg.month.findData("2023-12"))
    with qtbot.waitSignal(dlg.finished_export, timeout=60000) as done:
        dlg.export_button.click()
    assert done.args[0].ok, done.args[0]
    assert asked and ".docx" in asked[0][3] and ".xlsx" in asked[0][3]  # either kind of file
    return dlg


def test_the_annual_report_from_the_file_menu(qtbot, open_window, year_db, tmp_path, monkeypatch) -> None:
    w = open_window()
    out = tmp_path / "年度报告.docx"
    dlg = _export(qtbot, w, monkeypatch, "导出年度完成情况报告", out)
    assert dlg.chosen_unit is None  # no unit chosen in this window: the district's report
    text = "\n".join(p.text for p in Document(str(out)).paragraphs)
    assert "2023年民生实事完成情况的报告" in text and "（牵头单位：区住房城乡建委）" in text
    assert "设备到货晚" in text.split("三、未完成项目及原因")[1]
    assert not list(tmp_path.glob("*.tmp"))
    # the same as the table
    table = tmp_path / "年度表.xlsx"
    with qtbot.waitSignal(dlg.finished_export, timeout=60000):
        dlg.export(table)
    ws = openpyxl.load_workbook(table).active
    assert ws["A1"].value == "武隆区2023年民生实事完成情况表"
    assert any(r[1] == "老旧小区电梯改造" and r[8] == "设备到货晚" for r in ws.iter_rows(min_row=4, values_only=True))
    dlg.close()


def test_the_assessment_from_the_collect_menu(qtbot, open_window, year_db, tmp_path, monkeypatch) -> None:
    w = open_window()
    out = tmp_path / "考核.xlsx"
    dlg = _export(qtbot, w, monkeypatch, "导出考核评比表", out)
    assert not dlg.scope_all.isVisible()  # over every lead unit: no scope to choose
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["考核评比", "逐月明细"]
    ws = wb["考核评比"]
    assert ws["A1"].value == "武隆区2023年民生实事牵头单位考核评比表（初稿）"
    assert ws.cell(3, 2).value == "区住房城乡建委" and ws.cell(3, 1).value == 1
    dlg.close()


def test_the_plan_from_the_file_menu(qtbot, open_window, year_db, tmp_path, monkeypatch) -> None:
    w = open_window()
    _export(qtbot, w, monkeypatch, "导出实施方案", tmp_path / "实施方案.xlsx")
    ws = openpyxl.load_workbook(tmp_path / "实施方案.xlsx").active
    header = [c.value for c in next(ws.iter_rows(min_row=1, max_row=6)) if c.value]
    texts = {str(c.value) for row in ws.iter_rows() for c in row if c.value}
    assert "节点月份" in texts and "计划完成进度(%)" in texts, header
    _export(qtbot, w, monkeypatch, "导出实施方案", tmp_path / "备案.docx")
    assert "实施方案的报告" in "".join(p.text for p in Document(str(tmp_path / "备案.docx")).paragraphs[:2])
