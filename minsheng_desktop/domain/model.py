"""Domain entities shared by importers, storage, exporters and the GUI: small immutable records.

They behave as the frozen dataclasses they were (same constructor arguments and defaults, attributes, ``==``,
``hash``, ``repr``, ``vars()``, assignment raising ``dataclasses.FrozenInstanceError``, and
``dataclasses.replace/asdict/fields/is_dataclass`` working on them), but they are written out by hand:
``@dataclass`` generates and compiles each class's methods when the module is imported, ~6 ms of the window's
start for these nine classes (plus importing ``dataclasses`` itself), and a frozen dataclass's ``__init__``
sets each field with ``object.__setattr__`` (a Project: 2.1 µs, written here 0.7 µs)."""

from __future__ import annotations

from operator import attrgetter
from typing import Any, Literal

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


class _DataclassFields:
    """``__dataclass_fields__``, built on first use from the class's fields and its ``__init__`` defaults, so
    that ``dataclasses.replace``, ``asdict``, ``fields`` and ``is_dataclass`` treat these records as the
    dataclasses they were, without importing ``dataclasses`` at start-up."""

    def __get__(self, obj: object, cls: type[Record]) -> dict[str, Any]:
        import dataclasses

        init = cls.__init__
        defaults = init.__defaults__ or ()
        first_default = len(cls._fields) - len(defaults)
        out: dict[str, Any] = {}
        for i, name in enumerate(cls._fields):
            if name in cls._factories:
                spec = dataclasses.field(default_factory=cls._factories[name])
            elif i >= first_default:
                spec = dataclasses.field(default=defaults[i - first_default])
            else:
                spec = dataclasses.field()
            out[name] = (name, cls.__annotations__[name], spec)
        # A throw-away dataclass with the same fields gives the genuine Field objects (public API only).
        made = dataclasses.make_dataclass(cls.__name__, list(out.values()), frozen=True)
        fields = made.__dataclass_fields__
        cls.__dataclass_fields__ = fields  # type: ignore[attr-defined]  # cached on the class from now on
        return fields


class Record:
    """Base of the records: value equality and hash over the fields in order (as a frozen dataclass), a
    dataclass-style repr, and no assignment after ``__init__``.

    A subclass declares its fields as annotations, in order, and an ``__init__`` taking them in the same order
    with the same defaults, which stores them straight into ``self.__dict__`` (past the frozen
    ``__setattr__``, as a frozen dataclass's ``__init__`` goes past it with ``object.__setattr__``)."""

    _fields: tuple[str, ...] = ()
    _factories: dict[str, Any] = {}  # field -> default factory (as field(default_factory=...))
    _values: Any = None  # attrgetter of all fields, in order
    __dataclass_fields__ = _DataclassFields()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls._fields = tuple(cls.__dict__.get("__annotations__", {}))
        cls._values = attrgetter(*cls._fields)
        cls.__match_args__ = cls._fields
        code = cls.__init__.__code__
        # The hand-written __init__ must take exactly the fields, in order (checked when the class is made).
        assert code.co_varnames[1:code.co_argcount] == cls._fields, cls.__name__

    def __eq__(self, other: object) -> bool:
        if other.__class__ is self.__class__:
            return self._values(self) == self._values(other)  # type: ignore[no-any-return]
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._values(self))

    def __repr__(self) -> str:
        d = self.__dict__
        return f"{self.__class__.__qualname__}({', '.join(f'{f}={d[f]!r}' for f in self._fields)})"

    def __setattr__(self, name: str, value: object) -> None:
        from dataclasses import FrozenInstanceError

        raise FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        from dataclasses import FrozenInstanceError

        raise FrozenInstanceError(f"cannot delete field {name!r}")


class Indicator(Record):
    """A quantitative target read from a project's target text (改造城镇老旧小区12个)."""

    label: str
    target: float
    unit: str
    comparator: Comparator
    actual: float | None

    def __init__(self, label: str, target: float, unit: str, comparator: Comparator = "=",
                 actual: float | None = None) -> None:
        d = self.__dict__
        d["label"] = label
        d["target"] = target
        d["unit"] = unit
        d["comparator"] = comparator
        d["actual"] = actual


