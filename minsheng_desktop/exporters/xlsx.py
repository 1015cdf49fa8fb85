"""The monthly progress table as .xlsx: A4 landscape, print titles, numbers as numbers, a hidden id sheet."""

from __future__ import annotations

import io
import math
from datetime import datetime

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.dimensions import RowDimension
from openpyxl.worksheet.worksheet import Worksheet

from .data import MonthData
from .layout import LABEL_KEYS, Column, columns_for, full_title, notes, reporter_fields, table_lines
from .official import text_width

META_SHEET = "_minsheng"
FORMAT_ID = "minsheng-progress"
FORMAT_VERSION = 1
TITLE_FONT, HEAD_FONT, BODY_FONT = "方正小标宋简体", "黑体", "仿宋"
NUMBER_FORMATS = {"money": "0.00", "rate": "0.0%", "pct": "0.0"}
_THIN = Side(style="thin", color="000000")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
BODY_PT = 11.0
LINE_HEIGHT = 14.5  # points per wrapped line at 11 pt
_UNSAFE_START = ("=", "+", "-", "@")


def put(cell: Cell, value: object) -> Cell:
    """Write a value; text that would read as a formula (= + - @) stays text, never a formula."""
    kind = type(value)
    if kind is float or kind is int:  # what cell.value = value does with a plain number, without its look-ups
        cell._value = value
        cell.data_type = "n"
    elif isinstance(value, str):
        if kind is str:  # likewise: the same check of the text, the type set just below
            cell._value = cell.check_string(value)
        else:
            cell.value = value
        cell.data_type = "s"
        if value.startswith(_UNSAFE_START):
            cell.quotePrefix = True  # Excel shows it as typed and keeps it text on editing
    else:
        cell.value = value
    return cell


def _display(value: object, col: Column) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and col.kind == "rate":
        return f"{value * 100:.1f}%"
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


def _lines_needed(text: str, width_units: float) -> int:
    """Wrapped line count of text in a column ``width_units`` wide (a CJK character is ~2 units)."""
    usable = max(1.0, (width_units - 1) / 2)  # full-width characters per line
    if len(text) <= usable and "\n" not in text:
        return 1  # fits on one line even if every character is full-width
    return sum(max(1, math.ceil(text_width(part) / usable)) for part in text.split("\n")) if text else 1


def _write_meta(wb: Workbook, data: MonthData, ids: list[tuple[int, str, str | None, str]]) -> None:
    ws = wb.create_sheet(META_SHEET)
    ws.sheet_state = "hidden"
    meta = [("format", FORMAT_ID), ("version", FORMAT_VERSION), ("year", data.year), ("region", data.region),
            ("month", data.month), ("unit", data.unit or ""), ("list_id", data.target_list.id),
            ("exported_at", datetime.now().isoformat(timespec="seconds"))]
    for i, (k, v) in enumerate(meta, start=1):
        put(ws.cell(i, 1), k)
        put(ws.cell(i, 2), v)
    start = len(meta) + 2
    for j, h in enumerate(("row", "project_id", "section", "number"), start=1):
        put(ws.cell(start, j), h)
    cells = ws._cells  # one new cell per value, made as ws.cell makes it, without its look-ups
    for i, (row, pid, section, number) in enumerate(ids, start=start + 1):
        cells[(i, 1)] = put(Cell(ws, row=i, column=1), row)
        cells[(i, 2)] = put(Cell(ws, row=i, column=2), pid)
        cells[(i, 3)] = put(Cell(ws, row=i, column=3), section or "")
        cells[(i, 4)] = put(Cell(ws, row=i, column=4), number)
    ws._current_row = max(ws._current_row, start + len(ids))


