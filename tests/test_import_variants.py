"""Variant documents (tests/fixtures/variants, built by make_variants.py) import to their EXPECTED_VARIANTS.json."""

from __future__ import annotations

import json

import pytest

from minsheng_desktop.importers import ImportFailure, read_target_list

from .conftest import FIXTURES
from .expected import project_value

VARIANTS = FIXTURES / "variants"
EXPECTED = json.loads((VARIANTS / "EXPECTED_VARIANTS.json").read_text(encoding="utf-8"))["files"]
NAMES = sorted(EXPECTED)
LIST_FIELDS = ["year", "region", "title", "issuer", "doc_number", "issued_on", "notice_title"]
PROJECT_FIELDS = ["section", "number", "parent", "name", "investment_wan", "target", "note", "deadline", "is_leaf"]


def _read(name: str):
    exp = EXPECTED[name]
    kw = exp["needs"] or {}
    return read_target_list(VARIANTS / name, **kw), exp


@pytest.fixture(scope="module", params=NAMES)
def case(request):
    return _read(request.param)


def test_all_variants_present():
    assert len(NAMES) >= 10
    for name in NAMES:
        assert (VARIANTS / name).stat().st_size < 100_000, name


def test_list_facts(case):
    parsed, exp = case
    for f in LIST_FIELDS:
        assert getattr(parsed, f) == exp[f], f
    assert (None if parsed.contact is None else vars(parsed.contact)) == exp["contact"]
    assert (None if parsed.report_due is None else vars(parsed.report_due)) == exp["report_due"]


def test_header_rows_and_sections(case):
    parsed, exp = case
    assert [list(r) for r in parsed.header_rows] == exp["header_rows"]
    got = [{"title": s.title, "section": s.name, "level": s.level, "total_investment_wan": s.total_investment_wan,
            "top_level_items": s.declared_items, "leaf_projects": s.declared_projects} for s in parsed.sections]
    assert got == exp["sections"]


def test_every_project_field(case):
    parsed, exp = case
    got_ids = [(p.section, p.number, p.name) for p in parsed.projects]
    want_ids = [(p["section"], p["number"], p["name"]) for p in exp["projects"]]
    assert got_ids == want_ids
    for got, want in zip(parsed.projects, exp["projects"]):
        for f in PROJECT_FIELDS:
            assert project_value(got, f) == want[f], (want["number"], f)
        assert list(got.lead_units) == want["lead_units"], want["number"]
        assert list(got.partner_units) == want["partner_units"], want["number"]


def test_warnings(case):
    parsed, exp = case
    assert len(parsed.warnings) == len(exp["warnings"]), parsed.warnings
    unmatched = list(parsed.warnings)
    for parts in exp["warnings"]:
        hit = next((w for w in unmatched if all(p in w for p in parts)), None)
        assert hit is not None, (parts, parsed.warnings)
        unmatched.remove(hit)


@pytest.mark.parametrize("name", [n for n in NAMES if EXPECTED[n]["needs"]])
def test_needs_year_and_region(name):
    needs = EXPECTED[name]["needs"]
    with pytest.raises(ImportFailure):
        read_target_list(VARIANTS / name)
    if "region" in needs:
        with pytest.raises(ImportFailure):
            read_target_list(VARIANTS / name, year=needs["year"])
    parsed = read_target_list(VARIANTS / name, **needs)
    assert (parsed.year, parsed.region) == (needs["year"], needs["region"])
    assert parsed.warnings == ()


def test_forwarded_notice_keeps_inner_facts():
    parsed, _ = _read("v01_wanzhou_2024_forwarded.docx")
    assert [p.number for p in parsed.projects if p.section == "区级重点民生实事"] == [str(i) for i in range(12, 22)]
    assert parsed.projects[13].lead_units == ("区交通局", "区公安局")
    assert all(p.investment_wan is None for p in parsed.projects)
