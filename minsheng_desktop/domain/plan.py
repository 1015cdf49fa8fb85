"""A project's 实施方案 (the unit's plan: 责任人, 工作措施, monthly 节点) and the per cent expected of a project in a
month — by its plan where it has nodes, else 序时进度 (months ÷ 12). Every judgement of "lagging" (the status
suggestion, the lights, the overview, the letter and the 通报) asks ``expected`` here.

The rule (issue 17): the node of the month, or the last node before it that names a per cent; no interpolation
between nodes and none past the last one. Before a plan's first node nothing is due yet (0 %), which is the point
of a plan: a project that tenders in spring is not lagging in March. A node with text but no per cent is shown as
the month's node but does not change what is expected."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .month import Month
from .schedule import elapsed_share


@dataclass(frozen=True)
class Milestone:
    """One 节点: by the end of ``month``, ``text`` (完成招标并开工) done and ``percent`` 完成进度 reached."""

    month: Month
    text: str | None = None
    percent: float | None = None


@dataclass(frozen=True)
class Plan:
    """The 实施方案 of one project; milestones in month order, at most one per month."""

    project_id: str
    responsible: str | None = None  # 责任人
    phone: str | None = None
    measures: str | None = None  # 工作措施
    milestones: tuple[Milestone, ...] = ()

    @property
    def is_empty(self) -> bool:
        return not (self.responsible or self.phone or self.measures or self.milestones)

    @property
    def has_nodes(self) -> bool:
        """Nodes that say a per cent: the plan judges the project's progress."""
        return any(m.percent is not None for m in self.milestones)

    def node_of(self, month: Month) -> Milestone | None:
        """The node set for ``month`` itself, if any."""
        return next((m for m in self.milestones if m.month == month), None)


def make_plan(project_id: str, responsible: str | None = None, phone: str | None = None,
              measures: str | None = None, milestones: tuple[Milestone, ...] | list[Milestone] = ()) -> Plan:
    """A Plan with blank texts as None and its milestones sorted by month (a repeated month raises ValueError)."""
    ordered = tuple(sorted(milestones, key=lambda m: m.month))
    months = [m.month for m in ordered]
    if len(set(months)) != len(months):
        raise ValueError("同一月份只能有一个节点")
    return Plan(project_id, _text(responsible), _text(phone), _text(measures),
                tuple(Milestone(m.month, _text(m.text), m.percent) for m in ordered))


def _text(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


@dataclass(frozen=True)
class Expected:
    """What is expected of a project by the end of a month, and by what measure."""

    percent: float  # 0..100
    by_plan: bool  # from the plan's nodes (计划进度), else 序时进度
    node: Milestone | None = None  # the node of that very month (shown to the clerk), if any

    @property
    def basis(self) -> str:
        """计划进度 / 序时进度: the words a message compares with."""
        return "计划进度" if self.by_plan else "序时进度"

    def reason(self, percent: float | None = None) -> str:
        """低于计划进度 80%（本月节点：完成招标并开工） / 低于序时进度 42% — why a project is judged behind."""
        share = f"{self.percent:g}" if self.by_plan else f"{self.percent:.0f}"
        text = f"低于{self.basis} {share}%"
        if self.node is not None and self.node.text:
            text += f"（本月节点：{self.node.text}）"
        return text


def expected(plan: Plan | None, month: str | Month) -> Expected:
    """The per cent expected of a project by the end of ``month``: its plan's node of that month or the last one
    before it that names a per cent (0 before the first), else months elapsed ÷ 12."""
    m = month if isinstance(month, Month) else Month.parse(month)
    node = plan.node_of(m) if plan is not None else None
    if plan is None or not plan.has_nodes:
        return Expected(elapsed_share(str(m)) * 100, False, node)
    due = [x for x in plan.milestones if x.percent is not None and x.month <= m]
    return Expected(due[-1].percent if due else 0.0, True, node)  # type: ignore[arg-type]


# ------------------------------------------------------------------ what clerks type


def parse_month(text: str, year: int) -> Month | None:
    """2023-05, 2023-5, 2023/5, 2023.5, 2023年5月, 2023-05-01 (a date Excel made of it), 5月, 5 → Month; else None."""
    t = text.strip().replace(" ", "")
    m = re.fullmatch(r"(\d{4})\s*(?:[-/.年])\s*(\d{1,2})(?:月(?:份)?|[-/.]\d{1,2}(?:日|\s.*)?)?", t)
    if m is None:
        m2 = re.fullmatch(r"(\d{1,2})(?:月份?)?", t)
        if m2 is None:
            return None
        y, n = year, int(m2[1])
    else:
        y, n = int(m[1]), int(m[2])
    return Month(y, n) if 1 <= n <= 12 else None


def parse_percent(text: str, fractions: bool) -> float | None:
    """80, 80%, 80％ → 80.0; a bare 0.8 → 80.0 (what Excel keeps of 80% typed in: a node of 0.8 % is no plan),
    and 1 → 100.0 too when the column holds fractions only; None when not a number."""
    t = text.strip().replace("％", "%").replace(" ", "")
    has_sign = t.endswith("%")
    try:
        value = float(t.rstrip("%"))
    except ValueError:
        return None
    if has_sign:
        return value
    return value * 100 if (0 < value < 1) or (fractions and value <= 1) else value
