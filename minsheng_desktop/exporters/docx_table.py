"""The monthly progress table as .docx: A4 landscape attachment page in the GB/T 9704 layout.

The table is as tight as a clerk's own: column widths from the content (layout.fit_widths), header words never
broken inside a word, exact line spacing (so the page count does not depend on the fonts of the machine that
opens it), every row kept on one page (w:cantSplit; only a row taller than a page may break) and the header
repeated on every page."""

from __future__ import annotations

from copy import deepcopy
from dataclasses import dataclass

from docx import Document
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.oxml.table import CT_Row, CT_Tc
from docx.oxml.text.run import CT_R
from docx.table import Table, _Cell, _Row

from .data import MonthData
from .layout import LABEL_KEYS, Column, Line, cell_text, columns_for, fit_widths, header_lines, lines_needed, notes, \
    reporter_fields, table_lines
from .official import (
    BODY, HEI, KAI, SIZE_2, SIZE_3, SIZE_5, SIZE_S4, TITLE, add_run, cant_split, cell_margins, document_bytes,
    fixed_layout, fmt_par, no_autospace, para, repeat_header, setup_document,
)

TYPE_WIDTH_MM = 225.0  # landscape type area
TYPE_HEIGHT_PT = 156.0 / 25.4 * 72  # 156 mm
PT_MM = 25.4 / 72
MARGIN_LR_TWIPS, MARGIN_TB_TWIPS = 30, 15  # cell margins
TABLE_SIZES = (SIZE_5, 9.0)  # 五号, or 小五 where that saves pages (a dense month of long texts)
# The lines above the table on the first page, at exact spacing: 附件, the title, 截至…, the 填报 line
HEAD_LINES = ((SIZE_3, 20.0, 0.0), (SIZE_2, 28.0, 2.0), (SIZE_3, 20.0, 0.0), (SIZE_S4, 16.0, 3.0))
TITLE_BLOCK_PT = sum(line + after for _, line, after in HEAD_LINES)


def line_pitch(size: float) -> float:
    """Exact line spacing for table text: about single spacing of 宋体/仿宋 (9 pt → 10.5 pt, 10.5 pt → 12.5 pt)."""
    return round(size * 1.17 * 2) / 2



def fill_cell(cell: _Cell, text: str, align: str, east_asia: str = BODY, size: float = SIZE_5,
          bold: bool = False, line: float | None = None) -> None:
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    par = cell.paragraphs[0]
    fmt_par(par, align=align, line=line)
    if line is not None:
        no_autospace(par)
    for i, part in enumerate(text.split("\n")):
        if i:
            par = cell.add_paragraph()
            fmt_par(par, align=align, line=line)
            if line is not None:
                no_autospace(par)
        add_run(par, part, east_asia, size, bold)


def column_widths_mm(cols: list[Column], lines: list[Line], size: float) -> tuple[list[float], list[float]]:
    """(widths in mm filling the type area, the same as text widths in characters)."""
    char_mm = size * PT_MM
    margin_mm = 2 * MARGIN_LR_TWIPS / 1440 * 25.4
    budget = (TYPE_WIDTH_MM - len(cols) * margin_mm) / char_mm
    chars = fit_widths(cols, lines, budget)
    return [w * char_mm + margin_mm for w in chars], chars


@dataclass
class Plan:
    """The table worked out for one font size: widths, the header's lines, each line's height, the pages."""

    size: float
    widths_mm: list[float]
    chars: list[float]
    header: list[list[str]]
    heights: list[float]  # points, per table line
    pages: int

    @property
    def pitch(self) -> float:
        return line_pitch(self.size)


