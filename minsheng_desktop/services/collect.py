"""汇总 for the 发展改革委: units' returned reports (our .xlsx exports, `dump` JSON) into the district's month.

No Qt. ``analyse`` reads the files and matches every reported project (id, then 序号+项目名称, then the name
alone; the nearest names as candidates otherwise) without writing; ``apply_collect`` writes what the
clerk confirmed in one transaction. A file already collected (same sha256) is skipped, and a report whose
content equals the stored one is not written again, so collecting the same files twice changes nothing.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ..domain import schedule
from ..domain.model import Project, Report, TargetList
from ..domain.schedule import month_label
from ..domain.status import is_reportable
from ..domain.units import unreported_units
from ..storage import reports as report_repo
from ..storage import repo
from ..storage.collect_log import collected_files, log_collected_file
from ..storage.db import Database, now_iso
from .backup import auto_backup
from .collect_read import REPORT_KEYS, CollectError, Incoming, SourceFile, file_sha256, norm_name, read_source
from .database import select_list
from .holidays import work_calendar

__all__ = ["CollectError", "Incoming", "SourceFile", "analyse", "analyse_sources", "apply_collect", "check_month",
           "choose", "file_sha256",
           "norm_name", "read_source", "reports_to_write", "summary_lines"]


# ------------------------------------------------------------------ matching


@dataclass
class Item:
    """One incoming report and what it matched: ``how`` is id / number_name / name / chosen, or '' (unmatched)."""

    incoming: Incoming
    project: Project | None
    how: str
    candidates: list[tuple[Project, float]] = field(default_factory=list)
    state: str = ""  # new / changed / same / conflict / duplicate


@dataclass
class Conflict:
    project: Project
    items: list[int]  # indexes into CollectResult.items, each a different content


@dataclass
class CollectResult:
    target_list: TargetList
    month: str
    files: list[SourceFile]
    items: list[Item]
    conflicts: list[Conflict]
    projects: list[Project]
    existing: dict[str, Report]
    deadline: date
    today: date

    @property
    def taken(self) -> list[Item]:
        return [i for i in self.items if i.project is not None and i.state in ("new", "changed", "same")]

    @property
    def unmatched(self) -> list[Item]:
        return [i for i in self.items if i.project is None]

    @property
    def deadline_passed(self) -> bool:
        return self.today > self.deadline

    def missing_units(self, extra: set[str] | None = None) -> list[str]:
        """Lead units none of whose live projects has a report for the month (stored, taken or chosen)."""
        done = set(self.existing) | {i.project.id for i in self.items if i.project is not None} | (extra or set())
        return sorted(unreported_units(self.projects, done))


def candidates(name: str, projects: list[Project], n: int = 3) -> list[tuple[Project, float]]:
    key = norm_name(name)
    scored = [(p, difflib.SequenceMatcher(None, key, norm_name(p.name)).ratio()) for p in projects]
    scored.sort(key=lambda x: -x[1])
    return [(p, round(s, 2)) for p, s in scored[:n] if s >= 0.3]


def match(inc: Incoming, projects: list[Project]) -> Item:
    by_id = {p.id: p for p in projects}
    if inc.project_id and inc.project_id in by_id:
        return Item(inc, by_id[inc.project_id], "id")
    key = norm_name(inc.name)
    same = [p for p in projects if p.number == inc.number and norm_name(p.name) == key]
    if len(same) > 1:
        same = [p for p in same if p.section == inc.section] or same[:1]
    if same:
        return Item(inc, same[0], "number_name")
    named = [p for p in projects if norm_name(p.name) == key]
    if len(named) == 1:
        return Item(inc, named[0], "name")
    return Item(inc, None, "", candidates(inc.name, projects))


def _stored_content(r: Report | None, with_inds: bool) -> tuple | None:
    if r is None:
        return None
    inds = tuple(sorted(r.indicator_actuals.items())) if with_inds else None
    return tuple(getattr(r, k) for k in REPORT_KEYS) + (inds,)


def _classify(result: CollectResult) -> None:
    """Set each matched item's state and find the conflicts (two files, one project, different content)."""
    groups: dict[str, list[int]] = {}
    for k, it in enumerate(result.items):
        it.state = ""
        if it.project is not None:
            groups.setdefault(it.project.id, []).append(k)
    result.conflicts = []
    for pid, ks in groups.items():
        first: dict[tuple, int] = {}
        for k in ks:
            first.setdefault(result.items[k].incoming.content(), k)
        if len(first) > 1:
            result.conflicts.append(Conflict(result.items[ks[0]].project, list(first.values())))  # type: ignore[arg-type]
            for k in ks:
                result.items[k].state = "conflict"
            continue
        keep = ks[0]
        for k in ks[1:]:
            result.items[k].state = "duplicate"
        inc = result.items[keep].incoming
        stored = _stored_content(result.existing.get(pid), inc.indicator_actuals is not None)
        result.items[keep].state = "new" if stored is None else ("same" if stored == inc.content() else "changed")


