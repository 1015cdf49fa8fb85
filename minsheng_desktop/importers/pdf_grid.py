"""Tables from a PDF's ruling lines: strokes clustered into lines; lines that touch each other made one
table's part on a page (Segment); its grid on the table's column edges, two neighbouring positions with no
line between them one merged cell; and one table from its parts on consecutive pages — the header repeated
at the top of each page read once, a row split by the page break joined to its row, cell by cell.
"""

from __future__ import annotations

import bisect
from typing import Any

from .grid import Cell, Table, merged_areas
from .pdf_text import SPACES, Char, Line, compose, make_lines
from .table import match_field

_TOL = 2.5  # ruling lines closer than this (pt) are one line
_MAX_LINES = 2_000  # ruling lines on one page beyond which it is a drawing, not a table
_MAX_GRID = 50_000  # grid positions of one table on one page (a dense table page has ~2,000)


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
        self.chars: list[Char] = []
        self.lines: list[Line] = []
        self.text = ""
        self.width = x1 - x0


class Segment:
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
        self.chars: list[Char] = []
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
            reg.lines = make_lines(reg.chars, page_no)
            reg.chars = []
        self.chars = []

    @property
    def regions(self) -> list[_Region]:
        return list({id(reg): reg for row in self.rows for reg in row}.values())


def find_segments(page: int, hsegs: list[tuple[float, float, float]],
                   vsegs: list[tuple[float, float, float]]) -> list[Segment]:
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
    out: list[Segment] = []
    for hs, vs in comps.values():
        if not hs or not vs:
            continue
        seg = Segment(page, _regroup(hs), _regroup(vs))
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


def union_xs(segs: list[Segment]) -> list[float]:
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


def compatible(group_xs: list[float], seg: Segment) -> bool:
    if abs(group_xs[0] - seg.x0) > 2 * _TOL or abs(group_xs[-1] - seg.x1) > 2 * _TOL:
        return False

    def inside(a: list[float], b: list[float]) -> bool:
        return all(any(abs(x - y) <= _TOL for y in b) for x in a)

    return inside(seg.xs, group_xs) or inside(group_xs, seg.xs)

# ---------------------------------------------------------------- tables over pages


def _number_column(rows: list[list[_Region]]) -> int:
    for row in rows[:6]:
        for c, reg in enumerate(row):
            if reg.text and match_field(reg.text) == "number":
                return c
    return 0


def _sig(row: list[_Region]) -> tuple[str, ...]:
    return tuple(SPACES.sub("", reg.text) for reg in row)


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


def build_table(segs: list[Segment]) -> Table | list[str]:
    """One table from its parts on consecutive pages; the texts of its cells when it is not a table (one
    cell)."""
    xs = union_xs(segs)
    for s in segs:
        s.build(xs, s.page)
    regions = [reg for s in segs for reg in s.regions]
    # The cells' inner margin: where left-aligned lines start (a low percentile, not the minimum, so one line
    # pushed against its border does not make every cell look wider than it is).
    pads = sorted(ln.x0 - reg.x0 for reg in regions for ln in reg.lines if ln.x0 >= reg.x0)
    pad = min(max(pads[len(pads) // 20] if pads else 2.0, 0.5), 10.0)

    def text_of(reg: _Region) -> str:
        return compose(reg.lines, reg.width - 2 * pad)

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
