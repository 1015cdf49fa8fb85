"""The monthly progress table as .docx: A4 landscape attachment page in the GB/T 9704 layout."""

from __future__ import annotations

import io

from docx import Document
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.table import Table, _Cell

from .data import MonthData
from .layout import LABEL_KEYS, Column, Line, columns_for, notes, reporter_fields, table_lines
from .official import (
    BODY, HEI, KAI, SIZE_2, SIZE_3, SIZE_5, SIZE_S4, TITLE, add_run, cell_margins, fixed_layout, fmt_par,
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
    table = doc.add_table(rows=1 + len(lines), cols=len(cols))  # type: ignore[attr-defined]
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    fixed_layout(table, _scaled(cols))
    cell_margins(table)
    for j, col in enumerate(cols):
        _fill(table.cell(0, j), col.header, "center", HEI, size)
    label_span = sum(1 for c in cols if c.key in LABEL_KEYS)
    for i, line in enumerate(lines, start=1):
        row = table.rows[i]
        if line.kind in ("section", "total"):
            span = label_span if line.values else len(cols)
            merged = row.cells[0].merge(row.cells[span - 1])
            _fill(merged, line.label or "", "left" if line.kind == "section" else "center", HEI, size)
            tail = max((j for j, c in enumerate(cols) if c.key in line.values), default=span - 1)
            for j in range(span, tail + 1):
                _fill(row.cells[j], _fmt(line.values.get(cols[j].key), cols[j]), "right", BODY, size)
            if tail + 2 < len(cols):
                row.cells[tail + 1].merge(row.cells[len(cols) - 1])
            continue
        for j, col in enumerate(cols):
            align = "right" if col.kind in ("money", "rate", "pct") else ("center" if col.kind == "short" else "left")
            _fill(row.cells[j], _fmt(line.values.get(col.key), col), align, BODY, size, line.kind == "parent")
    repeat_header(table)
    return table


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
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