def analyse(db: Database, paths: list[str | Path], month: str, *, year: int | None = None,
            region: str | None = None, today: date | None = None, target_list: TargetList | None = None) -> CollectResult:
    """Read and match; writes nothing. CollectError names the first file that cannot be used."""
    target_list = target_list or select_list(db, year, region)
    check_month(target_list, month)
    if not paths:
        raise CollectError("没有选择要汇总的文件。")
    return analyse_sources(db, [read_source(path, target_list, month) for path in paths], month,
                           target_list=target_list, today=today)


def check_month(target_list: TargetList, month: str) -> None:
    if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", month or "") or int(month[:4]) != target_list.year:
        raise CollectError(f"月份“{month}”无效：应为 {target_list.year}-MM（例如 {target_list.year}-05）。")


def analyse_sources(db: Database, sources: list[SourceFile], month: str, *, target_list: TargetList,
                    today: date | None = None) -> CollectResult:
    """The matching of ``analyse`` for files already read (collect_mail: the month's mail attachments)."""
    projects = [p for p in repo.load_projects(db, target_list.id) if is_reportable(p)]
    logged = collected_files(db, target_list.id, month)
    files: list[SourceFile] = []
    seen: set[str] = set()
    for src in sources:
        if src.sha256 in seen:
            continue  # the same file given twice
        seen.add(src.sha256)
        src.collected_at = logged.get(src.sha256)
        files.append(src)
    parents = [p for p in repo.load_projects(db, target_list.id) if not p.is_leaf and not p.withdrawn]
    items = []
    for inc in (inc for f in files if f.collected_at is None for inc in f.rows):
        if inc.values.get("status") is None and match(inc, parents).project is not None:
            continue  # an item's line carrying its sub-projects' sums, not a report
        items.append(match(inc, projects))
    existing = {r.project_id: r for r in report_repo.reports_for_list(db, target_list.id, month)}
    cal = work_calendar(db)
    result = CollectResult(target_list, month, files, items, [], projects, existing,
                           schedule.deadline(month, target_list.report_due, cal), today or date.today())
    _classify(result)
    return result


def choose(result: CollectResult, index: int, project_id: str | None) -> None:
    """The clerk's choice for an item (an unmatched one, usually): a project of the list, or None to drop it."""
    it = result.items[index]
    by_id = {p.id: p for p in result.projects}
    it.project = by_id.get(project_id or "")
    it.how = "chosen" if it.project is not None else ""
    _classify(result)


