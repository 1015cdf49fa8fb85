"""Issue 17, the year's end: the 年度完成情况报告 (`export --format annual`, .docx and .xlsx) and the 发展改革委's
考核评比 (`export --format assessment`), through the command line, with every figure worked out by hand below for
a small case on the 武隆 2023 list; the weights (`settings assess_weights`) change the score and the rank."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import openpyxl
import pytest
from docx import Document

from minsheng_desktop.cli import main
from minsheng_desktop.domain.assessment import DEFAULT_WEIGHTS, parse_weights
from minsheng_desktop.domain.model import Report
from minsheng_desktop.domain.month import Month
from minsheng_desktop.domain.plan import Milestone, make_plan
from minsheng_desktop.services.assessment import assess
from minsheng_desktop.services.database import open_database
from minsheng_desktop.services.formats import FORMATS
from minsheng_desktop.services.plan import save_plan
from minsheng_desktop.services.reports import projects_of, save_report
from minsheng_desktop.storage.collect_log import log_collected_file

HOUSING = "区住房城乡建委"


def _project(projects, name: str):
    return next(p for p in projects if p.name.startswith(name))


@pytest.fixture
def year_db(db_path: Path, wulong) -> Path:
    """November and December 2023 of a few units, each report's 报送日期 chosen (deadlines: 30 Nov; 31 Dec is a
    Sunday and 1 Jan a holiday, so 2 Jan 2024):

    区住房城乡建委 — 城镇老旧小区改造 (2000万): Nov 90 % on time, Dec 已完成 on time; 燃气配套改造 (10164万): Nov 85 %,
    Dec 95 % on time; 老旧小区电梯改造 (300万): Nov 40 % sent 5 Dec (late), nothing in Dec.
    区残联 — 百千万惠残助残 (190万): Nov 95 %, Dec 已完成, both on time.
    区水利局 — 农村供水超滤膜 (200万): nothing in Nov, Dec 50 % on time."""
    with open_database(db_path) as db:
        ps = projects_of(db, wulong.id)
        old, gas = _project(ps, "城镇老旧小区改造"), _project(ps, "城镇老旧小区燃气")
        lift, aid, water = _project(ps, "老旧小区电梯"), _project(ps, "开展百千万"), _project(ps, "农村供水")
        for rep in (
            Report(old.id, "2023-11", "on_track", 90, 1800, "完成改造11个", indicator_actuals={"改造城镇老旧小区": 11},
                   submitted_on="2023-11-28"),
            Report(old.id, "2023-12", "done", 100, 2000, "12个小区全部完工", indicator_actuals={"改造城镇老旧小区": 12},
                   submitted_on="2023-12-29"),
            Report(gas.id, "2023-11", None, 85, 8000, "管网敷设", submitted_on="2023-11-30"),
            Report(gas.id, "2023-12", None, 95, 9500, "入户安装", "冬季施工受限", "春节前完工",
                   indicator_actuals={"老旧小区": 8}, submitted_on="2023-12-28"),
            Report(lift.id, "2023-11", None, 40, 100, "电梯采购中", "资金到位慢", "加快资金拨付",
                   indicator_actuals={"老旧小区电梯改造": 3}, submitted_on="2023-12-05"),
            Report(aid.id, "2023-11", None, 95, 150, submitted_on="2023-11-29"),
            Report(aid.id, "2023-12", "done", 100, 190, submitted_on="2023-12-25"),
            Report(water.id, "2023-12", None, 50, 90, submitted_on="2023-12-20"),
        ):
            save_report(db, rep)
    return db_path


def _cli(db_path: Path, *args: str) -> int:
    return main(["--db", str(db_path), *args])


def _text(path: Path) -> str:
    return "\n".join(p.text for p in Document(str(path)).paragraphs)


# ------------------------------------------------------------------ the annual report


def test_the_units_annual_report_as_docx(year_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "年度.docx"
    assert _cli(year_db, "export", "--format", "annual", "--month", "2023-12", "--unit", HOUSING, "--out", str(out)) == 0
    pars = [p.text for p in Document(str(out)).paragraphs]
    assert pars[0].replace("\n", "") == "区住房城乡建委关于2023年民生实事完成情况的报告"
    assert pars[1] == "区发展改革委："
    text = "\n".join(pars)
    # 3 projects, 1 completed; planned 2000 + 10164 + 300 = 12464, done 2000 + 9500 + 100 = 11600 (93.07 %)
    assert ("2023年，我单位牵头民生实事共3件（3个项目），已完成1个，完成率33.3%；未完成2个。12月未填报的项目按其最近一次"
            "填报（11月）统计。年度计划投资12464万元，完成投资11600万元，投资完成率93.1%。") in text
    assert "（一）城镇老旧小区改造和社区服务提升。" in text
    assert "指标完成情况：改造城镇老旧小区：目标12个，完成12个。年度计划投资2000万元，完成投资2000万元，投资完成率100%。" \
           "据12月填报，已完成。12个小区全部完工。" in text
    assert "老旧小区电梯改造：目标8台，完成3台" in text and "据11月填报，进度滞后，完成进度40%。" in text
    unfinished = text.split("三、未完成项目及原因")[1]
    assert "城镇老旧小区改造和社区服务提升" not in unfinished
    assert "（一）城镇老旧小区燃气配套基础设施改造。正常推进（12月），完成进度95%。主要原因：冬季施工受限。下步打算：春节前完工。" \
           in unfinished
    assert "（二）老旧小区电梯改造。进度滞后（11月），完成进度40%。主要原因：资金到位慢。下步打算：加快资金拨付。" in unfinished
    assert unfinished.index("特此报告。") > unfinished.index("加快资金拨付")
    assert "区住房城乡建委" in pars[-3] and "（联系人：" in pars[-1]
    # fonts named for East Asian text, as in the other documents
    run = Document(str(out)).paragraphs[0].runs[0]
    assert run._r.rPr.rFonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia") == \
        "方正小标宋简体"


def test_the_annual_table_as_xlsx(year_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "年度.xlsx"
    assert _cli(year_db, "export", "--format", "annual", "--month", "2023-12", "--unit", HOUSING, "--out", str(out)) == 0
    ws = openpyxl.load_workbook(out).active
    assert ws["A1"].value == "区住房城乡建委牵头武隆区2023年民生实事完成情况表"
    assert [c.value.replace("\n", "") for c in ws[3]] == [
        "序号", "项目名称", "目标任务", "指标完成情况", "年度投资（万元）", "完成投资（万元）", "投资完成率", "完成状态",
        "未完成原因", "下步打算"]
    assert ws.cell(3, 1).font.bold and ws.cell(3, 1).border.left.style == "thin"
    rows = {r[1]: r for r in ws.iter_rows(min_row=4, values_only=True)}
    old = rows["城镇老旧小区改造和社区服务提升"]
    assert old[3] == "改造城镇老旧小区：目标12个，完成12个" and old[4:8] == (2000, 2000, 1, "已完成（12月）")
    lift = rows["老旧小区电梯改造"]
    assert lift[4:] == (300, 100, 0.333, "进度滞后（11月）", "资金到位慢", "加快资金拨付")
    total = rows["合计"]
    assert total[2] == "3个项目" and total[4:8] == (12464, 11600, pytest.approx(0.931, abs=0.001), "已完成1个")
    assert ws.page_setup.orientation == "landscape" and ws.print_title_rows == "$3:$3"


def test_the_districts_annual_report_goes_to_the_government(year_db: Path, tmp_path: Path) -> None:
    assert _cli(year_db, "settings", "unit", "区发展改革委") == 0
    out = tmp_path / "全区.docx"
    assert _cli(year_db, "export", "--format", "annual", "--month", "2023-12", "--out", str(out)) == 0
    text = _text(out)
    assert text.startswith("区发展改革委关于2023年") and "\n武隆区人民政府：\n" in text
    assert "武隆区2023年民生实事共" in text and "（牵头单位：区残联）" in text
    # as of November: the year so far
    assert _cli(year_db, "export", "--format", "annual", "--month", "2023-11", "--out", str(tmp_path / "11.docx")) == 0
    assert "截至2023年11月底，武隆区2023年民生实事共" in _text(tmp_path / "11.docx")


# ------------------------------------------------------------------ the assessment


def test_the_assessment_worked_out_by_hand(year_db: Path, wulong) -> None:
    """Months counted: November (the first reported) and December; 序时 expects 91.7 % and 100 %, so lagging is
    below 81.7 % and below 90 %.

    区残联: 1 of 1 completed, on time 2/2, lagging 0/2 → 60 + 20 + 20 = 100.
    区住房城乡建委: 1 of 3 completed; Nov late (电梯 sent 5 Dec), Dec late (电梯 not reported) → 0/2; the 电梯's 40 %
    lags both months (December by its November report) → 0/2: 60 × 1/3 = 20.
    区水利局: none completed; Nov not reported, Dec on time → 1/2; judged only in Dec, 50 % lagging → 0/1: 10.
    The ten others: nothing reported → 0, sharing rank 4."""
    with open_database(year_db) as db:
        a = assess(db, wulong, "2023-12")
    assert a.months == ("2023-11", "2023-12") and a.weights == DEFAULT_WEIGHTS
    by = {u.unit: u for u in a.units}
    aid, housing, water = by["区残联"], by[HOUSING], by["区水利局"]
    assert (aid.projects, aid.completed, aid.due_months, aid.on_time_months, aid.judged_months, aid.lagging_months,
            aid.score, aid.rank) == (1, 1, 2, 2, 2, 0, 100.0, 1)
    assert (housing.projects, housing.completed, housing.on_time_months, housing.judged_months,
            housing.lagging_months, housing.score, housing.rank) == (3, 1, 0, 2, 2, 20.0, 2)
    assert housing.investment_rate == pytest.approx(11600 / 12464)
    assert (water.on_time_months, water.due_months, water.judged_months, water.lagging_months, water.score,
            water.rank) == (1, 2, 1, 1, 10.0, 3)
    assert {u.rank for u in a.units if u.score == 0} == {4} and len(a.units) == 13
    lift = [t for t in a.traces if t.project == "老旧小区电梯改造"]
    assert [(t.month, t.reported_on, t.source, t.deadline, t.on_time, t.percent, t.lagging) for t in lift] == [
        ("2023-11", date(2023, 12, 5), "报送日期", date(2023, 11, 30), False, 40, True),
        ("2023-12", None, "", date(2024, 1, 2), False, 40, True)]
    assert lift[1].note == "未填报，按11月填报判断"
    aid_dec = next(t for t in a.traces if t.unit == "区残联" and t.month == "2023-12")
    assert aid_dec.on_time and aid_dec.basis == "序时进度" and aid_dec.expected == pytest.approx(100)


def test_a_month_not_yet_due_is_not_counted(year_db: Path, wulong) -> None:
    """On 31 December, December's deadline (2 January) is still ahead: 区住房城乡建委's 电梯 is not in yet, so its
    December counts for nothing — November only: late and lagging, 60 × 1/3 = 20; 区残联, all in, keeps both."""
    with open_database(year_db) as db:
        a = assess(db, wulong, "2023-12", today=date(2023, 12, 31))
    by = {u.unit: u for u in a.units}
    housing, aid = by[HOUSING], by["区残联"]
    assert (housing.due_months, housing.on_time_months, housing.judged_months, housing.lagging_months,
            housing.score) == (1, 0, 1, 1, 20.0)
    assert (aid.due_months, aid.on_time_months, aid.score) == (2, 2, 100.0)
    lift = next(t for t in a.traces if t.project == "老旧小区电梯改造" and t.month == "2023-12")
    assert lift.pending and lift.on_time is None and lift.note == "未到报送期限"


def test_the_collect_log_is_when_the_office_received_it(year_db: Path, wulong) -> None:
    """The unit's November file collected on 30 Nov: its three projects count as received then (on time), so
    区住房城乡建委 is on time in November: 20 + 20 × 1/2 = 30."""
    with open_database(year_db) as db:
        log_collected_file(db, wulong.id, "2023-11", unit=HOUSING, source_file="住建委11月.xlsx", sha256="x" * 64,
                           collected_at="2023-11-30T16:00:00+08:00", summary={})
        a = assess(db, wulong, "2023-12")
    housing = next(u for u in a.units if u.unit == HOUSING)
    assert (housing.on_time_months, housing.score) == (1, 30.0)
    lift = next(t for t in a.traces if t.project == "老旧小区电梯改造" and t.month == "2023-11")
    assert (lift.reported_on, lift.source, lift.on_time) == (date(2023, 11, 30), "汇总记录", True)


def test_the_plan_judges_the_lagging_months(year_db: Path, wulong) -> None:
    """The 电梯 project's plan expects 40 % by November and 45 % by December: not lagging by its plan, so 区住房城乡建委
    is on plan both months: 20 + 0 + 20 = 40."""
    with open_database(year_db) as db:
        lift = _project(projects_of(db, wulong.id), "老旧小区电梯")
        save_plan(db, make_plan(lift.id, "李四", milestones=[Milestone(Month(2023, 11), "完成采购", 40),
                                                             Milestone(Month(2023, 12), "安装过半", 45)]))
        a = assess(db, wulong, "2023-12")
    housing = next(u for u in a.units if u.unit == HOUSING)
    assert (housing.lagging_months, housing.score) == (0, 40.0)
    assert {t.basis for t in a.traces if t.project == "老旧小区电梯改造"} == {"计划进度"}


def test_the_assessment_files_and_the_weights(year_db: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "考核.xlsx"
    assert _cli(year_db, "export", "--format", "assessment", "--month", "2023-12", "--out", str(out)) == 0
    wb = openpyxl.load_workbook(out)
    ws, trace = wb["考核评比"], wb["逐月明细"]
    assert ws["A1"].value == "武隆区2023年民生实事牵头单位考核评比表（初稿）"
    top = [r for r in ws.iter_rows(min_row=3, max_row=5, values_only=True)]
    assert [(r[0], r[1], r[-1]) for r in top] == [(1, "区残联", 100), (2, HOUSING, 20), (3, "区水利局", 10)]
    assert top[1][2:10] == (3, 1, pytest.approx(0.33, abs=0.01), pytest.approx(0.93, abs=0.01), 2, 0, 2, 2)
    notes = [r[0] for r in ws.iter_rows(min_row=16, values_only=True) if r[0]]
    assert any("完成率60%、按时报送20%、按计划推进20%" in n for n in notes)
    heads = [c.value for c in trace[2]]
    assert heads[:8] == ["牵头单位", "序号", "项目名称", "月份", "报送日期", "日期依据", "报送期限", "是否按时"]
    rows = [r for r in trace.iter_rows(min_row=3, values_only=True) if r[2] == "老旧小区电梯改造"]
    assert [r[3:9] for r in rows] == [("11月", "2023-12-05", "报送日期", "2023-11-30", "否", 40),
                                      ("12月", None, None, "2024-01-02", "否", 40)]
    assert rows[0][12] == "是" and rows[1][13] == "未填报，按11月填报判断"
    # 13 units × 2 months of projects: every project-month is a row (26 projects)
    assert trace.max_row - 2 == 26 * 2

    # the weights: 20, 40, 40 puts 区水利局 (0 + 40 × 1/2 + 0 = 20) above 区住房城乡建委 (20 × 1/3 = 6.7)
    assert _cli(year_db, "settings", "assess_weights", "20，40，40") == 0
    assert _cli(year_db, "settings", "assess_weights") == 0
    assert capsys.readouterr().out.strip().endswith("20,40,40")
    assert _cli(year_db, "export", "--format", "assessment", "--month", "2023-12", "--out", str(out), "--force") == 0
    ws = openpyxl.load_workbook(out)["考核评比"]
    top = [r for r in ws.iter_rows(min_row=3, max_row=5, values_only=True)]
    assert [(r[0], r[1], r[-1]) for r in top] == [(1, "区残联", 100), (2, "区水利局", 20), (3, HOUSING, 6.7)]

    doc = tmp_path / "考核.docx"
    assert _cli(year_db, "export", "--format", "assessment", "--month", "2023-12", "--out", str(doc)) == 0
    d = Document(str(doc))
    assert d.paragraphs[0].text.replace("\n", "") == "武隆区2023年民生实事牵头单位考核评比表（初稿）"
    table = d.tables[0]
    assert [c.text for c in table.rows[1].cells] == ["1", "区残联", "1", "1", "100%", "100%", "2/2", "0/2", "100.0"]
    assert [c.text for c in table.rows[3].cells][1:] == [HOUSING, "3", "1", "33.3%", "93.1%", "0/2", "2/2", "6.7"]
    assert "权重：完成率20%、按时报送40%、按计划推进40%" in _text(doc)


@pytest.mark.parametrize("value", ["50,50,50", "60,20", "a,b,c", "0,-10,110"])
def test_bad_weights_are_one_line(year_db: Path, capsys, value: str) -> None:
    assert _cli(year_db, "settings", "assess_weights", value) == 2
    err = capsys.readouterr().err.strip()
    assert "考核权重" in err and "合计 100" in err and len(err.splitlines()) == 1
    with pytest.raises(ValueError):
        parse_weights(value)


def test_the_assessment_is_over_every_unit(year_db: Path, tmp_path: Path, capsys) -> None:
    assert _cli(year_db, "export", "--format", "assessment", "--month", "2023-12", "--unit", HOUSING,
                "--out", str(tmp_path / "x.xlsx")) == 2
    assert "--unit 不适用于 --format assessment" in capsys.readouterr().err
    assert not (tmp_path / "x.xlsx").exists()
    assert _cli(year_db, "export", "--format", "annual", "--month", "2023-12", "--out", str(tmp_path / "x.pdf")) == 2
    assert "annual 格式应保存为 .docx 或 .xlsx 文件" in capsys.readouterr().err


def test_the_year_end_formats_are_not_a_months_files() -> None:
    """Not in the window's 导出 check boxes nor the month's e-mail; each written as either kind of file."""
    assert not FORMATS["annual"].monthly and not FORMATS["assessment"].monthly
    assert FORMATS["annual"].suffixes == (".docx", ".xlsx") and FORMATS["assessment"].suffixes == (".xlsx", ".docx")
    assert FORMATS["annual"].per_unit and not FORMATS["assessment"].per_unit
