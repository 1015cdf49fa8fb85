"""Issue 15: what reaches the 发展改革委 is right, complete and looks finished — every export opened with
python-docx / openpyxl and checked (the investment and indicator values entered, the numbers as people write
them, rows kept whole, widths from the content, the addressee, the quarter's figures agreeing, the office
template's blanks filled), through the functions and the command line."""

from __future__ import annotations

import io
import re
from datetime import date
from email import policy
from email.parser import BytesParser
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Border, Font, Side

from minsheng_desktop.services.importing import import_file
from minsheng_desktop.services.reports import month_reports, projects_of, save_report
from minsheng_desktop.services.database import open_database, select_list
from minsheng_desktop.cli import main
from minsheng_desktop.domain.model import Contact, Report, TargetList
from minsheng_desktop.exporters.bulletin import build_bulletin
from minsheng_desktop.exporters.docx_table import build_progress_docx
from minsheng_desktop.exporters.letter import build_cover_letter
from minsheng_desktop.exporters.xlsx import build_progress_xlsx
from minsheng_desktop.services.month_data import collect_month
from minsheng_desktop.exporters.data import book_title
from minsheng_desktop.exporters.layout import BY_KEY
from minsheng_desktop.exporters.numbers import excel_number, percent_text, rate_text, wan_text
from minsheng_desktop.exporters.template import fill_template
from minsheng_desktop.services.templates import analyse_template
from minsheng_desktop.storage import repo
from tests.typical_month import fill_typical_month, typical_db

FIX = Path(__file__).parent / "fixtures"
WULONG = FIX / "000_wulong_2023_notice.docx"
WANZHOU = FIX / "variants" / "v01_wanzhou_2024_forwarded.docx"
CHENGKOU = FIX / "004_chengkou_2023_notice.docx"
UNIT = "区住房城乡建委"
CONTACT = {"reporter_name": "张三", "reporter_phone": "023-77771234"}
TODAY = date(2024, 1, 5)


def _data(path: Path, month: str, unit: str | None = None, region: str | None = None):  # type: ignore[no-untyped-def]
    with open_database(path) as db:
        return collect_month(db, select_list(db, int(month[:4]), region), month, unit, today=TODAY)


def _texts(raw: bytes) -> str:
    return "\n".join(p.text for p in Document(io.BytesIO(raw)).paragraphs)


def heads(cells) -> list[str]:  # type: ignore[no-untyped-def]
    return [str(getattr(c, "value", None) or c.text).replace("\n", "") for c in cells]


@pytest.fixture
def wanzhou(tmp_path: Path) -> Path:
    """万州 (a forwarded notice without an investment column): 区住房城乡建委's December, with the investment
    done and the indicator values entered — 改造老旧小区 90 个, 270 万平方米."""
    path = tmp_path / "wz.db"
    with open_database(path) as db:
        lid, _ = import_file(db, WANZHOU)
        for p in projects_of(db, lid):
            if p.number == "16":
                save_report(db, Report(
                    p.id, "2024-12", percent=95.0, investment_done_wan=1814.60, progress="完成老旧小区改造主体工程",
                    problems="个别小区居民意见不统一", next_steps="逐户做好群众工作",
                    indicator_actuals={"改造老旧小区": 90.0, "改造老旧小区面积": 270.0}))
            elif p.number == "13":
                save_report(db, Report(p.id, "2024-12", percent=85.0, investment_done_wan=504.90,
                                                progress="新建雨污水管网52公里"))
        for k, v in CONTACT.items():
            repo.set_setting(db, k, v)
    return path


@pytest.fixture(scope="module")
def typical(tmp_path_factory) -> Path:  # type: ignore[no-untyped-def]
    """武隆's 26 projects, December filled as a clerk fills it (tests/typical_month.py)."""
    path = tmp_path_factory.mktemp("typical") / "wl.db"
    return typical_db(path, WULONG, ("2023-11", "2023-12"), settings=CONTACT)[0]


# ------------------------------------------------------------------ numbers, in one place


