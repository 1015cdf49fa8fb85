"""Chinese sentences that sum a month or a quarter up, shared by the cover letter and the bulletin.

Every figure comes from the rows of MonthData, the same the table shows: a project not reported for the month
counts with its latest earlier report (its status and its cumulative figures), and the sentences say how many
such projects there are, so that no sentence contradicts another or the table."""

from __future__ import annotations

from ..domain.plan import expected
from .data import MonthData, Row
from .numbers import pct_sign, wan_text


def wan(v: float | None) -> str:
    """万元 figure without needless decimals: 9446, 3234.56 (numbers.wan_text; None reads 0)."""
    return wan_text(v) if v is not None else "0"


def pct(v: float | None) -> str:
    return pct_sign(v)


def units(r: Row) -> str:
    return "、".join(r.project.lead_units)


def scope_phrase(data: MonthData) -> str:
    return "我单位牵头的" if data.unit else f"全{data.region[-1]}" if data.region else ""


def carried_sentence(data: MonthData) -> str:
    """5月尚有N个项目未填报，以上按其最近一次填报（4月）统计 — or nothing when every project reported."""
    carried = data.carried
    if not carried:
        return ""
    months = sorted({int(r.carried_from[5:]) for r in carried if r.carried_from})
    when = "、".join(f"{m}月" for m in months)
    if len(carried) == len(data.leaves):
        return f"{data.month_no}月各项目均尚未填报，以上按其最近一次填报（{when}）统计。"
    return f"{data.month_no}月尚有{len(carried)}个项目未填报，以上按其最近一次填报（{when}）统计。"


def investment_figures(data: MonthData) -> tuple[float | None, float | None, float | None]:
    """(planned, done, rate in per cent) over the month's projects, as the table's 合计 line has them."""
    leaves = data.leaves
    plan_vals = [r.investment_wan for r in leaves if r.investment_wan is not None]
    done_vals = [r.done_wan for r in leaves if r.done_wan is not None]
    plan = sum(plan_vals) if plan_vals else None
    done = sum(done_vals) if done_vals else None
    rate = done / plan * 100 if plan and done is not None else None
    return plan, done, rate


def overview(data: MonthData) -> str:
    """截至…，…民生实事N件（M个项目），已完成a个、正常推进b个、进度滞后c个、未开工d个；投资…。"""
    c = data.status_counts()
    leaves = data.leaves
    parts = [f"{label}{c[key]}个" for key, label in (("done", "已完成"), ("on_track", "正常推进"),
                                                     ("lagging", "进度滞后"), ("not_started", "未开工")) if c[key]]
    if c["unreported"]:
        parts.append(f"本年度尚未填报{c['unreported']}个")
    who = "我单位牵头民生实事" if data.unit else f"{data.region}{data.year}年民生实事"
    text = f"{data.as_of}，{who}共{data.items}件（{len(leaves)}个项目）" + ("，其中" + "、".join(parts) if parts else "")
    text += "。" if c["lagging"] or not leaves else "，没有进度滞后的项目。"
    text += carried_sentence(data)
    plan, done, rate = investment_figures(data)
    if data.has_investment:
        text += f"年度计划投资{wan(plan)}万元，累计完成投资{wan(done)}万元，投资完成率{pct(rate)}。"
    elif done is not None:
        text += f"累计完成投资{wan(done)}万元。"
    return text


def lagging(data: MonthData) -> list[Row]:
    return [r for r in data.leaves if r.status == "lagging"]


def lag_sentence(r: Row, data: MonthData) -> str:
    """One lagging project: how far behind (against what its plan expects by the month it reported, with that
    month's node — else 序时进度), why, what next."""
    rep = r.report
    p = rep.percent if rep else None
    month = rep.month if rep else data.month
    when = f"{int(r.carried_from[5:])}月填报：" if r.carried_from else ""
    exp = expected(r.plan, month)
    node = f"（本月节点：{exp.node.text}）" if exp.node is not None and exp.node.text else ""
    text = f"{when}完成进度{pct(p)}，低于{exp.basis}{pct(exp.percent)}{node}。" if p is not None else \
        f"{when}进度滞后。"
    if rep and rep.problems:
        text += f"主要原因：{rep.problems.rstrip('。；;')}。"
    if rep and rep.next_steps:
        text += f"下步打算：{rep.next_steps.rstrip('。；;')}。"
    return text
