"""domain.form_checks: a number read as a clerk types it, the checks on a report's values; and the form's
status hint (domain.status.suggestion)."""

from __future__ import annotations

from minsheng_desktop.domain.form_checks import check_values, parse_number
from minsheng_desktop.domain.status import suggestion
from minsheng_desktop.services.reports import projects_of


def test_checks_and_numbers(db, wulong):
    p = next(x for x in projects_of(db, wulong.id) if x.investment_wan == 82)
    assert parse_number("1,200", "x") == (1200.0, None)
    assert parse_number("４５％", "x") == (45.0, None)
    assert parse_number("", "x") == (None, None)
    assert parse_number("abc", "x")[1].level == "error"
    texts = {c.field: c for c in check_values(p, 120, -1, None)}
    assert texts["percent"].level == "error" and texts["investment_done_wan"].level == "error"
    assert check_values(p, 50, 90, None)[0].level == "warning"
    assert check_values(p, 50, 10, "done")[0].field == "status"
    assert suggestion(55, "2023-06")[0] == "on_track"
    assert suggestion(100, "2023-06")[0] == "done"
    assert suggestion(0, "2023-06")[0] == "not_started"
    assert suggestion(None, "2023-06")[0] == ""
