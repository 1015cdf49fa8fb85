"""The logical progress table shared by the .xlsx and .docx writers: columns, lines, notes, column widths.

Which columns a month's table has follows what was entered: whatever the report form asks for (progress,
累计完成投资, the indicator values, 完成进度, status, problems, next steps) is in the table whenever anyone filled it
in, even for a list whose notice plans no investment. Column widths come from the content (fit_widths): the
narrow columns as narrow as their figures and header words allow, the free width to the long text columns
where it saves the most lines."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from .data import MonthData, Row, official_date
from .numbers import number_text, quantity_text
from .textwidth import layout_width as text_width

ColumnKind = str  # "short" centred, "text" left, "money" 万元, "rate" 29.6%, "pct" 85


@dataclass(frozen=True)
class Column:
    key: str
    spec: str  # the header, "|" where it may break between words: 累计|完成|投资|（万元）
    kind: ColumnKind
    min_chars: float = 2.0  # narrowest it may get (full-width characters), besides its figures and header words
    grows: bool = False  # a long text column: takes a share of the free width

    @property
    def header(self) -> str:
        return self.spec.replace("|", "")

    @property
    def words(self) -> list[str]:
        return self.spec.split("|")

    def text(self, value: object) -> str:
        """A value as this column writes it (numbers.number_text): 85, 29.6%, 504.9."""
        return number_text(self.kind, value)


ALL_COLUMNS: tuple[Column, ...] = (
    Column("number", "序号", "short", 2),
    Column("name", "项目|名称", "text", 4, True),
    Column("target", "年度|目标|任务", "text", 4, True),
    Column("investment", "年度|投资|（万元）", "money", 3),
    Column("done", "累计|完成|投资|（万元）", "money", 3),
    Column("rate", "投资|完成率", "rate", 3),
    Column("progress", "工作|进展|情况", "text", 6, True),
    Column("indicators", "主要|指标|完成|情况", "text", 4, True),
    Column("percent", "完成|进度|（%）", "pct", 2),
    Column("status", "进度|状态", "short", 4),
    Column("problems", "存在|问题", "text", 4, True),
    Column("next_steps", "下步|工作|打算", "text", 4, True),
    Column("lead", "牵头|单位", "short", 3, True),
    Column("note", "备注", "text", 2, True),
)
BY_KEY = {c.key: c for c in ALL_COLUMNS}
INVESTMENT_KEYS = ("investment", "done", "rate")
LABEL_KEYS = ("number", "name", "target")  # a section or total label spans these
BOLD = 1.08  # bold figures (a parent item's sums, the subtotals) are this much wider
SLACK = 0.15  # of the whole characters a line holds, what punctuation rules and whole Latin words take away
FIT = 0.3  # room a text on one line (a figure, a short word) needs beside its own width


def columns_for(data: MonthData, indicators_apart: bool = True) -> list[Column]:
    """The month's columns: planned investment and its rate when the list has them; 累计完成投资 when the list
    plans investment or anyone entered it; the indicator values when any were entered (their own column, or
    with ``indicators_apart`` false under the progress text, as the printed table has them); 备注 when a project
    has one."""
    keys = {"number", "name", "target", "progress", "percent", "status", "problems", "next_steps", "lead"}
    if data.has_investment:
        keys |= {"investment", "rate"}
    if data.has_done:
        keys.add("done")
    if data.has_indicators and indicators_apart:
        keys.add("indicators")
    if any(r.project.note for b in data.blocks for r in b.rows):
        keys.add("note")
    return [c for c in ALL_COLUMNS if c.key in keys]


@dataclass
class Line:
    """One table line: kind is section, parent, item, sub or total; label spans LABEL_KEYS for section/total."""

    kind: str
    values: dict[str, object] = field(default_factory=dict)
    label: str | None = None
    project_id: str | None = None
    number: str | None = None
    section: str | None = None
    carried_from: str | None = None  # the month of an earlier report shown for a project not reported yet


def indicator_text(r: Row) -> str | None:
    """改造老旧小区90个；改造老旧小区面积270万平方米 — the values entered, in the order of the targets."""
    rep = r.report
    if rep is None or not rep.indicator_actuals:
        return None
    known = {i.label: i.measure for i in r.project.indicators}
    values = [(label, quantity_text(rep.indicator_actuals[label]) + measure) for label,
              measure in known.items()
              if label in rep.indicator_actuals]
    values += [(label, quantity_text(v)) for label, v in rep.indicator_actuals.items() if label not in known]
    out = ""
    head = None  # a label that only adds a word to the one before (改造老旧小区 → 改造老旧小区面积) is not repeated
    for label, value in values:
        if head and label.startswith(head) and len(label) - len(head) <= 4:
            out += f"、{value}"
            continue
        out += ("；" if out else "") + label + value
        head = label
    return out or None


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
                    next_steps=rep.next_steps if rep else None, indicators=indicator_text(r))
    return vals


def _sums(rows: list[Row], data: MonthData) -> dict[str, object]:
    inv = [r.investment_wan for r in rows if r.investment_wan is not None]
    done = [r.done_wan for r in rows if r.done_wan is not None]
    total = sum(inv) if inv else None
    total_done = sum(done) if done else None
    rate = total_done / total if total and total_done is not None else None
    out: dict[str, object] = {"done": total_done}
    if data.has_investment:
        out.update(investment=total, rate=rate)
    return out


INDICATORS_LEAD = "主要指标："


def table_lines(data: MonthData, indicators_apart: bool = True) -> list[Line]:
    """Section lines with subtotals, items, sub-projects under their item, and a closing 合计 line. Without
    ``indicators_apart`` the indicator values follow the progress text in its cell (主要指标：…)."""
    out: list[Line] = []
    sums = data.has_done
    for block in data.blocks:
        if block.title:
            out.append(Line("section", _sums(block.leaves, data) if sums else {}, block.title,
                            section=block.section.name if block.section else None))
        for r in block.rows:
            kind = "parent" if r.is_parent else ("sub" if r.depth else "item")
            out.append(Line(kind, _row_values(r), project_id=r.project.id, number=r.project.number,
                            section=r.project.section, carried_from=None if r.is_parent else r.carried_from))
    if sums and data.leaves:
        out.append(Line("total", _sums(data.leaves, data), "合计"))
    if not indicators_apart:
        for ln in out:
            ind = ln.values.pop("indicators", None)
            if ind:
                text = ln.values.get("progress")
                ln.values["progress"] = f"{text}\n{INDICATORS_LEAD}{ind}" if text else INDICATORS_LEAD + str(ind)
    return out


def cell_text(line: Line, col: Column) -> str:
    """What a cell of the table reads (numbers written by numbers.number_text)."""
    return col.text(line.values.get(col.key))


def notes(data: MonthData) -> list[str]:
    """The lines under the table: withdrawn projects left out, projects shown with an earlier month's report,
    how the figures are defined."""
    out = []
    if data.withdrawn:
        names = "、".join(f"{p.number}.{p.name}" for p in data.withdrawn)
        out.append(f"已撤销的{len(data.withdrawn)}个项目未列入本表：{names}。")
    carried = data.carried
    if carried:
        out.append(f"{len(carried)}个项目{data.month_no}月尚未填报，表中为其最近一次填报的数据，进度状态后括注该月份。")
    unreported = data.status_counts()["unreported"]
    if unreported:
        out.append(f"{unreported}个项目本年度尚未填报，进度状态为“未填报”。")
    if data.has_investment:
        out.append("投资完成率＝累计完成投资÷年度投资。")
    out.append(f"完成进度为{data.as_of}完成年度目标任务的比例；序时进度为{number_text('pct', data.elapsed_percent())}%。")
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


# ------------------------------------------------------------------ column widths from the content


def header_lines(col: Column, width: float) -> list[str]:
    """The header wrapped between its words to ``width`` characters (a word longer than that stays whole)."""
    lines: list[str] = []
    cur = ""
    for word in col.words:
        if cur and text_width(cur + word) + 0.15 > width + 1e-6:
            lines.append(cur)
            cur = word
        else:
            cur += word
    return [*lines, cur] if cur else lines


def _lines(parts: tuple[float, ...], width: float) -> int:
    """Lines the paragraphs take: one if it fits with a little room; else as many as the whole characters a line
    holds (Chinese is set in whole characters: a column 4.5 wide holds 4) less a little for punctuation that
    may not start a line (checked against LibreOffice's rendering of a typical month's texts)."""
    usable = max(math.floor(width + 0.01) - SLACK, 0.5) if width >= 1 else max(width, 0.5)
    fits = width - FIT
    if len(parts) == 1:
        p = parts[0]
        return 1 if p <= fits else max(1, math.ceil(p / usable - 1e-9))
    return sum(1 if p <= fits else max(1, math.ceil(p / usable - 1e-9)) for p in parts) if parts else 1


def text_parts(text: str) -> tuple[float, ...]:
    """The widths of a cell's paragraphs, in full-width characters."""
    if not text:
        return ()
    if "\n" not in text:
        return (text_width(text),)
    return tuple(text_width(t) for t in text.split("\n"))


