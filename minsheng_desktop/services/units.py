"""The units' address book (单位通讯录) for the 发展改革委 contact: read it, change it, load it from a file
(.xlsx or .csv with the columns 单位, 联系人, 电话, 邮箱), and learn a unit's address from the From of its returns.

A file is checked whole before anything is written (the row and column of each problem), then merged in one
transaction: a unit in the file replaces its entry, units not in the file stay. Loading the same file twice
changes nothing."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, replace
from pathlib import Path

from ..domain.units import UnitContact, unit_key
from ..importers.errors import ImportFailure
from ..importers.xlsx import read_xlsx
from ..mail.compose import MailError, check_address
from ..storage import repo
from ..storage import units as rows
from ..storage.db import Database

__all__ = ["UnitsError", "UnitsLoad", "address_book", "learn_address", "lead_units_without_entry",
           "load_units_file", "read_units_file", "save_book", "save_entry", "unit_entry"]

MAX_FILE_BYTES = 5 * 1024 * 1024
# A header cell -> the column it is; the first pattern that matches wins.
_HEADERS: list[tuple[str, re.Pattern[str]]] = [
    ("email", re.compile(r"邮箱|邮件|e-?mail", re.I)),
    ("phone", re.compile(r"电话|手机|联系方式")),
    ("contact", re.compile(r"联系人|姓名|负责人")),
    ("name", re.compile(r"单位")),
]
_LABELS = {"name": "单位", "contact": "联系人", "phone": "电话", "email": "邮箱"}


class UnitsError(ValueError):
    """A units file that cannot be loaded; the message is one Chinese line (or a few, one per problem)."""


@dataclass(frozen=True)
class UnitsLoad:
    added: list[str]
    changed: list[str]
    same: list[str]

    def summary(self) -> str:
        if not self.added and not self.changed:
            return f"通讯录无变化（{len(self.same)} 个单位与文件一致）。"
        parts = [f"新增 {len(self.added)} 个单位", f"更新 {len(self.changed)} 个单位"]
        return "已导入单位通讯录：" + "，".join(parts) + (f"，{len(self.same)} 个无变化" if self.same else "") + "。"


def address_book(db: Database) -> list[UnitContact]:
    return rows.list_units(db)


def unit_entry(db: Database, name: str) -> UnitContact | None:
    key = unit_key(name)
    return next((u for u in rows.list_units(db) if unit_key(u.name) == key), None)


def lead_units_without_entry(db: Database, list_id: int) -> list[str]:
    """The list's 牵头单位 that have no e-mail address in the book (reminders cannot reach them)."""
    known = {unit_key(u.name) for u in rows.list_units(db) if u.email}
    return [u for u in repo.list_units(db, list_id, "lead") if unit_key(u) not in known]


def save_entry(db: Database, entry: UnitContact) -> UnitContact:
    """One entry typed in the window (its address checked), stored as the clerk's own."""
    clean = _checked(entry.name, entry.contact, entry.phone, entry.email, "manual", where="")
    rows.save_units(db, [clean])
    return clean


def save_book(db: Database, entries: list[UnitContact]) -> list[UnitContact]:
    """The address book as the clerk edited it in the window: every row checked (UnitsError names the row), then
    the book replaced in one transaction. An entry whose fields changed becomes the clerk's own ("manual")."""
    old = {unit_key(u.name): u for u in rows.list_units(db)}
    problems, out, seen = [], [], set()
    for i, e in enumerate(entries, start=1):
        try:
            clean = _checked(e.name, e.contact, e.phone, e.email, e.source, where=f"第 {i} 行")
        except UnitsError as exc:
            problems.append(str(exc))
            continue
        key = unit_key(clean.name)
        if key in seen:
            problems.append(f"第 {i} 行：单位“{clean.name}”重复，请只保留一行。")
            continue
        seen.add(key)
        before = old.get(key)
        if before is None or not before.same_entry(clean):
            clean = replace(clean, source="manual")
        out.append(clean)
    if problems:
        raise UnitsError("通讯录未保存：" + "；".join(problems[:8]) + (f"（另有 {len(problems) - 8} 处）" if len(problems) > 8 else ""))
    rows.replace_units(db, out)
    return out


def learn_address(db: Database, unit: str, email: str) -> bool:
    """A return from ``unit`` came from ``email``: note it where the book has no address for the unit (an entry
    the clerk typed or loaded is never changed). Whether the book changed."""
    try:
        address = check_address(email, "发件人")
    except MailError:
        return False
    current = unit_entry(db, unit)
    if current is None:
        entry = UnitContact(unit.strip(), email=address, source="learnt")
    elif current.email == address or (current.email and current.source != "learnt"):
        return False
    else:  # no address yet, or one learnt earlier that the unit has since changed
        entry = replace(current, email=address)
    rows.save_units(db, [entry])
    return True


