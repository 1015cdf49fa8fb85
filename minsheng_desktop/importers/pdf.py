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

Bounds (a hostile or broken file is refused with one Chinese line): MAX_PDF_PAGES pages, checked before any
page is read; every stream pdfminer inflates is cut at MAX_STREAM_BYTES (a decompression bomb); one page's
content at MAX_PAGE_CONTENT_BYTES and MAX_PAGE_NESTING, what it draws at MAX_PAGE_OBJECTS; the whole document
at MAX_DOC_CONTENT_BYTES and MAX_DOC_OBJECTS.
"""

from __future__ import annotations

import bisect
import logging
import re
import threading
import warnings
import zlib
from collections import Counter
from pathlib import Path
from typing import Any

from .errors import ImportFailure
from .grid import MAX_PAGES, Cell, SourceDocument, Table, merged_areas
from .progress import Progress

MAX_PDF_PAGES = MAX_PAGES  # refused before any page is read
MAX_STREAM_BYTES = 64 * 1024 * 1024  # one inflated stream (content, font, object stream)
MAX_PAGE_CONTENT_BYTES = 2 * 1024 * 1024  # one page's content streams and the forms it draws (a page: ~20 KB)
MAX_DOC_CONTENT_BYTES = 32 * 1024 * 1024  # all pages' content together
MAX_PAGE_NESTING = 100_000  # arrays/dictionaries opened in one page's content (pdfminer keeps each open one)
MAX_PAGE_OBJECTS = 30_000  # characters + paths + images + forms drawn on one page (a dense page has ~5,000)
MAX_DOC_OBJECTS = 400_000  # the same over the whole document
MIN_TEXT_CHARS = 20  # a page with fewer characters has no text layer; with none on any page the PDF is a scan

_TOL = 2.5  # ruling lines closer than this (pt) are one line
_MIN_SEG = 1.5  # shorter strokes are dots, not ruling lines
_MAX_LINES = 2_000  # ruling lines on one page beyond which it is a drawing, not a table
_MAX_GRID = 50_000  # grid positions of one table on one page (a dense table page has ~2,000)


class _TooLarge(Exception):
    """A stream or a page beyond the bounds: a decompression bomb or a hostile file."""


# ---------------------------------------------------------------- bounded inflation inside pdfminer


_bound = threading.local()  # a tighter bound while a page's content streams are inflated


def _limit() -> int:
    return getattr(_bound, "limit", MAX_STREAM_BYTES)


class _BoundedInflater:
    def __init__(self, obj: Any) -> None:
        self._obj = obj
        self._out = 0

    def decompress(self, data: bytes, max_length: int = 0) -> bytes:
        out = self._obj.decompress(data, max_length) if max_length else self._obj.decompress(data)
        self._out += len(out)
        if self._out > _limit():
            raise _TooLarge()
        return out

    def __getattr__(self, name: str) -> Any:
        return getattr(self._obj, name)


class _BoundedZlib:
    """Stands in for the zlib module inside pdfminer.pdftypes: the same answers, but no stream may inflate
    beyond MAX_STREAM_BYTES (zlib.decompress would build all of a 200 MB bomb before anyone could look)."""

    error = zlib.error
    MAX_WBITS = zlib.MAX_WBITS

    @staticmethod
    def decompress(data: bytes, *args: Any, **kwargs: Any) -> bytes:
        d = zlib.decompressobj(*args[:1], **kwargs)  # wbits, as zlib.decompress(data, wbits, bufsize)
        limit = _limit()
        out = d.decompress(data, limit + 1)
        if len(out) > limit:
            raise _TooLarge()
        if not d.eof:
            raise zlib.error("Error -5 while decompressing data: incomplete or truncated stream")
        return out

    @staticmethod
    def decompressobj(*args: Any, **kwargs: Any) -> _BoundedInflater:
        return _BoundedInflater(zlib.decompressobj(*args, **kwargs))

    def __getattr__(self, name: str) -> Any:
        return getattr(zlib, name)


def _bounded_lzw(data: bytes) -> bytes:
    from io import BytesIO

    from pdfminer.lzw import LZWDecoder

    out = bytearray()
    limit = _limit()
    for chunk in LZWDecoder(BytesIO(data)).run():
        out += chunk
        if len(out) > limit:
            raise _TooLarge()
    return bytes(out)


def _bounded_rl(data: bytes) -> bytes:
    from pdfminer.runlength import rldecode

    limit = _limit()
    if len(data) * 64 > limit:  # run-length inflates at most 128 bytes for 2: count first
        size, i = 0, 0
        while i < len(data):
            n = data[i]
            if n == 128:
                break
            if n < 128:
                size, i = size + n + 1, i + n + 2
            else:
                size, i = size + 257 - n, i + 2
            if size > limit:
                raise _TooLarge()
    return rldecode(data)


_installed = False


def _install_bounds() -> None:
    """Bound every inflation pdfminer does (page contents, fonts, object and cross-reference streams).
    Installed once; under the bound it answers exactly as the functions it replaces."""
    global _installed
    if _installed:
        return
    import pdfminer.pdftypes as pdftypes

    pdftypes.zlib = _BoundedZlib()  # type: ignore[assignment]
    pdftypes.lzwdecode = _bounded_lzw  # type: ignore[assignment]
    pdftypes.rldecode = _bounded_rl  # type: ignore[assignment]
    # pdfminer reports repairs of broken files on the logging root; the clerk sees one line or nothing.
    logging.getLogger("pdfminer").setLevel(logging.CRITICAL)
    logging.getLogger("pdfplumber").setLevel(logging.CRITICAL)
    _installed = True


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


# ---------------------------------------------------------------- characters and lines

_CJK_RE = re.compile(r"[\u2e80-\uffff\u2010-\u2027\u00b7]")
_NO_START = set("，。、；：？！）》」』】〕〉”’…·%‰,.;:?!)]}>℃ー～—-ぁぃぅぇぉっゃゅょァィゥェォッャュョ")
_OPENING = set("（《「『【〔〈“‘([{<")
_PAGE_NO_RE = re.compile(
    r"^(?:[-—–－─~～]*\d{1,4}[-—–－─~～]*|第\d{1,4}页(?:[,，/]?共\d{1,4}页)?|共\d{1,4}页[,，]?第\d{1,4}页"
    r"|\d{1,4}/\d{1,4}|[Pp]age\d{1,4}(?:of\d{1,4})?)$"
)
_ATTACHMENT_LABEL_RE = re.compile(r"^附件[0-9一二三四五六七八九十]*[：:]?$")
_SPACES = re.compile(r"\s+")

_Char = tuple  # (x0, x1, top, bottom, size, text)


def _wide(ch: str) -> bool:
    return bool(_CJK_RE.match(ch))


def _latin_joins(left: str, right: str) -> bool:
    """A soft line break between a Latin word and the next (clean_text's rule)."""
    return bool(left) and bool(right) and left[-1].isascii() and left[-1].isalpha() and right[0].isascii() \
        and right[0].isalnum()


class _Line:
    __slots__ = ("text", "x0", "x1", "top", "bottom", "size", "head", "page")

    def __init__(self, text: str, x0: float, x1: float, top: float, bottom: float, size: float, head: float,
                 page: int) -> None:
        self.text, self.x0, self.x1, self.top, self.bottom = text, x0, x1, top, bottom
        self.size, self.head, self.page = size, head, page

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"<{self.text!r} {self.x0:.1f}-{self.x1:.1f} @{self.top:.1f} {self.size:g}pt>"


_QUOTES = set("“”‘’\"'")


def _no_break(x: str, y: str, gap: float, size: float) -> bool:
    """May a line not break between characters ``x`` and ``y`` (line-breaking rules as office suites apply
    them: no closing mark at a line's start, no opening mark at its end, quotation marks bind to both sides,
    a Latin word or number stays whole)?"""
    if y[0] in _NO_START or x[-1] in _OPENING or x[-1] in _QUOTES or y[0] in _QUOTES:
        return True
    a, b = x[-1], y[0]
    if a.isascii() and b.isascii() and not a.isspace() and not b.isspace() and gap < 0.25 * size:
        return b not in "([{<" and a not in ")]}>"  # one Latin word, number, e-mail address
    # 。2023 / ，HPV: a Latin word right after closing punctuation travels with it (as LibreOffice breaks).
    return a in _NO_START and b.isascii() and b.isalnum() and gap < 0.1 * size


def _head_width(chs: list[_Char]) -> float:
    """Width of the line's first unbreakable unit: what would have had to fit at the end of the line
    before."""
    n = len(chs)
    i = 0
    while i + 1 < n and _no_break(chs[i][5], chs[i + 1][5], chs[i + 1][0] - chs[i][1], chs[i + 1][4]):
        i += 1
    return chs[i][1] - chs[0][0]


def _need(a: _Line, b: _Line) -> float:
    """Room ``b``'s first word needs at the end of ``a``: its width, and the quarter-em an office suite puts
    between CJK and Latin text (自动调整中文与西文的间距) when the two meet there."""
    x, y = a.text[-1], b.text[0]
    if (_wide(x) and y.isascii() and y.isalnum()) or (x.isascii() and x.isalnum() and _wide(y)):
        return b.head + 0.2 * b.size
    return b.head


def _make_lines(chars: list[_Char], page: int) -> list[_Line]:
    """Group characters into lines (by vertical overlap), each read left to right."""
    if not chars:
        return []
    chars.sort(key=lambda c: c[2])
    groups: list[list[Any]] = []  # [top, bottom, chars]
    for ch in chars:
        top, bottom = ch[2], ch[3]
        h = max(bottom - top, 0.1)
        for g in reversed(groups[-4:]):
            ov = min(g[1], bottom) - max(g[0], top)
            if ov >= 0.5 * min(h, max(g[1] - g[0], 0.1)):
                g[2].append(ch)
                if top < g[0]:
                    g[0] = top
                if bottom > g[1]:
                    g[1] = bottom
                break
        else:
            groups.append([top, bottom, [ch]])
    lines: list[_Line] = []
    for top, bottom, chs in groups:
        chs.sort(key=lambda c: c[0])
        kept: list[_Char] = []
        parts: list[str] = []
        space = False
        for ch in chs:
            t = ch[5]
            if t.isspace():
                space = bool(kept)
                continue
            if kept:
                prev = kept[-1]
                if t == prev[5] and abs(ch[0] - prev[0]) < 0.3 * ch[4]:
                    continue  # the same glyph printed again a hair to the side (fake bold)
                if (space or ch[0] - prev[1] > 0.2 * ch[4]) and not _wide(prev[5][-1]) and not _wide(t[0]):
                    parts.append(" ")
            parts.append(t)
            kept.append(ch)
            space = False
        if not kept:
            continue
        sizes = sorted(c[4] for c in kept)
        lines.append(_Line("".join(parts), kept[0][0], max(c[1] for c in kept), top, bottom,
                           sizes[len(sizes) // 2], _head_width(kept), page))
    lines.sort(key=lambda ln: ln.top)
    return lines


def _compose(lines: list[_Line], avail: float) -> str:
    """A cell's text: lines joined where the break was only wrapping, "\\n" where it was a break of its
    own."""
    if not lines:
        return ""
    parts = [lines[0].text]
    for a, b in zip(lines, lines[1:]):
        if a.width + _need(a, b) > avail + 0.1:
            parts.append(" " if _latin_joins(a.text, b.text) else "")
        else:
            parts.append("\n")
        parts.append(b.text)
    text = "".join(parts).replace("\u3000", " ").strip()
    return text


# ---------------------------------------------------------------- ruling lines and grids


def _cluster(segs: list[tuple[float, float, float]]) -> list[tuple[float, list[list[float]]]]:
    """Segments (pos, a, b) → lines: positions within _TOL merged, intervals along them joined."""
    out: list[tuple[float, list[list[float]]]] = []
    if not segs:
        return out
    segs.sort()
    group = [segs[0]]
    for s in segs[1:]:
        if s[0] - group[-1][0] <= _TOL:
            group.append(s)
        else:
            out.append(_merge_group(group))
            group = [s]
    out.append(_merge_group(group))
    return out


def _merge_group(group: list[tuple[float, float, float]]) -> tuple[float, list[list[float]]]:
    pos = sum(s[0] for s in group) / len(group)
    ivs: list[list[float]] = []
    for _, a, b in sorted(group, key=lambda s: s[1]):
        if ivs and a <= ivs[-1][1] + _TOL:
            if b > ivs[-1][1]:
                ivs[-1][1] = b
        else:
            ivs.append([a, b])
    return pos, ivs


def _covered(ivs: list[list[float]], a: float, b: float) -> bool:
    if b - a <= 0:
        return True
    got = 0.0
    for lo, hi in ivs:
        if hi <= a or lo >= b:
            continue
        got += min(hi, b) - max(lo, a)
    return got >= 0.5 * (b - a)


class _Region:
    """One cell of a page's grid (merged grid positions share one)."""

    __slots__ = ("x0", "x1", "top", "bottom", "r0", "r1", "chars", "lines", "text", "width")

    def __init__(self, x0: float, x1: float, top: float, bottom: float, r0: int, r1: int) -> None:
        self.x0, self.x1, self.top, self.bottom, self.r0, self.r1 = x0, x1, top, bottom, r0, r1
        self.chars: list[_Char] = []
        self.lines: list[_Line] = []
        self.text = ""
        self.width = x1 - x0


class _Segment:
    """The part of one table drawn on one page."""

    def __init__(self, page: int, hl: list[tuple[float, list[list[float]]]],
                 vl: list[tuple[float, list[list[float]]]]) -> None:
        self.page = page
        self.hl = sorted(hl)
        self.vl = sorted(vl)
        xs = [p for p, _ in self.vl]
        ys = [p for p, _ in self.hl]
        # Open sides: rows may run past the outermost vertical line, columns past the outermost horizontal.
        h_lo = min(iv[0] for _, ivs in self.hl for iv in ivs)
        h_hi = max(iv[1] for _, ivs in self.hl for iv in ivs)
        v_lo = min(iv[0] for _, ivs in self.vl for iv in ivs)
        v_hi = max(iv[1] for _, ivs in self.vl for iv in ivs)
        if h_lo < xs[0] - _TOL * 2:
            xs.insert(0, h_lo)
        if h_hi > xs[-1] + _TOL * 2:
            xs.append(h_hi)
        if v_lo < ys[0] - _TOL * 2:
            ys.insert(0, v_lo)
        if v_hi > ys[-1] + _TOL * 2:
            ys.append(v_hi)
        self.xs = _no_slivers(xs, 4.0)
        self.ys = ys = _no_slivers(ys, 3.0)
        self.x0, self.x1, self.top, self.bottom = self.xs[0], self.xs[-1], ys[0], ys[-1]
        self.chars: list[_Char] = []
        self.rows: list[list[_Region]] = []

    def _line_at(self, lines: list[tuple[float, list[list[float]]]], pos: float) -> list[list[float]]:
        for p, ivs in lines:
            if abs(p - pos) <= _TOL:
                return ivs
        return []

    def build(self, xs: list[float], page_no: int) -> None:
        """The grid on the table's column edges ``xs``; merged cells found by the lines that are missing."""
        ys = self.ys
        n_r, n_c = len(ys) - 1, len(xs) - 1
        vertical = [self._line_at(self.vl, x) for x in xs]
        horizontal = [self._line_at(self.hl, y) for y in ys]
        areas = merged_areas(n_r, n_c,
                             lambda r, c: not _covered(vertical[c + 1], ys[r], ys[r + 1]),
                             lambda r, c: not _covered(horizontal[r + 1], xs[c], xs[c + 1]))
        regions = {id(a): _Region(xs[a[1]], xs[a[3] + 1], ys[a[0]], ys[a[2] + 1], a[0], a[2])
                   for row in areas for a in row}
        self.rows = [[regions[id(a)] for a in row] for row in areas]
        for ch in self.chars:
            cx, cy = (ch[0] + ch[1]) / 2, (ch[2] + ch[3]) / 2
            c = min(max(bisect.bisect_right(xs, cx) - 1, 0), n_c - 1)
            r = min(max(bisect.bisect_right(ys, cy) - 1, 0), n_r - 1)
            self.rows[r][c].chars.append(ch)
        for reg in regions.values():
            reg.lines = _make_lines(reg.chars, page_no)
            reg.chars = []
        self.chars = []

    @property
    def regions(self) -> list[_Region]:
        return list({id(reg): reg for row in self.rows for reg in row}.values())


def _find_segments(page: int, hsegs: list[tuple[float, float, float]],
                   vsegs: list[tuple[float, float, float]]) -> list[_Segment]:
    """Ruling lines that touch each other, as tables (at least two columns and two rows of lines)."""
    if not hsegs or not vsegs or len(hsegs) + len(vsegs) > 20_000:
        return []
    hl = [(p, iv) for p, ivs in _cluster(hsegs) for iv in ivs]
    vl = [(p, iv) for p, ivs in _cluster(vsegs) for iv in ivs]
    if len(hl) > _MAX_LINES or len(vl) > _MAX_LINES:
        return []  # a drawing (hatching, a chart), not a table
    n_h = len(hl)
    parent = list(range(n_h + len(vl)))

    def find(a: int) -> int:
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    v_sorted = sorted(range(len(vl)), key=lambda i: vl[i][0])
    v_pos = [vl[i][0] for i in v_sorted]
    for i, (y, (a, b)) in enumerate(hl):
        lo = bisect.bisect_left(v_pos, a - _TOL)
        hi = bisect.bisect_right(v_pos, b + _TOL)
        for k in v_sorted[lo:hi]:
            _, (c, d) = vl[k]
            if c - _TOL <= y <= d + _TOL:
                ra, rb = find(i), find(n_h + k)
                if ra != rb:
                    parent[ra] = rb
    comps: dict[int, tuple[list[Any], list[Any]]] = {}
    for i, item in enumerate(hl):
        comps.setdefault(find(i), ([], []))[0].append(item)
    for k, item in enumerate(vl):
        comps.setdefault(find(n_h + k), ([], []))[1].append(item)
    out: list[_Segment] = []
    for hs, vs in comps.values():
        if not hs or not vs:
            continue
        seg = _Segment(page, _regroup(hs), _regroup(vs))
        if len(seg.xs) < 2 or len(seg.ys) < 2 or seg.x1 - seg.x0 < 20 or seg.bottom - seg.top < 8:
            continue
        if len(seg.xs) == 2 and len(seg.ys) == 2:
            continue  # one box around some text (a border), not a table
        if len(seg.xs) * len(seg.ys) > _MAX_GRID:
            continue
        out.append(seg)
    out.sort(key=lambda s: s.top)
    return out


def _regroup(items: list[tuple[float, list[float]]]) -> list[tuple[float, list[list[float]]]]:
    by: dict[float, list[list[float]]] = {}
    for p, iv in items:
        by.setdefault(p, []).append(list(iv))
    return [(p, sorted(ivs)) for p, ivs in by.items()]


def _union_xs(segs: list[_Segment]) -> list[float]:
    xs = sorted(x for s in segs for x in s.xs)
    out: list[list[float]] = []
    for x in xs:
        if out and x - out[-1][-1] <= _TOL:
            out[-1].append(x)
        else:
            out.append([x])
    return _no_slivers([sum(g) / len(g) for g in out], 4.0)


def _no_slivers(edges: list[float], least: float) -> list[float]:
    """Drop an inner edge that makes a column or row too thin to hold text (the inner line of a double
    border); the outer edges stay."""
    if len(edges) < 3:
        return edges
    out = [edges[0]]
    for x in edges[1:-1]:
        if x - out[-1] >= least:
            out.append(x)
    if edges[-1] - out[-1] < least and len(out) > 1:
        out.pop()
    out.append(edges[-1])
    return out


def _compatible(group_xs: list[float], seg: _Segment) -> bool:
    if abs(group_xs[0] - seg.x0) > 2 * _TOL or abs(group_xs[-1] - seg.x1) > 2 * _TOL:
        return False

    def inside(a: list[float], b: list[float]) -> bool:
        return all(any(abs(x - y) <= _TOL for y in b) for x in a)

    return inside(seg.xs, group_xs) or inside(group_xs, seg.xs)


# ---------------------------------------------------------------- pages


class _Page:
    __slots__ = ("index", "width", "height", "lines", "segments", "text_chars", "image_frac")

    def __init__(self, index: int, width: float, height: float) -> None:
        self.index, self.width, self.height = index, width, height
        self.lines: list[_Line] = []
        self.segments: list[_Segment] = []
        self.text_chars = 0
        self.image_frac = 0.0


def _content_size(page_obj: Any) -> int:
    """Inflated size of a page's content streams and of the forms it may draw; refuses a page whose content
    would make pdfminer hold too much (too large, or too many arrays/dictionaries open at once)."""
    from pdfminer.pdftypes import PDFStream, resolve1

    total = 0
    opened = 0
    _bound.limit = MAX_PAGE_CONTENT_BYTES
    try:
        for s in page_obj.contents or ():
            s = resolve1(s)
            if isinstance(s, PDFStream):
                data = s.get_data()
                total += len(data)
                if total > MAX_PAGE_CONTENT_BYTES:
                    raise _TooLarge()
                opened += data.count(b"[") + data.count(b"<<") + data.count(b"{")
                if opened > MAX_PAGE_NESTING:
                    raise _TooLarge()
        total += _forms_size(page_obj.resources, 0, set())
    finally:
        del _bound.limit
    if total > MAX_PAGE_CONTENT_BYTES:
        raise _TooLarge()
    return total


def _forms_size(resources: Any, depth: int, seen: set[int]) -> int:
    from pdfminer.pdftypes import PDFStream, resolve1

    resources = resolve1(resources)
    if not isinstance(resources, dict) or depth > 8:
        return 0
    xobjects = resolve1(resources.get("XObject"))
    if not isinstance(xobjects, dict):
        return 0
    total = 0
    for ref in xobjects.values():
        obj = resolve1(ref)
        if not isinstance(obj, PDFStream) or id(obj) in seen:
            continue
        subtype = resolve1(obj.get("Subtype"))
        if getattr(subtype, "name", None) != "Form":
            continue
        seen.add(id(obj))
        data = obj.get_data()
        if data.count(b"[") + data.count(b"<<") + data.count(b"{") > MAX_PAGE_NESTING:
            raise _TooLarge()
        total += len(data) + _forms_size(obj.get("Resources"), depth + 1, seen)
        if total > MAX_PAGE_CONTENT_BYTES:
            raise _TooLarge()
    return total


def _device_class() -> type:
    from pdfminer.converter import PDFPageAggregator

    class _BoundedDevice(PDFPageAggregator):  # type: ignore[misc]
        """pdfminer's layout device, stopping a page that draws more than MAX_PAGE_OBJECTS objects."""

        count = 0
        limit = MAX_PAGE_OBJECTS

        def _tick(self) -> None:
            self.count += 1
            if self.count > self.limit:
                raise _TooLarge()

        def render_char(self, *args: Any, **kwargs: Any) -> Any:
            self._tick()
            return super().render_char(*args, **kwargs)

        def paint_path(self, *args: Any, **kwargs: Any) -> Any:
            self._tick()
            return super().paint_path(*args, **kwargs)

        def begin_figure(self, *args: Any, **kwargs: Any) -> Any:
            self._tick()
            return super().begin_figure(*args, **kwargs)

        def render_image(self, *args: Any, **kwargs: Any) -> Any:
            self._tick()
            return super().render_image(*args, **kwargs)

    return _BoundedDevice


def _read_page(pdf: Any, page_obj: Any, index: int, device_cls: type, budget: list[int]) -> _Page:
    """One page's characters, ruling lines and the tables they make. ``budget`` is what the document may
    still spend: [content bytes, drawn objects]."""
    from pdfminer.layout import LTChar, LTContainer, LTCurve, LTImage
    from pdfminer.pdfinterp import PDFPageInterpreter

    budget[0] -= _content_size(page_obj)
    if budget[0] < 0:
        raise _TooLarge()
    device = device_cls(pdf.rsrcmgr, pageno=index + 1, laparams=None)
    device.limit = min(MAX_PAGE_OBJECTS, budget[1])
    PDFPageInterpreter(pdf.rsrcmgr, device).process_page(page_obj)
    budget[1] -= device.count
    layout = device.get_result()
    px0, py1 = layout.x0, layout.y1
    page = _Page(index, layout.width, layout.height)
    chars: list[_Char] = []
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
    segments = _find_segments(index, hsegs, vsegs)
    running: list[_Char] = []
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
    lines = _make_lines(running, index)
    page.lines = [ln for ln in lines if not _is_page_number(ln, page)]
    return page


def _in_margin(line: _Line, page: _Page, share: float) -> bool:
    return line.top < page.height * share or line.bottom > page.height * (1 - share)


def _is_page_number(line: _Line, page: _Page) -> bool:
    return _in_margin(line, page, 0.12) and bool(_PAGE_NO_RE.match(_SPACES.sub("", line.text)))


def _drop_running_heads(pages: list[_Page]) -> None:
    """Lines printed in the top or bottom margin of two or more pages (a running header or footer, say the
    issuer's name or "第 3 页 共 8 页"): not the notice's text."""
    def key(ln: _Line) -> str:
        return re.sub(r"\d+", "#", _SPACES.sub("", ln.text))

    seen: dict[str, set[int]] = {}
    for p in pages:
        for ln in p.lines:
            if _in_margin(ln, p, 0.08):
                seen.setdefault(key(ln), set()).add(p.index)
    repeated = {k for k, on in seen.items() if len(on) >= 2}
    if repeated:
        for p in pages:
            p.lines = [ln for ln in p.lines if not (_in_margin(ln, p, 0.08) and key(ln) in repeated)]


# ---------------------------------------------------------------- the document


def _open_failure(path: Path, exc: BaseException) -> ImportFailure:
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    if _caused_by(exc, PDFPasswordIncorrect):
        return ImportFailure(
            f"“{path.name}”是设置了打开密码的 PDF，无法读取：请用 PDF 阅读器输入密码打开，另存（或打印）为不带密码的 PDF 后再导入。",
            path=str(path))
    if _caused_by(exc, PDFEncryptionError):
        return ImportFailure(
            f"“{path.name}”是加密的 PDF，其加密方式无法读取：请用 PDF 阅读器打开，另存（或打印）为不加密的 PDF 后再导入。",
            path=str(path))
    if _caused_by(exc, _TooLarge):
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
    _install_bounds()
    try:
        import pdfplumber
    except ImportError:  # pragma: no cover - a broken installation
        raise ImportFailure(f"“{path.name}”是 PDF 文件，但本程序缺少读取 PDF 的组件（pdfplumber）：请重新安装本程序。",
                            path=str(path)) from None
    from .progress import ImportCancelled

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            pdf = pdfplumber.open(path)
        except Exception as exc:
            raise _open_failure(path, exc) from None
        try:
            pages = _read_pages(pdf, path, progress)
        except (ImportFailure, ImportCancelled):
            raise
        except Exception as exc:  # pdfminer/pdfplumber on a broken or hostile file: one line, no traceback
            raise _open_failure(path, exc) from None
        finally:
            pdf.stream.close()  # (pdf.close() would first make a Page object for every page)
    if all(p.text_chars < MIN_TEXT_CHARS for p in pages):
        from .ocr import read_scanned_pdf

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
        from .ocr import read_scanned_pdf

        return read_scanned_pdf(path, progress)
    return doc


def _read_pages(pdf: Any, path: Path, progress: Progress) -> list[_Page]:
    import itertools

    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdftypes import resolve1

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
    device_cls = _device_class()
    budget = [MAX_DOC_CONTENT_BYTES, MAX_DOC_OBJECTS]
    pages: list[_Page] = []
    for i, page_obj in enumerate(page_objs):
        progress.step(i + 1, total, f"正在读取第 {i + 1}/{total} 页")
        try:
            pages.append(_read_page(pdf, page_obj, i, device_cls, budget))
        except _TooLarge:
            raise ImportFailure(
                f"“{path.name}”第 {i + 1} 页的内容异常庞大（解压后过大或绘制的对象过多），已拒绝读取："
                "请确认文件来源，或请发文单位重新提供。", path=str(path)) from None
    return pages


def _too_many_pages(path: Path, count: int | None) -> ImportFailure:
    n = f"共 {count} 页，" if count else ""
    return ImportFailure(
        f"“{path.name}”{n}超过 {MAX_PDF_PAGES} 页的上限，已拒绝读取：民生实事通知连同附件通常只有几页，请确认选择的文件。",
        path=str(path))


class _Margins:
    __slots__ = ("left", "right")

    def __init__(self, left: float, right: float) -> None:
        self.left, self.right = left, right

    @property
    def centre(self) -> float:
        return (self.left + self.right) / 2


def _margins(pages: list[_Page]) -> dict[int, _Margins]:
    """The text block's left and right edge for each page size (a landscape table page has its own)."""
    by_width: dict[int, list[_Page]] = {}
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
        ends = sorted(ln.x1 for ln in lines if ln.text[-1] not in _NO_START and ln.x1 > width / 2)
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


def _is_centred(ln: _Line, m: _Margins) -> bool:
    return (abs((ln.x0 + ln.x1) / 2 - m.centre) <= max(0.5 * ln.size, 3.0)
            and ln.x0 > m.left + 0.25 * ln.size and ln.x1 < m.right - 0.25 * ln.size)


def _assemble(pages: list[_Page]) -> SourceDocument:
    _drop_running_heads(pages)
    margins = _margins(pages)
    page_margins = {p.index: margins[round(p.width)] for p in pages}
    # The document as a stream: running lines and tables (a table = its segments over consecutive pages).
    stream: list[Any] = []  # _Line | list[_Segment]
    for p in pages:
        items: list[tuple[float, int, Any]] = [(ln.top, 0, ln) for ln in p.lines]
        items += [(s.top, 1, s) for s in p.segments]
        items.sort(key=lambda t: (t[0], t[1]))
        for _, kind, item in items:
            if kind == 0:
                stream.append(item)
                continue
            k = len(stream) - 1
            while k >= 0 and isinstance(stream[k], _Line) and \
                    _ATTACHMENT_LABEL_RE.match(_SPACES.sub("", stream[k].text)):
                k -= 1
            if k >= 0 and isinstance(stream[k], list) and stream[k][-1].page == p.index - 1 \
                    and _compatible(_union_xs(stream[k]), item):
                stream[k].append(item)
                del stream[k + 1:]  # 附件 labels between the parts of one table
            else:
                stream.append([item])
    typical = _typical_gaps(stream, page_margins)
    doc = SourceDocument(kind="pdf", paragraphs=[], tables=[])
    before: list[str] = []
    para: list[str] = []
    prev: _Line | None = None

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
            table = _build_table(item)
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


def _soft_after(a: _Line, b: _Line, m: _Margins) -> bool:
    """Would ``b``'s first word have fitted at the end of ``a``? If not, ``a`` ended only because it was
    full."""
    return a.x1 + _need(a, b) > m.right + 0.1


def _typical_gaps(stream: list[Any], page_margins: dict[int, _Margins]) -> dict[int, float]:
    """The gap between two lines of one paragraph, per font size: from pairs where the first line is full."""
    gaps: dict[int, list[float]] = {}
    for a, b in zip(stream, stream[1:]):
        if isinstance(a, _Line) and isinstance(b, _Line) and a.page == b.page and abs(a.size - b.size) < 0.5:
            m = page_margins[a.page]
            if _soft_after(a, b, m) and abs(b.x0 - m.left) <= 0.5 * b.size:
                gaps.setdefault(round(a.size), []).append(b.top - a.bottom)
    return {k: sorted(v)[len(v) // 2] for k, v in gaps.items()}


def _line_join(a: _Line, b: _Line, page_margins: dict[int, _Margins],
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
        if a.width + _need(a, b) > (ma.right - ma.left) + 0.1:
            return " " if _latin_joins(a.text, b.text) else ""
        return "\n"
    if abs(b.x0 - mb.left) > 0.5 * b.size:
        return None  # an indented line starts a paragraph
    if _soft_after(a, b, ma):
        return " " if _latin_joins(a.text, b.text) else ""
    return None


# ---------------------------------------------------------------- tables over pages


def _number_column(rows: list[list[_Region]]) -> int:
    from .table import match_field

    for row in rows[:6]:
        for c, reg in enumerate(row):
            if reg.text and match_field(reg.text) == "number":
                return c
    return 0


def _sig(row: list[_Region]) -> tuple[str, ...]:
    return tuple(_SPACES.sub("", reg.text) for reg in row)


def _repeated_header(first: list[list[_Region]], rows: list[list[_Region]]) -> int:
    """How many rows at the top of a continuation page repeat the table's header."""
    if not rows:
        return 0
    top = _sig(rows[0])
    if not any(top):
        return 0
    for i in range(min(6, len(first))):
        if _sig(first[i]) == top:
            j = 0
            while j < len(rows) and i + j < len(first) and _sig(first[i + j]) == _sig(rows[j]):
                j += 1
            return j
    return 0


def _continues(prev: list[_Region], cur: list[_Region], num_col: int, bottom: float) -> bool:
    """Is ``cur`` (first row on a page) the rest of ``prev`` (last row on the page before), split by the page
    break? No 序号 of its own, and every column with text in it had run on to the bottom of the page before."""
    if num_col < len(cur) and cur[num_col].lines:
        return False
    seen: set[int] = set()
    for c, q in enumerate(cur):
        if id(q) in seen or not q.lines:
            continue
        seen.add(id(q))
        p = prev[c] if c < len(prev) else None
        if p is None or not p.lines:
            return False
        last = p.lines[-1]
        if bottom - last.bottom > 2.0 * last.size + 3.0:
            return False
    return True


def _build_table(segs: list[_Segment]) -> Table | list[str]:
    """One table from its parts on consecutive pages; the texts of its cells when it is not a table (one
    cell)."""
    xs = _union_xs(segs)
    for s in segs:
        s.build(xs, s.page)
    regions = [reg for s in segs for reg in s.regions]
    # The cells' inner margin: where left-aligned lines start (a low percentile, not the minimum, so one line
    # pushed against its border does not make every cell look wider than it is).
    pads = sorted(ln.x0 - reg.x0 for reg in regions for ln in reg.lines if ln.x0 >= reg.x0)
    pad = min(max(pads[len(pads) // 20] if pads else 2.0, 0.5), 10.0)

    def text_of(reg: _Region) -> str:
        return _compose(reg.lines, reg.width - 2 * pad)

    for reg in regions:
        reg.text = text_of(reg)
    first = segs[0].rows
    num_col = _number_column(first)
    rows: list[list[_Region]] = [list(r) for r in first]
    for k, seg in enumerate(segs[1:], start=1):
        part = [list(r) for r in seg.rows]
        part = part[_repeated_header(first, part):]
        if part and rows:
            prev, cur = rows[-1], part[0]
            mapping: dict[int, _Region] = {}
            if _continues(prev, cur, num_col, segs[k - 1].bottom):
                for c, q in enumerate(cur):
                    if c >= len(prev) or id(q) in mapping:
                        continue
                    p = prev[c]
                    mapping[id(q)] = p
                    if q.lines and q is not p:
                        p.lines = p.lines + q.lines
                        p.text = text_of(p)
                part = part[1:]
            else:
                for c, q in enumerate(cur):  # a merged cell carried on over the break (序号, a parent's name)
                    if c < len(prev) and not q.lines and id(q) not in mapping and \
                            (prev[c].r1 > prev[c].r0 or q.r1 > q.r0):
                        mapping[id(q)] = prev[c]
            if mapping:
                part = [[mapping.get(id(q), q) for q in row] for row in part]
        rows.extend(part)
    cells: dict[int, Cell] = {}
    out: list[list[Cell]] = []
    for r, row in enumerate(rows):
        line: list[Cell] = []
        for c, reg in enumerate(row):
            cell = cells.get(id(reg))
            if cell is None:
                cell = cells[id(reg)] = Cell(reg.text, r, c)
            line.append(cell)
        out.append(line)
    if len(cells) < 2:
        return [c.text for c in cells.values() if c.text]
    return Table(rows=out)
