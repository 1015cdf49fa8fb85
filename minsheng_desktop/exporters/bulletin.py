"""The quarterly bulletin (通报) for the quarter that ends with the month, with a landscape attachment table.

When the quarter's last month is not fully reported yet, each project counts with its latest report of the
year (the table's rule, MonthData): the page says how many have not reported that month, and every figure —
the totals, the quarter's change, the lagging projects, the table — comes from the same reports."""

from __future__ import annotations


from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.table import _Cell

from .data import MonthData, Row, cn_numeral, official_date, status_key
from .docx_table import CellFiller, fill_cell
from .letter import CHAR, LINE1, document_title, basis_phrase
from .numbers import percent_text
from .official import (
    BODY, HEI, KAI, SIZE_2, SIZE_3, SIZE_5, TITLE, add_run, document_bytes,
    cell_margins, fixed_layout, page_geometry,
    para, repeat_header, setup_document,
)
from .summary import lag_sentence, lagging, overview, pct, units, wan
from .textwidth import text_width

REQUIREMENT = ("请各牵头单位对照年度目标任务，倒排工期、压实责任，加快推进项目实施；进度滞后项目的牵头单位要认真分析原因，"
               "制定针对性措施，确保按期完成年度目标任务。")


def bulletin_title(data: MonthData) -> str:
    y, q, _, _ = data.quarter()
    return f"关于{y}年第{cn_numeral(q)}季度民生实事推进情况的通报"


def _percent(data: MonthData, r: Row, month: str) -> float | None:
    rep = data.report_at(r.project.id, month)
    return rep.percent if rep else None


def moved(data: MonthData) -> list[tuple[Row, float, float]]:
    """Projects whose 完成进度 rose during the quarter: (row, at the start, at the end), biggest rise first."""
    _, _, _, before = data.quarter()
    out = []
    for r in data.leaves:
        end = _percent(data, r, data.month)
        if end is None:
            continue
        start = _percent(data, r, before) or 0.0
        if end - start >= 0.05:
            out.append((r, start, end))
    return sorted(out, key=lambda x: x[2] - x[1], reverse=True)


def _quarter_change(data: MonthData) -> str:
    _, _, months, before = data.quarter()
    base_done = sum(1 for r in data.leaves
                    if status_key(data.report_at(r.project.id, before), before) == "done")
    now_done = data.status_counts()["done"]
    text = f"与上季度末相比，已完成项目增加{max(0, now_done - base_done)}个"
    if data.has_done:
        def done_at(m: str) -> float:
            return sum(v for r in data.leaves if (v := data.done_at(r.project.id, m)) is not None)
        text += f"，本季度完成投资{wan(done_at(data.month) - done_at(before))}万元"
    return text + "。"


def _attachment(doc: Document, data: MonthData) -> None:  # type: ignore[valid-type]
    sec = doc.add_section(WD_SECTION.NEW_PAGE)  # type: ignore[attr-defined]
    page_geometry(sec, landscape=True)
    _, _, months, before = data.quarter()
    para(doc, "附件", HEI, SIZE_3, line=None)
    y, q, _, _ = data.quarter()
    para(doc, f"{y}年第{cn_numeral(q)}季度民生实事推进情况表", TITLE, SIZE_2, align="center", line=None, before=6,
         after=12)
    heads = ["序号", "项目名称", "牵头单位", "上季度末进度（%）"] + [f"{int(m[5:])}月底进度（%）" for m in months] + \
        ["本季度提高（百分点）", "进度状态", "存在问题"]
    widths = [10, 40, 24, 18, 16, 16, 16, 20, 16, 49]
    # the header row through python-docx, the project rows as copies of filled cells (see CellFiller)
    table = doc.add_table(rows=1, cols=len(heads))  # type: ignore[attr-defined]
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    fixed_layout(table, widths)
    cell_margins(table)
    tbl = table._tbl
    filler = CellFiller(table)
    for h, tc in zip(heads, tbl.tr_lst[0].tc_lst):
        fill_cell(_Cell(tc, table), h, "center", HEI, SIZE_5)
    for r in data.leaves:
        start = _percent(data, r, before)
        own = data.history.get(r.project.id, {})
        # each month as reported in it ("未报" where the project has not reported it); the rise from the latest
        vals = [_num(own[m].percent) if m in own else "未报" for m in months]
        end = _percent(data, r, data.month)
        rise = None if end is None else end - (start or 0.0)
        cells = [r.project.number, r.project.name, units(r), _num(start), *vals, _num(rise),
                 r.status_label, (r.report.problems if r.report else None) or ""]
        tr = filler.row()
        for j, text in enumerate(cells):
            align = "center" if j in (0, 2, 8) else ("right" if 3 <= j <= 7 else "left")
            tr.append(filler.cell(j, text, align, BODY, SIZE_5))
        tbl.append(tr)
    repeat_header(table)


