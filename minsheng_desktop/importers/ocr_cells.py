"""A table fragment read on one page → rows of ``Cell`` (a merged cell repeated at each position, as
grid.read_docx does). In a cell, a line that wrapped by itself is joined on, and a line the writer broke stays
broken ("\\n"), as the .docx has them; how each cell's text ended is kept to join a row split by a page break.

NumPy is imported inside the functions: only reading a scan loads it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .grid import Cell
from .ocr_lines import Line
from .ocr_page import Fragment
from .ocr_text import quotes


def _scale_box(box: tuple[int, int, int, int], k: float) -> tuple[int, int, int, int]:
    return tuple(int(round(v * k)) for v in box)  # type: ignore[return-value]


@dataclass
class Wrap:
    """How a cell's text ended on its page: to join a row split by a page break as its lines wrap."""

    last_width: float
    avail: float
    em: float


def fragment_cells(frag: Fragment, page_no: int, k: float,
                    wraps: dict[int, Wrap]) -> list[list[Cell]]:
    grid: list[list[Cell | None]] = [[None] * frag.cols for _ in range(frag.rows)]
    em, pad = _text_metrics([ln for cr in frag.cells for ln in cr.lines if ln.text],
                            [cr.box for cr in frag.cells for ln in cr.lines if ln.text])
    for cr in frag.cells:
        lines = [ln for ln in cr.lines if ln.text]
        avail = cr.box[2] - cr.box[0] - 2 * pad
        text = quotes(_cell_text(lines, avail, em))
        conf = round(min((ln.score for ln in lines), default=1.0), 3) if lines else (
            1.0 if not cr.lines else round(min(ln.score for ln in cr.lines), 3))
        cell = Cell(text, cr.r0, cr.c0, confidence=conf, page=page_no, box=_scale_box(cr.box, k))
        if lines:
            wraps[id(cell)] = Wrap(lines[-1].box[2] - lines[-1].box[0], avail, em)
        for r in range(cr.r0, cr.r1 + 1):
            for c in range(cr.c0, cr.c1 + 1):
                grid[r][c] = cell
    return [[c if c is not None else Cell("", r, j, 1.0, page_no) for j, c in enumerate(row)]
            for r, row in enumerate(grid)]


_LATIN_END = re.compile(r"[A-Za-z]$")
_LATIN_START = re.compile(r"[A-Za-z0-9]")
_LEADING_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9.%‰/-]*")
_CLOSING = set("）)]】〕》」』”’，。、；：！？…%")
_HALF_CLOSING = set(")]%")
_CJK_RE = re.compile(r"[\u4e00-\u9fff]")


def _text_metrics(lines: list[Line], boxes: list[tuple[int, int, int, int]]) -> tuple[float, float]:
    """The em (a Chinese character's advance) and a cell's inner margin, measured on a table's lines."""
    import numpy as np  # deferred: see the module's docstring

    ems = [(ln.box[2] - ln.box[0]) / len(ln.text) for ln in lines
           if len(ln.text) >= 3 and len(_CJK_RE.findall(ln.text)) >= len(ln.text) * 0.7]
    heights = [ln.box[3] - ln.box[1] for ln in lines]
    em = float(np.median(ems)) if ems else float(np.median(heights)) * 1.05 if heights else 20.0
    gaps = [ln.box[0] - b[0] for ln, b in zip(lines, boxes)]
    pad = float(np.percentile(gaps, 10)) if gaps else em * 0.3
    return em, max(0.0, min(pad, em * 1.5))


def _cell_text(lines: list[Line], avail: float, em: float) -> str:
    """A cell's lines top to bottom. Where the first character of a line (a Latin word, a character that
    takes the closing mark after it along) would not have fitted at the end of the line before, the line
    wrapped by itself and is joined on, as the document has no break there; otherwise the writer broke the
    line ("\n", as a line break in a Word cell reads)."""
    out = ""
    for i, ln in enumerate(lines):
        if i == 0:
            out = ln.text
            continue
        prev = lines[i - 1]
        out = join_wrapped(out, ln.text, would_wrap(prev.box[2] - prev.box[0], ln.text, avail, em))
    return out


def would_wrap(width: float, next_text: str, avail: float, em: float) -> bool:
    """Would the start of ``next_text`` have overflowed a line ``width`` wide (so the line wrapped there)?"""
    need = em
    word = _LEADING_WORD.match(next_text)
    if word:
        need = max(em * 0.5, len(word.group(0)) * em * 0.55)
    if len(next_text) > 1 and next_text[1] in _CLOSING:
        need += em * (0.5 if next_text[1] in _HALF_CLOSING else 1.0)
    return width + need > avail - em * 0.3


def join_wrapped(text: str, more: str, wrapped: bool) -> str:
    if not text:
        return more
    if not wrapped:
        return f"{text}\n{more}"
    sep = " " if _LATIN_END.search(text) and _LATIN_START.match(more) else ""
    return text + sep + more