def lines_needed(text: str, width: float) -> int:
    """Wrapped line count of text in a column ``width`` characters wide (the estimate fit_widths works with)."""
    return _lines(text_parts(text), width)


def fit_widths(cols: list[Column], lines: list[Line], budget: float, sample: int = 80) -> list[float]:
    """Column widths in characters summing to ``budget``: every column at least its header's longest word, its
    widest figure and its min_chars; the rest given, a little at a time, to the growing column that saves the
    most wrapped lines over the table (every row weighted alike, the header as often as it is repeated)."""
    body = [ln for ln in lines if ln.kind not in ("section", "total")]
    if len(body) > sample:  # the widths of a long table from an even sample of its rows
        step = len(body) / sample
        body = [body[int(i * step)] for i in range(sample)]
    cells = [[text_parts(cell_text(ln, c)) for c in cols] for ln in body]
    figures = [[text_parts(cell_text(ln, c)) for c in cols] for ln in lines if ln.kind != "item"]
    figures = [[tuple(w * BOLD for w in cell) for cell in row] for row in figures]  # parents, sections: bold
    widths = []
    for j, c in enumerate(cols):
        widest_word = max(text_width(w) for w in c.words) + 0.15  # a header word on one line, with room to spare
        need = max(c.min_chars, widest_word)
        if c.kind in ("money", "pct", "rate"):  # a figure stays on one line
            need = max([need, *(max(row[j], default=0.0) + FIT for row in cells + figures)])
        elif c.key == "status":  # 正常推进, and the month of a carried report on a line of its own: （11月）
            need = max([need, *(text_width(w) + FIT for ln in body
                                for w in re.split(r"(?=（)", cell_text(ln, c)) if w)])
        widths.append(need)
    free = budget - sum(widths)
    if free < 0:  # more columns than the page holds: everything narrower alike
        return [w * budget / sum(widths) for w in widths]
    grow = list(range(len(cols)))  # a figure's column grows only where that shortens the header
    table = [[_lines(row[j], widths[j]) for j in range(len(cols))] for row in cells]
    head_weight = max(1.0, len(lines) / 6)  # about one repeated header per six rows of a typical month
    head = [len(header_lines(c, w)) for c, w in zip(cols, widths)]

    while free > 0.25:
        tops = [max(row) for row in table]
        counts = [row.count(t) for row, t in zip(table, tops)]
        seconds = [max((x for x in row if x < t), default=0) if n == 1 else t
                   for row, t, n in zip(table, tops, counts)]
        head_top = max(head)
        best: tuple[float, int, float] | None = None
        for j in grow:
            col = cols[j]
            head_rest = max((h for k, h in enumerate(head) if k != j), default=0)
            mine = [r for r, row in enumerate(table) if row[j] == tops[r] and counts[r] == 1]
            for inc in (0.5, 1.0, 2.0, 4.0, 8.0):
                if inc > free + 1e-9:
                    break
                w2 = widths[j] + inc
                gain = 0
                for r in mine:
                    gain += tops[r] - max(seconds[r], _lines(cells[r][j], w2))
                if head[j] == head_top:
                    gain += (head_top - max(head_rest, len(header_lines(col, w2)))) * head_weight
                score = gain / inc
                if score > 0 and (best is None or score > best[0] + 1e-9):
                    best = (score, j, inc)
        if best is None:
            break
        _, j, inc = best
        widths[j] += inc
        free -= inc
        head[j] = len(header_lines(cols[j], widths[j]))
        for r, row in enumerate(table):
            row[j] = _lines(cells[r][j], widths[j])
    longs = [j for j, c in enumerate(cols) if c.grows] or list(range(len(cols)))
    if free > 1e-6:  # nothing saves a line any more: the rest to the long columns by their text
        mass = [sum(sum(row[j]) for row in cells) + 1.0 for j in longs]
        total = sum(mass)
        for j, m in zip(longs, mass):
            widths[j] += free * m / total
    return widths
