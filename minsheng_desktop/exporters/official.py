"""Shared GB/T 9704 styling for .docx exports: fonts with East Asian names, page setup, page numbers."""

from __future__ import annotations

import io
import re

from docx.document import Document as DocxDocument
from docx.section import Section
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import Table
from docx.text.paragraph import Paragraph
from docx.text.run import Run


TITLE, BODY, HEI, KAI, SONG = "方正小标宋简体", "仿宋_GB2312", "黑体", "楷体_GB2312", "宋体"
LATIN = "Times New Roman"
# Names written into the font table as w:altName: what Word uses on a machine without the official font.
FALLBACKS = {TITLE: "宋体", BODY: "仿宋", KAI: "楷体", HEI: "SimHei", SONG: "SimSun"}
SIZE_2, SIZE_3, SIZE_4, SIZE_S4, SIZE_5 = 22.0, 16.0, 14.0, 12.0, 10.5
LINE_PT = 28.95  # 22 lines in the 225 mm type area


def set_font(target: Run | object, east_asia: str, size: float | None = None, bold: bool | None = None) -> None:
    """Set Latin and East Asian font names (w:eastAsia) on a run or a style."""
    font = target.font  # type: ignore[attr-defined]
    font.name = LATIN
    if size is not None:
        font.size = Pt(size)
    if bold is not None:
        font.bold = bold
    rpr = target.element.get_or_add_rPr()  # type: ignore[attr-defined]
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attr), LATIN)
    fonts.set(qn("w:eastAsia"), east_asia)
    fonts.set(qn("w:hint"), "eastAsia")


def add_run(par: Paragraph, text: str, east_asia: str = BODY, size: float = SIZE_3, bold: bool = False,
            underline: bool = False) -> Run:
    run = par.add_run(text)
    set_font(run, east_asia, size, bold)
    if underline:
        run.font.underline = True
    return run


def fmt_par(par: Paragraph, align: str = "left", first_indent: float = 0, left: float = 0, right: float = 0,
            line: float | None = LINE_PT, before: float = 0, after: float = 0) -> Paragraph:
    """Alignment, indents in points, exact line spacing in points (None: single)."""
    pf = par.paragraph_format
    pf.alignment = {"left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER,
                    "right": WD_ALIGN_PARAGRAPH.RIGHT, "justify": WD_ALIGN_PARAGRAPH.JUSTIFY}[align]
    pf.first_line_indent = Pt(first_indent) if first_indent else None
    pf.left_indent = Pt(left) if left else None
    pf.right_indent = Pt(right) if right else None
    pf.space_before, pf.space_after = Pt(before), Pt(after)
    if line is None:
        pf.line_spacing_rule = WD_LINE_SPACING.SINGLE
    else:
        pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        pf.line_spacing = Pt(line)
    pf.widow_control = False
    return par


def para(doc: DocxDocument, text: str = "", east_asia: str = BODY, size: float = SIZE_3, bold: bool = False,
         **fmt: float | str | None) -> Paragraph:
    par = doc.add_paragraph()
    if text:
        add_run(par, text, east_asia, size, bold)
    return fmt_par(par, **fmt)  # type: ignore[arg-type]


def setup_document(doc: DocxDocument, landscape: bool) -> None:
    """A4, GB/T 9704 margins (portrait 37/35/28/26 mm; landscape: top/bottom 28/26, left/right 37/35)."""
    page_geometry(doc.sections[0], landscape)
    for name, east in (("Normal", BODY), ("Header", BODY), ("Footer", SONG)):
        style = doc.styles[name]
        set_font(style, east, SIZE_3 if name == "Normal" else SIZE_4)
        style.font.color.rgb = None
    for name, east in (("Table Grid", BODY),):
        if name in [s.name for s in doc.styles]:
            set_font(doc.styles[name], east)
    _set_doc_defaults(doc)
    register_font_fallbacks(doc)
    add_page_numbers(doc)


