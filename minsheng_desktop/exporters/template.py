"""The office's own blank table (.xlsx/.docx): recognise its header, remember the mapping, fill it.

Stored per list in the setting ``template:{list_id}`` (JSON, the file's bytes in base64); the clerk
corrects the mapping in gui/template_dialog.py. Filling keeps the template's styling, widths, title rows and extra columns.
"""

from __future__ import annotations

import base64
import io
import json
import re
from copy import copy
from dataclasses import dataclass, field
from pathlib import Path

from typing import TYPE_CHECKING

from ..storage import repo
from .data import MonthData, official_date
from .layout import ALL_COLUMNS, Column, Line, notes, table_lines

MAX_TEMPLATE_BYTES = 5 * 1024 * 1024
NOT_FILLED = "不填"
FIELD_LABELS: dict[str, str] = {
    "number": "序号", "name": "项目名称", "target": "年度目标任务", "investment": "年度投资（万元）",
    "done": "累计完成投资（万元）", "rate": "投资完成率", "progress": "工作进展情况", "percent": "完成进度（%）",
    "status": "进度状态", "problems": "存在问题", "next_steps": "下步工作打算", "lead": "牵头单位",
    "indicators": "主要指标完成情况",
    "partner": "配合单位", "deadline": "完成时限", "note": "备注",
}
# Report words, tried before the importer's header words (累计完成投资 is not 年度投资).
REPORT_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("number", re.compile(r"^(序号|编号|序)$")),
    ("rate", re.compile(r"完成率|完成比率")),
    ("done", re.compile(r"完成投资|累计投资|已完成投资|累计完成|完成资金")),
    ("percent", re.compile(r"完成进度|形象进度|完成比例|进度[（(]?%|百分比")),
    ("status", re.compile(r"状态|是否滞后")),
    ("indicators", re.compile(r"指标.{0,4}(完成|进度|情况)|完成.{0,2}指标")),
    ("progress", re.compile(r"进展|推进情况|完成情况|实施情况")),
    ("problems", re.compile(r"问题|困难")),
    ("next_steps", re.compile(r"下步|下一步|措施|打算")),
    ("investment", re.compile(r"年度投资|计划投资|总投资")),
    ("target", re.compile(r"目标任务")),
    ("lead", re.compile(r"牵头|责任单位|责任部门")),
]
_KINDS = {c.key: c for c in ALL_COLUMNS} | {"partner": Column("partner", "配合单位", "short"),
                                            "deadline": Column("deadline", "完成时限", "short")}
_NUMBER_KINDS = ("money", "rate", "pct")
_PLAIN_FORMAT = re.compile(r"^[#,0]+(\.0+)?%?$")  # 0, 0.0, 0.00, #,##0.00: no more than a count of decimals
_TAIL_RE = re.compile(r"^\s*(注|说明|备注|填报|填表|制表|审核|联系|负责人|单位负责人|附)")


if TYPE_CHECKING:
    from ..importers.grid import Table

# The importers' readers and header words are imported when a template is read or matched, not when an export
# only looks for a remembered one (the command line's export starts ~40 ms sooner).


class TemplateError(Exception):
    """A template that cannot be used; the message is one Chinese line for the clerk."""


def template_field(text: str) -> str | None:
    """The field a template header names: report words first, then the importer's header words."""
    t = re.sub(r"\s+", "", text or "")
    if not t or len(t) > 30:
        return None
    for name, pat in REPORT_PATTERNS:
        if pat.search(t):
            return name
    from ..importers.table import match_field

    return match_field(t)


@dataclass
class TemplateColumn:
    index: int  # grid column, 0-based
    header: str
    field: str | None


