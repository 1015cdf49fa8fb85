"""The lxml .xlsx reader: the same cell texts as openpyxl on every workbook we have, and the parts of the
format a target list can carry (shared and inline strings, rich text, phonetic guides, dates, booleans,
merges, hidden and chart sheets, cells without references, 1904 dates) read as a clerk sees them."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import openpyxl
import pytest

from minsheng_desktop.importers import ImportFailure
from minsheng_desktop.importers.xlsx import read_xlsx, read_xlsx_with_sheet

from .conftest import FIXTURES

WORKBOOKS = sorted([*FIXTURES.glob("*.xlsx"), *(FIXTURES / "variants").glob("*.xlsx")])


def _openpyxl_texts(path: Path) -> list[list[list[str]]]:
    """Each visible sheet's cells as text, read by openpyxl (the reader this one replaced)."""
    wb = openpyxl.load_workbook(path, data_only=True)
    out = []
    for ws in wb.worksheets:
        if ws.sheet_state != "visible":
            continue
        merged = {}
        for rng in ws.merged_cells.ranges:
            top = ws.cell(rng.min_row, rng.min_col).value
            for r in range(rng.min_row, rng.max_row + 1):
                for c in range(rng.min_col, rng.max_col + 1):
                    merged[(r, c)] = top
        rows = []
        for r in range(1, ws.max_row + 1):
            row = []
            for c in range(1, ws.max_column + 1):
                v = merged.get((r, c), ws.cell(r, c).value)
                if isinstance(v, float) and v.is_integer():
                    v = int(v)
                row.append("" if v is None else str(v).replace("\u3000", " ").strip())
            rows.append(row)
        while rows and not any(rows[-1]):
            rows.pop()
        width = max((max((i + 1 for i, v in enumerate(r) if v), default=0) for r in rows), default=0)
        out.append([r[:width] for r in rows])
    return out


@pytest.mark.parametrize("path", WORKBOOKS, ids=lambda p: p.name)
def test_same_texts_as_openpyxl(path: Path) -> None:
    ours = [[[c.text for c in row] for row in t.rows] for t in read_xlsx(path).tables]
    theirs = _openpyxl_texts(path)
    assert len(ours) == len(theirs)
    for a, b in zip(ours, theirs):
        width = max(len(b[0]) if b else 0, *(len(r) for r in b))
        assert [r[:width] + [""] * (width - len(r[:width])) for r in a][: len(b)] == [
            r + [""] * (width - len(r)) for r in b
        ]
        assert not any(any(r[width:]) for r in a), "text beyond openpyxl's last column"


def test_merged_cells_are_one_object(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["序号", "项目名称", "牵头单位"])
    ws.append([1, "老旧小区改造", "区住房城乡建委"])
    ws.append([None, None, "区城市管理局"])
    ws.merge_cells("A2:A3")
    ws.merge_cells("B2:B3")
    p = tmp_path / "m.xlsx"
    wb.save(p)
    rows = read_xlsx(p).tables[0].rows
    assert rows[1][1] is rows[2][1] and rows[1][1].text == "老旧小区改造"
    assert rows[1][2] is not rows[2][2]
    assert (rows[2][0].row, rows[2][0].col) == (1, 0)


