"""Use cases shared by the window and the command line: import, reconcile, dump, load, reports."""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from pathlib import Path
from collections.abc import Sequence
from typing import Any, Union

from .domain.model import (
    Contact, Indicator, ParsedList, ParsedProject, Project, Report, ReportDue, Section, TargetList,
)
from .domain.reconcile import COMPARED_FIELDS, ReconcilePlan, reconcile
from .importers import ImportCancelled, ImportFailure, Progress
from .importers.forms import ACCEPTED_SUFFIXES, DIALOG_FILTER, IMAGE_SUFFIXES, read_source
from .importers.grid import SourceDocument
from .importers.progress import NO_PROGRESS
from .importers.reader import correct_cells, parse_source, pick_table
from .paths import default_db_path
from .storage import reports as report_repo
from .storage import repo
from .storage.db import Database, StoreError
from .storage.repo import SelectionError, select_list

__all__ = [
    "ACCEPTED_SUFFIXES", "DIALOG_FILTER", "IMAGE_SUFFIXES", "Database", "ImportCancelled", "ImportFailure",
    "ImportPreview", "Progress", "SelectionError", "StoreError", "apply_import", "correct_preview", "dump", "load",
    "open_database", "preview_import", "select_list",
]


log = logging.getLogger("minsheng.services")

ImportPaths = Union[str, os.PathLike, Sequence[Union[str, os.PathLike]]]


def open_database(path: str | os.PathLike[str] | None = None) -> Database:
    return Database(Path(path) if path else default_db_path())


# ------------------------------------------------------------------ import


@dataclass
class ImportPreview:
    """What an import would do, shown before anything is stored."""

    parsed: ParsedList
    existing: TargetList | None
    plan: ReconcilePlan | None
    old_projects: list[Project] = field(default_factory=list)
    # What the file was read into (for a scan: the page images and every cell with its OCR confidence), the
    # table the projects came from, and what the clerk asked for: kept so that corrections can be re-read.
    source: SourceDocument | None = None
    table_index: int | None = None
    year: int | None = None
    region: str | None = None
    corrections: dict[tuple[int, int, int], str] = field(default_factory=dict)

    @property
    def summary(self) -> dict[str, Any]:
        p = self.parsed
        out: dict[str, Any] = {
            "year": p.year, "region": p.region, "source_file": p.source_file,
            "projects": sum(1 for x in p.projects if x.is_leaf),
            "items": sum(1 for x in p.projects if x.parent is None),
            "sections": len(p.sections), "warnings": list(p.warnings), "new_list": self.existing is None,
        }
        if self.plan is not None:
            out["added"] = [f"{p.projects[i].number} {p.projects[i].name}" for i in self.plan.added]
            out["changed"] = [f"{c.number} {c.name}：" + "、".join(COMPARED_FIELDS[f] for f in c.fields)
                              for c in self.plan.changed]
            out["removed"] = [f"{r.number} {r.name}" for r in self.plan.removed]
        return out

    def lines(self) -> list[str]:
        """The summary in Chinese, one fact per line, for the command line and the preview dialog."""
        p = self.parsed
        s = self.summary
        head = f"{p.region} {p.year}年目标任务（{p.source_file}）：{s['items']}件、{s['projects']}个项目"
        if p.sections:
            head += "，" + "、".join(sec.name for sec in p.sections)
        out = [head]
        if p.contact and (p.contact.name or p.contact.email):
            c = p.contact
            out.append(f"报送对象：{c.unit or ''} {c.name or ''} {c.phone or ''} {c.email or ''}".rstrip())
        if p.report_due:
            out.append("报送时间：" + ("每月底" if p.report_due.rule == "month_end"
                                     else f"次月{p.report_due.day}日前报上月情况"))
        if self.plan is not None:
            if self.plan.is_empty:
                out.append("与已导入的目标任务相同，没有变化。")
            for key, label in (("added", "新增"), ("changed", "变更"), ("removed", "撤销")):
                items = s.get(key, [])
                out.append(f"{label}{len(items)}项" + ("：" if items else ""))
                out.extend(f"  {x}" for x in items)
            if self.plan.removed:
                out.append("撤销的项目标记为“已撤销”，已填报的月报全部保留。")
        for w in p.warnings:
            out.append(f"注意：{w}")
        return out


def _display_name(path: ImportPaths) -> str:
    if isinstance(path, (str, os.PathLike)):
        return Path(path).name
    paths = [Path(p) for p in path]
    return paths[0].name if len(paths) == 1 else f"{paths[0].name} 等 {len(paths)} 个文件"


