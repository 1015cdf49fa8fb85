"""Reading the units' returned files for 汇总: our exported .xlsx (the hidden id sheet, else the visible table
by its header words) and `dump` JSON. No Qt, no database writes.

The .xlsx is read with the importers' reader (importers/xlsx.py), the visible table and the hidden sheet in one
pass, without openpyxl (docs/performance.md, "One .xlsx reader")."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..domain.model import STATUS_LABELS, TargetList
from ..exporters.xlsx_meta import FORMAT_ID, META_SHEET
from ..importers.errors import ImportFailure
from ..importers.sniff import sniff
from ..importers.table import SECTION_RE, find_header, parse_section_title
from ..importers.text import parse_number
from ..importers.xlsx import read_xlsx_with_sheet
from .templates import template_field

REPORT_KEYS = ("status", "percent", "investment_done_wan", "progress", "problems", "next_steps")
MAX_JSON_BYTES = 50 * 1024 * 1024
_LABEL_TO_STATUS = {v: k for k, v in STATUS_LABELS.items()}
_MONTH_IN_TITLE = re.compile(r"截至(\d{4})年(\d{1,2})月")
_UNIT_IN_INFO = re.compile(r"填报单位[：:]\s*([^\s　_]+)")
_CARRIED_STATUS = re.compile(r"（\d{1,2}月）\s*$")  # 正常推进（5月）: an earlier month's report carried forward


class CollectError(Exception):
    """A file that cannot be collected: one Chinese line naming it and saying what to do."""


def norm_name(text: str | None) -> str:
    t = re.sub(r"\s+", "", text or "")
    return t.replace("（", "(").replace("）", ")").replace("“", '"').replace("”", '"')


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


# ------------------------------------------------------------------ what a file says


@dataclass
class Incoming:
    """One project's report as a file states it."""

    source: str
    unit: str | None
    number: str
    name: str
    values: dict[str, Any]
    project_id: str | None = None
    section: str | None = None
    indicator_actuals: dict[str, float] | None = None  # None: the file does not carry them (.xlsx)

    @property
    def label(self) -> str:
        return f"{self.number}. {self.name}"

    def content(self) -> tuple:
        inds = tuple(sorted(self.indicator_actuals.items())) if self.indicator_actuals is not None else None
        return tuple(self.values.get(k) for k in REPORT_KEYS) + (inds,)


@dataclass
class SourceFile:
    path: Path
    sha256: str
    kind: str  # xlsx | json
    unit: str | None
    rows: list[Incoming]
    collected_at: str | None = None  # when this very file was collected before

    @property
    def name(self) -> str:
        return self.path.name


def _num(text: str) -> float | None:
    t = (text or "").strip().rstrip("%％")
    return parse_number(t) if t else None


def _values_from(cells: dict[str, str]) -> dict[str, Any]:
    status_text = (cells.get("status") or "").strip()
    return {
        "status": _LABEL_TO_STATUS.get(status_text) if status_text != "已撤销" else None,
        "percent": _num(cells.get("percent", "")), "investment_done_wan": _num(cells.get("investment_done_wan", "")),
        "progress": cells.get("progress") or None, "problems": cells.get("problems") or None,
        "next_steps": cells.get("next_steps") or None,
    }


def _blank(values: dict[str, Any]) -> bool:
    return all(values.get(k) in (None, "") for k in REPORT_KEYS)


def _columns(header_texts: list[str]) -> dict[str, int]:
    """Column of each field, by the same header words an office template is read with."""
    cols: dict[str, int] = {}
    for c, text in enumerate(header_texts):
        key = template_field(text)
        key = "investment_done_wan" if key == "done" else key
        if key and key not in cols:
            cols[key] = c
    return cols


def _row_number(text: str | None) -> int | None:
    """A table row number as the hidden sheet holds it (written as a number: "12"), else None (its header)."""
    try:
        value = float(text or "")
    except ValueError:
        return None
    return int(value) if value == value and abs(value) != float("inf") else None


def _read_meta(rows: list[list[str | None]]) -> tuple[dict[str, Any], dict[int, tuple[str, str | None, str]], set[int]]:
    """The hidden sheet (exporters/xlsx.py's write_meta): key/value lines, a blank line, then per table row its
    project id, section, number and — for a row showing an earlier month's report — that month."""
    meta: dict[str, Any] = {}
    by_row: dict[int, tuple[str, str | None, str]] = {}
    carried: set[int] = set()  # rows showing an earlier month's report of a project not reported this month
    it = iter([r + [None] * (5 - len(r)) for r in rows])  # the cells after a row's last value are not written
    for r in it:
        if r[0] in (None, ""):
            break
        meta[str(r[0])] = r[1]
    for r in it:
        row = _row_number(r[0])
        if row is not None and r[1]:
            by_row[row] = (str(r[1]), r[2] or None, str(r[3] or ""))
            if r[4]:
                carried.add(row)
    return meta, by_row, carried