def plan_table(cols: list[Column], lines: list[Line], size: float, tail_lines: int = 0) -> Plan:
    """Widths and row heights at ``size``, and the pages they fill when no row may break."""
    widths_mm, chars = column_widths_mm(cols, lines, size)
    pitch = line_pitch(size)
    pad = 2 * MARGIN_TB_TWIPS / 20 + 0.75
    header = [header_lines(c, w) for c, w in zip(cols, chars)]
    head_h = max(len(h) for h in header) * pitch + pad
    label_chars = sum(w for c, w in zip(cols, chars) if c.key in LABEL_KEYS)
    heights = []
    for line in lines:
        if line.kind in ("section", "total"):
            n = lines_needed(line.label or "", label_chars)
        else:
            n = max(lines_needed(cell_text(line, c), w) for c, w in zip(cols, chars))
        heights.append(n * pitch + pad)
    pages, y = 1, TITLE_BLOCK_PT + head_h
    for h in heights:
        if y + h > TYPE_HEIGHT_PT and y > head_h + 1:
            pages, y = pages + 1, head_h
        y += h
    if y + tail_lines * (pitch + 2) > TYPE_HEIGHT_PT:  # the notes under the table
        pages += 1
    return Plan(size, widths_mm, chars, header, heights, pages)


def best_plan(cols: list[Column], lines: list[Line], tail_lines: int = 0) -> Plan:
    """五号 unless 小五 fills fewer pages."""
    plans = [plan_table(cols, lines, size, tail_lines) for size in TABLE_SIZES]
    return min(plans, key=lambda p: (p.pages, -p.size))


def _table(doc: Document, data: MonthData, plan: Plan | None = None) -> Table:  # type: ignore[valid-type]
    cols = columns_for(data, indicators_apart=False)
    lines: list[Line] = table_lines(data, indicators_apart=False)
    plan = plan or best_plan(cols, lines)
    size, widths_mm, pitch = plan.size, plan.widths_mm, plan.pitch
    # Only the header row is made by python-docx; each body row is a copy of that row's blank cells. A project
    # row's cells are copies of one cell filled through fill_cell (per column and weight) with their own text set,
    # so the XML is what filling every cell through python-docx gave, without its per-access element searches.
    table = doc.add_table(rows=1, cols=len(cols))  # type: ignore[attr-defined]
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    fixed_layout(table, widths_mm)
    cell_margins(table, MARGIN_LR_TWIPS, MARGIN_TB_TWIPS)
    tbl = table._tbl
    filler = CellFiller(table, pitch)
    for j, tc in enumerate(tbl.tr_lst[0].tc_lst):
        fill_cell(_Cell(tc, table), "\n".join(plan.header[j]), "center", HEI, size, line=pitch)
    # a row taller than what a page holds under the header may break; every other row stays whole
    room = TYPE_HEIGHT_PT - max(len(h) for h in plan.header) * pitch - 12
    label_span = sum(1 for c in cols if c.key in LABEL_KEYS)
    aligns = ["right" if col.kind in ("money", "rate", "pct") else "center" if col.kind == "short" else "left"
              for col in cols]
    for line, height in zip(lines, plan.heights):
        if line.kind in ("section", "total"):
            tr = filler.blank_row()
            tbl.append(tr)
            row = _Row(tr, table)
            span = label_span if line.values else len(cols)
            merged = row.cells[0].merge(row.cells[span - 1])
            fill_cell(merged, line.label or "", "left" if line.kind == "section" else "center", HEI, size, line=pitch)
            tail = max((j for j, c in enumerate(cols) if c.key in line.values), default=span - 1)
            for j in range(span, tail + 1):
                fill_cell(row.cells[j], cell_text(line, cols[j]), "right", BODY, size, line=pitch)
            if tail + 2 < len(cols):
                row.cells[tail + 1].merge(row.cells[len(cols) - 1])
            if height <= room:
                cant_split(tr)
            continue
        tr = filler.row()
        bold = line.kind == "parent"
        for j, col in enumerate(cols):
            tr.append(filler.cell(j, cell_text(line, col), aligns[j], BODY, size, bold))
        if height > room:
            tr.remove(tr.trPr)  # taller than a page: it has to break
        tbl.append(tr)
    repeat_header(table)
    return table


