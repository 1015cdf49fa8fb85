"""A PDF's pages as pdfminer lays them out: each page's characters, the ruling lines and the tables they
make (pdf_grid), its running text as lines (pdf_text) and how much of it is pictures; page numbers, and
lines repeated in the top or bottom margin of several pages, dropped. Reading is bounded (pdf_bounds): the
page count before any page is read, then each page's content and what it draws, and the document's total.

pdfminer is imported inside the functions that use it, so that it loads when a PDF is read, not when the
program starts.
"""

from __future__ import annotations

import itertools
import re
from pathlib import Path
from typing import Any

from .errors import ImportFailure
from .pdf_bounds import (
    MAX_DOC_CONTENT_BYTES, MAX_DOC_OBJECTS, MAX_PAGE_OBJECTS, MAX_PDF_PAGES, TooLarge, content_size,
    device_class,
)
from .pdf_grid import Segment, find_segments
from .pdf_text import SPACES, Char, Line, make_lines
from .progress import Progress

_MIN_SEG = 1.5  # shorter strokes are dots, not ruling lines
_PAGE_NO_RE = re.compile(
    r"^(?:[-—–－─~～]*\d{1,4}[-—–－─~～]*|第\d{1,4}页(?:[,，/]?共\d{1,4}页)?|共\d{1,4}页[,，]?第\d{1,4}页"
    r"|\d{1,4}/\d{1,4}|[Pp]age\d{1,4}(?:of\d{1,4})?)$"
)


class Page:
    __slots__ = ("index", "width", "height", "lines", "segments", "text_chars", "image_frac")

    def __init__(self, index: int, width: float, height: float) -> None:
        self.index, self.width, self.height = index, width, height
        self.lines: list[Line] = []
        self.segments: list[Segment] = []
        self.text_chars = 0
        self.image_frac = 0.0


def _read_page(pdf: Any, page_obj: Any, index: int, device_cls: type, budget: list[int]) -> Page:
    """One page's characters, ruling lines and the tables they make. ``budget`` is what the document may
    still spend: [content bytes, drawn objects]."""
    from pdfminer.layout import LTChar, LTContainer, LTCurve, LTImage  # deferred: see the module's docstring
    from pdfminer.pdfinterp import PDFPageInterpreter  # deferred: see the module's docstring

    budget[0] -= content_size(page_obj)
    if budget[0] < 0:
        raise TooLarge()
    device = device_cls(pdf.rsrcmgr, pageno=index + 1, laparams=None)
    device.limit = min(MAX_PAGE_OBJECTS, budget[1])
    PDFPageInterpreter(pdf.rsrcmgr, device).process_page(page_obj)
    budget[1] -= device.count
    layout = device.get_result()
    px0, py1 = layout.x0, layout.y1
    page = Page(index, layout.width, layout.height)
    chars: list[Char] = []
    hsegs: list[tuple[float, float, float]] = []
    vsegs: list[tuple[float, float, float]] = []
    image_area = 0.0
    stack = list(reversed(layout._objs))
    while stack:
        o = stack.pop()
        if isinstance(o, LTChar):
            t = o.get_text()
            if not t or t.startswith("(cid:"):
                continue
            chars.append((o.x0 - px0, o.x1 - px0, py1 - o.y1, py1 - o.y0, o.size, t))
        elif isinstance(o, LTCurve):
            x0, y0, x1, y1 = o.x0 - px0, py1 - o.y1, o.x1 - px0, py1 - o.y0  # y0/y1 now top/bottom
            w, h = x1 - x0, y1 - y0
            if h <= 2.0 and w > _MIN_SEG:
                hsegs.append(((y0 + y1) / 2, x0, x1))
            elif w <= 2.0 and h > _MIN_SEG:
                vsegs.append(((x0 + x1) / 2, y0, y1))
            elif o.stroke and w > 2.0 and h > 2.0:
                pts = [(x - px0, py1 - y) for x, y in o.pts]
                if len(pts) == 4 or getattr(o, "original_path", None) and o.original_path[-1][0] == "h":
                    pts.append(pts[0])
                for (ax, ay), (bx, by) in zip(pts, pts[1:]):
                    if abs(ay - by) <= 1.0 and abs(ax - bx) > _MIN_SEG:
                        hsegs.append(((ay + by) / 2, min(ax, bx), max(ax, bx)))
                    elif abs(ax - bx) <= 1.0 and abs(ay - by) > _MIN_SEG:
                        vsegs.append(((ax + bx) / 2, min(ay, by), max(ay, by)))
        elif isinstance(o, LTImage):
            image_area += max(0.0, o.width) * max(0.0, o.height)
        elif isinstance(o, LTContainer):
            stack.extend(reversed(o._objs))
    page.text_chars = sum(1 for ch in chars if not ch[5].isspace())
    area = page.width * page.height
    page.image_frac = min(1.0, image_area / area) if area > 0 else 0.0
    segments = find_segments(index, hsegs, vsegs)
    running: list[Char] = []
    if segments:
        for ch in chars:
            cx, cy = (ch[0] + ch[1]) / 2, (ch[2] + ch[3]) / 2
            for seg in segments:
                if seg.x0 - 1 <= cx <= seg.x1 + 1 and seg.top - 1 <= cy <= seg.bottom + 1:
                    seg.chars.append(ch)
                    break
            else:
                running.append(ch)
    else:
        running = chars
    page.segments = segments
    lines = make_lines(running, index)
    page.lines = [ln for ln in lines if not _is_page_number(ln, page)]
    return page


