"""Exports of issue 4: xlsx/docx tables, cover letter and bulletin, through the functions and the CLI."""

from __future__ import annotations

import io
import zipfile
from datetime import date
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from openpyxl import load_workbook

from minsheng_desktop.services.importing import import_file
from minsheng_desktop.services.database import open_database, select_list
from minsheng_desktop.services.reports import projects_of, save_report
from minsheng_desktop.cli import main
from minsheng_desktop.domain.model import Report
from minsheng_desktop.exporters.bulletin import build_bulletin
from minsheng_desktop.exporters.docx_table import build_progress_docx
from minsheng_desktop.exporters.letter import build_cover_letter
from minsheng_desktop.exporters.naming import safe_filename
from minsheng_desktop.exporters.xlsx import build_progress_xlsx
from minsheng_desktop.services.month_data import collect_month
from minsheng_desktop.storage import repo

FIX = Path(__file__).parent / "fixtures"
HEADERS = ["序号", "项目名称", "年度目标任务", "年度投资（万元）", "累计完成投资（万元）", "投资完成率", "工作进展情况",
           "完成进度（%）", "进度状态", "存在问题", "下步工作打算", "牵头单位"]  # 备注 only when a project has one


def heads(cells) -> list[str]:  # type: ignore[no-untyped-def]
    """Header texts without the line breaks put between their words."""
    return [str(c.value if hasattr(c, "value") else c.text).replace("\n", "") for c in cells]
EVIL = "=HYPERLINK(\"http://x\")已开工"


@pytest.fixture
def filled(tmp_path: Path) -> Path:
    """A database with 武隆 and 城口 imported, a few reports, one withdrawn project."""
    path = tmp_path / "m.db"
    db = open_database(path)
    try:
        wl, _ = import_file(db, FIX / "000_wulong_2023_notice.docx")
        ck, _ = import_file(db, FIX / "004_chengkou_2023_notice.docx")
        ps = {(p.section, p.number): p for p in projects_of(db, wl)}
        p1, p2 = ps[("市级民生实事", "1")], ps[("市级民生实事", "2")]
        p9 = ps[("区级民生实事", "9")]
        for m, pct in (("2023-03", 30.0), ("2023-05", 100.0), ("2023-06", 100.0)):
            save_report(db, Report(p1.id, m, percent=pct, investment_done_wan=20 * pct, progress="已改造完成"))
        save_report(db, Report(p2.id, "2023-05", status="on_track", percent=45, investment_done_wan=504.9,
                                        progress=EVIL, problems="+资金缺口", next_steps="@加快推进"))
        save_report(db, Report(p9.id, "2023-05", percent=10, investment_done_wan=92,
                                        problems="灯具招标延迟", next_steps="6月完成招标"))
        save_report(db, Report(p9.id, "2023-06", percent=20, investment_done_wan=184,
                                        problems="灯具招标延迟", next_steps="7月完成安装"))
        repo.set_withdrawn(db, wl, {ps[("区级民生实事", "7")].id: True})
        for p in projects_of(db, ck)[:3]:
            save_report(db, Report(p.id, "2023-06", percent=50, progress="-按计划推进"))
        repo.set_setting(db, "reporter_name", "张三")
        repo.set_setting(db, "reporter_phone", "023-77771234")
    finally:
        db.close()
    return path


def _data(path: Path, region: str, month: str, unit: str | None = None):  # type: ignore[no-untyped-def]
    db = open_database(path)
    try:
        tl = select_list(db, 2023, region)
        return collect_month(db, tl, month, unit, today=date(2023, 6, 5))
    finally:
        db.close()


def _export(path: Path, out: Path, fmt: str, *extra: str) -> int:
    return main(["--db", str(path), "export", "--month", extra[0] if extra and extra[0].startswith("20") else
                 "2023-05", "--format", fmt, "--out", str(out), *(x for x in extra if not x.startswith("20"))])


