"""dump and load: the whole database as JSON (../spec/dump.schema.json), and merging such a file back in."""

from __future__ import annotations

from typing import Any

from ..domain.model import Contact, Indicator, ParsedList, ParsedProject, Report, ReportDue, Section, TargetList
from ..domain.month import Month
from ..domain.plan import Milestone, Plan, make_plan
from ..domain.reconcile import ReconcilePlan
from ..storage import plans as plan_repo
from ..storage import reports as report_repo
from ..storage import repo
from ..storage.db import Database
from ..storage.repo import SelectionError



def _indicator_json(ind: Indicator, actual: float | None) -> dict[str, Any]:
    # The JSON key stays "unit" (../shared/spec/dump.schema.json): the indicator's measure.
    return {"label": ind.label, "target": ind.target, "unit": ind.measure, "comparator": ind.comparator,
            "actual": actual}


def _plan_json(plan: Plan | None) -> dict[str, Any] | None:
    if plan is None or plan.is_empty:
        return None
    return {"responsible": plan.responsible, "phone": plan.phone, "measures": plan.measures,
            "milestones": [{"month": str(m.month), "text": m.text, "percent": m.percent} for m in plan.milestones]}


def dump_list(db: Database, target_list: TargetList) -> dict[str, Any]:
    projects = repo.load_projects(db, target_list.id)
    plans = plan_repo.plans_for_list(db, target_list.id)
    reports = report_repo.reports_for_list(db, target_list.id)
    by_id = {p.id: p for p in projects}
    latest: dict[tuple[str, str], float] = {}
    for r in reports:  # ordered by month: the last value written wins
        for label, v in r.indicator_actuals.items():
            latest[(r.project_id, label)] = v
    return {
        "year": target_list.year, "region": target_list.region, "title": target_list.title,
        "notice_title": target_list.notice_title, "issuer": target_list.issuer,
        "doc_number": target_list.doc_number, "issued_on": target_list.issued_on,
        "contact": None if target_list.contact is None else {"unit": target_list.contact.unit,
                                                             "name": target_list.contact.name,
                                                             "phone": target_list.contact.phone,
                                                             "email": target_list.contact.email},
        "report_due": None if target_list.report_due is None else {"rule": target_list.report_due.rule,
                                                                   "day": target_list.report_due.day,
                                                                   "text": target_list.report_due.text},
        "source_file": target_list.source_file,
        "sections": [{"title": s.title, "name": s.name, "level": s.level,
                      "total_investment_wan": s.total_investment_wan, "declared_items": s.declared_items,
                      "declared_projects": s.declared_projects} for s in target_list.sections],
        "projects": [
            {"id": p.id, "section": p.section, "number": p.number, "parent": p.parent_number, "name": p.name,
             "investment_wan": p.investment_wan, "target": p.target, "lead_units": list(p.lead_units),
             "partner_units": list(p.partner_units), "note": p.note, "deadline": p.completion_term,
             "is_leaf": p.is_leaf, "withdrawn": p.withdrawn,
             "indicators": [_indicator_json(i, latest.get((p.id, i.label))) for i in p.indicators],
             "plan": _plan_json(plans.get(p.id))}
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


def _parsed_from_json(list_json: dict[str, Any], source: str) -> tuple[ParsedList, list[str | None],
                                                                       list[bool]]:
    try:
        contact = Contact(**list_json["contact"]) if list_json.get("contact") else None
        due = ReportDue(list_json["report_due"]["rule"], list_json["report_due"].get("day"),
                        list_json["report_due"].get("text", "")) \
            if list_json.get("report_due") else None
        sections = tuple(Section(s["title"], s["name"], s.get("level"), s.get("total_investment_wan"),
                                 s.get("declared_items"),
                                 s.get("declared_projects")) for s in list_json.get("sections", []))
        known = {s.name for s in sections}
        extra = []
        projects = []
        ids: list[str | None] = []
        withdrawn: list[bool] = []
        parents = {(p.get("section"), p["parent"]) for p in list_json["projects"] if p.get("parent")}
        for p in list_json["projects"]:
            if p.get("section") and p["section"] not in known and p["section"] not in extra:
                extra.append(p["section"])
            is_leaf = p.get("is_leaf", (p.get("section"), p["number"]) not in parents)
            projects.append(ParsedProject(
                section=p.get("section"), number=str(p["number"]), name=p["name"], parent=p.get("parent"),
                investment_wan=p.get("investment_wan"), target=p.get("target"),
                lead_units=tuple(p.get("lead_units", [])), partner_units=tuple(p.get("partner_units", [])),
                note=p.get("note"), completion_term=p.get("deadline"), is_leaf=bool(is_leaf),
                indicators=tuple(Indicator(i["label"], float(i["target"]), measure=i["unit"],
                                           comparator=i.get("comparator", "="))
                                 for i in p.get("indicators", [])),
            ))
            ids.append(p.get("id"))
            withdrawn.append(bool(p.get("withdrawn", False)))
        sections += tuple(Section(title=name, name=name) for name in extra)
        parsed = ParsedList(
            year=int(list_json["year"]), region=list_json["region"], title=list_json.get("title"),
            notice_title=list_json.get("notice_title"),
            issuer=list_json.get("issuer"), doc_number=list_json.get("doc_number"),
            issued_on=list_json.get("issued_on"),
            contact=contact, report_due=due, source_file=list_json.get("source_file") or source,
            sections=sections, projects=tuple(projects),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise LoadError(f"“{source}”不是有效的导出文件（缺少或错误的字段：{exc}）：请使用 minsheng dump 生成的文件。") from None
    return parsed, ids, withdrawn


def load(db: Database, data: dict[str, Any], source: str = "dump.json") -> dict[str, int]:
    """Merge a dump into the database, all or nothing. Loading the same data twice changes nothing."""
    if not isinstance(data, dict) or data.get("format") != "minsheng-dump" or data.get("version") != 1:
        raise LoadError(f"“{source}”不是 minsheng dump 文件（format/version 不符）：请使用 minsheng dump 生成的文件。")
    stats = {"lists": 0, "projects_written": 0, "reports_written": 0, "plans_written": 0}
    with db.transaction():
        for list_json in data.get("target_lists", []):
            parsed, ids, withdrawn = _parsed_from_json(list_json, source)
            existing = repo.find_target_list(db, parsed.year, parsed.region)  # type: ignore[arg-type]
            current = dump_list(db, existing) if existing else None
            old = repo.load_projects(db, existing.id) if existing else []
            old_ids = {p.id for p in old}
            by_key = {(p.section, p.number): p.id for p in old}
            taken = repo.project_ids_elsewhere(db, existing.id if existing else None)
            matches = [_match_loaded(i, pp, old_ids, by_key, taken) for i, pp in zip(ids, parsed.projects)]
            plan = ReconcilePlan(matches=matches, removed=[])
            if current is None or _list_differs(current, list_json, matches):
                list_id = repo.save_list(db, parsed, plan, {"loaded_from": source})
                stats["projects_written"] += len(parsed.projects)
                stats["lists"] += 1
                repo.set_withdrawn(db, list_id, {m: w for m, w in zip(matches, withdrawn) if m})
            else:
                list_id = existing.id  # type: ignore[union-attr]
            projects = repo.load_projects(db, list_id)
            pid_by_key = {(p.section, p.number): p.id for p in projects}
            pids = {p.id for p in projects}
            loaded = []
            for r in list_json.get("reports", []):
                pid = r.get("project_id") if r.get("project_id") in pids else pid_by_key.get((r.get("section"),
                                                                                                str(r["number"])))
                if pid is None:
                    raise LoadError(f"“{source}”中{r.get('month')}的月报找不到对应项目（序号{r.get('number')}）。")
                loaded.append(Report(
                    project_id=pid, month=r["month"], status=r.get("status"), percent=r.get("percent"),
                    investment_done_wan=r.get("investment_done_wan"), progress=r.get("progress"),
                    problems=r.get("problems"), next_steps=r.get("next_steps"),
                    indicator_actuals={k: float(v) for k, v in (r.get("indicator_actuals") or {}).items()},
                    submitted_on=r.get("submitted_on"), updated_at=r.get("updated_at"),
                ))
            # The list's stored reports are read at once; only the reports that differ are written.
            # The answers to "本月节点是否完成？" are not in a dump (the spec has no field for them): kept as stored.
            stats["reports_written"] += report_repo.save_reports(db, list_id, loaded, keep_timestamp=True,
                                                                 keep_node_answers=True)
            stats["plans_written"] += plan_repo.replace_plans(db, _loaded_plans(list_json, pids, pid_by_key,
                                                                                source))
    return stats


def _loaded_plans(list_json: dict[str, Any], pids: set[str], pid_by_key: dict[tuple[str | None, str], str],
                  source: str) -> list[Plan]:
    """The plans the dump carries, for the projects they belong to (absent or null: the stored plan is kept)."""
    out = []
    for p in list_json["projects"]:
        if not p.get("plan"):
            continue
        pid = p.get("id") if p.get("id") in pids else pid_by_key.get((p.get("section"), str(p["number"])))
        try:
            nodes = [Milestone(Month.parse(m["month"]), m.get("text"),
                               None if m.get("percent") is None else _percent(m["percent"]))
                     for m in p["plan"].get("milestones") or []]
            if pid is not None:
                out.append(make_plan(pid, p["plan"].get("responsible"), p["plan"].get("phone"),
                                     p["plan"].get("measures"), nodes))
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise LoadError(f"“{source}”中项目“{p.get('name')}”的实施方案有误（{exc}）：请使用 minsheng dump "
                            "生成的文件。") from None
    return out


def _percent(value: object) -> float:
    number = float(value)  # type: ignore[arg-type]
    if not 0 <= number <= 100:
        raise ValueError(f"节点完成进度应在 0–100 之间：{value}")
    return number


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
