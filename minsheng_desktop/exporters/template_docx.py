"""Filling an office's .docx template: the first table whose header names 项目名称 gets the month's rows."""

from __future__ import annotations

import io
from copy import deepcopy

from .data import MonthData
from .layout import notes
from .template_model import KINDS, Template, cells_of, fill_placeholders, label_span, projects_by_id, template_lines

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def fill_docx(tpl: Template, data: MonthData) -> bytes:
    """Fill the first recognised table of a .docx template; new rows copy the table's last row."""
    from docx import Document  # deferred: an .xlsx template needs no python-docx
    from docx.oxml import OxmlElement  # deferred: an .xlsx template needs no python-docx
    from docx.oxml.ns import qn  # deferred: an .xlsx template needs no python-docx
    from docx.table import Table as DocxTable  # deferred: an .xlsx template needs no python-docx
    from docx.text.paragraph import Paragraph  # deferred: an .xlsx template needs no python-docx

    # deferred: an .xlsx template needs no python-docx (official.py loads it)
    from .official import BODY, SIZE_5, add_run, cant_split, document_bytes, fmt_par, repeat_header

    doc = Document(io.BytesIO(tpl.content))
    tbl = body_tables(doc.element.body)[tpl.part]
    trs = tbl.findall(qn("w:tr"))
    proto = deepcopy(trs[-1])  # new rows copy the table's last row (the header's, if it has no other)
    for tr in trs[tpl.data_row:]:
        tbl.remove(tr)
    plain = ("vMerge", "tblHeader") + (("b", "bCs", "shd") if len(trs) == tpl.data_row else ())
    for el in [e for tag in plain for e in proto.iter(qn(f"w:{tag}"))]:
        el.getparent().remove(el)
    mapping, projects = tpl.mapping(), projects_by_id(data)
    width = max(c.index for c in tpl.columns) + 1
    for line in template_lines(data, mapping):
        tr = deepcopy(proto)
        cant_split(tr)  # a row stays on one page
        tbl.append(tr)
        vals, span = cells_of(line, data, projects), 0
        if line.kind in ("section", "total"):
            span = label_span(line, mapping, width)
            _docx_merge(tr, span)
            _docx_text(_docx_cells(tr)[min(_docx_cells(tr))], line.label or "", True)
            vals = vals if span < width else {}
        for c, tc in _docx_cells(tr).items():
            if c >= span:
                f = mapping.get(c)
                bold = line.kind in ("section", "total", "parent")
                _docx_text(tc, KINDS[f].text(vals.get(f)) if f else "", bold)
    if tbl.find(f".//{qn('w:tblHeader')}") is None:
        repeat_header(DocxTable(tbl, doc._body), rows=tpl.data_row)
    anchor = tbl
    for text in notes(data):
        anchor.addnext(OxmlElement("w:p"))
        anchor = anchor.getnext()
        par = Paragraph(anchor, doc._body)
        fmt_par(par, line=None, before=3)
        add_run(par, text, BODY, SIZE_5)
    above = [Paragraph(p, doc._body) for tr in trs[:tpl.header_row] for p in tr.iter(qn("w:p"))]
    for p in [*doc.paragraphs, *above]:  # the title, the lines around the table, its rows above the header
        _fill_paragraph(p, data)
    return document_bytes(doc)


def body_tables(body) -> list:  # type: ignore[no-untyped-def]
    """The document's tables in order, looking through content controls and custom XML: the order in which
    the importers' .docx reader numbers them (importers.grid.read_docx), so Template.part finds the same one."""
    out = []
    for child in body:
        if child.tag == _W + "tbl":
            out.append(child)
        elif child.tag in (_W + "sdt", _W + "customXml"):
            content = child.find(_W + "sdtContent") if child.tag == _W + "sdt" else child
            if content is not None:
                out.extend(body_tables(content))
    return out


def _fill_paragraph(p, data: MonthData) -> None:  # type: ignore[no-untyped-def]
    """The placeholders and blanks of one paragraph filled, keeping its runs' look."""
    new = fill_placeholders(p.text, data)
    if new != p.text and p.runs:
        for r in p.runs:
            r.text = fill_placeholders(r.text, data)
        if p.text != new:  # the placeholder spans runs: the first run's look for all of it
            p.runs[0].text = new
            for r in p.runs[1:]:
                r.text = ""


def _docx_cells(tr) -> dict:  # type: ignore[no-untyped-def]
    """Grid column → the w:tc that starts there."""
    col = tr.grid_before
    out = {}
    for tc in tr.tc_lst:
        out[col] = tc
        col += tc.grid_span
    return out


def _docx_merge(tr, span: int) -> None:  # type: ignore[no-untyped-def]
    """Merge the cells that start before grid column ``span`` into the first of them."""
    inside = [tc for c, tc in sorted(_docx_cells(tr).items()) if c < span]
    if len(inside) < 2:
        return
    widths = [tc.width for tc in inside]
    inside[0].grid_span = sum(tc.grid_span for tc in inside)
    if None not in widths:
        inside[0].width = sum(widths)
    for tc in inside[1:]:
        tr.remove(tc)


def _docx_text(tc, text: str, bold: bool = False) -> None:  # type: ignore[no-untyped-def]
    """Replace a cell's text, keeping its paragraph and first run's (or paragraph mark's) formatting."""
    from docx.oxml.ns import qn  # deferred: an .xlsx template needs no python-docx

    p = tc.find(qn("w:p"))
    if p is None:
        p = tc.add_p()
    rpr = p.find(f"{qn('w:r')}/{qn('w:rPr')}")
    rpr = deepcopy(rpr if rpr is not None else p.find(f"{qn('w:pPr')}/{qn('w:rPr')}"))
    others = [e for e in tc if e.tag != qn("w:tcPr") and e is not p]
    for el in others + [e for e in p if e.tag != qn("w:pPr")]:
        el.getparent().remove(el)
    if not text:
        return
    r = p.add_r()
    if rpr is not None:
        r.insert(0, rpr)
    if bold:
        r.get_or_add_rPr()._set_bool_val("b", True)
    r.text = text