def build_progress_xlsx(data: MonthData) -> bytes:
    """The 推进情况表 workbook for one month, as bytes."""
    cols = columns_for(data)
    ncol = len(cols)
    last = get_column_letter(ncol)
    wb = Workbook()
    ws: Worksheet = wb.active
    ws.title = f"{data.year}年{data.month_no}月"
    center = Alignment(horizontal="center", vertical="center", wrap_text=True)
    left = Alignment(horizontal="left", vertical="center", wrap_text=True)
    right = Alignment(horizontal="right", vertical="center", wrap_text=True)
    head_font = Font(name=HEAD_FONT, size=BODY_PT, bold=True)

    ws.merge_cells(f"A1:{last}1")
    put(ws["A1"], full_title(data)).font = Font(name=TITLE_FONT, size=18)
    ws["A1"].alignment = center
    ws.row_dimensions[1].height = 36
    info = "　　".join(f"{k}：{v or '　' * 6}" for k, v in reporter_fields(data))
    ws.merge_cells(f"A2:{last}2")
    put(ws["A2"], info).font = Font(name=BODY_FONT, size=12)
    ws["A2"].alignment = Alignment(horizontal="left", vertical="center")
    ws.row_dimensions[2].height = 22
    hdr = 3
    for j, col in enumerate(cols, start=1):
        c = put(ws.cell(hdr, j), col.header)
        c.font, c.alignment, c.border = head_font, center, BORDER
        ws.column_dimensions[get_column_letter(j)].width = col.xlsx_width
    ws.row_dimensions[hdr].height = LINE_HEIGHT * max(_lines_needed(c.header, c.xlsx_width) for c in cols) + 6

    label_span = sum(1 for c in cols if c.key in LABEL_KEYS)
    # Each cell's style is one of a few combinations: work out each combination's StyleArray once (through the
    # ordinary setters, so the workbook's style lists come out the same) and copy it to the other cells.
    styles: dict[tuple[object, ...], StyleArray] = {}
    fonts = {b: Font(name=BODY_FONT, size=BODY_PT, bold=b) for b in (False, True)}
    label_font = Font(name=HEAD_FONT, size=BODY_PT, bold=True)
    aligns = [right if col.kind in NUMBER_FORMATS else (center if col.kind == "short" else left)
              for col in cols]
    widths = [col.xlsx_width for col in cols]
    # (column number, column, full-width characters per line): text no longer than that fits on one line
    columns = [(j, col, max(1.0, (col.xlsx_width - 1) / 2)) for j, col in enumerate(cols, start=1)]

    def styled(cell: Cell, key: tuple[object, ...], font: Font | None, alignment: Alignment | None,
               number_format: str | None) -> None:
        style = styles.get(key)
        if style is not None:
            cell._style = StyleArray(style)
            return
        if font is not None:
            cell.font = font
        if alignment is not None:
            cell.alignment = alignment
        cell.border = BORDER
        if number_format is not None:
            cell.number_format = number_format
        styles[key] = StyleArray(cell._style)

    ids: list[tuple[int, str, str | None, str]] = []
    cell_at = ws.cell
    sheet_cells = ws._cells
    row_dims = ws.row_dimensions
    heights: dict[int, RowDimension] = {}
    r = hdr
    for line in table_lines(data):
        r += 1
        height = 1
        labelled = line.kind in ("section", "total")
        bold = line.kind in ("section", "total", "parent")
        if labelled:
            span = label_span if line.values else ncol
            ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=span)
            label_align = left if line.kind == "section" else center
            styled(cell_at(r, 1), ("label", line.kind), label_font, label_align, None)
            put(cell_at(r, 1), line.label)
            height = _lines_needed(line.label or "", sum(widths[:span]))
            tail = max((j for j, col in enumerate(cols, start=1) if col.key in line.values), default=span)
            if tail + 1 < ncol:
                ws.merge_cells(start_row=r, start_column=tail + 1, end_row=r, end_column=ncol)
        values = line.values
        for j, col, usable in columns:
            if labelled and (j <= label_span or not values):
                if j > 1:
                    styled(cell_at(r, j), ("border",), None, None, None)
                continue
            value = values.get(col.key)
            if value is None:
                fmt, text = None, ""
            elif isinstance(value, (int, float)):
                fmt, text = NUMBER_FORMATS.get(col.kind), _display(value, col)
            else:
                fmt, text = None, _display(value, col)
            key = (bold, j, fmt)
            style = styles.get(key)
            if style is None or labelled:  # a labelled line may hold merged cells: ask the sheet for them
                cell = cell_at(r, j)
                styled(cell, key, fonts[bold], aligns[j - 1], fmt)
            else:  # a cell of a plain line is new: make it with its style, as ws.cell would make it
                cell = sheet_cells[(r, j)] = Cell(ws, row=r, column=j, style_array=style)
            if value is not None:
                put(cell, value)
            if len(text) > usable or "\n" in text:  # else one line, as _lines_needed would say
                height = max(height, _lines_needed(text, widths[j - 1]))
        # = row_dimensions[r].height: rows of the same height share one RowDimension (the writer takes only its
        # attributes, never its index; making one per row was ~10 ms of a 1,000-project export)
        dim = heights.get(height)
        if dim is None:
            dim = heights[height] = RowDimension(ws, index=r, ht=LINE_HEIGHT * height + 6)
        row_dims[r] = dim
        if line.project_id:
            ids.append((r, line.project_id, line.section, line.number or ""))
    for text in notes(data):
        r += 1
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=ncol)
        put(ws.cell(r, 1), text).font = Font(name=BODY_FONT, size=BODY_PT)
        ws.cell(r, 1).alignment = Alignment(horizontal="left", vertical="top", wrap_text=True)
        ws.row_dimensions[r].height = LINE_HEIGHT * _lines_needed(text, sum(c.xlsx_width for c in cols)) + 4

    ws.freeze_panes = f"{get_column_letter(3 if ncol > 2 else 1)}{hdr + 1}"
    ws.print_title_rows = f"{hdr}:{hdr}"
    ws.print_area = f"A1:{last}{r}"
    ps = ws.page_setup
    ps.orientation, ps.paperSize = "landscape", ws.PAPERSIZE_A4
    ps.fitToWidth, ps.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left, ws.page_margins.right = 0.6, 0.5
    ws.page_margins.top, ws.page_margins.bottom = 0.6, 0.7
    ws.page_margins.footer = 0.3
    ws.oddFooter.center.text = "— &P —"
    ws.oddFooter.center.font = "宋体"
    ws.oddFooter.center.size = 12
    _write_meta(wb, data, ids)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