# ------------------------------------------------------------------ a file of units


def read_units_file(path: Path) -> list[UnitContact]:
    """The entries of an .xlsx or .csv units file; UnitsError names every problem (row, column, what to do)."""
    if not path.is_file():
        raise UnitsError(f"找不到文件“{path}”：请检查路径。")
    if path.stat().st_size > MAX_FILE_BYTES:
        raise UnitsError(f"“{path.name}”超过 5 MB，不像单位通讯录：请确认文件。")
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        try:
            doc = read_xlsx(path)
        except ImportFailure as exc:
            raise UnitsError(str(exc)) from None
        table = [[c.text for c in row] for t in doc.tables for row in t.rows]
    elif suffix == ".csv":
        table = _csv_rows(path)
    else:
        raise UnitsError(f"“{path.name}”不是 .xlsx 或 .csv 文件：请用 Excel/WPS 另存为这两种格式之一。")
    return _entries(table, path.name)


def load_units_file(db: Database, path: Path) -> UnitsLoad:
    """Merge the file into the book in one transaction (checked whole first)."""
    entries = read_units_file(path)
    current = {unit_key(u.name): u for u in rows.list_units(db)}
    added, changed, same, todo = [], [], [], []
    for e in entries:
        old = current.get(unit_key(e.name))
        if old is None:
            added.append(e.name)
        elif old.same_entry(e):
            same.append(e.name)
            continue
        else:
            changed.append(e.name)
            e = UnitContact(old.name, e.contact, e.phone, e.email, e.source)  # keep the name as first written
        todo.append(e)
    if todo:
        rows.save_units(db, todo)
    return UnitsLoad(added, changed, same)


def _csv_rows(path: Path) -> list[list[str]]:
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):  # Excel and WPS in China save CSV as GBK unless told UTF-8
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise UnitsError(f"“{path.name}”的编码无法识别：请用 Excel/WPS 另存为“CSV UTF-8”或 .xlsx。")
    return [list(r) for r in csv.reader(io.StringIO(text))]


def _entries(table: list[list[str]], name: str) -> list[UnitContact]:
    header_at, columns = None, {}
    for i, row in enumerate(table[:10]):
        found: dict[str, int] = {}
        for c, text in enumerate(row):
            for key, pattern in _HEADERS:
                if text and pattern.search(text.strip()) and key not in found:
                    found[key] = c
                    break
        if "name" in found and "email" in found:
            header_at, columns = i, found
            break
    if header_at is None:
        raise UnitsError(f"“{name}”中找不到表头：第一行应有“单位”“联系人”“电话”“邮箱”这几列。")
    problems: list[str] = []
    out: dict[str, UnitContact] = {}
    for i, row in enumerate(table[header_at + 1:], start=header_at + 2):
        cell = {k: (row[c].strip() if c < len(row) and row[c] else "") for k, c in columns.items()}
        if not any(cell.values()):
            continue
        try:
            entry = _checked(cell.get("name", ""), cell.get("contact"), cell.get("phone"), cell.get("email"), "file",
                             where=f"第 {i} 行")
        except UnitsError as exc:
            problems.append(str(exc))
            continue
        key = unit_key(entry.name)
        if key in out and not out[key].same_entry(entry):
            problems.append(f"第 {i} 行：单位“{entry.name}”在文件中出现了两次且内容不同，请只保留一行。")
        out[key] = entry
    if problems:
        more = f"（另有 {len(problems) - 8} 处）" if len(problems) > 8 else ""
        raise UnitsError(f"“{name}”有 {len(problems)} 处需要修改，未导入任何单位：" + "；".join(problems[:8]) + more)
    if not out:
        raise UnitsError(f"“{name}”的表头下没有单位：请填写后再导入。")
    return list(out.values())


def _checked(name: str, contact: str | None, phone: str | None, email: str | None, source: str,
             where: str) -> UnitContact:
    prefix = f"{where}：" if where else ""
    if not (name or "").strip():
        raise UnitsError(f"{prefix}“{_LABELS['name']}”为空：请填写单位名称。")
    address = (email or "").strip() or None
    if address is not None:
        try:
            address = check_address(address, "邮箱")
        except MailError:
            raise UnitsError(f"{prefix}邮箱“{address}”格式不正确：应为 name@example.gov.cn 这样的地址。") from None
    return UnitContact(name.strip(), (contact or "").strip() or None, (phone or "").strip() or None, address, source)