@pytest.mark.parametrize("fn, value, text", [
    (percent_text, 85.0, "85"), (percent_text, 29.6, "29.6"), (percent_text, 29.64, "29.6"), (percent_text, 0, "0"),
    (wan_text, 2000.0, "2000"), (wan_text, 504.90, "504.9"), (wan_text, 3234.567, "3234.57"), (wan_text, 0.0, "0"),
    (rate_text, 0.296296, "29.6%"), (rate_text, 1.0, "100%"), (percent_text, None, ""),
])
def test_numbers_as_people_write_them(fn, value, text) -> None:  # type: ignore[no-untyped-def]
    assert fn(value) == text


@pytest.mark.parametrize("kind, value, shown, fmt", [
    ("money", 2000.0, 2000.0, "0"), ("money", 504.9, 504.9, "0.0"), ("money", 1814.567, 1814.57, "0.00"),
    ("pct", 85.0, 85.0, "0"), ("pct", 29.6, 29.6, "0.0"), ("rate", 0.296296, 0.296, "0.0%"), ("rate", 1.0, 1.0, "0%"),
])
def test_spreadsheet_numbers_are_numbers_with_formats(kind, value, shown, fmt) -> None:  # type: ignore[no-untyped-def]
    assert excel_number(kind, value) == (pytest.approx(shown), fmt)


# ------------------------------------------------------------------ the investment and indicator values


def test_investment_and_indicators_reach_the_table(wanzhou: Path) -> None:
    data = _data(wanzhou, "2024-12", UNIT)
    ws = load_workbook(io.BytesIO(build_progress_xlsx(data))).worksheets[0]
    head = heads(ws[3])
    assert "累计完成投资（万元）" in head and "主要指标完成情况" in head
    assert "年度投资（万元）" not in head and "投资完成率" not in head  # the notice plans none
    rows = {r[0].value: r for r in ws.iter_rows(min_row=4) if r[0].value}
    done, ind, pct = (head.index(h) for h in ("累计完成投资（万元）", "主要指标完成情况", "完成进度（%）"))
    assert rows["16"][done].value == pytest.approx(1814.6) and rows["16"][done].number_format == "0.0"
    assert rows["16"][ind].value == "改造老旧小区90个、270万平方米"
    assert rows["13"][done].value == pytest.approx(504.9) and rows["13"][pct].value == 85
    assert rows["13"][pct].number_format == "0" and rows["13"][pct].data_type == "n"
    total = next(r for r in ws.iter_rows(min_row=4) if r[0].value == "合计")
    assert total[done].value == pytest.approx(1814.6 + 504.9)

    doc = Document(io.BytesIO(build_progress_docx(data)))
    table = doc.tables[0]
    assert "累计完成投资（万元）" in heads(table.rows[0].cells)
    row16 = next(r for r in table.rows if r.cells[0].text == "16")
    texts = [c.text for c in row16.cells]
    assert "1814.6" in texts and "95" in texts and "95.0" not in texts
    assert any("主要指标：改造老旧小区90个、270万平方米" in t for t in texts)
    row13 = next(r for r in table.rows if r.cells[0].text == "13")
    assert "504.9" in [c.text for c in row13.cells] and "85" in [c.text for c in row13.cells]


def test_whatever_the_form_asks_appears_when_entered(tmp_path: Path) -> None:
    """城口 has no investment column either: an entered 累计完成投资 still reaches the table and the letter."""
    path = tmp_path / "ck.db"
    with open_database(path) as db:
        lid, _ = import_file(db, CHENGKOU)
        p = projects_of(db, lid)[0]
        save_report(db, Report(p.id, "2023-06", percent=50, investment_done_wan=120.5, progress="施工中"))
    data = _data(path, "2023-06")
    assert "累计完成投资（万元）" in heads(load_workbook(io.BytesIO(build_progress_xlsx(data))).worksheets[0][3])
    assert "累计完成投资120.5万元" in _texts(build_cover_letter(data))


# ------------------------------------------------------------------ the .docx table


