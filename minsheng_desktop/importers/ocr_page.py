"""Reading one page: flattened, evened out and deskewed (ocr_image), its tables' grids found (ocr_grid), text
lines cut inside each cell on its own and in the rest of the page (ocr_lines) and recognised in batches
(ocr_engine); a page that reads as if turned is read again turned a quarter either way or upside down. Also
the page image kept for the preview.

NumPy and OpenCV are imported inside the functions: only reading a scan loads them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .ocr_engine import recognise
from .ocr_grid import LINE_THRESHOLD, find_grids
from .ocr_image import binary_ink, edges_cleared, even_out, fit_size, flatten_photo, rotate, skew_angle
from .ocr_lines import Line, line_crop, line_pieces, text_rows
from .ocr_text import normalize_line
from .progress import Progress

if TYPE_CHECKING:  # numpy and OpenCV are imported when a scan is read, not when the program starts
    import numpy as np

PREVIEW_MAX_WIDTH = 1400  # page images kept for the preview are at most this wide


# ---------------------------------------------------------------- one page


@dataclass
class _CellRead:
    r0: int
    c0: int
    r1: int
    c1: int
    box: tuple[int, int, int, int]
    lines: list[Line] = field(default_factory=list)


@dataclass
class Fragment:
    """A table's grid as found on one page."""

    rows: int
    cols: int
    xs: list[int]
    box: tuple[int, int, int, int]
    cells: list[_CellRead]


@dataclass
class PageRead:
    png: bytes  # the page as read (flattened, evened out, deskewed) for the preview, ≤ PREVIEW_MAX_WIDTH
    scale: float  # preview pixels per pixel read
    width: int
    height: int
    blocks: list[tuple[int, str, Any]]  # (top y, "line" | "table", Line | Fragment), in reading order
    lines: list[Line]  # every line read, in the tables and out

    @property
    def evidence(self) -> float:
        """How much text was read, weighted by how sure the recogniser was of it."""
        return sum(ln.score * len(ln.text) for ln in self.lines)

    def turned(self) -> str | None:
        """Read as if turned? "sideways": a character or two per line (the rows of ink are the columns of a
        page turned a quarter); "upside down": the recogniser is unsure of what it reads; None: upright."""
        import numpy as np  # deferred: see the module's docstring

        texts = [ln.text for ln in self.lines if ln.text]
        chars = sum(len(t) for t in texts)
        if len(texts) < 5 or chars < 20:
            return None
        if float(np.median([len(t) for t in texts])) < 3:
            return "sideways"
        return "upside down" if self.evidence / chars < 0.75 else None


def read_page(bgr: np.ndarray, progress: Progress) -> PageRead:
    """A page as it comes, or — if it reads as if turned (a landscape table scanned sideways, a photo without
    its orientation tag) — turned a quarter either way or upside down, whichever reads best."""
    import numpy as np  # deferred: see the module's docstring

    page = _read_upright(bgr, progress)
    how = page.turned()
    if how is None:
        return page
    first = page
    # np.rot90's k: quarter turns anticlockwise.
    for k in (1, 3, 2) if how == "sideways" else (2, 1, 3):
        other = _read_upright(np.ascontiguousarray(np.rot90(bgr, k)), progress)
        if other.evidence > page.evidence:
            page = other
        if page.turned() is None and page.evidence > first.evidence * 1.5:
            break
    return page


def _read_upright(bgr: np.ndarray, progress: Progress) -> PageRead:
    import cv2  # deferred: see the module's docstring
    import numpy as np  # deferred: see the module's docstring

    bgr = fit_size(flatten_photo(bgr))  # a photo's sheet warped flat; a scan is its sheet already
    gray, coloured = even_out(bgr)
    del bgr
    ink = edges_cleared(binary_ink(gray))
    angle = skew_angle(ink)
    if angle:
        gray = rotate(gray, angle)
        if coloured is not None:
            coloured = rotate(coloured, angle, fill=0)
        ink = edges_cleared(binary_ink(gray))
    progress.check()
    h, w = gray.shape
    unit = max(10, int(round(min(h, w) / 1240 * 20)))  # ≈ a table character's height at this resolution
    grids, lines_mask = find_grids(edges_cleared(binary_ink(gray, LINE_THRESHOLD)), unit, coloured)
    del coloured
    text_ink = ink.copy()
    text_ink[cv2.dilate(lines_mask, np.ones((3, 3), np.uint8)) > 0] = 0
    pending: list[Line] = []
    blocks: list[tuple[int, str, Any]] = []
    covered = np.zeros((h, w), np.uint8)
    for g in grids:
        x0, y0, x1, y1 = g.box
        covered[max(0, y0 - 2):y1 + 3, max(0, x0 - 2):x1 + 3] = 1
        cells: list[_CellRead] = []
        for r0, c0, r1, c1 in g.groups:
            bx0, by0, bx1, by1 = g.xs[c0], g.ys[r0], g.xs[c1 + 1], g.ys[r1 + 1]
            cell = _CellRead(r0, c0, r1, c1, (bx0, by0, bx1, by1))
            m = max(2, unit // 6)
            ix0, iy0, ix1, iy1 = bx0 + m, by0 + m, bx1 - m, by1 - m
            if ix1 - ix0 > 2 and iy1 - iy0 > 2:
                region = text_ink[iy0:iy1, ix0:ix1]
                for a, b in text_rows(region, unit):
                    for px0, px1 in line_pieces(region, a, b, None):
                        box = (ix0 + px0, iy0 + a, ix0 + px1, iy0 + b)
                        line = Line(box, line_crop(gray, *box, limit=(ix0, iy0, ix1, iy1)))
                        cell.lines.append(line)
                        pending.append(line)
            cells.append(cell)
        frag = Fragment(len(g.ys) - 1, len(g.xs) - 1, g.xs, g.box, cells)
        blocks.append((y0, "table", frag))
    # Text outside the tables.
    outside = text_ink.copy()
    outside[covered > 0] = 0
    for a, b in text_rows(outside, unit):
        for px0, px1 in line_pieces(outside, a, b, (b - a) * 3.0):
            box = (px0, a, px1, b)
            line = Line(box, line_crop(gray, *box, limit=(0, 0, w, h)))
            pending.append(line)
            blocks.append((a, "line", line))
    blocks.sort(key=lambda t: (t[0], t[1] != "line"))
    progress.check()
    for line, (text, score) in zip(pending, recognise([ln.crop for ln in pending], progress)):
        line.text, line.score = normalize_line(text), score
        line.crop = None  # type: ignore[assignment]  # free the pixels
    png, scale = _preview(gray)
    return PageRead(png, scale, w, h, blocks, pending)


def _preview(gray: np.ndarray) -> tuple[bytes, float]:
    """The page image kept for the preview: at most PREVIEW_MAX_WIDTH wide, the paper's grain whitened and
    16 grays (a fifth of the bytes of the page as read, and quicker to write)."""
    import cv2  # deferred: see the module's docstring
    import numpy as np  # deferred: see the module's docstring

    h, w = gray.shape
    k = min(1.0, PREVIEW_MAX_WIDTH / w)
    img = gray
    if k < 1:
        img = cv2.resize(gray, (max(1, int(w * k)), max(1, int(h * k))), interpolation=cv2.INTER_AREA)
    img = np.where(img > 232, 255, img // 16 * 17).astype(np.uint8)
    ok, buf = cv2.imencode(".png", img, [cv2.IMWRITE_PNG_COMPRESSION, 3])
    return (buf.tobytes() if ok else b""), k