def _east_asia_everywhere(doc_bytes: bytes) -> None:
    with zipfile.ZipFile(io.BytesIO(doc_bytes)) as z:
        body = z.read("word/document.xml").decode()
        fonts = z.read("word/fontTable.xml").decode()
    assert body.count("<w:r>") + body.count("<w:r ") <= body.count('w:eastAsia="'), "a run without w:eastAsia"
    assert 'w:name="仿宋_GB2312"><w:altName w:val="仿宋"/>' in fonts
    assert 'w:name="方正小标宋简体"><w:altName w:val="宋体"/>' in fonts


def _page_field(doc) -> None:  # type: ignore[no-untyped-def]
    sec = doc.sections[0]
    for footer in (sec.footer, sec.even_page_footer):
        xml = footer._element.xml
        assert "PAGE" in xml and "fldChar" in xml and "— " in xml and " —" in xml
        assert 'w:eastAsia="宋体"' in xml and 'w:val="28"' in xml  # 4号


# ------------------------------------------------------------------ xlsx


def test_xlsx_table(filled: Path) -> None:
    wb = load_workbook(io.BytesIO(build_progress_xlsx(_data(filled, "武隆区", "2023-05"))))
    ws = wb.worksheets[0]
    assert ws["A1"].value == "武隆区2023年民生实事推进情况表（截至2023年5月底）"
    assert "A1:L1" in {str(r) for r in ws.merged_cells.ranges}
    assert ws["A2"].value.startswith("填报单位：") and "联系人：张三" in ws["A2"].value
    assert "联系电话：023-77771234" in ws["A2"].value and "填报日期：2023年6月5日" in ws["A2"].value
    assert heads(ws[3]) == HEADERS
    assert all(c.font.b and c.alignment.horizontal == "center" and c.border.left.style == "thin" for c in ws[3])
    assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
    assert ws.page_setup.fitToHeight == 0
    assert ws.print_title_rows == "$3:$3" and ws.freeze_panes == "C4"
    rows = {r[0].value: r for r in ws.iter_rows(min_row=4) if r[0].value}
    assert rows["一、市级民生实事（14件14个项目）"][3].value == 9446
    sec2 = next(k for k in rows if str(k).startswith("二、区级民生实事"))
    assert "（9件11个项目）" in sec2  # No.7 withdrawn
    first = next(r for r in ws.iter_rows(min_row=4) if r[0].value == "1")
    assert first[1].value == "城镇老旧小区改造和社区服务提升"
    assert first[3].value == 2000 and first[3].number_format == "0"  # 2000, not 2000.00
    assert first[4].value == 2000 and first[5].value == pytest.approx(1.0) and first[5].number_format == "0%"
    assert first[7].value == 100 and first[7].number_format == "0" and first[8].value == "已完成"
    evil = next(c for row in ws.iter_rows() for c in row if c.value == EVIL)
    assert evil.data_type == "s"
    for row in ws.iter_rows():
        for c in row:
            assert c.data_type != "f", c.coordinate
            if isinstance(c.value, str):
                assert c.data_type == "s"
    allnum = [r[0].value for r in ws.iter_rows(min_row=4)]
    numbers = allnum[allnum.index(sec2):]
    assert numbers.index("4") < numbers.index("4.1") < numbers.index("4.2") < numbers.index("5")
    assert "7" not in numbers
    notes = [r[0].value for r in ws.iter_rows(min_row=4) if str(r[0].value).startswith("注：")]
    assert notes and "已撤销的1个项目未列入本表" in notes[0] and "区殡仪馆" in notes[0]
    total = next(r for r in ws.iter_rows(min_row=4) if r[0].value == "合计")
    assert total[3].value == pytest.approx(9446 + 29712 - 300)
    meta = wb["_minsheng"]
    assert meta.sheet_state == "hidden"
    kv = {r[0].value: r[1].value for r in meta.iter_rows(max_row=8)}
    assert kv["format"] == "minsheng-progress" and kv["year"] == 2023 and kv["region"] == "武隆区"
    assert kv["month"] == "2023-05" and not kv["unit"]
    ids = [r[1].value for r in meta.iter_rows(min_row=11)]
    db = open_database(filled)
    live = {p.id for p in projects_of(db, select_list(db, 2023, "武隆区").id) if not p.withdrawn}
    db.close()
    assert set(ids) == live