@dataclass
class Template:
    kind: str  # "xlsx" | "docx"
    filename: str
    content: bytes = field(repr=False)
    part: int  # the visible sheet / the body table that holds the header
    part_name: str
    header_row: int  # first header row, 0-based
    data_row: int  # first row after the header, 0-based
    columns: list[TemplateColumn]

    def mapping(self) -> dict[int, str]:
        return {c.index: c.field for c in self.columns if c.field}

    def to_json(self) -> str:
        d = {"kind": self.kind, "filename": self.filename,
             "data": base64.b64encode(self.content).decode("ascii"),
             "part": self.part, "part_name": self.part_name, "header_row": self.header_row,
             "data_row": self.data_row, "columns": [[c.index, c.header, c.field] for c in self.columns]}
        return json.dumps(d, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> Template:
        d = json.loads(text)
        return cls(d["kind"], d["filename"], base64.b64decode(d["data"]), int(d["part"]), d["part_name"],
                   int(d["header_row"]), int(d["data_row"]),
                   [TemplateColumn(int(i), h, f if f in FIELD_LABELS else None) for i, h, f in d["columns"]])


# ------------------------------------------------------------------ recognising


def _find_header(table: "Table", max_scan: int = 15) -> tuple[int, int, list[TemplateColumn]] | None:
    rows = table.rows
    top = None
    for r in range(min(len(rows), max_scan)):
        cells = list({id(c): c for c in rows[r]}.values())
        fields = {template_field(c.text) for c in cells} - {None}
        if "name" in fields and len(fields) >= 2 or len(fields) >= 3:
            top = r
            break
    if top is None:
        return None
    end = top + 1
    while end < len(rows) and end < top + 3:  # a second header row: merged continuations and header words
        above = {id(c) for i in range(top, end) for c in rows[i]}
        group = {id(c) for i in range(top, end) for c in rows[i] if rows[i].count(c) > 1}
        new = [(k, c) for k, c in enumerate(rows[end]) if id(c) not in above and c.text]
        if not new or any(not template_field(c.text) and id(rows[end - 1][k]) not in group for k, c in new):
            break
        end += 1
    width = max(len(rows[i]) for i in range(top, end))
    cols: list[TemplateColumn] = []
    for c in range(width):
        texts: list[str] = []
        for i in range(top, end):
            t = rows[i][c].text if c < len(rows[i]) else ""
            if t and t not in texts:
                texts.append(t)
        if texts:
            f = next((template_field(t) for t in reversed(texts) if template_field(t)), None)
            cols.append(TemplateColumn(c, "／".join(t.replace("\n", "") for t in texts), f))
    return top, end, cols


def analyse_template(path: str | Path) -> Template:
    """Read a blank table and propose the mapping of its columns; TemplateError when it has no header."""
    from ..importers.errors import ImportFailure
    from ..importers.grid import read_docx
    from ..importers.sniff import sniff
    from ..importers.xlsx import read_xlsx

    p = Path(path)
    try:
        kind = sniff(p)
        if p.stat().st_size > MAX_TEMPLATE_BYTES:
            raise TemplateError(f"模板“{p.name}”过大（超过 5 MB）：空白表格通常只有几十 KB，请确认选择的文件。")
        doc = read_xlsx(p) if kind == "xlsx" else read_docx(p)
        content = p.read_bytes()
    except ImportFailure as exc:
        raise TemplateError(str(exc)) from None
    found = [(k, *h) for k, t in enumerate(doc.tables) if (h := _find_header(t))]
    best = next((f for f in found if any(c.field == "name" for c in f[3])), found[0] if found else None)
    if best is None:
        raise TemplateError(f"没有在“{p.name}”中找到表头：请确认模板的表头含有“序号”“项目名称”“工作进展”等字样。")
    part, top, end, cols = best
    if kind == "xlsx":
        import openpyxl

        wb = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
        name = [ws.title for ws in wb.worksheets if ws.sheet_state == "visible"][part]
        wb.close()
    else:
        name = f"表格{part + 1}"
    seen: set[str] = set()
    for c in cols:  # one column per field: a later duplicate is 不填 until the clerk says otherwise
        if c.field in seen:
            c.field = None
        elif c.field:
            seen.add(c.field)
    return Template(kind, p.name, content, part, name, top, end, cols)


# ------------------------------------------------------------------ remembering


def setting_key(list_id: int) -> str:
    return f"template:{list_id}"


def save_template(db, list_id: int, tpl: Template) -> None:  # type: ignore[no-untyped-def]
    repo.set_setting(db, setting_key(list_id), tpl.to_json())


def load_template(db, list_id: int) -> Template | None:  # type: ignore[no-untyped-def]
    raw = repo.get_setting(db, setting_key(list_id))
    if not raw:
        return None
    try:
        return Template.from_json(raw)
    except (ValueError, KeyError, TypeError):
        return None


def clear_template(db, list_id: int) -> None:  # type: ignore[no-untyped-def]
    repo.set_setting(db, setting_key(list_id), "")


def template_builder(db, list_id: int, fmt: str):  # type: ignore[no-untyped-def]
    """The remembered template's builder for this format ("xlsx" / "docx"), or None for the built-in form."""
    tpl = load_template(db, list_id)
    if tpl is None or tpl.kind != fmt:
        return None
    return lambda data: fill_template(tpl, data)


def builder_for(db, list_id: int, kind: str):  # type: ignore[no-untyped-def]
    """The builder of ``kind`` for this list: the remembered template, else the built-in form (BUILDERS)."""
    from . import BUILDERS

    return template_builder(db, list_id, kind) or BUILDERS[kind][0]


# ------------------------------------------------------------------ shared


def fill_template(tpl: Template, data: MonthData) -> bytes:
    if "name" not in tpl.mapping().values():
        raise TemplateError(f"模板“{tpl.filename}”没有哪一列对应“项目名称”：请在“单位模板”中指定后再导出。")
    if tpl.kind == "xlsx":
        return _fill_xlsx(tpl, data)
    from .template_docx import fill_docx

    return fill_docx(tpl, data)


_PAREN = r"(?:[（(][^）)]{0,8}[）)])?"  # 填报单位（盖章）：
_BLANK = r"[ 　_＿]*"
_NEXT = rf"(?=$|[ 　]{{2}}|{_BLANK}[\u4e00-\u9fff]+{_PAREN}[:：])"  # the end, a gap, or the next label
FILL_LABELS: tuple[tuple[str, str], ...] = (
    ("填报单位|报送单位|填表单位|单位名称", "sender"),
    ("联系人|填报人|填表人|经办人", "name"),
    ("联系电话|联系方式|电话|手机", "phone"),
    ("填报时间|填报日期|填表日期|填表时间|报送日期|报送时间", "date"),
)


def fill_placeholders(text: str, data: MonthData) -> str:
    """2023年X月 → 2023年5月, 截至X月底 → 截至5月底, and the clerk's blanks filled behind their labels:
    填报单位（盖章）：区教委, 联系人：张三, 联系电话：…, 填报时间：2023年6月5日 (a blank we cannot fill stays)."""
    blank = r"[\s_　XxＸ×]*"
    m = data.month_no
    date = official_date(data.report_date)
    text = re.sub(rf"((?:填报|填表|报送)(?:日期|时间){_PAREN}[:：]){blank}(?:\d{{4}}|{blank})年{blank}月{blank}日",
                  lambda mo: f"{mo.group(1)}{date}", text)
    values = {"sender": data.sender, "name": data.reporter_name, "phone": data.reporter_phone, "date": date}
    for labels, key in FILL_LABELS:
        value = values[key]
        if value:
            text = re.sub(rf"(?<![\u4e00-\u9fff])((?:{labels}){_PAREN}[:：]){_BLANK}{_NEXT}",
                          lambda mo, v=value: f"{mo.group(1)}{v}" + ("　" if mo.end() < len(mo.string) else ""),
                          text)
    text = re.sub(r"(?:[XxＸ×]{2,4}|_{2,}|[ 　]{2,})年", f"{data.year}年", text)
    text = re.sub(r"(?<=年)(?:[XxＸ×]{1,2}|_+|[ 　]+)月", f"{m}月", text)
    text = re.sub(r"(?<![\dXxＸ×])[XxＸ×]{1,2}月", f"{m}月", text)
    return re.sub(r"截至(\d{4}年)?月底", lambda mo: f"截至{mo.group(1) or ''}{m}月底", text)


def _cells_of(line: Line, data: MonthData, projects: dict) -> dict[str, object]:
    vals = dict(line.values)
    p = projects.get(line.project_id)
    if p is not None:
        vals.update(partner="、".join(p.partner_units) or None, deadline=p.deadline)
    return vals


def _lines(data: MonthData, mapping: dict[int, str]) -> list[Line]:
    """The table's lines; the 合计 line only when the template has a column for one of its figures."""
    return [ln for ln in table_lines(data) if ln.kind != "total" or set(ln.values) & set(mapping.values())]


def _projects(data: MonthData) -> dict:
    return {r.project.id: r.project for b in data.blocks for r in b.rows}


def _label_span(line: Line, mapping: dict[int, str], width: int) -> int:
    """Columns from the first that a section/total label covers: up to the first column with a figure."""
    figures = [c for c, f in mapping.items() if line.values.get(f) is not None]
    return min(figures) if figures and min(figures) >= 2 else width


# ------------------------------------------------------------------ xlsx


def _fill_xlsx(tpl: Template, data: MonthData) -> bytes:
    import openpyxl
    from openpyxl.styles import Alignment
    from openpyxl.styles.cell_style import StyleArray
    from openpyxl.utils import get_column_letter as letter
    from openpyxl.utils import range_boundaries

    from .numbers import excel_number
    from .xlsx import BODY_PT, LINE_HEIGHT, META_SHEET, _display, _lines_needed, _write_meta, put

    wb = openpyxl.load_workbook(io.BytesIO(tpl.content))
    if META_SHEET in wb.sheetnames:
        del wb[META_SHEET]
    ws = [s for s in wb.worksheets if s.sheet_state == "visible"][tpl.part]
    mapping, first = tpl.mapping(), tpl.data_row + 1
    width = max(ws.max_column, max(c.index for c in tpl.columns) + 1)
    tail = first  # rows first..tail-1 are the template's data rows; from tail on, notes and signatures
    while tail <= ws.max_row and not _xlsx_tail_row(ws, tail, width):
        tail += 1
    src = [copy(ws.cell(first, j)._style) for j in range(1, width + 1)] if tail > first else None
    src_height = ws.row_dimensions[first].height if tail > first else None
    lines, extra = _lines(data, mapping), notes(data)
    moved = []  # what follows the data rows moves below ours, with its merges and row heights
    for rng in [r for r in ws.merged_cells.ranges if r.min_row >= first]:
        ws.unmerge_cells(rng.coord)
        if rng.min_row >= tail:
            moved.append(rng.coord)
    heights = {r: ws.row_dimensions[r].height for r in range(tail, ws.max_row + 1)}
    delta = first + len(lines) + len(extra) - tail
    if delta > 0:
        ws.insert_rows(tail, delta)
    elif delta < 0:
        ws.delete_rows(tail + delta, -delta)
    for r in range(first, max(heights, default=tail) + max(delta, 0) + 1):
        ws.row_dimensions[r].height = heights.get(r - delta)
    for coord in moved:
        c0, r0, c1, r1 = range_boundaries(coord)
        ws.merge_cells(start_row=r0 + delta, start_column=c0, end_row=r1 + delta, end_column=c1)
    if src is None:  # no data row in the template: the header's borders and font, not bold, no fill
        src = []
        for j in range(1, width + 1):
            head, cell = ws.cell(tpl.data_row, j), ws.cell(first, j)
            cell.border, cell.font = copy(head.border), _bold(head.font, False)
            cell.alignment = Alignment(vertical="center", wrap_text=True)
            src.append(copy(cell._style))
    widths = [ws.column_dimensions[letter(j)].width or 8.43 for j in range(1, width + 1)]
    projects, ids = _projects(data), []
    for r, line in enumerate(lines, start=first):
        for j in range(1, width + 1):
            ws.cell(r, j)._style = copy(src[j - 1])
            ws.cell(r, j).value = None
        vals, span, need = _cells_of(line, data, projects), 0, 1
        scale = BODY_PT / (ws.cell(r, 1).font.sz or BODY_PT)  # a smaller font fits more in a line
        if line.kind in ("section", "total"):
            span = _label_span(line, mapping, width)
            if span > 1:
                ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=span)
            cell = put(ws.cell(r, 1), line.label or "")
            align = copy(cell.alignment)
            align.horizontal = "left" if line.kind == "section" else "center"
            cell.alignment = align
            need = _lines_needed(line.label or "", sum(widths[:span]) * scale)
            vals = vals if span < width else {}
        for c, f in mapping.items():
            value, cell = vals.get(f), ws.cell(r, c + 1)
            if c < span or value is None or value == "":
                continue
            kind = _KINDS[f].kind
            if kind in _NUMBER_KINDS and isinstance(value, (int, float)):
                value, shown = excel_number(kind, value)  # 40, not 40.0; 504.9; 29.6%
                fmt = cell.number_format or "General"
                if fmt == "General" or _PLAIN_FORMAT.match(fmt) or (kind == "rate") != ("%" in fmt):
                    cell.number_format = shown  # the office's own number styles (colours, text) are kept
            put(cell, value)
            need = max(need, _lines_needed(_display(value, _KINDS[f]), widths[c] * scale))
        for j in range(1, width + 1) if line.kind in ("section", "total", "parent") else ():
            ws.cell(r, j).font = _bold(ws.cell(r, j).font, True)
        ws.row_dimensions[r].height = max(src_height or 0, LINE_HEIGHT / scale * need + 6)
        if line.project_id:
            ids.append((r, line.project_id, line.section, line.number or ""))
    for r, text in enumerate(extra, start=first + len(lines)):
        for j in range(1, width + 1):
            ws.cell(r, j)._style = StyleArray()
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=width)
        put(ws.cell(r, 1), text).font = _bold(ws.cell(first, 1).font, False)
        ws.cell(r, 1).alignment = Alignment(horizontal="left", vertical="top", wrap_text=True)
        ws.row_dimensions[r].height = LINE_HEIGHT * _lines_needed(text, sum(widths)) + 4
    for row in ws.iter_rows():
        if tpl.header_row < row[0].row < first + len(lines) + len(extra):
            continue  # placeholders only in the title rows above and the notes below
        for cell in row:
            if isinstance(cell.value, str) and fill_placeholders(cell.value, data) != cell.value:
                put(cell, fill_placeholders(cell.value, data))
    _print_setup(ws, tpl, sum(widths))
    _write_meta(wb, data, ids)
    for i, (k, v) in enumerate((("sheet", ws.title), ("template", tpl.filename)), start=1):
        put(wb[META_SHEET].cell(i, 4), k)
        put(wb[META_SHEET].cell(i, 5), v)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _bold(font, bold: bool):  # type: ignore[no-untyped-def]
    new = copy(font)
    new.b = bold
    return new