def read_list_safely(path: ImportPaths, *, year: int | None = None,
                     region: str | None = None, progress: Progress = NO_PROGRESS) -> ParsedList:
    """read_target_list, with anything unexpected (a broken or hostile file) turned into one Chinese line."""
    return read_source_safely(path, year=year, region=region, progress=progress)[0]


def read_source_safely(path: ImportPaths, *, year: int | None = None, region: str | None = None,
                       progress: Progress = NO_PROGRESS) -> tuple[ParsedList, SourceDocument]:
    """Read a notice in any form and interpret it; also returns what it was read into (for corrections)."""
    name = _display_name(path)
    try:
        doc = read_source(path, progress)
        return parse_source(doc, name=name, year=year, region=region), doc
    except ImportCancelled:
        raise
    except ImportFailure as exc:
        if name in exc.message:
            raise
        raise ImportFailure(f"“{name}”：{exc.message}", path=name) from None
    except (Exception, RecursionError) as exc:  # noqa: BLE001 - no traceback may reach the clerk
        log.warning("import of %s failed: %s", name, type(exc).__name__, exc_info=True)
        raise ImportFailure(
            f"“{name}”的内容无法识别（{type(exc).__name__}），可能已损坏：请用 Word/WPS/Excel 打开并另存后再导入。",
            path=name,
        ) from None


def preview_import(db: Database, path: ImportPaths, *, year: int | None = None,
                   region: str | None = None, progress: Progress = NO_PROGRESS) -> ImportPreview:
    """Read ``path`` (a file; or a folder / several files of page photos) and say what importing would do."""
    parsed, doc = read_source_safely(path, year=year, region=region, progress=progress)
    picked = pick_table(doc)
    table_index = next((i for i, t in enumerate(doc.tables) if picked and t is picked[0]), None)
    preview = _preview_of(db, parsed)
    preview.source, preview.table_index, preview.year, preview.region = doc, table_index, year, region
    return preview


def _preview_of(db: Database, parsed: ParsedList) -> ImportPreview:
    assert parsed.year is not None and parsed.region is not None
    existing = repo.find_target_list(db, parsed.year, parsed.region)
    if existing is None:
        return ImportPreview(parsed, None, None)
    old = repo.load_projects(db, existing.id)
    return ImportPreview(parsed, existing, reconcile(old, list(parsed.projects)), old)


def correct_preview(db: Database, preview: ImportPreview,
                    corrections: dict[tuple[int, int, int], str]) -> ImportPreview:
    """The preview again, with the clerk's cell corrections (table, row, column → text) read by the same rules
    as the file itself. What is stored on 导入 is what the corrected cells say. Raises ImportFailure when the
    corrected table no longer reads (e.g. its header was erased): the clerk keeps the last good preview."""
    if preview.source is None:
        raise ImportFailure("这份预览没有可更正的单元格。")
    merged = {**preview.corrections, **corrections}
    doc = correct_cells(preview.source, merged)
    parsed = parse_source(doc, name=preview.parsed.source_file or "", year=preview.year, region=preview.region)
    new = _preview_of(db, parsed)
    new.source, new.table_index, new.year, new.region = preview.source, preview.table_index, preview.year, \
        preview.region
    new.corrections = merged
    return new


def apply_import(db: Database, preview: ImportPreview) -> int:
    """Store what the preview showed, all or nothing, after a backup. Returns the list's id."""
    from .backup import auto_backup

    auto_backup(db, "before-import")
    return repo.save_list(db, preview.parsed, preview.plan, preview.summary)


def import_file(db: Database, path: ImportPaths, *, year: int | None = None,
                region: str | None = None, progress: Progress = NO_PROGRESS) -> tuple[int, ImportPreview]:
    preview = preview_import(db, path, year=year, region=region, progress=progress)
    return apply_import(db, preview), preview


# ------------------------------------------------------------------ selection


# ------------------------------------------------------------------ dump / load


def _indicator_json(ind: Indicator, actual: float | None) -> dict[str, Any]:
    return {"label": ind.label, "target": ind.target, "unit": ind.unit, "comparator": ind.comparator,
            "actual": actual}


