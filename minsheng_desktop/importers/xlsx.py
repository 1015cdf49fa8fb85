"""Read the visible sheets of an .xlsx into the neutral grid (see grid.py), streaming each sheet with lxml.

openpyxl's reader builds Python objects for every shared string and cell (its read-only mode parses with
expat through Python callbacks): ~140 ms for a 2,000-row list, plus ~100 ms to import it. This reader walks
only what a target list needs: the workbook's sheet list and their states, the shared strings, the styles
that make a number a date, each sheet's cell values and merged ranges. It is hardened like the .docx reader
(sniff() has refused DTDs and zip bombs; lxml runs with entities, DTDs and network off), streams every
sheet (a 100,000-row sheet is refused at MAX_ROWS without building its tree) and caps each other part.

Values come out as the text a clerk sees in the cell: shared/inline strings (rich-text runs joined, phonetic
guides left out), numbers as written (1235, 12.5), dates in date-formatted cells as 2023-06-30, TRUE/FALSE.

It is the program's one .xlsx reader: `minsheng collect` reads the units' returned exports through it too
(read_xlsx_with_sheet also hands back the hidden sheet our exports keep their project ids in); openpyxl is for
writing .xlsx (exporters/). Why: docs/performance.md, "One .xlsx reader".
"""

from __future__ import annotations

import datetime as _dt
import posixpath
import re
import zipfile
from pathlib import Path

from lxml import etree as _lxml

from .errors import ImportFailure
from .grid import MAX_ROWS, MAX_XML_BYTES, Cell, SourceDocument, Table, norm_cell_text

_S = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_ROW, _C, _V, _T, _RPH, _MERGE = _S + "row", _S + "c", _S + "v", _S + "t", _S + "rPh", _S + "mergeCell"
MAX_COLS = 64  # a target list has 6-13 columns; anything further right is not read
MAX_PART_BYTES = MAX_XML_BYTES  # workbook, relationships, shared strings, styles

# Built-in number formats that show a date or time: Excel's own (14-22, 45-47) and the zh-CN ones that
# WPS and Chinese Excel write without a formatCode (27-36, 50-58: yyyy"年"m"月"d"日", h"时"mm"分" ...).
_BUILTIN_DATES = frozenset([*range(14, 23), *range(27, 37), *range(45, 48), *range(50, 59)])
_BUILTIN_TIMES = frozenset([18, 19, 20, 21, 32, 33, 34, 35, 45, 46, 47, 55, 56])
_QUOTED_OR_BRACKETED = re.compile(r'"[^"]*"|\[[^\]]*\]|\\.|_.|\*.')
_DATE_CODES = re.compile(r"[dmyhsDMYHS年月日时分秒]")
_TIME_ONLY = re.compile(r"^[^dyDY年月日]*$")  # an "m" beside h or s is minutes


def _parser() -> _lxml.XMLParser:
    return _lxml.XMLParser(resolve_entities=False, load_dtd=False, no_network=True, dtd_validation=False,
                           huge_tree=False, remove_comments=True, remove_pis=True)


def _part(zf: zipfile.ZipFile, member: str, name: str) -> _lxml._Element | None:
    """Parse a small part (workbook, rels, strings, styles) whole; None when the package lacks it."""
    try:
        info = zf.getinfo(member)
    except KeyError:
        return None
    if info.file_size > MAX_PART_BYTES:
        raise ImportFailure(f"“{name}”中的“{member}”过大，已拒绝读取：请确认文件来源。")
    return _lxml.fromstring(zf.read(info), parser=_parser())


def _rels(zf: zipfile.ZipFile, member: str, name: str) -> dict[str, tuple[str, str]]:
    """Relationship id -> (type suffix, package path) for a part's .rels."""
    folder, base = posixpath.split(member)
    root = _part(zf, posixpath.join(folder, "_rels", base + ".rels"), name)
    out: dict[str, tuple[str, str]] = {}
    if root is None:
        return out
    for rel in root.iterchildren(_PKG + "Relationship"):
        target = rel.get("Target") or ""
        if rel.get("TargetMode") == "External" or not target:
            continue
        path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
        out[rel.get("Id") or ""] = ((rel.get("Type") or "").rsplit("/", 1)[-1], path)
    return out


