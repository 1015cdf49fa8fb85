"""PDF notices with a text layer (printed to PDF by Word/WPS/LibreOffice, or exported by an OA system).

pdfplumber opens the document once; each page is laid out once by pdfminer's interpreter — the layout that
pdfplumber's ``page.chars`` / ``page.lines`` / ``page.rects`` are made from, read here straight from its
objects (faster than building pdfplumber's dicts) through a device that bounds what one page may draw. A page
gives characters and ruling lines, and from them:

- tables: ruling lines that touch each other make a grid; two neighbouring grid cells with no line between
  them are one merged cell — one ``Cell`` object at every position it covers, as read_docx gives a merged
  cell. A table that runs on over the next page (same outer edges, nothing between but a page number or an
  附件 label) is one table: its column edges are the union over its pages, the header repeated at the top of
  each page is read once, and a row split by the page break (no 序号 on its continuation, and each column
  with text there had run on to the foot of the page before) is joined to its row, cell by cell.
- text: characters become lines. Inside a cell a line break is soft (the next line's first word would not
  have fitted — the words are joined) or hard (kept as "\n", like a second paragraph in a .docx cell, so the
  shared rules split units on it). Running text becomes paragraphs as read_docx gives them: a paragraph ends
  at a line that ends short of the right margin, before an indented line, at a change of font size or a wide
  gap; centred lines of one title stay one paragraph (a hand break kept as "\n"). Page numbers (— 2 —, - 3 -,
  第 2 页) and lines repeated in the top or bottom margin of several pages are dropped.

No space is put between two CJK characters (a PDF's gaps there are layout); a space between Latin words or
numbers is kept. A document without a text layer (a scan) goes to ocr.read_scanned_pdf.

Bounds (pdf_bounds.py; a hostile or broken file is refused with one Chinese line): MAX_PDF_PAGES pages,
checked before any page is read; every stream pdfminer inflates is cut at MAX_STREAM_BYTES (a decompression
bomb); one page's content at MAX_PAGE_CONTENT_BYTES and MAX_PAGE_NESTING, what it draws at MAX_PAGE_OBJECTS;
the whole document at MAX_DOC_CONTENT_BYTES and MAX_DOC_OBJECTS.

The reader's parts: pdf_bounds.py (the bounds and how pdfminer is held to them), pdf_pages.py (the pages
as pdfminer lays them out: characters, ruling lines, running lines, page numbers and running heads),
pdf_text.py (characters into lines, a cell's lines into its text), pdf_grid.py (ruling lines into tables,
over pages). This module opens the document, refuses what cannot be read, and assembles the pages' running
lines and tables into the paragraphs and tables of a SourceDocument.
"""

from __future__ import annotations

import logging
import re
import warnings
from collections import Counter
from pathlib import Path
from typing import Any

from .errors import ImportFailure
from .grid import SourceDocument, Table
from .pdf_bounds import TooLarge, install_bounds
from .pdf_grid import build_table, compatible, union_xs
from .pdf_pages import Page, drop_running_heads, read_pages
from .pdf_text import NO_START, SPACES, Line, latin_joins, need
from .progress import ImportCancelled, Progress

MIN_TEXT_CHARS = 20  # a page with fewer characters has no text layer; with none on any page the PDF is a scan
_ATTACHMENT_LABEL_RE = re.compile(r"^附件[0-9一二三四五六七八九十]*[：:]?$")


def _caused_by(exc: BaseException, kind: type[BaseException]) -> bool:
    seen: set[int] = set()
    stack: list[BaseException | None] = [exc]
    while stack:
        e = stack.pop()
        if e is None or id(e) in seen:
            continue
        seen.add(id(e))
        if isinstance(e, kind):
            return True
        stack.extend([e.__cause__, e.__context__])
        stack.extend(a for a in getattr(e, "args", ()) if isinstance(a, BaseException))
    return False


# ---------------------------------------------------------------- the document


def _open_failure(path: Path, exc: BaseException) -> ImportFailure:
    # deferred: pdfminer loads when a PDF is read (pdf_bounds)
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    if _caused_by(exc, PDFPasswordIncorrect):
        return ImportFailure(
            f"“{path.name}”是设置了打开密码的 PDF，无法读取：请用 PDF 阅读器输入密码打开，另存（或打印）为不带密码的 PDF 后再导入。",
            path=str(path))
    if _caused_by(exc, PDFEncryptionError):
        return ImportFailure(
            f"“{path.name}”是加密的 PDF，其加密方式无法读取：请用 PDF 阅读器打开，另存（或打印）为不加密的 PDF 后再导入。",
            path=str(path))
    if _caused_by(exc, TooLarge):
        return _too_large(path)
    if _caused_by(exc, MemoryError):
        return _too_large(path)
    return ImportFailure(
        f"“{path.name}”是 PDF 文件，但已损坏或不完整，无法读取：请重新下载，或用 PDF 阅读器打开后另存再导入。", path=str(path))