def dump_list(db: Database, t: TargetList) -> dict[str, Any]:
    projects = repo.load_projects(db, t.id)
    reports = report_repo.reports_for_list(db, t.id)
    by_id = {p.id: p for p in projects}
    latest: dict[tuple[str, str], float] = {}
    for r in reports:  # ordered by month: the last value written wins
        for label, v in r.indicator_actuals.items():
            latest[(r.project_id, label)] = v
    return {
        "year": t.year, "region": t.region, "title": t.title, "notice_title": t.notice_title, "issuer": t.issuer,
        "doc_number": t.doc_number, "issued_on": t.issued_on,
        "contact": None if t.contact is None else {"unit": t.contact.unit, "name": t.contact.name,
                                                   "phone": t.contact.phone, "email": t.contact.email},
        "report_due": None if t.report_due is None else {"rule": t.report_due.rule, "day": t.report_due.day,
                                                         "text": t.report_due.text},
        "source_file": t.source_file,
        "sections": [{"title": s.title, "name": s.name, "level": s.level,
                      "total_investment_wan": s.total_investment_wan, "declared_items": s.declared_items,
                      "declared_projects": s.declared_projects} for s in t.sections],
        "projects": [
            {"id": p.id, "section": p.section, "number": p.number, "parent": p.parent_number, "name": p.name,
             "investment_wan": p.investment_wan, "target": p.target, "lead_units": list(p.lead_units),
             "partner_units": list(p.partner_units), "note": p.note, "deadline": p.deadline,
             "is_leaf": p.is_leaf, "withdrawn": p.withdrawn,
             "indicators": [_indicator_json(i, latest.get((p.id, i.label))) for i in p.indicators]}
            for p in projects
        ],
        "reports": [
            {"project_id": r.project_id, "section": by_id[r.project_id].section,
             "number": by_id[r.project_id].number, "month": r.month, "status": r.status, "percent": r.percent,
             "investment_done_wan": r.investment_done_wan, "progress": r.progress, "problems": r.problems,
             "next_steps": r.next_steps, "indicator_actuals": dict(r.indicator_actuals),
             "submitted_on": r.submitted_on, "updated_at": r.updated_at}
            for r in reports
        ],
    }


def dump(db: Database, year: int | None = None, region: str | None = None) -> dict[str, Any]:
    lists = [t for t in repo.list_target_lists(db)
             if (year is None or t.year == year) and (region is None or t.region == region)]
    if (year is not None or region is not None) and not lists:
        raise SelectionError(f"数据库中没有{year or ''}{'年' if year else ''}{region or ''}的目标任务。")
    lists.sort(key=lambda t: (t.year, t.region))
    return {"format": "minsheng-dump", "version": 1, "target_lists": [dump_list(db, t) for t in lists]}


class LoadError(Exception):
    pass


