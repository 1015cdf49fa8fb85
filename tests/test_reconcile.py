"""Re-importing a revised list: added / changed / removed, reports kept, ids stable."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from minsheng_desktop.cli import main
from minsheng_desktop.domain.model import ParsedProject, Project, Report
from minsheng_desktop.domain.reconcile import reconcile
from minsheng_desktop.services.dump import dump
from minsheng_desktop.services.importing import import_file, preview_import
from minsheng_desktop.services.reports import projects_of
from minsheng_desktop.services.database import select_list
from minsheng_desktop.storage import reports as report_repo

from .conftest import FIXTURES


def make_revised(tmp_path: Path) -> Path:
    """The 武隆 list as a revised notice would have it."""
    wb = openpyxl.load_workbook(FIXTURES / "000_wulong_2023_list.xlsx")
    ws = wb.active
    rows = {str(ws.cell(r, 1).value): r for r in range(6, 20)}
    ws.cell(rows["1"], 4).value = "2500"  # 市级1: investment changed
    ws.cell(rows["2"], 2).value = "发展普惠性学前教育和托育服务"  # 市级2: renamed in place
    # 市级3 and 市级5 swap places: both renumbered, same projects
    r3, r5 = rows["3"], rows["5"]
    for col in range(2, 9):
        if col == 3:  # covered by the B:C merge of the name
            continue
        a, b = ws.cell(r3, col).value, ws.cell(r5, col).value
        ws.cell(r3, col).value, ws.cell(r5, col).value = b, a
    # 市级14 withdrawn
    for col in range(1, 9):
        if col != 3:
            ws.cell(rows["14"], col).value = None
    ws.cell(5, 1).value = "一、市级民生实事（13件13个项目）"
    ws.cell(5, 4).value = "9936"
    # 区级11 added
    last = ws.max_row + 1
    ws.cell(last, 1).value = "11"
    ws.cell(last, 2).value = "社区食堂建设"
    ws.merge_cells(start_row=last, start_column=2, end_row=last, end_column=3)
    ws.cell(last, 4).value = "300"
    ws.cell(last, 5).value = "建成社区食堂5个。"
    ws.cell(last, 6).value = "区民政局"
    ws.cell(20, 1).value = "二、区级民生实事（11件13个项目）"
    ws.cell(20, 4).value = "30012"
    out = tmp_path / "revised.xlsx"
    wb.save(out)
    return out


@pytest.fixture
def imported(db):
    import_file(db, FIXTURES / "000_wulong_2023_notice.docx")
    t = select_list(db)
    projects = {(p.section, p.number): p for p in projects_of(db, t.id)}
    for p in projects.values():
        if p.is_leaf:
            report_repo.save_report(db, Report(p.id, "2023-03", status="on_track", percent=25, progress=f"{p.name}进展"))
    return t, projects


def test_preview_lists_changes_and_writes_nothing(db, imported, tmp_path) -> None:
    revised = make_revised(tmp_path)
    before = dump(db)
    preview = preview_import(db, revised)
    s = preview.summary
    assert s["added"] == ["11 社区食堂建设"]
    assert s["removed"] == ["14 地下有限空间安全监测整治"]
    changed = "\n".join(s["changed"])
    assert "1 城镇老旧小区改造和社区服务提升：年度投资" in changed
    assert "名称" in changed and "发展普惠性学前教育和托育服务" in changed
    assert "3 开展青少年心理健康教育：序号" in changed
    assert preview.parsed.warnings == ()
    assert dump(db) == before


def test_reimport_keeps_ids_and_reports(db, imported, tmp_path) -> None:
    t, old = imported
    import_file(db, make_revised(tmp_path))
    new = {p.id: p for p in projects_of(db, t.id)}
    sj = "市级民生实事"
    assert new[old[(sj, "1")].id].investment_wan == 2500
    assert new[old[(sj, "2")].id].name == "发展普惠性学前教育和托育服务"
    assert new[old[(sj, "3")].id].number == "5"  # 婴幼儿照护 moved to 5, same id
    assert new[old[(sj, "5")].id].number == "3"
    gone = new[old[(sj, "14")].id]
    assert gone.withdrawn
    assert report_repo.get_report(db, gone.id, "2023-03").progress == "地下有限空间安全监测整治进展"
    added = [p for p in new.values() if p.name == "社区食堂建设"]
    assert len(added) == 1 and added[0].id not in {p.id for p in old.values()}
    # every report entered so far is still there
    assert len(report_repo.reports_for_list(db, t.id)) == sum(1 for p in old.values() if p.is_leaf)
    data = dump(db)["target_lists"][0]
    assert sum(p["withdrawn"] for p in data["projects"]) == 1


def test_reimport_same_file_changes_nothing(db, imported) -> None:
    preview = preview_import(db, FIXTURES / "000_wulong_2023_notice.docx")
    assert preview.plan is not None and preview.plan.is_empty
    # The xlsx of the same list matches the notice project for project.
    preview = preview_import(db, FIXTURES / "000_wulong_2023_list.xlsx")
    assert preview.plan.is_empty


def test_withdrawn_project_comes_back(db, imported, tmp_path) -> None:
    t, old = imported
    import_file(db, make_revised(tmp_path))
    import_file(db, FIXTURES / "000_wulong_2023_notice.docx")
    back = {p.id: p for p in projects_of(db, t.id)}[old[("市级民生实事", "14")].id]
    assert not back.withdrawn and back.number == "14"


def test_cli_dry_run_writes_nothing(db_path, tmp_path, capsys) -> None:
    assert main(["--db", str(db_path), "import-targets", str(FIXTURES / "000_wulong_2023_notice.docx")]) == 0
    revised = make_revised(tmp_path)
    before = db_path.read_bytes()
    capsys.readouterr()
    assert main(["--db", str(db_path), "import-targets", str(revised), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "试运行" in out and "新增1项" in out and "撤销1项" in out and "社区食堂建设" in out
    assert db_path.read_bytes() == before


# ------------------------------------------------------------------ the matcher, on its own (issue 14)

SJ = "市级民生实事"
OLD = [  # a stored list: (number, name, target, lead unit)
    ("1", "城镇老旧小区改造和社区服务提升", "改造城镇老旧小区12个。", "区住房城乡建委"),
    ("2", "发展普惠性学前教育", "全区学前三年毛入园率达到89%，普惠性幼儿园覆盖率达到96%。", "区教委"),
    ("3", "发展婴幼儿照护服务", "全区标准托位数达890个，每千人托位数达到2.5个。", "区卫生健康委"),
    ("4", "实施农村供水保障工程", "新建改造农村供水工程20处，巩固提升5万人供水保障水平。", "区水利局"),
    ("5", "地下有限空间安全监测整治", "完成地下有限空间监测点位建设30个。", "区应急局"),
]


def _old() -> list[Project]:
    return [Project(id=f"id{n}", list_id=1, section=SJ, number=n, name=name, target=target, lead_units=(unit,))
            for n, name, target, unit in OLD]


def _revised(**edits: tuple[str, str]) -> list[ParsedProject]:
    """The stored list as parsed again, with edits: n<number> -> (new name, new target) ("" keeps the old one)."""
    out = []
    for n, name, target, unit in OLD:
        new_name, new_target = edits.get(f"n{n}", ("", ""))
        out.append(ParsedProject(SJ, n, new_name or name, target=new_target or target, lead_units=(unit,)))
    return out


# (edits to the revised list, the project each revised row must keep: by row; None = a new project)
RECONCILE = {
    "unchanged": ({}, ["id1", "id2", "id3", "id4", "id5"]),
    "renamed in place, target kept": (
        {"n2": ("学前教育普惠发展", "")}, ["id1", "id2", "id3", "id4", "id5"]),
    "renamed in place (similar name), target rewritten": (
        {"n1": ("老旧小区改造", "改造城镇老旧小区15个，惠及居民3000户。")}, ["id1", "id2", "id3", "id4", "id5"]),
    # the name reordered (under half alike) and the figures of the target updated (under 80 % alike): neither
    # alone matches, both together at the same place do
    "renamed in place and target edited": (
        {"n2": ("学前教育普惠发展",
                "全区学前三年毛入园率达到91%，普惠性幼儿园覆盖率达到97%，新增公办学位600个。")},
        ["id1", "id2", "id3", "id4", "id5"]),
    "name kept, target rewritten": (
        {"n3": ("", "新增托位300个。")}, ["id1", "id2", "id3", "id4", "id5"]),
    # another project put in the place of 5: nothing alike, a new project (5 is withdrawn, its reports kept)
    "replaced by another project": (
        {"n5": ("社区食堂建设", "建成社区食堂5个。")}, ["id1", "id2", "id3", "id4", None]),
    # row 5 given the target of row 3 word for word: the same place decides, never the target alone
    "another row's target": (
        {"n5": ("社区食堂建设", "全区标准托位数达890个，每千人托位数达到2.5个。")}, ["id1", "id2", "id3", "id4", None]),
}


@pytest.mark.parametrize("case", list(RECONCILE))
def test_reconcile_table(case) -> None:
    edits, expected = RECONCILE[case]
    plan = reconcile(_old(), _revised(**edits))
    assert plan.matches == expected
    assert [p.id for p in plan.removed] == [f"id{i + 1}" for i, m in enumerate(expected) if m is None]
