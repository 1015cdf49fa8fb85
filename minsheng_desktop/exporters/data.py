"""One month's projects, reports and settings as plain rows for the exporters (read by services.month_data)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from ..domain.assessment import Assessment
from ..domain.model import STATUS_LABELS, Project, Report, Section, TargetList
from ..domain.plan import Plan
from ..domain.schedule import elapsed_share, month_add, quarter_months, quarter_of
from ..domain.status import is_blank, suggested_status

CN_NUMERALS = "一二三四五六七八九十"
NOT_REPORTED = "未填报"


def cn_numeral(n: int) -> str:
    """1 → 一, 12 → 十二, 105 → 一百零五, 1000 → 一千 (headings number lagging projects too, so any count)."""
    if n <= 0:
        return "零"
    if n <= 10:
        return CN_NUMERALS[n - 1]
    if n < 20:
        return "十" + CN_NUMERALS[n - 11]
    if n < 100:
        return CN_NUMERALS[n // 10 - 1] + "十" + (CN_NUMERALS[n % 10 - 1] if n % 10 else "")
    for size, word in ((10000, "万"), (1000, "千"), (100, "百")):
        if n >= size:
            head, rest = divmod(n, size)
            tail = ""
            if rest:
                body = cn_numeral(rest)
                if 10 <= rest < 20:  # 一百一十, not 一百十
                    body = "一" + body
                tail = ("零" if rest < size // 10 else "") + body
            return cn_numeral(head) + word + tail
    return str(n)


def book_title(title: str) -> str:
    """《title》 with the titles inside it in 〈〉: 《…关于印发〈万州区…目标任务〉的通知》 (GB/T 15834)."""
    t = title.strip()
    if t.startswith("《") and t.endswith("》"):  # already in 《》: the outer pair only if it spans the whole title
        depth = 0
        for i, ch in enumerate(t):
            depth += (ch == "《") - (ch == "》")
            if depth == 0:
                break
        if i == len(t) - 1:
            t = t[1:-1]
    return "《" + t.replace("《", "〈").replace("》", "〉") + "》"


def official_date(d: date) -> str:
    """2023年6月5日: Arabic numerals, full year, no zero padding (GB/T 9704)."""
    return f"{d.year}年{d.month}月{d.day}日"


def month_parts(month: str) -> tuple[int, int]:
    y, m = month.split("-")
    return int(y), int(m)


def status_key(report: Report | None, month: str, plan: Plan | None = None) -> str | None:
    """The 进度状态 key: the clerk's choice, else suggested from the percentage (against the project's plan where
    it has nodes), else None (未填报)."""
    if report is None:
        return None
    if report.status:
        return report.status
    return suggested_status(report.percent, month, plan)


@dataclass(frozen=True)
class Row:
    """One project line of the table; parents of sub-projects carry their children's sums."""

    project: Project
    report: Report | None  # the month's report, else the latest before it in the year (carried forward)
    depth: int = 0  # 0 item, 1 sub-project
    is_parent: bool = False
    investment_wan: float | None = None
    done_wan: float | None = None
    month: str = ""  # the month of the table
    plan: Plan | None = None  # the project's 实施方案, which judges its progress where it has nodes

    @property
    def carried_from(self) -> str | None:
        """The month of the report shown when the project has not reported the table's month yet."""
        rep = self.report
        return rep.month if rep is not None and self.month and rep.month != self.month else None

    @property
    def status(self) -> str | None:
        return None if self.is_parent else status_key(self.report, self.report.month if self.report else "", self.plan)

    @property
    def status_label(self) -> str:
        """已完成, 正常推进 …; 未填报; a carried report says its month: 进度滞后（5月）."""
        if self.is_parent:
            return ""
        key = self.status
        label = STATUS_LABELS.get(key, key) if key else NOT_REPORTED
        carried = self.carried_from
        return f"{label}（{int(carried[5:])}月）" if carried else label

    @property
    def rate(self) -> float | None:
        if self.investment_wan and self.done_wan is not None:
            return self.done_wan / self.investment_wan
        return None