def _parsed_from_json(tl: dict[str, Any], source: str) -> tuple[ParsedList, list[str | None], list[bool]]:
    try:
        contact = Contact(**tl["contact"]) if tl.get("contact") else None
        due = ReportDue(tl["report_due"]["rule"], tl["report_due"].get("day"), tl["report_due"].get("text", "")) \
            if tl.get("report_due") else None
        sections = tuple(Section(s["title"], s["name"], s.get("level"), s.get("total_investment_wan"),
                                 s.get("declared_items"), s.get("declared_projects")) for s in tl.get("sections", []))
        known = {s.name for s in sections}
        extra = []
        projects = []
        ids: list[str | None] = []
        withdrawn: list[bool] = []
        parents = {(p.get("section"), p["parent"]) for p in tl["projects"] if p.get("parent")}
        for p in tl["projects"]:
            if p.get("section") and p["section"] not in known and p["section"] not in extra:
                extra.append(p["section"])
            is_leaf = p.get("is_leaf", (p.get("section"), p["number"]) not in parents)
            projects.append(ParsedProject(
                section=p.get("section"), number=str(p["number"]), name=p["name"], parent=p.get("parent"),
                investment_wan=p.get("investment_wan"), target=p.get("target"),
                lead_units=tuple(p.get("lead_units", [])), partner_units=tuple(p.get("partner_units", [])),
                note=p.get("note"), deadline=p.get("deadline"), is_leaf=bool(is_leaf),
                indicators=tuple(Indicator(i["label"], float(i["target"]), i["unit"], i.get("comparator", "="))
                                 for i in p.get("indicators", [])),
            ))
            ids.append(p.get("id"))
            withdrawn.append(bool(p.get("withdrawn", False)))
        sections += tuple(Section(title=name, name=name) for name in extra)
        parsed = ParsedList(
            year=int(tl["year"]), region=tl["region"], title=tl.get("title"), notice_title=tl.get("notice_title"),
            issuer=tl.get("issuer"), doc_number=tl.get("doc_number"), issued_on=tl.get("issued_on"),
            contact=contact, report_due=due, source_file=tl.get("source_file") or source,
            sections=sections, projects=tuple(projects),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise LoadError(f"“{source}”不是有效的导出文件（缺少或错误的字段：{exc}）：请使用 minsheng dump 生成的文件。") from None
    return parsed, ids, withdrawn


def load(db: Database, data: dict[str, Any], source: str = "dump.json") -> dict[str, int]:
    """Merge a dump into the database, all or nothing. Loading the same data twice changes nothing."""
    if not isinstance(data, dict) or data.get("format") != "minsheng-dump" or data.get("version") != 1:
        raise LoadError(f"“{source}”不是 minsheng dump 文件（format/version 不符）：请使用 minsheng dump 生成的文件。")
    stats = {"lists": 0, "projects_written": 0, "reports_written": 0}
    with db.transaction():
        for tl in data.get("target_lists", []):
            parsed, ids, withdrawn = _parsed_from_json(tl, source)
            existing = repo.find_target_list(db, parsed.year, parsed.region)  # type: ignore[arg-type]
            current = dump_list(db, existing) if existing else None
            old = repo.load_projects(db, existing.id) if existing else []
            old_ids = {p.id for p in old}
            by_key = {(p.section, p.number): p.id for p in old}
            taken = repo.project_ids_elsewhere(db, existing.id if existing else None)
            matches = [_match_loaded(i, pp, old_ids, by_key, taken) for i, pp in zip(ids, parsed.projects)]
            plan = ReconcilePlan(matches=matches, removed=[])
            if current is None or _list_differs(current, tl, matches):
                list_id = repo.save_list(db, parsed, plan, {"loaded_from": source})
                stats["projects_written"] += len(parsed.projects)
                stats["lists"] += 1
                repo.set_withdrawn(db, list_id, {m: w for m, w in zip(matches, withdrawn) if m})
            else:
                list_id = existing.id  # type: ignore[union-attr]
            projects = repo.load_projects(db, list_id)
            pid_by_key = {(p.section, p.number): p.id for p in projects}
            pids = {p.id for p in projects}
            for r in tl.get("reports", []):
                pid = r.get("project_id") if r.get("project_id") in pids else pid_by_key.get((r.get("section"),
                                                                                                str(r["number"])))
                if pid is None:
                    raise LoadError(f"“{source}”中{r.get('month')}的月报找不到对应项目（序号{r.get('number')}）。")
                rep = Report(
                    project_id=pid, month=r["month"], status=r.get("status"), percent=r.get("percent"),
                    investment_done_wan=r.get("investment_done_wan"), progress=r.get("progress"),
                    problems=r.get("problems"), next_steps=r.get("next_steps"),
                    indicator_actuals={k: float(v) for k, v in (r.get("indicator_actuals") or {}).items()},
                    submitted_on=r.get("submitted_on"), updated_at=r.get("updated_at"),
                )
                if report_repo.save_report(db, rep, keep_timestamp=True):
                    stats["reports_written"] += 1
    return stats


def _match_loaded(pid: str | None, p: ParsedProject, old_ids: set[str], by_key: dict[tuple[str | None, str], str],
                  taken: set[str]) -> str | None:
    """The id a loaded project gets: its own where this list has it; else the project at the same place;
    else its own id if no other list uses it; else a new one."""
    if pid in old_ids:
        return pid
    placed = by_key.get((p.section, p.number))
    if placed is not None:
        return placed
    return pid if pid and pid not in taken else None


def _list_differs(current: dict[str, Any], incoming: dict[str, Any], ids: list[str | None]) -> bool:
    keys = ("title", "notice_title", "issuer", "doc_number", "issued_on", "contact", "report_due")
    if any(current.get(k) != incoming.get(k) for k in keys):
        return True
    if incoming.get("sections") is not None and current["sections"] != incoming["sections"]:
        return True
    cur = {p["id"]: p for p in current["projects"]}
    pkeys = ("section", "number", "parent", "name", "investment_wan", "target", "lead_units", "partner_units",
             "note", "deadline", "withdrawn")
    for pid, p in zip(ids, incoming["projects"]):
        c = cur.get(pid or "")
        if c is None:
            return True
        if any(c.get(k) != p.get(k, c.get(k)) for k in pkeys):
            return True
        if [{k: i[k] for k in ("label", "target", "unit", "comparator")} for i in c["indicators"]] != \
                [{"label": i["label"], "target": float(i["target"]), "unit": i["unit"],
                  "comparator": i.get("comparator", "=")} for i in p.get("indicators", [])]:
            return True
    return False


# ------------------------------------------------------------------ reports


def save_report(db: Database, report: Report) -> bool:
    return report_repo.save_report(db, report)


def project_reports(db: Database, project_id: str) -> list[Report]:
    return report_repo.reports_for_project(db, project_id)


def month_reports(db: Database, list_id: int, month: str) -> dict[str, Report]:
    return {r.project_id: r for r in report_repo.reports_for_list(db, list_id, month)}


def projects_of(db: Database, list_id: int) -> list[Project]:
    return repo.load_projects(db, list_id)