def _num(v: float | None) -> str:
    return percent_text(v)


def build_bulletin(data: MonthData) -> bytes:
    """季度通报: overall figures at the quarter's end, what moved, what lags and why, then the table."""
    doc = Document()
    setup_document(doc, landscape=False)
    y, q, months, _ = data.quarter()
    document_title(doc, bulletin_title(data), after=LINE1)
    para(doc, "各牵头单位：" if not data.unit else f"{data.unit}各科室：")
    target_list = data.target_list
    basis = basis_phrase(data, "关于“季通报”的要求") if target_list.notice_title else ""
    span = f"{int(months[0][5:])}—{int(months[-1][5:])}月"
    para(doc, f"{basis}现将{y}年第{cn_numeral(q)}季度（{span}）民生实事推进情况通报如下。", first_indent=2 * CHAR)
    para(doc, "一、总体情况", HEI, first_indent=2 * CHAR)
    para(doc, overview(data) + _quarter_change(data), first_indent=2 * CHAR)
    para(doc, "二、本季度进展情况", HEI, first_indent=2 * CHAR)
    rows = moved(data)
    if not rows:
        para(doc, "本季度各项目完成进度没有变化。", first_indent=2 * CHAR)
    for i, (r, start, end) in enumerate(rows, start=1):
        par = para(doc, first_indent=2 * CHAR)
        add_run(par, f"（{cn_numeral(i)}）{r.project.name}", KAI)
        add_run(par, f"（{units(r)}）：完成进度由{pct(start)}提高到{pct(end)}。", BODY)
    still = [r.project.name for r in data.leaves if r.status != "done" and r not in [x[0] for x in rows]]
    if still:
        para(doc, f"本季度完成进度没有提高的项目{len(still)}个：{'、'.join(still)}。", first_indent=2 * CHAR)
    para(doc, "三、进度滞后项目", HEI, first_indent=2 * CHAR)
    lag = lagging(data)
    if not lag:
        para(doc, "截至本季度末，没有进度滞后的项目。", first_indent=2 * CHAR)
    for i, r in enumerate(lag, start=1):
        par = para(doc, first_indent=2 * CHAR)
        add_run(par, f"（{cn_numeral(i)}）{r.project.name}", KAI)
        add_run(par, f"（{units(r)}）：{lag_sentence(r, data)}", BODY)
    para(doc, "四、下步工作要求", HEI, first_indent=2 * CHAR).paragraph_format.keep_with_next = True
    last = para(doc, REQUIREMENT, first_indent=2 * CHAR)
    last.paragraph_format.widow_control = True  # its last lines go over with the signature when it must
    last.paragraph_format.keep_with_next = True
    block = [para(doc), para(doc, f"附件：{y}年第{cn_numeral(q)}季度民生实事推进情况表", left=5 * CHAR,
                             first_indent=-3 * CHAR)]
    sender = data.sender or target_list.office
    date_text = official_date(data.report_date)
    block += [para(doc) for _ in range(2)]
    block.append(para(doc, sender, align="right",
                      right=max(0.0, 4 + (text_width(date_text) - text_width(sender)) / 2) * CHAR))
    block.append(para(doc, date_text, align="right", right=4 * CHAR))
    for p in block[:-1]:
        p.paragraph_format.keep_with_next = True
    _attachment(doc, data)
    return document_bytes(doc)