@dataclass(frozen=True)
class SectionBlock:
    """A section of the table with its rows and subtotal."""

    title: str
    section: Section | None
    rows: tuple[Row, ...]

    @property
    def leaves(self) -> list[Row]:
        return [r for r in self.rows if not r.is_parent]

    @property
    def items(self) -> int:
        return sum(1 for r in self.rows if r.depth == 0)

    @property
    def investment_wan(self) -> float | None:
        vals = [r.investment_wan for r in self.leaves if r.investment_wan is not None]
        return sum(vals) if vals else None

    @property
    def done_wan(self) -> float | None:
        vals = [r.done_wan for r in self.leaves if r.done_wan is not None]
        return sum(vals) if vals else None


@dataclass(frozen=True)
class MonthData:
    """Everything an export of one month needs, read once from the database (services.month_data)."""

    target_list: TargetList
    month: str
    unit: str | None
    blocks: list[SectionBlock]
    withdrawn: list[Project]
    reporter_unit: str | None = None
    reporter_name: str | None = None
    reporter_phone: str | None = None
    report_date: date = field(default_factory=date.today)
    letter_kind: str = "函"
    history: dict[str, dict[str, Report]] = field(default_factory=dict)  # every report by project, month
    plans: dict[str, Plan] = field(default_factory=dict)  # the projects' 实施方案 by project id (domain.plan)
    assessment: Assessment | None = None  # the lead units' 考核评比 (services.assessment), for that format only

    @property
    def year(self) -> int:
        return self.target_list.year

    @property
    def region(self) -> str:
        return self.target_list.region

    @property
    def month_no(self) -> int:
        return month_parts(self.month)[1]

    @property
    def as_of(self) -> str:
        """截至2023年5月底."""
        y, m = month_parts(self.month)
        return f"截至{y}年{m}月底"

    @property
    def has_investment(self) -> bool:
        return any(r.investment_wan is not None for b in self.blocks for r in b.rows)

    @property
    def leaves(self) -> list[Row]:
        return [r for b in self.blocks for r in b.leaves]

    @property
    def items(self) -> int:
        return sum(b.items for b in self.blocks)

    @property
    def sender(self) -> str:
        """Who sends the report: the unit chosen, else the reporter setting, else blank."""
        return self.unit or self.reporter_unit or ""

    @property
    def table_title(self) -> str:
        scope = f"{self.unit}牵头" if self.unit else ""
        return f"{scope}{self.region}{self.year}年民生实事推进情况表"

    def status_counts(self) -> dict[str, int]:
        """Projects by 进度状态 (a carried report counts by the status it was reported with); ``unreported``: no
        report at all this year; ``carried``: shown with an earlier month's report."""
        counts = {k: 0 for k in ("done", "on_track", "lagging", "not_started")}
        counts["unreported"] = 0
        counts["carried"] = 0
        for r in self.leaves:
            key = r.status
            counts[key if key in counts else "unreported"] += 1
            if r.carried_from:
                counts["carried"] += 1
        return counts

    @property
    def unfilled(self) -> list[Project]:
        """The projects with nothing reported for the month (shown with an earlier report, or 未填报)."""
        return [r.project for r in self.leaves if r.report is None or r.carried_from]

    @property
    def carried(self) -> list[Row]:
        """Projects not reported for the month whose latest earlier report is shown instead."""
        return [r for r in self.leaves if r.carried_from]

    @property
    def has_indicators(self) -> bool:
        return any(r.report is not None and r.report.indicator_actuals for r in self.leaves)

    @property
    def has_done(self) -> bool:
        """Anyone entered 累计完成投资: the table shows it even when the list plans no investment."""
        return self.has_investment or any(r.done_wan is not None for r in self.leaves)

    @property
    def office(self) -> str:
        """The addressee: 区发展改革委 (see TargetList.office)."""
        return self.target_list.office

    def report_at(self, project_id: str, month: str) -> Report | None:
        """The latest report of a project in or before ``month`` (cumulative figures carry over)."""
        return latest_report(self.history.get(project_id, {}), month)

    def done_at(self, project_id: str, month: str) -> float | None:
        """累计完成投资 of a project at the end of ``month`` (the rule the table's figures follow)."""
        return done_at(self.history.get(project_id, {}), month)

    def quarter(self) -> tuple[int, int, list[str], str]:
        """(year, quarter number, its months, the month before it) for the quarter ending with this month."""
        y, q = quarter_of(self.month)
        months = quarter_months(y, q)
        return y, q, months, month_add(months[0], -1)

    def elapsed_percent(self) -> float:
        return elapsed_share(self.month) * 100


