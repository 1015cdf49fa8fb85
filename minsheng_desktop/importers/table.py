"""Interpret a target table: find its header, map columns to fields, read sections, items and sub-projects."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..domain.model import ParsedProject, Section
from .grid import Cell, Table
from .text import clean_text, parse_number, split_units

# Header words for each field, most specific first. Matched against the header text with spaces removed.
FIELD_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("number", re.compile(r"^(序号|编号|序|序列号|No\.?)$", re.I)),
    ("investment", re.compile(r"投资|资金|金额|万元")),
    ("lead", re.compile(r"牵头|责任单位|责任部门|主责|承办单位|实施单位|负责单位|牵头部门")),
    ("partner", re.compile(r"协作|配合|协办|协同|参与单位|配合部门")),
    ("deadline", re.compile(r"时限|完成时间|完成期限|时间节点")),
    ("note", re.compile(r"^备注|^说明$")),
    ("name", re.compile(r"名称|^项目$|^事项$|^民生实事$|实事项目|项目内容名称")),
    ("target", re.compile(r"目标|任务|工作内容|建设内容|主要内容|内容|工作计划|计划")),
]
_CN = "[一二三四五六七八九十]+"
# 一、市级民生实事 / （一）市级民生实事 / 第一部分：市级民生实事 — group 1 is the section's text after its numbering.
SECTION_RE = re.compile(
    rf"^\s*(?:{_CN}\s*[、.．]|[（(]\s*{_CN}\s*[）)]\s*[、.．]?|第\s*{_CN}\s*(?:部分|类|批)\s*[、.．：:]?)\s*(.+)$"
)
# An unnumbered section row: 市级重点民生实事（11件）, 区级民生实事 — only when nothing else is on the row.
BARE_SECTION_RE = re.compile(r"^(?:(?:省级|市级|区级|县级|镇级|街道级|乡镇级).{0,12}|.{0,12}民生实事)(?:[（(][^）)]*[）)])?$")
TOTAL_RE = re.compile(r"^(?:合计|总计|共计|小计|合\s*计|总\s*计)(?:[（(][^）)]*[）)])?[：:]?$")
COUNTS_RE = re.compile(
    r"[（(]\s*(?:共\s*)?(\d+)\s*(?:件|项)?\s*(?:(\d+)\s*个)?\s*(?:项目|子项目|项|个)?\s*[）)]\s*$"
)
SUBNUM_RE = re.compile(r"^(\d+)\s*[.．\-－]\s*(\d+)$")
PAREN_SUB_RE = re.compile(r"^[（(]\s*(\d+)\s*[）)]$")
LEVEL_RE = re.compile(r"(省级|市级|区级|县级|镇级|街道级|乡镇级)")


@dataclass
class ColumnMap:
    columns: dict[str, list[int]] = field(default_factory=dict)
    header_rows: list[list[str]] = field(default_factory=list)
    first_data_row: int = 0


_SPACES = re.compile(r"\s+")


def _compact(text: str) -> str:
    return _SPACES.sub("", text)


def match_field(text: str) -> str | None:
    """The field a header text names, or None."""
    t = _compact(text)
    if not t or len(t) > 30:
        return None
    for name, pat in FIELD_PATTERNS:
        if pat.search(t):
            return name
    return None


def _row_fields(row: list[Cell]) -> dict[str, int]:
    seen: set[int] = set()
    found: dict[str, int] = {}
    for cell in row:
        if id(cell) in seen:
            continue
        seen.add(id(cell))
        f = match_field(cell.text)
        if f and f not in found:
            found[f] = 1
    return found


def find_header(table: Table, max_scan: int = 15) -> ColumnMap | None:
    """Locate the header row(s) and map every field to its grid columns."""
    rows = table.rows
    best: int | None = None
    for r in range(min(len(rows), max_scan)):
        fields = _row_fields(rows[r])
        if "name" in fields and len(fields) >= 2 or len(fields) >= 3 and ("target" in fields or "lead" in fields):
            best = r
            break
    if best is None:
        return None
    header_idx = [best]
    # A second header row: every cell either continues a header cell (merged) or is a header word.
    r = best + 1
    while r < len(rows) and r < best + 3:
        row = rows[r]
        prev_ids = {id(c) for i in header_idx for c in rows[i]}
        new_words = 0
        ok = True
        for cell in row:
            if id(cell) in prev_ids:
                continue
            if not cell.text:
                continue
            if match_field(cell.text):
                new_words += 1
            else:
                ok = False
                break
        if ok and new_words:
            header_idx.append(r)
            r += 1
        else:
            break
    width = max(len(rows[i]) for i in header_idx)
    columns: dict[str, list[int]] = {}
    header_rows: list[list[str]] = []
    for i in header_idx:
        header_rows.append([_compact(c.text) for c in rows[i]] + [""] * (width - len(rows[i])))
    for c in range(width):
        # The lowest distinct header text names the column (年度投资（万元） under 2023年工作计划).
        texts = [rows[i][c].text for i in header_idx if c < len(rows[i]) and rows[i][c].text]
        f = None
        for t in reversed(texts):
            f = match_field(t)
            if f:
                break
        if f:
            columns.setdefault(f, []).append(c)
    # One name column: "项目" groups may also match target words; keep the fields sane.
    return ColumnMap(columns=columns, header_rows=header_rows, first_data_row=header_idx[-1] + 1)


_CN_NUMBER = re.compile(r"[一二三四五六七八九十]+")
_LEADING_DIGIT = re.compile(r"\d")


@dataclass
class _Row:
    index: int
    number: Cell | None
    names: list[Cell]
    values: dict[str, str]
    raw: list[Cell]


def _distinct(cells: list[Cell]) -> list[Cell]:
    """Each merged cell once, in order (merged areas share one Cell object)."""
    return list({id(c): c for c in cells}.values())


def _cells(row: list[Cell], cols: list[int]) -> list[Cell]:
    return _distinct([row[c] for c in cols if c < len(row)])


def _text_of(row: list[Cell], cols: list[int], exclude: set[int]) -> str:
    parts = [c.text for c in _cells(row, cols) if id(c) not in exclude and c.text]
    return "\n".join(parts)


def parse_section_title(title: str) -> Section:
    t = clean_text(title) or ""
    m = SECTION_RE.match(t)
    body = m.group(1) if m else t
    items = projects = None
    cm = COUNTS_RE.search(body)
    if cm:
        items = int(cm.group(1))
        projects = int(cm.group(2)) if cm.group(2) else items
        body = body[: cm.start()]
    name = body.strip().rstrip("：:")
    lvl = LEVEL_RE.search(name)
    return Section(title=t, name=name, level=lvl.group(1) if lvl else None, declared_items=items,
                   declared_projects=projects)


@dataclass
class TableResult:
    sections: list[Section]
    projects: list[ParsedProject]
    warnings: list[str]
    header_rows: list[list[str]]


def read_projects(table: Table, cmap: ColumnMap) -> TableResult:
    cols = cmap.columns
    num_cols = cols.get("number", [])
    name_cols = cols.get("name", [])
    warnings: list[str] = []
    sections: list[Section] = []
    projects: list[ParsedProject] = []
    section_totals: dict[str, float | None] = {}
    current_section: str | None = None
    grand_total: float | None = None
    header_texts = [tuple(h) for h in cmap.header_rows]

    rows: list[_Row] = []
    for r in range(cmap.first_data_row, len(table.rows)):
        raw = table.rows[r]
        distinct = _distinct(raw)
        if not any(c.text for c in distinct):
            continue
        if any(_compact(raw[0].text) == h[0] for h in header_texts) and \
                tuple(_compact(c.text) for c in raw) in header_texts:
            continue  # header repeated on a continuation page
        number_cells = _cells(raw, num_cols) if num_cols else []
        number = number_cells[0] if number_cells else None
        names = _cells(raw, name_cols)
        if number is not None:
            names = [n for n in names if n is not number]
        exclude = {id(number)} | {id(n) for n in names} if number is not None else {id(n) for n in names}
        values = {f: _text_of(raw, cs, exclude) for f, cs in cols.items() if f not in ("number", "name")}
        rows.append(_Row(r, number, names, values, raw))

    i = 0
    while i < len(rows):
        row = rows[i]
        # --- section rows: 一、市级民生实事（14件14个项目）, usually merged across number and name
        first_text = (row.number.text if row.number and row.number.text else
                      (row.names[0].text if row.names else next((c.text for c in row.raw if c.text), "")))
        sec_text = first_text
        if row.number is not None and _CN_NUMBER.fullmatch(_compact(row.number.text or "")) \
                and row.names:
            sec_text = f"{_compact(row.number.text)}、{row.names[0].text}"
        sec_clean = _compact(clean_text(sec_text) or "")
        no_content = not any(row.values.get(f) for f in ("lead", "partner", "target", "deadline"))
        if TOTAL_RE.match(sec_clean) and no_content:  # 合计 row: a check, never a project
            if "investment" in cols:
                grand_total = parse_number(row.values.get("investment", ""))
            i += 1
            continue
        is_section = SECTION_RE.match(clean_text(sec_text) or "") and not row.values.get("lead")
        if not is_section and no_content and BARE_SECTION_RE.match(sec_clean) and (
                row.number is None or not row.number.text or not _LEADING_DIGIT.match(row.number.text.strip())):
            own_name = [n for n in row.names if n.text]
            # Only the section text on the row (merged across, or in the first cell with the name cell empty).
            is_section = not own_name or (row.number is None or not row.number.text) and len(own_name) == 1
        if is_section:
            sec = parse_section_title(sec_text)
            total = parse_number(row.values.get("investment", "")) if "investment" in cols else None
            sec = Section(sec.title, sec.name, sec.level, total, sec.declared_items, sec.declared_projects)
            sections.append(sec)
            current_section = sec.name
            section_totals[sec.name] = total
            i += 1
            continue
        # --- group consecutive rows that share a number cell or a leading name cell (vertical merge)
        group = [row]
        j = i + 1
        while j < len(rows):
            nxt = rows[j]
            if _continues(row, nxt):
                group.append(nxt)
                j += 1
            else:
                break
        number = clean_text(row.number.text if row.number else "") or ""
        number = number.rstrip("、.．")
        if len(group) == 1:
            name_cells = row.names
            if not name_cells or not any(c.text for c in name_cells):
                if number or any(row.values.values()):
                    warnings.append(f"表格第{row.index + 1}行没有项目名称，已跳过：{_preview(row)}")
                i += 1
                continue
            name = clean_text("".join(c.text for c in name_cells)) or ""
            sub = SUBNUM_RE.match(number)
            paren = PAREN_SUB_RE.match(number)
            parent_no = None
            if sub:
                parent_no = sub.group(1)
                number = f"{sub.group(1)}.{sub.group(2)}"
            elif paren:
                last_top = next((p for p in reversed(projects) if p.parent is None), None)
                if last_top is not None:
                    parent_no = last_top.number
                    number = f"{last_top.number}.{paren.group(1)}"
            if not number:
                warnings.append(f"表格第{row.index + 1}行“{name}”没有序号，已按顺序编号。")
                number = str(sum(1 for p in projects if p.section == current_section and p.parent is None) + 1)
            projects.append(_project(current_section, number, name, parent_no, row.values, warnings, row.index))
            if parent_no is not None:
                _mark_parent(projects, current_section, parent_no)
        else:
            parent_name = clean_text(group[0].names[0].text if group[0].names else "") or ""
            if not number:
                number = str(sum(1 for p in projects if p.section == current_section and p.parent is None) + 1)
                warnings.append(f"表格第{row.index + 1}行“{parent_name}”没有序号，已按顺序编号为{number}。")
            projects.append(ParsedProject(section=current_section, number=number, name=parent_name, is_leaf=False))
            for k, g in enumerate(group, start=1):
                lead_name = group[0].names[0] if group[0].names else None
                repeats = bool(g.names) and lead_name is not None and (
                    g.names[0] is lead_name or len(g.names) > 1 and g.names[0].text == lead_name.text)
                own = list(g.names[1:]) if repeats else g.names
                sub_name = clean_text("".join(c.text for c in own)) or f"{parent_name}（{k}）"
                projects.append(_project(current_section, f"{number}.{k}", sub_name, number, g.values, warnings,
                                         g.index))
        i += len(group)
    _check_sections(sections, projects, warnings, "investment" in cols)
    if grand_total is not None:
        total = sum(p.investment_wan or 0 for p in projects if p.is_leaf)
        if abs(total - grand_total) > 0.005:
            warnings.append(f"表格“合计”行的投资为{_fmt(grand_total)}万元，各项目相加为{_fmt(total)}万元，"
                            f"相差{_fmt(abs(total - grand_total))}万元。")
    return TableResult(sections, projects, warnings, cmap.header_rows)


def _continues(first: _Row, nxt: _Row) -> bool:
    """Does ``nxt`` belong to the same numbered item as ``first`` (a sub-project row)?"""
    if first.number is not None and first.number.text:
        if nxt.number is first.number:
            return True  # vertically merged 序号
        if (nxt.number is not None and nxt.number.text == first.number.text and len(first.names) > 1
                and len(nxt.names) > 1 and nxt.names[0].text == first.names[0].text):
            return True  # merged text repeated cell by cell
    if first.names and nxt.names and nxt.names[0] is first.names[0]:
        return len(first.names) > 1 or len(nxt.names) > 1 or first.number is None or nxt.number is first.number
    # No merges at all: empty 序号 and empty group name, a sub-name in the second name column.
    return (len(first.names) > 1 and len(nxt.names) > 1 and not (nxt.number and nxt.number.text)
            and not nxt.names[0].text and bool(nxt.names[1].text))


def _preview(row: _Row) -> str:
    text = " ".join(c.text for c in _distinct(row.raw) if c.text)
    return (clean_text(text) or "")[:30]


def _mark_parent(projects: list[ParsedProject], section: str | None, parent_no: str) -> None:
    for k, p in enumerate(projects):
        if p.section == section and p.number == parent_no and p.parent is None and p.is_leaf:
            if p.investment_wan is None and not p.target and not p.lead_units:
                projects[k] = ParsedProject(section=p.section, number=p.number, name=p.name, is_leaf=False)
            return


def _project(section: str | None, number: str, name: str, parent: str | None, values: dict[str, str],
             warnings: list[str], row_index: int) -> ParsedProject:
    inv_text = values.get("investment", "")
    investment = parse_number(inv_text)
    if inv_text.strip() and investment is None:
        warnings.append(f"第{number}项“{name}”的年度投资“{inv_text.strip()}”不是数字，已留空。")
    return ParsedProject(
        section=section,
        number=number,
        name=name,
        parent=parent,
        investment_wan=investment,
        target=clean_text(values.get("target", "")),
        lead_units=tuple(split_units(values.get("lead", ""))),
        partner_units=tuple(split_units(values.get("partner", ""))),
        note=clean_text(values.get("note", "")),
        completion_term=clean_text(values.get("deadline", "")),
        is_leaf=True,
    )


def _fmt(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else f"{v:.2f}"


def _check_sections(sections: list[Section], projects: list[ParsedProject], warnings: list[str],
                    has_investment: bool) -> None:
    """Compare what each section heading declares with its rows; every mismatch becomes a warning."""
    for sec in sections:
        mine = [p for p in projects if p.section == sec.name]
        items = [p for p in mine if p.parent is None]
        leaves = [p for p in mine if p.is_leaf]
        if sec.declared_items is not None and sec.declared_items != len(items):
            warnings.append(f"“{sec.title}”写明{sec.declared_items}件，表中实际有{len(items)}件。")
        if sec.declared_projects is not None and sec.declared_projects != len(leaves):
            warnings.append(f"“{sec.title}”写明{sec.declared_projects}个项目，表中实际有{len(leaves)}个。")
        if has_investment and sec.total_investment_wan is not None:
            total = sum(p.investment_wan or 0 for p in leaves)
            if abs(total - sec.total_investment_wan) > 0.005:
                warnings.append(
                    f"“{sec.title}”的投资合计为{_fmt(sec.total_investment_wan)}万元，"
                    f"各项目相加为{_fmt(total)}万元，相差{_fmt(abs(total - sec.total_investment_wan))}万元。"
                )
