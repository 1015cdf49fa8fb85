"""A month's exports as the window's 导出 dialog and `minsheng export` make them: the formats, the month read from
the database, file names, the builder (the office's template, the built-in form or the district's variant),
building and writing; and what is still unfilled.

The window runs these in a worker thread (each with its own Database); nothing here touches Qt."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from .. import fileio
from ..domain.model import TargetList
from ..domain.schedule import month_label
from ..domain.status import is_blank, is_reportable
from ..exporters.data import MonthData
from ..exporters.formats import FORMATS
from ..exporters.naming import export_filename
from ..storage import repo
from ..storage import reports as report_repo
from ..storage.db import Database
from .assessment import assess
from .evidence import photos_for_month
from .month_data import collect_month
from .templates import builder_for

__all__ = [
    "ExportResult", "MonthData", "collect_for", "collect_month", "district_builder", "export_filename", "export_month",
    "export_to",
    "export_names", "lead_units", "month_attachments", "unfilled_note", "unfilled_projects", "write_export",
]
# The formats themselves (name, suffix, months) are services.formats' FORMATS; collect_month (services/month_data.py)
# reads the month once, export_filename (exporters.naming) gives its file name.


def month_attachments(db: Database, target_list: TargetList, month: str, unit: str | None) -> list[tuple[str,
                                                                                                         bytes]]:
    """The month's files (every format but the quarterly ones: .xlsx, .docx, cover letter), made fresh."""
    data = collect_month(db, target_list, month, unit)
    return [(export_filename(kind, data), builder_for(db, target_list.id, kind)(data))
            for kind, fmt in FORMATS.items() if fmt.monthly and not fmt.quarterly]


def collect_for(db: Database, target_list: TargetList, month: str, unit: str | None, kind: str, *,
                today: date | None = None) -> MonthData:
    """The month read for one format (collect_month), with the lead units' 考核 figures for the formats that need
    them (FORMATS[kind].assesses: services.assessment, over every lead unit)."""
    data = collect_month(db, target_list, month, unit)
    if FORMATS[kind].assesses:
        data = replace(data, assessment=assess(db, target_list, month, today=today))
    return data


# ------------------------------------------------------------------ before sending: what is still missing


def unfilled_projects(db: Database, target_list: TargetList, month: str,
                      unit: str | None) -> list:  # list[Project]
    """The live projects (led by ``unit`` when given) with nothing reported for the month, in list order."""
    projects = [p for p in repo.load_projects(db, target_list.id, include_withdrawn=False) if is_reportable(p,
                                                                                                            unit)]
    reports = {r.project_id: r for r in report_repo.reports_for_list(db, target_list.id, month)}
    return [p for p in projects if is_blank(reports.get(p.id))]


def unfilled_note(projects: list, month: str, unit: str | None, limit: int = 6) -> str:
    """区住房城乡建委2024年12月尚有2个项目未填报：13.生活污水处理能力提升、15.城市交通缓堵保畅。 ('' when none)"""
    if not projects:
        return ""
    names = "、".join(f"{p.number}.{p.name}" for p in projects[:limit]) + ("等" if len(projects) > limit else "")
    return f"{unit or ''}{month_label(month)}尚有{len(projects)}个项目未填报：{names}。"


# ------------------------------------------------------------------ export


def lead_units(db: Database, list_id: int) -> list[str]:
    """The list's 牵头单位, the scopes an export can be limited to."""
    return repo.list_units(db, list_id, "lead")


def district_builder(db: Database, list_id: int, kind: str, month: str, unit: str | None,
                     photos: bool) -> Callable[[MonthData], bytes]:
    """The 发展改革委's variant of ``kind`` (FORMATS[kind].district: the completion chart), with the month's
    evidence photos appended when ``photos`` (read now; only for the formats that take them)."""
    fmt = FORMATS[kind]
    if fmt.district is None or (photos and not fmt.takes_photos):
        raise ValueError(f"no district variant of {kind}" + (" with photos" if photos else ""))
    build, pictures = fmt.district, photos_for_month(db, list_id, month, unit) if photos else None
    return lambda data: build(data, pictures)


def export_names(db: Database, target_list: TargetList, month: str, unit: str | None,
                 kinds: list[str]) -> dict[str, str]:
    """kind -> the file name the export will get (exporters.naming, safe for Windows)."""
    data = collect_month(db, target_list, month, unit)
    return {k: export_filename(k, data) for k in kinds}


@dataclass(frozen=True)
class ExportResult:
    kind: str
    path: Path
    ok: bool
    message: str


def write_export(kind: str, path: Path, data: MonthData, build: Callable[[MonthData], bytes]) -> ExportResult:
    """Build one format from the month's data and write it to ``path`` whole or not at all — for the window's
    导出 dialog (through export_month) and `minsheng export` alike. A file held open, a full disk or a folder
    that refuses the write is a failed result with one Chinese line (fileio.write_failure_message); the target is
    left as it was. What ``build`` raises (a template that no longer fits) is the caller's to report."""
    payload = build(data)
    try:
        fileio.atomic_write_bytes(path, payload)
    except (fileio.OutputLocked, OSError) as exc:
        return ExportResult(kind, path, False, fileio.write_failure_message(path, exc))
    return ExportResult(kind, path, True, f"已导出“{path.name}”")


def export_to(db: Database, target_list: TargetList, month: str, unit: str | None, kind: str,
              path: Path) -> ExportResult:
    """One format that is not a month's file (the year's report, the 考核评比) to ``path``, built by the form its
    suffix asks for (.docx / .xlsx): collect_for, then write_export — what `minsheng export` does."""
    fmt = FORMATS[kind]
    if path.suffix.lower() not in fmt.suffixes:
        return ExportResult(kind, path, False, f"“{path.name}”：{fmt.name}应保存为 {' 或 '.join(fmt.suffixes)} 文件。")
    data = collect_for(db, target_list, month, unit if fmt.per_unit else None, kind)
    return write_export(kind, path, data, fmt.builder(path.suffix))


def export_month(db: Database, target_list: TargetList, month: str, unit: str | None, kinds: list[str],
                 folder: Path,
                 skip: set[str] | frozenset[str] = frozenset(), progress: Callable[..., None] | None = None,
                 cancel: threading.Event | None = None) -> list[ExportResult]:
    """Build each chosen format into ``folder`` under its own name (write_export); a file that cannot be written
    is reported and the rest go on."""
    say = progress or (lambda *_a: None)
    say("正在读取本月填报…", 0.0)
    data = collect_month(db, target_list, month, unit)
    out: list[ExportResult] = []
    for i, kind in enumerate(kinds):
        name = export_filename(kind, data)
        path = folder / name
        if cancel is not None and cancel.is_set():
            out.append(ExportResult(kind, path, False, f"已取消，未导出“{name}”。"))
            continue
        if kind in skip:
            out.append(ExportResult(kind, path, False, f"“{name}”已存在，按您的选择未覆盖。"))
            continue
        say(f"正在生成“{name}”…", i / max(len(kinds), 1))
        # the office's own template when one is remembered
        out.append(write_export(kind, path, data, builder_for(db, target_list.id, kind)))
    say("导出完成", 1.0)
    return out
