"""Each shared fixture imports to exactly its EXPECTED.json, every field of every project."""

from __future__ import annotations

import pytest

from minsheng_desktop.importers import read_target_list

from .conftest import FIXTURES
from .expected import assert_list_facts, assert_projects, section_dicts

NAMES = ["000_wulong_2023_notice.docx", "000_wulong_2023_list.xlsx", "004_chengkou_2023_notice.docx",
         "004_chengkou_2023_list.xlsx"]


@pytest.fixture(scope="module", params=NAMES)
def case(request, expected):
    return read_target_list(FIXTURES / request.param), expected[request.param]


def test_list_facts(case):
    parsed, exp = case
    assert_list_facts(parsed, exp)


def test_header_rows_and_sections(case):
    parsed, exp = case
    assert [list(r) for r in parsed.header_rows] == exp["header_rows"]
    assert section_dicts(parsed) == exp["sections"]


def test_every_project_field(case):
    parsed, exp = case
    assert_projects(parsed, exp)


def test_consistent_document_gives_no_warnings(case):
    parsed, _ = case
    assert parsed.warnings == ()


def test_indicators_read_from_targets():
    parsed = read_target_list(FIXTURES / "000_wulong_2023_notice.docx")
    first = parsed.projects[0]
    assert [(i.label, i.target, i.measure) for i in first.indicators] == [("改造城镇老旧小区", 12, "个")]
    preschool = parsed.projects[1]
    assert any(i.measure == "%" and i.target == 89 and i.comparator == ">=" for i in preschool.indicators)
    groups = [p for p in parsed.projects if not p.is_leaf]
    assert all(p.indicators == () for p in groups)
