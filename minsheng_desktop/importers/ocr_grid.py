"""A table's grid on a page image: ruling lines found by morphology and kept where they reach across their
perpendiculars; the grid is their positions, and grid positions with no line between them are one merged
cell (where a seal hides a boundary, the line is judged on what can be seen).

NumPy and OpenCV are imported inside the functions: only reading a scan loads them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .grid import merged_areas

if TYPE_CHECKING:  # numpy and OpenCV are imported when a scan is read, not when the program starts
    import numpy as np

LINE_THRESHOLD = 218  # ruling lines: paper is ≈255 after evening out, scanner noise stays above ≈230


# ---------------------------------------------------------------- ruling lines and the grid


@dataclass
class _Grid:
    ys: list[int]  # horizontal line positions, top to bottom (rows = len(ys) - 1)
    xs: list[int]  # vertical line positions, left to right
    groups: list[tuple[int, int, int, int]]  # merged cells: (row0, col0, row1, col1) inclusive
    box: tuple[int, int, int, int]


def _segments(mask: np.ndarray, horizontal: bool, max_thick: int) -> list[tuple[float, int, int]]:
    """(position, start, end) of each line piece in a mask of ruling lines."""
    import cv2  # deferred: see the module's docstring

    n, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    out = []
    for i in range(1, n):
        x, y, w, h, area = stats[i]
        # Thin on average (a line slightly slanted in a photo has a wider box, not a thicker stroke).
        if horizontal:
            if area / max(1, w) <= max_thick and h <= max_thick + w * 0.03:
                out.append((y + h / 2, int(x), int(x + w)))
        elif area / max(1, h) <= max_thick and w <= max_thick + h * 0.03:
            out.append((x + w / 2, int(y), int(y + h)))
    return out


def _chain(pieces: list[tuple[float, int, int]], tol: float, gap: float) -> list[tuple[float, int, int]]:
    """Pieces of one drawn line (broken by a faint scan, or by a slight slant in a photo), joined end to
    end."""
    chains: list[list[float]] = []  # [position at the end, start, end, Σ position × length, Σ length]
    for pos, a, b in sorted(pieces, key=lambda p: p[1]):
        best = None
        for ch in chains:
            off = abs(pos - ch[0])
            # A longer gap only in line (where a seal or a blot broke the line).
            if -tol <= a - ch[2] <= (gap if off > tol / 2 else gap * 3) and off <= tol and (
                    best is None or off < abs(pos - best[0])):
                best = ch
        length = max(1, b - a)
        if best is None:
            chains.append([pos, a, b, pos * length, length])
        else:
            best[3] += pos * length
            best[4] += length
            best[0], best[2] = pos, max(best[2], b)
    return [(ch[3] / ch[4], int(ch[1]), int(ch[2])) for ch in chains]


def _cluster(values: list[tuple[float, int, int]], tol: float) -> list[tuple[float, list[tuple[int, int]]]]:
    out: list[tuple[float, list[tuple[int, int]]]] = []
    for pos, a, b in sorted(values):
        if out and pos - out[-1][0] <= tol:
            p, spans = out[-1]
            spans.append((a, b))
            out[-1] = ((p * (len(spans) - 1) + pos) / len(spans), spans)
        else:
            out.append((pos, [(a, b)]))
    return out


def _crosses(seg: tuple[float, int, int], positions: list[float], tol: float) -> bool:
    """Does a line piece reach at least two of the perpendicular lines?"""
    _, a, b = seg
    return sum(1 for p in positions if a - tol <= p <= b + tol) >= 2


def find_grids(ink: np.ndarray, unit: int,
                coloured: np.ndarray | None = None) -> tuple[list[_Grid], np.ndarray]:
    """Tables drawn with ruling lines, and the mask of those lines (to keep them out of the text)."""
    import cv2  # deferred: see the module's docstring
    import numpy as np  # deferred: see the module's docstring

    h, w = ink.shape
    hk = max(20, w // 25)
    vk = max(15, int(unit * 1.6))
    thick_h = cv2.dilate(ink, np.ones((3, 1), np.uint8))
    hor = cv2.morphologyEx(thick_h, cv2.MORPH_OPEN, np.ones((1, hk), np.uint8))
    hor = cv2.morphologyEx(hor, cv2.MORPH_CLOSE, np.ones((1, max(3, unit)), np.uint8))
    thick_v = cv2.dilate(ink, np.ones((1, 3), np.uint8))
    ver = cv2.morphologyEx(thick_v, cv2.MORPH_OPEN, np.ones((vk, 1), np.uint8))
    ver = cv2.morphologyEx(ver, cv2.MORPH_CLOSE, np.ones((max(3, unit), 1), np.uint8))
    max_thick = max(6, unit // 2)
    tol = max(4.0, unit * 0.4)
    hsegs = _chain(_segments(hor, True, max_thick), tol, unit * 1.5)
    vsegs = _chain(_segments(ver, False, max_thick), tol, unit * 1.5)
    lines_mask = cv2.bitwise_or(hor, ver)
    nothing = np.zeros_like(ink)
    if len(hsegs) < 2 or len(vsegs) < 2:
        return [], nothing
    # Keep vertical pieces that reach across at least one horizontal line to another, and horizontal pieces
    # that reach across two vertical lines (a character's stroke stays inside its cell); twice, as each filter
    # feeds the other. A line broken short of the border (a seal, a blot) still counts.
    for _ in range(2):
        hpos = [p for p, _ in _cluster(hsegs, tol)]
        vsegs = [s for s in vsegs if _crosses(s, hpos, tol * 1.5) and s[2] - s[1] >= unit * 0.8]
        vpos = [p for p, _ in _cluster(vsegs, tol)]
        hsegs = [s for s in hsegs if _crosses(s, vpos, tol * 1.5)]
    if len(hsegs) < 2 or len(vsegs) < 2:
        return [], nothing
    # Separate tables: connected groups of the kept pieces.
    frame = np.zeros_like(ink)
    for pos, a, b in hsegs:
        cv2.line(frame, (a, int(round(pos))), (b, int(round(pos))), 255, 3)
    for pos, a, b in vsegs:
        cv2.line(frame, (int(round(pos)), a), (int(round(pos)), b), 255, 3)
    # What is erased from the text: the line ink along the kept pieces only (a title's long strokes stay).
    lines_mask = cv2.bitwise_and(lines_mask, cv2.dilate(frame, np.ones((2 * max_thick + 1,) * 2, np.uint8)))
    n, _, stats, _ = cv2.connectedComponentsWithStats(frame, connectivity=8)
    grids: list[_Grid] = []
    for i in range(1, n):
        x, y, bw, bh, _ = stats[i]
        if bw < w * 0.15 or bh < unit * 1.5:
            continue
        inside_h = [s for s in hsegs
                    if x - tol <= s[1] and s[2] <= x + bw + tol and y - tol <= s[0] <= y + bh + tol]
        inside_v = [s for s in vsegs
                    if y - tol <= s[1] and s[2] <= y + bh + tol and x - tol <= s[0] <= x + bw + tol]
        hcl = _cluster(inside_h, tol)
        vcl = _cluster(inside_v, tol)
        ys = [int(round(p)) for p, _ in hcl]
        xs = [int(round(p)) for p, _ in vcl]
        # Lines closer than a small row/column are one drawn line (a double border).
        ys = _dedupe(ys, unit * 0.6)
        xs = _dedupe(xs, unit * 0.6)
        if len(ys) < 2 or len(xs) < 3:
            continue  # a box drawn around text is not a table: a table has two columns at least
        groups = _merge_cells(ys, xs, hor, ver, tol, coloured)
        # The table is where its lines are (a stroke of a title just above may have joined a line's piece).
        grids.append(_Grid(ys, xs, groups, (xs[0], ys[0], xs[-1], ys[-1])))
    grids.sort(key=lambda g: g.box[1])
    return grids, lines_mask


def _dedupe(pos: list[int], gap: float) -> list[int]:
    out: list[int] = []
    for p in sorted(pos):
        if out and p - out[-1] < gap:
            out[-1] = (out[-1] + p) // 2
        else:
            out.append(p)
    return out


# Share of a boundary between two grid positions that must show a ruling line for them to be two cells. Low:
# thin lines of a 150-dpi JPEG scan come out broken, and nothing else draws long straight runs along a
# boundary.
WALL_COVER = 0.3


def _merge_cells(ys: list[int], xs: list[int], hor: np.ndarray, ver: np.ndarray, tol: float,
                 coloured: np.ndarray | None = None) -> list[tuple[int, int, int, int]]:
    """Grid positions with no line between them are one cell: the merged areas, each a rectangle. Where a
    seal covers the boundary, the line cannot be seen there: judged on the rest, and a boundary hidden almost
    whole is taken as a line (most boundaries are)."""
    rows, cols = len(ys) - 1, len(xs) - 1
    t = int(max(2, round(tol)))

    def wall(mask: np.ndarray, rs: slice, cs: slice, axis: int) -> bool:
        band = mask[rs, cs]
        if band.size == 0:
            return True
        line = band.max(axis=axis) > 0
        if coloured is not None:
            hidden = coloured[rs, cs].max(axis=axis) > 0
            seen = ~hidden
            if seen.mean() < 0.25:
                return True
            return float((line & seen).sum() / seen.sum()) >= WALL_COVER
        return float(line.mean()) >= WALL_COVER

    def joined_right(r: int, c: int) -> bool:
        x = xs[c + 1]
        y0, y1 = ys[r] + t, ys[r + 1] - t
        return not wall(ver, slice(max(0, y0), max(0, y1)), slice(max(0, x - t), x + t + 1), 1)

    def joined_below(r: int, c: int) -> bool:
        y = ys[r + 1]
        x0, x1 = xs[c] + t, xs[c + 1] - t
        return not wall(hor, slice(max(0, y - t), y + t + 1), slice(max(0, x0), max(0, x1)), 0)

    areas = merged_areas(rows, cols, joined_right, joined_below)
    return list({id(a): a for row in areas for a in row}.values())
