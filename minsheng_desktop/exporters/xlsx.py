"""The monthly progress table as .xlsx: A4 landscape fitted to the page width, the header repeated on every
printed page, rows never split, numbers as numbers with the number format that shows them as the clerk wrote
them (numbers.excel_number), column widths from the content (layout.fit_widths), a hidden id sheet."""

from __future__ import annotations

import io
from datetime import datetime

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.dimensions import RowDimension
from openpyxl.worksheet.worksheet import Worksheet

from .data import MonthData
from .layout import LABEL_KEYS, columns_for, fit_widths, full_title, header_lines, lines_needed, notes, \
    reporter_fields, table_lines
from .numbers import excel_number
from .xlsx_meta import FORMAT_ID, FORMAT_VERSION, META_SHEET

TITLE_FONT, HEAD_FONT, BODY_FONT = "方正小标宋简体", "黑体", "仿宋"
NUMBER_KINDS = ("money", "rate", "pct")
_THIN = Side(style="thin", color="000000")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
BODY_PT = 11.0
LINE_HEIGHT = 15.5  # points per wrapped line at 11 pt (LibreOffice with Noto CJK needs ~15.4; Excel ~14.3)
CHAR_UNITS = 11 * 96 / 72 / 7  # Excel width units per full-width character at 11 pt (a unit is 7 px)
PAD_UNITS = 0.5  # the cell's own margins
WIDTH_CHARS = 74.0  # the table's width in characters: A4 landscape at about 90 % when fitted to the width
BLANK = "__________"  # a line to write on, where a 填报 field is not known
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



def cell_lines_needed(text: str, width_units: float) -> int:
    """Wrapped line count of text in a column ``width_units`` (Excel units) wide."""
    return lines_needed(text, max(0.5, (width_units - PAD_UNITS) / CHAR_UNITS))


def units_for(chars: float) -> float:
    """Excel column width for a column ``chars`` full-width characters wide at 11 pt."""
    return round(chars * CHAR_UNITS + PAD_UNITS, 2)


def write_meta(wb: Workbook, data: MonthData, ids: list[tuple]) -> None:  # type: ignore[type-arg]
    """The hidden sheet: what the file is, and per table row its project id, section, number and — for a
    project not reported this month — the month of the earlier report shown (collect leaves such rows out)."""
    ws = wb.create_sheet(META_SHEET)
    ws.sheet_state = "hidden"
    meta = [("format", FORMAT_ID), ("version", FORMAT_VERSION), ("year", data.year), ("region", data.region),
            ("month", data.month), ("unit", data.unit or ""), ("list_id", data.target_list.id),
            ("exported_at", datetime.now().isoformat(timespec="seconds"))]
    for i, (k, v) in enumerate(meta, start=1):
        put(ws.cell(i, 1), k)
        put(ws.cell(i, 2), v)
    start = len(meta) + 2
    for j, h in enumerate(("row", "project_id", "section", "number", "reported_month"), start=1):
        put(ws.cell(start, j), h)
    cells = ws._cells  # one new cell per value, made as ws.cell makes it, without its look-ups
    for i, (row, pid, section, number, *rest) in enumerate(ids, start=start + 1):
        cells[(i, 1)] = put(Cell(ws, row=i, column=1), row)
        cells[(i, 2)] = put(Cell(ws, row=i, column=2), pid)
        cells[(i, 3)] = put(Cell(ws, row=i, column=3), section or "")
        cells[(i, 4)] = put(Cell(ws, row=i, column=4), number)
        if rest and rest[0]:
            cells[(i, 5)] = put(Cell(ws, row=i, column=5), rest[0])
    ws._current_row = max(ws._current_row, start + len(ids))


