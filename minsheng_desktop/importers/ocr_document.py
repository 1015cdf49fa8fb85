"""Assembling the document: the pages' lines and table fragments in reading order → paragraphs, and tables.
A table that continues on the next page is joined to the one before: its column lines united (a page may
split a column the other does not), the header repeated at the top dropped, and a first row without 序号
appended to the row it continues.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from .grid import Cell, SourceDocument, Table
from .ocr_cells import Wrap, fragment_cells, join_wrapped, would_wrap
from .ocr_page import Fragment, PageRead
from .ocr_paragraphs import Para, is_page_number, para_text, paragraphs
from .table import match_field

TEXT_SCORE = 0.5  # a line outside tables read with less confidence than this is noise, not text


# ---------------------------------------------------------------- tables over pages


def _compact(t: str) -> str:
    return re.sub(r"\s+", "", t)


def _similar(a: str, b: str) -> float:
    a, b = _compact(a), _compact(b)
    if not a and not b:
        return 1.0
    return SequenceMatcher(None, a, b).ratio()


def _same_row(a: list[Cell], b: list[Cell]) -> bool:
    """Is ``b`` the header row ``a`` repeated (allowing for a character or two read differently)?"""
    if len(a) != len(b):
        return False
    ta = [c.text for c in _distinct(a)]
    tb = [c.text for c in _distinct(b)]
    if len(ta) != len(tb) or not any(ta):
        return False
    return sum(_similar(x, y) for x, y in zip(ta, tb)) / len(ta) >= 0.8


def _distinct(row: list[Cell]) -> list[Cell]:
    return list({id(c): c for c in row}.values())


def _bounds(frag: Fragment) -> list[float]:
    """A fragment's column lines, 0 at its left border and 1 at its right."""
    w = max(1, frag.xs[-1] - frag.xs[0])
    return [(x - frag.xs[0]) / w for x in frag.xs]


COLUMN_TOL = 0.02  # column lines this close (share of the table's width) are the same line on two pages


def _union_bounds(a: list[float], b: list[float]) -> list[float] | None:
    """The column lines of a table continued on another page, where a page may draw lines the other does not
    (a column split only where sub-projects are listed); None if neither page's lines are all in the
    other's."""
    def inside(small: list[float], big: list[float]) -> bool:
        return all(any(abs(x - y) <= COLUMN_TOL for y in big) for x in small)

    if not (inside(a, b) or inside(b, a)):
        return None
    out: list[float] = []
    for x in sorted(a + b):
        if out and x - out[-1] <= COLUMN_TOL:
            continue
        out.append(x)
    return out


def _spread(rows: list[list[Cell]], own: list[float], union: list[float]) -> list[list[Cell]]:
    """Rows laid on finer columns: a cell covers every union column inside its own (the same Cell object)."""
    if len(own) == len(union):
        return rows
    mids = [(union[u] + union[u + 1]) / 2 for u in range(len(union) - 1)]
    cols = []
    for m in mids:
        j = 0
        while j + 1 < len(own) - 1 and own[j + 1] <= m:
            j += 1
        cols.append(j)
    return [[row[j] if j < len(row) else Cell("", 0, 0, 1.0) for j in cols] for row in rows]


def _append_continuation(table_rows: list[list[Cell]], row: list[Cell], wraps: dict[int, Wrap]) -> bool:
    """A first row whose 序号 is empty, continuing the last row of the page before: add its texts there (joined
    as a wrapped line when the cell's last line on the page before was full)."""
    if not table_rows or not row or row[0].text:
        return False
    last = table_rows[-1]
    if len(last) != len(row) or not any(c.text for c in row[1:]):
        return False
    done: set[int] = set()
    for dst, src in zip(last, row):
        if id(src) in done or not src.text:
            continue
        done.add(id(src))
        info = wraps.get(id(dst))
        wrapped = info is not None and would_wrap(info.last_width, src.text, info.avail, info.em)
        dst.text = join_wrapped(dst.text, src.text, wrapped)
        if src.confidence is not None:
            dst.confidence = min(dst.confidence if dst.confidence is not None else 1.0, src.confidence)
    return True


