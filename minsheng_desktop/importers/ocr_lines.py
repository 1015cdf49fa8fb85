"""Text lines on a page image: rows of ink cut by their profile (fragments joined, touching lines split),
their horizontal pieces, and each line's crop for the recogniser.

NumPy and OpenCV are imported inside the functions: only reading a scan loads them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # numpy and OpenCV are imported when a scan is read, not when the program starts
    import numpy as np

CROP_MARGIN = 0.45  # paper above and below a line given to the recogniser, in line heights


# ---------------------------------------------------------------- text lines


@dataclass(eq=False)
class Line:
    box: tuple[int, int, int, int]  # on the page
    crop: np.ndarray
    text: str = ""
    score: float = 0.0


def text_rows(ink: np.ndarray, unit: int) -> list[tuple[int, int]]:
    """Rows of text in a region of ink: runs of ink rows, fragments of a line joined, touching lines split."""
    import numpy as np  # deferred: see the module's docstring

    prof = (ink > 0).sum(axis=1)
    rows = prof > 0
    bands: list[list[int]] = []
    start = None
    for y, on in enumerate(rows):
        if on and start is None:
            start = y
        elif not on and start is not None:
            bands.append([start, y])
            start = None
    if start is not None:
        bands.append([start, len(rows)])
    if not bands:
        return []
    # Fragments (a line of 二/三/一, a stray mark above or below) join the nearer neighbour when together they
    # are no taller than a line.
    tall = [b[1] - b[0] for b in bands if b[1] - b[0] >= unit * 0.5] or [unit]
    line_h = max(unit * 0.6, float(np.median(tall)))
    changed = True
    while changed and len(bands) > 1:
        changed = False
        for i, (a, b) in enumerate(bands):
            if b - a >= line_h * 0.6:
                continue
            cands = []
            if i > 0:
                cands.append((a - bands[i - 1][1], i - 1))
            if i + 1 < len(bands):
                cands.append((bands[i + 1][0] - b, i + 1))
            for gap, j in sorted(cands):
                lo, hi = min(a, bands[j][0]), max(b, bands[j][1])
                if hi - lo <= line_h * 1.3 and gap <= line_h * 0.6:
                    bands[min(i, j)] = [lo, hi]
                    del bands[max(i, j)]
                    changed = True
                    break
            if changed:
                break
    out: list[tuple[int, int]] = []
    for a, b in bands:
        out.extend(_split_tall(prof, a, b, line_h))
    # Drop what is too small to be text (noise that survived, a dot).
    return [(a, b) for a, b in out if b - a >= max(3, line_h * 0.25)]


def _split_tall(prof: np.ndarray, a: int, b: int, line_h: float) -> list[tuple[int, int]]:
    import numpy as np  # deferred: see the module's docstring

    h = b - a
    if h < line_h * 1.7:
        return [(a, b)]
    n = int(round(h / (line_h * 1.15)))
    if n < 2:
        return [(a, b)]
    cuts = [a]
    for k in range(1, n):
        center = a + h * k / n
        lo, hi = int(center - line_h * 0.35), int(center + line_h * 0.35)
        seg = prof[max(a, lo):min(b, hi)]
        cut = int(np.argmin(seg)) + max(a, lo) if seg.size else int(center)
        cuts.append(cut)
    cuts.append(b)
    return [(cuts[i], cuts[i + 1]) for i in range(len(cuts) - 1) if cuts[i + 1] - cuts[i] > 2]


def line_pieces(ink: np.ndarray, a: int, b: int, split_gap: float | None) -> list[tuple[int, int]]:
    """Horizontal extents of the ink in rows a..b, split where the gap is wider than ``split_gap``."""
    import numpy as np  # deferred: see the module's docstring

    cols = np.flatnonzero((ink[a:b] > 0).any(axis=0))
    if cols.size == 0:
        return []
    if split_gap is None:
        return [(int(cols[0]), int(cols[-1]) + 1)]
    gaps = np.flatnonzero(np.diff(cols) > split_gap)
    starts = [cols[0]] + [cols[g + 1] for g in gaps]
    ends = [cols[g] for g in gaps] + [cols[-1]]
    return [(int(s), int(e) + 1) for s, e in zip(starts, ends)]


def line_crop(gray: np.ndarray, x0: int, y0: int, x1: int, y1: int,
          limit: tuple[int, int, int, int]) -> np.ndarray:
    """A line's image for the recogniser: the page a little beyond the ink (not into the next line), then
    paper to CROP_MARGIN above and below. The model scales every line to one height, so the margin also sets
    how wide — how much work — a line is: ample margins read as well and cost less."""
    import cv2  # deferred: see the module's docstring
    import numpy as np  # deferred: see the module's docstring

    h = y1 - y0
    reach_y, pad_y, pad_x = max(1, int(h * 0.12)), max(2, int(h * CROP_MARGIN)), max(3, int(h * 0.3))
    lx0, ly0, lx1, ly1 = limit
    wx0, wy0, wx1, wy1 = x0 - pad_x, y0 - pad_y, x1 + pad_x, y1 + pad_y
    cx0, cy0 = max(lx0, wx0), max(ly0, y0 - reach_y)
    cx1, cy1 = min(lx1, wx1), min(ly1, y1 + reach_y)
    crop = gray[cy0:cy1, cx0:cx1]
    # Paper to the full margin (beyond the reach, or where the cell's border cut the crop) and to a minimum
    # width: a lone digit in a narrow crop is read badly.
    top, bottom, left, right = cy0 - wy0, wy1 - cy1, cx0 - wx0, wx1 - cx1
    min_w = int(h * 1.6)
    extra = max(0, min_w - (crop.shape[1] + left + right))
    left += extra // 2
    right += extra - extra // 2
    if top or bottom or left or right:
        crop = cv2.copyMakeBorder(crop, max(0, top), max(0, bottom), max(0, left), max(0, right),
                                  cv2.BORDER_CONSTANT, value=255)
    return cv2.cvtColor(np.ascontiguousarray(crop), cv2.COLOR_GRAY2BGR)
