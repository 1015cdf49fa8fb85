"""Each shared fixture imports to exactly its EXPECTED.json, every field of every project."""

from __future__ import annotations

import pytest

from minsheng_desktop.importers import read_target_list

from .conftest import FIXTURES

NAMES = ["000_wulong_2023_notice.docx", "000_wulong_2023_list.xlsx", "004_chengkou_2023_notice.docx",
         "004_chengkou_2023_list.xlsx"]
LIST_FIELDS = ["year", "region", "title", "issuer", "doc_number", "issued_on", "notice_title"]
PROJECT_FIELDS = ["section", "number", "parent", "name", "investment_wan", "target", "note", "deadline", "is_leaf"]


@pytest.fixture(scope="module", params=NAMES)
def case(request, expected):
    return read_target_list(FIXTURES / request.param), expected[request.param]


def test_list_facts(case):
    parsed, exp = case
    for f in LIST_FIELDS:
        assert getattr(parsed, f) == exp[f], f
    got_contact = None if parsed.contact is None else vars(parsed.contact)
    assert got_contact == exp["contact"]
    got_due = None if parsed.report_due is None else vars(parsed.report_due)
    assert got_due == exp["report_due"]


def test_header_rows_and_sections(case):
    parsed, exp = case
    assert [list(r) for r in parsed.header_rows] == exp["header_rows"]
    got = [{"title": s.title, "section": s.name, "level": s.level, "total_investment_wan": s.total_investment_wan,
            "top_level_items": s.declared_items, "leaf_projects": s.declared_projects} for s in parsed.sections]
    assert got == exp["sections"]
    assert sum(1 for p in parsed.projects if p.parent is None) == exp["top_level_items"]
    assert sum(1 for p in parsed.projects if p.is_leaf) == exp["leaf_projects"]


def test_every_project_field(case):
    parsed, exp = case
    assert len(parsed.projects) == len(exp["projects"])
    for got, want in zip(parsed.projects, exp["projects"]):
        for f in PROJECT_FIELDS:
            assert getattr(got, f) == want[f], (want["number"], f)
        assert list(got.lead_units) == want["lead_units"], want["number"]
        assert list(got.partner_units) == want["partner_units"], want["number"]


def test_consistent_document_gives_no_warnings(case):
    parsed, _ = case
    assert parsed.warnings == ()


def test_indicators_read_from_targets():
    parsed = read_target_list(FIXTURES / "000_wulong_2023_notice.docx")
    first = parsed.projects[0]
    assert [(i.label, i.target, i.unit) for i in first.indicators] == [("改造城镇老旧小区", 12, "个")]
    preschool = parsed.projects[1]
    assert any(i.unit == "%" and i.target == 89 and i.comparator == ">=" for i in preschool.indicators)
    groups = [p for p in parsed.projects if not p.is_leaf]
    assert all(p.indicators == () for p in groups)
