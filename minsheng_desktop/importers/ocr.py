"""Scans and photos: page images → paragraphs and grids of cells, through RapidOCR (PP-OCR models inside the
rapidocr wheel, given by path and run by onnxruntime; nothing is downloaded at run time).

Per page: a photographed sheet is found on its background and warped flat (a scan is its sheet already); the
page is evened out (divided by its blurred paper, which takes shadows away) and read in each pixel's lightest
channel, lighter still by its colour (a red seal fades, black text under it stays); it is deskewed (the angle
at which the rows of ink line up best). Ruling lines are found by morphology and kept where they reach across
their perpendiculars; a table's grid is their positions, and grid positions with no line between them are one
merged cell — one ``Cell`` repeated at each position, as grid.read_docx does (where a seal hides a boundary,
the line is judged on what can be seen). Text lines are cut by the ink's row profile, inside each cell on its
own and in the rest of the page, and recognised in batches by the recognition model alone: detection is not
needed on a clean, deskewed page, and skipping it is most of the speed. A page that reads as if turned is read
again turned a quarter either way or upside down.

Lines outside tables become paragraphs (indents, short last lines and gaps; centred title lines kept
together; a paragraph running over a page break joined). In a cell, a line that wrapped by itself is joined
on, and a line the writer broke stays broken ("\n"), as the .docx has them. A table that continues on the next
page is joined to the one before: its column lines united (a page may split a column the other does not), the
header repeated at the top dropped, and a first row without 序号 appended to the row it continues.

Only what is about OCR itself is corrected (ocr_text.py): half-width ，；：（） the recogniser emits next to
Chinese text become full-width, as official documents write them; spaces it puts around Chinese characters
are dropped; full-width digits and letters become ASCII; straight double quotes become “”. Interpreting the
text is reader.parse_source's job.

This module holds the entry points (read_images, read_scanned_pdf); the work is in
  ocr_sources     image files and PDF pages to read, checked before any is decoded
  ocr_image       flattening a photo, evening out, binary ink, deskewing
  ocr_grid        ruling lines and a table's grid, merged cells
  ocr_lines       text lines cut by the ink's row profile, each line's crop
  ocr_engine      the RapidOCR engine and batched recognition
  ocr_text        the clean-up of a recognised line
  ocr_page        one page read (turned if it reads as turned), its preview image
  ocr_paragraphs  lines outside tables → paragraphs
  ocr_cells       a table fragment → rows of cells, wrapped lines joined
  ocr_document    the pages assembled, tables joined over page breaks
NumPy, OpenCV, Pillow, pypdfium2, rapidocr and onnxruntime are imported inside the functions that use them:
the window and the command line do not load them until a scan is read.
"""

from __future__ import annotations

from pathlib import Path

from .errors import ImportFailure
from .grid import SourceDocument
from .ocr_document import assemble
from .ocr_page import PageRead, read_page
from .ocr_sources import PageSource, open_images, open_pdf_pages
from .progress import Progress

# ---------------------------------------------------------------- entry points


def _read_pages(sources: list[PageSource], progress: Progress, name: str, path: Path) -> SourceDocument:
    n = len(sources)
    pages: list[PageRead] = []
    for i, src in enumerate(sources, start=1):
        progress.step(i, n, f"正在识别第 {i}/{n} 页")
        bgr = src.load()
        try:
            pages.append(read_page(bgr, progress))
        except MemoryError:
            raise ImportFailure(f"“{name}”{src.label}太大，内存不足，无法识别：请降低扫描分辨率后再导入。",
                                path=str(path)) from None
        del bgr
    doc = assemble(pages)
    if not doc.paragraphs and not any(c.text for t in doc.tables for row in t.rows for c in row):
        raise ImportFailure(f"“{name}”中没有识别到文字：请确认选择的是通知或目标任务表的扫描件或照片，"
                            "且页面清晰、光线均匀。", path=str(path))
    return doc


def read_images(paths: list[Path], progress: Progress) -> SourceDocument:
    """Page images (one file, several, or a folder's photos in file-name order) → paragraphs and tables."""
    paths = [Path(p) for p in paths]
    sources = open_images(paths)
    name = paths[0].name if len(paths) == 1 else f"{paths[0].parent.name or paths[0].name}（{len(paths)} 张图片）"
    return _read_pages(sources, progress, name, paths[0])


def read_scanned_pdf(path: Path, progress: Progress) -> SourceDocument:
    """A PDF of page images (no text layer): each page rendered at its scan's resolution, then as images."""
    path = Path(path)
    pdf, sources = open_pdf_pages(path)
    try:
        return _read_pages(sources, progress, path.name, path)
    finally:
        pdf.close()