def _too_large(path: Path) -> ImportFailure:
    return ImportFailure(
        f"“{path.name}”中有内容解压后异常庞大（疑似“压缩炸弹”或已损坏的 PDF），已拒绝读取：请确认文件来源，或请发文单位重新提供。",
        path=str(path))


def read_pdf(path: Path, progress: Progress) -> SourceDocument:
    """Paragraphs and tables of a PDF with a text layer; a scan goes to ocr.read_scanned_pdf. Raises
    ImportFailure (one Chinese line) for an encrypted, broken, oversized or hostile PDF."""
    install_bounds()
    try:
        import pdfplumber  # deferred: it (and pdfminer under it) loads when a PDF is read, not at start
    except ImportError:  # pragma: no cover - a broken installation
        raise ImportFailure(f"“{path.name}”是 PDF 文件，但本程序缺少读取 PDF 的组件（pdfplumber）：请重新安装本程序。",
                            path=str(path)) from None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            pdf = pdfplumber.open(path)
        except Exception as exc:
            raise _open_failure(path, exc) from None
        try:
            pages = read_pages(pdf, path, progress)
        except (ImportFailure, ImportCancelled):
            raise
        except Exception as exc:  # pdfminer/pdfplumber on a broken or hostile file: one line, no traceback
            raise _open_failure(path, exc) from None
        finally:
            pdf.stream.close()  # (pdf.close() would first make a Page object for every page)
    if all(p.text_chars < MIN_TEXT_CHARS for p in pages):
        from .ocr import read_scanned_pdf  # deferred: the OCR reader loads only for a scan

        return read_scanned_pdf(path, progress)
    try:
        doc = _assemble(pages)
    except Exception:  # a layout this reader does not expect: one line for the clerk, the details in the log
        logging.getLogger("minsheng.importers").debug("PDF layout not understood: %s", path, exc_info=True)
        raise ImportFailure(
            f"“{path.name}”是 PDF 文件，但其版面无法解析：请用 Word 或 WPS 打开原文档另存为 .docx 后再导入。",
            path=str(path)) from None
    if not doc.tables and any(p.image_frac > 0.5 for p in pages):
        # No ruled table in the text, but pages that are pictures: a typed notice with its attachment scanned,
        # a table pasted as a picture, or a "searchable" scan whose invisible text has no ruling lines.
        from .ocr import read_scanned_pdf  # deferred: the OCR reader loads only for a scan

        return read_scanned_pdf(path, progress)
    return doc


class _Margins:
    __slots__ = ("left", "right")

    def __init__(self, left: float, right: float) -> None:
        self.left, self.right = left, right

    @property
    def centre(self) -> float:
        return (self.left + self.right) / 2


def _margins(pages: list[Page]) -> dict[int, _Margins]:
    """The text block's left and right edge for each page size (a landscape table page has its own)."""
    by_width: dict[int, list[Page]] = {}
    for p in pages:
        by_width.setdefault(round(p.width), []).append(p)
    out: dict[int, _Margins] = {}
    for width, group in by_width.items():
        lines = [ln for p in group for ln in p.lines]
        if not lines:
            out[width] = _Margins(width * 0.12, width * 0.88)
            continue
        x0s = Counter(round(ln.x0) for ln in lines)
        repeated = [x for x, n in x0s.items() if n >= 2]
        left = float(min(repeated)) if repeated else min(ln.x0 for ln in lines)
        left = min((ln.x0 for ln in lines if abs(ln.x0 - left) <= 1), default=left)
        # The right edge: the far end of the largest cluster of line ends (justified lines end together,
        # ragged ones close together; a line whose punctuation overhangs or that runs over stands alone).
        ends = sorted(ln.x1 for ln in lines if ln.text[-1] not in NO_START and ln.x1 > width / 2)
        clusters: list[list[float]] = []
        for x in ends:
            if clusters and x - clusters[-1][-1] <= 3.0:
                clusters[-1].append(x)
            else:
                clusters.append([x])
        best = max(clusters, key=len, default=[])
        if len(best) >= 2:
            right = best[-1]
        else:
            right = max(width - left, max((ln.x1 for ln in lines), default=width - left))
        out[width] = _Margins(left, right)
    return out


