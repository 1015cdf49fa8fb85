"""The 考核评比 of the lead units (`minsheng export --format assessment`; issue 17, 年考核) from the plain records of
domain.assessment (MonthData.assessment, read by services.assessment): never a database.

.xlsx: sheet 1 the table — rank, unit, projects, completed, completion rate, investment rate, months due / on time,
months judged / lagging, score — with the weights and the rules under it; sheet 2 every figure's source, one row
per unit, project and month (received on, from what record, deadline, on time?, per cent, expected, lagging?), so
that each count of sheet 1 can be checked. .docx: the table as a short official document (GB/T 9704, A4
portrait), marked as a draft (初稿) for the people who decide."""

from __future__ import annotations

import io

from docx import Document
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ..domain.assessment import Assessment, UnitScore, weights_text
from .data import MonthData, official_date
from .layout import lines_needed
from .letter import CHAR, signature, document_title
from .numbers import excel_number, number_text
from .official import (
    BODY, HEI, SIZE_5, add_run, cant_split, cell_margins, document_bytes, fixed_layout, fmt_par,
    no_autospace, para, repeat_header, set_font, setup_document,
)
from .xlsx import BODY_FONT, BODY_PT, BORDER, HEAD_FONT, LINE_HEIGHT, TITLE_FONT, print_setup, put, units_for

# (header, width in characters, kind) of the .xlsx's first sheet
SCORE_COLUMNS = (
    ("排名", 3.0, "int"), ("牵头单位", 12.0, "text"), ("牵头\n项目数", 4.0, "int"), ("已完成\n项目数", 4.0, "int"),
    ("完成率", 5.0, "rate"), ("投资\n完成率", 5.0, "rate"), ("应报\n月数", 4.0, "int"), ("按时报送\n月数", 5.0, "int"),
    ("可评判\n月数", 4.0, "int"), ("进度滞后\n月数", 5.0, "int"), ("得分", 4.5, "score"),
)
# (header, width in mm) of the .docx table: the month counts as 按时/应报 and 滞后/可评判 (the 156 mm type area)
DOCX_COLUMNS = (("排名", 10.0), ("牵头单位", 30.0), ("牵头\n项目数", 13.0), ("已完成\n项目数", 13.0), ("完成率", 16.0),
                ("投资\n完成率", 16.0), ("按时报送/\n应报月数", 22.0), ("进度滞后/\n可评判月数", 22.0), ("得分", 14.0))
TRACE_COLUMNS = (
    ("牵头单位", 11.0), ("序号", 3.0), ("项目名称", 14.0), ("月份", 6.0), ("报送日期", 7.0), ("日期依据", 6.0),
    ("报送期限", 7.0), ("是否按时", 4.5), ("完成进度(%)", 5.0), ("所据填报", 5.0), ("应达进度(%)", 5.0),
    ("应达依据", 5.0), ("是否滞后", 4.5), ("说明", 12.0),
)


def assessment_title(a: Assessment) -> str:
    return f"{a.region}{a.year}年民生实事牵头单位考核评比表（初稿）"


def rules(a: Assessment) -> list[str]:
    """The notes under the table: period, weights, what each figure counts."""
    return [
        f"统计期间：{a.year}年{a.span}（自首次填报月份起，截至{a.month_no}月底）。本表为初稿，供研究确定考核结果参考。",
        f"得分＝{weights_text(a.weights)}（完成率×权重＋按时报送月数÷应报月数×权重＋(可评判月数－滞后月数)÷可评判月数×权重），"
        "无可统计月份的一项计0分；权重可用 minsheng settings assess_weights 调整。",
        "按时报送：当月该单位牵头的每个项目均在报送期限（遇节假日顺延）前报送；报送日期依次取汇总记录、报送日期、首次填报时间；"
        "已完成的项目此后不再要求报送；当月尚有项目未报送且未到期的，该月暂不计入。",
        "进度滞后：完成进度低于应达进度10个百分点以上；有实施方案节点的按计划进度，否则按序时进度（月数÷12）；当月未填报的按最近一次填报判断。",
        "各项数字的逐月来源见“逐月明细”工作表。",
    ]


def _unit_values(u: UnitScore) -> list[object]:
    return [u.rank, u.unit, u.projects, u.completed, u.completion_rate, u.investment_rate, u.due_months,
            u.on_time_months, u.judged_months, u.lagging_months, u.score]


def _yes(v: bool | None) -> str:
    return "" if v is None else ("是" if v else "否")


def _trace_values(a: Assessment) -> list[list[object]]:
    return [[t.unit, t.number, t.project, f"{int(t.month[5:])}月", t.reported_on.isoformat() if t.reported_on else "",
             t.source, t.deadline.isoformat(), _yes(t.on_time), t.percent,
             f"{int(t.report_month[5:])}月" if t.report_month else "", round(t.expected, 1), t.basis,
             _yes(t.lagging), t.note] for t in a.traces]


