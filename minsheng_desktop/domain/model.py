"""Domain entities shared by importers, storage, exporters and the GUI: small immutable records (frozen
dataclasses)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Comparator = Literal[">=", "=", "<="]
DueRule = Literal["month_end", "next_month_day"]
Status = Literal["not_started", "on_track", "lagging", "done", "withdrawn"]

STATUS_LABELS: dict[str, str] = {
    "not_started": "未开工",
    "on_track": "正常推进",
    "lagging": "进度滞后",
    "done": "已完成",
    "withdrawn": "已撤销",
}


@dataclass(frozen=True)
class Indicator:
    """A quantitative target read from a project's target text (改造城镇老旧小区12个)."""

    label: str
    target: float
    measure: str  # what the target counts in, as printed: 个, 公里, 万平方米, %, 万元 (a "unit" is an organisation)
    comparator: Comparator = "="
    actual: float | None = None


@dataclass(frozen=True)
class Contact:
    """Who collects the monthly reports (the notice names them)."""

    unit: str | None = None
    name: str | None = None
    phone: str | None = None
    email: str | None = None


@dataclass(frozen=True)
class ReportDue:
    """When a month's report is due: month end, or day N of the next month."""

    rule: DueRule
    day: int | None = None
    text: str = ""


@dataclass(frozen=True)
class Section:
    """A section of the target table (一、市级民生实事（14件14个项目）)."""

    title: str  # as printed
    name: str  # without numbering and counts, e.g. 市级民生实事
    level: str | None = None  # 市级 / 区级 / 县级 ...
    total_investment_wan: float | None = None
    declared_items: int | None = None
    declared_projects: int | None = None


@dataclass(frozen=True)
class ParsedProject:
    """One row (or merged group of rows) of the target table, as read from the document."""

    section: str | None
    number: str
    name: str
    parent: str | None = None
    investment_wan: float | None = None
    target: str | None = None
    lead_units: tuple[str, ...] = ()
    partner_units: tuple[str, ...] = ()
    note: str | None = None
    completion_term: str | None = None  # 完成时限 as the notice words it (年底前); not a report's deadline
    is_leaf: bool = True
    indicators: tuple[Indicator, ...] = ()


@dataclass(frozen=True)
class ParsedList:
    """A whole annual target list as read from a notice or a spreadsheet."""

    year: int | None
    region: str | None
    title: str | None = None
    notice_title: str | None = None
    issuer: str | None = None
    doc_number: str | None = None
    issued_on: str | None = None  # ISO date
    contact: Contact | None = None
    report_due: ReportDue | None = None
    source_file: str | None = None
    header_rows: tuple[tuple[str, ...], ...] = ()
    sections: tuple[Section, ...] = ()
    projects: tuple[ParsedProject, ...] = ()
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Report:
    """A monthly progress report for one project."""

    project_id: str
    month: str  # YYYY-MM
    status: Status | None = None
    percent: float | None = None
    investment_done_wan: float | None = None
    progress: str | None = None
    problems: str | None = None
    next_steps: str | None = None
    indicator_actuals: dict[str, float] = field(default_factory=dict)
    submitted_on: str | None = None
    updated_at: str | None = None
    # The form's question "本月节点是否完成？" on the plan's node of the month (issue 17): True 已完成, False 未完成,
    # None 未答 (or no node). Not in dump/load: ../shared/spec/dump.schema.json has no field for it.
    node_met: bool | None = None


@dataclass(frozen=True)
class Project:
    """A project as held in the database: a parsed project plus its stable id and state."""

    id: str
    list_id: int
    section: str | None
    number: str
    name: str
    parent_id: str | None = None
    parent_number: str | None = None
    investment_wan: float | None = None
    target: str | None = None
    lead_units: tuple[str, ...] = ()
    partner_units: tuple[str, ...] = ()
    note: str | None = None
    completion_term: str | None = None  # 完成时限 (年底前); the database column and the dump's key are "deadline"
    is_leaf: bool = True
    withdrawn: bool = False
    position: int = 0
    indicators: tuple[Indicator, ...] = ()


@dataclass(frozen=True)
class TargetList:
    """A stored annual target list (one year, one region)."""

    id: int
    year: int
    region: str
    title: str | None = None
    notice_title: str | None = None
    issuer: str | None = None
    doc_number: str | None = None
    issued_on: str | None = None
    contact: Contact | None = None
    report_due: ReportDue | None = None
    source_file: str | None = None
    imported_at: str | None = None
    sections: tuple[Section, ...] = ()

    @property
    def label(self) -> str:
        return f"{self.year}年 · {self.region}"

    @property
    def office(self) -> str:
        """Who receives the reports, by the name a letter is addressed to: the unit the notice names as contact,
        else the 发展改革委 of the region's type (万州区 → 区发展改革委, 城口县 → 县发展改革委), never a bare
        发展改革委."""
        unit = (self.contact.unit or "").strip() if self.contact else ""
        unit = unit.replace("发改委", "发展改革委")
        kind = self.region[-1:] if self.region[-1:] in ("区", "县", "市", "州", "旗") else "区"
        if not unit:
            return f"{kind}发展改革委"
        return f"{kind}{unit}" if unit.startswith("发展") else unit
