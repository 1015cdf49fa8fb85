"""dump is valid against dump.schema.json; dump → load → dump gives the same JSON; load is idempotent."""

from __future__ import annotations

import json

import jsonschema
import pytest

from minsheng_desktop.cli import main
from minsheng_desktop.domain.model import Report
from minsheng_desktop.services.dump import LoadError, dump, load
from minsheng_desktop.services.importing import import_file
from minsheng_desktop.services.reports import projects_of
from minsheng_desktop.services.database import select_list
from minsheng_desktop.storage import reports as report_repo
from minsheng_desktop.storage.db import Database

from .conftest import FIXTURES

SCHEMA = json.loads((FIXTURES / "dump.schema.json").read_text(encoding="utf-8"))


@pytest.fixture
def filled(db):
    import_file(db, FIXTURES / "000_wulong_2023_notice.docx")
    import_file(db, FIXTURES / "004_chengkou_2023_notice.docx")
    t = select_list(db, region="武隆区")
    ps = [p for p in projects_of(db, t.id) if p.is_leaf]
    report_repo.save_report(db, Report(ps[0].id, "2023-04", status="on_track", percent=30, investment_done_wan=600,
                                       progress="完成3个小区设计", indicator_actuals={"改造城镇老旧小区": 3}))
    report_repo.save_report(db, Report(ps[0].id, "2023-05", status="lagging", percent=45.5, investment_done_wan=900,
                                       progress="=SUM(A1)", problems="资金未到位", next_steps="加快推进",
                                       indicator_actuals={"改造城镇老旧小区": 5}, submitted_on="2023-05-31"))
    return db


def test_dump_valid_against_schema(filled) -> None:
    data = dump(filled)
    jsonschema.validate(data, SCHEMA)
    wl = next(t for t in data["target_lists"] if t["region"] == "武隆区")
    first = wl["projects"][0]
    assert first["id"].startswith("p-")
    assert first["indicators"][0] == {"label": "改造城镇老旧小区", "target": 12, "unit": "个", "comparator": "=",
                                      "actual": 5}
    assert {r["month"] for r in wl["reports"]} == {"2023-04", "2023-05"}
    sub = next(p for p in wl["projects"] if p["number"] == "4.1")
    assert sub["parent"] == "4" and sub["section"] == "区级民生实事"


def test_round_trip_is_identical(filled, tmp_path) -> None:
    first = dump(filled)
    other = Database(tmp_path / "other.db")
    load(other, first)
    second = dump(other)
    assert json.dumps(second, ensure_ascii=False, sort_keys=True) == json.dumps(first, ensure_ascii=False,
                                                                                 sort_keys=True)
    other.close()


def test_load_twice_changes_nothing(filled, tmp_path) -> None:
    data = dump(filled)
    other = Database(tmp_path / "other.db")
    load(other, data)
    count = "SELECT (SELECT COUNT(*) FROM report_history) + (SELECT COUNT(*) FROM import_log)"
    history = other.conn.execute(count).fetchone()[0]
    before = dump(other)
    stats = load(other, data)
    assert stats == {"lists": 0, "projects_written": 0, "reports_written": 0, "plans_written": 0}
    assert other.conn.execute(count).fetchone()[0] == history
    assert dump(other) == before
    other.close()


def test_load_without_ids_matches_by_section_and_number(filled, tmp_path) -> None:
    data = dump(filled)
    for t in data["target_lists"]:
        for p in t["projects"]:
            p.pop("id")
        for r in t["reports"]:
            r.pop("project_id")
            r["percent"] = 50
    load(filled, data)
    t = select_list(filled, region="武隆区")
    assert {r.percent for r in report_repo.reports_for_list(filled, t.id)} == {50}


def test_load_rejects_other_json(filled) -> None:
    with pytest.raises(LoadError):
        load(filled, {"format": "something-else"})


def test_cli_dump_load_round_trip(filled, db_path, tmp_path, capsys) -> None:
    capsys.readouterr()
    assert main(["--db", str(db_path), "dump"]) == 0
    text = capsys.readouterr().out
    out = tmp_path / "d.json"
    out.write_text(text, encoding="utf-8")
    other = tmp_path / "o.db"
    assert main(["load", str(out), "--db", str(other)]) == 0
    assert main(["load", str(out), "--db", str(other)]) == 0
    assert "未作改动" in capsys.readouterr().out
    assert main(["dump", "--db", str(other)]) == 0
    assert json.loads(capsys.readouterr().out) == json.loads(text)
    # one list selected by year and region
    assert main(["dump", "--db", str(other), "--region", "城口县"]) == 0
    one = json.loads(capsys.readouterr().out)
    assert [t["region"] for t in one["target_lists"]] == ["城口县"]


def test_cli_dump_out_refuses_overwrite_without_force(filled, db_path, tmp_path, capsys) -> None:
    out = tmp_path / "d.json"
    out.write_text("keep me", encoding="utf-8")
    assert main(["dump", "--db", str(db_path), "--out", str(out)]) == 2
    assert "--force" in capsys.readouterr().err
    assert out.read_text(encoding="utf-8") == "keep me"
    assert main(["dump", "--db", str(db_path), "--out", str(out), "--force"]) == 0
    jsonschema.validate(json.loads(out.read_text(encoding="utf-8")), SCHEMA)


def test_env_db_is_used(filled, db_path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("MINSHENG_DB", str(db_path))
    capsys.readouterr()
    assert main(["dump", "--year", "2023", "--region", "城口县"]) == 0
    assert json.loads(capsys.readouterr().out)["target_lists"][0]["region"] == "城口县"


def test_cli_load_bad_file(tmp_path, capsys) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    assert main(["load", str(bad), "--db", str(tmp_path / "x.db")]) == 2
    assert "JSON" in capsys.readouterr().err


def test_load_into_a_database_whose_other_list_uses_the_same_ids(filled, tmp_path) -> None:
    """A dump of 城口 loaded as another region must not collide with the ids the 城口 list already uses."""
    data = dump(filled, region="城口县")
    data["target_lists"][0]["region"] = "某某县"
    load(filled, data)
    t = select_list(filled, region="某某县")
    ids = {p.id for p in projects_of(filled, t.id)}
    assert len(ids) == 15 and not ids & {p.id for p in projects_of(filled, select_list(filled, region="城口县").id)}
