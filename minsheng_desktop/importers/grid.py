"""The one neutral shape every form of a notice is read into, and the .docx reader.

Every form (.docx, .xlsx, .xls/.et, PDF with text, scans and photos through OCR, saved web pages, .doc/.wps
through LibreOffice) produces a ``SourceDocument``: the notice's paragraphs in order and its tables as grids
of ``Cell``s. Everything after that — header words, sections, sub-projects, the notice's facts, indicators,
reconciliation — is the same code for all of them (importers/reader.py ``parse_source``).

A merged cell appears once per grid position it covers, but as the *same* ``Cell`` object, so the table
reader can tell a name spanning two rows (one project, parent of sub-projects) from two rows that happen
to carry the same text. XML is parsed hardened: sniff() has already refused any member that declares a DTD
or entity, and lxml runs with entity resolution, DTD loading and network access off (as defusedxml would).
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree.ElementTree import Element

from lxml import etree as _lxml

from .errors import ImportFailure

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MAX_XML_BYTES = 20 * 1024 * 1024  # a 5,000-row notice is ~10 MB of XML; lxml needs ~6x that in memory
MAX_CELL_CHARS = 200_000
MAX_ROWS = 50_000
LOW_CONFIDENCE = 0.9  # an OCR cell below this is marked in the preview
MAX_PAGES = 500  # a PDF or a set of page images: a notice with its attachment is a few pages


@dataclass(eq=False)
class Cell:
    """One cell as written in the document; merged areas share a single instance."""

    text: str
    row: int  # top-left row of the cell
    col: int
    # Read by OCR only: how sure the engine was (0–1; None = the text was in the file), and where the cell is on
    # its page image (page index into SourceDocument.pages; box = left, top, right, bottom in that image's pixels).
    confidence: float | None = None
    page: int | None = None
    box: tuple[int, int, int, int] | None = None


@dataclass
class Table:
    rows: list[list[Cell]]
    paragraphs_before: list[str] = field(default_factory=list)

    @property
    def width(self) -> int:
        return max((len(r) for r in self.rows), default=0)


@dataclass
class SourceDocument:
    """Paragraphs (in order) and tables of a notice or workbook."""

    kind: str  # the form read: "docx" | "xlsx" | "xls" | "pdf" | "scan" | "html" | "doc" (see forms.py)
    paragraphs: list[str]
    tables: list[Table]
    paragraphs_after: list[str] = field(default_factory=list)
    # Page images (PNG bytes) of a scan or photos, for the preview beside the cells read from them.
    pages: list[bytes] = field(default_factory=list)

    @property
    def is_sheet(self) -> bool:
        """A workbook carries only the table: the notice's facts can only come from the rows above its header."""
        return self.kind in ("xlsx", "xls")

    @property
    def low_confidence_cells(self) -> list[Cell]:
        """OCR cells the engine was unsure of (the preview marks them for the clerk to check)."""
        seen: set[int] = set()
        out: list[Cell] = []
        for table in self.tables:
            for row in table.rows:
                for cell in row:
                    if id(cell) not in seen and cell.confidence is not None and cell.confidence < LOW_CONFIDENCE:
                        seen.add(id(cell))
                        out.append(cell)
        return out


def merged_areas(rows: int, cols: int, joined_right: Callable[[int, int], bool],
                 joined_below: Callable[[int, int], bool]) -> list[list[tuple[int, int, int, int]]]:
    """Merged cells of a ruled table (a PDF's or a scan's): grid positions with no line between them are one
    cell. ``joined_right(r, c)`` says no line parts (r, c) from (r, c + 1); ``joined_below(r, c)`` the same for
    (r + 1, c). Returns, for every position, its cell's area (top, left, bottom, right) — one tuple object per
    area, so positions of the same cell share it."""
    parent = list(range(rows * cols))

    def find(a: int) -> int:
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    def union(a: int, b: int) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    for r in range(rows):
        for c in range(cols):
            if c + 1 < cols and joined_right(r, c):
                union(r * cols + c, r * cols + c + 1)
            if r + 1 < rows and joined_below(r, c):
                union(r * cols + c, (r + 1) * cols + c)
    extent: dict[int, list[int]] = {}
    for r in range(rows):
        for c in range(cols):
            e = extent.setdefault(find(r * cols + c), [r, c, r, c])
            e[0], e[1], e[2], e[3] = min(e[0], r), min(e[1], c), max(e[2], r), max(e[3], c)
    areas = {root: (e[0], e[1], e[2], e[3]) for root, e in extent.items()}
    return [[areas[find(r * cols + c)] for c in range(cols)] for r in range(rows)]


def norm_cell_text(text: str) -> str:
    if len(text) > MAX_CELL_CHARS:
        raise ImportFailure(f"表格中有一个单元格长达 {len(text)} 个字符，超出可读范围：请检查文件是否正确。")
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\u3000", " ").strip()


# ---------------------------------------------------------------- docx


_TEXT_TAGS = (W + "t", W + "br", W + "cr", W + "tab", W + "noBreakHyphen")
_TEXT_OF = {W + "br": "\n", W + "cr": "\n", W + "tab": " ", W + "noBreakHyphen": "-"}


def _run_text(el: Element) -> str:
    # iter() with tag names filters in C: only the text-bearing nodes reach Python.
    return "".join((node.text or "") if node.tag == W + "t" else _TEXT_OF[node.tag] for node in el.iter(*_TEXT_TAGS))


def _para_text(p: Element) -> str:
    parts: list[str] = []
    for child in p:
        if child.tag == W + "pPr":
            continue
        if child.tag in (W + "del", W + "moveFrom"):  # tracked deletions are not the text
            continue
        parts.append(_run_text(child))
    return "".join(parts)


