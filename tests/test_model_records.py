"""The domain records are frozen dataclasses: what the rest of the program relies on — the constructor's
arguments and defaults (positional and by name), value equality and hashing (a record is a dict key), no
assignment, a fresh dict per Report, and dataclasses.replace/asdict."""

from __future__ import annotations

import dataclasses

import pytest

from minsheng_desktop.domain.model import (
    Contact, Indicator, ParsedList, ParsedProject, Project, Report, ReportDue, Section, TargetList,
)
from minsheng_desktop.domain.form_checks import Check
from minsheng_desktop.services.month import MonthOverview

# class -> (required arguments, the fields in order, {field: default})
SPECS = {
    Indicator: (("老旧小区", 12.0, "个"), ("label", "target", "measure", "comparator", "actual"),
                {"comparator": "=", "actual": None}),
    Contact: ((), ("unit", "name", "phone", "email"),
              {"unit": None, "name": None, "phone": None, "email": None}),
    ReportDue: (("month_end",), ("rule", "day", "text"), {"day": None, "text": ""}),
    Section: (("一、市级", "市级"),
              ("title", "name", "level", "total_investment_wan", "declared_items", "declared_projects"),
              {"level": None, "total_investment_wan": None, "declared_items": None,
               "declared_projects": None}),
    ParsedProject: (("市级", "1", "项目"),
                    ("section", "number", "name", "parent", "investment_wan", "target", "lead_units",
                     "partner_units", "note", "completion_term", "is_leaf", "indicators"),
                    {"parent": None, "investment_wan": None, "target": None, "lead_units": (),
                     "partner_units": (), "note": None, "completion_term": None, "is_leaf": True, "indicators": ()}),
    ParsedList: ((2023, "武隆区"),
                 ("year", "region", "title", "notice_title", "issuer", "doc_number", "issued_on", "contact",
                  "report_due", "source_file", "header_rows", "sections", "projects", "warnings"),
                 {"title": None, "notice_title": None, "issuer": None, "doc_number": None, "issued_on": None,
                  "contact": None, "report_due": None, "source_file": None, "header_rows": (), "sections": (),
                  "projects": (), "warnings": ()}),
    Report: (("p-1", "2023-05"),
             ("project_id", "month", "status", "percent", "investment_done_wan", "progress", "problems",
              "next_steps", "indicator_actuals", "submitted_on", "updated_at", "node_met"),
             {"status": None, "percent": None, "investment_done_wan": None, "progress": None,
              "problems": None, "next_steps": None, "indicator_actuals": {}, "submitted_on": None,
              "updated_at": None, "node_met": None}),
    Project: (("p-1", 1, "市级", "1", "项目"),
              ("id", "list_id", "section", "number", "name", "parent_id", "parent_number", "investment_wan",
               "target", "lead_units", "partner_units", "note", "completion_term", "is_leaf", "withdrawn",
               "position", "indicators"),
              {"parent_id": None, "parent_number": None, "investment_wan": None, "target": None,
               "lead_units": (), "partner_units": (), "note": None, "completion_term": None, "is_leaf": True,
               "withdrawn": False, "position": 0, "indicators": ()}),
    TargetList: ((1, 2023, "武隆区"),
                 ("id", "year", "region", "title", "notice_title", "issuer", "doc_number", "issued_on",
                  "contact", "report_due", "source_file", "imported_at", "sections"),
                 {"title": None, "notice_title": None, "issuer": None, "doc_number": None, "issued_on": None,
                  "contact": None, "report_due": None, "source_file": None, "imported_at": None,
                  "sections": ()}),
    Check: (("percent", "error", "不是数字"), ("field", "level", "text"), {}),
    MonthOverview: (("2023-05", None, (), None), ("month", "deadline", "rows", "unit"), {}),
}


@pytest.mark.parametrize("cls", list(SPECS), ids=lambda c: c.__name__)
def test_record_fields_defaults_and_value_semantics(cls) -> None:
    """The field order and defaults are the constructor's: the storage layer and the importers build records
    positionally, so a reordered field would silently put values in the wrong place."""
    args, fields, defaults = SPECS[cls]
    r = cls(*args)
    assert [f.name for f in dataclasses.fields(cls)] == list(fields)
    assert {f: getattr(r, f) for f in defaults} == defaults
    assert r == cls(**dict(zip(fields, args)))
    assert dataclasses.replace(r, **{fields[0]: "other"}) == cls("other", *args[1:]) != r
    if cls is not Report:  # a dict field: unhashable
        assert {r: 1}[cls(*args)] == 1
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(r, fields[0], "x")


def test_report_indicator_actuals_is_a_fresh_dict_per_report() -> None:
    a, b = Report("p", "2023-05"), Report("p", "2023-05")
    assert a.indicator_actuals == {} and a.indicator_actuals is not b.indicator_actuals


def test_nested_records_convert_with_asdict() -> None:
    tl = TargetList(1, 2023, "武隆区", contact=Contact("区发展改革委"), report_due=ReportDue("next_month_day", 10),
                    sections=(Section("一、市级", "市级"),))
    d = dataclasses.asdict(tl)
    assert d["contact"] == {"unit": "区发展改革委", "name": None, "phone": None, "email": None}
    assert d["sections"] == ({"title": "一、市级", "name": "市级", "level": None, "total_investment_wan": None,
                              "declared_items": None, "declared_projects": None},)
    assert tl.label == "2023年 · 武隆区"
