"""The domain records behave as the frozen dataclasses they replaced (written out by hand for the window's
start): constructor arguments and defaults, equality, hashing, repr, immutability, vars(), and the helpers of
dataclasses."""

from __future__ import annotations

import copy
import dataclasses
import pickle

import pytest

from minsheng_desktop.domain import model
from minsheng_desktop.domain.model import (
    Contact, Indicator, ParsedList, ParsedProject, Project, Report, ReportDue, Section, TargetList,
)
from minsheng_desktop.workbench import Check, MonthOverview

# class -> (required arguments, the fields in order, {field: default})
SPECS = {
    Indicator: (("老旧小区", 12.0, "个"), ("label", "target", "unit", "comparator", "actual"),
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
                     "partner_units", "note", "deadline", "is_leaf", "indicators"),
                    {"parent": None, "investment_wan": None, "target": None, "lead_units": (),
                     "partner_units": (), "note": None, "deadline": None, "is_leaf": True, "indicators": ()}),
    ParsedList: ((2023, "武隆区"),
                 ("year", "region", "title", "notice_title", "issuer", "doc_number", "issued_on", "contact",
                  "report_due", "source_file", "header_rows", "sections", "projects", "warnings"),
                 {"title": None, "notice_title": None, "issuer": None, "doc_number": None, "issued_on": None,
                  "contact": None, "report_due": None, "source_file": None, "header_rows": (), "sections": (),
                  "projects": (), "warnings": ()}),
    Report: (("p-1", "2023-05"),
             ("project_id", "month", "status", "percent", "investment_done_wan", "progress", "problems",
              "next_steps", "indicator_actuals", "submitted_on", "updated_at"),
             {"status": None, "percent": None, "investment_done_wan": None, "progress": None,
              "problems": None, "next_steps": None, "indicator_actuals": {}, "submitted_on": None,
              "updated_at": None}),
    Project: (("p-1", 1, "市级", "1", "项目"),
              ("id", "list_id", "section", "number", "name", "parent_id", "parent_number", "investment_wan",
               "target", "lead_units", "partner_units", "note", "deadline", "is_leaf", "withdrawn",
               "position", "indicators"),
              {"parent_id": None, "parent_number": None, "investment_wan": None, "target": None,
               "lead_units": (), "partner_units": (), "note": None, "deadline": None, "is_leaf": True,
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
def test_record_behaves_as_a_frozen_dataclass(cls) -> None:
    args, fields, defaults = SPECS[cls]
    r = cls(*args)
    assert tuple(vars(r)) == fields and cls.__match_args__ == fields
    assert {f: getattr(r, f) for f in defaults} == defaults
    assert [f.name for f in dataclasses.fields(cls)] == list(fields) and dataclasses.is_dataclass(r)
    assert dataclasses.asdict(r) == {f: getattr(r, f) for f in fields}
    assert repr(r) == f"{cls.__name__}(" + ", ".join(f"{f}={getattr(r, f)!r}" for f in fields) + ")"
    same, keywords = cls(*args), cls(**dict(zip(fields, args)))
    assert r == same == keywords and not (r != same) and r is not same
    assert r != dataclasses.replace(r, **{fields[0]: "other"})
    assert dataclasses.replace(r, **{fields[0]: "other"}) == cls("other", *args[1:])
    assert r != tuple(getattr(r, f) for f in fields) and r != object()
    if cls is Report:  # a dict field: unhashable, as the dataclass was
        with pytest.raises(TypeError):
            hash(r)
    else:
        assert hash(r) == hash(same) and {r: 1}[keywords] == 1
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(r, fields[0], "x")
    with pytest.raises(dataclasses.FrozenInstanceError):
        r.anything = 1  # type: ignore[attr-defined]
    with pytest.raises(dataclasses.FrozenInstanceError):
        delattr(r, fields[0])
    assert pickle.loads(pickle.dumps(r)) == r and copy.deepcopy(r) == r


def test_report_indicator_actuals_is_a_fresh_dict_per_report() -> None:
    a, b = Report("p", "2023-05"), Report("p", "2023-05")
    assert a.indicator_actuals == {} and a.indicator_actuals is not b.indicator_actuals
    assert Report("p", "2023-05", indicator_actuals=None).indicator_actuals is None  # as given (as before)
    f = {f.name: f for f in dataclasses.fields(Report)}["indicator_actuals"]
    assert f.default_factory is dict


def test_nested_records_convert_with_asdict() -> None:
    tl = TargetList(1, 2023, "武隆区", contact=Contact("区发展改革委"), report_due=ReportDue("next_month_day", 10),
                    sections=(Section("一、市级", "市级"),))
    d = dataclasses.asdict(tl)
    assert d["contact"] == {"unit": "区发展改革委", "name": None, "phone": None, "email": None}
    assert d["sections"] == ({"title": "一、市级", "name": "市级", "level": None, "total_investment_wan": None,
                              "declared_items": None, "declared_projects": None},)
    assert tl.label == "2023年 · 武隆区"


def test_model_import_does_not_import_dataclasses() -> None:
    """The point of the hand-written records: importing the model does not load dataclasses (a fresh
    interpreter); dataclasses.replace & co. import it when they are used."""
    import subprocess
    import sys

    code = "import sys, minsheng_desktop.domain.model; print('dataclasses' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
    assert issubclass(Project, model.Record)