def test_xlsx_without_investment_and_unit_filter(filled: Path) -> None:
    ws = load_workbook(io.BytesIO(build_progress_xlsx(_data(filled, "城口县", "2023-06")))).worksheets[0]
    assert heads(ws[3]) == [h for h in HEADERS if "投资" not in h]
    assert ws["A1"].value == "城口县2023年民生实事推进情况表（截至2023年6月底）"
    assert not any(r[0].value == "合计" for r in ws.iter_rows())
    ws = load_workbook(io.BytesIO(build_progress_xlsx(_data(filled, "武隆区", "2023-05", "区教委")))).worksheets[0]
    assert ws["A1"].value.startswith("区教委牵头武隆区2023年")
    leads = {r[11].value for r in ws.iter_rows(min_row=4) if r[0].value and r[0].value[0].isdigit()}
    assert leads == {"区教委"}
    assert "填报单位：区教委" in ws["A2"].value


# ------------------------------------------------------------------ docx


def test_docx_table(filled: Path) -> None:
    raw = build_progress_docx(_data(filled, "武隆区", "2023-05"))
    doc = Document(io.BytesIO(raw))
    sec = doc.sections[0]
    assert sec.orientation == 1 and sec.page_width > sec.page_height
    assert round(sec.left_margin.mm) == 37 and round(sec.right_margin.mm) == 35
    assert round(sec.top_margin.mm) == 28 and round(sec.bottom_margin.mm) == 26
    texts = [p.text for p in doc.paragraphs]
    assert "武隆区2023年民生实事推进情况表" in texts and "（截至2023年5月底）" in texts
    title = next(p for p in doc.paragraphs if p.text == "武隆区2023年民生实事推进情况表")
    assert title.runs[0].font.size.pt == 22
    assert title.runs[0]._r.rPr.rFonts.get(qn("w:eastAsia")) == "方正小标宋简体"
    table = doc.tables[0]
    assert heads(table.rows[0].cells) == HEADERS
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    sizes = {r.font.size.pt for row in table.rows for c in row.cells for p in c.paragraphs for r in p.runs}
    assert sizes and all(9 <= s <= 10.5 for s in sizes)  # 五号, or 小五 for a dense month
    assert any("已撤销" in t for t in texts)
    _east_asia_everywhere(raw)
    _page_field(doc)


def test_docx_without_investment(filled: Path) -> None:
    doc = Document(io.BytesIO(build_progress_docx(_data(filled, "城口县", "2023-06"))))
    assert heads(doc.tables[0].rows[0].cells) == [h for h in HEADERS if "投资" not in h]


def test_cover_letter(filled: Path) -> None:
    raw = build_cover_letter(_data(filled, "武隆区", "2023-05", "区教委"))
    doc = Document(io.BytesIO(raw))
    sec = doc.sections[0]
    assert sec.page_height > sec.page_width and round(sec.top_margin.mm) == 37 and round(sec.left_margin.mm) == 28
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "关于报送区教委2023年5月\n民生实事推进情况的函" in text
    assert "区发展改革委：" in text and "特此函告。" in text
    assert "我单位牵头民生实事共4件（4个项目）" in text
    assert "进度滞后1个" in text and "中小学教室灯光照明标准化改造" in text and "灯具招标延迟" in text
    assert "附件：区教委牵头武隆区2023年民生实事推进情况表（截至2023年5月底）" in text
    assert "2023年6月5日" in text and "2023年06月" not in text
    assert "年度计划投资2052万元" in text
    _east_asia_everywhere(raw)
    _page_field(doc)


