"""An office's own blank table as use cases: recognise its header (with the importers' readers), remember it
per list (the setting ``template:{list_id}``, JSON with the file's bytes in base64), the builder it gives.

The record and the filling are the exporters' (exporters/template_model.py, template.py); the clerk corrects
the mapping in gui/template_dialog.py. The importers' readers and header words are imported when a template is
read or matched, not when an export only looks for a remembered one (the command line's export starts ~35 ms
sooner).
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from ..exporters.data import MonthData
from ..exporters.formats import FORMATS
from ..exporters.template import fill_template
from ..exporters.template_model import FIELD_LABELS, NOT_FILLED, Template, TemplateColumn, TemplateError
from ..storage import repo
from ..storage.db import Database

if TYPE_CHECKING:
    from ..importers.grid import Table

__all__ = [
    "FIELD_LABELS", "NOT_FILLED", "Template", "TemplateColumn", "TemplateError", "analyse_template", "builder_for",
    "clear_template", "fill_template", "list_template", "load_template", "save_template", "setting_key",
    "template_builder", "template_field",
]

MAX_TEMPLATE_BYTES = 5 * 1024 * 1024
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


def template_field(text: str) -> str | None:
    """The field a template header names: report words first, then the importer's header words."""
    t = re.sub(r"\s+", "", text or "")
    if not t or len(t) > 30:
        return None
    for name, pat in REPORT_PATTERNS:
        if pat.search(t):
            return name
    from ..importers.table import match_field  # deferred, see the module's docstring

    return match_field(t)


# ------------------------------------------------------------------ recognising


def _find_header(table: Table, max_scan: int = 15) -> tuple[int, int, list[TemplateColumn]] | None:
    """(first header row, first row after it, its columns) of a table whose header names our fields, or None."""
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
    from ..importers.errors import ImportFailure  # deferred, see the module's docstring
    from ..importers.grid import read_docx  # deferred: see the module's docstring
    from ..importers.sniff import sniff  # deferred: see the module's docstring
    from ..importers.xlsx import read_xlsx  # deferred: see the module's docstring

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
        import openpyxl  # deferred: a .docx template does not need it

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


# ------------------------------------------------------------------ remembering per list


def setting_key(list_id: int) -> str:
    """The setting that holds a list's template."""
    return f"template:{list_id}"


def save_template(db: Database, list_id: int, tpl: Template) -> None:
    repo.set_setting(db, setting_key(list_id), tpl.to_json())


def load_template(db: Database, list_id: int) -> Template | None:
    """The list's remembered template; None when there is none (or it can no longer be read)."""
    raw = repo.get_setting(db, setting_key(list_id))
    if not raw:
        return None
    try:
        return Template.from_json(raw)
    except (ValueError, KeyError, TypeError):
        return None


def list_template(db: Database, list_id: int) -> tuple[str, Template | None]:
    """(the list's label, '' when it is gone; its remembered template) for the 单位模板 dialog."""
    target_list = repo.get_target_list(db, list_id)
    return (target_list.label if target_list else ""), load_template(db, list_id)


def clear_template(db: Database, list_id: int) -> None:
    repo.set_setting(db, setting_key(list_id), "")


def template_builder(db: Database, list_id: int, fmt: str) -> Callable[[MonthData], bytes] | None:
    """The remembered template's builder for this format ("xlsx" / "docx"), or None for the built-in form."""
    tpl = load_template(db, list_id)
    if tpl is None or tpl.kind != fmt:
        return None
    return lambda data: fill_template(tpl, data)


def builder_for(db: Database, list_id: int, kind: str) -> Callable[[MonthData], bytes]:
    """The builder of ``kind`` for this list: the remembered template, else the built-in form (formats.FORMATS)."""
    return template_builder(db, list_id, kind) or FORMATS[kind].build
