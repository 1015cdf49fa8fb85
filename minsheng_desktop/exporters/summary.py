"""Chinese sentences that sum a month or a quarter up, shared by the cover letter and the bulletin."""

from __future__ import annotations

from .data import MonthData, Row


def wan(v: float | None) -> str:
    """万元 figure without needless decimals: 9446, 3234.56."""
    if v is None:
        return "0"
    return f"{v:.2f}".rstrip("0").rstrip(".")


def pct(v: float | None) -> str:
    return "—" if v is None else f"{v:.1f}".rstrip("0").rstrip(".") + "%"


def units(r: Row) -> str:
    return "、".join(r.project.lead_units)


def scope_phrase(data: MonthData) -> str:
    return "我单位牵头的" if data.unit else f"全{data.region[-1]}" if data.region else ""


def overview(data: MonthData) -> str:
    """截至…，…民生实事N件（M个项目），已完成a个、正常推进b个、进度滞后c个、未开工d个；投资…。"""
    c = data.status_counts()
    leaves = data.leaves
    parts = [f"已完成{c['done']}个", f"正常推进{c['on_track']}个", f"进度滞后{c['lagging']}个",
             f"未开工{c['not_started']}个"]
    if c["unreported"]:
        parts.append(f"本月未填报{c['unreported']}个")
    who = "我单位牵头民生实事" if data.unit else f"{data.region}{data.year}年民生实事"
    text = f"{data.as_of}，{who}共{data.items}件（{len(leaves)}个项目），其中" + "、".join(parts) + "。"
    if data.has_investment:
        plan = sum(r.investment_wan or 0 for r in leaves)
        done = sum(r.done_wan or 0 for r in leaves)
        rate = done / plan * 100 if plan else None
        text += f"年度计划投资{wan(plan)}万元，累计完成投资{wan(done)}万元，投资完成率{pct(rate)}。"
    return text


def lagging(data: MonthData) -> list[Row]:
    return [r for r in data.leaves if r.status == "lagging"]


def lag_sentence(r: Row, data: MonthData) -> str:
    """One lagging project: how far behind, why, what next."""
    rep = r.report
    p = rep.percent if rep else None
    text = f"完成进度{pct(p)}，低于序时进度{pct(data.elapsed_percent())}。" if p is not None else "进度滞后。"
    if rep and rep.problems:
        text += f"主要原因：{rep.problems.rstrip('。；;')}。"
    if rep and rep.next_steps:
        text += f"下步打算：{rep.next_steps.rstrip('。；;')}。"
    return text
