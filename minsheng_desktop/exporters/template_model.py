"""An office's own blank table as a record (Template, its columns) and what filling the .xlsx and the .docx share.

Recognising a template's header and remembering it per list are use cases (services/templates.py); filling it
is template.py (.xlsx) and template_docx.py (.docx), which both build on this module."""

from __future__ import annotations

import base64
import json
import re
from dataclasses import dataclass, field

from .data import MonthData, official_date
from .layout import ALL_COLUMNS, Column, Line, table_lines

NOT_FILLED = "不填"
FIELD_LABELS: dict[str, str] = {
    "number": "序号", "name": "项目名称", "target": "年度目标任务", "investment": "年度投资（万元）",
    "done": "累计完成投资（万元）", "rate": "投资完成率", "progress": "工作进展情况", "percent": "完成进度（%）",
    "status": "进度状态", "problems": "存在问题", "next_steps": "下步工作打算", "lead": "牵头单位",
    "indicators": "主要指标完成情况",
    "partner": "配合单位", "deadline": "完成时限", "note": "备注",
}
# the column of each field, for its kind (money, rate, pct, text …); the template adds 配合单位 and 完成时限
KINDS = {c.key: c for c in ALL_COLUMNS} | {"partner": Column("partner", "配合单位", "short"),
                                           "deadline": Column("deadline", "完成时限", "short")}


class TemplateError(Exception):
    """A template that cannot be used; the message is one Chinese line for the clerk."""


@dataclass
class TemplateColumn:
    """One column of the template's header; ``field`` is what it is filled with (None: 不填). Not frozen: the
    clerk's corrections in the 单位模板 dialog are written into it before the template is saved."""

    index: int  # grid column, 0-based
    header: str
    field: str | None


@dataclass(frozen=True)
class Template:
    """An office's blank table, where its header is and what each column gets; saved as JSON (to_json)."""

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


# ------------------------------------------------------------------ what filling .xlsx and .docx share

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


def cells_of(line: Line, data: MonthData, projects: dict) -> dict[str, object]:
    """A line's values by field, with the template-only fields 配合单位 and 完成时限 of its project."""
    vals = dict(line.values)
    p = projects.get(line.project_id)
    if p is not None:
        vals.update(partner="、".join(p.partner_units) or None,
                    deadline=p.completion_term)  # the template field "deadline"
    return vals


def template_lines(data: MonthData, mapping: dict[int, str]) -> list[Line]:
    """The table's lines; the 合计 line only when the template has a column for one of its figures."""
    return [ln for ln in table_lines(data) if ln.kind != "total" or set(ln.values) & set(mapping.values())]


def projects_by_id(data: MonthData) -> dict:
    """Every project of the table (items and sub-projects) by id."""
    return {r.project.id: r.project for b in data.blocks for r in b.rows}


def label_span(line: Line, mapping: dict[int, str], width: int) -> int:
    """Columns from the first that a section/total label covers: up to the first column with a figure."""
    figures = [c for c, f in mapping.items() if line.values.get(f) is not None]
    return min(figures) if figures and min(figures) >= 2 else width
