"""The 年度完成情况报告's table as .xlsx (`minsheng export --format annual --out F.xlsx`): one row per project —
序号, 项目名称, 目标任务, 指标完成情况, 年度投资, 完成投资, 投资完成率, 完成状态, 未完成原因, 下步打算 — from the same
rows as the .docx (annual.annual_rows), a 合计 line, styled as the monthly table (exporters/xlsx.py: title, bold
header with borders, A4 landscape fitted to the width, the header repeated on every printed page)."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from .annual import AnnualRow, annual_rows
from .data import MonthData
from .layout import lines_needed, reporter_fields
from .numbers import excel_number
from .xlsx import BLANK, BODY_FONT, BODY_PT, BORDER, HEAD_FONT, LINE_HEIGHT, TITLE_FONT, print_setup, put, units_for

# (header, width in full-width characters, kind: text | short | money | rate)
COLUMNS = (("序号", 3.0, "short"), ("项目名称", 10.0, "text"), ("目标任务", 16.0, "text"),
           ("指标完成情况", 14.0, "text"), ("年度投资\n（万元）", 5.5, "money"), ("完成投资\n（万元）", 5.5, "money"),
           ("投资\n完成率", 5.0, "rate"), ("完成状态", 6.0, "short"), ("未完成原因", 11.0, "text"),
           ("下步打算", 11.0, "text"))


def annual_table_title(data: MonthData) -> str:
    scope = f"{data.unit}牵头" if data.unit else ""
    when = "" if data.month_no == 12 else f"（{data.as_of}）"
    return f"{scope}{data.region}{data.year}年民生实事完成情况表{when}"


def _values(r: AnnualRow) -> list[object]:
    status = f"{r.status}（{r.status_month}）" if r.status_month else r.status
    return [r.number, r.name, r.target, r.indicators, r.investment_wan, r.done_wan, r.rate, status,
            "" if r.completed else r.problems, "" if r.completed else r.next_steps]


def build_annual_xlsx(data: MonthData) -> bytes:
    rows = annual_rows(data)
    wb = Workbook()
    ws: Worksheet = wb.active
    ws.title = f"{data.year}年完成情况"
    ncol, last = len(COLUMNS), get_column_letter(len(COLUMNS))
    center = Alignment(horizontal="center", vertical="center", wrap_text=True)
    left = Alignment(horizontal="left", vertical="center", wrap_text=True)
    right = Alignment(horizontal="right", vertical="center", wrap_text=True)
    body, bold = Font(name=BODY_FONT, size=BODY_PT), Font(name=BODY_FONT, size=BODY_PT, bold=True)

    ws.merge_cells(f"A1:{last}1")
    put(ws["A1"], annual_table_title(data)).font = Font(name=TITLE_FONT, size=18)
    ws["A1"].alignment = center
    ws.row_dimensions[1].height = 36
    ws.merge_cells(f"A2:{last}2")
    put(ws["A2"], "　　".join(f"{k}：{v or BLANK}" for k, v in reporter_fields(data))).font = Font(name=BODY_FONT,
                                                                                                 size=12)
    ws.row_dimensions[2].height = 22
    hdr = 3
    for j, (head, width, _kind) in enumerate(COLUMNS, start=1):
        c = put(ws.cell(hdr, j), head)
        c.font, c.alignment, c.border = Font(name=HEAD_FONT, size=BODY_PT, bold=True), center, BORDER
        ws.column_dimensions[get_column_letter(j)].width = units_for(width)
    ws.row_dimensions[hdr].height = LINE_HEIGHT * 2 + 6

    r = hdr
    for row in rows:
        r += 1
        _write(ws, r, _values(row), body, (left, center, right))
    plan = [x.investment_wan for x in rows if x.investment_wan is not None]
    done = [x.done_wan for x in rows if x.done_wan is not None]
    total, got = (sum(plan) if plan else None), (sum(done) if done else None)
    r += 1
    completed = sum(x.completed for x in rows)
    _write(ws, r, ["", "合计", f"{len(rows)}个项目", "", total, got,
                   got / total if total and got is not None else None, f"已完成{completed}个", "", ""],
           bold, (left, center, right))
    r += 1
    ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=ncol)
    note = (f"注：数据截至{data.year}年{data.month_no}月底；当月未填报的项目按其最近一次填报统计，完成状态后括注填报月份。"
            "投资完成率＝完成投资÷年度投资。")
    put(ws.cell(r, 1), note).font = body
    ws.cell(r, 1).alignment = Alignment(horizontal="left", vertical="top", wrap_text=True)
    ws.row_dimensions[r].height = LINE_HEIGHT * lines_needed(note, sum(w for _, w, _ in COLUMNS)) + 4

    ws.freeze_panes = f"C{hdr + 1}"
    print_setup(ws, f"{hdr}:{hdr}", f"A1:{last}{r}")
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _write(ws: Worksheet, r: int, values: list[object], font: Font, aligns: tuple[Alignment, ...]) -> None:
    """One row: numbers as numbers with the format that shows them, text wrapped, the height for its lines."""
    left, center, right = aligns
    height = 1
    for j, ((_head, width, kind), value) in enumerate(zip(COLUMNS, values), start=1):
        cell = ws.cell(r, j)
        cell.font, cell.border = font, BORDER
        cell.alignment = right if kind in ("money", "rate") else center if kind == "short" else left
        if value is None or value == "":
            continue
        if kind in ("money", "rate") and isinstance(value, (int, float)):
            value, cell.number_format = excel_number(kind, value)
        put(cell, value)
        if isinstance(value, str):
            height = max(height, lines_needed(value, width))
    ws.row_dimensions[r].height = LINE_HEIGHT * height + 6