def _in_margin(line: Line, page: Page, share: float) -> bool:
    return line.top < page.height * share or line.bottom > page.height * (1 - share)


def _is_page_number(line: Line, page: Page) -> bool:
    return _in_margin(line, page, 0.12) and bool(_PAGE_NO_RE.match(SPACES.sub("", line.text)))


def drop_running_heads(pages: list[Page]) -> None:
    """Lines printed in the top or bottom margin of two or more pages (a running header or footer, say the
    issuer's name or "第 3 页 共 8 页"): not the notice's text."""
    def key(ln: Line) -> str:
        return re.sub(r"\d+", "#", SPACES.sub("", ln.text))

    seen: dict[str, set[int]] = {}
    for p in pages:
        for ln in p.lines:
            if _in_margin(ln, p, 0.08):
                seen.setdefault(key(ln), set()).add(p.index)
    repeated = {k for k, on in seen.items() if len(on) >= 2}
    if repeated:
        for p in pages:
            p.lines = [ln for ln in p.lines if not (_in_margin(ln, p, 0.08) and key(ln) in repeated)]


def read_pages(pdf: Any, path: Path, progress: Progress) -> list[Page]:
    from pdfminer.pdfpage import PDFPage  # deferred: see the module's docstring
    from pdfminer.pdftypes import resolve1  # deferred: see the module's docstring

    count = None
    try:
        tree = resolve1(pdf.doc.catalog.get("Pages"))
        count = resolve1(tree.get("Count")) if isinstance(tree, dict) else None
    except Exception:
        count = None
    if isinstance(count, int) and count > MAX_PDF_PAGES:
        raise _too_many_pages(path, count)
    page_objs = list(itertools.islice(PDFPage.create_pages(pdf.doc), MAX_PDF_PAGES + 1))
    if len(page_objs) > MAX_PDF_PAGES:
        raise _too_many_pages(path, None)
    if not page_objs:
        raise ImportFailure(f"“{path.name}”是 PDF 文件，但其中没有任何页面：请确认文件是否完整。", path=str(path))
    total = len(page_objs)
    device_cls = device_class()
    budget = [MAX_DOC_CONTENT_BYTES, MAX_DOC_OBJECTS]
    pages: list[Page] = []
    for i, page_obj in enumerate(page_objs):
        progress.step(i + 1, total, f"正在读取第 {i + 1}/{total} 页")
        try:
            pages.append(_read_page(pdf, page_obj, i, device_cls, budget))
        except TooLarge:
            raise ImportFailure(
                f"“{path.name}”第 {i + 1} 页的内容异常庞大（解压后过大或绘制的对象过多），已拒绝读取："
                "请确认文件来源，或请发文单位重新提供。", path=str(path)) from None
    return pages


def _too_many_pages(path: Path, count: int | None) -> ImportFailure:
    n = f"共 {count} 页，" if count else ""
    return ImportFailure(
        f"“{path.name}”{n}超过 {MAX_PDF_PAGES} 页的上限，已拒绝读取：民生实事通知连同附件通常只有几页，请确认选择的文件。",
        path=str(path))
