"""Issue 17: the projects' 实施方案 — the expected per cent by plan, storage, dump/load, the fill-in table written
and read back through the command line, the 备案 document, and the judgements that use the plan."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import openpyxl
import pytest
from docx import Document
from docx.oxml.ns import qn

from minsheng_desktop.cli import main
from minsheng_desktop.domain.model import Report
from minsheng_desktop.domain.month import Month
from minsheng_desktop.domain.plan import Milestone, Plan, expected, make_plan, parse_month, parse_percent
from minsheng_desktop.domain.status import light_for, suggested_status, suggestion
from minsheng_desktop.services.database import select_list
from minsheng_desktop.services.dump import dump, load
from minsheng_desktop.services.importing import import_file
from minsheng_desktop.services.month_data import collect_month
from minsheng_desktop.services.export import export_to
from minsheng_desktop.services.plan_table import PlanLoadError, read_plan_table
from minsheng_desktop.services.reports import projects_of
from minsheng_desktop.storage import plans as plan_repo
from minsheng_desktop.storage import repo
from minsheng_desktop.storage import reports as report_repo
from minsheng_desktop.storage.db import Database

from .conftest import FIXTURES

SCHEMA = json.loads((FIXTURES / "dump.schema.json").read_text(encoding="utf-8"))
UNIT = "区住房城乡建委"


def node(month: str, text: str | None, percent: float | None) -> Milestone:
    return Milestone(Month.parse(month), text, percent)


PLAN = make_plan("p", "张三", "13800000000", "成立专班", [
    node("2023-03", "完成招标", 20), node("2023-05", "完成招标并开工", 40), node("2023-07", "主体施工", None),
    node("2023-09", "主体完工", 80), node("2023-12", "完工验收", 100)])


# ------------------------------------------------------------------ the one function


@pytest.mark.parametrize(("plan", "month", "percent", "by_plan", "node_text"), [
    (None, "2023-05", 5 / 12 * 100, False, None),  # no plan: months ÷ 12
    (Plan("p", "张三"), "2023-06", 50, False, None),  # a plan without nodes judges nothing
    (make_plan("p", milestones=[node("2023-05", "开工", None)]), "2023-06", 50, False, None),  # nodes without %
    (PLAN, "2023-02", 0, True, None),  # before the first node nothing is due yet
    (PLAN, "2023-03", 20, True, "完成招标"),  # the node of the month
    (PLAN, "2023-04", 20, True, None),  # the last node before it: no interpolation towards May's 40
    (PLAN, "2023-05", 40, True, "完成招标并开工"),
    (PLAN, "2023-07", 40, True, "主体施工"),  # a node without a per cent: shown, expecting what was due before
    (PLAN, "2023-08", 40, True, None),
    (PLAN, "2023-11", 80, True, None),
    (PLAN, "2023-12", 100, True, "完工验收"),
    (PLAN, "2024-01", 100, True, None),  # past the last node: its per cent, nothing invented
])
def test_expected_per_cent(plan, month, percent, by_plan, node_text) -> None:
    got = expected(plan, month)
    assert got.percent == pytest.approx(percent)
    assert got.by_plan is by_plan
    assert (got.node.text if got.node else None) == node_text
    assert got.basis == ("计划进度" if by_plan else "序时进度")


def test_the_judgements_say_what_judged_them() -> None:
    assert suggestion(25, "2023-05", PLAN) == (
        "lagging", "本项 25%，低于计划进度 40%（本月节点：完成招标并开工）（建议“进度滞后”）")
    assert suggestion(5, "2023-02", PLAN)[0] == "on_track"  # 序时 would say 17%: lagging by months ÷ 12 only
    assert suggested_status(5, "2023-02") == "lagging" and suggested_status(20, "2023-05") == "lagging"
    assert suggested_status(35, "2023-05", PLAN) == "on_track"  # within 10 points of the plan's 40
    assert suggestion(45, "2023-03", PLAN)[1] == "计划进度 20%（本月节点：完成招标），本项 45%：超计划（建议“正常推进”）"
    assert suggestion(None, "2023-05", PLAN)[1] == "计划进度 40%（本月节点：完成招标并开工）：填写完成进度后给出建议"
    assert suggestion(30, "2023-05")[1] == "序时进度 42%，本项 30%：滞后（建议“进度滞后”）"  # unchanged without plan
    rep = Report("p", "2023-09", percent=45)
    assert light_for(rep, "2023-09") == "amber" and light_for(rep, "2023-09", PLAN) == "red"
    assert light_for(Report("p", "2023-04", percent=15), "2023-04", PLAN) == "green"


@pytest.mark.parametrize(("text", "month"), [
    ("2023-05", Month(2023, 5)), ("2023-5", Month(2023, 5)), ("2023年5月", Month(2023, 5)), ("5月", Month(2023, 5)),
    ("12月", Month(2023, 12)), ("2023/05", Month(2023, 5)), ("2023-05-01", Month(2023, 5)), ("5", Month(2023, 5)),
    ("2024年1月", Month(2024, 1)), ("13月", None), ("五月", None), ("下半年", None),
])
def test_months_as_clerks_write_them(text, month) -> None:
    assert parse_month(text, 2023) == month


@pytest.mark.parametrize(("text", "fractions", "value"), [
    ("80", False, 80), ("80%", False, 80), ("80％", False, 80), ("0.8", False, 80), ("1", False, 1),
    ("1", True, 100), ("0", True, 0), ("八成", False, None),
])
def test_per_cent_as_clerks_write_it(text, fractions, value) -> None:
    assert parse_percent(text, fractions) == value


# ------------------------------------------------------------------ storage, dump and load


@pytest.fixture
def wulong(db: Database) -> Database:
    import_file(db, FIXTURES / "000_wulong_2023_notice.docx")
    return db


def _leaves(db: Database) -> list:
    return [p for p in projects_of(db, select_list(db).id) if p.is_leaf]


def test_a_plan_is_stored_whole_and_kept_by_reimport_and_withdrawal(wulong: Database) -> None:
    p = _leaves(wulong)[0]
    plan = make_plan(p.id, "张三", None, "专班推进", [node("2023-05", "开工", 40), node("2023-03", "招标", 20)])
    assert plan_repo.replace_plan(wulong, plan) is True
    assert plan_repo.replace_plan(wulong, plan) is False  # the same again: nothing written
    assert plan_repo.get_plan(wulong, p.id) == plan and [str(m.month) for m in plan.milestones] == ["2023-03", "2023-05"]
    import_file(wulong, FIXTURES / "000_wulong_2023_notice.docx")  # the same list again keeps the project's id
    tl = select_list(wulong)
    repo.set_withdrawn(wulong, tl.id, {p.id: True})
    assert plan_repo.plans_for_list(wulong, tl.id) == {p.id: plan}
    assert plan_repo.replace_plan(wulong, Plan(p.id)) is True  # an empty plan removes it
    assert plan_repo.plans_for_list(wulong, tl.id) == {}


def test_all_plans_of_a_list_in_two_queries(wulong: Database) -> None:
    ps = _leaves(wulong)
    plan_repo.replace_plans(wulong, [make_plan(p.id, f"人{i}", milestones=[node("2023-06", "过半", 50)])
                                     for i, p in enumerate(ps)])
    statements: list[str] = []
    list_id = select_list(wulong).id
    wulong.conn.set_trace_callback(statements.append)
    plans = plan_repo.plans_for_list(wulong, list_id)
    wulong.conn.set_trace_callback(None)
    assert len(plans) == len(ps) and len(statements) == 2


def test_dump_and_load_carry_the_plan(wulong: Database, tmp_path: Path) -> None:
    p = _leaves(wulong)[0]
    plan_repo.replace_plan(wulong, make_plan(p.id, "张三", "023-7777", "专班", [node("2023-05", "开工", 40.5)]))
    data = dump(wulong)
    jsonschema.validate(data, SCHEMA)
    projects = data["target_lists"][0]["projects"]
    assert projects[0]["plan"] == {"responsible": "张三", "phone": "023-7777", "measures": "专班",
                                   "milestones": [{"month": "2023-05", "text": "开工", "percent": 40.5}]}
    assert all(q["plan"] is None for q in projects[1:])
    other = Database(tmp_path / "other.db")
    assert load(other, data)["plans_written"] == 1
    assert load(other, data) == {"lists": 0, "projects_written": 0, "reports_written": 0, "plans_written": 0}
    assert json.dumps(dump(other), sort_keys=True) == json.dumps(data, sort_keys=True)
    other.close()


# ------------------------------------------------------------------ the fill-in table through the command line


def _cli(db_path: Path, *args: str) -> int:
    return main(["--db", str(db_path), *args])


@pytest.fixture
def exported(wulong: Database, db_path: Path, tmp_path: Path) -> Path:
    out = tmp_path / "plan.xlsx"
    assert _cli(db_path, "export", "--month", "2023-06", "--format", "plan", "--unit", UNIT, "--out", str(out)) == 0
    return out


def _rows_of(ws, name: str) -> list[int]:  # type: ignore[no-untyped-def]
    """The sheet rows of the project named ``name`` (its merged 项目名称 cell, then the rows below it)."""
    first = next(r for r in range(4, ws.max_row + 1) if ws.cell(r, 2).value == name)
    pid = ws.cell(first, 9).value
    return [r for r in range(first, ws.max_row + 1) if ws.cell(r, 9).value == pid]


def test_export_fill_load_dump_and_load_again(exported: Path, db_path: Path, tmp_path: Path, capsys) -> None:
    wb = openpyxl.load_workbook(exported)
    ws = wb.active
    assert [c.value for c in ws[3]][:8] == ["序号", "项目名称", "节点月份", "节点目标", "计划完成进度(%)", "责任人",
                                           "联系电话", "工作措施"]
    assert ws.column_dimensions["I"].hidden and wb["_minsheng"].sheet_state == "hidden"
    assert ws.cell(3, 1).font.b and ws.cell(3, 1).border.left.style == "thin"
    names = [ws.cell(r, 2).value for r in range(4, ws.max_row + 1) if ws.cell(r, 2).value]
    assert len(names) == 3 and ws.max_row == 3 + 12 * 3  # one row per month of the year for each project
    first, second = _rows_of(ws, names[0]), _rows_of(ws, names[1])
    assert [ws.cell(r, 3).value for r in first[:2]] == ["2023年1月", "2023年2月"]
    ws.cell(first[0], 6).value, ws.cell(first[0], 7).value = "张三", "13800000000"
    ws.cell(first[0], 8).value = "成立工作专班，倒排工期。"
    ws.cell(first[2], 4).value, ws.cell(first[2], 5).value = "完成招标", 20  # 2023年3月
    ws.cell(first[4], 4).value, ws.cell(first[4], 5).value = "完成招标并开工", "40%"  # 2023年5月
    ws.cell(first[8], 4).value = "主体完工"  # 2023年9月, 80% typed in Excel: 0.8 with a per cent format
    ws.cell(first[8], 5).value, ws.cell(first[8], 5).number_format = 0.8, "0%"
    ws.cell(second[0], 3).value, ws.cell(second[0], 4).value, ws.cell(second[0], 5).value = "6月", "开工", 30
    filled = tmp_path / "filled.xlsx"
    wb.save(filled)
    assert _cli(db_path, "plan", "load", str(filled)) == 0
    assert "2个项目的实施方案，其中2个有更新" in capsys.readouterr().out
    assert _cli(db_path, "plan", "load", str(filled)) == 0
    assert "无变化" in capsys.readouterr().out
    assert _cli(db_path, "dump", "--out", str(tmp_path / "d.json")) == 0
    data = json.loads((tmp_path / "d.json").read_text(encoding="utf-8"))
    jsonschema.validate(data, SCHEMA)
    plans = {p["name"]: p["plan"] for p in data["target_lists"][0]["projects"] if p["plan"]}
    assert plans[names[0]] == {"responsible": "张三", "phone": "13800000000", "measures": "成立工作专班，倒排工期。",
                               "milestones": [{"month": "2023-03", "text": "完成招标", "percent": 20},
                                              {"month": "2023-05", "text": "完成招标并开工", "percent": 40},
                                              {"month": "2023-09", "text": "主体完工", "percent": 80}]}
    assert plans[names[1]]["milestones"] == [{"month": "2023-06", "text": "开工", "percent": 30}]
    # exported again, the plan comes back prefilled, and reading that file changes nothing
    again = tmp_path / "again.xlsx"
    assert _cli(db_path, "export", "--month", "2023-06", "--format", "plan", "--unit", UNIT, "--out", str(again)) == 0
    ws2 = openpyxl.load_workbook(again).active
    assert (ws2.cell(first[4], 4).value, ws2.cell(first[4], 5).value) == ("完成招标并开工", 40)
    capsys.readouterr()
    assert _cli(db_path, "plan", "load", str(again)) == 0
    assert "无变化" in capsys.readouterr().out


def test_bad_rows_are_named_and_nothing_is_loaded(exported: Path, db_path: Path, wulong: Database, tmp_path: Path,
                                                  capsys) -> None:
    wb = openpyxl.load_workbook(exported)
    ws = wb.active
    names = [ws.cell(r, 2).value for r in range(4, ws.max_row + 1) if ws.cell(r, 2).value]
    first, second = _rows_of(ws, names[0]), _rows_of(ws, names[1])
    ws.cell(first[2], 4).value, ws.cell(first[2], 5).value = "完成招标", 20  # fine on its own
    ws.cell(first[3], 4).value, ws.cell(first[3], 5).value = "开工", 150
    ws.cell(first[5], 3).value, ws.cell(first[5], 4).value = "下半年", "主体施工"
    ws.cell(first[6], 3).value, ws.cell(first[6], 4).value = "2023年3月", "重复"
    ws.unmerge_cells(start_row=second[0], start_column=6, end_row=second[-1], end_column=6)
    ws.cell(second[0], 6).value, ws.cell(second[1], 6).value = "李四", "王五"  # two 责任人 for one project
    bad = tmp_path / "bad.xlsx"
    wb.save(bad)
    assert _cli(db_path, "plan", "load", str(bad)) == 2
    err = capsys.readouterr().err
    assert "有4处问题，未载入任何内容" in err
    assert f"第{second[1]}行：项目“{names[1]}”的责任人“王五”与第{second[0]}行的“李四”不同" in err
    assert f"第{first[3]}行：“计划完成进度(%)”“150”应为 0–100 的数" in err
    assert f"第{first[5]}行：“节点月份”“下半年”无法识别：请写成 2023-05、2023年5月 或 5月" in err
    assert f"第{first[6]}行：项目“{names[0]}”的节点月份2023年3月与第{first[2]}行重复" in err
    assert plan_repo.plans_for_list(wulong, select_list(wulong).id) == {}  # all or nothing


def test_a_table_without_the_hidden_ids_matches_by_name(wulong: Database, tmp_path: Path) -> None:
    p = _leaves(wulong)[1]
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["序号", "项目名称", "节点月份", "节点目标", "计划完成进度(%)", "责任人", "联系电话", "工作措施"])
    ws.append([p.number, p.name, "2023-04", "完成设计", "30%", "赵六", None, None])
    ws.append([None, None, "2023年8月", "完工", 100, None, None, None])  # the row below: the same project
    ws.append([None, "没有这个项目", "5月", "开工", 10, None, None, None])
    path = tmp_path / "own.xlsx"
    wb.save(path)
    with pytest.raises(PlanLoadError, match="第4行：找不到项目“没有这个项目”"):
        read_plan_table(wulong, path)
    ws.delete_rows(4)
    wb.save(path)
    _, plans = read_plan_table(wulong, path)
    assert plans == [make_plan(p.id, "赵六", milestones=[node("2023-04", "完成设计", 30), node("2023-08", "完工", 100)])]


def test_not_a_plan_table(wulong: Database, db_path: Path, tmp_path: Path, capsys) -> None:
    monthly = tmp_path / "m.xlsx"
    assert _cli(db_path, "export", "--month", "2023-06", "--format", "xlsx", "--out", str(monthly)) == 0
    assert _cli(db_path, "plan", "load", str(monthly)) == 2
    assert "找不到实施方案表" in capsys.readouterr().err
    (tmp_path / "x.docx").write_bytes(b"x")
    assert _cli(db_path, "plan", "load", str(tmp_path / "x.docx")) == 2
    assert "不是 .xlsx 文件" in capsys.readouterr().err


# ------------------------------------------------------------------ the 备案 document and the lagging lists


def test_the_plan_as_the_filing_report(wulong: Database, tmp_path: Path) -> None:
    ps = [p for p in _leaves(wulong) if UNIT in p.lead_units]
    plan_repo.replace_plan(wulong, make_plan(ps[0].id, "张三", "13800000000", "成立工作专班。",
                                             [node("2023-03", "完成招标", 20), node("2023-05", "完成招标并开工", 40)]))
    out = tmp_path / "plan.docx"
    assert export_to(wulong, select_list(wulong), "2023-06", UNIT, "plan", out).ok
    doc = Document(str(out))
    texts = [p.text for p in doc.paragraphs]
    assert texts[0].replace("\n", "") == f"{UNIT}关于报送2023年民生实事实施方案的报告"
    assert texts[1] == "区发展改革委："
    assert f"一、{ps[0].name}" in texts and "（二）责任人：张三（联系电话：13800000000）。" in texts
    assert "（四）节点计划：待补充。" in texts  # the projects without a plan say so
    assert texts[-2:] == [UNIT, texts[-1]] and texts[-1].endswith("日") and "特此报告。" in texts
    table = doc.tables[0]
    assert [[c.text for c in row.cells] for row in table.rows] == [
        ["节点月份", "节点目标", "计划完成进度"], ["2023年3月", "完成招标", "20%"], ["2023年5月", "完成招标并开工", "40%"]]
    fonts = {r.element.rPr.rFonts.get(qn("w:eastAsia")) for p in doc.paragraphs for r in p.runs if r.text.strip()}
    assert fonts == {"方正小标宋简体", "仿宋_GB2312", "黑体"}
    refused = export_to(wulong, select_list(wulong), "2023-06", UNIT, "plan", tmp_path / "plan.pdf")
    assert not refused.ok and "实施方案应保存为 .xlsx 或 .docx 文件" in refused.message
    assert not (tmp_path / "plan.pdf").exists()


def test_the_command_line_writes_the_filing_report_by_its_suffix(wulong: Database, db_path: Path, tmp_path: Path,
                                                                  capsys) -> None:
    out = tmp_path / "备案.docx"
    assert _cli(db_path, "export", "--month", "2023-06", "--format", "plan", "--unit", UNIT, "--out", str(out)) == 0
    texts = [p.text for p in Document(str(out)).paragraphs]
    assert texts[0].replace("\n", "") == f"{UNIT}关于报送2023年民生实事实施方案的报告" and "特此报告。" in texts
    assert "未填报" not in capsys.readouterr().err  # the plan is not a month's report: no unfilled hint
    assert _cli(db_path, "export", "--month", "2023-06", "--format", "plan", "--out", str(tmp_path / "x.pdf")) == 2
    assert "plan 格式应保存为 .xlsx 或 .docx 文件" in capsys.readouterr().err


def test_the_letter_lists_a_project_lagging_by_its_plan(wulong: Database) -> None:
    from minsheng_desktop.exporters.summary import lag_sentence, lagging

    tl = select_list(wulong)
    a, b = [p for p in _leaves(wulong) if UNIT in p.lead_units][:2]
    # a: 45 % in June is ahead of 序时 (50 - 10) but behind its plan's 80; b: 20 % is behind 序时, on its plan
    report_repo.save_report(wulong, Report(a.id, "2023-06", percent=45))
    report_repo.save_report(wulong, Report(b.id, "2023-06", percent=20))
    plan_repo.replace_plans(wulong, [make_plan(a.id, milestones=[node("2023-06", "完成招标并开工", 80)]),
                                     make_plan(b.id, milestones=[node("2023-05", "完成设计", 15)])])
    data = collect_month(wulong, tl, "2023-06", UNIT)
    rows = lagging(data)
    assert [r.project.id for r in rows] == [a.id]
    assert lag_sentence(rows[0], data) == "完成进度45%，低于计划进度80%（本月节点：完成招标并开工）。"
