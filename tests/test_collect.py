"""Issue 9: units' returned reports collected into the district's month (`minsheng collect`, collect.py)."""

from __future__ import annotations

import io
import json
import sqlite3
from pathlib import Path

import pytest
from openpyxl import load_workbook

from minsheng_desktop.storage import repo
from minsheng_desktop.services.dump import dump
from minsheng_desktop.services.importing import import_file
from minsheng_desktop.services.reports import month_reports, projects_of, save_report
from minsheng_desktop.services.database import open_database, select_list
from minsheng_desktop.services import collect
from minsheng_desktop.cli import main
from minsheng_desktop.domain.model import Report

FIX = Path(__file__).parent / "fixtures"
NOTICE = FIX / "000_wulong_2023_notice.docx"
MONTH = "2023-05"
XLSX_UNITS = ("区教委", "区城市管理局", "区住房城乡建委")
SILENT = "区民政局"  # never reports
RENAMED = ("建设城市公园", "城区公园新建工程")  # edited in 区城市管理局's file so that it does not match


def _fill(db_path: Path, units: set[str] | None, skip: set[str] = frozenset()) -> dict[str, float]:  # type: ignore[assignment]
    """Import the notice and report May for the projects the units lead; returns done 万元 by name."""
    done: dict[str, float] = {}
    with open_database(db_path) as db:
        lid, _ = import_file(db, NOTICE)
        for k, p in enumerate(projects_of(db, lid)):
            lead = set(p.lead_units)
            if not p.is_leaf or lead & skip or (units is not None and not lead & units):
                continue
            pct = float(20 + 5 * (k % 12))
            inv = round((p.investment_wan or 0) * pct / 100, 2)
            save_report(db, Report(p.id, MONTH, percent=pct, investment_done_wan=inv,
                                            progress=f"{p.name}按计划推进", problems="雨季影响" if k % 3 == 0 else None,
                                            next_steps="加快施工"))
            done[p.name] = inv
    return done


@pytest.fixture
def returned(tmp_path: Path) -> dict:
    """Three units' .xlsx exports (one name edited), a dump for the other units but one, the district DB."""
    files: list[Path] = []
    done: dict[str, float] = {}
    for u in XLSX_UNITS:
        unit_db = tmp_path / f"{u}.db"
        done.update(_fill(unit_db, {u}))
        out = tmp_path / f"{u}_2023年5月.xlsx"
        assert main(["--db", str(unit_db), "export", "--month", MONTH, "--format", "xlsx", "--out", str(out),
                     "--unit", u]) == 0
        files.append(out)
    wb = load_workbook(files[1])
    cell = next(c for row in wb.worksheets[0].iter_rows() for c in row if c.value == RENAMED[0])
    cell.value = RENAMED[1]
    wb.save(files[1])
    others = tmp_path / "others.db"
    done.update(_fill(others, None, skip={*XLSX_UNITS, SILENT}))
    dump_file = tmp_path / "others.json"
    assert main(["--db", str(others), "dump", "--out", str(dump_file)]) == 0
    files.append(dump_file)
    district = tmp_path / "district.db"
    with open_database(district) as db:
        import_file(db, NOTICE)
    return {"files": files, "done": done, "db": district}


def _state(db_path: Path) -> tuple:
    with open_database(db_path) as db:
        data = dump(db)
    conn = sqlite3.connect(db_path)
    try:
        counts = tuple(conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
                       for t in ("reports", "report_history", "collect_log", "indicator_values"))
    finally:
        conn.close()
    return json.dumps(data, sort_keys=True, ensure_ascii=False), counts


def _total_done(xlsx: bytes | Path) -> float:
    wb = load_workbook(io.BytesIO(xlsx) if isinstance(xlsx, bytes) else xlsx)
    ws = wb.worksheets[0]
    head = [str(c.value).replace("\n", "") for c in ws[3]]  # header words may be on lines of their own
    col = head.index("累计完成投资（万元）")
    total = next(r for r in ws.iter_rows(min_row=4) if r[0].value == "合计")
    return float(total[col].value or 0)


