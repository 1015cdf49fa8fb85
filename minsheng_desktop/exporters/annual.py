"""The 年度完成情况报告 (`minsheng export --format annual`; issue 17, the year's end for a unit or the district) as
.docx in the GB/T 9704 layout, A4 portrait; its table as .xlsx is annual_xlsx.py, from the same rows (AnnualRow).

The year so far is the month given (December is the usual case): every figure is the project's as of that month's
end, from the same reports as the monthly table (a project not reported that month counts with its latest report,
marked with its month). A report from the unit (or the 发展改革委 for the district) to the office (or the district
government when the office itself reports): 主送机关; the basis and purpose; 一、总体情况 (projects, completed,
investment planned → done with the rate); 二、各项目完成情况 (per project its target, the indicators target →
reached, the investment, the last status and its month); 三、未完成项目及原因 (the report's 存在问题 and 下步打算);
then 特此报告, room for the seal, the unit, the date and the contact — kept together as in the cover letter."""

from __future__ import annotations

from dataclasses import dataclass

from docx import Document

from ..domain.model import STATUS_LABELS
from .data import MonthData, Row, cn_numeral, official_date
from .letter import CHAR, SEAL_LINES, basis_phrase, contact_runs, signature, document_title
from .numbers import quantity_text
from .official import BODY, HEI, KAI, add_run, document_bytes, para, setup_document
from .summary import pct, wan


@dataclass(frozen=True)
class AnnualRow:
    """One project of the year's report, as both the .docx and the .xlsx say it."""

    number: str
    name: str
    lead: str
    target: str
    indicators: str  # 改造城镇老旧小区：目标12个，完成15个；… ('' when the target names none)
    investment_wan: float | None
    done_wan: float | None
    rate: float | None  # done / planned
    percent: float | None
    status: str  # 已完成 / 进度滞后 …, 未填报
    status_month: str  # 12月: the month of the report the status comes from ('' when none)
    completed: bool
    problems: str
    next_steps: str
    progress: str


def _indicator_text(row: Row, data: MonthData) -> str:
    """Each quantitative target and what was reached by the month (the latest value entered in the year)."""
    reached: dict[str, float] = {}
    for m, rep in sorted(data.history.get(row.project.id, {}).items()):
        if m <= data.month:
            reached.update(rep.indicator_actuals)
    parts = []
    for ind in row.project.indicators:
        got = reached.get(ind.label)
        done = f"完成{quantity_text(got)}{ind.measure}" if got is not None else "未填报完成值"
        parts.append(f"{ind.label}：目标{quantity_text(ind.target)}{ind.measure}，{done}")
    return "；".join(parts)


def annual_rows(data: MonthData) -> list[AnnualRow]:
    """The year's projects (led by the unit when one is chosen), in list order."""
    out = []
    for r in data.leaves:
        rep, key = r.report, r.status
        out.append(AnnualRow(
            r.project.number, r.project.name, "、".join(r.project.lead_units), (r.project.target or "").strip(),
            _indicator_text(r, data), r.investment_wan, r.done_wan, r.rate, rep.percent if rep else None,
            STATUS_LABELS.get(key, key) if key else "未填报", f"{int(rep.month[5:])}月" if rep else "",
            key == "done", _text(rep.problems if rep else None), _text(rep.next_steps if rep else None),
            _text(rep.progress if rep else None)))
    return out


def _text(value: str | None) -> str:
    return (value or "").strip().rstrip("。；;，,")


def annual_title(data: MonthData) -> str:
    return f"{data.sender}关于{data.year}年民生实事完成情况的报告"


def addressee(data: MonthData) -> str:
    """The office; the district government when the office itself reports (武隆区人民政府)."""
    office = data.office
    if data.sender and data.sender == office and data.region:
        return f"{data.region}人民政府"
    return office


def _when(data: MonthData) -> str:
    """Written at the year's end the report speaks of the year; earlier, of the year so far."""
    return f"{data.year}年" if data.month_no == 12 else data.as_of


