"""Match a revised target list against the stored one: added, changed, removed — ids kept stable."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from .model import ParsedProject, Project

# Fields compared between the stored and the revised project, with their Chinese names for the summary.
COMPARED_FIELDS: dict[str, str] = {
    "section": "板块",
    "number": "序号",
    "name": "名称",
    "investment_wan": "年度投资",
    "target": "目标任务",
    "lead_units": "牵头单位",
    "partner_units": "配合单位",
    "note": "备注",
    "completion_term": "完成时限",
}


@dataclass
class Change:
    project_id: str
    number: str
    name: str
    fields: dict[str, tuple[object, object]]  # field -> (old, new)


@dataclass
class ReconcilePlan:
    """For each parsed project (by index) the id it keeps, or None when it is new."""

    matches: list[str | None]
    added: list[int] = field(default_factory=list)
    changed: list[Change] = field(default_factory=list)
    removed: list[Project] = field(default_factory=list)
    restored: list[str] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.changed or self.removed or self.restored)


def _norm(name: str) -> str:
    return "".join(ch for ch in name if ch not in " \u3000“”\"'‘’《》「」").lower()


def _similar(a: str | None, b: str | None) -> float:
    if not a or not b:
        return 0.0
    return difflib.SequenceMatcher(None, _norm(a), _norm(b)).ratio()


def _alike(p: Project, np: ParsedProject) -> bool:
    """The same project at the same place: its name at least half alike, or its target at least 80 % alike, or
    both at least 40 % alike (renamed *and* its target's figures updated). Never the target alone elsewhere."""
    name, target = _similar(p.name, np.name), _similar(p.target, np.target)
    return name >= 0.5 or target >= 0.8 or (name >= 0.4 and target >= 0.4)


def reconcile(old: list[Project], new: list[ParsedProject]) -> ReconcilePlan:
    """Exact (section, number, name) first; then the same name anywhere (renumbered or moved);
    then the same place with a similar name or target, or both somewhat alike (_alike: renamed, target edited).
    Everything else is added or removed."""
    matches: list[str | None] = [None] * len(new)
    free = {p.id: p for p in old}

    def take(i: int, pid: str) -> None:
        matches[i] = pid
        del free[pid]

    for i, np in enumerate(new):
        for p in list(free.values()):
            if p.section == np.section and p.number == np.number and _norm(p.name) == _norm(np.name):
                take(i, p.id)
                break
    for i, np in enumerate(new):
        if matches[i] is None:
            same = [p for p in free.values() if _norm(p.name) == _norm(np.name) and p.is_leaf == np.is_leaf]
            if len(same) == 1 or (same and all(s.section == same[0].section for s in same)):
                take(i, same[0].id)
    for i, np in enumerate(new):
        if matches[i] is None:
            for p in list(free.values()):
                if p.section == np.section and p.number == np.number and _alike(p, np):
                    take(i, p.id)
                    break
    plan = ReconcilePlan(matches=matches)
    by_id = {p.id: p for p in old}
    for i, (np, pid) in enumerate(zip(new, matches)):
        if pid is None:
            plan.added.append(i)
            continue
        p = by_id[pid]
        if p.withdrawn:
            plan.restored.append(pid)
        diffs: dict[str, tuple[object, object]] = {}
        for f in COMPARED_FIELDS:
            a, b = getattr(p, f), getattr(np, f)
            if isinstance(a, tuple) or isinstance(b, tuple):
                a, b = list(a or ()), list(b or ())
            if a != b:
                diffs[f] = (a, b)
        if diffs:
            plan.changed.append(Change(pid, np.number, np.name, diffs))
    plan.removed = [p for p in free.values() if not p.withdrawn]
    return plan