def _print_setup(ws, tpl: Template, total_width: float) -> None:  # type: ignore[no-untyped-def]
    """The template's own print setup stays; without one, A4 fitted to the page width, header repeated."""
    from openpyxl.utils import get_column_letter, range_boundaries

    pr = ws.sheet_properties.pageSetUpPr
    if not (pr is not None and pr.fitToPage) and not ws.page_setup.orientation:
        ws.page_setup.orientation = "landscape" if total_width > 110 else "portrait"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
    if not ws.print_title_rows:
        ws.print_title_rows = f"{tpl.header_row + 1}:{tpl.data_row}"
    if ws.print_area:
        area = ws.print_area[0] if isinstance(ws.print_area, list) else ws.print_area
        c0, r0, c1, _ = range_boundaries(area.split("!")[-1].replace("$", ""))
        ws.print_area = f"{get_column_letter(c0)}{r0}:{get_column_letter(c1)}{ws.max_row}"


def _xlsx_tail_row(ws, r: int, width: int) -> bool:  # type: ignore[no-untyped-def]
    """A note or signature line under the table: one text, a note word or outside the table's borders."""
    cells = [ws.cell(r, j) for j in range(1, width + 1)]
    texts = [c.value for c in cells if c.value not in (None, "")]
    return len(texts) == 1 and isinstance(texts[0], str) and (
        bool(_TAIL_RE.match(texts[0]))
        or not any(c.border.left.style or c.border.bottom.style for c in cells))
