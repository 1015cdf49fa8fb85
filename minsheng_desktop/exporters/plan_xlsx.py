"""The 实施方案 fill-in table as .xlsx (`minsheng export --format plan --out F.xlsx`): one row per node.

Each project gets one row per month of the year, the month written in (2023年5月) and its node filled where the
plan has one, so the clerk types only what is to be done and the per cent; 序号, 项目名称, 责任人, 联系电话 and
工作措施 are one merged cell per project. A hidden column holds every row's project id (rows the clerk inserts
belong to the project above), and the hidden sheet says what the file is (xlsx_meta), so `minsheng plan load`
matches projects by id, not by name. Styled as the progress table (exporters/xlsx.py): title, bold header with
borders, A4 landscape fitted to the width, the header repeated on every page."""

from __future__ import annotations

import io
from datetime import datetime

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ..domain.month import Month
from ..domain.plan import Milestone, Plan
from .data import MonthData
from .xlsx import BODY_FONT, BODY_PT, BORDER, HEAD_FONT, LINE_HEIGHT, TITLE_FONT, print_setup, put, units_for
from .xlsx_meta import FORMAT_VERSION, META_SHEET, PLAN_FORMAT_ID, PLAN_HEADERS, PLAN_ID_HEADER

# Widths in full-width characters, in the order of PLAN_HEADERS (about the width of the progress table).
WIDTHS = (4.0, 12.0, 7.0, 16.0, 6.0, 6.0, 8.0, 17.0)
PER_PROJECT = (0, 1, 5, 6, 7)  # columns merged over a project's rows
NOTE = ("填写说明：每个项目按月份各占一行，在有节点的月份填写“节点目标”（如 完成招标并开工）和“计划完成进度(%)”"
        "（填 0–100 的数，如 80）；没有节点的月份留空。需要增加行时在项目的行之间插入即可；节点月份可写 2023-05、"
        "2023年5月 或 5月。责任人、联系电话、工作措施每个项目填写一次。隐藏列和隐藏工作表用于读回，请勿删除。")


def plan_title(data: MonthData) -> str:
    scope = f"{data.unit}牵头" if data.unit else ""
    return f"{scope}{data.region}{data.year}年民生实事实施方案节点计划表"


def plan_rows(plan: Plan | None, year: int) -> list[tuple[Month, Milestone | None]]:
    """The months a project's rows show: every month of the year, and any node outside it, in order."""
    nodes = {m.month: m for m in (plan.milestones if plan else ())}
    months = sorted(set(Month.all_of(year)) | set(nodes))
    return [(m, nodes.get(m)) for m in months]


def build_plan_xlsx(data: MonthData) -> bytes:
    """The fill-in table for the list's (or the unit's) projects, as bytes."""
    wb = Workbook()
    ws: Worksheet = wb.active
    ws.title = f"{data.year}年实施方案"
    ncol = len(PLAN_HEADERS)
    last = get_column_letter(ncol)
    center = Alignment(horizontal="center", vertical="center", wrap_text=True)
    left = Alignment(horizontal="left", vertical="center", wrap_text=True)
    body = Font(name=BODY_FONT, size=BODY_PT)

    ws.merge_cells(f"A1:{last}1")
    put(ws["A1"], plan_title(data)).font = Font(name=TITLE_FONT, size=18)
    ws["A1"].alignment = center
    ws.row_dimensions[1].height = 36
    ws.merge_cells(f"A2:{last}2")
    put(ws["A2"], NOTE).font = Font(name=BODY_FONT, size=10)
    ws["A2"].alignment = Alignment(horizontal="left", vertical="center", wrap_text=True)
    ws.row_dimensions[2].height = 44
    hdr = 3
    for j, (head, width) in enumerate(zip(PLAN_HEADERS, WIDTHS), start=1):
        c = put(ws.cell(hdr, j), head)
        c.font, c.alignment, c.border = Font(name=HEAD_FONT, size=BODY_PT, bold=True), center, BORDER
        ws.column_dimensions[get_column_letter(j)].width = units_for(width)
    ws.row_dimensions[hdr].height = LINE_HEIGHT * 2 + 6
    id_col = ncol + 1
    put(ws.cell(hdr, id_col), PLAN_ID_HEADER)
    ws.column_dimensions[get_column_letter(id_col)].hidden = True

    r = hdr
    for row in data.leaves:
        p = row.project
        plan = data.plans.get(p.id)
        months = plan_rows(plan, data.year)
        first = r + 1
        for month, node in months:
            r += 1
            values: list[object] = [p.number, p.name, month.label, node.text if node else None,
                                    node.percent if node else None, plan.responsible if plan else None,
                                    plan.phone if plan else None, plan.measures if plan else None]
            for j, value in enumerate(values, start=1):
                cell = ws.cell(r, j)
                cell.font, cell.border = body, BORDER
                cell.alignment = left if j in (2, 4, 8) else center
                if j in (3, 7):
                    cell.number_format = "@"  # typed months and phone numbers stay text (no date, no 1.38E+10)
                if value is not None and (r == first or j - 1 not in PER_PROJECT):
                    put(cell, value)
            put(ws.cell(r, id_col), p.id)
            ws.row_dimensions[r].height = LINE_HEIGHT + 6
        for j in PER_PROJECT:
            ws.merge_cells(start_row=first, start_column=j + 1, end_row=r, end_column=j + 1)

    ws.freeze_panes = f"C{hdr + 1}"
    print_setup(ws, f"{hdr}:{hdr}", f"A1:{last}{r}")
    meta = wb.create_sheet(META_SHEET)
    meta.sheet_state = "hidden"
    for i, (k, v) in enumerate((("format", PLAN_FORMAT_ID), ("version", FORMAT_VERSION), ("year", data.year),
                                ("region", data.region), ("unit", data.unit or ""),
                                ("list_id", data.target_list.id),
                                ("exported_at", datetime.now().isoformat(timespec="seconds"))), start=1):
        put(meta.cell(i, 1), k)
        put(meta.cell(i, 2), v)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