def _is_centred(ln: Line, m: _Margins) -> bool:
    return (abs((ln.x0 + ln.x1) / 2 - m.centre) <= max(0.5 * ln.size, 3.0)
            and ln.x0 > m.left + 0.25 * ln.size and ln.x1 < m.right - 0.25 * ln.size)


def _assemble(pages: list[Page]) -> SourceDocument:
    drop_running_heads(pages)
    margins = _margins(pages)
    page_margins = {p.index: margins[round(p.width)] for p in pages}
    # The document as a stream: running lines and tables (a table = its segments over consecutive pages).
    stream: list[Any] = []  # Line | list[Segment]
    for p in pages:
        items: list[tuple[float, int, Any]] = [(ln.top, 0, ln) for ln in p.lines]
        items += [(s.top, 1, s) for s in p.segments]
        items.sort(key=lambda t: (t[0], t[1]))
        for _, kind, item in items:
            if kind == 0:
                stream.append(item)
                continue
            k = len(stream) - 1
            while k >= 0 and isinstance(stream[k], Line) and \
                    _ATTACHMENT_LABEL_RE.match(SPACES.sub("", stream[k].text)):
                k -= 1
            if k >= 0 and isinstance(stream[k], list) and stream[k][-1].page == p.index - 1 \
                    and compatible(union_xs(stream[k]), item):
                stream[k].append(item)
                del stream[k + 1:]  # 附件 labels between the parts of one table
            else:
                stream.append([item])
    typical = _typical_gaps(stream, page_margins)
    doc = SourceDocument(kind="pdf", paragraphs=[], tables=[])
    before: list[str] = []
    para: list[str] = []
    prev: Line | None = None

    def flush() -> None:
        text = "".join(para).replace("\u3000", " ").strip()
        if text:
            before.append(text)
            doc.paragraphs.append(text)
        para.clear()

    for item in stream:
        if isinstance(item, list):
            flush()
            prev = None
            table = build_table(item)
            if isinstance(table, Table):
                table.paragraphs_before = list(before)
                doc.tables.append(table)
                before = []
            else:  # ruling lines that turned out to be one box: its text is running text
                before.extend(table)
                doc.paragraphs.extend(table)
            continue
        if prev is not None:
            sep = _line_join(prev, item, page_margins, typical)
            if sep is None:
                flush()
            else:
                para.append(sep)
        para.append(item.text)
        prev = item
    flush()
    doc.paragraphs_after = before
    return doc


def _soft_after(a: Line, b: Line, m: _Margins) -> bool:
    """Would ``b``'s first word have fitted at the end of ``a``? If not, ``a`` ended only because it was
    full."""
    return a.x1 + need(a, b) > m.right + 0.1


def _typical_gaps(stream: list[Any], page_margins: dict[int, _Margins]) -> dict[int, float]:
    """The gap between two lines of one paragraph, per font size: from pairs where the first line is full."""
    gaps: dict[int, list[float]] = {}
    for a, b in zip(stream, stream[1:]):
        if isinstance(a, Line) and isinstance(b, Line) and a.page == b.page and abs(a.size - b.size) < 0.5:
            m = page_margins[a.page]
            if _soft_after(a, b, m) and abs(b.x0 - m.left) <= 0.5 * b.size:
                gaps.setdefault(round(a.size), []).append(b.top - a.bottom)
    return {k: sorted(v)[len(v) // 2] for k, v in gaps.items()}


def _line_join(a: Line, b: Line, page_margins: dict[int, _Margins],
               typical: dict[int, float]) -> str | None:
    """How line ``b`` follows line ``a``: "" or " " (the same paragraph, wrapped), "\\n" (the same centred
    title, broken by hand), None (a new paragraph)."""
    size = max(a.size, b.size)
    if abs(a.size - b.size) > 0.15 * size:
        return None
    if a.page == b.page:
        gap = b.top - a.bottom
        t = typical.get(round(a.size))
        limit = t + 0.5 * size if t is not None else 1.0 * size
        if gap > limit or gap < -0.5 * size:
            return None
    ma, mb = page_margins[a.page], page_margins[b.page]
    if _is_centred(a, ma) and _is_centred(b, mb):
        if a.width + need(a, b) > (ma.right - ma.left) + 0.1:
            return " " if latin_joins(a.text, b.text) else ""
        return "\n"
    if abs(b.x0 - mb.left) > 0.5 * b.size:
        return None  # an indented line starts a paragraph
    if _soft_after(a, b, ma):
        return " " if latin_joins(a.text, b.text) else ""
    return None