def _rich_text(el: _lxml._Element) -> str:
    """The text of an <si> or <is>: its <t>, or its runs' <t> joined; phonetic guides (<rPh>) left out."""
    t = el.find(_T)
    if t is not None:
        return t.text or ""
    return "".join(r.findtext(_T) or "" for r in el.iterchildren(_S + "r"))


def _shared_strings(zf: zipfile.ZipFile, member: str | None, name: str) -> list[str]:
    root = _part(zf, member, name) if member else None
    if root is None:
        return []
    return [_rich_text(si) for si in root.iterchildren(_S + "si")]


def _date_styles(zf: zipfile.ZipFile, member: str | None, name: str) -> dict[int, bool]:
    """Cell style index -> True for a time-only format, False for a date; styles that are not dates absent."""
    root = _part(zf, member, name) if member else None
    if root is None:
        return {}
    custom: dict[int, str] = {}
    fmts = root.find(_S + "numFmts")
    if fmts is not None:
        for f in fmts.iterchildren(_S + "numFmt"):
            try:
                custom[int(f.get("numFmtId") or "")] = f.get("formatCode") or ""
            except ValueError:
                continue
    out: dict[int, bool] = {}
    xfs = root.find(_S + "cellXfs")
    if xfs is None:
        return out
    for i, xf in enumerate(xfs.iterchildren(_S + "xf")):
        try:
            fid = int(xf.get("numFmtId") or 0)
        except ValueError:
            continue
        if fid in custom:
            code = _QUOTED_OR_BRACKETED.sub("", custom[fid].split(";")[0])
            if _DATE_CODES.search(code):
                out[i] = bool(_TIME_ONLY.match(code))
        elif fid in _BUILTIN_DATES:
            out[i] = fid in _BUILTIN_TIMES
    return out


def _serial_to_text(serial: float, time_only: bool, date1904: bool) -> str:
    """An Excel date serial as 2023-06-30 (a time of day appended when there is one), or 14:30 for a time."""
    if date1904:
        base = _dt.datetime(1904, 1, 1)
    else:
        base = _dt.datetime(1899, 12, 30)
        if 0 < serial < 60:  # Excel's 1900-02-29 that never was
            serial += 1
    moment = base + _dt.timedelta(milliseconds=round(serial * 86_400_000))
    clock = moment.strftime("%H:%M:%S").removesuffix(":00")
    if time_only or (not date1904 and 0 <= serial < 1):  # day 0 of 1900 is no date: a time was meant
        return clock
    day = moment.strftime("%Y-%m-%d")
    return day if clock == "00:00" else f"{day} {clock}"


def _number_text(raw: str) -> str:
    if "." in raw or "e" in raw or "E" in raw:
        value = float(raw)
        return str(int(value)) if value.is_integer() else repr(value)
    return str(int(raw))


_COL_RE = re.compile(r"([A-Za-z]{1,3})(\d*)$")


def _col_of(ref: str | None) -> int | None:
    if not ref:
        return None
    m = _COL_RE.match(ref)
    if not m:
        return None
    n = 0
    for ch in m.group(1).upper():
        n = n * 26 + (ord(ch) - 64)
    return n - 1


def _range(ref: str) -> tuple[int, int, int, int] | None:
    """A merged range "B3:C5" as 0-based (row0, col0, row1, col1)."""
    parts = ref.split(":")
    ends = []
    for p in (parts[0], parts[-1]):
        m = _COL_RE.match(p.replace("$", ""))
        if not m or not m.group(2):
            return None
        ends.append((int(m.group(2)) - 1, _col_of(m.group(1))))
    (r0, c0), (r1, c1) = ends
    return (min(r0, r1), min(c0, c1), max(r0, r1), max(c0, c1))  # type: ignore[type-var]


