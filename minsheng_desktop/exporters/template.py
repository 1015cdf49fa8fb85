"""Filling an office's own blank table with a month: .xlsx here, .docx in template_docx.py.

The template is a plain record (template_model.Template) recognised and remembered per list by the use cases
(services/templates.py). Filling keeps the template's styling, widths, title rows and extra columns.
"""

from __future__ import annotations

import io
import re
from copy import copy

from .data import MonthData
from .layout import notes
from .numbers import excel_number
from .template_docx import fill_docx
from .template_model import (
    KINDS, Template, TemplateError, cells_of, fill_placeholders, label_span, projects_by_id, template_lines,
)

_NUMBER_KINDS = ("money", "rate", "pct")
_PLAIN_FORMAT = re.compile(r"^[#,0]+(\.0+)?%?$")  # 0, 0.0, 0.00, #,##0.00: no more than a count of decimals
_TAIL_RE = re.compile(r"^\s*(注|说明|备注|填报|填表|制表|审核|联系|负责人|单位负责人|附)")


def fill_template(tpl: Template, data: MonthData) -> bytes:
    """The month in the office's template (.xlsx or .docx); TemplateError when no column takes 项目名称."""
    if "name" not in tpl.mapping().values():
        raise TemplateError(f"模板“{tpl.filename}”没有哪一列对应“项目名称”：请在“单位模板”中指定后再导出。")
    if tpl.kind == "xlsx":
        return _fill_xlsx(tpl, data)
    return fill_docx(tpl, data)


# ------------------------------------------------------------------ xlsx