def page_geometry(sec: Section, landscape: bool) -> None:
    """A4 with the GB/T 9704 type area in either orientation; page number 7 mm below the type area."""
    if landscape:
        sec.orientation = WD_ORIENT.LANDSCAPE
        sec.page_width, sec.page_height = Mm(297), Mm(210)
        sec.top_margin, sec.bottom_margin, sec.left_margin, sec.right_margin = Mm(28), Mm(26), Mm(37), Mm(35)
    else:
        sec.orientation = WD_ORIENT.PORTRAIT
        sec.page_width, sec.page_height = Mm(210), Mm(297)
        sec.top_margin, sec.bottom_margin, sec.left_margin, sec.right_margin = Mm(37), Mm(35), Mm(28), Mm(26)
    # a 4号 line is about 5 mm high: its top (the dash) then sits 7 mm below the type area
    sec.footer_distance = sec.bottom_margin - Mm(12)
    sec.header_distance = Mm(15)


def _set_doc_defaults(doc: DocxDocument) -> None:
    """East Asian font and language in w:docDefaults too, so unstyled text is never in a Western font."""
    styles = doc.styles.element
    rpr_default = styles.find(qn("w:docDefaults") + "/" + qn("w:rPrDefault") + "/" + qn("w:rPr"))
    if rpr_default is None:
        return
    fonts = rpr_default.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr_default.insert(0, fonts)
    for attr in list(fonts.attrib):
        del fonts.attrib[attr]
    fonts.set(qn("w:ascii"), LATIN)
    fonts.set(qn("w:hAnsi"), LATIN)
    fonts.set(qn("w:cs"), LATIN)
    fonts.set(qn("w:eastAsia"), BODY)
    lang = rpr_default.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr_default.append(lang)
    lang.set(qn("w:eastAsia"), "zh-CN")


def register_font_fallbacks(doc: DocxDocument) -> None:
    """Add the official fonts to word/fontTable.xml with w:altName, GB2312 charset and family."""
    part = next((r.target_part for r in doc.part.rels.values() if r.reltype.endswith("/fontTable")), None)
    if part is None:
        return
    xml = part.blob.decode("utf-8")
    entries = []
    for name, alt in FALLBACKS.items():
        if f'w:name="{name}"' in xml:
            continue
        family = "modern" if name in (HEI,) else "roman"
        entries.append(f'<w:font w:name="{name}"><w:altName w:val="{alt}"/><w:charset w:val="86"/>'
                       f'<w:family w:val="{family}"/><w:pitch w:val="fixed"/></w:font>')
    xml = re.sub(r"</w:fonts>\s*$", "".join(entries) + "</w:fonts>", xml)
    part._blob = xml.encode("utf-8")  # generic Part: the blob is what gets saved


def _page_field(par: Paragraph) -> None:
    """— PAGE — in 4号 宋体, the number as a PAGE field."""
    add_run(par, "— ", SONG, SIZE_4)
    for kind in ("begin", None, "separate", "1", "end"):
        run = add_run(par, "", SONG, SIZE_4)
        if kind in ("begin", "separate", "end"):
            fld = OxmlElement("w:fldChar")
            fld.set(qn("w:fldCharType"), kind)
            run.element.append(fld)
        elif kind is None:
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = " PAGE "
            run.element.append(instr)
        else:
            run.text = kind
    add_run(par, " —", SONG, SIZE_4)


def add_page_numbers(doc: DocxDocument) -> None:
    """Odd pages right-aligned, even pages left-aligned, each indented one character (GB/T 9704 §7.5)."""
    doc.settings.odd_and_even_pages_header_footer = True
    sec = doc.sections[0]
    for footer, align in ((sec.footer, "right"), (sec.even_page_footer, "left")):
        footer.is_linked_to_previous = False
        par = footer.paragraphs[0]
        fmt_par(par, align=align, left=SIZE_4 if align == "left" else 0, right=SIZE_4 if align == "right" else 0,
                line=None)
        _page_field(par)


def repeat_header(table: Table, rows: int = 1) -> None:
    """Mark the first rows as header rows repeated on every page (w:tblHeader), never split themselves."""
    for row in table.rows[:rows]:
        trpr = row._tr.get_or_add_trPr()
        for tag in ("w:cantSplit", "w:tblHeader"):
            el = OxmlElement(tag)
            el.set(qn("w:val"), "true")
            trpr.append(el)


_AFTER_AUTOSPACE = ("w:bidi", "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing",
                    "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment",
                    "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")


