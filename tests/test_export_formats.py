"""The one table of export formats (exporters/formats.py) and the one way both interfaces export (issue 14).

The table's names, suffixes and file names are the ones the window and `minsheng export` showed before it;
the .docx template filler finds the table the importers' reader numbered; an .xlsx export through the command
line loads neither python-docx nor the importers."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from minsheng_desktop.exporters.formats import FORMATS
from minsheng_desktop.exporters.naming import export_filename
from minsheng_desktop.exporters.template import fill_template
from minsheng_desktop.exporters.template_docx import body_tables
from minsheng_desktop.importers.grid import read_docx
from minsheng_desktop.services.templates import analyse_template
from tests.test_export import _data, filled  # noqa: F401  (filled is a fixture)

ROOT = Path(__file__).resolve().parent.parent


def test_the_table_says_what_the_window_and_the_command_line_said() -> None:
    # the command line's --format choices
    assert list(FORMATS) == ["xlsx", "docx", "letter", "bulletin", "plan", "annual", "assessment"]
    # the window's check boxes and the month's e-mail, in this order; the 实施方案 is made once a year (issue 17)
    assert [k for k, f in FORMATS.items() if f.monthly] == ["xlsx", "docx", "letter", "bulletin"]
    assert {k: f.label for k, f in FORMATS.items()} == {
        "xlsx": "月报表（.xlsx）", "docx": "月报表（.docx）", "letter": "报送函（.docx）", "bulletin": "季度通报（.docx）",
        "plan": "实施方案（.xlsx）", "annual": "年度完成情况报告（.docx）", "assessment": "考核评比表（.xlsx）"}
    assert {k: f.suffixes for k, f in FORMATS.items()} == {
        "xlsx": (".xlsx",), "docx": (".docx",), "letter": (".docx",), "bulletin": (".docx",),
        "plan": (".xlsx", ".docx"), "annual": (".docx", ".xlsx"), "assessment": (".xlsx", ".docx")}
    assert FORMATS["plan"].builder(".DOCX") is not FORMATS["plan"].build is FORMATS["plan"].builder(".xlsx")
    assert [k for k, f in FORMATS.items() if f.fills_template] == ["xlsx", "docx"]
    assert [k for k, f in FORMATS.items() if f.district] == ["xlsx", "docx", "bulletin"]
    assert [k for k, f in FORMATS.items() if f.takes_photos] == ["docx", "bulletin"]
    assert [k for k, f in FORMATS.items() if not f.signed] == ["bulletin", "plan", "assessment"]
    assert [k for k, f in FORMATS.items() if not f.per_unit] == ["assessment"]  # over every lead unit


@pytest.mark.parametrize("mon", range(1, 13))
def test_only_the_bulletin_waits_for_a_quarter_end(mon: int) -> None:
    month = f"2023-{mon:02d}"
    assert {k for k, f in FORMATS.items() if f.applies_to(month)} == (
        set(FORMATS) if mon in (3, 6, 9, 12) else {"xlsx", "docx", "letter", "plan", "annual", "assessment"})
    assert FORMATS["bulletin"].applies_to("") is False  # no month chosen yet


def test_file_names_follow_the_table(filled: Path) -> None:  # noqa: F811
    data = _data(filled, "武隆区", "2023-06", "区住房城乡建委")
    assert {k: export_filename(k, data) for k in FORMATS} == {
        "xlsx": "区住房城乡建委_2023年6月民生实事推进情况表.xlsx",
        "docx": "区住房城乡建委_2023年6月民生实事推进情况表.docx",
        "letter": "区住房城乡建委_关于报送2023年6月民生实事推进情况的函.docx",
        "bulletin": "区住房城乡建委_2023年第二季度民生实事推进情况通报.docx",
        "plan": "区住房城乡建委_2023年民生实事实施方案.xlsx",
        "annual": "区住房城乡建委_关于2023年民生实事完成情况的报告.docx",
        "assessment": "武隆区2023年民生实事考核评比表.xlsx",
    }


def _wrap_in_content_control(tbl) -> None:  # type: ignore[no-untyped-def]
    """Put a body table inside a w:sdt, as Word does for a table in a content control."""
    sdt, content = OxmlElement("w:sdt"), OxmlElement("w:sdtContent")
    tbl.addprevious(sdt)
    sdt.append(content)
    content.append(tbl)


def test_docx_template_filled_where_the_importers_found_its_header(filled: Path, tmp_path: Path) -> None:  # noqa: F811
    """A table before the header's and the header's table inside a content control: the template's part, counted
    by the importers' reader, is the table the exporters' filler writes into."""
    doc = Document()
    first = doc.add_table(rows=1, cols=2)
    first.rows[0].cells[0].text, first.rows[0].cells[1].text = "填报说明", "按月填写"
    doc.add_paragraph("")
    head = doc.add_table(rows=2, cols=3)
    for cell, text in zip(head.rows[0].cells, ("序号", "项目名称", "工作进展情况")):
        cell.text = text
    _wrap_in_content_control(head._tbl)
    last = doc.add_table(rows=1, cols=1)  # a third table, after it, in a control of its own
    last.rows[0].cells[0].text = "备注"
    _wrap_in_content_control(last._tbl)
    path = tmp_path / "控件模板.docx"
    doc.save(path)

    tables = read_docx(path).tables
    assert len(body_tables(Document(path).element.body)) == len(tables) == 3
    tpl = analyse_template(path)
    assert tpl.part == 1 and tpl.mapping() == {0: "number", 1: "name", 2: "progress"}
    data = _data(filled, "武隆区", "2023-05")
    out = Document(io.BytesIO(fill_template(tpl, data)))
    filled_tables = body_tables(out.element.body)
    texts = [tc.xpath("string(.)") for tr in filled_tables[1].findall(qn("w:tr")) for tc in tr.findall(qn("w:tc"))]
    assert texts[:3] == ["序号", "项目名称", "工作进展情况"] and data.leaves[0].project.name in texts
    assert [len(t.findall(qn("w:tr"))) for t in (filled_tables[0], filled_tables[2])] == [1, 1]  # left alone


def test_an_xlsx_export_loads_neither_python_docx_nor_the_importers(filled: Path, tmp_path: Path) -> None:  # noqa: F811
    code = (
        "import sys\n"
        "from minsheng_desktop.cli import main\n"
        f"rc = main(['--db', r'{filled}', 'export', '--month', '2023-06', '--region', '武隆区', '--format', 'xlsx',"
        f" '--out', r'{tmp_path / 'a.xlsx'}'])\n"
        "print('RC', rc)\n"
        "print('LOADED', sorted(m for m in sys.modules if m.split('.')[0] == 'docx'"
        " or m.startswith('minsheng_desktop.importers')))\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, encoding="utf-8",
                       env=dict(os.environ, PYTHONPATH=str(ROOT), PYTHONIOENCODING="utf-8"))
    assert "RC 0" in r.stdout, r.stderr
    assert "LOADED []" in r.stdout, r.stdout