# ---------------------------------------------------------------- the document


def assemble(pages: list[PageRead]) -> SourceDocument:
    """The pages' lines and table fragments in reading order → paragraphs, and tables joined over pages."""
    doc = SourceDocument(kind="scan", paragraphs=[], tables=[])
    before: list[str] = []
    prev_para: Para | None = None
    # The table being built, and whether it was the last thing on its page (it may continue on the next).
    open_table: Table | None = None
    open_frag: tuple[Fragment, int] | None = None
    open_at_end = False
    open_bounds: list[float] = []
    header_len = 0
    wraps: dict[int, Wrap] = {}
    for page_no, page in enumerate(pages):
        k = page.scale
        doc.pages.append(page.png)
        blocks = [b for b in page.blocks if not (b[1] == "line" and (not b[2].text or b[2].score < TEXT_SCORE
                                                                     or is_page_number(b[2], page)))]
        i = 0
        first_block = True
        while i < len(blocks):
            if blocks[i][1] == "line":
                run = []
                while i < len(blocks) and blocks[i][1] == "line":
                    run.append(blocks[i][2])
                    i += 1
                paras = paragraphs(run, page, page_no, prev_para if first_block else None)
                prev_para = None
                for p in paras:
                    text = para_text(p)
                    if doc.paragraphs and p.lines[0] not in run:
                        # The paragraph the page before ended with, going on here: its text again, whole.
                        doc.paragraphs[-1] = text
                        if before:
                            before[-1] = text
                        prev_para = p
                    elif text:
                        doc.paragraphs.append(text)
                        before.append(text)
                        prev_para = p
                if paras:
                    open_at_end = False
                first_block = False
                continue
            frag: Fragment = blocks[i][2]
            rows = fragment_cells(frag, page_no, k, wraps)
            bounds = _bounds(frag)
            union = None
            if open_table is not None and open_at_end and first_block and open_frag is not None:
                before_w = (open_frag[0].xs[-1] - open_frag[0].xs[0]) / open_frag[1]
                if abs(before_w - (frag.xs[-1] - frag.xs[0]) / page.width) < 0.03:  # as wide on both pages
                    union = _union_bounds(open_bounds, bounds)
            if union is not None and open_table is not None:
                # The same table continuing: drop the header repeated at the top, join a split row.
                open_table.rows[:] = _spread(open_table.rows, open_bounds, union)
                rows = _spread(rows, bounds, union)
                open_bounds = union
                start = 0
                for hr in range(min(header_len, len(rows))):
                    if _same_row(open_table.rows[hr], rows[hr]):
                        start = hr + 1
                    else:
                        break
                rows = rows[start:]
                if rows and _append_continuation(open_table.rows, rows[0], wraps):
                    rows = rows[1:]
                open_table.rows.extend(rows)
                _renumber(open_table.rows, 0)
            else:
                _renumber(rows, 0)
                open_table = Table(rows=rows, paragraphs_before=list(before))
                open_bounds = bounds
                doc.tables.append(open_table)
                before = []
                header_len = _header_len(rows)
            open_frag = (frag, page.width)
            open_at_end = True
            prev_para = None
            first_block = False
            i += 1
    doc.paragraphs_after = before
    return doc


def _header_len(rows: list[list[Cell]]) -> int:
    """Rows at the top whose cells are all header words (a repeated header on the next page is that long)."""
    n = 0
    for row in rows[:3]:
        texts = [c.text for c in _distinct(row) if c.text]
        if texts and sum(1 for t in texts if match_field(t)) >= max(1, len(texts) - 1):
            n += 1
        else:
            break
    return max(n, 1)


def _renumber(rows: list[list[Cell]], offset: int) -> None:
    seen: set[int] = set()
    for r, row in enumerate(rows):
        for c, cell in enumerate(row):
            if id(cell) in seen:
                continue
            seen.add(id(cell))
            cell.row, cell.col = r + offset, c
