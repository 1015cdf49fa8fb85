"""The office's own template (issue 4 §6): recognise, remember, fill — through the functions and the CLI."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from docx import Document
from docx.shared import Pt
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

from minsheng_desktop.services.database import open_database, select_list
from minsheng_desktop.cli import main
from minsheng_desktop.exporters.formats import FORMATS
from minsheng_desktop.exporters.template import fill_template
from minsheng_desktop.exporters.template_model import TemplateError, fill_placeholders
from minsheng_desktop.services.templates import (
    analyse_template, builder_for, load_template, save_template, template_builder, template_field,
)
from tests.test_export import EVIL, _data, filled  # noqa: F401  (filled is a fixture)

THIN = Side(style="thin", color="000000")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
GREY = "FFD9D9D9"


def make_xlsx_template(path: Path, example: bool = False) -> Path:
    """A 发展改革委 blank: styled title, a 2-row header in its own order, an extra 责任人 column, a note."""
    wb = Workbook()
    ws = wb.active
    ws.title = "进展表"
    ws.merge_cells("A1:I1")
    ws["A1"] = "武隆区2023年X月民生实事推进情况表"
    ws["A1"].font = Font(name="黑体", size=16, bold=True, color="FFC00000")
    ws["A1"].alignment = Alignment(horizontal="center")
    ws.row_dimensions[1].height = 40
    ws.merge_cells("A2:I2")
    ws["A2"] = "填报单位：　　　　　　　　填报日期：    年  月  日"
    heads = {"A3": "序号", "B3": "项目名称", "C3": "责任单位", "D3": "责任人", "E3": "投资情况（万元）",
             "E4": "计划投资", "F4": "累计完成投资", "G3": "形象进度（%）", "H3": "工作进展", "I3": "存在问题"}
    for ref, text in heads.items():
        ws[ref] = text
    for col in "ABCDGHI":
        ws.merge_cells(f"{col}3:{col}4")
    ws.merge_cells("E3:F3")
    for row in ws.iter_rows(min_row=3, max_row=4, max_col=9):
        for c in row:
            c.fill = PatternFill("solid", fgColor=GREY)
            c.border = BOX
            c.font = Font(name="黑体", size=11, bold=True)
            c.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for c in ws[5][:9]:  # the first (empty) data row carries the body style
        c.border = BOX
        c.font = Font(name="仿宋", size=10)
        c.alignment = Alignment(vertical="center", wrap_text=True)
    if example:  # handed out with a filled example: a bordered section line and an item
        ws["A5"], ws["A6"], ws["B6"], ws["C6"] = "一、示例分类", "1", "示例项目", "示例单位"
        for c in ws[6][:9]:
            c.border = BOX
    note = 7 if example else 6
    ws.merge_cells(f"A{note}:I{note}")
    ws[f"A{note}"] = "注：请于每月5日前报送区发展改革委。"
    for col, w in zip("ABCDEFGHI", (5, 28, 12, 9, 11, 11, 9, 40, 20)):
        ws.column_dimensions[col].width = w
    wb.save(path)
    return path


def make_docx_template(path: Path) -> Path:
    doc = Document()
    doc.add_paragraph("截至X月底民生实事工作进展表")
    doc.add_paragraph("说明：本表由牵头单位填写。")
    t = doc.add_table(rows=2, cols=7)
    t.style = "Table Grid"
    for cell, text in zip(t.rows[0].cells, ("序号", "项目名称", "完成进度（%）", "进度状态", "问题", "下一步措施",
                                            "联系人")):
        run = cell.paragraphs[0].add_run(text)
        run.bold = True
    for cell in t.rows[1].cells:  # the formatted empty row: 9 pt on the paragraph mark
        cell.paragraphs[0].add_run("").font.size = Pt(9)
    doc.add_paragraph("填报人：　　　　联系电话：")
    doc.save(path)
    return path


# ------------------------------------------------------------------ recognising


@pytest.mark.parametrize("text, field", [
    ("累计完成投资（万元）", "done"), ("完成投资", "done"), ("投资完成率", "rate"), ("工作进展情况", "progress"),
    ("形象进度（%）", "percent"), ("完成比例", "percent"), ("进度状态", "status"), ("存在问题", "problems"),
    ("下一步工作措施", "next_steps"), ("年度投资（万元）", "investment"), ("计划投资", "investment"),
    ("年度目标任务", "target"), ("序号", "number"), ("项目名称", "name"), ("责任单位", "lead"), ("备注", "note"),
    ("责任人", None), ("联系人", None),
])
def test_header_words(text: str, field: str | None) -> None:
    assert template_field(text) == field


def test_analyse_xlsx(tmp_path: Path) -> None:
    tpl = analyse_template(make_xlsx_template(tmp_path / "模板.xlsx"))
    assert (tpl.kind, tpl.part_name, tpl.header_row, tpl.data_row) == ("xlsx", "进展表", 2, 4)
    got = {c.header: c.field for c in tpl.columns}
    assert got == {"序号": "number", "项目名称": "name", "责任单位": "lead", "责任人": None,
                   "投资情况（万元）／计划投资": "investment", "投资情况（万元）／累计完成投资": "done",
                   "形象进度（%）": "percent", "工作进展": "progress", "存在问题": "problems"}


def test_analyse_refuses_no_header(tmp_path: Path) -> None:
    wb = Workbook()
    wb.active["A1"] = "随便写点什么"
    wb.save(tmp_path / "x.xlsx")
    with pytest.raises(TemplateError, match="没有在“x.xlsx”中找到表头"):
        analyse_template(tmp_path / "x.xlsx")
    (tmp_path / "y.xlsx").write_bytes(b"not a zip")
    with pytest.raises(TemplateError):
        analyse_template(tmp_path / "y.xlsx")


def test_placeholders(filled: Path) -> None:  # noqa: F811
    data = _data(filled, "武隆区", "2023-05")
    assert fill_placeholders("武隆区2023年X月民生实事", data) == "武隆区2023年5月民生实事"
    assert fill_placeholders("（截至XX月底）", data) == "（截至5月底）"
    assert fill_placeholders("XXXX年XX月", data) == "2023年5月"
    assert fill_placeholders("截至2023年月底", data) == "截至2023年5月底"
    assert fill_placeholders("填报日期：    年  月  日", data) == "填报日期：2023年6月5日"
    assert fill_placeholders("2022年度目标", data) == "2022年度目标"  # a real year is not a placeholder


# ------------------------------------------------------------------ filling


def _sheet_rows(ws, first: int) -> dict[str, tuple]:  # type: ignore[no-untyped-def]
    out: dict[str, tuple] = {}
    for r in ws.iter_rows(min_row=first):
        if r[0].value:
            out.setdefault(str(r[0].value), r)  # numbers start again in each section: keep the first
    return out


def test_fill_xlsx(filled: Path, tmp_path: Path) -> None:  # noqa: F811
    tpl = analyse_template(make_xlsx_template(tmp_path / "模板.xlsx"))
    wb = load_workbook(io.BytesIO(fill_template(tpl, _data(filled, "武隆区", "2023-05"))))
    ws = wb["进展表"]
    assert ws["A1"].value == "武隆区2023年5月民生实事推进情况表"
    assert ws["A1"].font.sz == 16 and ws["A1"].font.color.rgb == "FFC00000"
    assert ws.row_dimensions[1].height == 40
    assert "填报日期：2023年6月5日" in ws["A2"].value
    assert [ws.cell(3, j).value for j in range(1, 10)][:5] == ["序号", "项目名称", "责任单位", "责任人", "投资情况（万元）"]
    assert ws["E4"].value == "计划投资" and ws["D3"].fill.fgColor.rgb == GREY
    assert {"A1:I1", "E3:F3", "D3:D4"} <= {str(r) for r in ws.merged_cells.ranges}
    assert [ws.column_dimensions[c].width for c in "ABDH"] == [5, 28, 9, 40]
    rows = _sheet_rows(ws, 5)
    assert "一、市级民生实事（14件14个项目）" in rows
    first = rows["1"]
    assert first[1].value == "城镇老旧小区改造和社区服务提升" and first[3].value is None  # 责任人 kept empty
    assert first[4].value == 2000 and first[4].number_format == "0" and first[4].data_type == "n"  # not 2000.00
    assert first[5].value == 2000 and first[6].value == 100 and first[7].value == "已改造完成"
    assert first[0].border.left.style == "thin" and first[1].font.name == "仿宋" and first[1].font.sz == 10
    evil = next(c for row in ws.iter_rows() for c in row if c.value == EVIL)
    assert evil.column_letter == "H" and evil.data_type == "s"
    assert not any(c.data_type == "f" for row in ws.iter_rows() for c in row)
    assert rows["2"][8].value == "+资金缺口" and rows["2"][8].data_type == "s"
    col_a = [str(r[0].value) for r in ws.iter_rows(min_row=5) if r[0].value]
    sec2 = col_a[next(i for i, t in enumerate(col_a) if t.startswith("二、")):]
    assert sec2.index("4") < sec2.index("4.1") < sec2.index("4.2") < sec2.index("5") and "7" not in sec2
    assert any(k.startswith("注：1.已撤销的1个项目") for k in rows)
    last = max(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value)
    assert ws.cell(last, 1).value == "注：请于每月5日前报送区发展改革委。"
    assert f"A{last}:I{last}" in {str(r) for r in ws.merged_cells.ranges}
    assert ws.print_title_rows == "$3:$4"
    meta = wb["_minsheng"]
    assert meta.sheet_state == "hidden"
    kv = {r[0].value: r[1].value for r in meta.iter_rows(max_row=8)}
    assert kv["format"] == "minsheng-progress" and kv["month"] == "2023-05"
    ids = {r[0].value: r[1].value for r in meta.iter_rows(min_row=11)}
    assert ids[first[0].row] and len(ids) == sum(1 for t in col_a if t[0].isdigit())
    assert meta["D1"].value == "sheet" and meta["E1"].value == "进展表"


def test_fill_xlsx_short_list_shrinks(filled: Path, tmp_path: Path) -> None:  # noqa: F811
    """Many blank template rows and few projects: no empty bordered rows left over."""
    path = make_xlsx_template(tmp_path / "t.xlsx")
    wb = load_workbook(path)
    ws = wb.active
    ws.unmerge_cells("A6:I6")
    ws["A6"] = None
    for r in range(6, 40):
        for c in ws[r][:9]:
            c.border = BOX
    ws.merge_cells("A41:I41")
    ws["A41"] = "填报人："
    wb.save(path)
    tpl = analyse_template(path)
    ws = load_workbook(io.BytesIO(fill_template(tpl, _data(filled, "武隆区", "2023-05", "区教委")))).active
    texts = [ws.cell(r, 1).value for r in range(5, ws.max_row + 1)]
    assert texts[-1] == "填报人：张三" and None not in texts  # the clerk's blank filled, its label kept


def test_fill_docx(filled: Path, tmp_path: Path) -> None:  # noqa: F811
    tpl = analyse_template(make_docx_template(tmp_path / "模板.docx"))
    assert tpl.kind == "docx" and tpl.mapping() == {0: "number", 1: "name", 2: "percent", 3: "status",
                                                    4: "problems", 5: "next_steps"}
    doc = Document(io.BytesIO(fill_template(tpl, _data(filled, "武隆区", "2023-05"))))
    assert doc.paragraphs[0].text == "截至5月底民生实事工作进展表"
    assert "说明：本表由牵头单位填写。" in [p.text for p in doc.paragraphs]
    assert doc.paragraphs[-1].text == "填报人：张三　联系电话：023-77771234"
    table = doc.tables[0]
    assert [c.text for c in table.rows[0].cells][-1] == "联系人"
    rows: dict = {}
    for r in table.rows[1:]:
        rows.setdefault(r.cells[0].text, r)
    assert rows["1"].cells[1].text == "城镇老旧小区改造和社区服务提升" and rows["1"].cells[2].text == "100"
    assert rows["1"].cells[3].text == "已完成" and rows["1"].cells[6].text == ""
    assert rows["1"].cells[1].paragraphs[0].runs[0].font.size == Pt(9)
    assert rows["2"].cells[4].text == "+资金缺口" and rows["2"].cells[5].text == "@加快推进"
    assert any(t.startswith("一、市级民生实事") for t in rows)
    assert any(p.text.startswith("注：") and "已撤销" in p.text for p in doc.paragraphs)


# ------------------------------------------------------------------ remembering and the CLI


def _export(db: Path, out: Path, *extra: str) -> int:
    return main(["--db", str(db), "export", "--month", "2023-05", "--region", "武隆区", "--out", str(out),
                 *extra])


def test_cli_template_and_remember(filled: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    tpl_path = make_xlsx_template(tmp_path / "模板.xlsx")
    out = tmp_path / "out"
    out.mkdir()
    assert _export(filled, out / "a.xlsx", "--format", "xlsx", "--template", str(tpl_path)) == 0
    assert load_workbook(out / "a.xlsx")["进展表"]["A1"].value == "武隆区2023年5月民生实事推进情况表"
    db = open_database(filled)
    tl = select_list(db, 2023, "武隆区")
    assert load_template(db, tl.id) is None  # not remembered without --remember-template
    db.close()
    assert _export(filled, out / "b.xlsx", "--format", "xlsx", "--template", str(tpl_path),
                   "--remember-template") == 0
    assert "已记住" in capsys.readouterr().out
    tpl_path.unlink()  # remembered by content, not by path
    assert _export(filled, out / "c.xlsx", "--format", "xlsx") == 0
    assert "进展表" in load_workbook(out / "c.xlsx").sheetnames
    assert _export(filled, out / "d.docx", "--format", "docx") == 0  # an .xlsx template leaves .docx built-in
    assert Document(out / "d.docx").tables[0].rows[0].cells[0].text == "序号"


@pytest.mark.parametrize("extra, words", [
    (["--format", "letter", "--template", "{x}"], "--template"),
    (["--format", "docx", "--template", "{x}"], "--format xlsx"),
    (["--format", "xlsx", "--remember-template"], "--remember-template"),
    (["--format", "xlsx", "--template", "{missing}"], "找不到文件"),
])
def test_cli_template_bad_input(filled: Path, tmp_path: Path, capsys, extra: list[str], words: str) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    x = make_xlsx_template(tmp_path / "t.xlsx")
    args = [a.format(x=x, missing=tmp_path / "none.xlsx") for a in extra]
    out = tmp_path / f"r{extra[1][:1]}.{ 'docx' if 'docx' in extra else 'xlsx'}"
    assert _export(filled, out, *args) == 2
    err = capsys.readouterr().err.strip()
    assert words in err and "\n" not in err and not out.exists()


def test_corrected_mapping_is_used(filled: Path, tmp_path: Path) -> None:  # noqa: F811
    tpl = analyse_template(make_xlsx_template(tmp_path / "模板.xlsx"))
    tpl.columns[3].field = "partner"  # 责任人 → 配合单位, as a clerk might decide
    tpl.columns[6].field = None  # 形象进度 → 不填
    db = open_database(filled)
    tl = select_list(db, 2023, "武隆区")
    save_template(db, tl.id, tpl)
    builder = template_builder(db, tl.id, "xlsx")
    assert builder is not None and template_builder(db, tl.id, "docx") is None
    assert builder_for(db, tl.id, "docx") is FORMATS["docx"].build
    db.close()
    ws = load_workbook(io.BytesIO(builder(_data(filled, "武隆区", "2023-05")))).active
    first = _sheet_rows(ws, 5)["1"]
    assert first[6].value is None and first[3].value not in (None, "")


def test_header_only_templates(filled: Path, tmp_path: Path) -> None:  # noqa: F811
    """No data row in the template: new rows take the header's borders, not its bold or fill."""
    wb = Workbook()
    ws = wb.active
    ws["A1"], ws["B1"], ws["C1"], ws["D1"] = "序号", "项目名称", "工作进展情况", "完成比例"
    for c in ws[1]:
        c.border, c.font, c.fill = BOX, Font(name="黑体", bold=True), PatternFill("solid", fgColor=GREY)
    wb.save(tmp_path / "h.xlsx")
    out = load_workbook(io.BytesIO(fill_template(analyse_template(tmp_path / "h.xlsx"),
                                                 _data(filled, "武隆区", "2023-05")))).active
    row = next(r for r in out.iter_rows(min_row=2) if r[0].value == "1")
    assert row[0].border.left.style == "thin" and not row[1].font.b and row[1].fill.fill_type is None
    assert row[3].value == 100 and out.print_title_rows == "$1:$1"
    assert out.page_setup.fitToWidth == 1 and out.sheet_properties.pageSetUpPr.fitToPage
    doc = Document()
    t = doc.add_table(rows=1, cols=3)
    for cell, text in zip(t.rows[0].cells, ("序号", "项目名称", "进展情况")):
        cell.paragraphs[0].add_run(text).bold = True
    doc.save(tmp_path / "h.docx")
    data = _data(filled, "武隆区", "2023-05")
    res = Document(io.BytesIO(fill_template(analyse_template(tmp_path / "h.docx"), data)))
    table = res.tables[0]
    assert len(table.rows) > 20 and table.rows[0]._tr.trPr.find(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}tblHeader") is not None
    item = next(r for r in table.rows if r.cells[0].text == "1")
    assert not item.cells[1].paragraphs[0].runs[0].bold
    assert item._tr.trPr is None or item._tr.trPr.find(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}tblHeader") is None


def test_example_rows_in_template_are_replaced(filled: Path, tmp_path: Path) -> None:  # noqa: F811
    """A template handed out with a filled example (a bordered section line and an item) keeps none of it."""
    path = make_xlsx_template(tmp_path / "e.xlsx", example=True)
    data = _data(filled, "武隆区", "2023-05")
    out = load_workbook(io.BytesIO(fill_template(analyse_template(path), data))).active
    texts = [str(c.value) for row in out.iter_rows() for c in row if c.value]
    assert not any("示例" in t for t in texts) and texts[-1] == "注：请于每月5日前报送区发展改革委。"


def test_no_total_line_without_figures(filled: Path, tmp_path: Path) -> None:  # noqa: F811
    doc = Document(io.BytesIO(fill_template(analyse_template(make_docx_template(tmp_path / "t.docx")),
                                            _data(filled, "武隆区", "2023-05"))))
    assert "合计" not in [r.cells[0].text for r in doc.tables[0].rows]