class Contact(Record):
    """Who collects the monthly reports (the notice names them)."""

    unit: str | None
    name: str | None
    phone: str | None
    email: str | None

    def __init__(self, unit: str | None = None, name: str | None = None, phone: str | None = None,
                 email: str | None = None) -> None:
        d = self.__dict__
        d["unit"] = unit
        d["name"] = name
        d["phone"] = phone
        d["email"] = email


class ReportDue(Record):
    """When a month's report is due: month end, or day N of the next month."""

    rule: DueRule
    day: int | None
    text: str

    def __init__(self, rule: DueRule, day: int | None = None, text: str = "") -> None:
        d = self.__dict__
        d["rule"] = rule
        d["day"] = day
        d["text"] = text


class Section(Record):
    """A section of the target table (一、市级民生实事（14件14个项目）)."""

    title: str  # as printed
    name: str  # without numbering and counts, e.g. 市级民生实事
    level: str | None  # 市级 / 区级 / 县级 ...
    total_investment_wan: float | None
    declared_items: int | None
    declared_projects: int | None

    def __init__(self, title: str, name: str, level: str | None = None,
                 total_investment_wan: float | None = None, declared_items: int | None = None,
                 declared_projects: int | None = None) -> None:
        d = self.__dict__
        d["title"] = title
        d["name"] = name
        d["level"] = level
        d["total_investment_wan"] = total_investment_wan
        d["declared_items"] = declared_items
        d["declared_projects"] = declared_projects


class ParsedProject(Record):
    """One row (or merged group of rows) of the target table, as read from the document."""

    section: str | None
    number: str
    name: str
    parent: str | None
    investment_wan: float | None
    target: str | None
    lead_units: tuple[str, ...]
    partner_units: tuple[str, ...]
    note: str | None
    deadline: str | None
    is_leaf: bool
    indicators: tuple[Indicator, ...]

    def __init__(self, section: str | None, number: str, name: str, parent: str | None = None,
                 investment_wan: float | None = None, target: str | None = None,
                 lead_units: tuple[str, ...] = (), partner_units: tuple[str, ...] = (),
                 note: str | None = None, deadline: str | None = None, is_leaf: bool = True,
                 indicators: tuple[Indicator, ...] = ()) -> None:
        d = self.__dict__
        d["section"] = section
        d["number"] = number
        d["name"] = name
        d["parent"] = parent
        d["investment_wan"] = investment_wan
        d["target"] = target
        d["lead_units"] = lead_units
        d["partner_units"] = partner_units
        d["note"] = note
        d["deadline"] = deadline
        d["is_leaf"] = is_leaf
        d["indicators"] = indicators


class ParsedList(Record):
    """A whole annual target list as read from a notice or a spreadsheet."""

    year: int | None
    region: str | None
    title: str | None
    notice_title: str | None
    issuer: str | None
    doc_number: str | None
    issued_on: str | None  # ISO date
    contact: Contact | None
    report_due: ReportDue | None
    source_file: str | None
    header_rows: tuple[tuple[str, ...], ...]
    sections: tuple[Section, ...]
    projects: tuple[ParsedProject, ...]
    warnings: tuple[str, ...]

    def __init__(self, year: int | None, region: str | None, title: str | None = None,
                 notice_title: str | None = None, issuer: str | None = None, doc_number: str | None = None,
                 issued_on: str | None = None, contact: Contact | None = None,
                 report_due: ReportDue | None = None, source_file: str | None = None,
                 header_rows: tuple[tuple[str, ...], ...] = (), sections: tuple[Section, ...] = (),
                 projects: tuple[ParsedProject, ...] = (), warnings: tuple[str, ...] = ()) -> None:
        d = self.__dict__
        d["year"] = year
        d["region"] = region
        d["title"] = title
        d["notice_title"] = notice_title
        d["issuer"] = issuer
        d["doc_number"] = doc_number
        d["issued_on"] = issued_on
        d["contact"] = contact
        d["report_due"] = report_due
        d["source_file"] = source_file
        d["header_rows"] = header_rows
        d["sections"] = sections
        d["projects"] = projects
        d["warnings"] = warnings


