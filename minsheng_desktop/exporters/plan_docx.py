"""The 实施方案 as the 备案 document (`minsheng export --format plan --out F.docx`): GB/T 9704, A4 portrait.

A report from the unit to the office (XX关于报送2023年民生实事实施方案的报告): 主送机关, a paragraph saying
on what basis and what is sent, then per project its target, 责任人 and phone, 工作措施 and a table of its monthly
nodes (节点月份, 节点目标, 计划完成进度), and the closing — 特此报告, room for the seal, the unit and the date —
kept together as in the cover letter (exporters/letter.py, whose title breaking and wording it shares)."""

from __future__ import annotations

from docx import Document
from docx.table import Table

from ..domain.plan import Plan
from .data import MonthData, cn_numeral, official_date
from .letter import CHAR, SEAL_LINES, basis_phrase, signature, document_title
from .numbers import number_text
from .official import (
    BODY,
    HEI,
    SIZE_S4,
    add_run,
    cant_split,
    cell_margins,
    document_bytes,
    fixed_layout,
    fmt_par,
    no_autospace,
    para,
    repeat_header,
    set_font,
    setup_document,
)

TABLE_MM = (30.0, 94.0, 32.0)  # 节点月份, 节点目标, 计划完成进度: the 156 mm type area
TABLE_LINE = 20.0  # exact line pitch in the node tables (小四)


def plan_report_title(data: MonthData) -> str:
    return f"{data.sender}关于报送{data.year}年民生实事实施方案的报告"


def _node_table(doc: Document, plan: Plan) -> Table:  # type: ignore[valid-type]
    rows = [("节点月份", "节点目标", "计划完成进度")]
    rows += [(m.month.label, m.text or "", "" if m.percent is None else f"{number_text('pct', m.percent)}%")
             for m in plan.milestones]
    table = doc.add_table(rows=len(rows), cols=3)  # type: ignore[attr-defined]
    table.style = "Table Grid"
    for i, (tr, values) in enumerate(zip(table.rows, rows)):
        cant_split(tr._tr)
        for j, (cell, text) in enumerate(zip(tr.cells, values)):
            par = cell.paragraphs[0]
            fmt_par(par, align="left" if j == 1 and i else "center", line=TABLE_LINE)
            no_autospace(par)
            add_run(par, text, HEI if i == 0 else BODY, SIZE_S4)
    repeat_header(table)
    cell_margins(table, 80, 20)
    fixed_layout(table, list(TABLE_MM))
    return table


def build_plan_docx(data: MonthData) -> bytes:
    """报告: title, 主送机关, the plans project by project, 特此报告, signature and date with room for the seal."""
    doc = Document()
    setup_document(doc, landscape=False)
    set_font(doc.styles["Table Grid"], BODY)
    document_title(doc, plan_report_title(data), after=28.95)
    para(doc, f"{data.office}：")
    rows = data.leaves
    scope = "我单位对牵头的" if data.unit else "对"
    para(doc, f"{basis_phrase(data)}{scope}{data.year}年{len(rows)}个民生实事项目逐项制定了实施方案，明确责任人、"
              "工作措施和按月节点目标，现报送如下，请予备案。", first_indent=2 * CHAR)
    last: list = []  # the paragraphs that end the body: kept on the page with the closing block
    for i, row in enumerate(rows, start=1):
        p, plan = row.project, data.plans.get(row.project.id)
        head = para(doc, f"{cn_numeral(i)}、{p.name}", HEI, first_indent=2 * CHAR)
        head.paragraph_format.keep_with_next = True
        lines = []
        if p.target:
            lines.append(f"（一）目标任务：{p.target.rstrip('。')}。")
        who = plan.responsible if plan and plan.responsible else "待明确"
        phone = f"（联系电话：{plan.phone}）" if plan and plan.phone else ""
        lines.append(f"（{cn_numeral(len(lines) + 1)}）责任人：{who}{phone}。")
        measures = plan.measures.rstrip("。") + "。" if plan and plan.measures else "待补充。"
        lines.append(f"（{cn_numeral(len(lines) + 1)}）工作措施：{measures}")
        has_nodes = plan is not None and bool(plan.milestones)
        lines.append(f"（{cn_numeral(len(lines) + 1)}）节点计划：" + ("" if has_nodes else "待补充。"))
        for k, text in enumerate(lines):
            par = para(doc, text, first_indent=2 * CHAR)
            par.paragraph_format.keep_with_next = k == len(lines) - 1 and has_nodes
            last = [par]
        if has_nodes:
            table = _node_table(doc, plan)  # type: ignore[arg-type]
            last = [c.paragraphs[0] for tr in table.rows[-2:] for c in tr.cells]
    sender, date_text = data.sender, official_date(data.report_date)
    block = [para(doc, "特此报告。", first_indent=2 * CHAR)]
    block += [para(doc) for _ in range(SEAL_LINES + 1)]
    block += signature(doc, sender, date_text)
    for p_ in last + block[:-1]:  # the signature never stands alone on a page (GB/T 9704 7.3.5)
        p_.paragraph_format.keep_with_next = True
    return document_bytes(doc)

