"""The 单位模板 dialog: shows the proposed mapping, a correction is remembered and used by the export."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from minsheng_desktop.services.database import open_database, select_list
from minsheng_desktop.cli import main
from minsheng_desktop.services.templates import load_template
from minsheng_desktop.gui import template_dialog
from minsheng_desktop.gui.template_dialog import TemplateDialog, open_template_dialog
from tests.test_template import make_xlsx_template


@pytest.fixture
def list_id(imported_db: Path) -> int:
    with open_database(imported_db) as db:
        return select_list(db, 2023, "武隆区").id


def _dialog(qtbot, db_path: Path, list_id: int) -> TemplateDialog:  # type: ignore[no-untyped-def]
    dlg = TemplateDialog(db_path, list_id)
    qtbot.addWidget(dlg)
    return dlg


def _save(dlg: TemplateDialog):  # type: ignore[no-untyped-def]
    return dlg.buttons.button(QDialogButtonBox.StandardButton.Save)


def test_proposed_mapping_and_correction(qtbot, imported_db: Path, list_id: int, tmp_path: Path,
                                         monkeypatch) -> None:  # type: ignore[no-untyped-def]
    path = make_xlsx_template(tmp_path / "区发改委模板.xlsx")
    monkeypatch.setattr(template_dialog, "choose_template_file", lambda parent: str(path))
    dlg = _dialog(qtbot, imported_db, list_id)
    assert "尚未设置单位模板" in dlg.file_label.text() and not _save(dlg).isEnabled()
    dlg.choose_btn.click()
    assert "区发改委模板.xlsx" in dlg.file_label.text() and "第3—4行" in dlg.file_label.text()
    assert dlg.proposed() == {"序号": "number", "项目名称": "name", "责任单位": "lead", "责任人": None,
                              "投资情况（万元）／计划投资": "investment", "投资情况（万元）／累计完成投资": "done",
                              "形象进度（%）": "percent", "工作进展": "progress", "存在问题": "problems"}
    assert dlg.combo("责任人").currentText() == "不填"
    assert dlg.table.item(3, 0).text() == "D列"
    # the clerk corrects: 责任人 gets the 配合单位, 形象进度 is left empty
    dlg.combo("责任人").setCurrentIndex(dlg.combo("责任人").findData("partner"))
    dlg.combo("形象进度（%）").setCurrentIndex(0)
    _save(dlg).click()
    assert dlg.result() == dlg.DialogCode.Accepted and dlg.changed
    with open_database(imported_db) as db:
        tpl = load_template(db, list_id)
    assert tpl is not None and tpl.filename == "区发改委模板.xlsx"
    assert {c.header: c.field for c in tpl.columns}["责任人"] == "partner"
    # reopened, the dialog shows the remembered correction
    again = _dialog(qtbot, imported_db, list_id)
    assert again.proposed()["责任人"] == "partner" and again.proposed()["形象进度（%）"] is None
    # and the export fills the template with it
    out = tmp_path / "out.xlsx"
    assert main(["--db", str(imported_db), "export", "--month", "2023-05", "--format", "xlsx",
                 "--region", "武隆区", "--out", str(out)]) == 0
    ws = load_workbook(out)["进展表"]
    assert ws["D3"].value == "责任人" and ws["A1"].value == "武隆区2023年5月民生实事推进情况表"
    partners = [r[3].value for r in ws.iter_rows(min_row=5) if r[3].value]
    assert partners and all(r[6].value is None for r in ws.iter_rows(min_row=5))


def test_refuses_without_name_or_twice(qtbot, imported_db: Path, list_id: int, tmp_path: Path,
                                       monkeypatch) -> None:  # type: ignore[no-untyped-def]
    path = make_xlsx_template(tmp_path / "t.xlsx")
    monkeypatch.setattr(template_dialog, "choose_template_file", lambda parent: str(path))
    dlg = _dialog(qtbot, imported_db, list_id)
    dlg.choose_btn.click()
    dlg.combo("项目名称").setCurrentIndex(0)
    _save(dlg).click()
    assert "项目名称" in dlg.error.text() and dlg.result() != dlg.DialogCode.Accepted
    dlg.combo("项目名称").setCurrentIndex(dlg.combo("项目名称").findData("name"))
    dlg.combo("责任人").setCurrentIndex(dlg.combo("责任人").findData("lead"))
    _save(dlg).click()
    assert "“牵头单位”选在了不止一列" in dlg.error.text()
    with open_database(imported_db) as db:
        assert load_template(db, list_id) is None


def test_bad_file_and_clear(qtbot, imported_db: Path, list_id: int, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "坏.xlsx"
    bad.write_bytes(b"PK\x03\x04garbage")
    errors: list[str] = []
    monkeypatch.setattr(template_dialog.dialogs, "show_error",
                        lambda parent, title, text: errors.append(text))
    monkeypatch.setattr(template_dialog.dialogs, "ask", lambda parent, title, text: True)
    monkeypatch.setattr(template_dialog, "choose_template_file", lambda parent: str(bad))
    dlg = _dialog(qtbot, imported_db, list_id)
    dlg.choose_btn.click()
    assert errors and "坏.xlsx" in errors[0] and dlg.template is None
    good = make_xlsx_template(tmp_path / "t.xlsx")
    monkeypatch.setattr(template_dialog, "choose_template_file", lambda parent: str(good))
    dlg.choose_btn.click()
    _save(dlg).click()
    dlg2 = _dialog(qtbot, imported_db, list_id)
    assert dlg2.clear_btn.isEnabled()
    dlg2.clear_btn.click()
    assert dlg2.cleared and not dlg2.changed and "尚未设置" in dlg2.file_label.text()
    with open_database(imported_db) as db:
        assert load_template(db, list_id) is None


def test_open_template_dialog(qtbot, imported_db: Path, list_id: int, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    path = make_xlsx_template(tmp_path / "t.xlsx")
    monkeypatch.setattr(template_dialog, "choose_template_file", lambda parent: str(path))

    def drive() -> None:
        dlg = next(w for w in QApplication.topLevelWidgets()
                   if isinstance(w, TemplateDialog) and w.isVisible())
        dlg.choose_btn.click()
        _save(dlg).click()

    QTimer.singleShot(0, drive)
    assert open_template_dialog(None, imported_db, list_id) is True
    QTimer.singleShot(0, lambda: next(w for w in QApplication.topLevelWidgets()
                                      if isinstance(w, TemplateDialog) and w.isVisible()).reject())
    assert open_template_dialog(None, imported_db, list_id) is False
