"""A filled 实施方案 table read back into the projects' plans (`minsheng plan load`).

The table is the one `minsheng export --format plan` writes (exporters/plan_xlsx.py), read with the importers'
.xlsx reader: its columns found by their header words (in any order), each row's project by the hidden id column,
else by 序号 or 项目名称, else the project of the row above (a row the clerk inserted). Months as 2023-05,
2023年5月, 5月 (the list's year) or a date Excel made of them; per cent as 80, 80% or 0.8 (what Excel keeps of
80% typed into a cell; a whole column of fractions, as a percent-formatted column holds, is read as such). Every
problem is reported with its row; nothing is stored unless the whole file is right, and then in one transaction.
A project whose rows are all empty keeps the plan it has."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..domain.model import Project, TargetList
from ..domain.plan import Milestone, Plan, make_plan, parse_month, parse_percent
from ..exporters.xlsx_meta import META_SHEET, PLAN_FORMAT_ID, PLAN_HEADERS, PLAN_ID_HEADER
from ..importers.errors import ImportFailure
from ..importers.xlsx import read_xlsx_with_sheet
from ..storage import plans as plan_repo
from ..storage import repo
from ..storage.db import Database
from .plan import PlanError

KEYS = ("number", "name", "month", "text", "percent", "responsible", "phone", "measures")
_HEAD_KEYS = {re.sub(r"[\s(（%％)）]", "", h): k for h, k in zip(PLAN_HEADERS, KEYS)}
_HEAD_KEYS.update({"计划完成进度": "percent", "完成进度": "percent", "序号": "number", "节点": "text"})
MAX_MESSAGES = 20


class PlanLoadError(PlanError):
    """A plan table that cannot be loaded; the message lists what is wrong, row by row, in Chinese."""


@dataclass(frozen=True)
class PlanLoadResult:
    list_label: str
    projects: int  # projects the file gives a plan for
    changed: int  # of them, how many plans changed


def _header(rows: list[list[str]]) -> tuple[int, dict[str, int], int | None] | None:
    """(row index of the header, key -> column, the id column) of the first row naming 项目名称 and 节点月份."""
    for i, row in enumerate(rows[:10]):
        cols: dict[str, int] = {}
        id_col = None
        for j, text in enumerate(row):
            if text.strip() == PLAN_ID_HEADER:
                id_col = j
                continue
            key = _HEAD_KEYS.get(re.sub(r"[\s(（%％)）]", "", text))
            if key and key not in cols:
                cols[key] = j
        if "name" in cols and "month" in cols:
            return i, cols, id_col
    return None


def _grid(path: Path) -> tuple[list[list[str]], dict[str, str]]:
    try:
        doc, meta_rows = read_xlsx_with_sheet(path, META_SHEET)
    except ImportFailure as exc:
        raise PlanLoadError(str(exc)) from None
    meta = {str(r[0]): str(r[1]) for r in meta_rows or [] if len(r) >= 2 and r[0] and r[1] is not None}
    for table in doc.tables:
        rows = [[c.text if c is not None else "" for c in row] for row in table.rows]
        if _header(rows) is not None:
            return rows, meta
    raise PlanLoadError(f"“{path.name}”中找不到实施方案表（表头应有“项目名称”“节点月份”等列）：请用 minsheng export "
                        "--format plan 导出的表格填写后再载入。")


def _target_list(db: Database, meta: dict[str, str], year: int | None, region: str | None) -> TargetList:
    if meta.get("format") == PLAN_FORMAT_ID and meta.get("year") and meta.get("region") and year is None \
            and region is None:
        found = repo.find_target_list(db, int(float(meta["year"])), meta["region"])
        if found is None:
            raise PlanLoadError(f"数据库中没有{meta['year']}年{meta['region']}的目标任务：请先导入该年度的目标任务。")
        return found
    return repo.select_list(db, year, region)


def read_plan_table(db: Database, path: Path, year: int | None = None,
                    region: str | None = None) -> tuple[TargetList, list[Plan]]:
    """The plans a filled table gives, checked (PlanLoadError lists every problem with its row)."""
    if not path.is_file():
        raise PlanLoadError(f"找不到文件“{path}”：请检查路径。")
    if path.suffix.lower() != ".xlsx":
        raise PlanLoadError(f"“{path.name}”不是 .xlsx 文件：请载入 minsheng export --format plan 导出并填写的 .xlsx 表格"
                            "（WPS 或 Excel 中另存为 .xlsx）。")
    rows, meta = _grid(path)
    if meta.get("format") not in (None, PLAN_FORMAT_ID):
        raise PlanLoadError(f"“{path.name}”是本程序导出的月报表，不是实施方案表：请用 minsheng export --format plan "
                            "导出实施方案表。")
    target_list = _target_list(db, meta, year, region)
    projects = [p for p in repo.load_projects(db, target_list.id) if p.is_leaf]
    head, cols, id_col = _header(rows)  # type: ignore[misc]
    return target_list, _plans_from_rows(rows, head, cols, id_col, projects, target_list.year, path.name)


def _plans_from_rows(rows: list[list[str]], head: int, cols: dict[str, int], id_col: int | None,
                     projects: list[Project], year: int, name: str) -> list[Plan]:
    by_id = {p.id: p for p in projects}
    by_number: dict[str, list[Project]] = {}
    by_name: dict[str, list[Project]] = {}
    for p in projects:
        by_number.setdefault(p.number.strip(), []).append(p)
        by_name.setdefault(re.sub(r"\s", "", p.name), []).append(p)
    errors: list[str] = []

    def cell(row: list[str], key: str) -> str:
        j = cols.get(key)
        return row[j].strip() if j is not None and j < len(row) else ""

    percent_texts = [cell(r, "percent") for r in rows[head + 1:] if cell(r, "percent")]
    numbers = [parse_percent(t, False) for t in percent_texts if "%" not in t and "％" not in t]
    fractions = bool(numbers) and all(v is not None and 0 <= v <= 1 for v in numbers) and \
        any(v is not None and 0 < v < 1 for v in numbers)

    gathered: dict[str, dict] = {}  # project id -> fields, nodes {month: (row, node)}
    order: list[str] = []
    current: Project | None = None
    last_key: tuple[str, str] | None = None
    for i, row in enumerate(rows[head + 1:], start=head + 2):
        where = f"第{i}行"
        pid = row[id_col].strip() if id_col is not None and id_col < len(row) and row[id_col] else ""
        number, pname = cell(row, "number"), cell(row, "name")
        if pid and pid in by_id:
            current = by_id[pid]
        elif (number or pname) and (number, pname) != last_key:
            found = _find(number, pname, by_number, by_name)
            if isinstance(found, str):
                errors.append(f"{where}：{found}")
                current = None
                last_key = (number, pname)
                continue
            current = found
        last_key = (number, pname)
        values = {k: cell(row, k) for k in ("month", "text", "percent", "responsible", "phone", "measures")}
        if not any(values[k] for k in ("text", "percent", "responsible", "phone", "measures")):
            continue  # a month row left empty (its month written in by the export)
        if current is None:
            errors.append(f"{where}：不知道属于哪个项目（序号、项目名称为空）：请在该行填写项目的序号和名称。")
            continue
        got = gathered.get(current.id)
        if got is None:
            got = gathered[current.id] = {"project": current, "nodes": {}}
            order.append(current.id)
        for key, label in (("responsible", "责任人"), ("phone", "联系电话"), ("measures", "工作措施")):
            if values[key]:
                seen = got.get(key)
                if seen is not None and seen[1] != values[key]:
                    errors.append(f"{where}：项目“{current.name}”的{label}“{values[key]}”与第{seen[0]}行的"
                                  f"“{seen[1]}”不同：每个项目只填一个{label}。")
                elif seen is None:
                    got[key] = (i, values[key])
        if not (values["text"] or values["percent"]):
            continue
        month = parse_month(values["month"], year) if values["month"] else None
        if month is None:
            errors.append(f"{where}：“节点月份”{'为空' if not values['month'] else '“' + values['month'] + '”无法识别'}"
                          f"：请写成 {year}-05、{year}年5月 或 5月。")
            continue
        percent = None
        if values["percent"]:
            percent = parse_percent(values["percent"], fractions)
            if percent is None or not 0 <= percent <= 100:
                errors.append(f"{where}：“计划完成进度(%)”“{values['percent']}”应为 0–100 的数，如 80 或 80%。")
                continue
        if month in got["nodes"]:
            errors.append(f"{where}：项目“{current.name}”的节点月份{month.label}与第{got['nodes'][month][0]}行重复："
                          "每个月只填一个节点，请合并为一行。")
            continue
        if percent == 1 and "%" not in values["percent"] and any(
                n.percent is not None and n.percent > 1 for _, n in got["nodes"].values() if n.month < month):
            percent = 100.0  # 100% typed into Excel after 80 or 0.8: kept as 1
        got["nodes"][month] = (i, Milestone(month, values["text"] or None, percent))
    if errors:
        more = f"\n……另有{len(errors) - MAX_MESSAGES}处问题" if len(errors) > MAX_MESSAGES else ""
        raise PlanLoadError(f"“{name}”有{len(errors)}处问题，未载入任何内容；请改正后重新载入：\n"
                            + "\n".join(errors[:MAX_MESSAGES]) + more)
    out = []
    for pid in order:
        g = gathered[pid]
        out.append(make_plan(pid, *(g[k][1] if k in g else None for k in ("responsible", "phone", "measures")),
                             [node for _, node in g["nodes"].values()]))
    return out


def _find(number: str, name: str, by_number: dict[str, list[Project]],
          by_name: dict[str, list[Project]]) -> Project | str:
    """The project a row names by 项目名称 (and 序号 where names repeat), else by 序号; or what is wrong."""
    named = by_name.get(re.sub(r"\s", "", name), []) if name else []
    if len(named) > 1 and number:
        named = [p for p in named if p.number.strip() == number] or named
    if len(named) == 1:
        return named[0]
    numbered = by_number.get(number, []) if number else []
    if not name and len(numbered) == 1:
        return numbered[0]
    if len(named) > 1 or (not name and len(numbered) > 1):
        return f"序号“{number}”、项目名称“{name}”对应多个项目：请保留导出时的隐藏列，或写明序号和完整名称。"
    return f"找不到项目“{name or number}”：请核对项目名称，与目标任务中的写法一致。"


def load_plan_table(db: Database, path: Path, year: int | None = None, region: str | None = None) -> PlanLoadResult:
    """Read a filled table and store its plans, all or nothing; loading the same file again changes nothing."""
    target_list, plans = read_plan_table(db, path, year, region)
    changed = plan_repo.replace_plans(db, plans)
    return PlanLoadResult(target_list.label, len(plans), changed)
