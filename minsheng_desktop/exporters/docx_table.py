"""The monthly progress table as .docx: A4 landscape attachment page in the GB/T 9704 layout."""

from __future__ import annotations

from copy import deepcopy

from docx import Document
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.oxml.table import CT_Row, CT_Tc
from docx.oxml.text.run import CT_R
from docx.table import Table, _Cell, _Row

from .data import MonthData
from .layout import LABEL_KEYS, Column, Line, columns_for, notes, reporter_fields, table_lines
from .official import (
    BODY, HEI, KAI, SIZE_2, SIZE_3, SIZE_5, SIZE_S4, TITLE, add_run, document_bytes,
    cell_margins, fixed_layout, fmt_par,
    para, repeat_header, setup_document,
)

TYPE_WIDTH_MM = 225.0  # landscape type area


def _fmt(value: object, col: Column) -> str:
    if value is None:
        return ""
    if col.kind == "money" and isinstance(value, (int, float)):
        return f"{value:.2f}"
    if col.kind == "rate" and isinstance(value, (int, float)):
        return f"{value * 100:.1f}%"
    if col.kind == "pct" and isinstance(value, (int, float)):
        return f"{value:.1f}"
    return str(value)


def _fill(cell: _Cell, text: str, align: str, east_asia: str = BODY, size: float = SIZE_5,
          bold: bool = False) -> None:
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    par = cell.paragraphs[0]
    fmt_par(par, align=align, line=None)
    for i, part in enumerate(text.split("\n")):
        if i:
            par = cell.add_paragraph()
            fmt_par(par, align=align, line=None)
        add_run(par, part, east_asia, size, bold)


def _scaled(cols: list[Column]) -> list[float]:
    total = sum(c.docx_mm for c in cols)
    return [c.docx_mm * TYPE_WIDTH_MM / total for c in cols]


def _table(doc: Document, data: MonthData, size: float) -> Table:  # type: ignore[valid-type]
    cols = columns_for(data)
    lines: list[Line] = table_lines(data)
    # Only the header row is made by python-docx; each body row is a copy of that row's blank cells. A project
    # row's cells are copies of one cell filled through _fill (per column and weight) with their own text set,
    # so the XML is what filling every cell through python-docx gave, without its per-access element searches.
    table = doc.add_table(rows=1, cols=len(cols))  # type: ignore[attr-defined]
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    fixed_layout(table, _scaled(cols))
    cell_margins(table)
    tbl = table._tbl
    filler = CellFiller(table)
    for j, tc in enumerate(tbl.tr_lst[0].tc_lst):
        _fill(_Cell(tc, table), cols[j].header, "center", HEI, size)
    label_span = sum(1 for c in cols if c.key in LABEL_KEYS)
    aligns = ["right" if col.kind in ("money", "rate", "pct") else "center" if col.kind == "short" else "left"
              for col in cols]
    for line in lines:
        if line.kind in ("section", "total"):
            tr = filler.blank_row()
            tbl.append(tr)
            row = _Row(tr, table)
            span = label_span if line.values else len(cols)
            merged = row.cells[0].merge(row.cells[span - 1])
            _fill(merged, line.label or "", "left" if line.kind == "section" else "center", HEI, size)
            tail = max((j for j, c in enumerate(cols) if c.key in line.values), default=span - 1)
            for j in range(span, tail + 1):
                _fill(row.cells[j], _fmt(line.values.get(cols[j].key), cols[j]), "right", BODY, size)
            if tail + 2 < len(cols):
                row.cells[tail + 1].merge(row.cells[len(cols) - 1])
            continue
        tr = filler.row()
        bold = line.kind == "parent"
        values = line.values
        for j, col in enumerate(cols):
            tr.append(filler.cell(j, _fmt(values.get(col.key), col), aligns[j], BODY, size, bold))
        tbl.append(tr)
    repeat_header(table)
    return table


class CellFiller:
    """Rows and filled cells for a table as python-docx and _fill make them, from copies of prepared elements.

    Made from a table of one row that add_table and fixed_layout have just made, before any text goes in: that
    row is what add_table would have made for every further row. The filled cell for each column and look is
    made once through _fill, with no text; every other such cell is a copy of it with its own text.
    """

    def __init__(self, table: Table) -> None:
        self._table = table
        self._blank_row = deepcopy(table._tbl.tr_lst[0])
        self._blank = [deepcopy(tc) for tc in self._blank_row.tc_lst]  # tcPr with the width and one empty w:p
        self._bare_row = deepcopy(self._blank_row)
        for tc in self._bare_row.tc_lst:
            self._bare_row.remove(tc)
        self._protos: dict[tuple[object, ...], CT_Tc] = {}

    def blank_row(self) -> CT_Row:
        """A new w:tr with empty cells, as add_table makes them (to fill through python-docx)."""
        return deepcopy(self._blank_row)

    def row(self) -> CT_Row:
        """A new w:tr without cells: append what cell() makes, then append it to the table."""
        return deepcopy(self._bare_row)

    def cell(self, j: int, text: str, align: str, east_asia: str = BODY, size: float = SIZE_5,
             bold: bool = False) -> CT_Tc:
        """A new w:tc for column j holding text: what _fill(cell, text, ...) makes of a blank cell."""
        key = (j, align, east_asia, size, bold)
        proto = self._protos.get(key)
        if proto is None:
            proto = deepcopy(self._blank[j])
            _fill(_Cell(proto, self._table), "", align, east_asia, size, bold)
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
    cols = columns_for(data)
    size = SIZE_S4 if len(cols) <= 10 else SIZE_5
    para(doc, "附件", HEI, SIZE_3, line=None)
    par = para(doc, data.table_title, TITLE, SIZE_2, align="center", line=None, before=6)
    par = para(doc, f"（{data.as_of}）", KAI, SIZE_3, align="center", line=None, after=6)
    par = doc.add_paragraph()
    fmt_par(par, line=None, after=4)
    for i, (label, value) in enumerate(reporter_fields(data)):
        add_run(par, ("　　" if i else "") + f"{label}：", BODY, SIZE_S4)
        add_run(par, value or "　" * 6, BODY, SIZE_S4, underline=value is None)
    _table(doc, data, size)
    for text in notes(data):
        para(doc, text, BODY, SIZE_5 if size == SIZE_5 else SIZE_S4, line=None, before=3)
    # python-docx starts with an empty paragraph only in some templates; nothing else to remove
    return document_bytes(doc)
