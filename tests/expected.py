"""Comparing what an importer read with an EXPECTED.json entry — one set of checks for every form's tests."""

from __future__ import annotations

LIST_FIELDS = ["year", "region", "title", "issuer", "doc_number", "issued_on", "notice_title"]
PROJECT_FIELDS = ["section", "number", "parent", "name", "investment_wan", "target", "note", "deadline", "is_leaf"]
# EXPECTED.json names the 完成时限 "deadline" (as the dump does); the record's field is completion_term.
FIELD_OF_KEY = {"deadline": "completion_term"}


def project_value(project, key: str):
    """The parsed project's value for an EXPECTED.json key."""
    return getattr(project, FIELD_OF_KEY.get(key, key))


def assert_list_facts(parsed, exp: dict) -> None:
    for f in LIST_FIELDS:
        assert getattr(parsed, f) == exp[f], f
    assert (None if parsed.contact is None else vars(parsed.contact)) == exp["contact"]
    assert (None if parsed.report_due is None else vars(parsed.report_due)) == exp["report_due"]


def section_dicts(parsed) -> list[dict]:
    """The sections in EXPECTED.json's shape."""
    return [{"title": s.title, "section": s.name, "level": s.level, "total_investment_wan": s.total_investment_wan,
             "top_level_items": s.declared_items, "leaf_projects": s.declared_projects} for s in parsed.sections]


def assert_projects(parsed, exp: dict) -> None:
    """Every field of every project, the unit lists, and the counts of items and leaf projects."""
    assert len(parsed.projects) == len(exp["projects"])
    for got, want in zip(parsed.projects, exp["projects"]):
        for f in PROJECT_FIELDS:
            assert project_value(got, f) == want[f], (want["number"], f)
        assert list(got.lead_units) == want["lead_units"], want["number"]
        assert list(got.partner_units) == want["partner_units"], want["number"]
    assert sum(1 for p in parsed.projects if p.parent is None) == exp["top_level_items"]
    assert sum(1 for p in parsed.projects if p.is_leaf) == exp["leaf_projects"]