def build_progress_xlsx(data: MonthData) -> bytes:
    """The 推进情况表 workbook for one month, as bytes."""
    cols = columns_for(data)
    lines = table_lines(data)
    chars = fit_widths(cols, lines, WIDTH_CHARS)
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
    info = "　　".join(f"{k}：{v or BLANK}" for k, v in reporter_fields(data))
    ws.merge_cells(f"A2:{last}2")
    put(ws["A2"], info).font = Font(name=BODY_FONT, size=12)
    ws["A2"].alignment = Alignment(horizontal="left", vertical="center")
    ws.row_dimensions[2].height = 22
    hdr = 3
    heads = [header_lines(c, w) for c, w in zip(cols, chars)]
    for j, col in enumerate(cols, start=1):
        c = put(ws.cell(hdr, j), "\n".join(heads[j - 1]))
        c.font, c.alignment, c.border = head_font, center, BORDER
        ws.column_dimensions[get_column_letter(j)].width = units_for(chars[j - 1])
    ws.row_dimensions[hdr].height = LINE_HEIGHT * max(len(h) for h in heads) + 6

    label_span = sum(1 for c in cols if c.key in LABEL_KEYS)
    label_chars = sum(chars[:label_span])
    # Each cell's style is one of a few combinations: work out each combination's StyleArray once (through the
    # ordinary setters, so the workbook's style lists come out the same) and copy it to the other cells.
    styles: dict[tuple[object, ...], StyleArray] = {}
    fonts = {b: Font(name=BODY_FONT, size=BODY_PT, bold=b) for b in (False, True)}
    label_font = Font(name=HEAD_FONT, size=BODY_PT, bold=True)
    aligns = [right if col.kind in NUMBER_KINDS else (center if col.kind == "short" else left) for col in cols]
    # (column number, column, its width in characters, is it a number column)
    columns = [(j, col, chars[j - 1], col.kind in NUMBER_KINDS) for j, col in enumerate(cols, start=1)]

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
    for line in lines:
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
            height = lines_needed(line.label or "", label_chars if line.values else sum(chars))
            tail = max((j for j, col in enumerate(cols, start=1) if col.key in line.values), default=span)
            if tail + 1 < ncol:
                ws.merge_cells(start_row=r, start_column=tail + 1, end_row=r, end_column=ncol)
        values = line.values
        for j, col, width, numeric in columns:
            if labelled and (j <= label_span or not values):
                if j > 1:
                    styled(cell_at(r, j), ("border",), None, None, None)
                continue
            value = values.get(col.key)
            fmt = None
            if value is not None and numeric and isinstance(value, (int, float)):
                value, fmt = excel_number(col.kind, value)  # the number as shown, and the format showing it
            key = (bold, j, fmt)
            style = styles.get(key)
            if style is None or labelled:  # a labelled line may hold merged cells: ask the sheet for them
                cell = cell_at(r, j)
                styled(cell, key, fonts[bold], aligns[j - 1], fmt)
            else:  # a cell of a plain line is new: make it with its style, as ws.cell would make it
                cell = sheet_cells[(r, j)] = Cell(ws, row=r, column=j, style_array=style)
            if value is None:
                continue
            put(cell, value)
            if not numeric and type(value) is str and len(value) > width - 0.3:  # may wrap: count its lines
                height = max(height, lines_needed(value, width))
        # = row_dimensions[r].height: rows of the same height share one RowDimension (the writer takes only its
        # attributes, never its index; making one per row was ~10 ms of a 1,000-project export)
        dim = heights.get(height)
        if dim is None:
            dim = heights[height] = RowDimension(ws, index=r, ht=LINE_HEIGHT * height + 6)
        row_dims[r] = dim
        if line.project_id:
            ids.append((r, line.project_id, line.section, line.number or "", line.carried_from or ""))
    for text in notes(data):
        r += 1
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=ncol)
        put(ws.cell(r, 1), text).font = Font(name=BODY_FONT, size=BODY_PT)
        ws.cell(r, 1).alignment = Alignment(horizontal="left", vertical="top", wrap_text=True)
        ws.row_dimensions[r].height = LINE_HEIGHT * lines_needed(text, sum(chars)) + 4

    ws.freeze_panes = f"{get_column_letter(3 if ncol > 2 else 1)}{hdr + 1}"
    print_setup(ws, f"{hdr}:{hdr}", f"A1:{last}{r}")
    write_meta(wb, data, ids)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def print_setup(ws: Worksheet, title_rows: str, area: str) -> None:
    """A4 landscape, fitted to the page width (as many pages down as it takes), the header rows repeated on
    every page, centred, page numbers — — 1 — — in the footer. Excel never splits a row across pages."""
    ws.print_title_rows = title_rows
    ws.print_area = area
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