def _sum(values: list[float | None]) -> float | None:
    vals = [v for v in values if v is not None]
    return sum(vals) if vals else None


def latest_report(reports: dict[str, Report], month: str) -> Report | None:
    """The latest non-blank report in or before ``month`` (reports of one project by month)."""
    best = None
    for m in sorted(reports):
        if m > month:
            break
        if not is_blank(reports[m]):
            best = reports[m]
    return best


def done_at(reports: dict[str, Report], month: str) -> float | None:
    """累计完成投资 at the end of ``month``: the latest figure entered in or before it (a cumulative figure
    left out of a month's report is not zero)."""
    best = None
    for m in sorted(reports):
        if m > month:
            break
        if reports[m].investment_done_wan is not None:
            best = reports[m].investment_done_wan
    return best


def build_blocks(projects: list[Project], reports: dict[str, Report], sections: tuple[Section, ...],
                 unit: str | None, month: str = "", done: dict[str, float] | None = None,
                 plans: dict[str, Plan] | None = None) -> tuple[list[SectionBlock], list[Project]]:
    """Group live projects by section, sub-projects under their item; withdrawn ones come back apart."""
    withdrawn = [p for p in projects if p.withdrawn and p.is_leaf and (unit is None or unit in p.lead_units)]
    live = [p for p in projects if not p.withdrawn]
    children: dict[str, list[Project]] = {}
    for p in live:
        if p.parent_id:
            children.setdefault(p.parent_id, []).append(p)

    def leaf_row(p: Project, depth: int) -> Row:
        rep = reports.get(p.id)
        value = rep.investment_done_wan if rep else None
        if value is None and done:
            value = done.get(p.id)
        return Row(p, rep, depth, False, p.investment_wan, value, month, (plans or {}).get(p.id))

    order: list[str | None] = [s.name for s in sections]
    for p in live:
        if p.section not in order:
            order.append(p.section)
    blocks: list[SectionBlock] = []
    by_name = {s.name: s for s in sections}
    for name in order:
        rows: list[Row] = []
        for p in live:
            if p.section != name or p.parent_id:
                continue
            if p.is_leaf and p.id not in children:
                if unit is None or unit in p.lead_units:
                    rows.append(leaf_row(p, 0))
                continue
            kids = [leaf_row(c, 1) for c in children.get(p.id, []) if unit is None or unit in c.lead_units]
            if not kids:
                continue
            rows.append(Row(p, None, 0, True, _sum([k.investment_wan for k in kids]),
                            _sum([k.done_wan for k in kids]), month))
            rows.extend(kids)
        if rows:
            sec = by_name.get(name) if name else None
            blocks.append(SectionBlock(name or "", sec, tuple(rows)))
    if len(blocks) > 1 or (blocks and blocks[0].section is not None):
        blocks = [SectionBlock(f"{cn_numeral(i + 1)}、{b.title}（{b.items}件{len(b.leaves)}个项目）", b.section, b.rows)
                  for i, b in enumerate(blocks)]
    return blocks, withdrawn