def _fill_xlsx(tpl: Template, data: MonthData) -> bytes:
    import openpyxl  # deferred: a .docx template needs no openpyxl
    from openpyxl.styles import Alignment  # deferred: a .docx template needs no openpyxl
    from openpyxl.styles.cell_style import StyleArray  # deferred: a .docx template needs no openpyxl
    from openpyxl.utils import get_column_letter as letter  # deferred: a .docx template needs no openpyxl
    from openpyxl.utils import range_boundaries  # deferred: a .docx template needs no openpyxl

    # deferred: a .docx template needs no openpyxl (xlsx.py loads it)
    from .xlsx import BODY_PT, LINE_HEIGHT, META_SHEET, cell_lines_needed, put, write_meta

    wb = openpyxl.load_workbook(io.BytesIO(tpl.content))
    if META_SHEET in wb.sheetnames:
        del wb[META_SHEET]
    ws = [s for s in wb.worksheets if s.sheet_state == "visible"][tpl.part]
    mapping, first = tpl.mapping(), tpl.data_row + 1
    width = max(ws.max_column, max(c.index for c in tpl.columns) + 1)
    tail = first  # rows first..tail-1 are the template's data rows; from tail on, notes and signatures
    while tail <= ws.max_row and not _xlsx_tail_row(ws, tail, width):
        tail += 1
    src = [copy(ws.cell(first, j)._style) for j in range(1, width + 1)] if tail > first else None
    src_height = ws.row_dimensions[first].height if tail > first else None
    lines, extra = template_lines(data, mapping), notes(data)
    moved = []  # what follows the data rows moves below ours, with its merges and row heights
    for rng in [r for r in ws.merged_cells.ranges if r.min_row >= first]:
        ws.unmerge_cells(rng.coord)
        if rng.min_row >= tail:
            moved.append(rng.coord)
    heights = {r: ws.row_dimensions[r].height for r in range(tail, ws.max_row + 1)}
    delta = first + len(lines) + len(extra) - tail
    if delta > 0:
        ws.insert_rows(tail, delta)
    elif delta < 0:
        ws.delete_rows(tail + delta, -delta)
    for r in range(first, max(heights, default=tail) + max(delta, 0) + 1):
        ws.row_dimensions[r].height = heights.get(r - delta)
    for coord in moved:
        c0, r0, c1, r1 = range_boundaries(coord)
        ws.merge_cells(start_row=r0 + delta, start_column=c0, end_row=r1 + delta, end_column=c1)
    if src is None:  # no data row in the template: the header's borders and font, not bold, no fill
        src = []
        for j in range(1, width + 1):
            head, cell = ws.cell(tpl.data_row, j), ws.cell(first, j)
            cell.border, cell.font = copy(head.border), _bold(head.font, False)
            cell.alignment = Alignment(vertical="center", wrap_text=True)
            src.append(copy(cell._style))
    widths = [ws.column_dimensions[letter(j)].width or 8.43 for j in range(1, width + 1)]
    projects, ids = projects_by_id(data), []
    for r, line in enumerate(lines, start=first):
        for j in range(1, width + 1):
            ws.cell(r, j)._style = copy(src[j - 1])
            ws.cell(r, j).value = None
        vals, span, need = cells_of(line, data, projects), 0, 1
        scale = BODY_PT / (ws.cell(r, 1).font.sz or BODY_PT)  # a smaller font fits more in a line
        if line.kind in ("section", "total"):
            span = label_span(line, mapping, width)
            if span > 1:
                ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=span)
            cell = put(ws.cell(r, 1), line.label or "")
            align = copy(cell.alignment)
            align.horizontal = "left" if line.kind == "section" else "center"
            cell.alignment = align
            need = cell_lines_needed(line.label or "", sum(widths[:span]) * scale)
            vals = vals if span < width else {}
        for c, f in mapping.items():
            value, cell = vals.get(f), ws.cell(r, c + 1)
            if c < span or value is None or value == "":
                continue
            kind = KINDS[f].kind
            if kind in _NUMBER_KINDS and isinstance(value, (int, float)):
                value, shown = excel_number(kind, value)  # 40, not 40.0; 504.9; 29.6%
                fmt = cell.number_format or "General"
                if fmt == "General" or _PLAIN_FORMAT.match(fmt) or (kind == "rate") != ("%" in fmt):
                    cell.number_format = shown  # the office's own number styles (colours, text) are kept
            put(cell, value)
            need = max(need, cell_lines_needed(KINDS[f].text(value), widths[c] * scale))
        for j in range(1, width + 1) if line.kind in ("section", "total", "parent") else ():
            ws.cell(r, j).font = _bold(ws.cell(r, j).font, True)
        ws.row_dimensions[r].height = max(src_height or 0, LINE_HEIGHT / scale * need + 6)
        if line.project_id:
            ids.append((r, line.project_id, line.section, line.number or ""))
    for r, text in enumerate(extra, start=first + len(lines)):
        for j in range(1, width + 1):
            ws.cell(r, j)._style = StyleArray()
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=width)
        put(ws.cell(r, 1), text).font = _bold(ws.cell(first, 1).font, False)
        ws.cell(r, 1).alignment = Alignment(horizontal="left", vertical="top", wrap_text=True)
        ws.row_dimensions[r].height = LINE_HEIGHT * cell_lines_needed(text, sum(widths)) + 4
    for row in ws.iter_rows():
        if tpl.header_row < row[0].row < first + len(lines) + len(extra):
            continue  # placeholders only in the title rows above and the notes below
        for cell in row:
            if isinstance(cell.value, str) and fill_placeholders(cell.value, data) != cell.value:
                put(cell, fill_placeholders(cell.value, data))
    _print_setup(ws, tpl, sum(widths))
    write_meta(wb, data, ids)
    for i, (k, v) in enumerate((("sheet", ws.title), ("template", tpl.filename)), start=1):
        put(wb[META_SHEET].cell(i, 4), k)
        put(wb[META_SHEET].cell(i, 5), v)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _bold(font, bold: bool):  # type: ignore[no-untyped-def]
    new = copy(font)
    new.b = bold
    return new


def _print_setup(ws, tpl: Template, total_width: float) -> None:  # type: ignore[no-untyped-def]
    """The template's own print setup stays; without one, A4 fitted to the page width, header repeated."""
    # deferred: a .docx template needs no openpyxl
    from openpyxl.utils import get_column_letter, range_boundaries

    pr = ws.sheet_properties.pageSetUpPr
    if not (pr is not None and pr.fitToPage) and not ws.page_setup.orientation:
        ws.page_setup.orientation = "landscape" if total_width > 110 else "portrait"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
    if not ws.print_title_rows:
        ws.print_title_rows = f"{tpl.header_row + 1}:{tpl.data_row}"
    if ws.print_area:
        area = ws.print_area[0] if isinstance(ws.print_area, list) else ws.print_area
        c0, r0, c1, _ = range_boundaries(area.split("!")[-1].replace("$", ""))
        ws.print_area = f"{get_column_letter(c0)}{r0}:{get_column_letter(c1)}{ws.max_row}"


def _xlsx_tail_row(ws, r: int, width: int) -> bool:  # type: ignore[no-untyped-def]
    """A note or signature line under the table: one text, a note word or outside the table's borders."""
    cells = [ws.cell(r, j) for j in range(1, width + 1)]
    texts = [c.value for c in cells if c.value not in (None, "")]
    return len(texts) == 1 and isinstance(texts[0], str) and (
        bool(_TAIL_RE.match(texts[0]))
        or not any(c.border.left.style or c.border.bottom.style for c in cells))