def _read_sheet(fh, title: str, strings: list[str], dates: dict[int, bool],  # type: ignore[no-untyped-def]
                date1904: bool, name: str = "") -> tuple[list[list[str | None]], list[tuple[int, int, int, int]]]:
    """Stream one worksheet: each row's values as text (None where no cell is written) and the merges.

    Only rows that hold a value (a <v>, or an inline string's <t>) count against MAX_ROWS and are kept: a row
    with formatting only (cells with a style and no value — borders run down to row 60,000 in many lists saved
    from .xls) is passed over, so the rows returned end at the last row with a value. A row with a value beyond
    row MAX_ROWS is refused (the grid would be that tall); the sheet's bytes are bounded by sniff."""
    rows: list[list[str | None]] = []
    merges: list[tuple[int, int, int, int]] = []
    next_idx = 0  # where a row without (or with a nonsense) row number goes: after the furthest row seen
    counted = 0
    where = f"“{name}”的工作表“{title}”" if name else f"工作表“{title}”"
    events = _lxml.iterparse(fh, events=("end",), tag=(_ROW, _MERGE), resolve_entities=False, load_dtd=False,
                             no_network=True, huge_tree=False, remove_comments=True, remove_pis=True)
    for _, el in events:
        if el.tag == _MERGE:
            rng = _range(el.get("ref") or "")
            if rng is not None:
                merges.append(rng)
            continue
        r_attr = el.get("r")
        r_num = int(r_attr) if r_attr and r_attr.isdigit() else 0
        r_idx = r_num - 1 if r_num > 0 else next_idx  # no (or a nonsense) row number: the next row
        next_idx = max(next_idx, r_idx + 1)
        if next(el.iter(_V, _T), None) is None:  # formatting only: nothing to read, nothing to count
            _free(el)
            continue
        counted += 1
        if r_idx >= MAX_ROWS or counted > MAX_ROWS:
            raise ImportFailure(f"{where}有内容的行超过 {MAX_ROWS} 行，超出可读范围：请确认文件是否正确。")
        while len(rows) < r_idx:
            rows.append([])
        values: list[str | None] = []
        if r_idx < len(rows):  # rows out of order: Excel never writes them, but a generator might
            values = rows[r_idx]
        else:
            rows.append(values)
        # One flat pass over the row's cells, values and texts in document order (filtered in C).
        cells: list[list] = []
        cell: list | None = None
        skip_t = False
        for node in el.iter(_C, _V, _T, _RPH):
            tag = node.tag
            if tag == _C:
                cell = [node.get("r"), node.get("t"), node.get("s"), None]
                cells.append(cell)
            elif cell is None:
                continue
            elif tag == _V:
                cell[3] = node.text or ""
            elif tag == _RPH:  # a phonetic guide: its one <t> is not the cell's text
                skip_t = True
            elif skip_t:
                skip_t = False
            else:
                cell[3] = (node.text or "") if cell[3] is None else cell[3] + (node.text or "")
        col = -1
        for ref, kind, style, raw in cells:
            c = _col_of(ref)
            col = col + 1 if c is None else c
            if col >= MAX_COLS or raw is None:
                continue
            if kind == "s":
                text: str | None = strings[int(raw)]
            elif kind in ("str", "inlineStr", "e", "d"):
                text = raw
            elif kind == "b":
                text = "TRUE" if raw.strip() in ("1", "true") else "FALSE"
            elif not raw:
                text = None
            elif style and int(style) in dates:
                text = _serial_to_text(float(raw), dates[int(style)], date1904)
            else:
                text = _number_text(raw)
            if len(values) <= col:
                values.extend([None] * (col + 1 - len(values)))
            values[col] = text
        _free(el)
    return rows, merges


def _free(el: _lxml._Element) -> None:
    """Free what is read: the tree of a sheet never grows beyond one row."""
    el.clear()
    parent = el.getparent()
    if parent is not None:
        while el.getprevious() is not None:
            del parent[0]