def test_letter_kind_report(filled: Path) -> None:
    db = open_database(filled)
    repo.set_setting(db, "letter_kind", "报告")
    db.close()
    text = "\n".join(p.text for p in Document(io.BytesIO(build_cover_letter(
        _data(filled, "武隆区", "2023-05")))).paragraphs)
    assert "情况的报告" in text and "特此报告。" in text


def test_bulletin(filled: Path) -> None:
    raw = build_bulletin(_data(filled, "武隆区", "2023-06"))
    doc = Document(io.BytesIO(raw))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "关于2023年第二季度" in text and "通报" in text and "（4—6月）" in text
    assert "完成进度由30%提高到100%" in text
    assert "进度滞后" in text and "灯具招标延迟" in text
    assert doc.sections[-1].page_width > doc.sections[-1].page_height
    assert doc.tables[0].rows[0].cells[4].text == "4月底进度（%）"
    _east_asia_everywhere(raw)


# ------------------------------------------------------------------ names and CLI


@pytest.mark.parametrize("raw, safe", [
    ('区教委/a:b*c?"d"<e>|f.xlsx', "区教委_a_b_c__d__e__f.xlsx"),
    ("CON.xlsx", "_CON.xlsx"), ("com1", "_com1"), ("名称. ", "名称"),
])
def test_safe_filename(raw: str, safe: str) -> None:
    assert safe_filename(raw) == safe


def test_safe_filename_length() -> None:
    name = safe_filename("长" * 300 + ".docx")
    assert len(name) == 120 and name.endswith(".docx")


@pytest.mark.parametrize("fmt, month", [("xlsx", "2023-05"), ("docx", "2023-05"), ("letter", "2023-05"),
                                        ("bulletin", "2023-06")])
def test_cli_each_format(filled: Path, tmp_path: Path, fmt: str, month: str, capsys) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "out"
    out.mkdir()
    assert _export(filled, out, fmt, month, "--region", "武隆区", "--unit", "区教委") == 0
    files = list(out.iterdir())
    assert len(files) == 1 and files[0].name.startswith("区教委_")
    if fmt == "xlsx":
        assert files[0].name == "区教委_2023年5月民生实事推进情况表.xlsx"
    assert "已导出" in capsys.readouterr().out
    assert _export(filled, files[0], fmt, month, "--region", "武隆区", "--unit", "区教委") == 2
    assert "已存在" in capsys.readouterr().err
    assert _export(filled, files[0], fmt, month, "--region", "武隆区", "--unit", "区教委", "--force") == 0


@pytest.mark.parametrize("args, words", [
    (["--month", "2023-13", "--format", "xlsx"], "--month"),
    (["--month", "2023-05", "--format", "pdf"], "--format"),
    (["--month", "2023-05", "--format", "xlsx", "--region", "武隆区", "--unit", "无此单位"], "--unit"),
    (["--month", "2023-05", "--format", "bulletin", "--region", "武隆区"], "季末"),
    (["--month", "2023-05", "--format", "xlsx"], "--region"),
])
def test_cli_bad_input(filled: Path, tmp_path: Path, args: list[str], words: str, capsys) -> None:  # type: ignore[no-untyped-def]
    rc = main(["--db", str(filled), "export", *args, "--out", str(tmp_path / "x.xlsx")])
    err = capsys.readouterr().err.strip()
    assert rc == 2 and words in err and "\n" not in err
    assert not (tmp_path / "x.xlsx").exists()


@pytest.mark.parametrize("n,text", [(1, "一"), (10, "十"), (12, "十二"), (20, "二十"), (99, "九十九"),
                                    (100, "一百"), (105, "一百零五"), (110, "一百一十"), (1010, "一千零一十"),
                                    (1234, "一千二百三十四")])
def test_chinese_numerals_for_any_count(n, text) -> None:
    from minsheng_desktop.exporters.data import cn_numeral

    assert cn_numeral(n) == text