def reports_to_write(result: CollectResult, winners: dict[str, int] | None = None) -> list[tuple[Item, Report]]:
    """The reports that would change the database; a conflict is written only with a winner chosen."""
    winners = winners or {}
    picked = [result.items[k] for k in winners.values()]
    out: list[tuple[Item, Report]] = []
    for it in [i for i in result.items if i.state in ("new", "changed")] + picked:
        assert it.project is not None
        old = result.existing.get(it.project.id)
        inc = it.incoming
        rep = Report(project_id=it.project.id, month=result.month, **inc.values,
                     indicator_actuals=dict(inc.indicator_actuals if inc.indicator_actuals is not None
                                            else (old.indicator_actuals if old else {})),
                     submitted_on=old.submitted_on if old else None,
                     node_met=old.node_met if old else None)  # the returns do not carry it: kept
        if _stored_content(old, True) != _stored_content(rep, True):
            out.append((it, rep))
    return out


@dataclass
class ApplyStats:
    written: int
    files_logged: int
    missing_units: list[str]


def apply_collect(db: Database, result: CollectResult, winners: dict[str, int] | None = None, *,
                  also: Callable[[], None] | None = None) -> ApplyStats:
    """Write the confirmed reports and log the files, all in one transaction (a backup first if anything changes);
    ``also`` writes more in the same transaction (collect_mail: the messages taken)."""
    todo = reports_to_write(result, winners)
    fresh = [f for f in result.files if f.collected_at is None]
    if todo:
        auto_backup(db, "before-collect")
    ts = now_iso()
    with db.transaction():
        for _, rep in todo:
            report_repo.save_report(db, rep)
        for f in fresh:
            mine = [(it, rep) for it, rep in todo if it.incoming.source == f.name]
            summary = {"rows": len(f.rows), "written": [f"{it.project.number} {it.project.name}" for it, _ in mine],  # type: ignore[union-attr]
                       "unmatched": [i.incoming.label for i in result.unmatched if i.incoming.source == f.name]}
            log_collected_file(db, result.target_list.id, result.month, unit=f.unit, source_file=f.name,
                               sha256=f.sha256, collected_at=ts, summary=summary)
        if also is not None:
            also()
    extra = {rep.project_id for _, rep in todo}
    return ApplyStats(len(todo), len(fresh), result.missing_units(extra))


def summary_lines(result: CollectResult) -> list[str]:
    """What the command line prints (and the window's status text): taken, unmatched, conflicts, missing."""
    lines = []
    for f in result.files:
        who = f.unit or ("dump 文件" if f.kind == "json" else "未注明单位")
        lines.append(f"“{f.name}”（{who}）：{len(f.rows)}条填报"
                     + (f"——已于{f.collected_at[:16].replace('T', ' ')}汇总过，跳过" if f.collected_at else ""))
    states = {"new": "新增", "changed": "更新", "same": "无变化"}
    taken = result.taken
    lines.append(f"已匹配{len(taken)}条：新增{sum(i.state == 'new' for i in taken)}、"
                 f"更新{sum(i.state == 'changed' for i in taken)}、无变化{sum(i.state == 'same' for i in taken)}")
    for it in taken:
        p = it.project
        assert p is not None
        lines.append(f"  {states[it.state]}  {p.number}. {p.name}（{it.incoming.source}）")
    lines.append(f"未匹配{len(result.unmatched)}条" + ("（未汇总）：" if result.unmatched else ""))
    for it in result.unmatched:
        near = "；".join(f"{p.number}. {p.name}" for p, _ in it.candidates) or "无相近项目"
        lines.append(f"  {it.incoming.label}（{it.incoming.source}）——相近：{near}")
    lines.append(f"冲突{len(result.conflicts)}项" + ("（未汇总，请核实后重新报送）：" if result.conflicts else ""))
    for c in result.conflicts:
        srcs = "、".join(f"“{result.items[k].incoming.source}”" for k in c.items)
        lines.append(f"  {c.project.number}. {c.project.name}：{srcs}填报内容不一致")
    missing = result.missing_units()
    d = result.deadline
    when = (f"报送截止{d.month}月{d.day}日已过" if result.deadline_passed else f"报送截止{d.month}月{d.day}日，尚未到期")
    lines.append(f"{month_label(result.month)}未报送的牵头单位{len(missing)}个（{when}）"
                 + ("：" + "、".join(missing) if missing else ""))
    return lines
