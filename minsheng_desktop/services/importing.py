"""Importing a notice: read it in any form, show what importing would do, take the clerk's corrections, store it."""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from pathlib import Path
from collections.abc import Sequence
from typing import Any, Union

from ..domain.model import ParsedList, Project, TargetList
from ..domain.reconcile import COMPARED_FIELDS, ReconcilePlan, reconcile
from ..importers import ImportCancelled, ImportFailure, Progress
from ..importers.forms import ACCEPTED_SUFFIXES, DIALOG_FILTER, IMAGE_SUFFIXES, read_source
from ..importers.grid import SourceDocument
from ..importers.progress import NO_PROGRESS
from ..importers.reader import correct_cells, parse_source, pick_table
from ..storage import repo
from ..storage.db import Database
from .backup import auto_backup

__all__ = [
    "ACCEPTED_SUFFIXES", "DIALOG_FILTER", "IMAGE_SUFFIXES", "ImportCancelled", "ImportFailure",
    "ImportPreview", "Progress", "apply_import", "correct_preview", "import_file", "preview_import",
    "read_source_safely",
]

log = logging.getLogger("minsheng.services")

ImportPaths = Union[str, os.PathLike, Sequence[Union[str, os.PathLike]]]

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
    auto_backup(db, "before-import")
    return repo.save_list(db, preview.parsed, preview.plan, preview.summary)


def import_file(db: Database, path: ImportPaths, *, year: int | None = None,
                region: str | None = None, progress: Progress = NO_PROGRESS) -> tuple[int, ImportPreview]:
    preview = preview_import(db, path, year=year, region=region, progress=progress)
    return apply_import(db, preview), preview