_NEW_DICT: Any = object()  # "not given": a fresh dict (as dataclasses' field(default_factory=dict))


class Report(Record):
    """A monthly progress report for one project."""

    project_id: str
    month: str  # YYYY-MM
    status: Status | None
    percent: float | None
    investment_done_wan: float | None
    progress: str | None
    problems: str | None
    next_steps: str | None
    indicator_actuals: dict[str, float]
    submitted_on: str | None
    updated_at: str | None

    _factories = {"indicator_actuals": dict}

    def __init__(self, project_id: str, month: str, status: Status | None = None,
                 percent: float | None = None, investment_done_wan: float | None = None,
                 progress: str | None = None,
                 problems: str | None = None, next_steps: str | None = None,
                 indicator_actuals: dict[str, float] = _NEW_DICT, submitted_on: str | None = None,
                 updated_at: str | None = None) -> None:
        d = self.__dict__
        d["project_id"] = project_id
        d["month"] = month
        d["status"] = status
        d["percent"] = percent
        d["investment_done_wan"] = investment_done_wan
        d["progress"] = progress
        d["problems"] = problems
        d["next_steps"] = next_steps
        d["indicator_actuals"] = {} if indicator_actuals is _NEW_DICT else indicator_actuals
        d["submitted_on"] = submitted_on
        d["updated_at"] = updated_at


class Project(Record):
    """A project as held in the database: a parsed project plus its stable id and state."""

    id: str
    list_id: int
    section: str | None
    number: str
    name: str
    parent_id: str | None
    parent_number: str | None
    investment_wan: float | None
    target: str | None
    lead_units: tuple[str, ...]
    partner_units: tuple[str, ...]
    note: str | None
    deadline: str | None
    is_leaf: bool
    withdrawn: bool
    position: int
    indicators: tuple[Indicator, ...]

    def __init__(self, id: str, list_id: int, section: str | None, number: str, name: str,  # noqa: A002
                 parent_id: str | None = None, parent_number: str | None = None,
                 investment_wan: float | None = None, target: str | None = None,
                 lead_units: tuple[str, ...] = (), partner_units: tuple[str, ...] = (),
                 note: str | None = None, deadline: str | None = None, is_leaf: bool = True,
                 withdrawn: bool = False, position: int = 0, indicators: tuple[Indicator, ...] = ()) -> None:
        d = self.__dict__
        d["id"] = id
        d["list_id"] = list_id
        d["section"] = section
        d["number"] = number
        d["name"] = name
        d["parent_id"] = parent_id
        d["parent_number"] = parent_number
        d["investment_wan"] = investment_wan
        d["target"] = target
        d["lead_units"] = lead_units
        d["partner_units"] = partner_units
        d["note"] = note
        d["deadline"] = deadline
        d["is_leaf"] = is_leaf
        d["withdrawn"] = withdrawn
        d["position"] = position
        d["indicators"] = indicators


class TargetList(Record):
    """A stored annual target list (one year, one region)."""

    id: int
    year: int
    region: str
    title: str | None
    notice_title: str | None
    issuer: str | None
    doc_number: str | None
    issued_on: str | None
    contact: Contact | None
    report_due: ReportDue | None
    source_file: str | None
    imported_at: str | None
    sections: tuple[Section, ...]

    def __init__(self, id: int, year: int, region: str, title: str | None = None,  # noqa: A002
                 notice_title: str | None = None, issuer: str | None = None, doc_number: str | None = None,
                 issued_on: str | None = None, contact: Contact | None = None,
                 report_due: ReportDue | None = None, source_file: str | None = None,
                 imported_at: str | None = None, sections: tuple[Section, ...] = ()) -> None:
        d = self.__dict__
        d["id"] = id
        d["year"] = year
        d["region"] = region
        d["title"] = title
        d["notice_title"] = notice_title
        d["issuer"] = issuer
        d["doc_number"] = doc_number
        d["issued_on"] = issued_on
        d["contact"] = contact
        d["report_due"] = report_due
        d["source_file"] = source_file
        d["imported_at"] = imported_at
        d["sections"] = sections

    @property
    def label(self) -> str:
        return f"{self.year}年 · {self.region}"