def _sheet(ws: Worksheet, title: str, heads: list[tuple[str, float]], rows: list[list[object]],
           kinds: list[str]) -> int:
    """Title, bold bordered header, the rows; returns the last row written."""
    last = get_column_letter(len(heads))
    center = Alignment(horizontal="center", vertical="center", wrap_text=True)
    left = Alignment(horizontal="left", vertical="center", wrap_text=True)
    right = Alignment(horizontal="right", vertical="center", wrap_text=True)
    ws.merge_cells(f"A1:{last}1")
    put(ws["A1"], title).font = Font(name=TITLE_FONT, size=18)
    ws["A1"].alignment = center
    ws.row_dimensions[1].height = 36
    hdr = 2
    for j, (head, width) in enumerate(heads, start=1):
        c = put(ws.cell(hdr, j), head)
        c.font, c.alignment, c.border = Font(name=HEAD_FONT, size=BODY_PT, bold=True), center, BORDER
        ws.column_dimensions[get_column_letter(j)].width = units_for(width)
    ws.row_dimensions[hdr].height = LINE_HEIGHT * 2 + 6
    body = Font(name=BODY_FONT, size=BODY_PT)
    r = hdr
    for values in rows:
        r += 1
        for j, (value, kind) in enumerate(zip(values, kinds), start=1):
            cell = ws.cell(r, j)
            cell.font, cell.border = body, BORDER
            cell.alignment = left if kind == "text" else right if kind in ("rate", "score", "pct") else center
            if value is None or value == "":
                continue
            if kind in ("rate", "pct") and isinstance(value, (int, float)):
                value, cell.number_format = excel_number(kind, value)
            elif kind == "score":
                cell.number_format = "0.0"
            put(cell, value)
        ws.row_dimensions[r].height = LINE_HEIGHT + 6
    ws.freeze_panes = f"C{hdr + 1}"
    print_setup(ws, f"{hdr}:{hdr}", f"A1:{last}{max(r, hdr)}")
    return r


def build_assessment_xlsx(data: MonthData) -> bytes:
    a = _assessment(data)
    wb = Workbook()
    ws = wb.active
    ws.title = "考核评比"
    heads = [(h, w) for h, w, _k in SCORE_COLUMNS]
    r = _sheet(ws, assessment_title(a), heads, [_unit_values(u) for u in a.units], [k for *_x, k in SCORE_COLUMNS])
    width = sum(w for _h, w in heads)
    for text in rules(a):
        r += 1
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=len(heads))
        put(ws.cell(r, 1), text).font = Font(name=BODY_FONT, size=10)
        ws.cell(r, 1).alignment = Alignment(horizontal="left", vertical="top", wrap_text=True)
        ws.row_dimensions[r].height = 14 * lines_needed(text, width * 1.1) + 4  # 10 pt: 1.1 characters of 11 pt
    ws.print_area = f"A1:{get_column_letter(len(heads))}{r}"
    trace = wb.create_sheet("逐月明细")
    kinds = ["text", "short", "text", "short", "short", "short", "short", "short", "pct", "short", "pct", "short",
             "short", "text"]
    _sheet(trace, f"{a.region}{a.year}年民生实事考核评比逐月明细", list(TRACE_COLUMNS), _trace_values(a), kinds)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _assessment(data: MonthData) -> Assessment:
    if data.assessment is None:
        raise ValueError("the assessment format needs MonthData.assessment (services.export.collect_for)")
    return data.assessment


def _docx_values(u: UnitScore) -> list[str]:
    """The .docx row: 33.3%, — for no investment, 0/2, 20.0."""
    return [str(u.rank), u.unit, str(u.projects), str(u.completed), number_text("rate", u.completion_rate) or "—",
            number_text("rate", u.investment_rate) or "—", f"{u.on_time_months}/{u.due_months}",
            f"{u.lagging_months}/{u.judged_months}", f"{u.score:.1f}"]


def build_assessment_docx(data: MonthData) -> bytes:
    """Title (初稿), the period and weights, the table, the notes, the office and the date."""
    a = _assessment(data)
    doc = Document()
    setup_document(doc, landscape=False)
    set_font(doc.styles["Table Grid"], BODY)
    document_title(doc, assessment_title(a), after=14)
    para(doc, f"（统计期间：{a.year}年{a.span}；权重：{weights_text(a.weights)}）", align="center", line=None,
         after=10)
    table = doc.add_table(rows=len(a.units) + 1, cols=len(DOCX_COLUMNS))
    table.style = "Table Grid"
    lines = [[h for h, _mm in DOCX_COLUMNS]] + [_docx_values(u) for u in a.units]
    for i, (tr, values) in enumerate(zip(table.rows, lines)):
        cant_split(tr._tr)
        for j, (cell, text) in enumerate(zip(tr.cells, values)):
            for k, part in enumerate(text.split("\n")):
                p = cell.paragraphs[0] if k == 0 else cell.add_paragraph()
                fmt_par(p, align="left" if j == 1 and i else "center", line=15.0)
                no_autospace(p)
                add_run(p, part, HEI if i == 0 else BODY, SIZE_5)
    repeat_header(table)
    cell_margins(table, 40, 30)
    fixed_layout(table, [mm for _h, mm in DOCX_COLUMNS])
    para(doc, line=10)
    for k, text in enumerate(rules(a)):
        para(doc, ("注：" if k == 0 else "") + f"{k + 1}.{text}", size=12.0, first_indent=2 * CHAR * 0.75,
             line=20.0)
    sender = data.reporter_unit or data.office or ""
    date_text = official_date(data.report_date)
    para(doc, line=20.0)
    signature(doc, sender, date_text)
    return document_bytes(doc)