def _iter_body(el: Element):
    """Yield w:p and w:tbl in document order, looking through content controls and custom XML."""
    for child in el:
        if child.tag in (W + "p", W + "tbl"):
            yield child
        elif child.tag in (W + "sdt", W + "customXml"):
            content = child.find(W + "sdtContent") if child.tag == W + "sdt" else child
            if content is not None:
                yield from _iter_body(content)


def _tc_text(tc: Element) -> str:
    paras: list[str] = []
    for el in _iter_body(tc):
        if el.tag == W + "p":
            paras.append(_para_text(el))
        else:  # a nested table: keep its text, row by row
            for tr in el.iter(W + "tr"):
                paras.append(" ".join(_para_text(p) for p in tr.iter(W + "p")))
    return "\n".join(paras)


_TR, _TC, _TRPR, _TCPR = W + "tr", W + "tc", W + "trPr", W + "tcPr"
_GRID_BEFORE, _GRID_SPAN, _VMERGE, _HMERGE, _VAL = (W + "gridBefore", W + "gridSpan", W + "vMerge", W + "hMerge",
                                                      W + "val")


def _props(el: Element | None) -> dict[str, Element]:
    """An element's property children by tag (one pass, instead of a find() per property)."""
    return {} if el is None else {c.tag: c for c in el}


def _int(el: Element | None, default: int) -> int:
    if el is None:
        return default
    try:
        return int(el.get(_VAL, default))
    except (TypeError, ValueError):
        return default


def _read_docx_table(tbl: Element) -> list[list[Cell]]:
    rows: list[list[Cell]] = []
    for r_idx, tr in enumerate(tbl.iterchildren(_TR)):
        if r_idx >= MAX_ROWS:
            raise ImportFailure(f"表格超过 {MAX_ROWS} 行，超出可读范围：请确认文件是否正确。")
        row: list[Cell] = []
        trpr = _props(next(tr.iterchildren(_TRPR), None))
        for _ in range(max(0, min(_int(trpr.get(_GRID_BEFORE), 0), 64))):
            row.append(Cell("", r_idx, len(row)))
        for tc in tr.iterchildren(_TC):
            pr = _props(next(tc.iterchildren(_TCPR), None))
            span = max(1, min(_int(pr.get(_GRID_SPAN), 1), 64))
            vmerge_el, hmerge_el = pr.get(_VMERGE), pr.get(_HMERGE)
            col = len(row)
            cell: Cell | None = None
            if vmerge_el is not None and vmerge_el.get(_VAL, "continue") != "restart" and rows:
                above = rows[-1]
                if col < len(above):
                    cell = above[col]
            if cell is None and hmerge_el is not None and hmerge_el.get(_VAL, "continue") != "restart" and row:
                cell = row[-1]
            if cell is None:
                cell = Cell(norm_cell_text(_tc_text(tc)), r_idx, col)
            row.extend([cell] * span)
        rows.append(row)
    return rows


def _safe_parser() -> _lxml.XMLParser:
    # lxml (C) is ~10x faster than defusedxml's pure-Python tree builder; these flags give the same safety.
    return _lxml.XMLParser(resolve_entities=False, load_dtd=False, no_network=True, dtd_validation=False,
                           huge_tree=False, remove_comments=True, remove_pis=True)


def read_docx(path: Path, *, document_xml: bytes | None = None) -> SourceDocument:
    """The body's paragraphs and tables. ``document_xml`` is word/document.xml when the caller has read it
    already (sniff's package check does), so it is not inflated twice."""
    try:
        if document_xml is None:
            with zipfile.ZipFile(path) as zf:
                info = zf.getinfo("word/document.xml")
                if info.file_size > MAX_XML_BYTES:
                    raise ImportFailure(f"“{path.name}”的正文过大，已拒绝读取：请确认文件来源。")
                document_xml = zf.read(info)
        data = document_xml
        if len(data) > MAX_XML_BYTES:
            raise ImportFailure(f"“{path.name}”的正文过大，已拒绝读取：请确认文件来源。")
        rows = data.count(b"<w:tr>") + data.count(b"<w:tr ")
        if rows > MAX_ROWS:  # counted on the bytes: refuse before building a tree of them
            raise ImportFailure(f"“{path.name}”的表格共有 {rows} 行，超出 {MAX_ROWS} 行的上限：请确认文件是否正确。")
        root = _lxml.fromstring(data, parser=_safe_parser())
    except ImportFailure:
        raise
    except (zipfile.BadZipFile, KeyError, OSError):
        raise ImportFailure(f"“{path.name}”已损坏或不完整，无法打开：请重新下载或重新保存后再导入。") from None
    except Exception as exc:  # XMLSyntaxError and the like: a broken or hostile document
        name = type(exc).__name__
        if name in ("DTDForbidden", "EntitiesForbidden", "ExternalReferenceForbidden"):
            raise ImportFailure(
                f"“{path.name}”含有不安全的 XML 内容（实体或外部引用），已拒绝读取：请确认文件来源。"
            ) from None
        raise ImportFailure(f"“{path.name}”的内容已损坏，无法解析：请用 Word 或 WPS 打开并另存后再导入。") from None
    body = root.find(W + "body")
    if body is None:
        raise ImportFailure(f"“{path.name}”没有正文内容：请确认文件是否正确。")
    doc = SourceDocument(kind="docx", paragraphs=[], tables=[])
    before: list[str] = []
    for el in _iter_body(body):
        if el.tag == W + "p":
            text = _para_text(el).replace("\u3000", " ").strip()
            if text:
                before.append(text)
                doc.paragraphs.append(text)
        else:
            doc.tables.append(Table(rows=_read_docx_table(el), paragraphs_before=list(before)))
            before = []
    doc.paragraphs_after = before
    return doc