def no_autospace(par: Paragraph) -> None:
    """No extra space between Chinese and Latin text or digits (w:autoSpaceDE/DN off): a table cell's lines
    then wrap where the layout planned them, in Word and LibreOffice alike."""
    ppr = par._p.get_or_add_pPr()
    for i, tag in enumerate(("w:autoSpaceDE", "w:autoSpaceDN")):
        if ppr.find(qn(tag)) is None:
            el = OxmlElement(tag)
            el.set(qn("w:val"), "0")
            ppr.insert_element_before(el, *(("w:autoSpaceDN",) if i == 0 else ()), *_AFTER_AUTOSPACE)


def cant_split(tr) -> None:  # type: ignore[no-untyped-def]
    """Keep a table row on one page (w:cantSplit): a row that does not fit goes whole to the next page."""
    trpr = tr.get_or_add_trPr()
    if trpr.find(qn("w:cantSplit")) is None:
        el = OxmlElement("w:cantSplit")
        el.set(qn("w:val"), "true")
        trpr.insert(0, el)


# w:tblPr's children in the order of the schema: an element out of place is ignored by LibreOffice (which then
# took Table Grid's 1.9 mm cell margins) and may make Word call the file damaged.
_TBLPR_AFTER_MARGINS = ("w:tblLook", "w:tblCaption", "w:tblDescription", "w:tblPrChange")


def cell_margins(table: Table, left_right_twips: int = 30, top_bottom_twips: int = 20) -> None:
    tblpr = table._tbl.tblPr
    for old in tblpr.findall(qn("w:tblCellMar")):
        tblpr.remove(old)
    mar = OxmlElement("w:tblCellMar")
    for side, val in (("top", top_bottom_twips), ("left", left_right_twips), ("bottom", top_bottom_twips),
                      ("right", left_right_twips)):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:w"), str(val))
        el.set(qn("w:type"), "dxa")
        mar.append(el)
    tblpr.insert_element_before(mar, *_TBLPR_AFTER_MARGINS)


def fixed_layout(table: Table, widths_mm: list[float]) -> None:
    """Fixed column widths (Word and LibreOffice both honour tblLayout fixed with gridCol and tcW), the table as
    wide as its columns."""
    table.autofit = False  # python-docx writes w:tblLayout fixed, in its place
    tbl = table._tbl
    widths = [Mm(w) for w in widths_mm]
    tblw = tbl.tblPr.find(qn("w:tblW"))
    if tblw is not None:
        tblw.set(qn("w:type"), "dxa")
        tblw.set(qn("w:w"), str(round(sum(widths) / 635)))  # EMU → twips
    rows = tbl.tr_lst
    if all(len(tr.tc_lst) == len(widths) for tr in rows) and not tbl.xpath(
            "./w:tr/w:tc/w:tcPr/*[self::w:gridSpan or self::w:vMerge]"):
        # no merged cells: each row's cells are the columns in order (column.cells would work out the same
        # grid again for every column, O(rows) each)
        for gc, w in zip(tbl.tblGrid.gridCol_lst, widths):
            gc.w = w
        for tr in rows:
            for tc, w in zip(tr.tc_lst, widths):
                tc.width = w
        return
    for i, col in enumerate(table.columns):
        col.width = widths[i]
        for cell in col.cells:
            cell.width = widths[i]


def keep_together(doc: DocxDocument, first: int, last: int) -> None:
    """Keep paragraphs first..last on one page, so the signature never stands alone on a page."""
    for par in doc.paragraphs[first:last]:
        par.paragraph_format.keep_with_next = True


def page_break(doc: DocxDocument) -> None:
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def document_bytes(doc) -> bytes:  # type: ignore[no-untyped-def]
    """Save a python-docx Document to bytes, then take its body apart a row at a time.

    Freeing a 1,000-row table's XML tree in one go holds the interpreter lock for ~60 ms (lxml frees it in C),
    which stalls the window while an export runs in the background; piece by piece, other threads get turns.
    Each row is freed as it is removed (its only proxy dropped at once): a list of all the removed rows, freed
    after the loop, held the lock for 40-70 ms just the same."""
    buf = io.BytesIO()
    doc.save(buf)
    body = doc.element.body
    for child in list(body):
        if child.tag.endswith("}tbl"):
            while len(child):
                child.remove(child[-1])
        body.remove(child)
    return buf.getvalue()