def test_docx_rows_whole_widths_from_content_header_words_whole(typical: Path) -> None:
    doc = Document(io.BytesIO(build_progress_docx(_data(typical, "2023-12"))))
    table = doc.tables[0]
    rows = table.rows
    assert rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    for row in rows:  # every row kept on one page (none of a typical month is taller than a page)
        assert row._tr.trPr is not None and row._tr.trPr.find(qn("w:cantSplit")) is not None
    layout = table._tbl.tblPr.find(qn("w:tblLayout"))
    assert layout is not None and layout.get(qn("w:type")) == "fixed"
    widths = [gc.w.mm for gc in table._tbl.tblGrid.gridCol_lst]
    assert sum(widths) == pytest.approx(225, abs=1.5)  # the landscape type area
    head = heads(rows[0].cells)
    w = dict(zip(head, widths))
    assert w["工作进展情况"] == max(widths) and w["序号"] == min(widths)
    for narrow in ("序号", "完成进度（%）", "进度状态", "牵头单位"):
        for wide in ("工作进展情况", "年度目标任务", "存在问题"):
            assert w[narrow] < w[wide], (narrow, wide)
    by_header = {c.header: c for c in BY_KEY.values()}
    for cell, text in zip(rows[0].cells, head):
        words = by_header[text].words
        for line in (p.text for p in cell.paragraphs):  # each line of the header is whole words
            assert re.fullmatch("(" + "|".join(map(re.escape, words)) + ")+", line), (text, line)
    first = next(r for r in rows if r.cells[0].text == "1")
    spacing = first.cells[6].paragraphs[0]._p.pPr.find(qn("w:spacing"))
    assert spacing.get(qn("w:lineRule")) == "exact"  # the page count does not depend on the fonts at hand


def test_docx_numbers_and_status(typical: Path) -> None:
    doc = Document(io.BytesIO(build_progress_docx(_data(typical, "2023-12"))))
    cells = [c.text for r in doc.tables[0].rows[1:] for c in r.cells]
    assert not any(re.fullmatch(r"\d+\.0", t) for t in cells)  # 85, never 85.0
    assert not any(re.fullmatch(r"\d+\.\d*0", t) for t in cells)  # 504.9, never 504.90
    assert any(t.endswith("%") for t in cells)  # 投资完成率 in per cent


# ------------------------------------------------------------------ the .xlsx prints as the .docx does


def test_xlsx_prints_whole_rows_fitted_to_width(typical: Path) -> None:
    ws = load_workbook(io.BytesIO(build_progress_xlsx(_data(typical, "2023-12")))).worksheets[0]
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 1
    assert ws.page_setup.fitToHeight == 0 and ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows == "$3:$3"
    numbers = [c for r in ws.iter_rows(min_row=4) for c in r if isinstance(c.value, (int, float))]
    assert numbers and all(c.data_type == "n" and c.number_format in ("0", "0.0", "0.00", "0%", "0.0%")
                           for c in numbers)
    texts = [c.value for r in ws.iter_rows(min_row=4) for c in r[1:] if isinstance(c.value, str)]
    assert not any(re.fullmatch(r"[\d.]+%?", t) for t in texts)  # no number written as text (序号 aside)
    head = ws[3]
    assert all(not re.search(r"[^\n]\n[^\n]", c.value) or "\n" in c.value for c in head)
    for c in head:  # header lines break between words only
        words = {col.header: col.words for col in BY_KEY.values()}[c.value.replace("\n", "")]
        assert all(re.fullmatch("(" + "|".join(map(re.escape, words)) + ")+", line) for line in c.value.split("\n"))


# ------------------------------------------------------------------ the cover letter


@pytest.mark.parametrize("region, contact, office", [
    ("万州区", None, "区发展改革委"), ("城口县", None, "县发展改革委"),
    ("武隆区", Contact("区发展改革委", "何小双"), "区发展改革委"), ("武隆区", Contact("发改委"), "区发展改革委"),
])
def test_office_by_its_name(region: str, contact: Contact | None, office: str) -> None:
    assert TargetList(1, 2024, region, contact=contact).office == office


def test_letter_addressee_and_nested_titles(wanzhou: Path) -> None:
    text = _texts(build_cover_letter(_data(wanzhou, "2024-12", UNIT)))
    assert "\n区发展改革委：\n" in text and "\n发展改革委：" not in text
    assert "根据《重庆市万州区人民政府办公室关于印发〈万州区2024年重点民生实事工作目标任务〉的通知》（万州府办发〔2024〕18号）" in text
    assert "累计完成投资2319.5万元" in text
    assert book_title("《关于印发《A》的通知》") == "《关于印发〈A〉的通知》"