def _read_xlsx(path: Path, list_year: int, region: str, month: str) -> tuple[str | None, list[Incoming]]:
    doc, meta_rows = read_xlsx_with_sheet(path, META_SHEET)  # hardened reader; hidden sheet apart from the tables
    meta, by_row, carried = _read_meta(meta_rows or [])
    name = path.name
    if meta and meta.get("format") != FORMAT_ID:
        meta = {}
    if meta:
        if int(meta.get("year") or 0) != list_year or str(meta.get("region") or "") != region:
            raise CollectError(f"“{name}”是{meta.get('region')}{meta.get('year')}年的报表，不属于{region}{list_year}年的目标任务。")
        if str(meta.get("month")) != month:
            raise CollectError(f"“{name}”是{meta.get('month')}的报表，与所选月份{month}不符：请选对月份或换用正确的文件。")
    best = None
    for table in doc.tables:
        cmap = find_header(table)
        if cmap is not None and "name" in cmap.columns:
            best = (table, cmap)
            break
    if best is None:
        raise CollectError(f"“{name}”中找不到推进情况表（没有“序号”“项目名称”表头）：请使用本程序导出的报表。")
    table, cmap = best
    head = cmap.first_data_row - 1
    cols = _columns([c.text for c in table.rows[head]])
    above = " ".join(c.text for row in table.rows[:head] for c in row)
    found = _MONTH_IN_TITLE.search(above)
    if not meta and found and f"{int(found[1]):04d}-{int(found[2]):02d}" != month:
        raise CollectError(f"“{name}”是{found[1]}年{found[2]}月的报表，与所选月份{month}不符。")
    unit = str(meta.get("unit") or "") or (m[1] if (m := _UNIT_IN_INFO.search(above)) else None)
    out: list[Incoming] = []
    section: str | None = None
    for r in range(cmap.first_data_row, len(table.rows)):
        row = table.rows[r]
        first = row[0].text if row else ""
        if len(row) > 1 and row[0] is row[1]:  # a merged label: a section line, 合计 or a note
            if SECTION_RE.match(first):
                section = parse_section_title(first).name
            continue
        cells = {k: row[c].text for k, c in cols.items() if c < len(row)}
        number, pname = (cells.get("number") or "").strip(), (cells.get("name") or "").strip()
        if not pname:
            continue
        if r + 1 in carried or _CARRIED_STATUS.search(cells.get("status") or ""):
            continue  # not reported this month: the file shows its earlier report, which is not this month's
        values = _values_from(cells)
        if _blank(values):
            continue  # a parent line, or a project not reported this month
        pid, sec, num = by_row.get(r + 1, (None, section, number))
        out.append(Incoming(name, unit, number or num, pname, values, pid, sec or section))
    return unit, out


def _read_json(path: Path, list_year: int, region: str, month: str) -> list[Incoming]:
    name = path.name
    if path.stat().st_size > MAX_JSON_BYTES:
        raise CollectError(f"“{name}”超过 50 MB，不像是 minsheng dump 文件。")
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CollectError(f"“{name}”不是有效的 JSON 文件（{exc}）：请使用 minsheng dump 生成的文件。") from None
    if not isinstance(data, dict) or data.get("format") != "minsheng-dump":
        raise CollectError(f"“{name}”不是 minsheng dump 文件：请使用 minsheng dump 生成的文件。")
    lists = [t for t in data.get("target_lists") or [] if isinstance(t, dict)
             and t.get("year") == list_year and t.get("region") == region]
    if not lists:
        raise CollectError(f"“{name}”中没有{region}{list_year}年的目标任务。")
    out: list[Incoming] = []
    try:
        for list_json in lists:
            projects = {p["id"]: p for p in list_json.get("projects", [])}
            for r in list_json.get("reports", []):
                if r.get("month") != month:
                    continue
                p = projects.get(r.get("project_id")) or {}
                values = {k: r.get(k) for k in REPORT_KEYS}
                inds = {str(k): float(v) for k, v in (r.get("indicator_actuals") or {}).items()}
                if _blank(values) and not inds:
                    continue
                out.append(Incoming(name, None, str(r.get("number") or p.get("number") or ""), p.get("name") or "",
                                    values, r.get("project_id"), r.get("section"), inds))
    except (AttributeError, TypeError, ValueError, KeyError) as exc:
        raise CollectError(f"“{name}”的内容不完整（{exc}）：请重新用 minsheng dump 导出。") from None
    return out


def read_source(path: str | Path, target_list: TargetList, month: str) -> SourceFile:
    """Read one returned file; CollectError for anything that is not one of ours for this list and month."""
    p = Path(path)
    if not p.is_file():
        raise CollectError(f"找不到文件“{p}”：请检查路径。")
    head = p.read_bytes()[:64].lstrip(b"\xef\xbb\xbf \t\r\n")
    try:
        if head.startswith(b"{") or p.suffix.lower() == ".json":
            kind, unit, rows = "json", None, _read_json(p, target_list.year, target_list.region, month)
        else:
            not_ours = f"“{p.name}”不是 Excel 工作簿或已损坏：汇总只接受本程序导出的 .xlsx 报表或 dump 的 .json 文件。"
            try:
                if sniff(p) != "xlsx":
                    raise CollectError(not_ours)
            except ImportFailure:
                raise CollectError(not_ours) from None
            try:
                kind = "xlsx"
                unit, rows = _read_xlsx(p, target_list.year, target_list.region, month)
            except ImportFailure as exc:
                raise CollectError(exc.message if p.name in exc.message else f"“{p.name}”：{exc.message}") from None
    except CollectError:
        raise
    except Exception as exc:  # noqa: BLE001 - a broken file is bad input, never a traceback
        raise CollectError(f"“{p.name}”无法读取（{type(exc).__name__}），可能已损坏：请让报送单位重新导出。") from None
    return SourceFile(p, file_sha256(p), kind, unit, rows)