def _package(tmp_path: Path, sheet_xml: str, *, shared: str | None = None, styles: str | None = None,
             workbook_pr: str = "", extra_sheets: str = "", extra_rels: str = "",
             extra_parts: dict[str, str] | None = None, absolute: bool = False) -> Path:
    """A hand-written workbook, to reach the corners openpyxl never writes."""
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rns = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    target = "/xl/worksheets/sheet1.xml" if absolute else "worksheets/sheet1.xml"
    rels = [f'<Relationship Id="rId1" Type="{rel}/worksheet" Target="{target}"/>']
    if shared is not None:
        rels.append(f'<Relationship Id="rId8" Type="{rel}/sharedStrings" Target="sharedStrings.xml"/>')
    if styles is not None:
        rels.append(f'<Relationship Id="rId9" Type="{rel}/styles" Target="styles.xml"/>')
    parts = {
        "[Content_Types].xml": '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                               '<Default Extension="xml" ContentType="application/xml"/></Types>',
        "_rels/.rels": '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                       f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/>'
                       "</Relationships>",
        "xl/workbook.xml": f"<workbook {ns} {rns}>{workbook_pr}<sheets>"
                           f'<sheet name="表1" sheetId="1" r:id="rId1"/>{extra_sheets}</sheets></workbook>',
        "xl/_rels/workbook.xml.rels": '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
                                      f'relationships">{"".join(rels)}{extra_rels}</Relationships>',
        "xl/worksheets/sheet1.xml": f"<worksheet {ns}>{sheet_xml}</worksheet>",
    }
    if shared is not None:
        parts["xl/sharedStrings.xml"] = f"<sst {ns}>{shared}</sst>"
    if styles is not None:
        parts["xl/styles.xml"] = f"<styleSheet {ns}>{styles}</styleSheet>"
    parts.update(extra_parts or {})
    p = tmp_path / "hand.xlsx"
    with zipfile.ZipFile(p, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, text in parts.items():
            zf.writestr(name, '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' + text)
    return p


def _texts(path: Path) -> list[list[str]]:
    return [[c.text for c in row] for row in read_xlsx(path).tables[0].rows]


def test_shared_rich_and_phonetic_strings(tmp_path: Path) -> None:
    shared = ("<si><t>项目名称</t></si>"
              "<si><r><t>改造</t></r><r><rPr><b/></rPr><t xml:space=\"preserve\">老旧小区</t></r>"
              "<rPh sb=\"0\" eb=\"2\"><t>かいぞう</t></rPh></si>"
              "<si><t>A&amp;B</t><rPh sb=\"0\" eb=\"1\"><t>x</t></rPh></si>")
    sheet = ('<sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c>'
             '<c r="C1" t="s"><v>2</v></c></row>'
             '<row r="2"><c r="A2" t="inlineStr"><is><r><t>内联</t></r><r><t>文字</t></r></is></c>'
             '<c r="B2" t="str"><f>A1</f><v>公式结果</v></c><c r="C2" t="e"><v>#N/A</v></c></row></sheetData>')
    assert _texts(_package(tmp_path, sheet, shared=shared)) == [
        ["项目名称", "改造老旧小区", "A&B"],
        ["内联文字", "公式结果", "#N/A"],
    ]


def test_numbers_dates_and_booleans(tmp_path: Path) -> None:
    styles = ('<numFmts count="2"><numFmt numFmtId="176" formatCode="yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;"/>'
              '<numFmt numFmtId="177" formatCode="#,##0.00_);[Red]\\(#,##0.00\\)"/></numFmts>'
              '<cellXfs count="6"><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="176"/><xf numFmtId="177"/>'
              '<xf numFmtId="31"/><xf numFmtId="20"/></cellXfs>')
    sheet = ('<sheetData><row r="1">'
             '<c r="A1"><v>1235</v></c><c r="B1"><v>12.5</v></c><c r="C1"><v>2E3</v></c>'
             '<c r="D1" s="1"><v>45107</v></c><c r="E1" s="2"><v>45107.5</v></c><c r="F1" s="3"><v>1122</v></c>'
             '<c r="G1" s="4"><v>45291</v></c><c r="H1" s="5"><v>0.6041666666666666</v></c>'
             '<c r="I1" t="b"><v>1</v></c><c r="J1" t="d"><v>2023-06-30</v></c></row></sheetData>')
    assert _texts(_package(tmp_path, sheet, styles=styles)) == [
        ["1235", "12.5", "2000", "2023-06-30", "2023-06-30 12:00", "1122", "2023-12-31", "14:30", "TRUE",
         "2023-06-30"]
    ]
    assert dt.date(1899, 12, 30) + dt.timedelta(days=45107) == dt.date(2023, 6, 30)


def test_1904_dates_missing_refs_gaps_and_absolute_targets(tmp_path: Path) -> None:
    styles = '<cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14"/></cellXfs>'
    sheet = ('<sheetData><row><c t="inlineStr"><is><t>甲</t></is></c><c t="inlineStr"><is><t>乙</t></is></c>'
             '<c r="E1" t="inlineStr"><is><t>戊</t></is></c></row>'
             '<row r="3"><c s="1"><v>0</v></c><c r="C3"><v>7</v></c></row></sheetData>')
    path = _package(tmp_path, sheet, styles=styles, workbook_pr='<workbookPr date1904="1"/>', absolute=True)
    assert _texts(path) == [["甲", "乙", "", "", "戊"], ["", "", "", "", ""], ["1904-01-01", "", "7", "", ""]]


def test_hidden_and_chart_sheets_are_left_out(tmp_path: Path) -> None:
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    hidden = '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>' \
             '<row r="1"><c r="A1" t="inlineStr"><is><t>内部</t></is></c></row></sheetData></worksheet>'
    path = _package(
        tmp_path, '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>可见</t></is></c></row></sheetData>',
        extra_sheets='<sheet name="_minsheng" sheetId="2" state="hidden" r:id="rId2"/>'
                     '<sheet name="图表" sheetId="3" r:id="rId3"/><sheet name="丢失" sheetId="4" r:id="rId4"/>',
        extra_rels=f'<Relationship Id="rId2" Type="{rel}/worksheet" Target="worksheets/sheet2.xml"/>'
                   f'<Relationship Id="rId3" Type="{rel}/chartsheet" Target="chartsheets/sheet1.xml"/>'
                   f'<Relationship Id="rId4" Type="{rel}/worksheet" Target="worksheets/nowhere.xml"/>',
        extra_parts={"xl/worksheets/sheet2.xml": hidden},
    )
    doc = read_xlsx(path)
    assert [[[c.text for c in r] for r in t.rows] for t in doc.tables] == [[["可见"]]]


def test_a_named_sheet_is_read_in_the_same_pass(tmp_path: Path) -> None:
    """`minsheng collect` reads our exports' hidden sheet through this reader: its cells as the text openpyxl
    reads (numbers without ".0", empty rows kept as gaps), hidden or not, and the visible tables unchanged."""
    wb = openpyxl.Workbook()
    wb.active.append(["序号", "项目名称"])
    wb.active.append([1, "老旧小区改造"])
    meta = wb.create_sheet("_minsheng")
    meta.sheet_state = "hidden"
    for r in (["format", "minsheng-progress"], ["year", 2023], ["unit", ""], [], ["row", "project_id", "section"],
              [5, "p-1", None, "1"], [6.0, "p-2", "一、教育", "2", "2023-04"]):
        meta.append(r)
    wb.create_sheet("备注").append(["可见的第二张表"])
    path = tmp_path / "returned.xlsx"
    wb.save(path)
    doc, rows = read_xlsx_with_sheet(path, "_minsheng")
    assert [[[c.text for c in r] for r in t.rows] for t in doc.tables] == \
        [[[c.text for c in r] for r in t.rows] for t in read_xlsx(path).tables] == \
        [[["序号", "项目名称"], ["1", "老旧小区改造"]], [["可见的第二张表"]]]
    theirs = [[None if v is None else str(int(v) if isinstance(v, float) else v) for v in r]
              for r in openpyxl.load_workbook(path)["_minsheng"].iter_rows(values_only=True)]
    assert [r + [None] * (5 - len(r)) for r in rows] == theirs  # openpyxl fills each row to the widest
    assert rows[3] == [] and rows[5] == ["5", "p-1", None, "1"]
    doc, rows = read_xlsx_with_sheet(path, "备注")  # a visible sheet asked for by name: also still a table
    assert rows == [["可见的第二张表"]] and len(doc.tables) == 2
    assert read_xlsx_with_sheet(path, "没有这张表")[1] is None


@pytest.mark.parametrize("sheet", [
    '<sheetData><row r="1"><c r="A1" t="s"><v>5</v></c></row></sheetData>',  # no such shared string
    '<sheetData><row r="1"><c r="A1"><v>abc</v></c></row></sheetData>',  # not a number
    '<sheetData><row r="1"><c r="A1"><v>1</v></row></sheetData>',  # not well-formed
])
def test_broken_sheets_fail_in_chinese(tmp_path: Path, sheet: str) -> None:
    with pytest.raises(ImportFailure, match="损坏"):
        read_xlsx(_package(tmp_path, sheet, shared="<si><t>一</t></si>"))


def test_rows_beyond_the_bound_are_refused_while_streaming(tmp_path: Path) -> None:
    sheet = '<sheetData><row r="60000"><c r="A60000"><v>1</v></c></row></sheetData>'
    with pytest.raises(ImportFailure, match="超过 50000 行"):
        read_xlsx(_package(tmp_path, sheet))


def test_a_nonsense_row_number_is_the_next_row(tmp_path: Path) -> None:
    sheet = ('<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>一</t></is></c></row>'
             '<row r="0"><c t="inlineStr"><is><t>二</t></is></c></row></sheetData>')
    assert _texts(_package(tmp_path, sheet)) == [["一"], ["二"]]


def test_formatting_far_below_the_list_does_not_count_as_rows(tmp_path: Path) -> None:
    """A short list whose borders and fill run down to row 60,000 (common after a .xls was saved as .xlsx):
    its <dimension> says A1:H60000, but only rows with a value count against the 50,000-row bound."""
    from openpyxl.styles import Border, PatternFill, Side

    from minsheng_desktop.importers import read_target_list

    src = FIXTURES / "000_wulong_2023_list.xlsx"
    wb = openpyxl.load_workbook(src)
    ws = wb.worksheets[0]
    last = ws.max_row
    thin = Side(style="thin")
    border, fill = Border(left=thin, right=thin, top=thin, bottom=thin), PatternFill("solid", fgColor="FFF2CC")
    for row in ws.iter_rows(min_row=last + 1, max_row=60_000, max_col=3):
        for cell in row:
            cell.border, cell.fill = border, fill
    out = tmp_path / "formatted.xlsx"
    wb.save(out)
    with zipfile.ZipFile(out) as zf:
        head = zf.read("xl/worksheets/sheet1.xml")[:4096].decode()
    assert ':C60000"' in head or ':H60000"' in head  # the dimension does run to row 60,000

    assert [[c.text for c in r] for r in read_xlsx(out).tables[0].rows] == \
        [[c.text for c in r] for r in read_xlsx(src).tables[0].rows]
    got, want = read_target_list(out), read_target_list(src)
    assert [vars(p) for p in got.projects] == [vars(p) for p in want.projects]
    assert len(got.projects) > 20


def test_a_value_in_row_50001_is_still_refused_by_the_package_check(tmp_path: Path) -> None:
    from minsheng_desktop.importers.sniff import check_package

    sheet = ('<dimension ref="A1:A50001"/><sheetData><row r="1"><c r="A1"><v>1</v></c></row>'
             '<row r="2" s="1" customFormat="1"><c r="A2" s="1"/></row>'
             '<row r="50001"><c r="A50001"><v>2</v></c></row></sheetData>')
    with pytest.raises(ImportFailure, match="第 50001 行仍有内容"):
        check_package(_package(tmp_path, sheet))
    formatted_only = sheet.replace('<c r="A50001"><v>2</v></c>', '<c r="A50001" s="1"/>')
    assert check_package(_package(tmp_path, formatted_only))[0] == "xlsx"
