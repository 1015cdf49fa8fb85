"""The year-end 考核评比 of the lead units (issue 17, 年考核): the figures per unit, where each came from month by
month, and a score and rank from weights the 发展改革委 contact sets.

Plain records and arithmetic only; services/assessment.py reads the list's reports, the dates they were received and
the plans into them, exporters/assessment.py writes the table. It is a draft for people to decide: every figure of
a unit is a count over its MonthTrace rows, which the second sheet lists.

Score (out of 100) = w1 × 完成率 + w2 × 按时报送月数 ÷ 应报月数 + w3 × 未滞后月数 ÷ 可评判月数, with the weights
in per cent (default 60, 20, 20); a share with nothing to count (no month due, no per cent reported) counts 0.
Units with the same score share a rank (1, 1, 3)."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date

DEFAULT_WEIGHTS: tuple[float, float, float] = (60.0, 20.0, 20.0)
WEIGHT_PARTS = ("完成率", "按时报送", "按计划推进")
WEIGHTS_KEY = "assess_weights"  # the setting (minsheng settings assess_weights 60,20,20)
NOT_DUE = "未到报送期限"  # a MonthTrace's note: nothing received yet and the deadline still ahead


def parse_weights(text: str) -> tuple[float, float, float]:
    """"60,20,20" (also 60，20，20 or 60 20 20) → (60.0, 20.0, 20.0): three non-negative numbers summing to 100;
    else ValueError with one Chinese line."""
    parts = [p for p in re.split(r"[\s,，、;；/]+", (text or "").strip()) if p]
    try:
        values = [float(p.rstrip("%％")) for p in parts]
    except ValueError:
        values = []
    if len(values) != 3 or any(v < 0 or v != v for v in values) or abs(sum(values) - 100) > 1e-6:
        raise ValueError(f"考核权重“{text}”不对：应为三个非负数、合计 100，依次为{'、'.join(WEIGHT_PARTS)}，"
                         "例如 60,20,20。")
    return values[0], values[1], values[2]


def weights_text(weights: tuple[float, float, float]) -> str:
    """完成率60%、按时报送20%、按计划推进20%."""
    return "、".join(f"{name}{w:g}%" for name, w in zip(WEIGHT_PARTS, weights))


@dataclass(frozen=True)
class MonthTrace:
    """One project's month as the assessment counted it: when its report was received, its deadline, and its per
    cent against what was expected (the plan's node, else 序时进度)."""

    unit: str
    number: str
    project: str
    month: str  # YYYY-MM
    deadline: date
    reported_on: date | None  # None: nothing received for the month
    source: str  # where the date comes from: 汇总记录 / 报送日期 / 填报记录 / '' (none)
    on_time: bool | None  # None: not counted (not due yet, or completed before the month)
    percent: float | None  # the per cent judged (the month's report, else the latest before it)
    report_month: str | None  # the month of that report
    expected: float  # the per cent expected by the month's end
    basis: str  # 计划进度 / 序时进度
    lagging: bool | None  # None: no per cent to judge, or not counted
    note: str = ""  # 已于5月完成 / 未填报 / 未到报送期限 / 按5月填报判断

    @property
    def pending(self) -> bool:
        """Not received and not due yet: the unit's month is not counted until it is."""
        return self.note == NOT_DUE


@dataclass(frozen=True)
class UnitScore:
    """One lead unit's figures; months are counted over the unit's projects (a month is on time when every one of
    them was received by the deadline, lagging when any of them is more than 10 points behind; a month with a
    project not received and not due yet is not counted at all)."""

    unit: str
    projects: int
    completed: int
    investment_wan: float | None
    done_wan: float | None
    due_months: int  # months whose reports were due (counted for 按时报送)
    on_time_months: int
    judged_months: int  # months with a per cent to judge
    lagging_months: int
    score: float = 0.0
    rank: int = 0

    @property
    def completion_rate(self) -> float | None:
        return self.completed / self.projects if self.projects else None

    @property
    def investment_rate(self) -> float | None:
        if self.investment_wan and self.done_wan is not None:
            return self.done_wan / self.investment_wan
        return None

    @property
    def on_time_share(self) -> float | None:
        return self.on_time_months / self.due_months if self.due_months else None

    @property
    def on_plan_share(self) -> float | None:
        return (self.judged_months - self.lagging_months) / self.judged_months if self.judged_months else None


def score_of(u: UnitScore, weights: tuple[float, float, float]) -> float:
    """The weighted score out of 100, to one decimal (a share with nothing to count is 0)."""
    shares = (u.completion_rate, u.on_time_share, u.on_plan_share)
    return round(sum(w * (s or 0.0) for w, s in zip(weights, shares)), 1)


def ranked(units: list[UnitScore], weights: tuple[float, float, float]) -> list[UnitScore]:
    """The units scored, best first, each with its rank (equal scores share one: 1, 1, 3); ties in name order."""
    scored = sorted((replace(u, score=score_of(u, weights)) for u in units), key=lambda u: (-u.score, u.unit))
    out: list[UnitScore] = []
    for i, u in enumerate(scored):
        rank = out[-1].rank if out and out[-1].score == u.score else i + 1
        out.append(replace(u, rank=rank))
    return out


@dataclass(frozen=True)
class Assessment:
    """The 考核评比 of a list's lead units as of a month, with every figure's source months."""

    year: int
    region: str
    month: str  # as of the end of this month
    months: tuple[str, ...]  # the months counted (from the first month anything was reported)
    weights: tuple[float, float, float]
    units: tuple[UnitScore, ...]  # ranked
    traces: tuple[MonthTrace, ...]

    @property
    def month_no(self) -> int:
        return int(self.month[5:])

    @property
    def span(self) -> str:
        """1—12月 / 3—6月 / 5月."""
        first, last = int(self.months[0][5:]), int(self.months[-1][5:])
        return f"{first}月" if first == last else f"{first}—{last}月"
