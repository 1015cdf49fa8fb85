"""Read a whole target list: get the notice into paragraphs and grids (forms.read_source, whatever its form),
then interpret it the one way (parse_source): find the table, read the notice's facts and the indicators."""

from __future__ import annotations

import os
from dataclasses import replace
from collections.abc import Sequence
from pathlib import Path

from ..domain.indicators import extract_indicators
from ..domain.model import ParsedList
from .errors import ImportFailure
from .forms import read_source
from .grid import Cell, SourceDocument, Table
from .notice import find_region, find_year, read_notice
from .progress import NO_PROGRESS, Progress
from .table import ColumnMap, find_header, read_projects
from .text import clean_text

_TITLE_WORDS = ("民生实事", "目标任务", "民生项目", "实事")


def pick_table(doc: SourceDocument) -> tuple[Table, ColumnMap] | None:
    best: tuple[int, Table, ColumnMap] | None = None
    for table in doc.tables:
        cmap = find_header(table)
        if cmap is None or "name" not in cmap.columns:
            continue
        data_rows = len(table.rows) - cmap.first_data_row
        score = len(cmap.columns) * 1000 + data_rows
        if best is None or score > best[0]:
            best = (score, table, cmap)
    return (best[1], best[2]) if best else None


def _attachment_title(before: list[str]) -> str | None:
    """The table's own title: the last line above it that is not 附件/附件1/a date."""
    for text in reversed(before):
        t = clean_text(text) or ""
        if not t or t.startswith("附件") and len(t) <= 6:
            continue
        if any(w in t for w in _TITLE_WORDS) and len(t) <= 60:
            return t
        return None
    return None


def correct_cells(doc: SourceDocument, corrections: dict[tuple[int, int, int], str]) -> SourceDocument:
    """A copy of ``doc`` with the clerk's corrections: (table index, row, column) → text. A merged cell is one
    Cell, so correcting it at any position corrects the whole merged area; a corrected cell is certain."""
    if not corrections:
        return doc
    tables: list[Table] = []
    for t_idx, table in enumerate(doc.tables):
        copies: dict[int, Cell] = {}
        rows: list[list[Cell]] = []
        for r_idx, row in enumerate(table.rows):
            new_row: list[Cell] = []
            for c_idx, cell in enumerate(row):
                copy = copies.get(id(cell))
                if copy is None:
                    copy = copies[id(cell)] = replace(cell)
                new_row.append(copy)
            rows.append(new_row)
        for (ti, r, c), text in corrections.items():
            if ti == t_idx and r < len(rows) and c < len(rows[r]):
                cell = rows[r][c]
                cell.text = text.strip()
                cell.confidence = 1.0
        tables.append(Table(rows=rows, paragraphs_before=list(table.paragraphs_before)))
    return replace(doc, tables=tables)


def read_target_list(path: str | os.PathLike[str] | Sequence[str | os.PathLike[str]], *, year: int | None = None,
                     region: str | None = None, progress: Progress = NO_PROGRESS) -> ParsedList:
    """Read an annual target list. Raises ImportFailure with a one-line Chinese message on bad input."""
    doc = read_source(path, progress)
    name = Path(path).name if isinstance(path, (str, os.PathLike)) else Path(list(path)[0]).name
    return parse_source(doc, name=name, year=year, region=region)


def parse_source(doc: SourceDocument, *, name: str, year: int | None = None,
                 region: str | None = None) -> ParsedList:
    """Interpret a notice read into paragraphs and grids — the same rules for every form it came in.
    The import preview calls it again on the cells the clerk corrected."""
    if not doc.tables:
        what = "内容" if doc.is_sheet else "表格"
        raise ImportFailure(
            f"“{name}”中没有找到{what}：请确认选择的是带有目标任务表（附件）的通知，或目标任务表本身。", path=name
        )
    picked = pick_table(doc)
    if picked is None:
        raise ImportFailure(
            f"“{name}”中的表格找不到可识别的表头（如“序号”“项目名称”“牵头单位”“目标任务”）："
            "请确认表头在表格的前几行，或把目标任务表另存为 .xlsx 后再试。",
            path=name,
        )
    table, cmap = picked
    if doc.is_sheet:
        before = [" ".join(c.text for c in _distinct_row(table.rows[r]) if c.text)
                  for r in range(cmap.first_data_row - len(cmap.header_rows))]
        before = [b for b in before if b.strip()]
    else:
        before = table.paragraphs_before
    result = read_projects(table, cmap)
    if not result.projects:
        raise ImportFailure(f"“{name}”的目标任务表中没有读到任何项目：请确认表格内容是否完整。", path=name)
    facts = read_notice(before if doc.is_sheet else doc.paragraphs)
    title = _attachment_title(before)
    warnings = list(result.warnings)
    found_year = find_year(title, facts.notice_title, facts.doc_number and facts.doc_number.replace("〔", "").replace("〕", "年"))
    found_region = find_region(title, facts.notice_title, facts.issuer)
    if year is not None and found_year is not None and year != found_year:
        warnings.append(f"文件中写的年度是{found_year}年，已按指定的{year}年导入。")
    if region and found_region and region != found_region:
        warnings.append(f"文件中写的地区是{found_region}，已按指定的{region}导入。")
    final_year = year if year is not None else found_year
    final_region = region or found_region
    if final_year is None:
        raise ImportFailure(f"“{name}”中找不到目标任务的年度：请用 --year 指定（例如 --year 2023）。", path=name)
    if not final_region:
        raise ImportFailure(f"“{name}”中找不到所属区县：请用 --region 指定（例如 --region 武隆区）。", path=name)
    projects = tuple(replace(pr, indicators=tuple(extract_indicators(pr.target))) if pr.is_leaf else pr
                     for pr in result.projects)
    return ParsedList(
        year=final_year,
        region=final_region,
        title=title,
        notice_title=facts.notice_title,
        issuer=facts.issuer,
        doc_number=facts.doc_number,
        issued_on=facts.issued_on,
        contact=facts.contact,
        report_due=facts.report_due,
        source_file=name,
        header_rows=tuple(tuple(r) for r in result.header_rows),
        sections=tuple(result.sections),
        projects=projects,
        warnings=tuple(warnings),
    )


def _distinct_row(row):  # type: ignore[no-untyped-def]
    out = []
    for c in row:
        if all(c is not o for o in out):
            out.append(c)
    return out