class CellFiller:
    """Rows and filled cells for a table as python-docx and fill_cell make them, from copies of prepared elements.

    Made from a table of one row that add_table and fixed_layout have just made, before any text goes in: that
    row is what add_table would have made for every further row. The filled cell for each column and look is
    made once through fill_cell, with no text; every other such cell is a copy of it with its own text. Rows from
    row() are kept on one page (w:cantSplit); the caller removes their w:trPr for a row that may break.
    """

    def __init__(self, table: Table, line: float | None = None) -> None:
        self._table = table
        self._line = line
        self._blank_row = deepcopy(table._tbl.tr_lst[0])
        self._blank = [deepcopy(tc) for tc in self._blank_row.tc_lst]  # tcPr with the width and one empty w:p
        self._bare_row = deepcopy(self._blank_row)
        for tc in self._bare_row.tc_lst:
            self._bare_row.remove(tc)
        cant_split(self._bare_row)
        self._protos: dict[tuple[object, ...], CT_Tc] = {}

    def blank_row(self) -> CT_Row:
        """A new w:tr with empty cells, as add_table makes them (to fill through python-docx)."""
        return deepcopy(self._blank_row)

    def row(self) -> CT_Row:
        """A new w:tr without cells, kept on one page: append what cell() makes, then append it to the table."""
        return deepcopy(self._bare_row)

    def cell(self, j: int, text: str, align: str, east_asia: str = BODY, size: float = SIZE_5,
             bold: bool = False) -> CT_Tc:
        """A new w:tc for column j holding text: what fill_cell(cell, text, ...) makes of a blank cell."""
        key = (j, align, east_asia, size, bold)
        proto = self._protos.get(key)
        if proto is None:
            proto = deepcopy(self._blank[j])
            fill_cell(_Cell(proto, self._table), "", align, east_asia, size, bold, line=self._line)
            self._protos[key] = proto
        tc = deepcopy(proto)
        if not text:
            return tc
        parts = text.split("\n")
        p = tc[-1]
        first = deepcopy(p) if len(parts) > 1 else None
        _set_text(p[-1], parts[0])
        for part in parts[1:]:
            p = deepcopy(first)
            _set_text(p[-1], part)
            tc.append(p)
        return tc


def _set_text(r: CT_R, text: str) -> None:
    """Text into an empty run, as Run.text does it (tabs and carriage returns as w:tab and w:br)."""
    if text:
        r.text = text


def build_progress_docx(data: MonthData) -> bytes:
    """The 推进情况表 as a Word attachment page: 附件 label, title, 填报 line, table, notes."""
    doc = Document()
    setup_document(doc, landscape=True)
    below = notes(data)
    plan = best_plan(columns_for(data, indicators_apart=False), table_lines(data, indicators_apart=False),
                     sum(2 if len(t) > 100 else 1 for t in below))
    size = plan.size
    (_, l1, a1), (_, l2, a2), (_, l3, a3), (_, l4, a4) = HEAD_LINES
    para(doc, "附件", HEI, SIZE_3, line=l1, after=a1)
    para(doc, data.table_title, TITLE, SIZE_2, align="center", line=l2, after=a2)
    para(doc, f"（{data.as_of}）", KAI, SIZE_3, align="center", line=l3, after=a3)
    par = doc.add_paragraph()
    fmt_par(par, line=l4, after=a4)
    for i, (label, value) in enumerate(reporter_fields(data)):
        add_run(par, ("　　" if i else "") + f"{label}：", BODY, SIZE_S4)
        add_run(par, value or "　" * 6, BODY, SIZE_S4, underline=value is None)
    _table(doc, data, plan)
    for text in below:
        para(doc, text, BODY, size, line=line_pitch(size), before=2)
    return document_bytes(doc)
