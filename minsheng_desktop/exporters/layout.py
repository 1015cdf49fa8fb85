"""The logical progress table shared by the .xlsx and .docx writers: columns, lines, notes."""

from __future__ import annotations

from dataclasses import dataclass, field

from .data import MonthData, Row, official_date

ColumnKind = str  # "short" centred, "text" left, "money" 0.00, "rate" 0.0%, "pct" 0.0


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    kind: ColumnKind
    xlsx_width: float  # Excel character units
    docx_mm: float


ALL_COLUMNS: tuple[Column, ...] = (
    Column("number", "序号", "short", 6, 9),
    Column("name", "项目名称", "text", 16, 21),
    Column("target", "年度目标任务", "text", 30, 28),
    Column("investment", "年度投资（万元）", "money", 11, 18),
    Column("done", "累计完成投资（万元）", "money", 12, 18),
    Column("rate", "投资完成率", "rate", 9, 15),
    Column("progress", "工作进展情况", "text", 30, 27),
    Column("percent", "完成进度（%）", "pct", 9, 12),
    Column("status", "进度状态", "short", 9, 13),
    Column("problems", "存在问题", "text", 18, 18),
    Column("next_steps", "下步工作打算", "text", 18, 19),
    Column("lead", "牵头单位", "short", 12, 15),
    Column("note", "备注", "text", 8, 8),
)
INVESTMENT_KEYS = ("investment", "done", "rate")
LABEL_KEYS = ("number", "name", "target")  # a section or total label spans these


def columns_for(data: MonthData) -> list[Column]:
    """The default columns; the investment ones are left out when the list has no investment."""
    cols = [c for c in ALL_COLUMNS if data.has_investment or c.key not in INVESTMENT_KEYS]
    if data.has_investment:
        return cols
    # give the freed width to the long text columns
    extra = {"target": 1.25, "progress": 1.3, "problems": 1.15, "next_steps": 1.15, "name": 1.1}
    return [Column(c.key, c.header, c.kind, c.xlsx_width * extra.get(c.key, 1), c.docx_mm * extra.get(c.key, 1))
            for c in cols]


@dataclass
class Line:
    """One table line: kind is section, parent, item, sub or total; label spans LABEL_KEYS for section/total."""

    kind: str
    values: dict[str, object] = field(default_factory=dict)
    label: str | None = None
    project_id: str | None = None
    number: str | None = None
    section: str | None = None


def _row_values(r: Row) -> dict[str, object]:
    p, rep = r.project, r.report
    vals: dict[str, object] = {
        "number": p.number, "name": p.name, "target": p.target, "investment": r.investment_wan,
        "done": r.done_wan, "rate": r.rate, "note": p.note,
        "lead": "、".join(p.lead_units),
    }
    if not r.is_parent:
        vals.update(progress=rep.progress if rep else None, percent=rep.percent if rep else None,
                    status=r.status_label, problems=rep.problems if rep else None,
                    next_steps=rep.next_steps if rep else None)
    return vals


def _sums(rows: list[Row]) -> dict[str, object]:
    inv = [r.investment_wan for r in rows if r.investment_wan is not None]
    done = [r.done_wan for r in rows if r.done_wan is not None]
    total = sum(inv) if inv else None
    total_done = sum(done) if done else None
    rate = total_done / total if total and total_done is not None else None
    return {"investment": total, "done": total_done, "rate": rate}


def table_lines(data: MonthData) -> list[Line]:
    """Section lines with subtotals, items, sub-projects under their item, and a closing 合计 line."""
    out: list[Line] = []
    for block in data.blocks:
        if block.title:
            out.append(Line("section", _sums(block.leaves) if data.has_investment else {}, block.title,
                            section=block.section.name if block.section else None))
        for r in block.rows:
            kind = "parent" if r.is_parent else ("sub" if r.depth else "item")
            out.append(Line(kind, _row_values(r), project_id=r.project.id, number=r.project.number,
                            section=r.project.section))
    if data.has_investment and data.leaves:
        out.append(Line("total", _sums(data.leaves), "合计"))
    return out


def notes(data: MonthData) -> list[str]:
    """The lines under the table: withdrawn projects left out, how the figures are defined."""
    out = []
    if data.withdrawn:
        names = "、".join(f"{p.number}.{p.name}" for p in data.withdrawn)
        out.append(f"已撤销的{len(data.withdrawn)}个项目未列入本表：{names}。")
    if data.has_investment:
        out.append("投资完成率＝累计完成投资÷年度投资。")
    out.append(f"完成进度为{data.as_of}完成年度目标任务的比例；序时进度为{data.elapsed_percent():.1f}%。")
    if len(out) == 1:
        return [f"注：{out[0]}"]
    lines = [f"{i + 1}.{t}" for i, t in enumerate(out)]
    return ["注：" + lines[0], *("　　" + x for x in lines[1:])]


def reporter_fields(data: MonthData) -> list[tuple[str, str | None]]:
    """填报单位 / 联系人 / 联系电话 / 填报日期; None where the clerk fills it in by hand."""
    return [("填报单位", data.sender or None), ("联系人", data.reporter_name),
            ("联系电话", data.reporter_phone), ("填报日期", official_date(data.report_date))]


def full_title(data: MonthData) -> str:
    return f"{data.table_title}（{data.as_of}）"