def test_analyse_matches_reports_unmatched_and_missing(returned: dict) -> None:
    with open_database(returned["db"]) as db:
        result = collect.analyse(db, returned["files"], MONTH)
        assert [f.kind for f in result.files] == ["xlsx", "xlsx", "xlsx", "json"]
        assert [f.unit for f in result.files[:3]] == list(XLSX_UNITS)
        assert len(result.unmatched) == 1
        miss = result.unmatched[0]
        assert miss.incoming.name == RENAMED[1] and miss.incoming.unit == "区城市管理局"
        assert RENAMED[0] in [p.name for p, _ in miss.candidates] and len(miss.candidates) <= 3
        assert not result.conflicts
        taken = {i.project.name for i in result.taken}
        assert taken == set(returned["done"]) - {RENAMED[0]}
        assert all(i.state == "new" for i in result.taken)
        assert {i.how for i in result.taken} == {"number_name"}  # ids differ: each unit imported on its own
        assert result.missing_units() == [SILENT]
        assert result.deadline_passed is (result.today > result.deadline)
        lines = collect.summary_lines(result)
        assert any(RENAMED[1] in x and RENAMED[0] in x for x in lines)
        assert lines[-1].startswith("2023年5月未报送的牵头单位1个") and lines[-1].endswith(SILENT)
        # the clerk picks the nearest candidate, as in the window
        k = result.items.index(miss)
        collect.choose(result, k, miss.candidates[0][0].id)
        assert not result.unmatched and result.items[k].state == "new"
        stats = collect.apply_collect(db, result)
        assert stats.written == len(returned["done"]) and stats.files_logged == 4
        assert stats.missing_units == [SILENT]
        from minsheng_desktop.exporters.xlsx import build_progress_xlsx
        from minsheng_desktop.services.month_data import collect_month

        tl = select_list(db)
        district_total = _total_done(build_progress_xlsx(collect_month(db, tl, MONTH)))
        per_unit = sum(_total_done(build_progress_xlsx(collect_month(db, tl, MONTH, u)))
                       for u in repo.list_units(db, tl.id) if u != SILENT)
    units_files = sum(_total_done(f) for f in returned["files"][:3])
    dumped = sum(v for k, v in returned["done"].items() if k not in _names_of(returned, XLSX_UNITS))
    assert district_total == pytest.approx(sum(returned["done"].values()))
    assert district_total == pytest.approx(units_files + dumped)
    assert district_total == pytest.approx(per_unit)


def _names_of(returned: dict, units: tuple[str, ...]) -> set[str]:
    with open_database(returned["db"]) as db:
        tl = select_list(db)
        return {p.name for p in projects_of(db, tl.id) if set(p.lead_units) & set(units)}


def test_cli_collect_twice_changes_nothing(returned: dict, capsys) -> None:
    args = ["--db", str(returned["db"]), "collect", *map(str, returned["files"]), "--month", MONTH]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "未匹配1条" in out and RENAMED[1] in out and SILENT in out
    assert f"已写入2023年 · 武隆区 {MONTH} 的月报 {len(returned['done']) - 1} 条" in out
    first = _state(returned["db"])
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "汇总过，跳过" in out and "月报 0 条" in out
    assert _state(returned["db"]) == first
    # a re-exported file (new sha256, same content) writes no report either
    again = returned["files"][0].with_name("again.xlsx")
    wb = load_workbook(returned["files"][0])
    wb["_minsheng"]["B8"] = "2099-01-01T00:00:00"
    wb.save(again)
    assert main(["--db", str(returned["db"]), "collect", str(again), "--month", MONTH]) == 0
    assert "月报 0 条" in capsys.readouterr().out
    state = _state(returned["db"])
    assert state[0] == first[0] and state[1][:2] == first[1][:2]


