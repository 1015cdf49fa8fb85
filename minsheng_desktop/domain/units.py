"""The units' address book (单位通讯录): each lead unit with its contact person, phone and e-mail, and where the
entry came from. "Unit" here is always an organisation (区教委); a measure such as 个 or 公里 is an indicator's."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .model import Project
from .status import is_reportable

SOURCES = ("manual", "file", "learnt")  # typed in the window, loaded from a file, learnt from a return's From
SOURCE_LABELS = {"manual": "手工填写", "file": "从文件导入", "learnt": "从报送邮件获知"}

_SPACES = re.compile(r"[\s\u3000]+")


def unit_key(name: str | None) -> str:
    """The unit's name as entries are matched: without spaces (区 教委, 区教委 and "区教委 " are one unit)."""
    return _SPACES.sub("", name or "")


@dataclass(frozen=True)
class UnitContact:
    name: str
    contact: str | None = None  # 联系人
    phone: str | None = None
    email: str | None = None
    source: str = "manual"

    def same_entry(self, other: UnitContact) -> bool:
        """Whether the two say the same (the source aside)."""
        return (self.contact, self.phone, self.email) == (other.contact, other.phone, other.email)


def unreported_units(projects: list[Project], reported: set[str] | frozenset[str]) -> dict[str, list[Project]]:
    """Lead units none of whose live projects has a report (ids in ``reported``) -> those projects, in list
    order; the units in the order they first lead a project."""
    led: dict[str, list[Project]] = {}
    for p in projects:
        if is_reportable(p):
            for u in p.lead_units:
                led.setdefault(u, []).append(p)
    return {u: ps for u, ps in led.items() if not any(p.id in reported for p in ps)}