def build_sheet_table(values: list[list[str | None]], merges: list[tuple[int, int, int, int]]) -> Table | None:
    while values and not any(v is not None and v.strip() for v in values[-1]):
        values.pop()
    width = max((max((i + 1 for i, v in enumerate(r) if v is not None), default=0) for r in values), default=0)
    # A merged range that starts below the last row with a value is formatting (an empty block), not content.
    merges = [m for m in merges if m[0] < len(values)]
    height = max([len(values)] + [min(r1 + 1, MAX_ROWS) for r0, c0, r1, c1 in merges if c0 < width])
    if height == 0 or width == 0:
        return None
    grid: list[list[Cell | None]] = [[None] * width for _ in range(height)]
    for r0, c0, r1, c1 in merges:
        if r0 >= height or c0 >= width:
            continue
        top = values[r0][c0] if r0 < len(values) and c0 < len(values[r0]) else None
        cell = Cell(norm_cell_text(top or ""), r0, c0)
        for r in range(r0, min(r1 + 1, height)):
            for c in range(c0, min(c1 + 1, width)):
                grid[r][c] = cell
    for r_idx, line in enumerate(grid):
        row = values[r_idx] if r_idx < len(values) else ()
        for c_idx in range(width):
            if line[c_idx] is None:
                value = row[c_idx] if c_idx < len(row) else None
                line[c_idx] = Cell(norm_cell_text(value or ""), r_idx, c_idx)
    return Table(rows=grid, paragraphs_before=[])  # type: ignore[arg-type]


def read_xlsx(path: Path) -> SourceDocument:
    """Each visible sheet of the workbook as a table, in the workbook's order (hidden sheets left out)."""
    return _read_workbook(path, None)[0]


def read_xlsx_with_sheet(path: Path, sheet_name: str) -> tuple[SourceDocument, list[list[str | None]] | None]:
    """What read_xlsx gives and, from the same pass over the file, the cell texts of the worksheet named
    ``sheet_name`` (hidden or not) row by row, as _read_sheet gives them (None where no cell is written, an
    empty list for a row without values); None when the workbook has no such worksheet. For our exports' hidden
    bookkeeping sheet, which `minsheng collect` matches projects by."""
    return _read_workbook(path, sheet_name)


def _read_workbook(path: Path, sheet_name: str | None) -> tuple[SourceDocument, list[list[str | None]] | None]:
    name = path.name
    doc = SourceDocument(kind="xlsx", paragraphs=[], tables=[])
    named: list[list[str | None]] | None = None
    try:
        with zipfile.ZipFile(path) as zf:
            book_path = "xl/workbook.xml"
            for kind, target in _rels(zf, "", name).values():  # the package's own _rels/.rels
                if kind == "officeDocument":
                    book_path = target
            book = _part(zf, book_path, name)
            if book is None:
                raise KeyError(book_path)
            rels = _rels(zf, book_path, name)
            by_kind = {kind: target for kind, target in rels.values()}
            strings = _shared_strings(zf, by_kind.get("sharedStrings"), name)
            dates = _date_styles(zf, by_kind.get("styles"), name)
            pr = book.find(_S + "workbookPr")
            date1904 = pr is not None and (pr.get("date1904") or "").lower() in ("1", "true")
            sheets = book.find(_S + "sheets")
            for sheet in (sheets.iterchildren(_S + "sheet") if sheets is not None else ()):
                title = sheet.get("name") or ""
                visible = (sheet.get("state") or "visible") == "visible"
                wanted = named is None and sheet_name is not None and title == sheet_name
                if not visible and not wanted:
                    continue  # hidden sheets hold our own bookkeeping, or scratch data
                kind, target = rels.get(sheet.get(_R + "id") or "", ("", ""))
                if kind != "worksheet" or target not in zf.NameToInfo:
                    continue  # a chart sheet or a dangling reference: nothing to read
                with zf.open(target) as fh:
                    values, merges = _read_sheet(fh, title, strings, dates, date1904, name)
                if wanted:
                    named = [list(row) for row in values]  # build_sheet_table trims the rows it is given
                if visible:
                    table = build_sheet_table(values, merges)
                    if table is not None:
                        doc.tables.append(table)
    except ImportFailure:
        raise
    except (zipfile.BadZipFile, KeyError, OSError, EOFError):
        raise ImportFailure(
            f"“{name}”已损坏或不是有效的 Excel 工作簿，无法打开：请用 Excel 或 WPS 打开并另存为 .xlsx 后再导入。"
        ) from None
    except Exception:  # XMLSyntaxError, a bad number or string index: a broken or hostile workbook
        raise ImportFailure(
            f"“{name}”的内容已损坏，无法读取：请用 Excel 或 WPS 打开并另存为 .xlsx 后再导入。"
        ) from None
    return doc, named