def test_conflict_between_two_units_is_not_written(returned: dict, tmp_path: Path) -> None:
    src = returned["files"][0]
    other = tmp_path / "copy.xlsx"
    wb = load_workbook(src)
    ws = wb.worksheets[0]
    col = [str(c.value).replace("\n", "") for c in ws[3]].index("完成进度（%）")
    row = next(r for r in ws.iter_rows(min_row=4) if isinstance(r[col].value, (int, float)))
    row[col].value = 99
    wb.save(other)
    with open_database(returned["db"]) as db:
        result = collect.analyse(db, [src, other], MONTH)
        assert len(result.conflicts) == 1
        c = result.conflicts[0]
        assert {result.items[k].incoming.source for k in c.items} == {src.name, "copy.xlsx"}
        assert any("填报内容不一致" in x for x in collect.summary_lines(result))
        stats = collect.apply_collect(db, result)
        assert c.project.id not in month_reports(db, result.target_list.id, MONTH)
        assert stats.written == len(result.taken)


@pytest.mark.parametrize("bad, words", [("month", "与所选月份"), ("text", "不是 Excel 工作簿"), ("json", "不是 minsheng dump")])
def test_bad_input_exits_2_and_writes_nothing(returned: dict, tmp_path: Path, capsys, bad: str, words: str) -> None:
    files = list(map(str, returned["files"]))
    month = MONTH
    if bad == "month":
        month = "2023-06"
    elif bad == "text":
        (tmp_path / "note.xlsx").write_text("hello")
        files.append(str(tmp_path / "note.xlsx"))
    else:
        (tmp_path / "x.json").write_text('{"a": 1}')
        files.append(str(tmp_path / "x.json"))
    before = _state(returned["db"])
    assert main(["--db", str(returned["db"]), "collect", *files, "--month", month]) == 2
    assert words in capsys.readouterr().err
    assert _state(returned["db"]) == before


def test_visible_table_alone_is_enough(returned: dict, tmp_path: Path) -> None:
    """A unit that copied the table into a new workbook (no hidden sheet): matched by 序号 + 项目名称."""
    wb = load_workbook(returned["files"][0])
    del wb["_minsheng"]
    plain = tmp_path / "plain.xlsx"
    wb.save(plain)
    with open_database(returned["db"]) as db:
        result = collect.analyse(db, [plain], MONTH)
    assert result.files[0].unit == "区教委"
    assert len(result.taken) == 4 and not result.unmatched
    assert {i.how for i in result.taken} == {"number_name"}


def test_cli_district_products_and_photos(tmp_path, capsys) -> None:
    """`export --district` adds the chart; `--photos` adds the evidence appendix; a letter refuses both."""
    import zipfile

    import openpyxl
    from PIL import Image

    from minsheng_desktop.cli import main
    from minsheng_desktop.domain.model import Report
    from minsheng_desktop.services.evidence import add_evidence
    from minsheng_desktop.services.importing import import_file
    from minsheng_desktop.services.reports import projects_of, save_report
    from minsheng_desktop.services.database import select_list
    from minsheng_desktop.storage.db import Database

    db_path = tmp_path / "d.db"
    with Database(db_path) as db:
        import_file(db, NOTICE)
        p = next(x for x in projects_of(db, select_list(db).id) if x.is_leaf)
        save_report(db, Report(p.id, "2023-06", status="on_track", percent=60, progress="进展顺利"))
        img = tmp_path / "现场.png"
        Image.new("RGB", (640, 480), (200, 40, 40)).save(img)
        add_evidence(db, p.id, "2023-06", img, caption="小区改造现场")
    x = tmp_path / "d.xlsx"
    assert main(["--db", str(db_path), "export", "--month", "2023-06", "--format", "xlsx", "--out", str(x),
                 "--district"]) == 0
    wb = openpyxl.load_workbook(x)
    assert any(ws._charts for ws in wb.worksheets)
    d = tmp_path / "d.docx"
    assert main(["--db", str(db_path), "export", "--month", "2023-06", "--format", "docx", "--out", str(d),
                 "--photos"]) == 0
    with zipfile.ZipFile(d) as z:
        assert any(n.startswith("word/media/") for n in z.namelist())
        assert "小区改造现场" in z.read("word/document.xml").decode("utf-8")
    capsys.readouterr()
    assert main(["--db", str(db_path), "export", "--month", "2023-06", "--format", "letter", "--out",
                 str(tmp_path / "l.docx"), "--photos"]) == 2
    assert "--photos" in capsys.readouterr().err