def overall(data: MonthData, rows: list[AnnualRow]) -> str:
    """2023年，我单位牵头民生实事共N件（M个项目），已完成a个，完成率x%；未完成b个。年度计划投资…"""
    who = "我单位牵头民生实事" if data.unit else f"{data.region}{data.year}年民生实事"
    done = sum(r.completed for r in rows)
    text = f"{_when(data)}，{who}共{data.items}件（{len(rows)}个项目），已完成{done}个"
    text += f"，完成率{pct(done / len(rows) * 100)}" if rows else ""
    text += f"；未完成{len(rows) - done}个。" if done < len(rows) else "，全部完成。"
    unreported = sum(1 for r in rows if r.status == "未填报")
    if unreported:
        text += f"其中{unreported}个项目本年度未填报进度。"
    carried = sorted({r.status_month for r in rows if r.status_month and r.status_month != f"{data.month_no}月"})
    if carried:
        text += f"{data.month_no}月未填报的项目按其最近一次填报（{'、'.join(carried)}）统计。"
    plan = [r.investment_wan for r in rows if r.investment_wan is not None]
    done_vals = [r.done_wan for r in rows if r.done_wan is not None]
    if plan:
        total, got = sum(plan), sum(done_vals) if done_vals else None
        rate = got / total * 100 if total and got is not None else None
        text += f"年度计划投资{wan(total)}万元，完成投资{wan(got)}万元，投资完成率{pct(rate)}。"
    elif done_vals:
        text += f"完成投资{wan(sum(done_vals))}万元。"
    return text


def project_sentence(r: AnnualRow, district: bool) -> str:
    """What one project achieved: target, indicators, investment, the last status and its month."""
    text = f"（牵头单位：{r.lead}）" if district and r.lead else ""
    text += f"目标任务：{_text(r.target)}。" if r.target else ""
    if r.indicators:
        text += f"指标完成情况：{r.indicators}。"
    if r.investment_wan is not None and r.done_wan is None:
        text += f"年度计划投资{wan(r.investment_wan)}万元，未填报完成投资。"
    elif r.investment_wan is not None:
        text += f"年度计划投资{wan(r.investment_wan)}万元，完成投资{wan(r.done_wan)}万元，投资完成率{pct(_pc(r.rate))}。"
    elif r.done_wan is not None:
        text += f"完成投资{wan(r.done_wan)}万元。"
    if r.status == "未填报":
        return text + "本年度未填报进度。"
    progress = f"，完成进度{pct(r.percent)}" if r.percent is not None and not r.completed else ""
    text += f"据{r.status_month}填报，{r.status}{progress}。"
    return text + (f"{r.progress}。" if r.progress else "")


def _pc(ratio: float | None) -> float | None:
    return None if ratio is None else ratio * 100


def unfinished_sentence(r: AnnualRow) -> str:
    state = f"{r.status}（{r.status_month}）" if r.status_month else r.status
    text = f"{state}" + (f"，完成进度{pct(r.percent)}" if r.percent is not None else "") + "。"
    text += f"主要原因：{r.problems or '未填写'}。"
    return text + f"下步打算：{r.next_steps or '未填写'}。"


def build_annual_docx(data: MonthData) -> bytes:
    """报告: title, 主送机关, 总体情况, each project, the unfinished with reasons, 特此报告, seal, unit, date."""
    rows = annual_rows(data)
    district = data.unit is None
    doc = Document()
    setup_document(doc, landscape=False)
    document_title(doc, annual_title(data), after=28.95)
    para(doc, f"{addressee(data)}：")
    scope = "我单位牵头的" if data.unit else ""
    para(doc, f"{basis_phrase(data)}现将{scope}{data.year}年民生实事完成情况报告如下。", first_indent=2 * CHAR)

    def head(text: str) -> None:
        para(doc, text, HEI, first_indent=2 * CHAR).paragraph_format.keep_with_next = True

    def item(i: int, name: str, body: str):  # type: ignore[no-untyped-def]
        p = para(doc, first_indent=2 * CHAR)
        add_run(p, f"（{cn_numeral(i)}）{name}。", KAI)
        add_run(p, body, BODY)
        return p

    head("一、总体情况")
    last = para(doc, overall(data, rows), first_indent=2 * CHAR)
    head("二、各项目完成情况")
    for i, r in enumerate(rows, start=1):
        last = item(i, r.name, project_sentence(r, district))
    if not rows:
        last = para(doc, "没有牵头的民生实事项目。", first_indent=2 * CHAR)
    head("三、未完成项目及原因")
    unfinished = [r for r in rows if not r.completed]
    for i, r in enumerate(unfinished, start=1):
        last = item(i, r.name, unfinished_sentence(r))
    if not unfinished:
        last = para(doc, f"{_when(data)}各项目均已完成。", first_indent=2 * CHAR)

    sender, date_text = data.sender, official_date(data.report_date)
    block = [para(doc, "特此报告。", first_indent=2 * CHAR)]
    block += [para(doc) for _ in range(SEAL_LINES + 1)]
    block += signature(doc, sender, date_text)
    contact = para(doc, first_indent=2 * CHAR)
    for text, underline in contact_runs(data):
        add_run(contact, text, BODY, underline=underline)
    block.append(contact)
    last.paragraph_format.widow_control = True
    for p_ in [last, *block[:-1]]:  # the signature never stands alone on a page (GB/T 9704 7.3.5)
        p_.paragraph_format.keep_with_next = True
    return document_bytes(doc)
