"""A web page's tables into grids of Cells: rowspan/colspan read (a merged cell one Cell at every position it
covers), the candidates for data (tables holding no other table, of at least two rows and two columns), a
project table's header found, and a sheet's title rows saved inside the table lifted out as the paragraphs
before it. A table of more than grid.MAX_ROWS rows or MAX_GRID_CELLS positions is refused.
"""

from __future__ import annotations

from pathlib import Path

from lxml import etree as _etree

from .errors import ImportFailure
from .grid import MAX_ROWS, Cell, Table, norm_cell_text
from .html_file import failure
from .html_text import ATTACHMENT_LABEL, TITLE_WORDS, Flow, compact, split_lines
from .table import ColumnMap, find_header

_Element = _etree._Element

MAX_GRID_CELLS = 2_000_000  # grid positions in one table (rows × columns after spans)
MAX_COLSPAN = 256


def _cell_text(td: _Element) -> str:
    if len(td) == 0:  # the common cell: text only
        return "\n".join(split_lines(td.text or ""))
    flow = Flow(filter_chrome=False)
    flow.walk(td)
    flow.flush()
    return "\n".join(str(t) for _, t in flow.items)


def _span(value: str | None, limit: int) -> int:
    if value is None:
        return 1
    try:
        n = int(str(value).strip())
    except (TypeError, ValueError):
        return 1
    return limit if n == 0 else max(1, min(n, limit))


def read_table(table: _Element, name: str, path: Path) -> list[list[Cell]]:
    trs = [tr for tr in table.iter("tr")]
    if len(trs) > MAX_ROWS:
        raise failure(name, path, f"的表格共有 {len(trs)} 行，超出 {MAX_ROWS} 行的上限：请确认文件是否正确。")
    n = len(trs)
    grid: list[dict[int, Cell]] = [{} for _ in range(n)]
    positions = 0
    for r, tr in enumerate(trs):
        c = 0
        for td in tr:
            if td.tag not in ("td", "th"):
                continue
            while c in grid[r]:
                c += 1
            rs = _span(td.get("rowspan"), n - r)  # rowspan=0: to the end of the table
            cs = _span(td.get("colspan"), MAX_COLSPAN)
            positions += rs * cs
            if positions > MAX_GRID_CELLS:
                raise failure(name, path, "中的表格过大（合并单元格范围异常），超出可读范围：请确认文件是否正确。")
            try:
                cell = Cell(norm_cell_text(_cell_text(td)), r, c)
            except ImportFailure as exc:
                raise failure(name, path, f"：{exc.message}") from None
            for i in range(r, r + rs):
                row = grid[i]
                for j in range(c, c + cs):
                    row.setdefault(j, cell)  # overlapping spans: the cell placed first keeps the position
            c += cs
    rows: list[list[Cell]] = []
    for r, row in enumerate(grid):
        width = max(row) + 1 if row else 0
        rows.append([row.get(j) or Cell("", r, j) for j in range(width)])
    return rows


def leaf_tables(root: _Element) -> list[_Element]:
    """Tables holding no other table: the candidates for data. A table around tables is page layout."""
    return [t for t in root.iter("table") if next(t.iterdescendants("table"), None) is None]


def is_grid(rows: list[list[Cell]]) -> bool:
    """At least two rows and two columns: a one-row or one-column table is a frame around text."""
    return len(rows) >= 2 and max((len({id(c) for c in r}) for r in rows), default=0) >= 2


def project_header(table: Table) -> ColumnMap | None:
    cmap = find_header(table)
    return cmap if cmap is not None and "name" in cmap.columns else None


def _row_text(row: list[Cell]) -> str:
    seen: list[Cell] = []
    for c in row:
        if c.text and all(c is not o for o in seen):
            seen.append(c)
    return " ".join(c.text.replace("\n", " ") for c in seen).strip()


def _is_title_row(text: str) -> bool:
    c = compact(text)
    return bool(ATTACHMENT_LABEL.match(c)) or (len(c) <= 60 and any(w in c for w in TITLE_WORDS))


def lift_title_rows(table: Table, cmap: ColumnMap) -> list[str]:
    """A sheet's title rows saved inside the table ("附件", "武隆区2023年度民生实事目标任务" above the header)
    → the paragraphs before the table, as the .docx has them. Rows from the top down to the last one that is
    such a title; a note between it and the header (单位：万元) stays in the table, where it was."""
    start = cmap.first_data_row - len(cmap.header_rows)
    cut = max((r + 1 for r in range(start) if _is_title_row(_row_text(table.rows[r]))), default=0)
    if cut == 0:
        return []
    above = {id(c) for row in table.rows[:cut] for c in row}
    if any(id(c) in above for row in table.rows[cut:] for c in row):
        return []  # a cell spans the title rows and what follows: leave the table as it is
    lifted = [t for row in table.rows[:cut] if (t := _row_text(row))]
    table.rows = table.rows[cut:]
    moved: set[int] = set()
    for row in table.rows:
        for c in row:
            if id(c) not in moved:
                moved.add(id(c))
                c.row -= cut
    return lifted