def test_letter_closing_block_stays_with_the_body(typical: Path) -> None:
    doc = Document(io.BytesIO(build_cover_letter(_data(typical, "2023-12"))))
    pars = doc.paragraphs
    start = next(i for i, p in enumerate(pars) if p.text == "特此函告。")
    assert pars[start - 1].paragraph_format.keep_with_next  # the body's last lines go along when they must
    assert all(p.paragraph_format.keep_with_next for p in pars[start:-1])
    assert pars[-1].text.startswith("（联系人：张三，联系电话：023-77771234")


def test_missing_contact_leaves_lines_to_write_on(wanzhou: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    with open_database(wanzhou) as db:
        for k in CONTACT:
            repo.set_setting(db, k, None)
    out = tmp_path / "t.xlsx"
    assert main(["--db", str(wanzhou), "export", "--month", "2024-12", "--format", "xlsx", "--unit", UNIT,
                 "--out", str(out)]) == 0
    err = capsys.readouterr().err
    assert "联系人或联系电话" in err
    info = load_workbook(out).worksheets[0]["A2"].value
    assert "联系人：__________" in info and "联系电话：__________" in info and f"填报单位：{UNIT}" in info
    letter = _texts(build_cover_letter(_data(wanzhou, "2024-12", UNIT)))
    assert "（联系人：＿＿＿＿＿＿，联系电话：＿＿＿＿＿＿）" in letter


# ------------------------------------------------------------------ the quarter, when its last month is not in


@pytest.fixture(scope="module")
def quarter(tmp_path_factory) -> Path:  # type: ignore[no-untyped-def]
    """武隆 with March, April and May reported and June not yet."""
    path = tmp_path_factory.mktemp("q") / "q.db"
    return typical_db(path, WULONG, ("2023-03", "2023-04", "2023-05"), settings=CONTACT)[0]


def test_bulletin_figures_agree_when_june_is_missing(quarter: Path) -> None:
    data = _data(quarter, "2023-06")
    with open_database(quarter) as db:
        tl = select_list(db)
        by_month = {m: month_reports(db, tl.id, m) for m in ("2023-03", "2023-04", "2023-05")}
    may = by_month["2023-05"]

    def done_at(month: str) -> float:  # a figure left out of a month's report is the latest one before it
        total = 0.0
        for pid in may:
            values = [by_month[m][pid].investment_done_wan for m in sorted(by_month) if m <= month
                      and pid in by_month[m] and by_month[m][pid].investment_done_wan is not None]
            total += values[-1] if values else 0.0
        return total

    done_may, done_march = done_at("2023-05"), done_at("2023-03")
    lagging_may = [r for r in may.values() if r.status == "lagging"]
    text = _texts(build_bulletin(data))
    assert "累计完成投资0万元" not in text and "投资完成率0%" not in text
    assert f"累计完成投资{wan_text(done_may)}万元" in text
    assert f"本季度完成投资{wan_text(done_may - done_march)}万元" in text
    assert "6月各项目均尚未填报，以上按其最近一次填报（5月）统计" in text
    assert lagging_may and "没有进度滞后的项目" not in text
    assert f"进度滞后{len(lagging_may)}个" in text and "5月填报：完成进度" in text
    table = Document(io.BytesIO(build_bulletin(data))).tables[0]
    assert table.rows[1].cells[6].text == "未报" and table.rows[1].cells[8].text.endswith("（5月）")
    letter = _texts(build_cover_letter(data))
    assert f"累计完成投资{wan_text(done_may)}万元" in letter and "6月各项目均尚未填报" in letter
    ws = load_workbook(io.BytesIO(build_progress_xlsx(data))).worksheets[0]
    col = heads(ws[3]).index("累计完成投资（万元）")
    total = next(r for r in ws.iter_rows(min_row=4) if r[0].value == "合计")
    assert total[col].value == pytest.approx(done_may, abs=0.01)  # the district table says the same
    notes = " ".join(str(r[0].value) for r in ws.iter_rows(min_row=4) if str(r[0].value).startswith(("注", "　")))
    assert "26个项目6月尚未填报" in notes


def test_some_reported_some_carried(quarter: Path, tmp_path: Path) -> None:
    path = tmp_path / "q.db"
    path.write_bytes(quarter.read_bytes())
    with open_database(path) as db:
        tl = select_list(db)
        fill_typical_month(db, tl.id, "2023-06", unit=UNIT)
    data = _data(path, "2023-06")
    n = len([r for r in data.leaves if r.carried_from])
    assert 0 < n < len(data.leaves)
    assert f"6月尚有{n}个项目未填报，以上按其最近一次填报（5月）统计" in _texts(build_bulletin(data))


def test_collect_leaves_carried_rows_out(quarter: Path, tmp_path: Path) -> None:
    """A unit's export shows an earlier month for a project not reported yet: collecting it takes nothing."""
    out = tmp_path / "u.xlsx"
    assert main(["--db", str(quarter), "export", "--month", "2023-06", "--format", "xlsx", "--unit", UNIT,
                 "--out", str(out)]) == 0
    from minsheng_desktop.services.collect_read import read_source

    with open_database(quarter) as db:
        src = read_source(out, select_list(db), "2023-06")
    assert not [r for r in src.rows if r.values["percent"] is not None or r.values["progress"]]


# ------------------------------------------------------------------ the office's own template


def test_template_blanks_above_the_header_are_filled(wanzhou: Path, tmp_path: Path) -> None:
    thin = Side(style="thin")
    wb = Workbook()
    ws = wb.active
    ws.merge_cells("A1:F1")
    ws["A1"] = "万州区2024年X月重点民生实事推进情况表"
    ws["A2"], ws["D2"], ws["F2"] = "填报单位（盖章）：", "填报时间：", "联系人："
    for ref, text in {"A3": "序号", "B3": "项目名称", "C3": "推进情况", "C4": "工作进展", "D4": "完成进度（%）",
                      "E3": "存在问题", "F3": "下一步措施"}.items():
        ws[ref] = text
    ws.merge_cells("C3:D3")
    for col in "ABEF":
        ws.merge_cells(f"{col}3:{col}4")
    for row in ws.iter_rows(min_row=3, max_row=5, max_col=6):
        for c in row:
            c.border = Border(left=thin, right=thin, top=thin, bottom=thin)
            c.font = Font(name="黑体" if c.row < 5 else "仿宋", size=11)
            c.alignment = Alignment(wrap_text=True)
    for col, width in zip("ABCDEF", (6, 24, 40, 10, 20, 20)):
        ws.column_dimensions[col].width = width
    path = tmp_path / "模板.xlsx"
    wb.save(path)
    tpl = analyse_template(path)
    out = load_workbook(io.BytesIO(fill_template(tpl, _data(wanzhou, "2024-12", UNIT)))).active
    assert out["A1"].value == "万州区2024年12月重点民生实事推进情况表"
    assert out["A2"].value == f"填报单位（盖章）：{UNIT}"
    assert out["D2"].value == "填报时间：2024年1月5日" and out["F2"].value == "联系人：张三"
    assert out["C4"].value == "工作进展" and out.column_dimensions["C"].width == 40
    row = next(r for r in out.iter_rows(min_row=5) if r[0].value == "13")
    assert row[3].value == 85 and row[3].number_format == "0" and row[3].data_type == "n"


# ------------------------------------------------------------------ the command line: unfilled, recipient


def test_cli_names_unfilled_projects(wanzhou: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["--db", str(wanzhou), "export", "--month", "2024-12", "--format", "docx", "--unit", UNIT,
                 "--out", str(tmp_path)]) == 0
    err = capsys.readouterr().err
    assert f"提示：{UNIT}2024年12月尚有1个项目未填报：15.城市交通缓堵保畅。" in err


def test_cli_mail_remembers_the_recipient(wanzhou: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    base = ["--db", str(wanzhou), "mail", "--month", "2024-12", "--unit", UNIT]
    assert main([*base, "--eml", str(tmp_path / "a.eml")]) == 2  # 万州's notice names no address: ask for one
    assert "收件人" in capsys.readouterr().err
    assert main([*base, "--eml", str(tmp_path / "b.eml"), "--to", "fgw@wz.example.gov.cn"]) == 0
    assert main([*base, "--eml", str(tmp_path / "c.eml")]) == 0  # next month: the same office
    msg = BytesParser(policy=policy.default).parsebytes((tmp_path / "c.eml").read_bytes())
    assert msg["To"].addresses[0].addr_spec == "fgw@wz.example.gov.cn"
    assert msg.get_body(("plain",)).get_content().startswith("区发展改革委：")
