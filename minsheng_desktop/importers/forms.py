"""The forms a notice arrives in, and how each becomes a SourceDocument — the one table of them.

A new form adds a row here and a module that turns the file into paragraphs and grids of cells; nothing
else. Interpreting the grid (header words, sections, sub-projects, the notice's facts, indicators) is
reader.parse_source, the same for every form.

| form   | files                                  | module        | how                                           |
|--------|----------------------------------------|---------------|-----------------------------------------------|
| docx   | .docx (Word, WPS)                      | grid.py       | lxml over word/document.xml                   |
| xlsx   | .xlsx (Excel, WPS)                     | xlsx.py       | streaming lxml reader                         |
| ole    | .xls/.et, .doc/.wps (old binary files) | legacy.py     | python-calamine; LibreOffice converts .doc    |
| pdf    | .pdf with a text layer                 | pdf.py        | pdfplumber: words and ruling lines            |
| pdf    | .pdf of images only (a scan)           | ocr.py        | pypdfium2 renders, OpenCV finds the grid,     |
| image  | .jpg/.png/.tif/.bmp (photos, scans)    | ocr.py        | RapidOCR reads each cell                      |
| html   | .html/.htm (a saved web page)          | html.py       | lxml.html                                     |
| mhtml  | .mht/.mhtml (网页，单个文件)            | html.py       | the email package unpacks it, then as html    |
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from pathlib import Path

from .errors import ImportFailure
from .grid import SourceDocument, read_docx
from .progress import NO_PROGRESS, Progress
from .sniff import check_package, identify
from .xlsx import read_xlsx

IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".tif", ".tiff", ".bmp")
# What the window's file dialog offers (and drag and drop accepts).
DIALOG_FILTER = ("通知或目标任务表 (*.docx *.xlsx *.xls *.et *.doc *.wps *.pdf *.html *.htm *.mht *.mhtml "
                 "*.jpg *.jpeg *.png *.tif *.tiff *.bmp);;所有文件 (*)")
ACCEPTED_SUFFIXES = (".docx", ".xlsx", ".xls", ".et", ".doc", ".wps", ".pdf", ".html", ".htm", ".mht", ".mhtml",
                     *IMAGE_SUFFIXES)


def expand_paths(paths: str | os.PathLike[str] | Sequence[str | os.PathLike[str]]) -> list[Path]:
    """One file; or a folder of page photos / several image files, read together in file-name order."""
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    out: list[Path] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            pages = sorted((c for c in p.iterdir() if c.suffix.lower() in IMAGE_SUFFIXES and c.is_file()),
                           key=lambda c: _natural_key(c.name))
            if not pages:
                raise ImportFailure(
                    f"文件夹“{p.name}”中没有图片（.jpg/.png）：请选择通知文件，或放有通知各页照片的文件夹。", path=str(p))
            out.extend(pages)
        else:
            out.append(p)
    if not out:
        raise ImportFailure("没有选择文件：请选择通知或目标任务表。")
    return out


def _natural_key(name: str) -> list[object]:
    return [int(t) if t.isdigit() else t.lower() for t in re.split(r"(\d+)", name)]


def read_source(paths: str | os.PathLike[str] | Sequence[str | os.PathLike[str]],
                progress: Progress = NO_PROGRESS) -> SourceDocument:
    """Read a notice in whatever form it came into paragraphs and grids. Raises ImportFailure."""
    files = expand_paths(paths)
    if len(files) > 1:
        forms = [identify(f) for f in files]
        if any(form != "image" for form in forms):
            raise ImportFailure("一次只能导入一个文件；只有通知各页的照片或扫描图片可以一起选择。")
        from .ocr import read_images  # deferred: each form loads only its own reader

        return read_images(files, progress)
    p = files[0]
    form = identify(p)
    if form == "docx":
        _, document_xml = check_package(p)
        return read_docx(p, document_xml=document_xml)
    if form == "xlsx":
        return read_xlsx(p)
    if form == "ole":
        from .legacy import read_ole  # deferred: each form loads only its own reader

        return read_ole(p, progress)
    if form == "pdf":
        from .pdf import read_pdf  # deferred: each form loads only its own reader

        return read_pdf(p, progress)
    if form == "image":
        from .ocr import read_images  # deferred: each form loads only its own reader

        return read_images([p], progress)
    if form in ("html", "mhtml"):
        from .html import read_html  # deferred: each form loads only its own reader

        return read_html(p, progress)
    raise ImportFailure(f"“{p.name}”的格式无法识别：请确认选择的文件。", path=str(p))  # pragma: no cover
